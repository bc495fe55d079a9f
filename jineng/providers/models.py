"""Providers, enterprises and evaluation organizations (机构档案); the provider catalog (培训机构目录) and the program
catalog (培训项目目录) — the two catalogs of 两目录一系统; the teachers' pool (师资库); bases and studios (基地与工作室).

``accounts.Organization`` is the identity (kind, name, credit code, region) that grants point at; an
``OrganizationProfile`` here holds the rest. Records are never hard-deleted (``BaseModel``); decisions keep who made
them, when, and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel

# ---- organizations -----------------------------------------------------------------------------------------------


class ProviderType(models.TextChoices):
    """培训机构类型."""

    TECHNICAL_SCHOOL = "technical_school", _("技工院校")
    VOCATIONAL_COLLEGE = "vocational_college", _("职业院校")
    UNIVERSITY = "university", _("普通高校")
    PRIVATE_TRAINING = "private_training", _("民办职业培训机构")
    ENTERPRISE_CENTER = "enterprise_center", _("企业培训中心")
    PUBLIC_BASE = "public_base", _("公共实训基地")
    ONLINE_PLATFORM = "online_platform", _("线上培训平台")


# Types whose training is authorised by a 办学许可证 from the human-resources department: their catalog scope must
# lie within the licence (occupations and the highest level licensed), and the licence must be valid.
LICENCE_REQUIRED = frozenset({ProviderType.TECHNICAL_SCHOOL, ProviderType.PRIVATE_TRAINING})


class EnterpriseSize(models.TextChoices):
    """企业规模 (统计上大中小微型企业划分办法)."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class EvaluatorType(models.TextChoices):
    """评价机构类型."""

    EMPLOYER = "employer", _("用人单位（自主评价）")
    SOCIAL = "social", _("社会培训评价组织")
    SCHOOL = "school", _("院校")


class RegistrationSource(models.TextChoices):
    SELF = "self", _("自助注册")
    OFFICIAL = "official", _("经办登记")
    IMPORT = "import", _("批量导入")


class OrganizationProfile(BaseModel):
    """机构档案 — the full profile of a provider, enterprise or evaluation organization."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT, related_name="profile")
    provider_type = models.CharField(_("机构类型"), max_length=24, choices=ProviderType.choices, blank=True)
    evaluator_type = models.CharField(_("评价机构类型"), max_length=12, choices=EvaluatorType.choices, blank=True)
    # Enterprise facts (also kept for a provider that is an enterprise's training centre).
    is_above_scale = models.BooleanField(_("规模以上企业"), default=False)
    size = models.CharField(_("企业规模"), max_length=8, choices=EnterpriseSize.choices, blank=True)
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    industry_tags = models.ManyToManyField("refdata.Tag", blank=True, related_name="+", verbose_name=_("产业标签"))
    legal_representative = models.CharField(_("法定代表人"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone_enc = models.TextField(blank=True)
    contact_phone_masked = models.CharField(_("联系电话"), max_length=24, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    licence_number = models.CharField(_("办学许可证编号"), max_length=60, blank=True)
    licence_issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    licence_valid_from = models.DateField(_("许可证有效期起"), null=True, blank=True)
    licence_valid_until = models.DateField(_("许可证有效期至"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=RegistrationSource.choices, default=RegistrationSource.OFFICIAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "机构档案"
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="profile_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="profile_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(licence_valid_from__isnull=True)
                | Q(licence_valid_until__isnull=True)
                | Q(licence_valid_until__gte=models.F("licence_valid_from")),
                name="profile_licence_range",
            ),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def needs_licence(self) -> bool:
        return self.provider_type in LICENCE_REQUIRED


class LicenceItem(BaseModel):
    """办学许可证核定的培训职业 — an occupation the licence covers, up to a level."""

    profile = models.ForeignKey(OrganizationProfile, on_delete=models.PROTECT, related_name="licence_items")
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    max_level = models.ForeignKey(
        "refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "许可培训职业"
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "occupation"], condition=Q(removed_at__isnull=True), name="licence_item_unique"
            )
        ]


class OrganizationAdmin(BaseModel):
    """机构管理员 — a staff member who manages the organization's staff accounts (delegated user administration)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "机构管理员"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], condition=Q(revoked_at__isnull=True), name="org_admin_unique"
            )
        ]


