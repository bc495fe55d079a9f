"""Subsidies and funds (补贴与资金) — policy versions, claims with their explained checks and review steps, 公示
objections, vouchers (职业培训券), payment batches and bank return lines, fund accounts with a double-entry ledger,
debts after clawback, and idempotency keys of the money-moving API.

Money is integer fen (``*_fen``). Attribution (ADR 0004): a claim counts for the region its type names (the class's
county, the place of insurance, the enterprise's region); a batch, ledger entry and fund account for the paying
region (the fund account's owning region).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.ids import uuid7
from jineng.common.models import BaseModel
from jineng.subsidies.catalog import (
    LIVE_STATUSES,
    ApplicantKind,
    ClaimStatus,
    EventKind,
    FundSource,
    SubsidyType,
)

USER = settings.AUTH_USER_MODEL

# ---- policies ------------------------------------------------------------------------------------------------------


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    DISCARDED = "discarded", _("已作废")


class PolicyVersion(BaseModel):
    """补贴政策版本 — the rules of one subsidy type in one region for a validity period. A draft is edited; a
    published version is never changed (a new version supersedes it)."""

    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    subsidy_type = models.CharField(_("补贴类型"), max_length=24, choices=SubsidyType.choices)
    version_no = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("名称"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    rules = models.JSONField(_("规则"))
    citation = models.TextField(_("政策依据"), blank=True)
    source_url = models.URLField(_("来源"), max_length=300, blank=True)
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "补贴政策版本"
        ordering = ["subsidy_type", "region_id", "-valid_from", "-version_no"]
        constraints = [
            models.UniqueConstraint(fields=["region", "subsidy_type", "version_no"], name="policy_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="policy_valid_range"
            ),
        ]
        indexes = [models.Index(fields=["subsidy_type", "status", "valid_from"], name="policy_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version_no}"


# ---- claims --------------------------------------------------------------------------------------------------------


class Claim(BaseModel):
    """补贴申请 — one claim for one qualifying event, with the policy version applied, its inputs and its decision
    lines. A return for correction is answered by a new version (``previous``); the old one is superseded."""

    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    subsidy_type = models.CharField(_("补贴类型"), max_length=24, choices=SubsidyType.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("姓名"), max_length=60)
    id_number_masked = models.CharField(_("证件号码"), max_length=32, blank=True)
    applicant_kind = models.CharField(_("申请人类型"), max_length=12, choices=ApplicantKind.choices)
    applicant_org = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant_user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("归属地区（审核地）")
    )
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="claims")
    event_kind = models.CharField(_("资格事件"), max_length=20, choices=EventKind.choices)
    event_ref = models.CharField(max_length=80)
    event_key = models.CharField(max_length=120)  # "<kind>:<ref>" — one live claim per type and event
    event_keys = models.JSONField(default=list)  # every key of the same training (mutual exclusion)
    # The enrollment (培训报名) the claim pays for, from its ``enrollment:<id>`` event key: indicators join on it.
    enrollment = models.ForeignKey(
        "training.Enrollment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event_date = models.DateField(_("资格事件日期"))
    event_label = models.CharField(_("申请事项"), max_length=300, blank=True)
    occupation_code = models.CharField(max_length=20, blank=True)
    level_code = models.CharField(max_length=24, blank=True)
    level_rank = models.PositiveSmallIntegerField(default=0)
    counters = models.JSONField(default=list)
    exclusion_groups = models.JSONField(default=list)
    applied_on = models.DateField(_("申请日期"))
    inputs = models.JSONField(_("审核依据（输入）"), default=dict)
    lines = models.JSONField(_("审核明细"), default=list)
    decision = models.CharField(_("系统判定"), max_length=16)
    amount_fen = models.BigIntegerField(_("核定金额（分）"), default=0)
    payable_fen = models.BigIntegerField(_("本次拨付（分）"), default=0)
    deferred_fen = models.BigIntegerField(_("就业后拨付（分）"), default=0)
    payee_kind = models.CharField(_("收款方"), max_length=12)
    payee_channel = models.CharField(_("收款渠道"), max_length=24)
    payee_name = models.CharField(_("收款户名"), max_length=200)
    payee_bank = models.CharField(_("开户银行"), max_length=100, blank=True)
    payee_account_enc = models.TextField(blank=True)
    payee_account_masked = models.CharField(_("收款账号"), max_length=40, blank=True)
    payee_org = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fund_source = models.CharField(_("资金来源"), max_length=24, choices=FundSource.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED, db_index=True
    )
    version_no = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="tranches"
    )  # the claim whose employment-linked share this claim pays
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_due = models.DateField(_("审核期限"), null=True, blank=True)
    accepted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    first_reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    second_reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    second_reviewed_at = models.DateTimeField(null=True, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止"), null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment_due = models.DateField(_("拨付期限"), null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closing_reason = models.TextField(_("退回或不予通过理由"), blank=True)

    class Meta:
        verbose_name = "补贴申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subsidy_type", "event_key"],
                condition=Q(status__in=list(LIVE_STATUSES)),
                name="claim_one_live_per_event",
            ),
            models.CheckConstraint(
                condition=Q(amount_fen__gte=0, payable_fen__gte=0, deferred_fen__gte=0), name="claim_amounts_nonneg"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="claim_person_status_idx"),
            models.Index(fields=["region", "status"], name="claim_region_status_idx"),
            models.Index(fields=["applicant_org", "status"], name="claim_org_status_idx"),
            models.Index(fields=["status", "review_due"], name="claim_review_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ClaimHold(models.Model):
    """止付 — a claim's payment blocked while a supervision case (线索) behind it is resolved. Placed and released
    only through ``subsidies.api.claims_hold`` / ``claims_release``; a claim with a hold not released is left out
    of payment batches."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="holds")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(max_length=80)  # what holds it: "supervision.case:<id>"
    reason = models.TextField()
    placed_at = models.DateTimeField()
    placed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    release_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "止付"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "ref"], condition=Q(released_at__isnull=True), name="claim_hold_one_open_per_ref"
            )
        ]


