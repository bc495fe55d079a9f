"""Online 学时 from known statement streams: exact hours, the daily cap, the online share, idle gaps, two courses at
once counted once, and (hypothesis) no stream ever credits beyond its caps or beyond its evidence."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.online_hours import LearningEvent, credit_online, sessions
from jineng.rules.training import HoursRules

CN = ZoneInfo("Asia/Shanghai")
RULES = HoursRules(minutes_per_hour=45, per_day_max=7)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=CN)


def stream(session: str, start: dt.datetime, minutes: int, step: int = 10) -> list[LearningEvent]:
    events = [LearningEvent(start, "launched", session)]
    events += [
        LearningEvent(start + dt.timedelta(minutes=m), "progressed", session) for m in range(step, minutes, step)
    ]
    events.append(LearningEvent(start + dt.timedelta(minutes=minutes), "terminated", session))
    return events


def test_a_known_stream_credits_exact_hours():
    credit = credit_online(stream("a", at(2, 9), 100) + stream("a", at(2, 14), 50), RULES, tz=CN)
    assert [(d.day.day, d.minutes, d.hours) for d in credit.days] == [(2, 150, 3)]
    assert credit.hours == 3
    assert credit.days[0].line.startswith("2026-03-02: 150 分钟")


def test_a_day_is_capped_at_seven():
    credit = credit_online(stream("a", at(2, 8), 600), RULES, tz=CN)
    assert credit.hours == 7 and credit.days[0].capped


def test_the_online_share_caps_the_total():
    events = stream("a", at(2, 9), 300) + stream("a", at(3, 9), 300)
    credit = credit_online(events, RULES, tz=CN, online_max=8)
    assert [d.hours for d in credit.days] == [6, 2]


def test_an_idle_gap_ends_the_session_at_the_last_statement():
    events = [LearningEvent(at(2, 9), "launched", "a")]
    events += [LearningEvent(at(2, 9, m), "progressed", "a") for m in (15, 30, 45)]
    events.append(LearningEvent(at(2, 13), "terminated", "a"))
    assert credit_online(events, RULES, tz=CN).hours == 1


def test_two_courses_at_once_count_once():
    events = stream("a", at(2, 9), 90) + stream("b", at(2, 9), 90)
    assert credit_online(events, RULES, tz=CN).hours == 2


def test_statements_without_a_launch_credit_nothing():
    events = [LearningEvent(at(2, 9, m), "progressed", "a") for m in range(0, 60, 5)]
    assert sessions(events) == []


def test_a_session_over_midnight_is_split_between_days():
    credit = credit_online(stream("a", at(2, 23), 120), RULES, tz=CN)
    assert [(d.day.day, d.minutes) for d in credit.days] == [(2, 60), (3, 60)]


@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(0, 23), st.integers(1, 400), st.sampled_from("ab")),
        max_size=8,
    ),
    st.one_of(st.none(), st.integers(0, 40)),
)
def test_credit_never_exceeds_caps_or_evidence(specs, online_max):
    events = [e for day, hour, minutes, course in specs for e in stream(course, at(day, hour), minutes)]
    credit = credit_online(events, RULES, tz=CN, online_max=online_max)
    assert all(0 <= d.hours <= RULES.per_day_max and d.hours <= d.minutes // 45 for d in credit.days)
    assert credit.hours == sum(d.hours for d in credit.days)
    if online_max is not None:
        assert credit.hours <= online_max
    evidence = sum((s.end - s.start).total_seconds() for s in credit.sessions) / 60
    assert credit.hours * 45 <= evidence + 1e-6