# ---- the two catalogs --------------------------------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    """培训类型."""

    EMPLOYMENT = "employment", _("就业技能培训")
    UPGRADING = "upgrading", _("岗位技能提升培训")
    ENTREPRENEURSHIP = "entrepreneurship", _("创业培训")
    APPRENTICESHIP = "apprenticeship", _("企业新型学徒制")
    SAFETY = "safety", _("安全技能培训")
    DIGITAL = "digital", _("数字技能培训")
    WORK_FOR_TRAINING = "work_for_training", _("以工代训")
    PRE_JOB = "pre_job", _("岗前培训")
    PROJECT = "project", _("项目制培训")


class ApplicationKind(models.TextChoices):
    NEW = "new", _("申请入目录")
    RENEWAL = "renewal", _("到期延续")
    EXTENSION = "extension", _("增加培训范围")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待市级审核")
    CITY_PASSED = "city_passed", _("待省级审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_APPLICATION_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.CITY_PASSED)


class ProviderApplication(BaseModel):
    """入目录申请 — application → city review → province approval → listed."""

    profile = models.ForeignKey(OrganizationProfile, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("申请类型"), max_length=10, choices=ApplicationKind.choices, default=ApplicationKind.NEW)
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    capacity_per_year = models.PositiveIntegerField(_("年培训能力（人次）"))
    description = models.TextField(_("申请说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_due = models.DateField(_("市级审核期限"), null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_opinion = models.TextField(_("市级审核意见"), blank=True)
    approval_due = models.DateField(_("省级审批期限"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_opinion = models.TextField(_("省级审批意见"), blank=True)
    listing = models.ForeignKey(
        "ProviderListing", null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )

    class Meta:
        verbose_name = "入目录申请"
        ordering = ["-created_at"]
        constraints = [
            # One open application per organization at a time: a second one would race the first to the listing.
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(status__in=["draft", "submitted", "city_passed"]),
                name="provider_application_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.get_kind_display()}"

    @property
    def due(self) -> object:
        if self.status == ApplicationStatus.SUBMITTED:
            return self.review_due
        if self.status == ApplicationStatus.CITY_PASSED:
            return self.approval_due
        return None


class ScopeItemBase(models.Model):
    # No occupation only for 创业培训, which the occupational classification does not cover.
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    training_kind = models.CharField(_("培训类型"), max_length=20, choices=TrainingKind.choices)

    class Meta:
        abstract = True


class ApplicationScope(ScopeItemBase):
    """申请的培训范围 — occupation × level × training kind."""

    application = models.ForeignKey(ProviderApplication, on_delete=models.PROTECT, related_name="scope")

    class Meta:
        verbose_name = "申请培训范围"
        ordering = ["occupation__code", "level__rank", "training_kind"]


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("在目录")
    SUSPENDED = "suspended", _("暂停（停业整顿）")
    EXITED = "exited", _("已移出目录")


class ProviderListing(BaseModel):
    """培训机构目录条目 — a listed provider: validity, scope, capacity, and its history of decisions."""

    profile = models.OneToOneField(OrganizationProfile, on_delete=models.PROTECT, related_name="listing")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=ListingStatus.choices, db_index=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    capacity_per_year = models.PositiveIntegerField(_("年培训能力（人次）"))

    class Meta:
        verbose_name = "培训机构目录"
        ordering = ["region_id", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="listing_valid_range")
        ]

    def __str__(self) -> str:
        return str(self.profile)


class ListingScope(ScopeItemBase):
    """目录核定的培训范围. Removed rows keep ``removed_at`` (history), never deleted."""

    listing = models.ForeignKey(ProviderListing, on_delete=models.PROTECT, related_name="scope")
    application = models.ForeignKey(ProviderApplication, on_delete=models.PROTECT, related_name="+")
    added_on = models.DateField(_("纳入日期"))
    removed_on = models.DateField(
        _("取消日期"), null=True, blank=True
    )  # exclusive: in scope while added_on ≤ d < removed_on

    class Meta:
        verbose_name = "目录培训范围"
        ordering = ["occupation__code", "level__rank", "training_kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("added_on")),
                name="listing_scope_range",
            )
        ]


class ListingEventKind(models.TextChoices):
    LISTED = "listed", _("纳入目录")
    RENEWED = "renewed", _("延续")
    EXTENDED = "extended", _("增加培训范围")
    SUSPENDED = "suspended", _("暂停（停业整顿）")
    RESUMED = "resumed", _("恢复")
    EXITED = "exited", _("移出目录")
    WITHDRAWN = "withdrawn", _("主动退出")


class ListingEvent(BaseModel):
    """目录变更记录 — one decision on a listing, public: what, from when, why, who decided."""

    listing = models.ForeignKey(ProviderListing, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=10, choices=ListingEventKind.choices)
    effective_date = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)  # the period a listing or renewal opens
    reason = models.TextField(_("原因"), blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    decided_by_name = models.CharField(_("决定人"), max_length=150, blank=True)
    deciding_office = models.ForeignKey(
        "refdata.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(ProviderApplication, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "目录变更记录"
        ordering = ["effective_date", "created_at"]


class DeliveryMode(models.TextChoices):
    OFFLINE = "offline", _("线下")
    ONLINE = "online", _("线上")
    BLENDED = "blended", _("线上+线下")


class SubsidyCategory(models.TextChoices):
    """补贴类别 — the rate class of the training-needs catalog a program may claim."""

    CLASS_A = "A", _("A类")
    CLASS_B = "B", _("B类")
    CLASS_C = "C", _("C类")
    SPECIAL = "special", _("专项")
    NONE = "none", _("不享受补贴")


class Program(BaseModel):
    """培训项目 — occupation × level × training kind, with hours, syllabus, delivery and the subsidy it may claim."""

    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    training_kind = models.CharField(_("培训类型"), max_length=20, choices=TrainingKind.choices)
    hours_theory = models.PositiveSmallIntegerField(_("理论学时"))
    hours_practice = models.PositiveSmallIntegerField(_("实操学时"))
    syllabus = models.TextField(_("培训大纲"), blank=True)
    delivery = models.CharField(_("培训方式"), max_length=10, choices=DeliveryMode.choices)
    subsidy_category = models.CharField(_("补贴类别"), max_length=10, choices=SubsidyCategory.choices)
    industry_tags = models.ManyToManyField("refdata.Tag", blank=True, related_name="+", verbose_name=_("产业标签"))
    brands = models.ManyToManyField(
        "providers.TrainingBrand", blank=True, related_name="programs", verbose_name=_("培训品牌")
    )
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "培训项目"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(hours_theory__gt=0) | Q(hours_practice__gt=0), name="program_has_hours")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def hours_total(self) -> int:
        return self.hours_theory + self.hours_practice


class ResourceType(models.TextChoices):
    COURSE = "course", _("在线课程")
    VIDEO = "video", _("教学视频")
    QUESTION_BANK = "question_bank", _("题库")
    SIMULATION = "simulation", _("虚拟仿真")


class DigitalResource(BaseModel):
    """数字培训资源 — a course or resource an online platform offers, listed per region like a program."""

    platform = models.ForeignKey(OrganizationProfile, on_delete=models.PROTECT, related_name="resources")
    code = models.CharField(_("资源编号"), max_length=40, unique=True)
    title = models.CharField(_("资源名称"), max_length=200)
    resource_type = models.CharField(_("资源类型"), max_length=16, choices=ResourceType.choices)
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    training_kind = models.CharField(_("培训类型"), max_length=20, choices=TrainingKind.choices)
    hours = models.PositiveSmallIntegerField(_("学时"))
    url = models.URLField(_("访问地址"), blank=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "数字培训资源"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CatalogListingStatus(models.TextChoices):
    LISTED = "listed", _("在目录")
    WITHDRAWN = "withdrawn", _("已移出")


class CatalogListing(BaseModel):
    """项目目录条目 — a program (or a platform's digital resource) listed in a region for a period."""

    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="listings")
    resource = models.ForeignKey(
        DigitalResource, null=True, blank=True, on_delete=models.PROTECT, related_name="listings"
    )
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CatalogListingStatus.choices, default=CatalogListingStatus.LISTED
    )
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "项目目录"
        ordering = ["region_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(program__isnull=False) & Q(resource__isnull=True))
                | (Q(program__isnull=True) & Q(resource__isnull=False)),
                name="catalog_listing_program_xor_resource",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="catalog_listing_valid_range",
            ),
            models.UniqueConstraint(
                fields=["program", "region"], condition=Q(status="listed"), name="catalog_listing_program_once"
            ),
            models.UniqueConstraint(
                fields=["resource", "region"], condition=Q(status="listed"), name="catalog_listing_resource_once"
            ),
        ]


# ---- teachers' pool ----------------------------------------------------------------------------------------------


class PoolRoleKind(models.TextChoices):
    TEACHER = "teacher", _("教师")
    EXAMINER = "examiner", _("考评员")
    EXPERT = "expert", _("专家")
    INSPECTOR = "inspector", _("督导员")


class PoolRoleStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    SUSPENDED = "suspended", _("暂停")
    RETIRED = "retired", _("已出库")


class PoolRole(BaseModel):
    """师资库角色 — a registry person as teacher, examiner, expert or inspector of a region's pool.

    Roles hang on the registry person, so a conflict of interest (an examiner examining their own trainees) is a
    match on the person.
    """

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="pool_roles")
    role = models.CharField(_("角色"), max_length=10, choices=PoolRoleKind.choices)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    title = models.CharField(_("职称"), max_length=60, blank=True)
    teacher_qualification = models.CharField(_("教师资格"), max_length=60, blank=True)
    is_integrated = models.BooleanField(_("一体化教师"), default=False)
    specialities = models.ManyToManyField(
        "refdata.Occupation", blank=True, related_name="+", verbose_name=_("专业领域（职业）")
    )
    served_regions = models.ManyToManyField("refdata.Region", blank=True, related_name="+", verbose_name=_("服务地区"))
    valid_from = models.DateField(_("入库日期"))
    valid_until = models.DateField(_("聘期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PoolRoleStatus.choices, default=PoolRoleStatus.ACTIVE)
    status_reason = models.CharField(_("状态原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "师资库角色"
        ordering = ["role", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "region"], condition=~Q(status="retired"), name="pool_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person_id}"


class QualificationKind(models.TextChoices):
    CERTIFICATE = "certificate", _("职业资格/技能等级证书")
    TEACHER = "teacher", _("教师资格证")
    TITLE = "title", _("专业技术职称")
    EXAMINER = "examiner", _("考评员证")
    OTHER = "other", _("其他")


class PoolQualification(BaseModel):
    """资质 — a certificate held, a 教师资格, a title."""

    role = models.ForeignKey(PoolRole, on_delete=models.PROTECT, related_name="qualifications")
    kind = models.CharField(_("资质类型"), max_length=12, choices=QualificationKind.choices)
    certificate_kind = models.ForeignKey(
        "refdata.CertificateKind", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("证书编号"), max_length=60, blank=True)
    issuer = models.CharField(_("发证机构"), max_length=100, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)

    class Meta:
        verbose_name = "师资资质"
        ordering = ["kind", "issued_on"]


class AffiliationKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class PoolAffiliation(BaseModel):
    """任教机构 — a teacher's affiliation with a provider, for a period."""

    role = models.ForeignKey(PoolRole, on_delete=models.PROTECT, related_name="affiliations")
    profile = models.ForeignKey(OrganizationProfile, on_delete=models.PROTECT, related_name="affiliations")
    kind = models.CharField(_("聘任方式"), max_length=10, choices=AffiliationKind.choices)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = "任教机构"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="affiliation_valid_range",
            )
        ]


# ---- bases and studios -------------------------------------------------------------------------------------------


class BaseKind(models.TextChoices):
    PUBLIC_TRAINING = "public_training", _("公共实训基地")
    HIGH_SKILL = "high_skill", _("高技能人才培训基地")
    MASTER_STUDIO = "master_studio", _("技能大师工作室")
    COMPETITION = "competition", _("职业技能竞赛集训基地")
    INDUSTRY_EDUCATION = "industry_education", _("产教融合实训基地")


class BaseLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")


class TrainingBase(BaseModel):
    """基地与工作室 — a base or studio with its level, approval year, region and host. The plan indicators count
    them: one counts in every year from its approval year until the year before it was revoked."""

    kind = models.CharField(_("类别"), max_length=20, choices=BaseKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=10, choices=BaseLevel.choices, db_index=True)
    approval_year = models.PositiveSmallIntegerField(_("批准年度"))
    approval_document = models.CharField(_("批准文号"), max_length=100, blank=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    host = models.ForeignKey(OrganizationProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="bases")
    host_name = models.CharField(_("依托单位"), max_length=200)
    master = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("领办人")
    )
    occupations = models.ManyToManyField("refdata.Occupation", blank=True, related_name="+")
    revoked_year = models.PositiveSmallIntegerField(_("撤销年度"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "基地与工作室"
        ordering = ["kind", "level", "approval_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_year__isnull=True) | Q(revoked_year__gte=models.F("approval_year")),
                name="training_base_years",
            ),
            models.UniqueConstraint(fields=["kind", "level", "name", "region"], name="training_base_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# ---- training brands (培训品牌) ---------------------------------------------------------------------------------------


class TrainingBrand(BaseModel):
    """培训品牌 — an entry of a province's brand catalogue (粤菜师傅, 南粤家政, 广东技工, 金蓝领, 鲁菜师傅 …) or a
    city's brand of 一市一品牌, kept by the province. Programs carry brands (``Program.brands``); the plan indicators
    count the brands recognized in a year and the trainees of a brand's programs."""

    code = models.CharField(_("品牌代码"), max_length=40)
    name = models.CharField(_("品牌名称"), max_length=80)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    recognized_year = models.PositiveSmallIntegerField(_("认定年度"), null=True, blank=True)
    recognition = models.CharField(_("认定类型或文件"), max_length=100, blank=True)
    retired_year = models.PositiveSmallIntegerField(_("停用年度"), null=True, blank=True)
    retire_reason = models.CharField(_("停用原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "培训品牌"
        ordering = ["region_id", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="training_brand_region_code_unique")]

    def __str__(self) -> str:
        return self.name


# ---- occupational standards, textbooks and digital resources developed (职业标准与教材开发) --------------------------


class StandardKind(models.TextChoices):
    OCCUPATIONAL_STANDARD = "occupational_standard", _("国家职业标准")
    TEXTBOOK = "textbook", _("职业技能培训教材")
    DIGITAL_RESOURCE = "digital_resource", _("职业技能培训数字资源")


class StandardStatus(models.TextChoices):
    DEVELOPING = "developing", _("开发中")
    PUBLISHED = "published", _("已颁布")
    WITHDRAWN = "withdrawn", _("已废止")


class StandardWork(BaseModel):
    """职业标准与教材 — an occupational standard, a textbook or a digital resource developed (制定、修订、开发):
    who developed it, for which occupation and level, the year it was published and its status. The plan indicators
    count those published in a year (国家职业标准 at the national level, 省级重点教材和数字资源 at the province)."""

    kind = models.CharField(_("类别"), max_length=24, choices=StandardKind.choices, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    developer = models.CharField(_("开发单位"), max_length=200)
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("颁布年度"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=StandardStatus.choices, default=StandardStatus.DEVELOPING, db_index=True
    )
    document_number = models.CharField(_("颁布文号"), max_length=100, blank=True)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "职业标准与教材"
        ordering = ["kind", "-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(year__isnull=False), name="standard_work_published_has_year"
            ),
            models.UniqueConstraint(fields=["kind", "title", "region"], name="standard_work_unique"),
        ]

    def __str__(self) -> str:
        return self.title