class ClaimStep(models.Model):
    """办理记录 — one step of a claim's workflow: who, when, what was decided and why."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="steps")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("环节"), max_length=24)
    outcome = models.CharField(_("结果"), max_length=24, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()
    reason = models.TextField(_("意见"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "补贴办理记录"
        ordering = ["at"]


class PersonClaimLock(models.Model):
    """The row locked while a person's claims are checked and written: caps hold under concurrency, across regions."""

    person = models.OneToOneField("registry.Person", primary_key=True, on_delete=models.PROTECT, related_name="+")
    touched_at = models.DateTimeField(auto_now=True)


class Serial(models.Model):
    """The last serial number per prefix (claim and batch numbers), incremented under a row lock."""

    prefix = models.CharField(max_length=24, primary_key=True)
    last = models.PositiveIntegerField(default=0)


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(BaseModel):
    """公示异议 — an objection raised during the announcement period; it must be handled before payment."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="objections")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("异议内容"))
    raised_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raised_by_name = models.CharField(_("提出人"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        ordering = ["created_at"]


# ---- vouchers ------------------------------------------------------------------------------------------------------


class VoucherKind(models.TextChoices):
    FACE_VALUE = "face_value", _("面值券")
    DISCOUNT = "discount", _("抵用券")
    GENERAL = "general", _("通用券")
    DIRECTED = "directed", _("定向券")
    CHECK_IN = "check_in", _("签到券")


class VoucherIssueStatus(models.TextChoices):
    OPEN = "open", _("发放中")
    CLOSED = "closed", _("已停止发放")


class VoucherIssue(BaseModel):
    """培训券发放批次 — what a department issues: content, usable providers and programs, eligible groups, validity,
    quantity, value and fund source."""

    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("券种"), max_length=12, choices=VoucherKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    content = models.TextField(_("培训内容"), blank=True)
    face_value_fen = models.BigIntegerField(_("面值（分）"), default=0)
    discount_percent = models.PositiveSmallIntegerField(_("抵用比例%"), default=0)
    providers = models.JSONField(_("可用机构"), default=list, blank=True)  # organization ids; empty = any listed
    programs = models.JSONField(_("可用项目"), default=list, blank=True)  # program ids; empty = any listed
    groups = models.JSONField(_("可用人群"), default=list, blank=True)  # group codes; empty = anyone
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    quantity = models.PositiveIntegerField(_("发放数量"))
    fund_source = models.CharField(_("资金来源"), max_length=24, choices=FundSource.choices)
    status = models.CharField(max_length=8, choices=VoucherIssueStatus.choices, default=VoucherIssueStatus.OPEN)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "培训券发放批次"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="voucher_issue_range"),
            models.CheckConstraint(condition=Q(discount_percent__lte=100), name="voucher_discount_max"),
        ]


class VoucherState(models.TextChoices):
    ISSUED = "issued", _("已发放")
    CLAIMED = "claimed", _("已领用")
    USED = "used", _("已使用")
    REDEEMED = "redeemed", _("已核销")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已作废")


class Voucher(BaseModel):
    """职业培训券 — one voucher of one person (non-transferable), redeemable once at a listed provider for a listed
    program before it expires."""

    issue = models.ForeignKey(VoucherIssue, on_delete=models.PROTECT, related_name="vouchers")
    code = models.CharField(_("券号"), max_length=20, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("持券人"), max_length=60)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=VoucherState.choices, default=VoucherState.ISSUED)
    source = models.CharField(_("发放方式"), max_length=12)  # group | application
    claimed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    used_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_program = models.ForeignKey(
        "providers.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value_fen = models.BigIntegerField(_("核销金额（分）"), default=0)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "职业培训券"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "person"], name="voucher_once_per_person_issue"),
        ]
        indexes = [models.Index(fields=["person", "state"], name="voucher_person_state_idx")]


# ---- funds and the ledger ------------------------------------------------------------------------------------------


class FundAccount(BaseModel):
    """资金账户 — a fund source owned by a region (unemployment insurance: the province)."""

    fund_source = models.CharField(_("资金来源"), max_length=24, choices=FundSource.choices)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "资金账户"
        ordering = ["region_id", "fund_source"]
        constraints = [models.UniqueConstraint(fields=["fund_source", "region"], name="fund_account_unique")]

    def __str__(self) -> str:
        return f"{self.region.name} {self.get_fund_source_display()}"


class LedgerKind(models.TextChoices):
    ALLOCATION = "allocation", _("资金拨入")
    PAYMENT = "payment", _("补贴支付")
    CLAWBACK = "clawback", _("追回认定")
    RECOVERY = "recovery", _("追回到账")
    REVERSAL = "reversal", _("拨入冲销")


class LedgerTransaction(BaseModel):
    """记账凭证 — one operation on a fund account, posted as balanced entries. A payment or clawback is posted once
    per payment line or claim (unique reference)."""

    kind = models.CharField(_("类型"), max_length=12, choices=LedgerKind.choices)
    fund_account = models.ForeignKey(FundAccount, on_delete=models.PROTECT, related_name="transactions")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    reference = models.CharField(max_length=80, blank=True)
    memo = models.CharField(_("摘要"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "记账凭证"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="ledger_amount_positive"),
            models.UniqueConstraint(
                fields=["kind", "reference"],
                condition=Q(kind__in=["payment", "clawback", "reversal"]),
                name="ledger_posted_once",
            ),
        ]


class LedgerEntry(models.Model):
    """分录 — one side of a transaction on one ledger account (fund account × role)."""

    id = models.BigAutoField(primary_key=True)
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    fund_account = models.ForeignKey(FundAccount, on_delete=models.PROTECT, related_name="entries")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12)
    debit_fen = models.BigIntegerField(default=0)
    credit_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "分录"
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_fen__gt=0) & Q(credit_fen=0)) | (Q(debit_fen=0) & Q(credit_fen__gt=0)),
                name="ledger_entry_one_side",
            )
        ]
        indexes = [models.Index(fields=["fund_account", "role"], name="ledger_entry_account_idx")]


class DebtStatus(models.TextChoices):
    OPEN = "open", _("待追回")
    SETTLED = "settled", _("已追回")


class Debt(BaseModel):
    """应追回款 — what a payee owes after a paid claim was found invalid."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="debt")
    fund_account = models.ForeignKey(FundAccount, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    payee_kind = models.CharField(max_length=12)
    payee_name = models.CharField(_("欠款人"), max_length=200)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_fen = models.BigIntegerField(_("应追回（分）"))
    recovered_fen = models.BigIntegerField(_("已追回（分）"), default=0)
    status = models.CharField(max_length=8, choices=DebtStatus.choices, default=DebtStatus.OPEN)
    reason = models.TextField(_("追回原因"))

    class Meta:
        verbose_name = "应追回款"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recovered_fen__gte=0, recovered_fen__lte=models.F("amount_fen")),
                name="debt_recovered_range",
            )
        ]


