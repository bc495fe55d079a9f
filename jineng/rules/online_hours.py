"""Online 学时 from xAPI statements — pure: sessions reconstructed from the verbs, minutes per day, 学时 credited.

- A session opens at ``launched``, ``initialized`` or ``resumed`` and closes at ``terminated``, ``suspended`` or
  ``completed``; ``progressed`` (or any other verb) inside an open session is evidence it goes on. A gap longer than
  ``idle_minutes`` between two events closes the session at the earlier one; a session never closed ends at its last
  event — time without a statement behind it is never credited. Events outside an open session credit nothing.
- The sessions of all the learner's courses are merged (two courses at once count once: docs/learning.md).
- A day's minutes (the day in ``tz``, sessions split at midnight) credit ⌊minutes / minutes_per_hour⌋ 学时, at most
  ``per_day_max`` (the offline norm, DOMAIN.md); days are taken in order until ``online_max`` 学时 (the online share
  of the class's total) is reached.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from jineng.rules.training import HoursRules, Interval, merge

OPENS = frozenset({"launched", "initialized", "resumed"})
CLOSES = frozenset({"terminated", "suspended", "completed"})


@dataclass(frozen=True)
class LearningEvent:
    """One statement as the rule needs it: when, the verb's last path segment, and the session it belongs to
    (registration, or course when the platform sends none)."""

    at: dt.datetime
    verb: str
    session: str


@dataclass(frozen=True)
class DayCredit:
    day: dt.date
    minutes: int
    hours: int
    capped: bool
    line: str


@dataclass(frozen=True)
class OnlineCredit:
    sessions: tuple[Interval, ...]
    days: tuple[DayCredit, ...]
    hours: int


def sessions(events: Iterable[LearningEvent], idle_minutes: int = 30) -> list[Interval]:
    """The learning sessions the events prove, per session key, in time order."""
    by_session: dict[str, list[LearningEvent]] = defaultdict(list)
    for event in events:
        by_session[event.session].append(event)
    idle = dt.timedelta(minutes=idle_minutes)
    found: list[Interval] = []
    for stream in by_session.values():
        start: dt.datetime | None = None
        last: dt.datetime | None = None
        for event in sorted(stream, key=lambda e: e.at):
            if start is not None and last is not None and event.at - last > idle:
                found.append(Interval(start, last))
                start = None
            if start is None:
                if event.verb in OPENS:
                    start = last = event.at
                continue
            last = event.at
            if event.verb in CLOSES:
                found.append(Interval(start, event.at))
                start = None
        if start is not None and last is not None:
            found.append(Interval(start, last))
    return sorted((item for item in found if item.end > item.start), key=lambda i: i.start)


def _minutes_by_day(intervals: Iterable[Interval], tz: dt.tzinfo) -> dict[dt.date, float]:
    minutes: dict[dt.date, float] = defaultdict(float)
    for item in intervals:
        start, end = item.start.astimezone(tz), item.end.astimezone(tz)
        while start < end:
            midnight = dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time(), tzinfo=tz)
            piece_end = min(end, midnight)
            minutes[start.date()] += (piece_end - start).total_seconds() / 60
            start = piece_end
    return minutes


def credit_online(
    events: Iterable[LearningEvent],
    rules: HoursRules,
    *,
    tz: dt.tzinfo,
    online_max: int | None = None,
    idle_minutes: int = 30,
) -> OnlineCredit:
    """Online 学时 credited from the events, with one explaining line per day."""
    merged = merge(sessions(events, idle_minutes))
    days: list[DayCredit] = []
    total = 0
    for day, raw_minutes in sorted(_minutes_by_day(merged, tz).items()):
        minutes = int(raw_minutes)
        earned = minutes // rules.minutes_per_hour
        hours = min(earned, rules.per_day_max)
        capped = hours < earned
        if online_max is not None and total + hours > online_max:
            hours, capped = max(online_max - total, 0), True
        total += hours
        reason = "（已达上限 capped）" if capped else ""
        days.append(
            DayCredit(
                day=day,
                minutes=minutes,
                hours=hours,
                capped=capped,
                line=f"{day.isoformat()}: {minutes} 分钟 min ÷ {rules.minutes_per_hour} → {hours} 学时{reason}",
            )
        )
    return OnlineCredit(sessions=tuple(merged), days=tuple(days), hours=total)
