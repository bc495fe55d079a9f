"""What other apps (the site shell) may use of inspections: the tasks a user sees (the inspector's workbench, the
provider's own inspections) and the open rectification requests of an organization; and what a complaint's handler
needs to send a task from the complaint's case (``task_from_case``, ``inspectors_for``, ``tasks_of_case``)."""

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


def inspectors_for(region: str, organization_id: Any) -> list[Any]:
    """The pool's inspectors (执法检查人员名录库) who may inspect the organization in ``region``: active members of the
    region or above it, less those in a conflict of interest with it (回避, as in a draw)."""
    from jineng.inspections.selectors import InspectionObject, conflicts, pool_of

    users = [m.user for m in pool_of(region).order_by("user__username") if m.user.is_active]
    target = InspectionObject(id=str(organization_id), kind="provider", name="", organization_id=str(organization_id),
                              region_id=region)  # fmt: skip
    clash = {uid for uid, _object in conflicts(users, [target])}
    unique = {u.pk: u for u in users if str(u.pk) not in clash}
    return list(unique.values())


def tasks_of_case(case_id: Any) -> QuerySet[InspectionTask]:
    """The tasks sent from a supervision case (线索), newest first."""
    return InspectionTask.objects.filter(case_id=case_id).order_by("-created_at")


from jineng.inspections.services import task_from_case  # noqa: E402

__all__ = ["inspectors_for", "open_tasks_of_inspector", "rectifications_to_answer", "task_from_case", "tasks_of_case"]