# ---- payments ------------------------------------------------------------------------------------------------------


class BatchStatus(models.TextChoices):
    CREATED = "created", _("已生成")
    EXPORTED = "exported", _("已导出支付文件")
    SETTLED = "settled", _("已全部回盘")


class PaymentBatch(BaseModel):
    """拨付批次 — approved claims paid together; exported as the bank payment file, confirmed by the return file."""

    number = models.CharField(_("批次号"), max_length=32, unique=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # the paying region
    status = models.CharField(_("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.CREATED)
    line_count = models.PositiveIntegerField(default=0)
    total_fen = models.BigIntegerField(_("合计（分）"), default=0)
    exported_at = models.DateTimeField(null=True, blank=True)
    exported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = "拨付批次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class LineState(models.TextChoices):
    PENDING = "pending", _("待支付")
    PAID = "paid", _("已支付")
    FAILED = "failed", _("支付失败")


class PaymentLine(BaseModel):
    """支付明细 — one claim in one batch. At most one pending-or-paid line per claim (partial unique index): a claim
    is never paid twice; a failed line leaves the claim free for a new batch after correction."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    seq = models.PositiveIntegerField(_("序号"))
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payment_lines")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # the paying region
    fund_account = models.ForeignKey(FundAccount, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    payee_name = models.CharField(_("收款户名"), max_length=200)
    payee_bank = models.CharField(_("开户银行"), max_length=100, blank=True)
    payee_channel = models.CharField(max_length=24)
    payee_account_enc = models.TextField(blank=True)
    payee_account_masked = models.CharField(_("收款账号"), max_length=40, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=LineState.choices, default=LineState.PENDING)
    failure_reason = models.CharField(_("失败原因"), max_length=300, blank=True)
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "支付明细"
        ordering = ["batch", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(state__in=["pending", "paid"]), name="payment_line_one_live_per_claim"
            ),
            models.UniqueConstraint(fields=["batch", "seq"], name="payment_line_seq_unique"),
            # one 银行流水号 confirms one payment (grant lines are checked against it in the service)
            models.UniqueConstraint(
                fields=["bank_reference"], condition=~Q(bank_reference=""), name="payment_line_bank_reference_unique"
            ),  # fmt: skip
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_line_amount_positive"),
        ]


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("已驳回")


class PayeeChange(BaseModel):
    """收款信息变更申请 — after a failed payment, a new account for the claim's payee: asked by one person (the
    applicant, its organization's staff or an official), approved or rejected by a different official with review
    rights (``subsidy.four_eyes.payee_change``). Only an approved change touches the claim and makes it payable again.
    The new account is encrypted at rest like every bank account (``ACCOUNT_CONTEXT``)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payee_changes")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    payee_bank = models.CharField(_("开户银行"), max_length=100, blank=True)
    payee_account_enc = models.TextField()
    payee_account_masked = models.CharField(_("新收款账号"), max_length=40)
    previous_account_masked = models.CharField(_("原收款账号"), max_length=40, blank=True)
    reason = models.TextField(_("变更原因"))
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by_name = models.CharField(_("申请人"), max_length=150, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = "收款信息变更申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(status="pending"), name="payee_change_one_pending_per_claim"
            )
        ]


class AllocationReversal(BaseModel):
    """拨入冲销申请 — a mistaken allocation reversed by a balancing entry (Dr 拨入资金 / Cr 资金存款): asked with a
    reason by one person with ``finance.ledger``, approved by another (``subsidy.four_eyes.allocation_reversal``);
    the reversing transaction is posted on approval, once per allocation."""

    allocation = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="reversal_requests")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("冲销金额（分）"))
    reason = models.TextField(_("冲销原因"))
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by_name = models.CharField(_("申请人"), max_length=150, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    reversal = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="reversal_of"
    )

    class Meta:
        verbose_name = "拨入冲销申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation"],
                condition=Q(status__in=["pending", "approved"]),
                name="reversal_one_live_per_allocation",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="reversal_amount_positive"),
        ]


