"""The vectorized GB 11643 check agrees with the scalar rule (the definition) on valid and damaged numbers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from jineng.rules.idcard import DocType, ParsedId, Sex, check_character, normalize_number, validate_id_number
from jineng.rules.idcard_batch import resident_ids_accepted

TODAY = dt.date(2026, 11, 20)


def scalar_accepts(number: str) -> ParsedId | None:
    """What the vectorized form must accept: an 18-digit resident ID the scalar rule takes as it is."""
    parsed = validate_id_number(number, region_known=lambda code: True, today=TODAY)
    if isinstance(parsed, ParsedId) and parsed.doc_type is DocType.RESIDENT_ID and not parsed.upgraded:
        return parsed
    return None


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["110101", "440106", "810000", "830000", "910000", "000000", "652901"]))
    born = draw(st.dates(min_value=dt.date(1895, 1, 1), max_value=dt.date(2030, 12, 31)))
    body = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + check_character(body)


@st.composite
def damaged(draw: st.DrawFn) -> str:
    number = draw(valid_numbers())
    how = draw(st.sampled_from(["keep", "digit", "check", "month", "day", "length", "letter", "text"]))
    if how == "digit":
        k = draw(st.integers(0, 16))
        number = number[:k] + str((int(number[k]) + draw(st.integers(1, 9))) % 10) + number[k + 1 :]
    elif how == "check":
        number = number[:17] + draw(st.sampled_from("0123456789X"))
    elif how == "month":
        number = number[:10] + draw(st.sampled_from(["00", "13", "02", "99"])) + number[12:]
    elif how == "day":
        number = number[:12] + draw(st.sampled_from(["00", "29", "30", "31", "32"])) + number[14:]
    elif how == "length":
        number = number[: draw(st.integers(0, 17))] + draw(st.text("0123456789X", max_size=3))
    elif how == "letter":
        k = draw(st.integers(0, 17))
        number = number[:k] + draw(st.sampled_from("AXx٣")) + number[k + 1 :]
    elif how == "text":
        number = draw(st.text(min_size=0, max_size=20))
    return normalize_number(number)


@settings(max_examples=300)
@given(st.lists(damaged(), min_size=1, max_size=40))
def test_vectorized_check_equals_the_scalar_rule(numbers: list[str]) -> None:
    batch = resident_ids_accepted(numbers, today=TODAY)
    for i, number in enumerate(numbers):
        parsed = scalar_accepts(number)
        if not number.isascii():
            # Non-ASCII digits (٣) are left to the scalar rule, which the importer falls back to.
            assert not batch.ok[i], number
            continue
        assert bool(batch.ok[i]) is (parsed is not None), number
        if parsed is not None:
            assert batch.birth_date(i) == parsed.birth_date
            assert (Sex.MALE if batch.male[i] else Sex.FEMALE) == parsed.sex
            assert f"{int(batch.region[i]):06d}" == parsed.region_code


def test_leap_days_and_the_date_bounds() -> None:
    def number(date_text: str) -> str:
        body = f"440106{date_text}123"
        return body + check_character(body)

    cases = {"20000229": True, "19000229": False, "20240229": True, "20230229": False, "18991231": False,
             "19000101": True, "20261120": True, "20261121": False}  # fmt: skip
    batch = resident_ids_accepted([number(d) for d in cases], today=TODAY)
    assert [bool(x) for x in batch.ok] == list(cases.values())
    assert all((scalar_accepts(number(d)) is not None) is ok for d, ok in cases.items())


def test_empty_batch() -> None:
    assert len(resident_ids_accepted([], today=TODAY).ok) == 0
