"""What other apps may use of competitions.

- ``Event``, ``EventLevel``, ``EventClass``, ``EventStatus`` — for counting (the indicators app counts approved
  province-level 一类/二类 events by region and year: Shandong's “技能兴鲁”省级重点赛事);
- ``KEY_EVENT_CLASSES`` — the classes that make a province event a 省级重点赛事;
- ``official_steps``, ``organizer_steps``, ``registering_organization``, ``events_open_to`` — for the workbench's
  to-dos and home cards (jineng.web).
"""

from __future__ import annotations

from jineng.competitions.models import Event, EventClass, EventLevel, EventStatus
from jineng.competitions.selectors import events_open_to, official_steps, organizer_steps, registering_organization

KEY_EVENT_CLASSES = (EventClass.CLASS1.value, EventClass.CLASS2.value)

__all__ = [
    "KEY_EVENT_CLASSES",
    "Event",
    "EventClass",
    "EventLevel",
    "EventStatus",
    "events_open_to",
    "official_steps",
    "organizer_steps",
    "registering_organization",
]