# ---- idempotency ---------------------------------------------------------------------------------------------------


class IdempotencyKey(models.Model):
    """幂等键 — one key per (user, endpoint): the hash of the canonical request body and the response, stored in the
    transaction of the effect; kept at least ``JINENG_IDEMPOTENCY_RETENTION_HOURS`` (≥ 24 h)."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    endpoint = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, default="in_flight")  # in_flight | done
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "幂等键"
        constraints = [models.UniqueConstraint(fields=["user", "endpoint", "key"], name="idempotency_key_unique")]


# ---- one-off grants to bases and studios (一次性补助) ----------------------------------------------------------------


class GrantStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("审核通过（待拨付）")
    REJECTED = "rejected", _("不予通过")
    IN_PAYMENT = "in_payment", _("拨付中")
    PAID = "paid", _("已拨付")
    PAYMENT_FAILED = "payment_failed", _("支付失败")


class PayeeCheck(models.TextChoices):
    """A grant's payee account against the accounts the organization was paid on by the bank before (已核验账户)."""

    MATCH = "match", _("与已核验账户一致")
    MISMATCH = "mismatch", _("与已核验账户不一致")
    UNVERIFIED = "unverified", _("该单位没有已核验账户")


# A grant still standing (not refused): at most one per base — 一次性 means once.
LIVE_GRANT_STATUSES = ("submitted", "approved", "in_payment", "paid", "payment_failed")


