"""Training (培训过程) — classes (开班) with their sessions and teachers, rosters (花名册) and their amendments,
attendance (考勤), completion (结业) and completion certificates (培训合格证书), apprenticeships (企业新型学徒制),
and employment follow-up (就业挂钩).

Attribution (ADR 0004): a class, its enrollments, attendance and completion count for the county of the class
venue (``region``, copied onto every row when written); an apprenticeship counts for the enterprise's region.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.ids import uuid7
from jineng.common.models import BaseModel
from jineng.rules import training as rules


class ClassStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("草稿")
    SUBMITTED = rules.SUBMITTED, _("待审核")
    APPROVED = rules.APPROVED, _("已批准")
    REJECTED = rules.REJECTED, _("未通过")
    RUNNING = rules.RUNNING, _("培训中")
    COMPLETED = rules.COMPLETED, _("已结业")
    CANCELLED = rules.CANCELLED, _("已撤销")


# Classes whose sessions occupy their teachers and trainees (a draft or a refused class holds nobody).
OCCUPYING_STATUSES = (ClassStatus.SUBMITTED, ClassStatus.APPROVED, ClassStatus.RUNNING)
# Classes whose roster may change.
ROSTER_OPEN_STATUSES = (ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.REJECTED, ClassStatus.APPROVED,
                        ClassStatus.RUNNING)  # fmt: skip


class TrainingForm(models.TextChoices):
    """培训组织形式 — how the class is organised and paid (the program says what is trained)."""

    REGULAR = "regular", _("常规培训")
    PROJECT = "project", _("项目制培训")
    ORDER = "order", _("订单式培训")
    DIRECTED = "directed", _("定向式培训")
    WORK_FOR_TRAINING = "work_for_training", _("以工代训")


class SessionMode(models.TextChoices):
    OFFLINE = "offline", _("线下")
    ONLINE = "online", _("线上")


class TrainingClass(BaseModel):
    """开班 — a class of a listed program, applied for by a listed provider and reviewed by the region's official."""

    code = models.CharField(_("班级编号"), max_length=32, unique=True)
    name = models.CharField(_("班级名称"), max_length=200)
    provider = models.ForeignKey("providers.OrganizationProfile", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("providers.Program", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey(
        "refdata.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey("refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    training_kind = models.CharField(_("培训类型"), max_length=20)
    training_form = models.CharField(
        _("组织形式"), max_length=20, choices=TrainingForm.choices, default=TrainingForm.REGULAR
    )
    # 项目制: the project the bureau bought this class under (its budget pays the class's trainees)
    project = models.ForeignKey(
        "training.TrainingProject", null=True, blank=True, on_delete=models.PROTECT, related_name="classes"
    )
    subsidy_category = models.CharField(_("拟申请补贴类别"), max_length=10)
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"))
    planned_size = models.PositiveSmallIntegerField(_("计划人数"))
    venue_name = models.CharField(_("培训场地"), max_length=200)
    venue_address = models.CharField(_("场地地址"), max_length=300, blank=True)
    venue_latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    venue_longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    region = models.ForeignKey(
        "refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("场地所在县区")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ClassStatus.choices, default=ClassStatus.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_due = models.DateField(_("审核期限"), null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_opinion = models.TextField(_("审核意见"), blank=True)
    rejection_reasons = models.JSONField(_("不予通过的理由"), default=list, blank=True)
    provider_pledge_at = models.DateTimeField(_("机构承诺时间"), null=True, blank=True)
    provider_pledge_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_pledge_text = models.TextField(_("机构承诺"), blank=True)
    provider_pledge_attachment_id = models.UUIDField(null=True, blank=True)
    teaching_plan_attachment_id = models.UUIDField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(_("结业日期（实际）"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("撤销原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "培训班"
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="class_date_range"),
            models.CheckConstraint(condition=Q(planned_size__gt=0), name="class_planned_size_positive"),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="class_region_status_idx"),
            models.Index(fields=["organization", "status"], name="class_org_status_idx"),
            models.Index(fields=["status", "review_due"], name="class_review_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ClassTransition(models.Model):
    """状态变更记录 — every transition of a class, timestamped, with who and why."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="transitions")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=ClassStatus.choices)
    target = models.CharField(max_length=10, choices=ClassStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "培训班状态变更"
        ordering = ["at"]


class ClassSession(BaseModel):
    """课次 — one scheduled session of a class: when, online or offline, who teaches it."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="sessions")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    mode = models.CharField(_("方式"), max_length=10, choices=SessionMode.choices, default=SessionMode.OFFLINE)
    topic = models.CharField(_("内容"), max_length=200, blank=True)
    teacher = models.ForeignKey("providers.PoolRole", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The teacher's registry person, kept on the row: the overlap check is an index lookup by person and time.
    teacher_person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "课次"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_time_range"),
        ]
        indexes = [
            models.Index(fields=["teacher_person", "starts_at"], name="session_teacher_time_idx"),
            models.Index(fields=["training_class", "starts_at"], name="session_class_time_idx"),
        ]


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在训")
    DROPPED = "dropped", _("退训")
    TRANSFERRED = "transferred", _("已转班")
    POSTPONED = "postponed", _("延期")
    FINISHED = "finished", _("已结业")


ACTIVE_ENROLLMENT = (EnrollmentStatus.ENROLLED,)


class EnrollmentSource(models.TextChoices):
    IMPORT = "import", _("花名册导入")
    API = "api", _("接口报送")
    PAGE = "page", _("页面登记")
    TRANSFER = "transfer", _("转班转入")
    REQUEST = "request", _("学员报名申请")


class EnrollmentResult(models.TextChoices):
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    ABSENT = "absent", _("缺考/未参训")


class Enrollment(BaseModel):
    """花名册 — one trainee in one class: the groups held at enrollment (snapshot), the pledge, attendance totals,
    the result."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="enrollments")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ENROLLED
    )
    source = models.CharField(_("来源"), max_length=10, choices=EnrollmentSource.choices)
    enrolled_on = models.DateField(_("报名日期"))
    late_addition = models.BooleanField(_("开班后补录"), default=False)
    person_name = models.CharField(_("姓名"), max_length=60)
    id_number_masked = models.CharField(_("证件号码"), max_length=32)
    groups = models.JSONField(_("报名时人员类别"), default=list, blank=True)
    eligibility = models.JSONField(_("参训资格判定"), default=dict, blank=True)
    pledge_signed_at = models.DateTimeField(_("学员承诺时间"), null=True, blank=True)
    pledge_method = models.CharField(_("承诺方式"), max_length=20, blank=True)
    credited_hours = models.PositiveIntegerField(_("认定学时"), default=0)
    creditable_hours = models.PositiveIntegerField(_("应计学时"), default=0)
    # 线上学时 derived from the learning record store (learning app) and recorded through api.online_hours_record;
    # credited_hours includes them within the online share (rules.training.with_online).
    online_hours = models.PositiveIntegerField(_("线上学时"), default=0, db_default=0)
    attendance_rate_bp = models.PositiveIntegerField(_("出勤率（万分比）"), default=0)
    attendance_updated_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(_("结业结果"), max_length=8, choices=EnrollmentResult.choices, blank=True)
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "学员名册"
        ordering = ["training_class", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], condition=Q(status="enrolled"), name="enrollment_one_active"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="enrollment_person_status_idx"),
            models.Index(fields=["training_class", "status"], name="enrollment_class_status_idx"),
            models.Index(fields=["region", "result"], name="enrollment_region_result_idx"),
        ]

    @property
    def attendance_rate(self) -> float:
        """The stored rate (rounded down), the one compared with the minimum rate."""
        return self.attendance_rate_bp / 100

    @property
    def attendance_percent(self) -> Decimal:
        """The rate as pages show it: from the hours, rounded half up to two places (issue 15: 27.77 % for 35/126)."""
        if not self.creditable_hours:
            return Decimal(self.attendance_rate_bp) / 100
        return rules.rate_percent_shown(self.credited_hours, self.creditable_hours)


class AmendmentKind(models.TextChoices):
    LATE_ADDITION = "late_addition", _("补录")
    DROPOUT = "dropout", _("退训")
    TRANSFER = "transfer", _("转班")
    POSTPONEMENT = "postponement", _("延期")


class EnrollmentAmendment(models.Model):
    """花名册变更 — a late addition, dropout, transfer or postponement, with its reason."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="amendments")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("变更类型"), max_length=16, choices=AmendmentKind.choices)
    reason = models.TextField(_("原因"))
    target_class = models.ForeignKey(TrainingClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "花名册变更"
        ordering = ["at"]


class AttendanceKind(models.TextChoices):
    CHECK_IN = rules.CHECK_IN, _("签到")
    CHECK_OUT = rules.CHECK_OUT, _("签退")


class AttendanceMethod(models.TextChoices):
    FACE = "face", _("人脸识别")
    QR = "qr", _("扫码")
    CARD = "card", _("刷卡")
    MANUAL = "manual", _("人工登记")


class AttendanceEvent(models.Model):
    """考勤 — one check-in or check-out from a device, idempotent by (device, event id)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="attendance")
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(ClassSession, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=4, choices=AttendanceKind.choices)
    occurred_at = models.DateTimeField(_("打卡时间"))
    received_at = models.DateTimeField(_("接收时间"))
    method = models.CharField(_("方式"), max_length=8, choices=AttendanceMethod.choices)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    device_id = models.CharField(_("设备编号"), max_length=64)
    event_id = models.CharField(_("事件编号"), max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "考勤记录"
        ordering = ["occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["device_id", "event_id"], name="attendance_device_event_unique"),
        ]
        indexes = [
            models.Index(fields=["enrollment", "occurred_at"], name="attendance_enrollment_idx"),
            models.Index(fields=["training_class", "occurred_at"], name="attendance_class_idx"),
        ]


class CompletionCertificate(BaseModel):
    """培训合格证书 — serial number, name, masked ID, program, dates, provider, issue date."""

    serial = models.CharField(_("证书序列号"), max_length=32, unique=True)
    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("姓名"), max_length=60)
    id_number_masked = models.CharField(_("身份信息"), max_length=32)
    program_name = models.CharField(_("项目名称"), max_length=200)
    start_date = models.DateField(_("培训开始日期"))
    end_date = models.DateField(_("培训结束日期"))
    provider_name = models.CharField(_("机构名称"), max_length=200)
    credited_hours = models.PositiveIntegerField(_("学时"))
    issued_on = models.DateField(_("发证日期"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "培训合格证书"
        ordering = ["-issued_on", "serial"]


class SerialCounter(models.Model):
    """The last serial number issued per (prefix, year): incremented under a row lock."""

    prefix = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="serial_counter_unique")]


# ---- apprenticeships ---------------------------------------------------------------------------------------------


class ApprenticeshipStatus(models.TextChoices):
    ACTIVE = "active", _("培养中")
    COMPLETED = "completed", _("已完成")
    TERMINATED = "terminated", _("已终止")


class Apprenticeship(BaseModel):
    """企业新型学徒制 — an enterprise's plan with a partner school (a listed provider) for an occupation and level,
    over 1–2 years (3 at most)."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    enterprise = models.ForeignKey("providers.OrganizationProfile", on_delete=models.PROTECT, related_name="+")
    enterprise_org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("providers.OrganizationProfile", on_delete=models.PROTECT, related_name="+")
    school_org = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("refdata.SkillLevel", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("培养开始日期"))
    end_date = models.DateField(_("培养结束日期"))
    hours_per_year = models.PositiveIntegerField(_("每年培训课时"))
    concentrated_hours_per_year = models.PositiveIntegerField(_("每年集中培训课时"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ApprenticeshipStatus.choices, default=ApprenticeshipStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "企业新型学徒制培养计划"
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="apprenticeship_range"),
        ]


class ApprenticeResult(models.TextChoices):
    PASSED = "passed", _("考核合格")
    FAILED = "failed", _("考核不合格")


class Apprentice(BaseModel):
    """学徒 — an employee of the enterprise in the plan, with an enterprise mentor and a school mentor."""

    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.PROTECT, related_name="apprentices")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    employment_record_id = models.UUIDField(null=True, blank=True)
    enterprise_mentor = models.ForeignKey("providers.PoolRole", on_delete=models.PROTECT, related_name="+")
    enterprise_mentor_person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    school_mentor = models.ForeignKey("providers.PoolRole", on_delete=models.PROTECT, related_name="+")
    school_mentor_person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=ApprenticeshipStatus.choices, default=ApprenticeshipStatus.ACTIVE
    )
    joined_on = models.DateField(_("入学日期"))
    result = models.CharField(_("考核结果"), max_length=8, choices=ApprenticeResult.choices, blank=True)
    evaluated_on = models.DateField(_("考核日期"), null=True, blank=True)
    evaluation_note = models.TextField(_("考核评价"), blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "学徒"
        ordering = ["apprenticeship", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["apprenticeship", "person"], condition=Q(status="active"), name="apprentice_one_active"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise_mentor_person", "status"], name="apprentice_emp_mentor_idx"),
            models.Index(fields=["school_mentor_person", "status"], name="apprentice_school_mentor_idx"),
        ]


class ApprenticeProgress(BaseModel):
    """年度培养进度 — the hours of one plan year and its assessment."""

    apprentice = models.ForeignKey(Apprentice, on_delete=models.PROTECT, related_name="progress")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    year_no = models.PositiveSmallIntegerField(_("培养年度"))
    hours_done = models.PositiveIntegerField(_("完成课时"))
    concentrated_hours = models.PositiveIntegerField(_("集中培训课时"))
    online_hours = models.PositiveIntegerField(_("线上课时"), default=0)
    assessment = models.TextField(_("年度考核"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "学徒年度进度"
        ordering = ["apprentice", "year_no"]
        constraints = [
            models.UniqueConstraint(fields=["apprentice", "year_no"], name="apprentice_progress_year_unique"),
        ]


# ---- employment follow-up ----------------------------------------------------------------------------------------


class OutcomeSource(models.TextChoices):
    PROVIDER = "provider", _("机构报送")
    SOCIAL_INSURANCE = "social_insurance", _("社保参保信息")
    CALLBACK = "callback", _("电话回访")
    SELF = "self", _("本人申报")


class EmploymentOutcome(BaseModel):
    """就业挂钩 — an employment after training: employer, date, source; the same fact is on the registry's
    employment history (``employment_record_id``)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="employment_outcomes")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("就业形式"), max_length=16)
    employer_name = models.CharField(_("用人单位"), max_length=200, blank=True)
    employer_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    started_on = models.DateField(_("就业日期"))
    source = models.CharField(_("来源"), max_length=20, choices=OutcomeSource.choices)
    employment_record_id = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "培训后就业情况"
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "started_on", "employer_name"], name="employment_outcome_unique"
            ),
        ]


# ---- 项目制培训 — training projects bought by the bureau ------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    CONTRACTED = "contracted", _("实施中")
    SETTLED = "settled", _("已结算")
    CANCELLED = "cancelled", _("已撤销")


class TrainingProject(BaseModel):
    """项目制培训项目 — a training project the bureau buys from a provider (政府购买服务, "一县一项目"): its budget, the
    price per trainee who finishes, the number to train and the employment target; its classes (``TrainingClass.
    project``) are run by that provider; at the end it is settled on the trainees who finished: the lower of the
    budget and price × finished."""

    code = models.CharField(_("项目编号"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("购买地区"))
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("承接机构")
    )
    contract_number = models.CharField(_("合同编号"), max_length=60)
    theme = models.CharField(_("项目主题"), max_length=200, blank=True)  # 十强产业、乡村振兴、鲁菜师傅 …
    budget_fen = models.BigIntegerField(_("项目预算（分）"))
    price_per_trainee_fen = models.BigIntegerField(_("人均结算标准（分）"))
    target_trainees = models.PositiveIntegerField(_("计划培训人数"))
    target_employment_percent = models.PositiveSmallIntegerField(_("就业率目标%"), default=0)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.CONTRACTED, db_index=True
    )
    settled_trainees = models.PositiveIntegerField(_("结算人数"), default=0)
    settled_employed = models.PositiveIntegerField(_("就业人数"), default=0)
    settled_fen = models.BigIntegerField(_("结算金额（分）"), default=0)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "项目制培训项目"
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="project_range"),
            models.CheckConstraint(
                condition=Q(budget_fen__gt=0, price_per_trainee_fen__gt=0, settled_fen__gte=0), name="project_money"
            ),
            models.CheckConstraint(condition=Q(settled_fen__lte=models.F("budget_fen")), name="project_within_budget"),
            models.CheckConstraint(condition=Q(target_employment_percent__lte=100), name="project_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("待机构处理")
    ACCEPTED = "accepted", _("已接收入班")
    REFUSED = "refused", _("未接收")
    WITHDRAWN = "withdrawn", _("已撤回")


class JoinRequest(BaseModel):
    """报名申请 — a worker asks to join a class (with a voucher of theirs to use there, or none); the provider's staff
    accept it into the roster (the roster import's checks) or refuse it with a reason."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="join_requests")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("姓名"), max_length=60)
    status = models.CharField(
        _("状态"), max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    note = models.CharField(_("留言"), max_length=200, blank=True)
    voucher_code = models.CharField(_("使用培训券"), max_length=20, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.CharField(_("未接收原因"), max_length=300, blank=True)
    enrollment = models.ForeignKey(Enrollment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "报名申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], condition=Q(status="pending"), name="join_request_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="join_request_org_status_idx")]
