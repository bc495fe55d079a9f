"""Clearing training's copies of a person's data when the registry shreds them (``registry.api.person_crypto_shred``):
the name kept on enrollments and completion certificates. The rows stay (counts, hours, completions)."""

from __future__ import annotations

from typing import Any

from jineng.training.models import CompletionCertificate, Enrollment

SHREDDED = "已删除"


def persons_shredded(person_ids: list[Any]) -> int:
    return Enrollment.objects.filter(person_id__in=person_ids).update(
        person_name=SHREDDED
    ) + CompletionCertificate.objects.filter(person_id__in=person_ids).update(person_name=SHREDDED)
