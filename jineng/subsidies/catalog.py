"""The closed catalogue of subsidy types (补贴类型) — what each pays for, who applies, where it is attributed — and of
fund sources with the level at which each is pooled.

Amounts, eligibility, limits, payees and fund sources of a type are policy DATA (``PolicyVersion.rules``); what a
type's qualifying event is and where its claims count (ADR 0004) is fixed here because facts are gathered by code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.rules.subsidy.policy import FUND_SOURCE_LABELS


class SubsidyType(models.TextChoices):
    TRAINING = "training", _("职业培训补贴")
    LIVING = "living", _("生活费补贴")
    SKILL_UPGRADE = "skill_upgrade", _("职业技能提升补贴")
    UI_SKILL_UPGRADE = "ui_skill_upgrade", _("失业保险技能提升补贴")
    APPRENTICESHIP = "apprenticeship", _("企业新型学徒制培训补贴")
    WORK_FOR_TRAINING = "work_for_training", _("以工代训补贴")
    # 评价补贴 (鉴定补贴): for passing a skill evaluation (职业技能等级认定, 专项职业能力考核) — 吉人社规〔2024〕3号 and the
    # national plan's "鉴定补贴"; the certificate is the qualifying event, the person applies.
    EVALUATION = "evaluation", _("评价补贴")


class EventKind(models.TextChoices):
    ENROLLMENT = "enrollment", _("培训结业")
    CERTIFICATE = "certificate", _("取得证书")
    APPRENTICE_YEAR = "apprentice_year", _("学徒培养年度")
    EMPLOYMENT = "employment", _("吸纳就业")
    VOUCHER = "voucher", _("培训券核销")
    APPRENTICE_ADVANCE = "apprentice_advance", _("学徒培养年度预支")


class Attribution(models.TextChoices):
    CLASS_REGION = "class_region", _("培训班所在县区")
    INSURANCE_REGION = "insurance_region", _("参保地")
    ENTERPRISE_REGION = "enterprise_region", _("企业注册地")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("个人")
    PROVIDER = "provider", _("培训机构")
    ENTERPRISE = "enterprise", _("企业")


@dataclass(frozen=True)
class TypeSpec:
    code: str
    event: str
    attribution: str
    applicants: tuple[str, ...]


TYPES: dict[str, TypeSpec] = {
    spec.code: spec
    for spec in [
        TypeSpec(SubsidyType.TRAINING, EventKind.ENROLLMENT, Attribution.CLASS_REGION, ("provider", "person")),
        TypeSpec(SubsidyType.LIVING, EventKind.ENROLLMENT, Attribution.CLASS_REGION, ("person", "provider")),
        TypeSpec(SubsidyType.SKILL_UPGRADE, EventKind.CERTIFICATE, Attribution.INSURANCE_REGION, ("person",)),
        TypeSpec(SubsidyType.UI_SKILL_UPGRADE, EventKind.CERTIFICATE, Attribution.INSURANCE_REGION, ("person",)),
        TypeSpec(SubsidyType.APPRENTICESHIP, EventKind.APPRENTICE_YEAR, Attribution.ENTERPRISE_REGION, ("enterprise",)),
        TypeSpec(SubsidyType.WORK_FOR_TRAINING, EventKind.EMPLOYMENT, Attribution.ENTERPRISE_REGION, ("enterprise",)),
        TypeSpec(SubsidyType.EVALUATION, EventKind.CERTIFICATE, Attribution.INSURANCE_REGION, ("person",)),
    ]
}


def type_spec(code: str) -> TypeSpec:
    from jineng.common.errors import invalid

    spec = TYPES.get(code)
    if spec is None:
        raise invalid(field="subsidy_type", code="unknown_subsidy_type", message=f"未知的补贴类型：{code!r}")
    return spec


class FundSource(models.TextChoices):
    # The pure rules' names, translated through the catalog (jineng/web/catalog_labels.py marks them).
    UNEMPLOYMENT_INSURANCE = "unemployment_insurance", _(FUND_SOURCE_LABELS["unemployment_insurance"])  # noqa: INT001
    EMPLOYMENT_FUND = "employment_fund", _(FUND_SOURCE_LABELS["employment_fund"])  # noqa: INT001
    SPECIAL_ACCOUNT = "special_account", _(FUND_SOURCE_LABELS["special_account"])  # noqa: INT001


# The level whose region owns (pays from) a fund: unemployment insurance is pooled at province level; the special
# account (职业技能提升行动专账) is held by the province; employment subsidy funds (就业补助资金) are spent by the city.
FUND_POOLING: dict[str, str] = {
    FundSource.UNEMPLOYMENT_INSURANCE: "province",
    FundSource.SPECIAL_ACCOUNT: "province",
    FundSource.EMPLOYMENT_FUND: "city",
}


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理，待初审")
    FIRST_PASSED = "first_passed", _("初审通过，待复审")
    PUBLICITY = "publicity", _("公示中")
    APPROVED = "approved", _("审批通过，待拨付")
    IN_PAYMENT = "in_payment", _("拨付中")
    PAID = "paid", _("已拨付")
    PAYMENT_FAILED = "payment_failed", _("支付失败，待更正")
    RETURNED = "returned", _("退回补正")
    REJECTED = "rejected", _("不予通过")
    SUPERSEDED = "superseded", _("已由新版本替代")
    WITHDRAWN = "withdrawn", _("已撤回")
    CLAWED_BACK = "clawed_back", _("已追回")


# Claims that hold their qualifying event and count toward the person's limits, in every region.
LIVE_STATUSES = (
    ClaimStatus.SUBMITTED,
    ClaimStatus.ACCEPTED,
    ClaimStatus.FIRST_PASSED,
    ClaimStatus.PUBLICITY,
    ClaimStatus.APPROVED,
    ClaimStatus.IN_PAYMENT,
    ClaimStatus.PAID,
    ClaimStatus.PAYMENT_FAILED,
    ClaimStatus.RETURNED,
)
# Where a reviewer acts, and the queue each status is in.
REVIEW_QUEUES = {
    ClaimStatus.SUBMITTED: _("受理"),
    ClaimStatus.ACCEPTED: _("初审"),
    ClaimStatus.FIRST_PASSED: _("复审"),
    ClaimStatus.PUBLICITY: _("公示"),
}

COUNTER_LABELS = {
    "annual_total": "补贴（职业技能提升、学徒制、职业培训等合计）",
    "certificate_subsidy": "技能提升类补贴",
}
