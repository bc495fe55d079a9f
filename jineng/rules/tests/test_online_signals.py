"""Cheating signals on labelled streams: an honest learner raises none; a bot running two courses at once, round
the clock, or reporting more time than it spent raises the matching signal."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from jineng.rules.online_signals import signals
from jineng.rules.tests.test_online_hours import stream

CN = ZoneInfo("Asia/Shanghai")


def at(hour: int, day: int = 2) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=CN)


def test_an_honest_learner_raises_nothing():
    events = stream("a", at(9), 90) + stream("b", at(14), 60)
    assert signals(events, {"a": 90 * 60, "b": 55 * 60}, tz=CN) == []


def test_two_courses_at_once():
    found = signals(stream("a", at(9), 90) + stream("b", at(9), 90), tz=CN)
    assert [s.kind for s in found] == ["parallel_courses"]
    assert "同时学习 90 分钟" in found[0].line


def test_round_the_clock():
    found = signals(stream("a", at(0), 23 * 60 + 50), tz=CN)
    assert [s.kind for s in found] == ["round_the_clock"]


def test_a_short_overlap_is_not_parallel():
    assert signals(stream("a", at(9), 60) + stream("b", at(9) + dt.timedelta(minutes=55), 60), tz=CN) == []


def test_reported_time_beyond_the_session_is_faster_than_real_time():
    found = signals(stream("a", at(9), 30), {"a": 60 * 60}, tz=CN)
    assert [s.kind for s in found] == ["faster_than_real_time"]
