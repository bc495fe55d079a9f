"""证书编号与考核合格规则 — certificate numbers with a check character, exam pass decisions, rate strings.

Pure Python (no Django, no database).

**Certificate number** (证书编号), 19 characters, digits and capital letters::

    RRRRRR YYYY K SSSSSSS C
    440106 2026 S 0000123 ?

- ``RRRRRR`` — the region the certificate is attributed to (the exam venue's county, else the issuing
  organization's region), GB/T 2260;
- ``YYYY`` — the year of issue;
- ``K`` — the kind: ``Q`` 职业资格证书, ``S`` 职业技能等级证书, ``Z`` 专项职业能力证书, ``T`` 培训合格证书, ``X`` other;
- ``SSSSSSS`` — a serial per (region, year, kind), from 0000001;
- ``C`` — the check character of ISO/IEC 7064 MOD 37,36 (hybrid system, alphabet ``0-9A-Z``) over the first 18.

MOD 37,36 catches every single substitution and all but 0.16 % of transpositions of adjacent characters (the
missed ones swap two characters whose values are neighbours, 0↔1, G↔H …), and it works over
letters as well as digits, so the kind letter is protected too. Printed, the number may be grouped with hyphens
(``440106-2026-S-0000123-C``); spaces and hyphens are ignored when a number is read back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_M = len(ALPHABET)  # 36

KIND_LETTERS: dict[str, str] = {"qualification": "Q", "skill_level": "S", "special_ability": "Z", "training": "T"}
OTHER_KIND_LETTER = "X"
NUMBER_LENGTH = 19
SERIAL_DIGITS = 7
_NUMBER_RE = re.compile(r"^\d{6}\d{4}[A-Z]\d{7}[0-9A-Z]$")


def _mod37_36_state(text: str) -> int:
    """The running value of the hybrid system after ``text`` (ISO/IEC 7064, M = 36, M + 1 = 37)."""
    state = _M
    for char in text:
        index = ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"character {char!r} is outside 0-9A-Z")
        state = (state + index) % _M or _M
        state = (state * 2) % (_M + 1)
    return state


def check_character(body: str) -> str:
    """The MOD 37,36 check character that makes ``body + check`` valid."""
    state = _mod37_36_state(body.upper())
    return ALPHABET[(_M + 1 - state) % _M]


def check_character_valid(text: str) -> bool:
    """Whether the last character of ``text`` is the MOD 37,36 check character of the rest."""
    text = text.upper()
    if len(text) < 2:
        return False
    try:
        return check_character(text[:-1]) == text[-1]
    except ValueError:
        return False


def normalize_number(text: str) -> str:
    """Upper case, without spaces and hyphens (full-width ones too)."""
    table = str.maketrans({"－": "-", "—": "-", "　": " "})
    return re.sub(r"[\s\-]+", "", (text or "").translate(table)).upper()


def kind_letter(kind_code: str) -> str:
    return KIND_LETTERS.get(kind_code, OTHER_KIND_LETTER)


def format_number(region_code: str, year: int, kind_code: str, serial: int) -> str:
    """A new certificate number: region, year, kind letter, serial, check character."""
    if not (len(region_code) == 6 and region_code.isdigit()):
        raise ValueError("region code must be six digits")
    if not 1000 <= year <= 9999:
        raise ValueError("year must have four digits")
    if not 0 < serial < 10**SERIAL_DIGITS:
        raise ValueError(f"serial must be 1..{10**SERIAL_DIGITS - 1}")
    body = f"{region_code}{year:04d}{kind_letter(kind_code)}{serial:0{SERIAL_DIGITS}d}"
    return body + check_character(body)


def display_number(number: str) -> str:
    """``4401062026S0000123C`` → ``440106-2026-S-0000123-C``; other numbers unchanged."""
    if not is_platform_number(number):
        return number
    return f"{number[:6]}-{number[6:10]}-{number[10]}-{number[11:18]}-{number[18]}"


def is_platform_number(number: str) -> bool:
    """Whether ``number`` (normalized) has this platform's format and a valid check character."""
    return bool(_NUMBER_RE.match(number)) and check_character_valid(number)


def looks_like_platform_number(number: str) -> bool:
    """Whether ``number`` (normalized) has the platform's shape, whatever its check character."""
    return bool(_NUMBER_RE.match(number))


# ---- pass rules --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRule:
    """合格标准 — the score ranges and pass marks of theory (理论知识) and practical (操作技能) parts.

    A part whose maximum is 0 is not examined (专项职业能力考核 may be practical only)."""

    theory_max: Decimal = Decimal(100)
    practical_max: Decimal = Decimal(100)
    theory_pass: Decimal = Decimal(60)
    practical_pass: Decimal = Decimal(60)

    @property
    def theory_examined(self) -> bool:
        return self.theory_max > 0

    @property
    def practical_examined(self) -> bool:
        return self.practical_max > 0


@dataclass(frozen=True)
class ScoreProblem:
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class Decision:
    passed: bool
    reasons: tuple[str, ...]


def _part_problems(field: str, label: str, score: Decimal | None, maximum: Decimal) -> list[ScoreProblem]:
    if maximum <= 0:
        if score is not None:
            return [ScoreProblem(field, "part_not_examined", f"本职业等级不考{label}，不应录入{label}成绩。")]
        return []
    if score is None:
        return [ScoreProblem(field, "score_required", f"请录入{label}成绩。")]
    if score < 0 or score > maximum:
        return [ScoreProblem(field, "score_out_of_range", f"{label}成绩须在 0–{maximum} 之间，录入的是 {score}。")]
    if score != score.quantize(Decimal("0.1")):
        return [ScoreProblem(field, "score_precision", f"{label}成绩最多保留一位小数：{score}。")]
    return []


def score_problems(rule: ScoreRule, theory: Decimal | None, practical: Decimal | None) -> list[ScoreProblem]:
    """Every problem of a pair of scores under ``rule`` (missing, outside the range, a part that is not examined)."""
    return _part_problems("theory_score", "理论知识", theory, rule.theory_max) + _part_problems(
        "practical_score", "操作技能", practical, rule.practical_max
    )


def decide(rule: ScoreRule, theory: Decimal | None, practical: Decimal | None) -> Decision:
    """合格 when every examined part reaches its pass mark. Call only with scores that have no problems."""
    reasons: list[str] = []
    if rule.theory_examined and (theory is None or theory < rule.theory_pass):
        reasons.append("theory_below_pass")
    if rule.practical_examined and (practical is None or practical < rule.practical_pass):
        reasons.append("practical_below_pass")
    return Decision(passed=not reasons, reasons=tuple(reasons))


# ---- rate strings ------------------------------------------------------------------------------------------------

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400,
            "day": 86400}  # fmt: skip


def parse_rate(text: str) -> tuple[int, int]:
    """``"30/minute"`` → (30 requests, 60 seconds). Also ``s``/``m``/``h``/``d`` and ``N/5minute``-style windows."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-zA-Z]+)\s*", text or "")
    if not match:
        raise ValueError(f"rate must look like 30/minute, not {text!r}")
    count = int(match.group(1))
    multiplier = int(match.group(2) or 1)
    unit = match.group(3).lower().rstrip("s") or "s"
    if unit not in _PERIODS:
        raise ValueError(f"unknown period {match.group(3)!r} (second, minute, hour or day)")
    if count <= 0 or multiplier <= 0:
        raise ValueError("rate and period must be positive")
    return count, multiplier * _PERIODS[unit]
