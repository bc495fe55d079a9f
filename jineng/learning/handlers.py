"""What the learning app does when the registry merges or shreds a person: learner accounts follow the survivor;
a shredded person's masked name is cleared. Archive entries: the online 学时 credited per day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from jineng.learning.models import LearnerAccount
from jineng.registry.api import ArchiveEntry, data_name, phrase

# A day's stored line reads "2026-03-02: 95 分钟 min ÷ 45 → 2 学时" (jineng.rules.online_hours): the minutes are
# taken from it, the words are the reader's.
MINUTES = re.compile(r": (\d+) 分钟")


def persons_merged(merged_id: Any, survivor_id: Any) -> int:
    return LearnerAccount.objects.filter(person_id=merged_id).update(person_id=survivor_id)


def persons_shredded(person_ids: Iterable[Any]) -> int:
    return LearnerAccount.objects.filter(person_id__in=list(person_ids)).update(person_name_masked="")


def archive_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    """One entry per day of online learning credited (the evidence line behind it), per mapped account."""
    for account in LearnerAccount.objects.filter(person_id__in=person_ids).select_related("organization"):
        for line in account.lines:
            if not line.get("day"):
                continue
            minutes = MINUTES.search(str(line.get("text", "")))
            yield ArchiveEntry(
                on=dt.date.fromisoformat(line["day"]),
                kind="training",
                title=phrase(_("线上学习 {hours} 学时"), hours=line.get("hours", 0)),
                detail=phrase(
                    _("{code}（{organization}）：在线 {minutes} 分钟") if minutes else _("{code}（{organization}）"),
                    code=account.class_code,
                    organization=data_name(account.organization.name),
                    minutes=minutes.group(1) if minutes else "",
                ),  # fmt: skip
                region_code=account.region_id,
                source="learning",
                ref=str(account.enrollment_id),
                extra={"hours": line.get("hours", 0)},
            )
