"""Tables of the skill credit bank (技能学分银行, docs/credits.md):

- **学分规则** ``CreditRuleSet`` — a region's versioned rules (``jineng.rules.credits``): what a class, an online
  学时, a certificate and a competition award earn, annual caps, expiry, conversion rates;
- **学分明细** ``CreditEntry`` — the append-only ledger: every credit earned, reversed, recognized or converted, with
  its source record, rule version and date; corrections are reversing entries, never edits;
- **学分互认** ``Recognition`` — a request to recognize a record of another region, reviewed by a second person;
- **学分转换** ``Conversion`` — credits spent on the exemption of a training module's 学时 or an evaluation's theory
  part, with the entries it consumed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel


class Category(models.TextChoices):
    TRAINING = "training", _("培训")
    ONLINE = "online", _("线上学习")
    CERTIFICATE = "certificate", _("证书")
    COMPETITION = "competition", _("竞赛")


class EntryKind(models.TextChoices):
    EARN = "earn", _("获得")
    REVERSE = "reverse", _("冲销")
    RECOGNIZE = "recognize", _("互认")
    CONVERT = "convert", _("转换")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("已退回")


class CreditRuleSet(BaseModel):
    """A region's rules. Drafted by one official, published by another (``settings.edit`` over the region); only a
    published version counts, from its ``valid_from`` on. A draft has no version number until it is published."""

    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), null=True, blank=True)
    valid_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=300)
    rules = models.JSONField(default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=RuleSetStatus.choices,
                              default=RuleSetStatus.PUBLISHED)  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # fmt: skip
    published_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["region_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["region", "version"], name="credit_rules_version_once")]


class CreditEntry(BaseModel):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # attribution
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    credits = models.DecimalField(_("学分"), max_digits=7, decimal_places=1)  # signed
    source_key = models.CharField(_("来源"), max_length=80)  # "certificate:<uuid>", "recognition:<uuid>" …
    source_label = models.CharField(_("来源说明"), max_length=200)
    rule_set = models.ForeignKey(CreditRuleSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule_version = models.PositiveIntegerField(_("规则版本"), null=True, blank=True)
    explanation = models.CharField(_("计算说明"), max_length=300, blank=True)
    on = models.DateField(_("日期"))
    expires_on = models.DateField(_("失效日期"), null=True, blank=True)
    conversion = models.ForeignKey(
        "Conversion", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    # a reversal or conversion entry names the earned (or recognized) entry it takes credits from
    offsets = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="offset_by")

    class Meta:
        ordering = ["person_id", "on", "created_at"]
        constraints = [
            # never twice for the same source: one earn, one reversal, one recognition per source
            models.UniqueConstraint(
                fields=["source_key", "kind"], condition=~Q(kind="convert"), name="credit_entry_once_per_source"
            ),
        ]
        indexes = [models.Index(fields=["person", "category"], name="credit_entry_person_cat")]


class RecognitionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("不予认定")


class Recognition(BaseModel):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # the recognizing region
    from_region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    record_ref = models.CharField(_("原记录编号"), max_length=60)
    issuer = models.CharField(_("原记录出具单位"), max_length=200)
    description = models.CharField(_("原记录内容"), max_length=300)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    credits = models.DecimalField(_("申请学分"), max_digits=5, decimal_places=1)
    earned_on = models.DateField(_("取得日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RecognitionStatus.choices,
                              default=RecognitionStatus.PENDING)  # fmt: skip
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_region", "record_ref"], condition=~Q(status="rejected"), name="recognition_record_once"
            ),
        ]


class ConversionTarget(models.TextChoices):
    MODULE_HOURS = "module_hours", _("免修培训模块学时")
    THEORY_WAIVER = "theory_waiver", _("免考评价理论部分")


class ConversionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已转换")
    REJECTED = "rejected", _("不予转换")
    WITHDRAWN = "withdrawn", _("本人撤回同意")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("本人签字的书面申请")
    IN_PERSON = "in_person", _("本人到场确认")
    ONLINE = "online", _("本人在线确认")


class Conversion(BaseModel):
    """A conversion is asked for by one official with the person's consent and approved by another: only the
    approval writes the entries (and checks the balance again, under a lock on the person). One conversion per
    person and target (the module or the evaluation) while one is pending or done."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    target = models.CharField(_("转换用途"), max_length=16, choices=ConversionTarget.choices)
    target_label = models.CharField(_("转换对象"), max_length=200)  # the module or the evaluation, in words
    target_key = models.CharField(max_length=200, default="")  # target_label folded: one conversion per target
    category = models.CharField(_("使用类别"), max_length=16, choices=Category.choices, blank=True)
    credits = models.DecimalField(_("使用学分"), max_digits=6, decimal_places=1)
    hours_waived = models.PositiveIntegerField(_("免修学时"), default=0)
    rule_set = models.ForeignKey(CreditRuleSet, on_delete=models.PROTECT, related_name="+")
    consumed = models.JSONField(default=list)  # [{"entry": id, "credits": "1.5"}] oldest first
    reason = models.CharField(_("依据"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=ConversionStatus.choices,
                              default=ConversionStatus.PENDING)  # fmt: skip
    consent_method = models.CharField(_("本人同意方式"), max_length=16, choices=ConsentMethod.choices, blank=True)
    consent_ref = models.CharField(_("同意凭证"), max_length=60, blank=True)  # 申请表编号 or where it is kept
    consent_on = models.DateField(_("同意日期"), null=True, blank=True)  # online: set when the person consents
    consented_at = models.DateTimeField(null=True, blank=True)  # online consent: when the person gave it
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "target", "target_key"], condition=Q(status__in=["pending", "approved"]),
                name="conversion_once_per_target",
            ),
        ]  # fmt: skip


class TrustedIssuer(BaseModel):
    """受信任的签发方 — another deployment (another region's platform) whose signed transcripts are recognized: its
    name, its issuer id (the ``issuer.id`` its credentials name), its region and its published public keys (the
    Ed25519 keys of its ``/.well-known/jwks.json``). Registered by an official with ``settings.edit`` (audited)."""

    name = models.CharField(_("签发方名称"), max_length=120)
    issuer_url = models.CharField(_("签发方标识"), max_length=200)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # the issuer's region
    keys = models.JSONField(default=list)  # [{"kty": "OKP", "crv": "Ed25519", "x": …, "kid": …}]
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_url"], condition=Q(active=True), name="trusted_issuer_once"),
        ]


class TranscriptImport(BaseModel):
    """导入的学分证明 — another deployment's signed transcript, verified against its issuer's keys and recorded as
    互认 entries (one per credit the issuer earned and still holds). A transcript is imported once."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # the recognizing region
    issuer = models.ForeignKey(TrustedIssuer, on_delete=models.PROTECT, related_name="imports")
    credential_id = models.CharField(max_length=100)  # the transcript's own id (urn:uuid:…)
    token_sha256 = models.CharField(max_length=64)
    kid = models.CharField(max_length=100)
    issued_on = models.DateField(_("签发日期"), null=True, blank=True)
    as_of = models.DateField(_("截至日期"), null=True, blank=True)
    credits = models.DecimalField(_("认定学分"), max_digits=7, decimal_places=1)
    entries_recorded = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list)  # [{"name", "reason"}]: achievements not recorded, and why
    entry_ids = models.JSONField(default=list)  # the 互认 entries it recorded
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "credential_id"], name="transcript_import_once"),
            models.UniqueConstraint(fields=["token_sha256"], name="transcript_import_token_once"),
        ]
