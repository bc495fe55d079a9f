"""附件 — one facility for every attached file (教学计划, 考核方案, pledges, invoices, contracts, photos)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jineng.common.ids import uuid7


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    kind = models.CharField(max_length=40, db_index=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    region_code = models.CharField(max_length=6, db_index=True)
    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    retain_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, default="active")
    status_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "附件"
