"""Labour-market rules (pure): the demand ratio (求人倍率), the shortage draft rule, wage percentiles (工资价位).

- **求人倍率** of an occupation in a region and quarter = vacancies (the sum of the openings posted in the quarter)
  / job seekers (the registrations in the quarter). No seekers and some vacancies: the ratio is undefined
  (``None``) and counts as above any threshold ("no one applies"); no vacancies: 0.
- **Shortage draft**: an occupation is proposed for the 急需紧缺职业目录 when its ratio is at or above the threshold
  in each of the last N quarters (a quarter without any vacancy never qualifies).
- **Wage levels**: P10 … P90 by linear interpolation between order statistics (the "type 7" definition, as
  spreadsheets' PERCENTILE.INC), in whole yuan, half up. A cell with fewer records than the minimum sample is
  suppressed: its five figures are None, its sample size is still published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

PERCENTILES = (10, 25, 50, 75, 90)


def demand_ratio(vacancies: int, seekers: int) -> Fraction | None:
    """求人倍率 as an exact fraction; None when there are vacancies but no seekers."""
    if vacancies < 0 or seekers < 0:
        raise ValueError("counts cannot be negative")
    if seekers == 0:
        return None if vacancies else Fraction(0)
    return Fraction(vacancies, seekers)


def ratio_at_least(ratio: Fraction | None, vacancies: int, threshold: Fraction) -> bool:
    if vacancies <= 0:
        return False
    return ratio is None or ratio >= threshold


@dataclass(frozen=True)
class QuarterCount:
    vacancies: int
    seekers: int


def shortage_candidates(
    counts: Mapping[str, Sequence[QuarterCount]], *, threshold: Fraction, quarters: int
) -> list[str]:
    """Occupation codes whose ratio is ≥ threshold in each of their last ``quarters`` quarters (the sequences are
    oldest first and each has one entry per quarter of the window, zeros included)."""
    if quarters < 1:
        raise ValueError("quarters must be at least 1")
    out = []
    for code, series in counts.items():
        window = list(series)[-quarters:]
        if len(window) < quarters:
            continue
        if all(ratio_at_least(demand_ratio(q.vacancies, q.seekers), q.vacancies, threshold) for q in window):
            out.append(code)
    return sorted(out)


def percentile(sorted_values: Sequence[int], p: int) -> int:
    """The p-th percentile (0–100) of ascending values by linear interpolation, rounded half up to a whole unit."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be within 0..100")
    n = len(sorted_values)
    position = Fraction(p * (n - 1), 100)
    low = int(position)
    high = min(low + 1, n - 1)
    exact = sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)
    return int(exact + Fraction(1, 2)) if exact >= 0 else -int(-exact + Fraction(1, 2))


@dataclass(frozen=True)
class WageCell:
    sample_size: int
    p10: int | None
    p25: int | None
    p50: int | None
    p75: int | None
    p90: int | None

    @property
    def suppressed(self) -> bool:
        return self.p50 is None


def wage_cell(values: Sequence[int], *, min_sample: int) -> WageCell:
    """The five percentiles of a cell, or None for each when the sample is below ``min_sample`` (or empty)."""
    n = len(values)
    if n == 0 or n < min_sample:
        return WageCell(n, None, None, None, None, None)
    ordered = sorted(values)
    p10, p25, p50, p75, p90 = (percentile(ordered, p) for p in PERCENTILES)
    return WageCell(n, p10, p25, p50, p75, p90)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def previous_quarters(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """The ``count`` quarters ending with (year, quarter), oldest first."""
    out = []
    y, q = year, quarter
    for _ in range(count):
        out.append((y, q))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    return list(reversed(out))
