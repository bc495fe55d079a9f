"""What other apps (the site shell) may use of inspections: the tasks a user sees (the inspector's workbench, the
provider's own inspections) and the open rectification requests of an organization."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jineng.inspections.models import Finding, InspectionTask
from jineng.inspections.selectors import task_filter, tasks_visible


def open_tasks_of_inspector(user: Any) -> QuerySet[InspectionTask]:
    """The inspector's own tasks not yet closed, their publish deadline first."""
    return task_filter(tasks_visible(user), status="open", mine=user).order_by("publish_by", "number")


def rectifications_to_answer(user: Any) -> QuerySet[Finding]:
    """整改 requests (new or reopened) about the organizations the user sees, their deadline first."""
    return (Finding.objects.filter(task__in=tasks_visible(user), status__in=("rectify", "reopened"))
            .select_related("task").order_by("rectify_by"))  # fmt: skip


__all__ = ["open_tasks_of_inspector", "rectifications_to_answer"]
