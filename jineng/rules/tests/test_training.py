"""Training rules: session overlap, 学时 crediting (tables and properties), eligibility, the class workflow."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.training import (
    TRANSITIONS,
    HoursRules,
    Interval,
    Punch,
    ScheduledSession,
    completion_result,
    covered_minutes,
    credit_hours,
    enrollment_eligibility,
    first_overlap,
    may_transition,
    merge,
    overlaps,
    presence_intervals,
)

TZ = dt.timezone(dt.timedelta(hours=8))
BASE = dt.datetime(2026, 3, 2, 0, 0, tzinfo=TZ)  # a Monday


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return BASE + dt.timedelta(days=day, hours=hour, minutes=minute)


def iv(day: int, h1: float, h2: float) -> Interval:
    return Interval(BASE + dt.timedelta(days=day, hours=h1), BASE + dt.timedelta(days=day, hours=h2))


def session(key: str, day: int, h1: float, h2: float) -> ScheduledSession:
    interval = iv(day, h1, h2)
    return ScheduledSession(key, interval, interval.start.date())


# ---- overlap --------------------------------------------------------------------------------------------------------


def test_evening_and_weekend_classes_in_the_same_weeks_do_not_overlap():
    evenings = [iv(d, 19, 21) for d in range(0, 5)] + [iv(d, 19, 21) for d in range(7, 12)]
    weekends = [iv(d, 9, 17) for d in (5, 6, 12, 13)]
    assert first_overlap(evenings, weekends) is None


def test_an_overlapping_pair_is_named():
    mine = [iv(0, 9, 12), iv(1, 9, 12)]
    theirs = [iv(1, 11, 13)]
    assert first_overlap(mine, theirs) == (iv(1, 9, 12), iv(1, 11, 13))


def test_touching_sessions_do_not_overlap():
    assert not overlaps(iv(0, 9, 12), iv(0, 12, 14))
    assert first_overlap([iv(0, 9, 12)], [iv(0, 12, 14)]) is None


intervals = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 40), st.integers(1, 16)).map(
        lambda t: Interval(at(t[0], 0, t[1] * 30), at(t[0], 0, t[1] * 30 + t[2] * 30))
    ),
    max_size=12,
)


@given(intervals, intervals)
def test_sweep_agrees_with_comparing_every_pair(a, b):
    brute = any(overlaps(x, y) for x in a for y in b)
    found = first_overlap(a, b)
    assert (found is not None) == brute
    if found is not None:
        assert overlaps(*found)


@given(intervals)
def test_merge_is_disjoint_and_covers_the_same_minutes(a):
    merged = merge(a)
    assert all(x.end < y.start for x, y in zip(merged, merged[1:], strict=False))
    window = Interval(at(0, 0), at(25, 0))
    assert covered_minutes(window, a) == sum(m.minutes() for m in merged)


# ---- presence -------------------------------------------------------------------------------------------------------


def test_punches_pair_in_time_order_and_an_open_check_in_credits_nothing():
    punches = [
        Punch(at(0, 12), "out"),  # nothing open: ignored
        Punch(at(0, 9), "in"),
        Punch(at(0, 9, 5), "in"),  # already open: ignored
        Punch(at(0, 11), "out"),
        Punch(at(0, 14), "in"),  # never closed
    ]
    assert presence_intervals(punches) == [Interval(at(0, 9), at(0, 11))]


# ---- crediting: the table -------------------------------------------------------------------------------------------

RULES = HoursRules(minutes_per_hour=45, per_day_max=7)


@pytest.mark.parametrize(
    "presence, expected",
    [
        ([], 0),
        ([iv(0, 9, 12)], 4),  # 180 min → 4 学时 of 45 min
        ([iv(0, 8, 13)], 4),  # early arrival and late departure credit nothing beyond the session
        ([iv(0, 9, 10)], 1),  # 60 min → 1 学时 (the remaining 15 min are not a whole 学时)
        ([iv(0, 9, 9.5)], 0),
        ([iv(0, 9, 10), iv(0, 9.5, 10.5)], 2),  # overlapping presence counts once: 90 min
    ],
)
def test_credit_per_session(presence, expected):
    credit = credit_hours([session("s", 0, 9, 12)], presence, RULES)
    assert credit.credited_hours == expected
    assert credit.creditable_hours == 4


def test_the_daily_cap_applies_in_time_order_and_the_rate_counts_against_full_presence():
    sessions = [session("am", 0, 8, 12), session("pm", 0, 13, 17), session("next", 1, 9, 12)]
    full = [iv(0, 8, 12), iv(0, 13, 17), iv(1, 9, 12)]
    credit = credit_hours(sessions, full, RULES)
    by_key = {c.key: c for c in credit.sessions}
    assert by_key["am"].credited_hours == 5  # 240 min → 5
    assert by_key["pm"].credited_hours == 2  # 5 more would pass 7 a day
    assert by_key["next"].credited_hours == 4
    assert credit.credited_hours == credit.creditable_hours == 11
    assert credit.rate_basis_points == 10000
    assert credit.meets(100)


def test_rate_and_completion_threshold_are_exact():
    sessions = [session(f"s{d}", d, 9, 12) for d in range(5)]  # 5 × 4 学时
    presence = [iv(d, 9, 12) for d in range(4)]  # 16 of 20
    credit = credit_hours(sessions, presence, RULES)
    assert credit.rate_basis_points == 8000
    assert credit.meets(80)
    assert not credit.meets(81)
    assert completion_result(credit, 80) == "passed"
    assert completion_result(credit, 90) == "failed"
    assert completion_result(credit_hours(sessions, [], RULES), 80) == "absent"


# ---- crediting: properties ------------------------------------------------------------------------------------------

sessions_strategy = st.lists(
    st.tuples(st.integers(0, 6), st.integers(14, 40), st.integers(1, 12)),  # day, start in ½ h from 0:00, length
    min_size=1,
    max_size=8,
    unique_by=lambda t: (t[0], t[1]),
).map(
    lambda rows: [
        ScheduledSession(f"s{i}", Interval(at(d, 0, s * 30), at(d, 0, s * 30 + n * 30)), at(d, 0).date())
        for i, (d, s, n) in enumerate(rows)
    ]
)
presence_strategy = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 47 * 30), st.integers(0, 600)).map(
        lambda t: Interval(at(t[0], 0, t[1]), at(t[0], 0, t[1] + t[2]))
    ),
    max_size=10,
)
rules_strategy = st.builds(
    HoursRules, minutes_per_hour=st.sampled_from([40, 45, 50, 60]), per_day_max=st.integers(0, 10)
)


@given(sessions_strategy, presence_strategy, rules_strategy)
def test_never_more_than_scheduled(sessions, presence, rules):
    credit = credit_hours(sessions, presence, rules)
    for c in credit.sessions:
        assert c.credited_hours <= c.scheduled_hours
        assert c.presence_minutes <= next(s.interval.minutes() for s in sessions if s.key == c.key)
    assert credit.credited_hours <= credit.creditable_hours


@given(sessions_strategy, presence_strategy, rules_strategy)
def test_never_more_than_the_daily_cap(sessions, presence, rules):
    credit = credit_hours(sessions, presence, rules)
    per_day: dict[dt.date, int] = {}
    for c in credit.sessions:
        per_day[c.day] = per_day.get(c.day, 0) + c.credited_hours
    assert all(total <= rules.per_day_max for total in per_day.values())


@given(sessions_strategy, presence_strategy, presence_strategy, rules_strategy)
def test_monotone_in_presence(sessions, presence, more, rules):
    less = credit_hours(sessions, presence, rules)
    grown = credit_hours(sessions, presence + more, rules)
    assert grown.credited_hours >= less.credited_hours
    assert grown.rate_basis_points >= less.rate_basis_points


@given(sessions_strategy, rules_strategy)
def test_full_presence_earns_everything_creditable(sessions, rules):
    credit = credit_hours(sessions, [s.interval for s in sessions], rules)
    assert credit.credited_hours == credit.creditable_hours


# ---- eligibility ----------------------------------------------------------------------------------------------------


KEY = frozenset({"unemployed", "migrant_worker", "college_graduate"})
group_codes = st.sampled_from(["unemployed", "migrant_worker", "college_graduate", "veteran", "women", "youth",
                               "enterprise_employee", "retired_fisher", "high_quality_farmer"])  # fmt: skip


@pytest.mark.parametrize(
    "category, groups, allowed, eligible, code",
    [
        ("A", {"unemployed"}, KEY, True, "eligible"),
        ("A", {"women", "youth"}, KEY, False, "ineligible_groups"),
        ("B", {"enterprise_employee"}, KEY, False, "ineligible_groups"),
        ("B", {"enterprise_employee"}, KEY | {"enterprise_employee"}, True, "eligible"),
        ("A", set(), None, True, "eligible"),  # the policy names no groups
        ("none", set(), KEY, True, "eligible"),  # no subsidy: anyone
        ("special", {"veteran"}, frozenset({"veteran"}), True, "eligible"),
        ("Z", {"veteran"}, None, False, "unknown_subsidy_category"),
    ],
)
def test_eligibility_table(category, groups, allowed, eligible, code):
    decision = enrollment_eligibility(category, groups, allowed)
    assert (decision.eligible, decision.code) == (eligible, code)
    assert decision.message


def test_an_ineligible_person_is_told_which_groups_qualify():
    message = enrollment_eligibility("A", {"youth"}, KEY).message
    assert "失业人员" in message and "农民工" in message


@given(
    st.sampled_from(["A", "B", "C", "special"]),
    st.frozensets(group_codes),
    st.none() | st.frozensets(group_codes),
)
def test_a_subsidized_class_admits_exactly_the_holders_of_an_allowed_group(category, held, allowed):
    decision = enrollment_eligibility(category, held, allowed)
    assert decision.eligible == (allowed is None or bool(held & allowed))
    if decision.eligible and allowed is not None:
        assert set(decision.matched) == held & allowed


@given(st.frozensets(group_codes), st.none() | st.frozensets(group_codes))
def test_an_unsubsidized_class_admits_anyone(held, allowed):
    assert enrollment_eligibility("none", held, allowed).eligible


# ---- workflow -------------------------------------------------------------------------------------------------------


def test_the_workflow_has_no_way_out_of_completed_or_cancelled():
    assert TRANSITIONS["completed"] == frozenset()
    assert TRANSITIONS["cancelled"] == frozenset()
    assert may_transition("draft", "submitted")
    assert not may_transition("draft", "approved")
    assert not may_transition("submitted", "running")
    assert may_transition("rejected", "submitted")


def test_the_rate_shown_rounds_half_up_where_the_stored_rate_rounds_down():
    from decimal import Decimal

    from jineng.rules.training import Credit, rate_percent_shown

    assert rate_percent_shown(35, 126) == Decimal("27.78")  # issue 15: printed 27.77 %
    assert Credit((), 35, 126).rate_basis_points == 2777  # what the minimum is compared with is unchanged
    assert rate_percent_shown(1, 8) == Decimal("12.50") and rate_percent_shown(1, 800) == Decimal("0.13")
    assert rate_percent_shown(0, 0) == Decimal("0.00") and rate_percent_shown(126, 126) == Decimal("100.00")


@given(st.integers(min_value=1, max_value=20_000), st.data())
def test_the_rate_shown_is_the_nearest_hundredth_and_never_below_the_stored_rate(creditable, data):
    from decimal import Decimal
    from fractions import Fraction

    from jineng.rules.training import Credit, rate_percent_shown

    credited = data.draw(st.integers(min_value=0, max_value=creditable))
    shown = rate_percent_shown(credited, creditable)
    exact = Fraction(credited * 100, creditable)
    assert abs(Fraction(shown) - exact) <= Fraction(1, 200)  # within half a hundredth
    assert shown >= Decimal(Credit((), credited, creditable).rate_basis_points) / 100
    assert Decimal(0) <= shown <= Decimal(100)


@given(st.integers(min_value=1, max_value=19_999), st.integers(min_value=1, max_value=100), st.data())
def test_a_rate_below_a_whole_percent_minimum_is_never_shown_as_reaching_it(creditable, minimum, data):
    """Below 20,000 creditable hours (a class has a few hundred) one hour is more than half a hundredth of a percent:
    a trainee who misses the minimum by an hour is never shown at the minimum."""
    from jineng.rules.training import Credit, rate_percent_shown

    credited = data.draw(st.integers(min_value=0, max_value=creditable))
    if not Credit((), credited, creditable).meets(minimum):
        assert rate_percent_shown(credited, creditable) < minimum
