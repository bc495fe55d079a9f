"""投诉举报 — complaints and reports from the public about a training provider, a class or an evaluation
organization: where they go (the region owning the object), their deadlines, their handling and the answer.

- **投诉举报** ``Complaint`` — what it is about (a listed organization or a free-text name, the region), what
  happened (bounded text, attachments through the kernel's attachment store), the complainant's contact (encrypted,
  masked; none when anonymous), the tracking code's keyed hash (the code itself is shown once and never stored),
  status, deadlines (受理告知 and 答复, in working days) and the answer;
- **办理记录** ``ComplaintStep`` — each step: received, acknowledged, note, reply, closed, reopened; who and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.ids import uuid7
from jineng.common.models import BaseModel

CONTACT_CONTEXT = "complaints.contact"
CODE_CONTEXT = "complaints.code"


class ObjectKind(models.TextChoices):
    PROVIDER = "provider", _("培训机构")
    TRAINING_CLASS = "class", _("培训班")
    EVALUATOR = "evaluator", _("评价机构")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    FAKE_TRAINING = "fake_training", _("虚假培训、冒领补贴")
    FEES = "fees", _("乱收费")
    QUALITY = "quality", _("培训质量")
    EVALUATION = "evaluation", _("评价考核违规")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    RECEIVED = "received", _("已收到")
    ACKNOWLEDGED = "acknowledged", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED)


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("收到")
    ACKNOWLEDGE = "acknowledge", _("受理")
    NOTE = "note", _("办理记录")
    REPLY = "reply", _("答复")
    CLOSE = "close", _("办结")
    REOPEN = "reopen", _("重新办理")
    CASE = "case", _("转监管线索")
    TASK = "task", _("派出检查任务")


class Complaint(BaseModel):
    number = models.CharField(_("编号"), max_length=20, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)  # keyed hash of the tracking code
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    object_kind = models.CharField(_("对象类别"), max_length=10, choices=ObjectKind.choices)
    organization = models.ForeignKey("accounts.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("机构"))  # fmt: skip
    object_name = models.CharField(_("对象名称"), max_length=200)
    class_ref = models.CharField(_("班级编号或名称"), max_length=60, blank=True)
    category = models.CharField(_("问题类别"), max_length=16, choices=Category.choices)
    content = models.TextField(_("投诉举报内容"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    name_enc = models.TextField(blank=True)
    name_masked = models.CharField(max_length=40, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_masked = models.CharField(max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    received_on = models.DateField(_("收到日期"))
    ack_due = models.DateField(_("受理告知期限"))
    answer_due = models.DateField(_("答复期限"), db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(_("重新办理理由"), blank=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("承办人"))  # fmt: skip
    case_ref = models.CharField(_("监管线索"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "投诉举报"
        indexes = [models.Index(fields=["region", "status"], name="complaint_region_status_idx")]

    def __str__(self) -> str:
        return self.number


class ComplaintStep(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]


class ComplaintCounter(models.Model):
    """The series of complaint numbers per year (``TS2026000001``), allocated by ``common.serials.serial_reserve``."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)