class BaseGrant(BaseModel):
    """一次性补助 — a one-off grant to a 高技能人才培训基地 or 技能大师工作室 (providers' ``TrainingBase``): asked by the
    host's staff or an official, reviewed by a second person, paid to the host through a payment batch and posted on
    the ledger. One standing grant per base."""

    number = models.CharField(_("补助编号"), max_length=32, unique=True)
    base = models.ForeignKey("providers.TrainingBase", on_delete=models.PROTECT, related_name="+")
    base_name = models.CharField(_("基地或工作室"), max_length=200)
    base_kind = models.CharField(_("类别"), max_length=20)
    base_level = models.CharField(_("级别"), max_length=10)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"))
    year = models.PositiveSmallIntegerField(_("补助年度"))
    amount_fen = models.BigIntegerField(_("补助金额（分）"))
    fund_source = models.CharField(_("资金来源"), max_length=24, choices=FundSource.choices)
    basis = models.CharField(_("补助依据（文号）"), max_length=200)
    note = models.TextField(_("申请说明"), blank=True)
    payee_org = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payee_name = models.CharField(_("收款户名"), max_length=200)
    payee_bank = models.CharField(_("开户银行"), max_length=100)
    payee_account_enc = models.TextField()
    payee_account_masked = models.CharField(_("收款账号"), max_length=40)
    # 收款账号核验: compared with the organization's bank-verified accounts; anything but a match blocks approval
    # until a second person confirms it with a reason (audited).
    payee_check = models.CharField(_("收款账号核验"), max_length=12, choices=PayeeCheck.choices,
                                   default=PayeeCheck.UNVERIFIED)  # fmt: skip
    payee_confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payee_confirmed_by_name = models.CharField(_("账号确认人"), max_length=150, blank=True)
    payee_confirmed_at = models.DateTimeField(null=True, blank=True)
    payee_confirm_reason = models.CharField(_("账号确认理由"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=GrantStatus.choices, default=GrantStatus.SUBMITTED, db_index=True
    )
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by_name = models.CharField(_("申请人"), max_length=150, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_by_name = models.CharField(_("审核人"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(_("审核意见"), blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "基地与工作室一次性补助"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["base"], condition=Q(status__in=LIVE_GRANT_STATUSES), name="base_grant_once_per_base"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="base_grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class GrantLine(BaseModel):
    """补助支付明细 — one grant in one payment batch (the batch claims are paid in). At most one pending-or-paid line
    per grant: a grant is never paid twice; a failed line leaves it free for a new batch."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="grant_lines")
    seq = models.PositiveIntegerField(_("序号"))
    grant = models.ForeignKey(BaseGrant, on_delete=models.PROTECT, related_name="lines")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # the paying region
    fund_account = models.ForeignKey(FundAccount, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    payee_name = models.CharField(_("收款户名"), max_length=200)
    payee_account_masked = models.CharField(_("收款账号"), max_length=40)
    state = models.CharField(_("状态"), max_length=8, choices=LineState.choices, default=LineState.PENDING)
    failure_reason = models.CharField(_("失败原因"), max_length=300, blank=True)
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "补助支付明细"
        ordering = ["batch", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant"], condition=Q(state__in=["pending", "paid"]), name="grant_line_one_live_per_grant"
            ),
            models.UniqueConstraint(fields=["batch", "seq"], name="grant_line_seq_unique"),
            models.UniqueConstraint(
                fields=["bank_reference"], condition=~Q(bank_reference=""), name="grant_line_bank_reference_unique"
            ),  # fmt: skip
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="grant_line_amount_positive"),
        ]


# ---- recovery orders (追回单: a confirmed fraud case claws back paid claims) ----------------------------------------


class RecoveryStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    OPEN = "open", _("追回中")
    RECOVERED = "recovered", _("已追回")
    REJECTED = "rejected", _("已驳回")


class RecoveryOrder(BaseModel):
    """追回单 — one paid claim to recover (amount ≤ what was paid, due date), ordered by a case official (``ref``:
    ``supervision.case:<id>``), approved by a second person with ``finance.pay``: the approval claws the claim back
    (the payee's ``Debt``, the ledger's 追回认定). Money that comes back is a ``RecoveryReceipt``."""

    number = models.CharField(_("追回单号"), max_length=32, unique=True)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="recovery_orders")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(max_length=80, db_index=True)
    amount_fen = models.BigIntegerField(_("追回金额（分）"))
    paid_fen = models.BigIntegerField(_("已拨付（分）"))
    due_date = models.DateField(_("追回期限"))
    reason = models.TextField(_("追回原因"))
    status = models.CharField(_("状态"), max_length=10, choices=RecoveryStatus.choices, default=RecoveryStatus.PENDING,
                              db_index=True)  # fmt: skip
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by_name = models.CharField(_("经办人"), max_length=150, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by_name = models.CharField(_("复核人"), max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("复核意见"), blank=True)
    debt = models.OneToOneField(Debt, null=True, blank=True, on_delete=models.PROTECT, related_name="recovery_order")
    recovered_fen = models.BigIntegerField(_("已追回（分）"), default=0)

    class Meta:
        verbose_name = "追回单"
        ordering = ["-created_at"]
        constraints = [
            # one live order per claim: a retried order finds it instead of recovering twice
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status__in=["pending", "open", "recovered"]),
                name="recovery_one_live_per_claim",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(amount_fen__gt=0, amount_fen__lte=models.F("paid_fen")), name="recovery_amount_within_paid"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(recovered_fen__gte=0, recovered_fen__lte=models.F("amount_fen")),
                name="recovery_recovered_range",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.recovered_fen


class ReceiptStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已入账")
    REJECTED = "rejected", _("已驳回")


class RecoveryReceipt(BaseModel):
    """追回到账登记 — money that came back on an order, recorded by one person and confirmed by another; the
    ledger's 追回到账 is posted on confirmation, once (``key``: the caller's idempotency key or the bank reference)."""

    order = models.ForeignKey(RecoveryOrder, on_delete=models.PROTECT, related_name="receipts")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("到账流水号"), max_length=80)
    amount_fen = models.BigIntegerField(_("到账金额（分）"))
    received_on = models.DateField(_("到账日期"))
    memo = models.CharField(_("摘要"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.PENDING)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField(_("登记人"), max_length=150, blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_by_name = models.CharField(_("确认人"), max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    posting = models.OneToOneField(LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="recovery_receipt")  # fmt: skip

    class Meta:
        verbose_name = "追回到账登记"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["order", "key"], name="recovery_receipt_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="recovery_receipt_positive"),
        ]
