"""What other apps may use of competitions.

- ``Event``, ``EventLevel``, ``EventClass``, ``EventStatus`` — for counting (the indicators app counts approved
  province-level 一类/二类 events by region and year: Shandong's “技能兴鲁”省级重点赛事);
- ``KEY_EVENT_CLASSES`` — the classes that make a province event a 省级重点赛事;
- ``official_steps``, ``organizer_steps``, ``registering_organization``, ``events_open_to``,
  ``rule_drafts_to_publish`` — for the workbench's to-dos and home cards (jineng.web);
- ``on_award_changed(handler)`` — ``handler(person_id)`` after an award of the person is granted or revoked (the
  credit bank credits or reverses it at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jineng.competitions.data import AwardFacts
from jineng.competitions.events import on_award_changed
from jineng.competitions.models import Award, AwardStatus, Event, EventClass, EventLevel, EventStatus
from jineng.competitions.selectors import (
    events_open_to,
    official_steps,
    organizer_steps,
    registering_organization,
    rule_drafts_to_publish,
)

KEY_EVENT_CLASSES = (EventClass.CLASS1.value, EventClass.CLASS2.value)


def awards_of(person_ids: Iterable[Any]) -> list[AwardFacts]:
    """The awards of these persons (active and revoked), oldest first."""
    rows = Award.objects.filter(person_id__in=list(person_ids)).select_related("event").order_by("created_at")
    return [
        AwardFacts(
            id=str(a.pk),
            person_id=a.person_id,
            event_name=a.event.name,
            event_level=a.event.level,
            event_region_code=a.event.region_id,
            rank=a.rank,
            title=a.title,
            awarded_on=a.event.ends_on,
            active=a.status == AwardStatus.ACTIVE,
        )  # fmt: skip
        for a in rows
    ]


def awarded_person_ids() -> list[Any]:
    """Every person with an award (active or revoked)."""
    return list(Award.objects.values_list("person_id", flat=True).distinct())


__all__ = [
    "KEY_EVENT_CLASSES",
    "AwardFacts",
    "awards_of",
    "awarded_person_ids",
    "Event",
    "EventClass",
    "EventLevel",
    "EventStatus",
    "events_open_to",
    "official_steps",
    "on_award_changed",
    "organizer_steps",
    "registering_organization",
    "rule_drafts_to_publish",
]
