"""实名制人员库 — persons, their identity documents, group memberships, employment history, bank accounts, and the
facts that attribute a person to regions.

Personal data (document numbers, phones, bank accounts) is stored encrypted (``*_enc``, a token of
``jineng.common.crypto`` naming its algorithm and key), with a keyed hash (``*_hash``) for exact lookup and a masked
form (``*_masked``) for display. Plain values exist only in memory, for the moment of a reveal or an export that
the user was allowed to make.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel
from jineng.rules.idcard import DOC_TYPE_LABELS, DocType


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class HukouType(models.TextChoices):
    """户口性质."""

    AGRICULTURAL = "agricultural", _("农业户口")
    NON_AGRICULTURAL = "non_agricultural", _("非农业户口")
    RESIDENT = "resident", _("居民户口")


class Education(models.TextChoices):
    """文化程度 (the levels of the roster templates)."""

    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY_SPECIALIZED = "secondary_specialized", _("中等专业学校")
    TECHNICAL_SCHOOL = "technical_school", _("技工学校")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR_HIGH = "junior_high", _("初中")
    PRIMARY = "primary", _("小学")
    ILLITERATE = "illiterate", _("文盲或半文盲")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    MERGED = "merged", _("已合并")
    RETIRED = "retired", _("已注销")


class PersonSource(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    API = "api", _("接口登记")
    IMPORT = "import", _("批量导入")
    LEGACY = "legacy", _("历史数据迁移")


class Person(BaseModel):
    """人员 — one natural person, whatever documents they hold."""

    name = models.CharField(_("姓名"), max_length=60, db_index=True)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("手机号码"), max_length=24, blank=True)
    hukou_region = models.ForeignKey(
        "refdata.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("户籍地")
    )
    hukou_type = models.CharField(_("户口性质"), max_length=20, choices=HukouType.choices, blank=True)
    residence_region = models.ForeignKey(
        "refdata.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("居住地")
    )
    education = models.CharField(_("文化程度"), max_length=24, choices=Education.choices, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from", verbose_name=_("合并至")
    )
    source = models.CharField(max_length=10, choices=PersonSource.choices, default=PersonSource.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "人员"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False) | (~Q(status="merged") & Q(merged_into=None)),
                name="person_merged_has_survivor",
            )
        ]

    def __str__(self) -> str:
        return self.name


class VerificationStatus(models.TextChoices):
    AUTOMATIC = "automatic", _("算法校验通过")
    PENDING = "pending", _("待人工核验")
    VERIFIED = "verified", _("人工核验通过")
    REJECTED = "rejected", _("人工核验未通过")


class IdentityDocument(BaseModel):
    """证件 — one document of a person. Unique on (type, keyed hash of the normalized number).

    A 15-digit legacy number kept as it was (``resident_id_15``) is hashed in its upgraded 18-digit form, so it and
    its 18-digit twin share a hash and are found together (dedup and merge).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(
        _("证件类型"), max_length=32, choices=[(t.value, label) for t, label in DOC_TYPE_LABELS.items()]
    )
    number_enc = models.TextField()
    number_hash = models.CharField(max_length=64)
    number_masked = models.CharField(_("证件号码"), max_length=32)
    is_primary = models.BooleanField(default=True)
    verification = models.CharField(
        max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.AUTOMATIC
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "证件"
        ordering = ["-is_primary", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "number_hash"], name="identity_document_unique_hash"),
        ]
        indexes = [models.Index(fields=["number_hash"], name="identity_document_hash_idx")]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number_masked}"


class Group(models.TextChoices):
    """重点群体 — the groups the plans target. 妇女 and 青年 are derived from sex and age, never stored."""

    MIGRANT_WORKER = "migrant_worker", _("农民工")
    RURAL_LABOR = "rural_labor", _("农村转移劳动力")
    COLLEGE_GRADUATE = "college_graduate", _("高校毕业生")
    VETERAN = "veteran", _("退役军人")
    DISABLED = "disabled", _("残疾人")
    POVERTY_ALLEVIATED = "poverty_alleviated", _("脱贫人口")
    MONITORED = "monitored", _("防止返贫监测对象")
    UNEMPLOYED = "unemployed", _("失业人员")
    EMPLOYMENT_DIFFICULTY = "employment_difficulty", _("就业困难人员")
    INMATE = "inmate", _("服刑人员")
    DRUG_REHAB = "drug_rehab", _("戒毒人员")
    LOW_INCOME = "low_income", _("城乡低保对象")
    ENTERPRISE_EMPLOYEE = "enterprise_employee", _("企业职工")
    # Named by the national and provincial plans (shared/seeds): 社区矫正对象 beside 服刑/戒毒人员, 长江禁捕退捕渔民,
    # 困难职工家庭 (技能帮扶), 劳动预备制 for 未继续升学的初高中毕业生, 毕业年度学生 of the colleges, 高素质农民.
    COMMUNITY_CORRECTIONS = "community_corrections", _("社区矫正对象")
    RETIRED_FISHER = "retired_fisher", _("退捕渔民")
    STRUGGLING_WORKER_FAMILY = "struggling_worker_family", _("困难职工家庭")
    LABOR_PREPARATORY = "labor_preparatory", _("未继续升学的初高中毕业生（劳动预备制）")
    GRADUATING_STUDENT = "graduating_student", _("毕业年度在校生")
    HIGH_QUALITY_FARMER = "high_quality_farmer", _("高素质农民")


