"""导入作业 — an uploaded file, its job, its counts and its report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.ids import uuid7


class ImportMode(models.TextChoices):
    STRICT = "strict", _("严格（有错误则全部不导入）")
    PARTIAL = "partial", _("部分（导入无误的行）")


class ImportOutcome(models.TextChoices):
    PENDING = "", _("进行中")
    IMPORTED = "imported", _("全部导入")
    REJECTED = "rejected", _("有行被拒绝")
    REFUSED = "refused", _("文件被拒绝")


class ImportJob(models.Model):
    """One import of one file: the job that runs it (status, progress), the file, the outcome and the report."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    job = models.OneToOneField("common.Job", on_delete=models.PROTECT, related_name="import_job")
    kind = models.CharField(_("导入类型"), max_length=40)
    mode = models.CharField(_("模式"), max_length=10, choices=ImportMode.choices, default=ImportMode.STRICT)
    filename = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    region = models.ForeignKey("refdata.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=10, choices=ImportOutcome.choices, blank=True, default="")
    exit_code = models.SmallIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    errors_sample = models.JSONField(default=list, blank=True)
    report = models.FileField(upload_to="imports/reports/%Y/%m/", max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "导入作业"

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
