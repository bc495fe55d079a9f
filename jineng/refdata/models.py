"""Reference data: the administrative-division tree (GB/T 2260) with its closure table, per-region settings, the
working-day calendar, the occupational classification, skill levels and certificate kinds, industry tags, and the
plans with their targets. docs/refdata.md says where every row comes from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

COUNTRY_CODE = "000000"


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("地市级")
    COUNTY = "county", _("县级")


class RegionQuerySet(models.QuerySet["Region"]):
    def current(self) -> RegionQuerySet:
        """Codes valid today: the scope tree. Retired codes only resolve old ID numbers."""
        return self.filter(valid_to__isnull=True)


class Region(models.Model):
    """行政区划 — one GB/T 2260 code. ``000000`` is the country, the root of the tree.

    Codes that were retired stay (``valid_to`` set, ``successors`` naming what replaced them) so that old ID
    numbers still resolve; only current codes are part of the scope tree's live branches.
    """

    code = models.CharField(primary_key=True, max_length=6)
    name = models.CharField(max_length=80, db_index=True)
    level = models.CharField(max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True)
    successors = models.JSONField(default=list, blank=True)
    # Earlier names of the same code, oldest first: [{"name", "from", "to"}] (years, null when before the sources).
    former_names = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=200, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class RegionClosure(models.Model):
    """Ancestor → descendant pairs of the region tree (including each region with itself at depth 0).

    Scope is decided through this table, never by string prefixes of codes: Beijing's districts hang off 110000,
    429004 off 420000, and 441900 has no counties.
    """

    ancestor = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    descendant = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ancestor", "descendant"], name="region_closure_unique")]


class RegionSetting(models.Model):
    """A per-region, versioned setting value (time limits, caps, rates, thresholds).

    Resolution: the value valid on the date at the region itself, else at its nearest ancestor, else the code's
    default from ``jineng.refdata.settings_registry`` (the defaults of shared/DOMAIN.md).
    """

    key = models.CharField(max_length=80, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    value = models.JSONField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "region_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "region", "valid_from"], name="region_setting_unique_start"),
        ]
        verbose_name = "地区参数"


class CalendarOverride(models.Model):
    """A day that a region works or rests against the national calendar (national 调休 comes from chinesecalendar)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    date = models.DateField()
    is_workday = models.BooleanField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="calendar_override_unique")]
        verbose_name = "工作日历调整"


# ---- occupations -----------------------------------------------------------------------------------------------

CURRENT_OCCUPATION_EDITION = "2022"


class OccupationLevel(models.TextChoices):
    MAJOR = "major", _("大类")
    MEDIUM = "medium", _("中类")
    MINOR = "minor", _("小类")
    OCCUPATION = "occupation", _("职业")


class Occupation(models.Model):
    """职业 — one code of the 职业分类大典 in one edition: 大类 ``4`` → 中类 ``4-04`` → 小类 ``4-04-05`` → 职业
    ``4-04-05-01``. ``is_digital`` and ``is_green`` are the 大典's S (数字职业) and L (绿色职业) marks."""

    edition = models.CharField(max_length=10, default=CURRENT_OCCUPATION_EDITION)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120, db_index=True)
    level = models.CharField(max_length=10, choices=OccupationLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_digital = models.BooleanField(default=False)
    is_green = models.BooleanField(default=False)
    definition = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="occupation_edition_code_unique")]
        verbose_name = "职业"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def marks(self) -> str:
        return "/".join(m for m, on in (("L", self.is_green), ("S", self.is_digital)) if on)


class SkillLevel(models.Model):
    """技能等级 — one rung of the eight-level ladder (学徒工 … 首席技师), with the older names (初级工 … 高级技师)
    mapped to the national grades (五级 … 一级). 高级工 and above count as 高技能人才."""

    code = models.CharField(primary_key=True, max_length=24)
    rank = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=20)
    national_grade = models.CharField(max_length=10, blank=True)
    grade_no = models.PositiveSmallIntegerField(null=True, blank=True)
    is_high_skill = models.BooleanField(default=False)
    how_awarded = models.CharField(max_length=200, blank=True)
    policy = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = "技能等级"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """五级/初级工, or the name alone where the ladder has no national grade (the Chinese name: rosters and
        certificates are matched against it; pages show ``display``)."""
        return f"{self.national_grade}/{self.name}" if self.national_grade else self.name

    @property
    def display(self) -> str:
        """The label in the page's language (English names for the ladder's codes; issue 15)."""
        name = LEVEL_DISPLAY.get(self.code)
        return str(name) if name is not None else self.label


