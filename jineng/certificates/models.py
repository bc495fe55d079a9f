"""Evaluation and certificates (职业技能评价与证书).

- **备案** ``EvaluatorFiling`` — an evaluation organization's filed scope: route × occupation × level, for a period;
- **合格标准** ``PassRule`` — score ranges and pass marks per occupation and level (default 100/100, pass 60/60);
- **考试场次** ``ExamSession`` — venue region (attribution), time, duration, registered terminals, examiners
  (``SessionExaminer``, from the pool) and candidates (``Candidate``) with their scores and results;
- **证书** ``Certificate`` — kind, number (with a MOD 37,36 check character), holder, occupation, level, issuer,
  date, status; corrections (``CertificateCorrection``) keep what changed and why;
- **签发密钥** ``IssuerKey`` — the Ed25519 keys that sign verifiable credentials, private halves encrypted;
- ``NumberSerial`` hands out serials; ``RateCounter`` counts public verification requests per client.

Records are never hard-deleted (``BaseModel``); every change goes through ``services.py`` with an audit entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel


class EvaluationRoute(models.TextChoices):
    """评价途径."""

    SOCIAL = "social", _("社会培训评价组织")
    EMPLOYER = "employer", _("企业自主评价")
    SCHOOL = "school", _("院校")
    SPECIAL = "special", _("专项职业能力考核")


class EvaluatorFiling(BaseModel):
    """评价机构备案范围 — the occupation × level an evaluation organization may evaluate, on one route, for a period."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    route = models.CharField(_("评价途径"), max_length=10, choices=EvaluationRoute.choices)
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    # No level for 专项职业能力考核, which is not graded.
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # the organization's
    valid_from = models.DateField(_("备案日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    document_number = models.CharField(_("备案文号"), max_length=60, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = "评价机构备案"
        ordering = ["organization_id", "occupation__code", "level__rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="filing_valid_range",
            ),
            models.UniqueConstraint(
                fields=["organization", "route", "occupation", "level"],
                condition=Q(revoked_at__isnull=True),
                name="filing_unique_open",
            ),
        ]


class PassRule(BaseModel):
    """合格标准 — score ranges and pass marks for sessions in a region (and below), optionally per occupation and
    level, from a date. The most specific rule in force on the exam date applies; without one, 100/100, 60/60."""

    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    theory_max = models.DecimalField(_("理论满分"), max_digits=5, decimal_places=1, default=100)
    practical_max = models.DecimalField(_("实操满分"), max_digits=5, decimal_places=1, default=100)
    theory_pass = models.DecimalField(_("理论合格线"), max_digits=5, decimal_places=1, default=60)
    practical_pass = models.DecimalField(_("实操合格线"), max_digits=5, decimal_places=1, default=60)
    valid_from = models.DateField(_("生效日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "合格标准"
        ordering = ["region_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theory_max__gte=0, practical_max__gte=0)
                & (Q(theory_max__gt=0) | Q(practical_max__gt=0))
                & Q(theory_pass__gte=0, theory_pass__lte=models.F("theory_max"))
                & Q(practical_pass__gte=0, practical_pass__lte=models.F("practical_max")),
                name="pass_rule_ranges",
            )
        ]


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    RESULTS_CLOSED = "closed", _("成绩已确认")
    CANCELLED = "cancelled", _("已取消")


class ExamSession(BaseModel):
    """考试场次 — one sitting of one evaluation organization for one occupation and level at a venue."""

    code = models.CharField(_("场次编号"), max_length=40, unique=True)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(EvaluatorFiling, on_delete=models.PROTECT, related_name="sessions")
    route = models.CharField(_("评价途径"), max_length=10, choices=EvaluationRoute.choices)
    certificate_kind = models.ForeignKey("refdata.CertificateKind", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    venue_region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    venue_address = models.CharField(_("考场地址"), max_length=300)
    starts_at = models.DateTimeField(_("开考时间"))
    exam_date = models.DateField(_("考试日期"), db_index=True)  # the local date of starts_at
    duration_minutes = models.PositiveSmallIntegerField(_("考试时长（分钟）"))
    terminals = models.JSONField(_("登记考试终端"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED, db_index=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # 花名册补报: candidates are due ``exam.roster_days_before`` days before the exam; an official of the venue's
    # region may reopen the roster after that, with a reason.
    roster_reopened_at = models.DateTimeField(_("花名册补报批准时间"), null=True, blank=True)
    roster_reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    roster_reopen_reason = models.CharField(_("花名册补报原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "考试场次"
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.code


class SessionExaminer(BaseModel):
    """场次考评员 — a pool examiner booked for a session. The date and district are copied from the session, so the
    check "one examiner in two districts on the same day" is one indexed query."""

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="examiners")
    pool_role = models.ForeignKey("providers.PoolRole", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    exam_date = models.DateField()
    venue_region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "场次考评员"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["person", "exam_date"], name="examiner_person_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], condition=Q(released_at__isnull=True), name="session_examiner_once"
            )
        ]


class CandidateSource(models.TextChoices):
    CLASS = "class", _("培训班结业")
    APPLICATION = "application", _("个人报名")


class CandidateResult(models.TextChoices):
    PENDING = "pending", _("待考")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    ABSENT = "absent", _("缺考")


class Candidate(BaseModel):
    """考生 — a person sitting a session, from a completed class or an individual application, with the scores
    and the examiner who recorded them (who examined whom)."""

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="candidates")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=12, choices=CandidateSource.choices)
    training_class_id = models.UUIDField(null=True, blank=True)  # the class (training app) the candidate completed
    enrollment_id = models.UUIDField(null=True, blank=True)
    theory_score = models.DecimalField(_("理论成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    practical_score = models.DecimalField(_("实操成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(
        _("结果"), max_length=8, choices=CandidateResult.choices, default=CandidateResult.PENDING, db_index=True
    )
    examiner = models.ForeignKey(
        SessionExaminer, null=True, blank=True, on_delete=models.PROTECT, related_name="candidates"
    )
    terminal = models.CharField(_("考试终端"), max_length=60, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "考生"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="candidate_once_per_session")]


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


class CertificateSource(models.TextChoices):
    EXAM = "exam", _("考核发证")
    IMPORT = "import", _("历史证书导入")
    COMPETITION = "competition", _("竞赛晋升")


class Certificate(BaseModel):
    """证书 — a certificate held by a registry person. The holder's name, the occupation's and the issuer's names
    are kept as printed (a later rename changes nothing already issued); corrections are recorded."""

    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    kind = models.ForeignKey("refdata.CertificateKind", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    holder_name = models.CharField(_("持证人"), max_length=100)
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation_name = models.CharField(_("职业（工种）"), max_length=200)
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField(_("发证机构"), max_length=200)
    issued_on = models.DateField(_("发证日期"), db_index=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # attribution
    candidate = models.OneToOneField(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    source = models.CharField(_("来源"), max_length=12, choices=CertificateSource.choices)
    # 发证依据 — the rule or decision a certificate not earned in an exam rests on (a competition's award rules …).
    legal_basis = models.CharField(_("发证依据"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=CertificateStatus.choices, default=CertificateStatus.VALID, db_index=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "证书"
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number


class CertificateCorrection(BaseModel):
    """证书更正 — what was changed on a certificate, from what to what, why and by whom."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="corrections")
    changes = models.JSONField()  # {field: [before, after]}
    reason = models.CharField(_("更正原因"), max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "证书更正"
        ordering = ["created_at"]


class NumberSerial(models.Model):
    """The last serial handed out per number prefix (region + year + kind letter); incremented under a row lock."""

    prefix = models.CharField(max_length=11, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "证书编号序列"


class IssuerKeyStatus(models.TextChoices):
    ACTIVE = "active", _("签发中")
    RETIRED = "retired", _("已停用（仍公布，用于验证）")


class IssuerKey(BaseModel):
    """签发密钥 — an Ed25519 key pair that signs credentials. The private key is encrypted (jineng.common.crypto);
    a retired key stays published in the JWKS so the credentials it signed stay verifiable."""

    kid = models.CharField(max_length=64, unique=True)
    public_x = models.CharField(max_length=64)  # base64url of the 32-byte public key (JWK "x")
    private_enc = models.TextField()
    status = models.CharField(max_length=8, choices=IssuerKeyStatus.choices, default=IssuerKeyStatus.ACTIVE)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "证书签发密钥"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="issuer_key_one_active")
        ]


class RateCounter(models.Model):
    """A fixed-window request counter per (bucket, client address), shared by every worker process."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "限流计数"
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_window")]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_age")]
