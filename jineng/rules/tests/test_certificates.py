"""Certificate numbers (MOD 37,36 check character), pass decisions and rate strings — pure, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.certificates import (
    ALPHABET,
    ScoreRule,
    check_character,
    check_character_valid,
    decide,
    display_number,
    format_number,
    is_platform_number,
    looks_like_platform_number,
    normalize_number,
    parse_rate,
    score_problems,
)

BODIES = st.text(alphabet=ALPHABET, min_size=1, max_size=30)


def test_the_iso_7064_mod_37_36_reference_value():
    # The worked example used by implementations of ISO/IEC 7064 MOD 37,36 (hybrid system, alphanumeric).
    assert check_character("A12425GABC1234002") == "M"
    assert check_character_valid("A12425GABC1234002M")
    assert not check_character_valid("A12425GABC1234002N")


@given(BODIES)
def test_a_body_with_its_check_character_is_valid(body):
    assert check_character_valid(body + check_character(body))


@given(BODIES, st.data())
def test_every_single_substitution_is_detected(body, data):
    number = body + check_character(body)
    i = data.draw(st.integers(0, len(number) - 1))
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != number[i]]))
    assert not check_character_valid(number[:i] + replacement + number[i + 1 :])


def _neighbours(a: str, b: str) -> bool:
    return (ALPHABET.index(a) - ALPHABET.index(b)) % 36 in (1, 35)


@given(BODIES, st.data())
def test_adjacent_transpositions_are_detected_unless_the_two_characters_are_neighbours(body, data):
    """A hybrid ISO 7064 system misses a few adjacent transpositions: only of two characters whose values are
    neighbours modulo 36 (0↔1, G↔H, Z↔0 …), and only for some preceding states."""
    number = body + check_character(body)
    i = data.draw(st.integers(0, len(number) - 2))
    if number[i] == number[i + 1] or _neighbours(number[i], number[i + 1]):
        return
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    assert not check_character_valid(swapped)


def test_undetected_adjacent_transpositions_are_rare_and_all_of_neighbours():
    """Exhaustively over every 3-character body (every preceding state, every position, the check character
    included): fewer than 0.2 % of adjacent transpositions pass, and each of them swaps neighbours."""
    import itertools

    missed, total = [], 0
    for body in map("".join, itertools.product(ALPHABET, repeat=3)):
        number = body + check_character(body)
        for i in range(len(number) - 1):
            if number[i] == number[i + 1]:
                continue
            total += 1
            if check_character_valid(number[:i] + number[i + 1] + number[i] + number[i + 2 :]):
                missed.append((number[i], number[i + 1]))
    assert total == 136_080
    assert 0 < len(missed) < 0.002 * total
    assert all(_neighbours(a, b) for a, b in missed)


@given(st.sampled_from(["440106", "110101", "441900"]), st.integers(2000, 2099),
       st.sampled_from(["qualification", "skill_level", "special_ability", "training", "other"]),
       st.integers(1, 9_999_999))  # fmt: skip
def test_numbers_have_the_documented_format(region, year, kind, serial):
    number = format_number(region, year, kind, serial)
    assert len(number) == 19 and number.startswith(f"{region}{year}")
    assert number[10] in "QSZTX" and int(number[11:18]) == serial
    assert is_platform_number(number) and looks_like_platform_number(number)
    assert normalize_number(display_number(number).lower()) == number


@pytest.mark.parametrize(("region", "year", "serial"), [("4401", 2026, 1), ("440106", 26, 1), ("440106", 2026, 0),
                                                        ("440106", 2026, 10**7)])  # fmt: skip
def test_bad_number_parts_are_refused(region, year, serial):
    with pytest.raises(ValueError):
        format_number(region, year, "skill_level", serial)


def test_normalize_number_ignores_spaces_and_hyphens_of_either_width():
    assert normalize_number(" 440106－2026 s-0000123 ") == "4401062026S0000123"


RULE = ScoreRule()
PRACTICAL_ONLY = ScoreRule(theory_max=Decimal(0), theory_pass=Decimal(0))


@pytest.mark.parametrize(
    ("rule", "theory", "practical", "passed", "reasons"),
    [
        (RULE, "60", "60", True, ()),
        (RULE, "59.9", "100", False, ("theory_below_pass",)),
        (RULE, "100", "59.5", False, ("practical_below_pass",)),
        (RULE, "0", "0", False, ("theory_below_pass", "practical_below_pass")),
        (PRACTICAL_ONLY, None, "60", True, ()),
        (ScoreRule(Decimal(150), Decimal(100), Decimal(90), Decimal(70)), "90", "70", True, ()),
    ],
)
def test_pass_decisions(rule, theory, practical, passed, reasons):
    t = Decimal(theory) if theory is not None else None
    decision = decide(rule, t, Decimal(practical))
    assert (decision.passed, decision.reasons) == (passed, reasons)


@pytest.mark.parametrize(
    ("rule", "theory", "practical", "codes"),
    [
        (RULE, "101", "50", ["score_out_of_range"]),
        (RULE, "-1", "50", ["score_out_of_range"]),
        (RULE, None, None, ["score_required", "score_required"]),
        (RULE, "80.55", "80", ["score_precision"]),
        (PRACTICAL_ONLY, "80", "80", ["part_not_examined"]),
        (RULE, "100", "0", []),
    ],
)
def test_score_problems(rule, theory, practical, codes):
    to_dec = lambda v: Decimal(v) if v is not None else None  # noqa: E731
    assert [p.code for p in score_problems(rule, to_dec(theory), to_dec(practical))] == codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30/minute", (30, 60)), ("5/s", (5, 1)), ("100/hour", (100, 3600)), ("1000/day", (1000, 86400)),
     ("10/5minutes", (10, 300)), (" 7 / minutes ", (7, 60))],
)  # fmt: skip
def test_rates(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "30", "thirty/minute", "30/fortnight", "0/minute", "30/0minute"])
def test_bad_rates(text):
    with pytest.raises(ValueError):
        parse_rate(text)
