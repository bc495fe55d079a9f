"""The shell's lists as ``ListSpec``s: the audit trail (审计日志, exportable by whoever reads it) and the jobs (作业)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import User, require, visible
from jineng.common.jobs.models import Job
from jineng.common.listing import Column, ListSpec, register_list
from jineng.common.models import AuditEntry
from jineng.web.audit_labels import action_filter, action_label, object_filter, object_label


def _audit_rows(user: Any, params: Mapping[str, str]) -> QuerySet[AuditEntry]:
    qs = visible(AuditEntry, user, "audit.view")
    # By the label (受理, 补贴申请) or the beginning of the code (claim., person.reveal): the distinct codes are few.
    if params.get("action"):
        actions = AuditEntry.objects.values_list("action", flat=True).distinct()
        qs = qs.filter(action_filter(params["action"], actions))
    if params.get("object_type"):
        types = AuditEntry.objects.values_list("object_type", flat=True).distinct()
        qs = qs.filter(object_filter(params["object_type"], types))
    if params.get("actor"):
        # By the login name or the display name shown in the list.
        logins = set(User.objects.filter(display_name=params["actor"]).values_list("username", flat=True))
        qs = qs.filter(actor_name__in={params["actor"], *logins})
    return qs


AUDIT = register_list(
    ListSpec(
        name="web.audit",
        title=_("审计日志"),
        filters=("action", "object_type", "actor"),
        rows=_audit_rows,
        sorts={
            "seq": ("seq",),
            "at": ("at",),
            "actor": ("actor_name",),
            "action": ("action",),
            "object": ("object_type", "object_id"),
            "region": ("region_code",),
        },
        default_sort="-seq",
        export_permission="audit.view",
        columns=(
            Column("#", lambda e: e.seq),
            Column(_("时间"), lambda e: e.at),
            Column(_("操作人"), lambda e: e.actor_name),
            Column(_("操作"), lambda e: action_label(e.action)),
            Column(_("操作代码"), lambda e: e.action),
            Column(_("对象"), lambda e: object_label(e.object_type)),
            Column(_("对象编号"), lambda e: e.object_id),
            Column(_("地区"), lambda e: e.region_code),
            Column(_("原因"), lambda e: e.reason),
            Column(_("来源地址"), lambda e: e.address),
        ),
    )
)


def _job_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Job]:
    require(user, "jobs.view")
    return visible(Job, user, "jobs.view")


JOBS = register_list(
    ListSpec(
        name="web.jobs",
        title=_("作业"),
        rows=_job_rows,
        sorts={
            "kind": ("kind",),
            "status": ("status",),
            "created": ("created_at",),
            "finished": ("finished_at",),
        },
        default_sort="-created",
    )
)
