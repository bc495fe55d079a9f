"""Indicator maths (指标测算) — how an indicator's yearly figures become the actual shown beside a target, its
progress, the share of the plan period elapsed, and the on-track signal.

Pure Python (no Django, no database). Figures are integers in base units (人次, 人, 个).

Kinds of target (``refdata.TargetKind``):

- ``flow`` — a total over the plan period: the actual up to year Y is the sum of the yearly figures from the plan's
  first year to Y; progress = actual / target.
- ``stock`` — a total at the period's end: the actual in year Y is the figure at the end of Y (plus the sourced
  opening stock where the platform does not hold the history); progress = (actual − baseline) / (target −
  baseline), the share of the planned increase achieved (baseline 0 when the plan gives none).
- ``annual`` — every year: the actual is the figure of year Y alone; progress = that figure / target.
- ``annual_average`` — on average a year: the actual is the sum over the period so far, the target over the
  period is target × the period's years; progress = actual / (target × years).

Time elapsed is the share of the period's days gone by at the as-of date (the year's end, or today within the
current year); for an ``annual`` target it is the share of the year. The signal compares progress with time
elapsed: ``met`` once the target is reached, ``on_track`` when progress ≥ time elapsed, ``at_risk`` when it is at
least ``AT_RISK_RATIO`` of it, else ``behind``; ``no_data`` without an actual, ``not_started`` before the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

FLOW = "flow"
STOCK = "stock"
ANNUAL = "annual"
ANNUAL_AVERAGE = "annual_average"
KINDS = (FLOW, STOCK, ANNUAL, ANNUAL_AVERAGE)

# Progress at 80 % of the time elapsed or more is "at risk" rather than "behind".
AT_RISK_RATIO = 0.8


class Signal(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"
    NOT_APPLICABLE = "not_applicable"  # a region below the target's region: no target of its own


SIGNAL_LABELS: dict[Signal, str] = {
    Signal.MET: "已完成",
    Signal.ON_TRACK: "进度正常",
    Signal.AT_RISK: "略有滞后",
    Signal.BEHIND: "明显滞后",
    Signal.NOT_STARTED: "未开始",
    Signal.NO_DATA: "暂无数据",
    Signal.NOT_APPLICABLE: "下级地区无分解目标",
}


@dataclass(frozen=True)
class TargetSpec:
    """What the maths needs of a plan target (规划指标)."""

    kind: str
    value: int
    period_start: int
    period_end: int
    baseline: int | None = None
    value_max: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown target kind {self.kind!r}")
        if self.period_end < self.period_start:
            raise ValueError("period ends before it starts")

    @property
    def years(self) -> int:
        return self.period_end - self.period_start + 1

    def covers(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end


def cumulative(kind: str, yearly: Mapping[int, int], *, period_start: int, year: int) -> int:
    """The actual up to the end of ``year`` from yearly figures: a flow (and an annual average) sums the years from
    the period's start; a stock and an annual target take the figure of ``year`` itself."""
    if kind in (FLOW, ANNUAL_AVERAGE):
        return sum(v for y, v in yearly.items() if period_start <= y <= year)
    if kind in (STOCK, ANNUAL):
        return yearly.get(year, 0)
    raise ValueError(f"unknown target kind {kind!r}")


def as_of_date(year: int, today: dt.date) -> dt.date:
    """The date a year's figures stand at: its last day, or today while the year is running."""
    return min(dt.date(year, 12, 31), today)


def _days_share(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """Share of the days from ``start`` to ``end`` (both included) gone by at the end of ``as_of``."""
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def time_elapsed(spec: TargetSpec, *, year: int, as_of: dt.date) -> float:
    """The share of the period (of the year, for an annual target) gone by at ``as_of`` (0 … 1)."""
    if spec.kind == ANNUAL:
        return _days_share(dt.date(year, 1, 1), dt.date(year, 12, 31), as_of)
    return _days_share(dt.date(spec.period_start, 1, 1), dt.date(spec.period_end, 12, 31), as_of)


def period_target(spec: TargetSpec) -> int:
    """What the actual is compared with: the target over the whole period (× years for an annual average)."""
    return spec.value * spec.years if spec.kind == ANNUAL_AVERAGE else spec.value


def progress(spec: TargetSpec, actual: int | None) -> float | None:
    """Progress towards the target (1.0 = reached; may exceed 1). None without an actual, or for a stock whose
    target equals its baseline (no increase planned) when nothing can be divided."""
    if actual is None:
        return None
    if spec.kind == STOCK:
        baseline = spec.baseline or 0
        if spec.value == baseline:
            return 1.0 if actual >= spec.value else None
        return (actual - baseline) / (spec.value - baseline)
    target = period_target(spec)
    if target <= 0:
        return None
    return actual / target


def share_of_target(spec: TargetSpec, actual: int | None) -> float | None:
    """A region below the target's region has no target of its own: its actual as a share of the whole target."""
    if actual is None:
        return None
    target = period_target(spec)
    return actual / target if target > 0 else None


def is_met(spec: TargetSpec, actual: int | None) -> bool:
    """Whether the target is reached (≥ the value; for a range, ≥ its lower end)."""
    if actual is None:
        return False
    return actual >= period_target(spec)


def signal(spec: TargetSpec, actual: int | None, *, year: int, as_of: dt.date) -> Signal:
    """The on-track signal of the target's own region at ``as_of``."""
    if actual is None:
        return Signal.NO_DATA
    if is_met(spec, actual):
        return Signal.MET
    elapsed = time_elapsed(spec, year=year, as_of=as_of)
    if elapsed <= 0:
        return Signal.NOT_STARTED
    done = progress(spec, actual)
    if done is None:
        return Signal.NO_DATA
    if done >= elapsed:
        return Signal.ON_TRACK
    if done >= AT_RISK_RATIO * elapsed:
        return Signal.AT_RISK
    return Signal.BEHIND


def opening_adjustment(opening_stock: int | None, platform_stock_at_opening: int) -> int:
    """The part of a sourced opening stock that the platform's own records do not hold.

    The stock at year Y is then ``platform stock(Y) + adjustment`` = opening stock + the net change the platform
    recorded since the opening year — right whether or not the history before the plan was entered.
    """
    if opening_stock is None:
        return 0
    return opening_stock - platform_stock_at_opening


def additive_check(actual: int, own: int, children: list[int]) -> bool:
    """For an additive indicator a region's actual is its own share plus its children's actuals."""
    return actual == own + sum(children)
