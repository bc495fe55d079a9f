"""GB 11643 and the other identity documents: tables of rejections and properties over generated numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jineng.rules.idcard import (
    DocType,
    IdRejection,
    ParsedId,
    Sex,
    age_on,
    check_character,
    derived_groups,
    detect_doc_type,
    downgrade_18_to_15,
    normalize_number,
    upgrade_15_to_18,
    validate_id_number,
)

TODAY = dt.date(2026, 6, 1)
KNOWN = {"440106", "110101", "440102", "320102", "510104"}  # 440102 东山区 was retired in 2005


def known(code: str) -> bool:
    return code in KNOWN


def make18(region: str, born: dt.date, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + check_character(body)


def v(raw: str, doc_type: str | None = None) -> ParsedId | IdRejection:
    return validate_id_number(raw, doc_type=doc_type, region_known=known, today=TODAY)


def test_known_published_example_passes():
    # The example number of GB 11643-1999 (北京市朝阳区 110105, born 1949-12-31, female).
    parsed = validate_id_number("11010519491231002X", region_known=lambda c: c == "110105", today=TODAY)
    assert isinstance(parsed, ParsedId)
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex is Sex.FEMALE
    assert parsed.region_code == "110105"


def test_lowercase_x_full_width_and_spaces_are_normalized():
    number = make18("440106", dt.date(1990, 3, 7), 123)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    spaced = f" {number[:6]} {number[6:14]}\u3000{number[14:]} "
    for raw in (fullwidth, spaced, number.lower()):
        parsed = v(raw)
        assert isinstance(parsed, ParsedId), raw
        assert parsed.number == number
    # A number whose check character is X, written with a lower-case x.
    x_number = next(n for n in (make18("440106", dt.date(1990, 3, 7), s) for s in range(1000)) if n.endswith("X"))
    parsed = v(x_number.lower())
    assert isinstance(parsed, ParsedId) and parsed.number == x_number


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id_required"),
        ("   ", "id_required"),
        ("44010619900307123", "id_bad_length"),
        ("4401061990030712345", "id_bad_length"),
        ("44010619900307A234", "id_bad_chars"),
        ("4401061990030712X4", "id_bad_chars"),
        ("4.40106199003071E+17", "id_numeric_precision_lost"),
        ("44010690030712", "id_bad_length"),
        ("44010A900307123", "id_bad_chars"),
    ],
)
def test_structural_rejections(raw, code):
    result = v(raw)
    assert isinstance(result, IdRejection)
    assert result.code == code
    assert result.message  # a Chinese message for each


def test_each_rejection_has_its_own_code():
    cases = {
        "id_bad_checksum": make18("440106", dt.date(1990, 3, 7), 123)[:17]
        + ("0" if make18("440106", dt.date(1990, 3, 7), 123)[17] != "0" else "1"),
        "id_bad_birth_date": "440106" + "19900231" + "123" + check_character("44010619900231123"),
        "id_future_birth_date": make18("440106", dt.date(2027, 1, 1), 123),
        "id_birth_date_too_early": make18("440106", dt.date(1899, 12, 31), 123),
        "id_unknown_region": make18("449999", dt.date(1990, 3, 7), 123),
    }
    for code, raw in cases.items():
        result = v(raw)
        assert isinstance(result, IdRejection), code
        assert result.code == code
    messages = {v(raw).message for raw in cases.values()}  # type: ignore[union-attr]
    assert len(messages) == len(cases)


def test_retired_region_code_is_accepted():
    parsed = v(make18("440102", dt.date(1975, 5, 5), 35))
    assert isinstance(parsed, ParsedId)


def test_fifteen_digit_number_is_upgraded():
    parsed = v("440106750505351")
    assert isinstance(parsed, ParsedId)
    assert parsed.upgraded
    assert parsed.number == upgrade_15_to_18("440106750505351")
    assert parsed.number[6:14] == "19750505"
    assert parsed.sex is Sex.MALE
    assert parsed.original == "440106750505351"


def test_fifteen_digit_with_bad_date_or_region_is_rejected():
    assert v("440106751305351").code == "id_bad_birth_date"  # type: ignore[union-attr]
    assert v("449999750505351").code == "id_unknown_region"  # type: ignore[union-attr]


def test_hmt_residence_permit():
    number = make18("830000", dt.date(1988, 8, 8), 112)
    assert detect_doc_type(number) is DocType.HMT_RESIDENCE_PERMIT
    parsed = v(number)
    assert isinstance(parsed, ParsedId)
    assert parsed.doc_type is DocType.HMT_RESIDENCE_PERMIT
    assert parsed.sex is Sex.FEMALE
    wrong_prefix = make18("440106", dt.date(1988, 8, 8), 112)
    assert v(wrong_prefix, "hmt_residence_permit").code == "id_bad_hmt_prefix"  # type: ignore[union-attr]
    # An HMT number given as a resident ID is a type mismatch, not a region error.
    assert v(number, "resident_id").code == "id_type_mismatch"  # type: ignore[union-attr]


def test_foreign_permanent_resident_2023_format():
    body = "9" + "44" + "156" + "19850412" + "021"
    number = body + check_character(body)
    parsed = v(number)
    assert isinstance(parsed, ParsedId)
    assert parsed.doc_type is DocType.FOREIGN_PERMANENT_RESIDENT
    assert parsed.birth_date == dt.date(1985, 4, 12)
    assert parsed.sex is Sex.MALE
    bad_province = "9" + "99" + "156" + "19850412" + "021"
    assert v(bad_province + check_character(bad_province)).code == "id_bad_foreign_province"  # type: ignore[union-attr]
    bad_nat = "9" + "44" + "000" + "19850412" + "021"
    assert v(bad_nat + check_character(bad_nat)).code == "id_bad_nationality"  # type: ignore[union-attr]
    assert v(number[:17] + ("1" if number[17] != "1" else "2")).code == "id_bad_checksum"  # type: ignore[union-attr]


def test_foreign_permanent_resident_2004_format():
    parsed = v("USA440403120012")
    assert isinstance(parsed, ParsedId)
    assert parsed.doc_type is DocType.FOREIGN_PERMANENT_RESIDENT
    assert parsed.birth_date == dt.date(2004, 3, 12)
    assert parsed.sex is None
    older = v("GBR116807151234")
    assert isinstance(older, ParsedId)
    assert older.birth_date == dt.date(1968, 7, 15)
    assert v("USA990304120012").code == "id_bad_foreign_province"  # type: ignore[union-attr]
    assert v("USA441399120012").code == "id_bad_birth_date"  # type: ignore[union-attr]
    assert v("US1440304120012", "foreign_permanent_resident").code == "id_bad_foreign_format"  # type: ignore[union-attr]


def test_passport_needs_manual_verification():
    parsed = v("E12345678", "passport")
    assert isinstance(parsed, ParsedId)
    assert parsed.needs_manual_verification
    assert v("E1", "passport").code == "id_bad_format"  # type: ignore[union-attr]
    assert v("E12345678", "driving_licence").code == "id_unknown_doc_type"  # type: ignore[union-attr]


def test_derived_groups_as_of_a_date():
    born = dt.date(1990, 6, 15)
    assert derived_groups(sex=Sex.FEMALE, birth_date=born, on=dt.date(2020, 1, 1)) == {"women", "youth"}
    assert derived_groups(sex=Sex.FEMALE, birth_date=born, on=dt.date(2026, 6, 14)) == {"women", "youth"}
    assert derived_groups(sex=Sex.FEMALE, birth_date=born, on=dt.date(2026, 6, 15)) == {"women"}
    assert derived_groups(sex=Sex.MALE, birth_date=born, on=dt.date(2026, 6, 15)) == frozenset()
    assert derived_groups(sex=Sex.MALE, birth_date=born, on=dt.date(2005, 1, 1)) == frozenset()
    assert derived_groups(sex=None, birth_date=None, on=TODAY) == frozenset()
    assert age_on(dt.date(2000, 2, 29), dt.date(2001, 2, 28)) == 0


# ---- properties --------------------------------------------------------------------------------------------------

regions = st.sampled_from(sorted(KNOWN))
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


@given(regions, births, sequences)
def test_generated_valid_numbers_pass_and_tell_birth_and_sex(region, born, seq):
    number = make18(region, born, seq)
    parsed = v(number)
    assert isinstance(parsed, ParsedId)
    assert parsed.number == number
    assert parsed.birth_date == born
    assert parsed.sex is (Sex.MALE if seq % 2 else Sex.FEMALE)


@given(regions, births, sequences, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_fails_the_checksum(region, born, seq, position, delta):
    number = make18(region, born, seq)
    changed_digit = str((int(number[position]) + delta) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    # MOD 11-2 detects every single-digit substitution; the number may also fail earlier (date, region).
    assert check_character(changed[:17]) != changed[17]
    assert isinstance(v(changed), IdRejection)


@given(regions, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), sequences)
def test_fifteen_to_eighteen_round_trip(region, born, seq):
    number18 = make18(region, born, seq)
    number15 = downgrade_18_to_15(number18)
    assert number15 is not None and len(number15) == 15
    assert upgrade_15_to_18(number15) == number18
    parsed = v(number15)
    assert isinstance(parsed, ParsedId)
    assert parsed.number == number18


@given(st.text(max_size=30))
def test_validation_never_raises(raw):
    result = v(raw)
    assert isinstance(result, ParsedId | IdRejection)


@given(st.text(alphabet="0123456789Xx \u3000０１２３４５６７８９", min_size=1, max_size=25))
def test_normalization_is_idempotent(raw):
    once = normalize_number(raw)
    assume(once)
    assert normalize_number(once) == once


@pytest.mark.parametrize("digit", ["٣", "۳", "३", "³"])
def test_digits_of_other_scripts_are_refused_not_read_as_numbers(digit):
    """str.isdigit accepts them and NFKC keeps some of them: an ID number holds only 0–9 (and a final X)."""
    valid = make18("440106", dt.date(1990, 3, 7), 123)
    for position in (0, 10, 17):
        tampered = valid[:position] + digit + valid[position + 1 :]
        result = v(tampered)
        assert isinstance(result, IdRejection), tampered
    legacy = valid[:6] + valid[8:17]
    result = v(legacy[:3] + digit + legacy[4:])
    assert isinstance(result, IdRejection)


# ---- 证件类型 by name: the one synonym table the person and roster imports and the forms read --------------------


def test_every_label_code_and_short_name_names_its_document_type():
    from jineng.rules.idcard import DOC_TYPE_LABELS, DOC_TYPE_NAMES, doc_type_named

    for doc_type, label in DOC_TYPE_LABELS.items():
        assert doc_type_named(label) is doc_type and doc_type_named(doc_type.value) is doc_type
    for name in ("身份证", "居民身份证", "护照", "台胞证", "港澳通行证", "回乡证", "港澳居民居住证"):
        assert DOC_TYPE_NAMES[name] is doc_type_named(name)
    assert doc_type_named("身份正") is None and doc_type_named("") is None and doc_type_named(None) is None


@given(st.sampled_from(["居民身份证", "身份证", "resident_id"]), st.lists(st.sampled_from([" ", "\u3000", "\t"]), max_size=3),
       st.integers(min_value=0, max_value=5))  # fmt: skip
def test_a_resident_id_is_validated_whatever_its_type_is_called(name, spaces, at):
    """Before: the roster import passed 居民身份证 straight to ``DocType(...)`` and refused the template's own value
    with ``id_unknown_doc_type``."""
    import datetime as dt

    from jineng.rules.idcard import ParsedId, validate_id_number

    cell = name[:at] + "".join(spaces) + name[at:]
    number = "11010519491231002X"
    result = validate_id_number(number, doc_type=cell, region_known=lambda _code: True, today=dt.date(2026, 1, 1))
    assert isinstance(result, ParsedId) and result.number == number
