"""企业新型学徒制补贴预支 — the advance of the apprenticeship subsidy (DOMAIN.md: "up to 50% paid in advance and
recovered if the plan is not completed"). Pure: the standard of one plan year from the policy's amount table, the
advance as a whole percent of it (rounded down to the fen: never more than the percent), and what the year's claim
still pays once the advance is deducted.
"""

from __future__ import annotations

from jineng.rules.subsidy.policy import AmountRow, AmountTable

# The ceiling no region may set above (DOMAIN.md: up to 50 %).
MAX_ADVANCE_PERCENT = 50


def _matches(row: AmountRow, level: str, occupation: str) -> bool:
    occupation_ok = not row.occupation or occupation == row.occupation or occupation.startswith(row.occupation + "-")
    return not row.certificate_kind and not row.per_hour_fen and (not row.level or row.level == level) and occupation_ok


def year_standard_fen(table: AmountTable, *, level: str, occupation: str) -> int | None:
    """The standard of one plan year for the level and occupation (the most specific row; a per-hour or
    certificate row never applies to an apprentice year), before any shortage float; None when no row applies."""
    rows = [row for row in table.rows if _matches(row, level, occupation)]
    if not rows:
        return None
    return max(rows, key=lambda r: r.specificity()).amount_fen


def advance_fen(standard_fen: int, percent: int) -> int:
    """``percent`` (0–50) of the standard, rounded down to the fen."""
    if isinstance(standard_fen, bool) or not isinstance(standard_fen, int) or standard_fen < 0:
        raise ValueError("the standard is a non-negative integer of fen")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= MAX_ADVANCE_PERCENT:
        raise ValueError(f"the advance is a whole percent from 0 to {MAX_ADVANCE_PERCENT}")
    return standard_fen * percent // 100


def payable_after_advance(payable_fen: int, advanced_fen: int) -> int:
    """What the year's claim pays now once the advance is deducted (never below zero)."""
    return max(payable_fen - advanced_fen, 0)
