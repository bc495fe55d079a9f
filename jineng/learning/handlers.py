"""What the learning app does when the registry merges or shreds a person: learner accounts follow the survivor;
a shredded person's masked name is cleared. Archive entries: the online 学时 credited per day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from jineng.learning.models import LearnerAccount
from jineng.registry.api import ArchiveEntry


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
            yield ArchiveEntry(
                on=dt.date.fromisoformat(line["day"]),
                kind="training",
                title=f"线上学习 {line.get('hours', 0)} 学时",
                detail=f"{account.class_code}（{account.organization.name}）{line['text']}",
                region_code=account.region_id,
                source="learning",
                ref=str(account.enrollment_id),
                extra={"hours": line.get("hours", 0)},
            )
