"""Supervision rules without a database: tables for the definitions and properties (hypothesis) for the logic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules import supervision as R


def test_every_rule_is_defined_once_with_its_thresholds_in_range():
    assert set(R.INJECTED) <= set(R.RULES)
    for rule in R.RULES.values():
        assert rule.name and rule.reads and rule.why and rule.false_positives
        for t in rule.thresholds:
            assert t.minimum <= t.default <= t.maximum


@pytest.mark.parametrize(("value", "ok"), [(5, True), (2, True), (100, True), (1, False), (101, False), (-3, False)])
def test_threshold_check_names_the_range(value, ok):
    message = R.threshold_check(R.MIN_PERSONS.key, value)
    assert (message is None) == ok
    if not ok:
        assert "2–100" in message


@given(st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 30))), st.integers(1, 8))
def test_clusters_are_exactly_the_keys_with_enough_distinct_members(pairs, n):
    found = {c.key: set(c.members) for c in R.clusters(pairs, n)}
    expected: dict[str, set[int]] = {}
    for key, member in pairs:
        expected.setdefault(key, set()).add(member)
    assert found == {k: v for k, v in expected.items() if len(v) >= n}


def test_an_empty_key_is_no_cluster():
    assert R.clusters([("", 1), ("", 2), (None, 3)], 1) == []


dates = st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))


@st.composite
def bookings(draw):
    out = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(dates)
        out.append(R.Booking(f"e{i}", draw(st.sampled_from(["c1", "c2", "c3"])), start,
                             start + dt.timedelta(days=draw(st.integers(0, 40)))))  # fmt: skip
    return out


@given(bookings())
def test_overlapping_pairs_are_every_overlap_of_different_classes_once(items):
    pairs = {frozenset((a.enrollment, b.enrollment)) for a, b in R.overlapping_pairs(items)}
    expected = {
        frozenset((a.enrollment, b.enrollment))
        for i, a in enumerate(items) for b in items[i + 1 :]
        if a.klass != b.klass and a.start <= b.end and b.start <= a.end
    }  # fmt: skip
    assert pairs == expected
    assert len(R.overlapping_pairs(items)) == len(pairs)


coords = st.tuples(st.floats(-80, 80), st.floats(-179, 179))


@given(coords, coords)
def test_great_circle_is_a_symmetric_non_negative_distance(p, q):
    d = R.great_circle_km(*p, *q)
    assert d >= 0 and d == pytest.approx(R.great_circle_km(*q, *p), abs=1e-6)
    assert R.great_circle_km(*p, *p) == pytest.approx(0, abs=1e-6)
    assert d <= 20_016  # half the earth's circumference


def test_great_circle_known_distance():
    # Guangzhou Tianhe to Shenzhen Futian: about 98 km in a straight line.
    assert R.great_circle_km(23.1291, 113.3612, 22.5431, 114.0579) == pytest.approx(97.6, abs=2)
    # One degree of latitude: 111.2 km.
    assert R.great_circle_km(23.0, 113.0, 24.0, 113.0) == pytest.approx(111.19, abs=0.05)


@pytest.mark.parametrize(("status", "deceased", "unemployed", "expected"), [
    ("retired", False, False, "退休人员"), ("student", False, True, "全日制在校学生"), ("employed", False, True,
    "已就业人员按失业人员报名"), ("employed", False, False, None), ("unemployed", False, True, None),
    ("unemployed", True, True, "已死亡人员"),
])  # fmt: skip
def test_ghost_reason(status, deceased, unemployed, expected):
    assert R.ghost_reason(status=status, deceased=deceased, claimed_unemployed=unemployed) == expected


@given(st.integers(0, 400), dates, st.integers(0, 60), st.integers(1, 10))
def test_completion_too_fast_iff_more_hours_than_days_hold(hours, start, span, per_day):
    end = start + dt.timedelta(days=span)
    assert R.completion_too_fast(credited_hours=hours, start=start, end=end, per_day_max=per_day) == (
        hours > (span + 1) * per_day
    )


@given(st.integers(0, 1000), st.integers(1, 1000), st.floats(0.01, 0.99))
def test_binomial_z_sign_follows_the_rate(successes, trials, p0):
    successes = min(successes, trials)
    z = R.binomial_z(successes, trials, p0)
    rate = successes / trials
    assert (z > 0) == (rate > p0) or abs(rate - p0) < 1e-12


def test_rate_outliers_flag_the_unit_far_from_the_others_only():
    units = [R.RateUnit(f"p{i}", "city", 70, 100) for i in range(8)] + [
        R.RateUnit("odd", "city", 100, 100),
        R.RateUnit("small", "city", 10, 10),
    ]
    out = R.rate_outliers(units, z_crit=3.29, min_trials=30)
    assert [o.unit for o in out] == ["odd"] and out[0].z > 3.29


def test_case_fingerprint_ignores_order():
    assert R.case_fingerprint("double_booking", ["b", "a"]) == R.case_fingerprint("double_booking", ["a", "b"])
    assert R.case_fingerprint("double_booking", ["a"]) != R.case_fingerprint("far_attendance", ["a"])


@pytest.mark.parametrize(("source", "target", "ok"), [
    ("new", "investigating", True), ("new", "confirmed", False), ("investigating", "confirmed", True),
    ("investigating", "dismissed", True), ("confirmed", "closed", True), ("dismissed", "closed", True),
    ("closed", "new", False), ("confirmed", "dismissed", False), ("new", "nonsense", False),
])  # fmt: skip
def test_case_workflow(source, target, ok):
    assert R.transition_allowed(source, target) == ok


@given(st.integers(0, 50), st.integers(0, 100), st.integers(0, 50), st.floats(0, 50), st.integers(0, 50))
def test_risk_score_is_bounded_and_explained(confirmed, open_weighted, extra_decided, z, complaints):
    score = R.risk_score(confirmed=confirmed, open_weighted=open_weighted, decided=confirmed + extra_decided,
                         outlier_z=z, z_crit=3.29, complaints=complaints)  # fmt: skip
    assert 0 <= score.score <= 100
    assert sum(c.weight for c in score.components) == 100
    assert {c.code for c in score.components} == {"confirmed", "open", "complaints", "outlier", "dismissed_share"}
    assert score.score == pytest.approx(min(100.0, sum(c.points for c in score.components)), abs=0.05)
    assert all(0 <= c.points <= c.weight for c in score.components)


@given(st.integers(0, 20), st.integers(0, 20))
def test_more_complaints_never_lower_the_score(a, b):
    low, high = sorted((a, b))
    score = [R.risk_score(confirmed=1, open_weighted=2, decided=2, outlier_z=1.0, z_crit=3.29, complaints=n).score
             for n in (low, high)]  # fmt: skip
    assert score[0] <= score[1]
    assert R.risk_score(confirmed=0, open_weighted=0, decided=0, outlier_z=0, z_crit=3.29, complaints=3).score == 10


def test_risk_score_grows_with_confirmed_cases():
    low = R.risk_score(confirmed=0, open_weighted=0, decided=0, outlier_z=0, z_crit=3.29).score
    high = R.risk_score(confirmed=3, open_weighted=0, decided=3, outlier_z=0, z_crit=3.29).score
    assert low == 0 and high == 50  # 40 for three confirmed cases, 10 for all decided ones found true
