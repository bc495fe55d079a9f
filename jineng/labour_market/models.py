"""Demand monitoring (技能人才需求动态监测): vacancies (岗位需求), job-seeker registrations (求职登记), wage survey
records (企业薪酬调查) and the versioned 急需紧缺职业（工种）目录 with its items. Wages are whole yuan: vacancies a
month (as posted), survey records a year. Each record keeps the source's own key (``ref``) so that re-importing a
file creates nothing twice; the key is the source's within its region (two cities may number alike)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel


class Vacancy(BaseModel):
    """岗位需求 — openings an employer posted with the public employment service."""

    ref = models.CharField(_("岗位编号"), max_length=64)
    employer_name = models.CharField(_("招聘单位"), max_length=200)
    employer_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("招聘人数"))
    wage_offered = models.PositiveIntegerField(_("月薪（元）"), null=True, blank=True)
    level_required = models.ForeignKey(
        "refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_on = models.DateField(_("发布日期"), db_index=True)
    closed_on = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        ordering = ["-posted_on", "ref"]
        indexes = [models.Index(fields=["region", "posted_on"], name="lm_vacancy_region_posted")]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="lm_vacancy_count_positive"),
            models.UniqueConstraint(fields=["region", "ref"], name="lm_vacancy_region_ref_unique"),
        ]


class JobSeeker(BaseModel):
    """求职登记 — one registration of a job seeker for one occupation (no personal data: the source's number)."""

    ref = models.CharField(_("求职登记编号"), max_length=64)
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    level_held = models.ForeignKey(
        "refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_on = models.DateField(_("登记日期"), db_index=True)

    class Meta:
        ordering = ["-registered_on", "ref"]
        indexes = [models.Index(fields=["region", "registered_on"], name="lm_seeker_region_registered")]
        constraints = [models.UniqueConstraint(fields=["region", "ref"], name="lm_seeker_region_ref_unique")]


class WageRecord(BaseModel):
    """企业薪酬调查 — one employee's annual pay in one occupation, as the enterprise reported it (样本)."""

    ref = models.CharField(_("样本编号"), max_length=64)
    employer_name = models.CharField(_("调查单位"), max_length=200, blank=True)
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("调查年度"))
    annual_pay = models.PositiveIntegerField(_("年薪（元）"))

    class Meta:
        ordering = ["-year", "ref"]
        indexes = [models.Index(fields=["year", "region", "occupation"], name="lm_wage_year_region_occ")]
        constraints = [models.UniqueConstraint(fields=["region", "ref"], name="lm_wage_region_ref_unique")]


class CatalogStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已发布")


class ShortageCatalog(BaseModel):
    """急需紧缺职业（工种）目录 — one version of a region's catalog. Drafted (from the published rule, then edited),
    approved by someone other than those who edited it, published with an effective date; every version is kept.
    The version in force on a date is the published one with the latest ``effective_from`` not after it."""

    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    version_no = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("目录名称"), max_length=200)
    status = models.CharField(max_length=12, choices=CatalogStatus.choices, default=CatalogStatus.DRAFT)
    basis = models.JSONField(_("生成依据"), default=dict, blank=True)  # the rule's parameters and window
    editors = models.JSONField(default=list, blank=True)  # ids of the users who drafted or edited it
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["region_id", "-version_no"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version_no"], name="lm_catalog_region_version_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.title}（第{self.version_no}版）"


class ItemBasis(models.TextChoices):
    RULE = "rule", _("按求人倍率规则生成")
    EXPERT = "expert", _("专家增补")


class ShortageItem(BaseModel):
    catalog = models.ForeignKey(ShortageCatalog, on_delete=models.PROTECT, related_name="items")
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=10, choices=ItemBasis.choices, default=ItemBasis.RULE)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    figures = models.JSONField(default=dict, blank=True)  # the ratios that qualified it (rule items)
    removed = models.BooleanField(default=False)  # taken out of a draft (kept: the trail of the edit)

    class Meta:
        ordering = ["occupation__code"]
        constraints = [models.UniqueConstraint(fields=["catalog", "occupation"], name="lm_item_catalog_occ_unique")]
