"""审计日志 — the append-only, hash-chained audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from jineng.common.ids import uuid7


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """The audit trail is written by ``audit_record`` only: no bulk update or delete through the ORM."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only (审计日志只能追加).")

    def update(self, **kwargs: object) -> int:
        raise PermissionError("The audit trail is append-only (审计日志只能追加).")


class AuditEntry(models.Model):
    """One audited event. ``seq`` has no gaps; ``hash`` = SHA-256(prev_hash ‖ canonical JSON of the entry)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    region_code = models.CharField(max_length=6, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    address = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = "审计日志"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An entry is written once, by audit_record (force_insert); saving it again would rewrite history.
        if not kwargs.get("force_insert"):
            raise PermissionError("The audit trail is append-only (审计日志只能追加).")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only (审计日志只能追加).")


class AuditHead(models.Model):
    """The single row that holds the chain's head; locking it serializes appends so the chain cannot fork."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class AuditCheckpoint(models.Model):
    """A signed (HMAC-SHA256) statement of the chain head at ``seq``: a deleted tail is detected against it."""

    seq = models.BigIntegerField(primary_key=True)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    signature = models.CharField(max_length=64)