# The other names a spreadsheet uses for a group (person import and roster import read the same table).
GROUP_SYNONYMS: dict[str, str] = {
    "农村劳动力": Group.RURAL_LABOR,
    "农村转移就业劳动力": Group.RURAL_LABOR,
    "高校毕业生": Group.COLLEGE_GRADUATE,
    "毕业生": Group.COLLEGE_GRADUATE,
    "应届高校毕业生": Group.COLLEGE_GRADUATE,
    "退役士兵": Group.VETERAN,
    "残疾": Group.DISABLED,
    "建档立卡贫困人口": Group.POVERTY_ALLEVIATED,
    "脱贫劳动力": Group.POVERTY_ALLEVIATED,
    "监测对象": Group.MONITORED,
    "防返贫监测对象": Group.MONITORED,
    "登记失业人员": Group.UNEMPLOYED,
    "低保对象": Group.LOW_INCOME,
    "低保": Group.LOW_INCOME,
    "在职职工": Group.ENTERPRISE_EMPLOYEE,
    "社区矫正人员": Group.COMMUNITY_CORRECTIONS,
    "矫正对象": Group.COMMUNITY_CORRECTIONS,
    "禁捕退捕渔民": Group.RETIRED_FISHER,
    "长江退捕渔民": Group.RETIRED_FISHER,
    "退捕渔民及家庭成员": Group.RETIRED_FISHER,
    "困难职工": Group.STRUGGLING_WORKER_FAMILY,
    "困难职工家庭成员": Group.STRUGGLING_WORKER_FAMILY,
    "未继续升学的初高中毕业生(劳动预备制)": Group.LABOR_PREPARATORY,  # the label as a cell reads after NFKC
    "劳动预备制": Group.LABOR_PREPARATORY,
    "劳动预备制学员": Group.LABOR_PREPARATORY,
    "未继续升学的初高中毕业生": Group.LABOR_PREPARATORY,
    "未继续升学的初、高中毕业生": Group.LABOR_PREPARATORY,
    "两后生": Group.LABOR_PREPARATORY,
    "毕业年度学生": Group.GRADUATING_STUDENT,
    "毕业年度在校学生": Group.GRADUATING_STUDENT,
    "应届毕业生（在校）": Group.GRADUATING_STUDENT,
    "新型职业农民": Group.HIGH_QUALITY_FARMER,
}


DERIVED_GROUPS = {"women": _("妇女"), "youth": _("青年")}


class GroupMembership(BaseModel):
    """人员类别 — membership of a group, valid between two dates, with its source and evidence."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    group = models.CharField(_("人员类别"), max_length=32, choices=Group.choices)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("毕业年度"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=60, blank=True)
    evidence = models.CharField(_("证明材料"), max_length=200, blank=True)
    evidence_attachment_id = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "人员类别"
        ordering = ["person", "group", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["person", "group", "valid_from"], name="membership_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_range",
            ),
        ]


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("就业")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    FLEXIBLE = "flexible", _("灵活就业")
    UNEMPLOYED = "unemployed", _("失业")
    STUDENT = "student", _("在校学生")
    RETIRED = "retired", _("退休")


class EmploymentRecord(BaseModel):
    """就业状态 — one change of a person's employment status (employer, date, source)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employment")
    status = models.CharField(_("就业状态"), max_length=16, choices=EmploymentStatus.choices)
    employer_name = models.CharField(_("用人单位"), max_length=200, blank=True)
    employer_credit_code = models.CharField(max_length=18, blank=True)
    started_on = models.DateField(_("日期"))
    source = models.CharField(_("来源"), max_length=60, blank=True)
    # What an employer declares of a hire (以工代训 needs a labour contract and social insurance): the contract's
    # term in months (0: open-ended, 无固定期限) and the first day insured by the employer; None: not declared.
    contract_months = models.PositiveSmallIntegerField(_("劳动合同期限（月）"), null=True, blank=True)
    insured_from = models.DateField(_("参保起始日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "就业状态"
        ordering = ["person", "-started_on"]


class BankAccount(BaseModel):
    """银行账户 — for subsidies paid to the person; the account number is encrypted."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bank_accounts")
    bank_name = models.CharField(_("开户银行"), max_length=100)
    account_enc = models.TextField()
    account_hash = models.CharField(max_length=64, db_index=True)
    account_masked = models.CharField(_("账号"), max_length=40)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "银行账户"


class PersonFact(models.Model):
    """A fact that attributes a person to a region (registered there, trained there, certified there …).

    A person is visible to officials of their residence region and of every region a fact attributes them to.
    Later apps write facts through ``registry.api.person_attribute``.
    """

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="facts")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    ref = models.CharField(max_length=64, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "人员归属事实"
        constraints = [
            models.UniqueConstraint(fields=["person", "region", "kind", "ref"], name="person_fact_unique"),
        ]
        indexes = [models.Index(fields=["region", "person"], name="person_fact_region_idx")]


class MergeRecord(models.Model):
    """合并记录 — what a merge moved from the merged person to the survivor (kept for the archive and audit)."""

    id = models.BigAutoField(primary_key=True)
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    moved = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)


__all__ = [
    "DocType",
    "BankAccount",
    "EmploymentRecord",
    "Group",
    "GroupMembership",
    "IdentityDocument",
    "MergeRecord",
    "Person",
    "PersonFact",
]


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    CORRECTED = "corrected", _("已更正")
    DECLINED = "declined", _("不予更正")


class CorrectionRequest(BaseModel):
    """更正申请 — the person asks for a record about them to be corrected (PIPL 第46条): routed to the region that
    owns the record (the archive entry's region; the basic data: the residence county), answered with a reason."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    about = models.CharField(_("更正事项"), max_length=300)
    source = models.CharField(max_length=40, blank=True)  # the archive source (training, subsidies …) or "registry"
    ref = models.CharField(max_length=64, blank=True)  # the record's id in that source
    text = models.TextField(_("更正内容"))
    status = models.CharField(_("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN)
    answer = models.TextField(_("处理意见"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "更正申请"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status"], name="correction_region_status_idx")]
