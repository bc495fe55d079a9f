"""What other apps may use of learning (the xAPI record store).

- ``online_hours_of(enrollment_ids)`` — the online 学时 last derived for each enrollment's learner accounts
  (summed when a learner has accounts on two platforms); the skill credit bank counts them as 线上学习 credits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Sum

from jineng.learning.models import LearnerAccount


def online_hours_of(enrollment_ids: Iterable[Any]) -> dict[str, int]:
    """Enrollment id (as text) → online 学时; enrollments without a learner account are absent."""
    rows = (
        LearnerAccount.objects.filter(enrollment_id__in=list(enrollment_ids))
        .values("enrollment_id")
        .annotate(hours=Sum("online_hours"))
    )
    return {str(r["enrollment_id"]): int(r["hours"] or 0) for r in rows}


__all__ = ["online_hours_of"]