class OccupationSubtype(models.Model):
    """工种 — a named sub-type of an occupation, with the levels it is assessed at (焊工 → 电焊工 五级…一级)."""

    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="subtypes")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=30, blank=True)
    lowest_level = models.ForeignKey(SkillLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    highest_level = models.ForeignKey(SkillLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["occupation_id", "name"]
        constraints = [models.UniqueConstraint(fields=["occupation", "name"], name="occupation_subtype_unique")]
        verbose_name = "工种"

    def __str__(self) -> str:
        return self.name


class CertificateKind(models.Model):
    """证书类别 — 职业资格证书, 职业技能等级证书, 专项职业能力证书, 培训合格证书."""

    code = models.CharField(primary_key=True, max_length=30)
    name = models.CharField(max_length=40)
    has_level = models.BooleanField(default=False)
    issued_by = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300, blank=True)
    rank = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = "证书类别"

    def __str__(self) -> str:
        return self.name

    @property
    def display(self) -> str:
        """The name in the page's language (issue 15: the English pages showed 职业技能等级证书)."""
        name = KIND_DISPLAY.get(self.code)
        return str(name) if name is not None else self.name


# The ladder's and the kinds' names in the UI's language, by code (refdata/data/skill_levels.csv,
# certificate_kinds.csv); a code not here shows its stored name.
LEVEL_DISPLAY = {
    "apprentice": _("学徒工"),
    "grade5": _("五级/初级工"),
    "grade4": _("四级/中级工"),
    "grade3": _("三级/高级工"),
    "grade2": _("二级/技师"),
    "grade1": _("一级/高级技师"),
    "special_technician": _("特级技师"),
    "chief_technician": _("首席技师"),
}
KIND_DISPLAY = {
    "qualification": _("职业资格证书"),
    "skill_level": _("职业技能等级证书"),
    "special_ability": _("专项职业能力证书"),
    "training": _("培训合格证书"),
}


# ---- industry tags ---------------------------------------------------------------------------------------------


class TagTaxonomy(models.Model):
    """标签体系 — a named list of tags, such as Guangdong's 20 strategic industry clusters. Occupations, programs and
    enterprises carry tags through link tables of their own apps."""

    code = models.CharField(primary_key=True, max_length=40)
    name = models.CharField(max_length=80)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=300, blank=True)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = "标签体系"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """标签 — one entry of a taxonomy (e.g. 新一代电子信息, in the group 战略性支柱产业集群)."""

    taxonomy = models.ForeignKey(TagTaxonomy, on_delete=models.PROTECT, related_name="tags")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    group = models.CharField(max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["taxonomy_id", "rank", "code"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="tag_taxonomy_code_unique")]
        verbose_name = "标签"

    def __str__(self) -> str:
        return self.name


# ---- plans and targets -----------------------------------------------------------------------------------------


class Plan(models.Model):
    """规划 — a plan document with numeric targets (the 十四五 plans and the action plans of the seeds)."""

    code = models.CharField(primary_key=True, max_length=40)
    name = models.CharField(max_length=120)
    issuer = models.CharField(max_length=200)
    document_number = models.CharField(max_length=60)
    issued_on = models.DateField(null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    period_start = models.PositiveSmallIntegerField()
    period_end = models.PositiveSmallIntegerField()
    seed_file = models.CharField(max_length=80, blank=True)
    seed_sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["region_id", "period_start", "code"]
        verbose_name = "规划"

    def __str__(self) -> str:
        return self.name


class TargetUnit(models.TextChoices):
    PERSON_TIMES = "person_times", _("人次")
    PERSONS = "persons", _("人")
    ITEMS = "items", _("个")
    PERCENT = "percent", _("%")


class TargetKind(models.TextChoices):
    FLOW = "flow", _("期间累计")
    STOCK = "stock", _("期末总量")
    ANNUAL = "annual", _("每年")
    ANNUAL_AVERAGE = "annual_average", _("年均")


class TargetComparator(models.TextChoices):
    AT_LEAST = "ge", "≥"
    EQUAL = "eq", "="
    BETWEEN = "between", "—"


class TargetAttribute(models.TextChoices):
    EXPECTED = "expected", _("预期性")
    BINDING = "binding", _("约束性")
    UNSTATED = "", _("未注明")


class PlanTarget(models.Model):
    """规划指标 — one numeric target of a plan, as written in its source, normalized to base units.

    ``value`` is an integer in base units (700万人次 → 7000000 person-times); ``kind`` says whether it is a flow over
    the period (五年累计), a stock at the period's end (期末总量), a yearly figure or a yearly average.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="targets")
    indicator = models.CharField(max_length=60)
    seq = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    applies_to_each = models.CharField(max_length=10, blank=True, choices=RegionLevel.choices)
    period_start = models.PositiveSmallIntegerField()
    period_end = models.PositiveSmallIntegerField()
    raw_value = models.CharField(max_length=40)
    value = models.BigIntegerField()
    value_max = models.BigIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=20, choices=TargetUnit.choices)
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    comparator = models.CharField(max_length=10, choices=TargetComparator.choices)
    attribute = models.CharField(max_length=10, choices=TargetAttribute.choices, blank=True)
    baseline = models.BigIntegerField(null=True, blank=True)
    baseline_raw = models.CharField(max_length=40, blank=True)
    baseline_period = models.CharField(max_length=20, blank=True)
    opening_stock = models.BigIntegerField(null=True, blank=True)
    opening_stock_year = models.PositiveSmallIntegerField(null=True, blank=True)
    opening_stock_source = models.CharField(max_length=200, blank=True)
    source_section = models.CharField(max_length=100)
    seed_lines = models.CharField(max_length=20)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["plan_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="plan_target_indicator_unique"),
        ]
        verbose_name = "规划指标"

    def __str__(self) -> str:
        return f"{self.plan_id} {self.indicator}"

    @property
    def source(self) -> str:
        """Document number, 专栏 and row, and the seed lines: 粤人社发〔2021〕45号 专栏1 第1行（000_….txt:198-201）."""
        return f"{self.plan.document_number} {self.source_section}（{self.plan.seed_file}:{self.seed_lines}）"
