"""The pure rules: 求人倍率, the shortage draft rule, wage percentiles and suppression."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.labour import (
    QuarterCount,
    demand_ratio,
    percentile,
    previous_quarters,
    shortage_candidates,
    wage_cell,
)

pays = st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=200)


def test_demand_ratio_and_its_edges():
    assert demand_ratio(30, 12) == Fraction(5, 2)
    assert demand_ratio(0, 12) == 0
    assert demand_ratio(5, 0) is None  # vacancies and nobody applying: above any threshold
    assert demand_ratio(0, 0) == 0
    with pytest.raises(ValueError):
        demand_ratio(-1, 3)


def test_shortage_rule_needs_every_quarter_of_the_window():
    counts = {
        "A": [QuarterCount(30, 10), QuarterCount(30, 10)],  # 3.0, 3.0
        "B": [QuarterCount(10, 10), QuarterCount(30, 10)],  # 1.0 then 3.0: only one quarter
        "C": [QuarterCount(3, 0), QuarterCount(2, 0)],  # nobody applying at all
        "D": [QuarterCount(0, 0), QuarterCount(0, 0)],  # nothing
        "E": [QuarterCount(15, 10), QuarterCount(15, 10)],  # exactly at 1.5
    }
    assert shortage_candidates(counts, threshold=Fraction(3, 2), quarters=2) == ["A", "C", "E"]
    assert shortage_candidates(counts, threshold=Fraction(3, 2), quarters=1) == ["A", "B", "C", "E"]


@given(st.dictionaries(st.sampled_from("ABCDEFG"),
                       st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=3, max_size=3)),
       st.integers(1, 3), st.integers(50, 400))  # fmt: skip
def test_shortage_rule_is_the_definition(data, quarters, percent):
    counts = {k: [QuarterCount(v, s) for v, s in series] for k, series in data.items()}
    threshold = Fraction(percent, 100)
    chosen = shortage_candidates(counts, threshold=threshold, quarters=quarters)
    for code, series in counts.items():
        window = series[-quarters:]
        expected = all(q.vacancies > 0 and (q.seekers == 0 or Fraction(q.vacancies, q.seekers) >= threshold)
                       for q in window)  # fmt: skip
        assert (code in chosen) == expected


def test_percentiles_interpolate_between_order_statistics():
    values = [10, 20, 30, 40, 50]
    assert [percentile(values, p) for p in (10, 25, 50, 75, 90)] == [14, 20, 30, 40, 46]
    assert percentile([100, 201], 50) == 151  # 150.5 rounds half up


@given(pays)
def test_percentiles_are_ordered_and_within_the_sample(values):
    ordered = sorted(values)
    figures = [percentile(ordered, p) for p in (0, 10, 25, 50, 75, 90, 100)]
    assert figures == sorted(figures)
    assert figures[0] == ordered[0] and figures[-1] == ordered[-1]


@given(pays, st.integers(1, 50))
def test_a_cell_under_the_minimum_sample_publishes_only_its_size(values, minimum):
    cell = wage_cell(values, min_sample=minimum)
    assert cell.sample_size == len(values)
    if len(values) < minimum:
        assert cell.suppressed and (cell.p10, cell.p25, cell.p50, cell.p75, cell.p90) == (None,) * 5
    else:
        assert cell.p10 <= cell.p25 <= cell.p50 <= cell.p75 <= cell.p90


def test_previous_quarters_cross_the_year():
    assert previous_quarters(2026, 1, 3) == [(2025, 3), (2025, 4), (2026, 1)]
