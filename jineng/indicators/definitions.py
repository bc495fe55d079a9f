"""指标口径 — one explicit definition per indicator, registered by id, and the map from every plan target
(plan, indicator code) to its definition.

A definition says what is counted, from which records, dated by which event, with which filters and subsidy
kinds, whether it adds up over regions, and whether it is a flow (events per year) or a stock (in force at a
year's end). ``facts()`` returns the records (``sources.FactSet``) or raises ``SourceMissing``; a definition without
a source on the platform has ``no_source`` instead and always answers "no data".

``docs/indicators.md`` describes each definition in prose; ``tests/test_definitions.py`` checks that every target of
every plan maps to a definition and that the docs name every definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jineng.indicators import sources
from jineng.indicators.sources import FactSet, SourceMissing

FLOW = "flow"  # events dated in a year
STOCK = "stock"  # records in force at a year's end

# Windows of a distinct-person definition: the persons of one year, of the plan period so far, or ever up to Y.
WINDOW_YEAR = "year"
WINDOW_PERIOD = "period"
WINDOW_TO_DATE = "to_date"


@dataclass(frozen=True)
class Definition:
    id: str
    name: str
    counts: str
    records: str
    dated_by: str
    filters: str
    subsidy_kinds: str
    additive: bool
    measure: str
    facts_fn: Callable[[], FactSet] | None = None
    window: str = ""  # distinct-person definitions only
    sources: tuple[str, ...] = ()
    no_source: str = ""

    def facts(self) -> FactSet:
        if self.facts_fn is None:
            raise SourceMissing(self.no_source or "平台无此项数据来源")
        return self.facts_fn()

    def availability(self) -> str:
        """ "" when the records are on the platform, else the reason the indicator has no data."""
        if self.facts_fn is None:
            return self.no_source or "平台无此项数据来源"
        try:
            self.facts_fn()
        except SourceMissing as exc:
            return exc.reason
        return ""

    @property
    def distinct(self) -> bool:
        return not self.additive


DEFINITIONS: dict[str, Definition] = {}


def define(d: Definition) -> Definition:
    if d.id in DEFINITIONS:
        raise ValueError(f"definition {d.id} defined twice")
    if d.additive == bool(d.window):
        raise ValueError(f"{d.id}: a window is for distinct-person (non-additive) definitions only")
    DEFINITIONS[d.id] = d
    return d


NONE = "不涉及补贴"
TRAINING_SUBSIDIES = (
    "职业培训补贴（含培训券核销）、以工代训补贴、企业新型学徒制培训补贴（经审核通过、未被追回）；"
    "生活费补贴随培训发放，不单独计数；技能提升补贴、评价补贴不计"
)

# ---- training -----------------------------------------------------------------------------------------------------

define(Definition(
    id="subsidized-training",
    name="补贴性职业技能培训人次",
    counts="补贴申请，每条计 1 人次：已结业学员的培训补贴、以工代训补贴、企业新型学徒制培训补贴（每个培养年度）、"
           "培训券核销（同一人参加两个班计 2 人次）",
    records="补贴·补贴申请 ＋ 培训过程·花名册（Enrollment）",
    dated_by="资格事件日期（结业、入职、学徒年度、核销）",
    filters="审核通过（含拨付中、已拨付），被追回后即不再计入；培训补贴须学员已结业；就业挂钩部分不另计",
    subsidy_kinds=TRAINING_SUBSIDIES,
    additive=True, measure=FLOW, sources=("enrollment", "claim"),
    facts_fn=lambda: sources.subsidized_training(),
))  # fmt: skip
define(Definition(
    id="subsidized-training-migrant-workers",
    name="其中：农民工参加补贴性培训人次",
    counts="同“补贴性职业技能培训人次”，仅人员类别含农民工或农村转移劳动力的记录",
    records="同上；人员类别取报名时的快照（Enrollment.groups），无报名的取资格事件日的人员类别",
    dated_by="资格事件日期",
    filters="同上，且为农民工或农村转移劳动力（同时属于两类只计 1 次）",
    subsidy_kinds=TRAINING_SUBSIDIES,
    additive=True, measure=FLOW, sources=("enrollment", "claim"),
    facts_fn=lambda: sources.subsidized_training(groups=sources.MIGRANT_WORKER_GROUPS),
))  # fmt: skip
define(Definition(
    id="training-completions",
    name="各类职业技能培训人次",
    counts="学员名册记录，每条计 1 人次，补贴性与非补贴性均计",
    records="培训过程·花名册（Enrollment）",
    dated_by="结业日期",
    filters="已结业（不论考核结果）",
    subsidy_kinds="不论是否申领补贴",
    additive=True, measure=FLOW, sources=("enrollment",),
    facts_fn=sources.completed_enrollments,
))  # fmt: skip
define(Definition(
    id="entrepreneurship-training",
    name="创业培训人次",
    counts="创业培训班的学员名册记录，每条计 1 人次",
    records="培训过程·花名册，培训类型为创业培训（entrepreneurship）的班",
    dated_by="结业日期",
    filters="已结业",
    subsidy_kinds="不论是否申领补贴",
    additive=True, measure=FLOW, sources=("enrollment",),
    facts_fn=sources.entrepreneurship_enrollments,
))  # fmt: skip
define(Definition(
    id="cluster-trainees",
    name="面向战略性产业集群培养培训人数（每年去重）",
    counts="人数：同一年内同一人只计 1 次；各年相加（年均目标 × 年数）",
    records="培训过程·花名册，所在班的培训项目带有“广东省20个战略性产业集群”产业标签",
    dated_by="结业日期",
    filters="已结业",
    subsidy_kinds="不论是否申领补贴",
    additive=False, measure=FLOW, window=WINDOW_YEAR, sources=("enrollment",),
    facts_fn=sources.cluster_completed_enrollments,
))  # fmt: skip
define(Definition(
    id="apprentices-started",
    name="企业新型学徒制培训人次",
    counts="学徒记录，每名学徒入学计 1 人次",
    records="培训过程·企业新型学徒（Apprentice），归属企业注册地",
    dated_by="入学日期（joined_on）",
    filters="全部学徒（其后终止的仍计入入学当年）",
    subsidy_kinds="不论是否申领学徒制补贴",
    additive=True, measure=FLOW, sources=("apprentice",),
    facts_fn=sources.apprentices_started,
))  # fmt: skip
define(Definition(
    id="apprentice-persons",
    name="企业新型学徒制培训人数（规划期内去重）",
    counts="人数：规划期内同一人只计 1 次",
    records="培训过程·企业新型学徒（Apprentice）",
    dated_by="入学日期，规划期首年起累计",
    filters="全部学徒",
    subsidy_kinds="不论是否申领学徒制补贴",
    additive=False, measure=FLOW, window=WINDOW_PERIOD, sources=("apprentice",),
    facts_fn=sources.apprentices_started,
))  # fmt: skip
define(Definition(
    id="subsidized-apprentices",
    name="其中：享受补贴的企业新型学徒制培训人次",
    counts="学徒记录，其企业新型学徒制培训补贴已审核通过、未被追回，每名学徒计 1 人次",
    records="培训过程·企业新型学徒 ＋ 补贴·学徒制补贴申请",
    dated_by="入学日期",
    filters="学徒制补贴申请已审核通过",
    subsidy_kinds="企业新型学徒制培训补贴",
    additive=True, measure=FLOW, sources=("apprentice", "claim"),
    facts_fn=sources.subsidized_apprentices,
))  # fmt: skip

# ---- certificates -------------------------------------------------------------------------------------------------

define(Definition(
    id="certificates-issued",
    name="新增取得职业资格证书或职业技能等级证书人次",
    counts="证书，每本计 1 人次",
    records="评价与证书·证书（Certificate），职业资格证书、职业技能等级证书",
    dated_by="发证日期（issued_on）",
    filters="有效（已撤销的不计，撤销后从其发证年度减去）；专项职业能力证书、培训合格证书不计",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("certificate",),
    facts_fn=lambda: sources.certificates_issued(),
))  # fmt: skip
define(Definition(
    id="certificates-issued-high-skill",
    name="其中：高级工及以上证书人次",
    counts="同上，等级为高级工（三级）及以上（SkillLevel.is_high_skill）",
    records="同上",
    dated_by="发证日期",
    filters="同上，且等级为高级工、技师、高级技师、特级技师、首席技师",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("certificate",),
    facts_fn=lambda: sources.certificates_issued(high_skill=True),
))  # fmt: skip
define(Definition(
    id="high-skill-holders",
    name="高技能人才数（持证人数，去重）",
    counts="人数：年末持有有效的高级工及以上职业资格或职业技能等级证书的人，同一人只计 1 次；另加规划载明的期初存量",
    records="评价与证书·证书",
    dated_by="发证日期不晚于年末",
    filters="有效证书，等级为高级工及以上",
    subsidy_kinds=NONE,
    additive=False, measure=STOCK, window=WINDOW_TO_DATE, sources=("certificate",),
    facts_fn=lambda: sources.certificates_issued(high_skill=True),
))  # fmt: skip

# ---- bases and studios --------------------------------------------------------------------------------------------


def _bases(kinds: tuple[str, ...], level: str = "") -> Callable[[], FactSet]:
    return lambda: sources.bases(kinds=kinds, level=level)


_BASE_RECORDS = "培训机构·基地与工作室（TrainingBase），归属其注册地"
define(Definition(
    id="public-training-bases-approved",
    name="新建公共实训基地（个）",
    counts="公共实训基地，每个计 1 个",
    records=_BASE_RECORDS,
    dated_by="批准年度（approval_year）",
    filters="类别为公共实训基地，各级均计；其后撤销的仍计入批准年度",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("base",),
    facts_fn=_bases(("public_training",)),
))  # fmt: skip
define(Definition(
    id="public-and-competition-bases-approved",
    name="新建公共实训基地、职业技能竞赛集训基地（个）",
    counts="基地，每个计 1 个",
    records=_BASE_RECORDS,
    dated_by="批准年度",
    filters="类别为公共实训基地或职业技能竞赛集训基地，各级均计",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("base",),
    facts_fn=_bases(("public_training", "competition")),
))  # fmt: skip
define(Definition(
    id="national-high-skill-bases-approved",
    name="新建国家级高技能人才培训基地（个）",
    counts="基地，每个计 1 个",
    records=_BASE_RECORDS,
    dated_by="批准年度",
    filters="类别为高技能人才培训基地，级别为国家级",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("base",),
    facts_fn=_bases(("high_skill",), "national"),
))  # fmt: skip
define(Definition(
    id="national-master-studios-approved",
    name="新建国家级技能大师工作室（个）",
    counts="工作室，每个计 1 个",
    records=_BASE_RECORDS,
    dated_by="批准年度",
    filters="类别为技能大师工作室，级别为国家级",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("base",),
    facts_fn=_bases(("master_studio",), "national"),
))  # fmt: skip
define(Definition(
    id="provincial-public-training-bases-in-force",
    name="省级公共实训基地（年末总数）",
    counts="年末存续的省级公共实训基地，每个计 1 个；另加规划载明的期初存量与平台期初记录之差",
    records=_BASE_RECORDS,
    dated_by="批准年度不晚于该年，且未在该年或之前撤销",
    filters="类别为公共实训基地，级别为省级",
    subsidy_kinds=NONE,
    additive=True, measure=STOCK, sources=("base",),
    facts_fn=_bases(("public_training",), "provincial"),
))  # fmt: skip
define(Definition(
    id="national-high-skill-bases-in-force",
    name="国家级高技能人才培训基地（年末总数）",
    counts="年末存续的国家级高技能人才培训基地；另加期初存量与平台期初记录之差",
    records=_BASE_RECORDS,
    dated_by="批准年度不晚于该年，且未撤销",
    filters="类别为高技能人才培训基地，级别为国家级",
    subsidy_kinds=NONE,
    additive=True, measure=STOCK, sources=("base",),
    facts_fn=_bases(("high_skill",), "national"),
))  # fmt: skip
define(Definition(
    id="national-master-studios-in-force",
    name="国家级技能大师工作室（年末总数）",
    counts="年末存续的国家级技能大师工作室；另加期初存量与平台期初记录之差",
    records=_BASE_RECORDS,
    dated_by="批准年度不晚于该年，且未撤销",
    filters="类别为技能大师工作室，级别为国家级",
    subsidy_kinds=NONE,
    additive=True, measure=STOCK, sources=("base",),
    facts_fn=_bases(("master_studio",), "national"),
))  # fmt: skip

# ---- brands, standards and textbooks ------------------------------------------------------------------------------

define(Definition(
    id="golden-blue-collar-training",
    name="金蓝领培训人数（规划期内去重）",
    counts="人数：规划期内同一人只计 1 次",
    records="培训过程·花名册，所在班的培训项目带有“金蓝领”培训品牌（培训机构·培训品牌，代码 golden-blue-collar）",
    dated_by="结业日期，规划期首年起累计",
    filters="已结业",
    subsidy_kinds="不论是否申领补贴",
    additive=False, measure=FLOW, window=WINDOW_PERIOD, sources=("enrollment",),
    facts_fn=lambda: sources.brand_completed_enrollments(),
))  # fmt: skip
define(Definition(
    id="training-brands",
    name="职业技能培训品牌（个）",
    counts="培训品牌，每个计 1 个",
    records="培训机构·培训品牌（TrainingBrand），归属品牌所属地区（省，或“一市一品牌”的设区市）",
    dated_by="认定年度（recognized_year）",
    filters="已认定的品牌；其后停用的仍计入认定年度",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("brand",),
    facts_fn=sources.brands_recognized,
))  # fmt: skip
define(Definition(
    id="occupational-standards",
    name="制定或修订颁布国家职业标准（个）",
    counts="职业标准，每个计 1 个",
    records="培训机构·职业标准与教材（StandardWork），类别为国家职业标准，归属颁布机关所在地区（全国）",
    dated_by="颁布年度（year）",
    filters="状态为已颁布（已废止的不计）",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("standard",),
    facts_fn=lambda: sources.standards_published(kinds=sources.OCCUPATIONAL_STANDARDS),
))  # fmt: skip
define(Definition(
    id="provincial-key-textbooks",
    name="省级重点职业技能培训教材和数字资源（个）",
    counts="教材或数字资源，每种计 1 个",
    records="培训机构·职业标准与教材（StandardWork），类别为培训教材或数字资源，归属颁布机关所在地区（省）",
    dated_by="颁布年度（year）",
    filters="状态为已颁布（已废止的不计）",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("standard",),
    facts_fn=lambda: sources.standards_published(kinds=sources.TEXTBOOKS_AND_RESOURCES),
))  # fmt: skip

# ---- competitions ------------------------------------------------------------------------------------------------

define(Definition(
    id="provincial-key-competitions",
    name="省级重点职业技能赛事（项）",
    counts="赛事，每项计 1 项",
    records="职业技能竞赛·赛事（Event），级别为省级、类别为一类或二类，归属赛事所在地区",
    dated_by="开赛日期（starts_on）",
    filters="已批准（草稿、待批、已退回的不计）",
    subsidy_kinds=NONE,
    additive=True, measure=FLOW, sources=("competition",),
    facts_fn=sources.key_competitions,
))  # fmt: skip

# ---- no source on the platform ------------------------------------------------------------------------------------


def _no_source(id: str, name: str, why: str, measure: str = FLOW) -> None:
    define(Definition(
        id=id, name=name, counts="—", records="—", dated_by="—", filters="—", subsidy_kinds=NONE,
        additive=True, measure=measure, no_source=why,
    ))  # fmt: skip


# ---- every plan target → its definition ---------------------------------------------------------------------------

# The definition of an indicator code, where the wording matches across plans …
BY_INDICATOR: dict[str, str] = {
    "subsidized-training": "subsidized-training",
    "subsidized-training-migrant-workers": "subsidized-training-migrant-workers",
    "certificates-new": "certificates-issued",
    "certificates-new-high-skill": "certificates-issued-high-skill",
    "public-training-bases-new": "public-training-bases-approved",
    "new-apprenticeship-training": "apprentices-started",
    "high-skill-talents": "high-skill-holders",
    "vocational-training-all": "training-completions",
    "entrepreneurship-training": "entrepreneurship-training",
    "cluster-skill-training": "cluster-trainees",
    "provincial-public-training-bases": "provincial-public-training-bases-in-force",
    "national-high-skill-bases": "national-high-skill-bases-in-force",
    "national-master-studios": "national-master-studios-in-force",
    "occupational-standards": "occupational-standards",
    "provincial-key-textbooks": "provincial-key-textbooks",
    "golden-blue-collar-training": "golden-blue-collar-training",
    "provincial-key-competitions": "provincial-key-competitions",
    "city-training-brands": "training-brands",
    "training-brands": "training-brands",
    "training-bases": "public-and-competition-bases-approved",
}
# … and a plan's own where its wording differs.
BY_PLAN: dict[tuple[str, str], str] = {
    # 山东：企业新型学徒制培训（万人）— persons, not person-times.
    ("shandong-2022", "new-apprenticeship-training"): "apprentice-persons",
    # 山东：建设国家级基地、工作室 are flows over the period (新建), not year-end totals as in 广东.
    ("shandong-2022", "national-high-skill-bases"): "national-high-skill-bases-approved",
    ("shandong-2022", "national-master-studios"): "national-master-studios-approved",
    # 吉林：企业新型学徒制 is a 其中 row of 补贴性培训 — the subsidized apprentices.
    ("jilin-2022", "new-apprenticeship-training"): "subsidized-apprentices",
}


def definition_for(plan_code: str, indicator: str) -> Definition:
    key = BY_PLAN.get((plan_code, indicator)) or BY_INDICATOR.get(indicator)
    if key is None:
        raise LookupError(f"no definition for {plan_code}/{indicator}")
    return DEFINITIONS[key]


def definitions_for_source(source: str) -> list[Definition]:
    return [d for d in DEFINITIONS.values() if source in d.sources]
