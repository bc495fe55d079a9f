"""双随机、一公开 — the inspector pool (执法检查人员名录库), draws with their published commitment, frozen lists and
result, the inspection tasks they (or a supervision case) give, and each task's findings with their 整改."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel


class ObjectKind(models.TextChoices):
    PROVIDER = "provider", _("培训机构")
    CLASS = "class", _("在训班级")
    EVALUATOR = "evaluator", _("评价机构")
    ENTERPRISE = "enterprise", _("学徒制企业")


class PoolMember(BaseModel):
    """执法检查人员名录库 — an inspector in a region's pool: drawn from only while active."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("检查人员编号"), max_length=20, unique=True)  # the pseudonym published in draws
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "执法检查人员"
        constraints = [models.UniqueConstraint(fields=["user", "region"], condition=models.Q(active=True),
                                               name="pool_member_active_unique")]  # fmt: skip


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("已公布承诺值")
    FROZEN = "frozen", _("名录已冻结")
    DRAWN = "drawn", _("已抽取并公布")
    SUPERSEDED = "superseded", _("已重抽作废")


class Draw(BaseModel):
    """一次抽查 — its plan (kinds, how many, team size, risk weighting), the commitment ``sha256(seed)`` published
    at creation, the lists frozen (and their hash published) before the draw, then the seed and the result."""

    number = models.CharField(_("抽查编号"), max_length=32, unique=True)
    title = models.CharField(_("名称"), max_length=120)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    kinds = models.JSONField(default=list)
    count = models.PositiveIntegerField(_("抽取数量"), default=0)
    percent = models.PositiveSmallIntegerField(_("抽取比例（%）"), default=0)  # used when count is 0
    per_task = models.PositiveSmallIntegerField(_("每组检查人员"), default=2)
    risk_weighting = models.BooleanField(_("按风险加权"), default=True)
    status = models.CharField(_("状态"), max_length=12, choices=DrawStatus.choices, default=DrawStatus.COMMITTED)
    commitment = models.CharField(max_length=64)
    seed = models.CharField(max_length=64)  # secret until the draw is run; shown only once drawn
    lists = models.JSONField(default=dict)
    lists_sha256 = models.CharField(max_length=64, blank=True)
    labels = models.JSONField(default=dict)  # object id → {"kind", "name", "organization", "region"} (not hashed)
    result = models.JSONField(default=list)
    committed_at = models.DateTimeField()
    frozen_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    publish_by = models.DateField(null=True, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    redraw_reason = models.CharField(_("重抽原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-committed_at"]
        verbose_name = "双随机抽查"

    def __str__(self) -> str:
        return self.number


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待检查")
    INSPECTED = "inspected", _("已检查")
    RECTIFYING = "rectifying", _("整改中")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class InspectionTask(BaseModel):
    """检查任务 — one object to inspect (from a draw or a supervision case), by its team, with its checklist."""

    number = models.CharField(_("任务编号"), max_length=40, unique=True)
    draw = models.ForeignKey(Draw, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    case_id = models.UUIDField(null=True, blank=True)  # a supervision case (线索)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("被检查单位"))  # fmt: skip
    object_kind = models.CharField(_("对象类别"), max_length=12, choices=ObjectKind.choices)
    object_id = models.CharField(max_length=40)
    object_name = models.CharField(_("检查对象"), max_length=200)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED,
                              db_index=True)  # fmt: skip
    checklist = models.JSONField(default=dict)  # item code → {"result": "ok"|"problem"|"na", "note": …}
    callback_sample = models.JSONField(default=list)  # [{"enrollment", "label"}] the trainees to call back
    inspected_on = models.DateField(null=True, blank=True)
    conclusion = models.TextField(_("检查结论"), blank=True)
    publish_by = models.DateField(_("公示期限"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "检查任务"


class FindingStatus(models.TextChoices):
    NOTED = "noted", _("已记录（无需整改）")
    RECTIFY = "rectify", _("待整改")
    ANSWERED = "answered", _("已回复待复查")
    ACCEPTED = "accepted", _("整改通过")
    REOPENED = "reopened", _("复查未通过")


class Finding(BaseModel):
    """检查发现 — a problem found on a checklist item, its evidence (attachments about it), and its 整改: the
    deadline in working days, the provider's answer, the inspector's follow-up."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="findings")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("检查项"), max_length=40)
    description = models.TextField(_("问题描述"))
    status = models.CharField(_("状态"), max_length=10, choices=FindingStatus.choices)
    rectify_workdays = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True, blank=True)
    rectify_by = models.DateField(_("整改截止"), null=True, blank=True)
    answer = models.TextField(_("整改情况"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    follow_up = models.TextField(_("复查意见"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip

    class Meta:
        ordering = ["created_at"]
        verbose_name = "检查发现"


class SerialCounter(models.Model):
    """The number series per year (``common.serials.serial_reserve``): ``draw`` (CJ2026…), ``task`` (JCRW2026…)."""

    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="inspections_serial_unique")]
