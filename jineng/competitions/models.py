"""职业技能竞赛 — events, contestants, results, award rules and the awards (titles, promotions) results bring.

- **赛事** ``Event`` — level, class (一类/二类 for province events), occupation, organizer, approving department,
  region, dates; filed by the organizer and approved by an official; its results go entered → reviewed → 公示
  (published, with a period for objections) → final;
- **选手** ``Contestant`` — a registry person registered for an event, individually or in a team, by the organizer
  or an enterprise;
- **成绩** ``Result`` — score and rank of a contestant; a change after publication is a restatement (recorded);
- **奖励规则** ``AwardRuleSet`` — per region, versioned lines (``jineng.rules.competitions``);
- **奖励** ``Award`` — the title and promotion a final result brought, with the rule lines that explain it and the
  certificate issued through the certificates app; revoked (with the certificate) when the result is restated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jineng.common.models import BaseModel


class EventLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业级")
    INDUSTRY = "industry", _("行业级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")
    WORLD_SELECTION = "world_selection", _("世界技能大赛选拔")


class EventClass(models.TextChoices):
    NONE = "", _("不分类")
    CLASS1 = "class1", _("一类")
    CLASS2 = "class2", _("二类")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报备待批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已退回")


class ResultsStage(models.TextChoices):
    OPEN = "open", _("未提交")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("公示中")
    FINAL = "final", _("已确认")


class Event(BaseModel):
    code = models.CharField(_("赛事编号"), max_length=40, unique=True)
    name = models.CharField(_("赛事名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=16, choices=EventLevel.choices, db_index=True)
    event_class = models.CharField(_("类别"), max_length=8, choices=EventClass.choices, blank=True, default="")
    occupation = models.ForeignKey("refdata.Occupation", on_delete=models.PROTECT, related_name="+")
    organizer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    approving_department = models.CharField(_("批准部门"), max_length=200)
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开赛日期"), db_index=True)
    ends_on = models.DateField(_("结束日期"))
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), default=16)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), default=65)
    status = models.CharField(
        _("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    document_number = models.CharField(_("批准文号"), max_length=60, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reject_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    results_stage = models.CharField(
        _("成绩状态"), max_length=10, choices=ResultsStage.choices, default=ResultsStage.OPEN
    )
    published_at = models.DateTimeField(null=True, blank=True)
    objection_until = models.DateField(_("公示截止"), null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    # Four eyes (双人复核): who reviewed and who published; each later step is refused to them (services).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Eligibility by occupation (报名条件): further occupations admitted besides ``occupation`` and the level range a
    # contestant must hold in one of them (a valid certificate); no minimum = no certificate needed.
    other_occupations = models.JSONField(_("其他可报名职业"), default=list, blank=True)
    min_level = models.ForeignKey(
        "refdata.SkillLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("报名最低等级"),
    )
    max_level = models.ForeignKey(
        "refdata.SkillLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("报名最高等级"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "职业技能竞赛"
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates"),
            models.CheckConstraint(condition=Q(max_age__gte=models.F("min_age")), name="event_ages"),
        ]

    def __str__(self) -> str:
        return self.name


class ContestantStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WITHDRAWN = "withdrawn", _("已退赛")


class Contestant(BaseModel):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="contestants")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=60)  # as registered (the registry's name on that day)
    team_name = models.CharField(_("团队"), max_length=100, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization_name = models.CharField(_("推荐单位"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ContestantStatus.choices, default=ContestantStatus.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(_("退赛原因"), max_length=300, blank=True)
    # 未晋级: the stage (初赛/复赛) after which the contestant did not advance (set when that stage's advancement is
    # confirmed); such a contestant gets no result in a later stage.
    eliminated_in = models.ForeignKey(
        "competitions.Stage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "竞赛选手"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="contestant_once_per_event")]


class Result(BaseModel):
    contestant = models.OneToOneField(Contestant, on_delete=models.PROTECT, related_name="result")
    score = models.DecimalField(_("成绩"), max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restated_at = models.DateTimeField(null=True, blank=True)
    restate_reason = models.CharField(_("更正原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = "竞赛成绩"
        ordering = ["rank"]


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    PUBLISHED = "published", _("已发布")
    DISCARDED = "discarded", _("已退回")


class AwardRuleSet(BaseModel):
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), null=True, blank=True)  # numbered when published
    status = models.CharField(
        _("状态"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT, db_index=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    valid_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=300)
    lines = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "竞赛奖励规则"
        ordering = ["region_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["region", "version"], name="award_rules_version_once")]


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")


class Award(BaseModel):
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="awards")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("名次"))
    title = models.CharField(_("称号"), max_length=60, blank=True)
    promoted_level = models.ForeignKey(
        "refdata.SkillLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certificate_id = models.UUIDField(null=True, blank=True)
    certificate_number = models.CharField(_("证书编号"), max_length=40, blank=True)
    rule_set = models.ForeignKey(AwardRuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lines = models.JSONField(default=list)
    status = models.CharField(_("状态"), max_length=8, choices=AwardStatus.choices, default=AwardStatus.ACTIVE)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = "竞赛奖励"
        ordering = ["event_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["result"], condition=Q(status="active"), name="award_one_active_per_result")
        ]


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(BaseModel):
    """异议 — raised by anyone signed in while an event's results are announced (公示), about the results or one
    contestant's; decided by an official over the event's region; results cannot be made final while one is open."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="objections")
    result = models.ForeignKey(Result, null=True, blank=True, on_delete=models.PROTECT, related_name="objections")
    region = models.ForeignKey("refdata.Region", on_delete=models.PROTECT, related_name="+")  # scope: the event's
    reason = models.CharField(_("异议内容"), max_length=500)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_by_name = models.CharField(_("提出人"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN, db_index=True
    )
    decision = models.CharField(_("处理意见"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "竞赛成绩异议"
        ordering = ["created_at"]


class StageKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("初赛")
    SEMIFINAL = "semifinal", _("复赛")
    FINAL = "final", _("决赛")


class AdvanceMode(models.TextChoices):
    TOP_N = "top_n", _("前 N 名晋级")
    SCORE_LINE = "score_line", _("达到分数线晋级")


class StageStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    PROPOSED = "proposed", _("晋级名单待确认")
    CLOSED = "closed", _("已晋级")
    RETIRED = "retired", _("已取消")  # replaced when the organizer set the stages again (before any result)


class Stage(BaseModel):
    """赛段 — an event with stages (初赛 → 复赛 → 决赛) has one row per stage, in ``position`` order; the last one is
    the 决赛, whose results are the event's ``Result`` rows (reviewed, published, final, awards). Each earlier stage
    has its own results (``StageResult``) and an advancement rule (top N, or a score line) applied by one person and
    confirmed by another; only those who advance may get a result in the next stage."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="stages")
    position = models.PositiveSmallIntegerField(_("顺序"))
    kind = models.CharField(_("赛段"), max_length=12, choices=StageKind.choices)
    advance_mode = models.CharField(_("晋级办法"), max_length=12, choices=AdvanceMode.choices, blank=True)
    advance_value = models.DecimalField(_("晋级人数或分数线"), max_digits=7, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=StageStatus.choices, default=StageStatus.OPEN)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = "竞赛赛段"
        ordering = ["event_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"], condition=~Q(status="retired"), name="stage_position_once"
            ),
            models.UniqueConstraint(fields=["event", "kind"], condition=~Q(status="retired"), name="stage_kind_once"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def advance_value_text(self) -> str:
        """The top N or the score line as written (``3``, ``80``, ``85.5``), never ``8E+1``."""
        v = self.advance_value
        if v is None:
            return ""
        return str(int(v)) if v == v.to_integral_value() else format(v.normalize(), "f")


class StageResult(BaseModel):
    """A contestant's score and rank in a stage before the final; ``advanced`` is set when the advancement is
    proposed (and kept when confirmed)."""

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="results")
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="stage_results")
    score = models.DecimalField(_("成绩"), max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"))
    advanced = models.BooleanField(_("晋级"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "竞赛赛段成绩"
        ordering = ["stage_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["stage", "contestant"], name="stage_result_once")]
