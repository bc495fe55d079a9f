"""监管 — anomaly scans, the cases (线索) they find with their evidence, and each case's decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.ids import uuid7
from jineng.common.masking import scrub_public_text
from jineng.common.models import BaseModel


class Severity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class CaseStatus(models.TextChoices):
    NEW = "new", _("新线索")
    INVESTIGATING = "investigating", _("核查中")
    CONFIRMED = "confirmed", _("属实")
    DISMISSED = "dismissed", _("不属实")
    CLOSED = "closed", _("已处理")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.INVESTIGATING)


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("扫描中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScanKind(models.TextChoices):
    FULL = "full", _("全量扫描")
    INCREMENTAL = "incremental", _("增量扫描")


class Scan(models.Model):
    """一次扫描 — every rule over the records (full) or over what changed since the last scan (incremental).

    Resumable: ``rules_done`` lists the rules whose cases are committed; a re-run of a failed scan skips them."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    kind = models.CharField(max_length=12, choices=ScanKind.choices, default=ScanKind.FULL)
    status = models.CharField(max_length=8, choices=ScanStatus.choices, default=ScanStatus.QUEUED, db_index=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    job_id = models.UUIDField(null=True, blank=True)
    since = models.DateTimeField(null=True, blank=True)  # incremental: records created from then on
    rules = models.JSONField(default=list)  # the rule codes to run, in order
    rules_done = models.JSONField(default=list)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    found = models.JSONField(default=dict)  # rule → {"hits", "new", "updated"}
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "监管扫描"


class Case(BaseModel):
    """线索 — one hit of one rule: what it is about (the evidence rows), its severity, region and status."""

    number = models.CharField(_("线索编号"), max_length=32, unique=True)
    rule = models.CharField(_("规则"), max_length=40, db_index=True)
    fingerprint = models.CharField(max_length=64, unique=True)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    status = models.CharField(_("状态"), max_length=14, choices=CaseStatus.choices, default=CaseStatus.NEW,
                              db_index=True)  # fmt: skip
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    provider = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("机构"),
    )  # fmt: skip
    summary = models.CharField(_("摘要"), max_length=300)
    evidence = models.JSONField(default=list)  # [{"kind": "person"|"enrollment"|…, "id": …, "label": …}]
    facts = models.JSONField(default=dict)  # what the rule measured (distance, counts, z, venue and check-in points)
    person_count = models.PositiveIntegerField(default=0)
    first_scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_seen_scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("承办人"))  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("核查结论"), blank=True)
    claims_held = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "监管线索"
        indexes = [
            models.Index(fields=["region", "status"], name="case_region_status_idx"),
            models.Index(fields=["provider", "status"], name="case_provider_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseStep(models.Model):
    """One decision on a case: from → to, who, why, when (the audit trail has it too)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]


class CaseCounter(models.Model):
    """The series of case numbers per year (``XS2026000001``), allocated by ``common.serials.serial_reserve``."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)


# ---- sanctions (处罚 — the ladder 约谈 → 整改 → 停业整顿 → 移出目录 → 黑名单 → 吊销许可) ------------------------------------


class SanctionKind(models.TextChoices):
    TALK = "talk", _("约谈")
    RECTIFY = "rectify", _("整改")
    SUSPEND = "suspend", _("停业整顿")
    DELIST = "delist", _("移出目录")
    BLACKLIST = "blacklist", _("黑名单")
    REVOKE = "revoke", _("吊销许可")


class SanctionStatus(models.TextChoices):
    PENDING = "pending", _("待复核")  # 黑名单 / 吊销许可 before a second person approves: not in force, not public
    ACTIVE = "active", _("执行中")
    LIFTED = "lifted", _("已解除")
    REJECTED = "rejected", _("复核未通过")


class Sanction(BaseModel):
    """一项处罚决定 — a step of the ladder against an organization: reason, dates, duration, its decider; lifted
    only by another decision (``lifted_*``). Its effects are read by the sanctions hook (``providers.api``)."""

    number = models.CharField(_("决定编号"), max_length=32, unique=True)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("机构"))  # fmt: skip
    organization_name = models.CharField(_("机构名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    kind = models.CharField(_("处罚类型"), max_length=10, choices=SanctionKind.choices, db_index=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions",
                             verbose_name=_("线索"))  # fmt: skip
    reason = models.TextField(_("事实与理由"))
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"))
    starts_on = models.DateField(_("生效日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)  # the last day in force; none: until lifted
    years = models.PositiveSmallIntegerField(_("年限"), null=True, blank=True)  # 黑名单: N years
    status = models.CharField(_("状态"), max_length=8, choices=SanctionStatus.choices, default=SanctionStatus.ACTIVE,
                              db_index=True)  # fmt: skip
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    decided_by_name = models.CharField(max_length=150, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    approved_by_name = models.CharField(_("复核人"), max_length=150, blank=True)
    approved_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    lift_reason = models.TextField(_("解除理由"), blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    lifted_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        verbose_name = "处罚决定"
        indexes = [models.Index(fields=["organization", "status"], name="sanction_org_status_idx")]
        constraints = [
            # a retried decision finds the one in force instead of recording it twice
            models.UniqueConstraint(
                fields=["organization", "kind", "starts_on"],
                condition=models.Q(status="active"),
                name="sanction_once_in_force",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="sanction_ends_after_start",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def public_reason(self) -> str:
        """The reason as the public blacklist shows it: the decider's free text with anything that looks like an ID
        number, a mobile phone or a bank account masked (a reason may quote a trainee's details)."""
        return scrub_public_text(self.reason)


class SanctionCounter(models.Model):
    """The series of sanction numbers per year (``CF2026000001``)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)
