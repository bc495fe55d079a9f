"""Handlers of other apps' events — the one place this app reacts to what another app did (ADR 0007 hooks):
the registry's person merge (``persons_merged``) and crypto-shred (``persons_shredded``, in ``shred.py``).

Registered in ``apps.py``.
"""

from __future__ import annotations

from typing import Any

from jineng.training.models import (
    Apprentice,
    ApprenticeProgress,
    AttendanceEvent,
    CompletionCertificate,
    EmploymentOutcome,
    Enrollment,
    EnrollmentAmendment,
    EnrollmentStatus,
)
from jineng.training.shred import persons_shredded

__all__ = ["persons_merged", "persons_shredded"]


def persons_merged(merged_id: Any, survivor_id: Any) -> int:
    """Re-point this app's rows from the merged record to the survivor (inside the registry's merge transaction,
    which audits the merge). An enrollment of the merged record in a class where the survivor is also enrolled
    ends as a duplicate instead of breaking the one-active-enrollment rule."""
    moved = 0
    survivor_classes = set(
        Enrollment.objects.filter(person_id=survivor_id, status=EnrollmentStatus.ENROLLED).values_list(
            "training_class_id", flat=True
        )
    )
    for e in Enrollment.objects.select_for_update().filter(person_id=merged_id):
        if e.status == EnrollmentStatus.ENROLLED and e.training_class_id in survivor_classes:
            e.status = EnrollmentStatus.DROPPED
            e.end_reason = "人员记录合并：与另一条记录重复报名"
        e.person_id = survivor_id
        e.save(update_fields=["person", "status", "end_reason", "updated_at"])
        moved += 1
    for model in (EnrollmentAmendment, AttendanceEvent, CompletionCertificate, EmploymentOutcome, Apprentice,
                  ApprenticeProgress):  # fmt: skip
        moved += model.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    from jineng.training.models import ClassSession

    moved += ClassSession.objects.filter(teacher_person_id=merged_id).update(teacher_person_id=survivor_id)
    moved += Apprentice.objects.filter(enterprise_mentor_person_id=merged_id).update(
        enterprise_mentor_person_id=survivor_id
    )
    moved += Apprentice.objects.filter(school_mentor_person_id=merged_id).update(school_mentor_person_id=survivor_id)
    return moved
