"""Cheating signals over one learner's online sessions — pure (外挂软件刷课, docs/learning.md):

- ``parallel_courses``: two sessions of different courses (session keys) overlapping by more than ``min_overlap``
  minutes — one person cannot follow two courses at once;
- ``round_the_clock``: a day (in ``tz``) with statements in at least ``max_hours_a_day`` distinct clock hours —
  nobody studies 20 hours a day;
- ``faster_than_real_time``: a session whose claimed ``result.duration`` exceeds its wall-clock time by more than
  ``speed_tolerance`` (playback at 2× or a forged duration).

Each signal carries the day and a line explaining it; a supervision rule weighs them (issue 20).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from jineng.rules.online_hours import LearningEvent, sessions


@dataclass(frozen=True)
class Signal:
    kind: str
    day: dt.date
    line: str


def _sessions_by_key(events: list[LearningEvent], idle_minutes: int) -> list[tuple[str, dt.datetime, dt.datetime]]:
    by_key: dict[str, list[LearningEvent]] = defaultdict(list)
    for event in events:
        by_key[event.session].append(event)
    return [(key, item.start, item.end) for key, stream in by_key.items() for item in sessions(stream, idle_minutes)]


def signals(
    events: Iterable[LearningEvent],
    claimed_seconds: dict[str, float] | None = None,
    *,
    tz: dt.tzinfo,
    idle_minutes: int = 30,
    min_overlap: int = 10,
    max_hours_a_day: int = 20,
    speed_tolerance: float = 1.1,
) -> list[Signal]:
    """The signals one learner's events raise, in day order. ``claimed_seconds`` maps a session key to the duration
    the platform reported for it (summed ``result.duration``)."""
    stream = sorted(events, key=lambda e: e.at)
    found: list[Signal] = []
    spans = _sessions_by_key(stream, idle_minutes)
    for index, (key_a, start_a, end_a) in enumerate(spans):
        for key_b, start_b, end_b in spans[index + 1 :]:
            if key_a == key_b:
                continue
            overlap = (min(end_a, end_b) - max(start_a, start_b)).total_seconds() / 60
            if overlap > min_overlap:
                day = max(start_a, start_b).astimezone(tz).date()
                found.append(Signal("parallel_courses", day, f"{day}: {key_a} 与 {key_b} 同时学习 {int(overlap)} 分钟"))
    hours: dict[dt.date, set[int]] = defaultdict(set)
    for event in stream:
        local = event.at.astimezone(tz)
        hours[local.date()].add(local.hour)
    for day, active in sorted(hours.items()):
        if len(active) >= max_hours_a_day:
            found.append(Signal("round_the_clock", day, f"{day}: {len(active)} 个小时段均有学习记录"))
    wall: dict[str, float] = defaultdict(float)
    first_day: dict[str, dt.date] = {}
    for key, start, end in spans:
        wall[key] += (end - start).total_seconds()
        first_day.setdefault(key, start.astimezone(tz).date())
    for key, claimed in sorted((claimed_seconds or {}).items()):
        if key in wall and claimed > wall[key] * speed_tolerance:
            day = first_day[key]
            found.append(
                Signal(
                    "faster_than_real_time",
                    day,
                    f"{day}: {key} 报告学习 {int(claimed // 60)} 分钟，实际仅 {int(wall[key] // 60)} 分钟",
                )
            )
    return sorted(found, key=lambda s: (s.day, s.kind))
