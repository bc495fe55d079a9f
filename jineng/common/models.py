"""Base models of the shared kernel, plus the kernel's own tables (audit trail, jobs, attachments, settings)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.ids import uuid7


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    RETIRED = "retired", _("已停用")


class RecordQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Querysets of domain records: a bulk delete would bypass ``BaseModel.delete``, so it refuses too."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Records are never hard-deleted; retire them with a reason (记录不可物理删除).")


class BaseModel(models.Model):
    """Every domain record: an opaque UUID key (never an ID number in a URL) and timestamps.

    Records are never hard-deleted: a record is retired with a reason (``status`` and ``status_reason``), and
    foreign keys use PROTECT so that history cannot be cut away.
    """

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Records are never hard-deleted; retire them with a reason (记录不可物理删除).")


# The kernel's own tables live in their modules; importing them here registers them with the app.
from jineng.common.attachments.models import Attachment  # noqa: E402,F401

__all__ = ["Attachment", "AuditCheckpoint", "AuditEntry", "AuditHead", "BaseModel", "Job", "RecordStatus"]
from jineng.common.audit.models import AuditCheckpoint, AuditEntry, AuditHead  # noqa: E402,F401
from jineng.common.jobs.models import Job  # noqa: E402,F401
