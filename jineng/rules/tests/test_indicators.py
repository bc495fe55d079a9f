"""Indicator maths: cumulative actuals by kind, time elapsed, progress (flow vs stock), the on-track signal, the
opening-stock adjustment — tables and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.indicators import (
    ANNUAL,
    ANNUAL_AVERAGE,
    FLOW,
    KINDS,
    STOCK,
    Signal,
    TargetSpec,
    additive_check,
    as_of_date,
    cumulative,
    opening_adjustment,
    period_target,
    progress,
    share_of_target,
    signal,
    time_elapsed,
)

FIVE_YEARS = {"period_start": 2021, "period_end": 2025}


def spec(kind: str = FLOW, value: int = 1000, baseline: int | None = None) -> TargetSpec:
    return TargetSpec(kind=kind, value=value, baseline=baseline, **FIVE_YEARS)


YEARLY = {2020: 7, 2021: 10, 2022: 20, 2023: 30, 2024: 40, 2025: 50}


@pytest.mark.parametrize(
    ("kind", "year", "expected"),
    [
        (FLOW, 2021, 10),  # the year before the period (2020) is not counted
        (FLOW, 2023, 60),
        (FLOW, 2025, 150),
        (ANNUAL_AVERAGE, 2024, 100),
        (STOCK, 2023, 30),  # a stock is its year-end figure
        (ANNUAL, 2022, 20),
        (FLOW, 2026, 150),
    ],
)
def test_cumulative_by_kind(kind, year, expected):
    assert cumulative(kind, YEARLY, period_start=2021, year=year) == expected


@pytest.mark.parametrize(
    ("kind", "as_of", "expected"),
    [
        (FLOW, dt.date(2020, 12, 31), 0.0),
        (FLOW, dt.date(2021, 12, 31), 365 / 1826),
        (FLOW, dt.date(2023, 12, 31), 1095 / 1826),
        (FLOW, dt.date(2025, 12, 31), 1.0),
        (FLOW, dt.date(2030, 1, 1), 1.0),
        (ANNUAL, dt.date(2023, 7, 2), 183 / 365),
    ],
)
def test_time_elapsed_is_the_share_of_days(kind, as_of, expected):
    assert time_elapsed(spec(kind), year=as_of.year, as_of=as_of) == pytest.approx(expected)


def test_as_of_is_the_year_end_or_today():
    assert as_of_date(2023, dt.date(2026, 3, 1)) == dt.date(2023, 12, 31)
    assert as_of_date(2026, dt.date(2026, 3, 1)) == dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        (spec(FLOW, 1000), 250, 0.25),
        (spec(FLOW, 1000), None, None),
        (spec(FLOW, 1000), 1500, 1.5),
        # stock: (actual − baseline) / (target − baseline): 57 → 70, at 60 → 3/13
        (spec(STOCK, 70, baseline=57), 60, 3 / 13),
        (spec(STOCK, 70, baseline=57), 57, 0.0),
        (spec(STOCK, 70, baseline=57), 50, -7 / 13),
        (spec(STOCK, 380), 190, 0.5),  # no baseline: from 0
        (spec(STOCK, 70, baseline=70), 70, 1.0),
        (spec(STOCK, 70, baseline=70), 69, None),
        (spec(ANNUAL_AVERAGE, 100), 250, 0.5),  # 100 a year over 5 years
        (spec(ANNUAL, 20), 10, 0.5),
    ],
)
def test_progress_table(target, actual, expected):
    got = progress(target, actual)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("target", "actual", "as_of", "expected"),
    [
        (spec(FLOW, 1000), None, dt.date(2023, 12, 31), Signal.NO_DATA),
        (spec(FLOW, 1000), 1000, dt.date(2022, 12, 31), Signal.MET),
        (spec(FLOW, 1000), 700, dt.date(2023, 12, 31), Signal.ON_TRACK),  # 0.7 ≥ 0.6
        (spec(FLOW, 1000), 500, dt.date(2023, 12, 31), Signal.AT_RISK),  # 0.5 ≥ 0.8 × 0.6
        (spec(FLOW, 1000), 300, dt.date(2023, 12, 31), Signal.BEHIND),
        (spec(STOCK, 70, baseline=57), 65, dt.date(2023, 12, 31), Signal.ON_TRACK),  # 8/13 ≥ 0.6
        (spec(STOCK, 70, baseline=57), 60, dt.date(2023, 12, 31), Signal.BEHIND),  # 3/13
    ],
)
def test_signal_table(target, actual, as_of, expected):
    assert signal(target, actual, year=as_of.year, as_of=as_of) == expected


def test_not_started_before_the_period():
    assert signal(spec(FLOW), 0, year=2021, as_of=dt.date(2020, 12, 31)) == Signal.NOT_STARTED


def test_opening_adjustment_counts_only_what_the_platform_does_not_hold():
    assert opening_adjustment(4_450_000, 0) == 4_450_000
    assert opening_adjustment(57, 57) == 0
    assert opening_adjustment(None, 12) == 0


@given(st.sampled_from(KINDS), st.integers(1, 10**8), st.integers(0, 10**8))
def test_progress_is_actual_over_the_period_target_unless_a_stock(kind, value, actual):
    t = spec(kind, value)
    if kind == STOCK:
        assert progress(t, actual) == pytest.approx(actual / value)
    else:
        assert progress(t, actual) == pytest.approx(actual / period_target(t))
    assert share_of_target(t, actual) == pytest.approx(actual / period_target(t))


@given(st.integers(1, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
def test_stock_progress_is_the_share_of_the_planned_increase(target, baseline, actual):
    if target == baseline:
        return
    t = spec(STOCK, target, baseline=baseline)
    got = progress(t, actual)
    assert got is not None
    assert got * (target - baseline) == pytest.approx(actual - baseline, rel=1e-9, abs=1e-6)


@given(st.dates(dt.date(2019, 1, 1), dt.date(2027, 12, 31)), st.dates(dt.date(2019, 1, 1), dt.date(2027, 12, 31)))
def test_time_elapsed_grows_with_the_date_within_zero_and_one(a, b):
    early, late = sorted([a, b])
    t = spec(FLOW)
    x, y = time_elapsed(t, year=early.year, as_of=early), time_elapsed(t, year=late.year, as_of=late)
    assert 0 <= x <= y <= 1


@given(st.dictionaries(st.integers(2018, 2028), st.integers(0, 10**6)), st.integers(2021, 2025))
def test_a_flow_actual_grows_year_on_year_and_never_counts_before_the_period(yearly, year):
    now = cumulative(FLOW, yearly, period_start=2021, year=year)
    assert now >= cumulative(FLOW, yearly, period_start=2021, year=year - 1)
    assert now == sum(v for y, v in yearly.items() if 2021 <= y <= year)


@given(st.integers(0, 10**6), st.lists(st.integers(0, 10**6), max_size=30))
def test_additive_check(own, children):
    assert additive_check(own + sum(children), own, children)
    assert not additive_check(own + sum(children) + 1, own, children)


@given(st.integers(0, 2 * 10**6), st.dates(dt.date(2021, 1, 1), dt.date(2025, 12, 31)))
def test_more_actual_never_gives_a_worse_signal(actual, as_of):
    order = [Signal.BEHIND, Signal.AT_RISK, Signal.ON_TRACK, Signal.MET]
    t = spec(FLOW, 10**6)
    a = signal(t, actual, year=as_of.year, as_of=as_of)
    b = signal(t, actual + 1000, year=as_of.year, as_of=as_of)
    assert order.index(b) >= order.index(a)


def test_bad_specs_are_refused():
    with pytest.raises(ValueError):
        TargetSpec(kind="monthly", value=1, period_start=2021, period_end=2025)
    with pytest.raises(ValueError):
        TargetSpec(kind=FLOW, value=1, period_start=2025, period_end=2021)
    with pytest.raises(ValueError):
        cumulative("monthly", {}, period_start=2021, year=2021)
