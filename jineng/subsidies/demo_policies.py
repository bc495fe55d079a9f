"""The demo's policy versions, encoded from shared/data/subsidy_rules.csv (copied at jineng/refdata/data/) and
shared/DOMAIN.md, each with its citation. Versions marked ``note`` "演示假定" are NOT official documents: they carry
an expired measure forward so that the demo can be used today, and say so.

Amounts are fen. Shortage list (急需紧缺职业（工种）): Guangdong's versions reference the province's published
catalog (``"catalog": "440000"``, the labour market's 急需紧缺职业目录, ADR 0022) — the version in force on the class's
start date applies. Hunan's older version keeps its own example list (no Hunan catalog in the demo).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

D = dt.date
# The first day of the demo world's records (classes, hires): demo-only versions start here so every record of the
# demo can be claimed for under a version in force on its date.
DEMO_WORLD_START = D(2022, 1, 1)
DEMO_ASSUMPTION = (
    "演示假定：原文件有效期已届满，演示数据按原标准延续执行以便试用，并非正式文件；新文件发布后应另建版本替换。"
)

# 焊工, 车工, 电工, 工业机器人系统操作/运维人员 (by the minor group 6-31-07) — an example list; the demo's first
# catalog version (labour_market/demo.py) carries these occupations.
GD_CATALOG = "440000"
DEMO_SHORTAGE = ["6-18-02-04", "6-18-01-01", "6-31-01-03", "6-31-07"]

GD_AGE = {"kind": "age", "male_min": 16, "male_max": 60, "female_min": 16, "female_max": 55}
GD_CITATION = "粤人社/粤财《广东省职业技能培训补贴管理办法》（2023-08-15至2025-12-31）"
GD_SOURCE = "http://www.btfans.org/?show=1718"
SZ_QA = "深圳市人社局答问(2024-11-27)：同一人员同一自然年度各只可享受一次，累计不超过3次；同一职业同一等级证书只能享受一次；与失业保险技能提升补贴互斥；生活费补贴每年一次"
SZ_QA_URL = "https://www.yantian.gov.cn/cn/service/ldjy/zyjn/zyjnjd/cjwt/content/post_11822292.html"

# The limits every Guangdong subsidy of the "3 a year" family carries (深圳答问).
GD_LIMITS = [
    {"kind": "annual_count", "max_count": 1, "scope": "type"},
    {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
     "setting": "subsidy.max_per_person_year"},
]  # fmt: skip
CERT_LIMITS = [
    {"kind": "once_per_occupation_level", "scope": "counter", "counter": "certificate_subsidy"},
    {"kind": "higher_level_blocks", "scope": "counter", "counter": "certificate_subsidy"},
]
NATIONAL_SKILL_ROWS = [
    {"certificate_kind": "", "level": "grade5", "amount_fen": 100000},
    {"level": "grade4", "amount_fen": 150000},
    {"level": "grade3", "amount_fen": 200000},
]


def _skill_upgrade_gd() -> dict[str, Any]:
    return {
        "subsidy_type": "skill_upgrade",
        "payee": "person",
        "channel": "social_security_card",
        "fund_source": "special_account",
        "counters": ["annual_total", "certificate_subsidy"],
        "exclusion_groups": ["skill_upgrade", "same_training"],
        "eligibility": [
            GD_AGE,
            {"kind": "certificate", "kinds": ["qualification", "skill_level"]},
            {"kind": "deadline", "unit": "months", "default": 12, "setting": "claim.skill_upgrade_within_months"},
        ],
        "amount": {"rows": NATIONAL_SKILL_ROWS},
        "adjustments": [
            {
                "kind": "shortage_float",
                "catalog": GD_CATALOG,
                "min_level_rank": 4,
                "setting": "subsidy.shortage_float_percent",
                "default_percent": 30,
            }
        ],  # fmt: skip
        "limits": GD_LIMITS + CERT_LIMITS,
    }


def _ui_skill_upgrade(float_percent: int = 0, catalog: str = "") -> dict[str, Any]:
    doc: dict[str, Any] = {
        "subsidy_type": "ui_skill_upgrade",
        "payee": "person",
        "channel": "social_security_card",
        "fund_source": "unemployment_insurance",
        "counters": ["annual_total", "certificate_subsidy"],
        "exclusion_groups": ["skill_upgrade", "same_training"],
        "eligibility": [
            {"kind": "insured_months", "min_months": 12},
            {"kind": "certificate", "kinds": ["qualification", "skill_level"]},
            {"kind": "deadline", "unit": "months", "default": 12, "setting": "claim.skill_upgrade_within_months"},
        ],
        "amount": {"rows": NATIONAL_SKILL_ROWS},
        "limits": [
            {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
             "setting": "subsidy.max_per_person_year"},
            *CERT_LIMITS,
        ],
    }  # fmt: skip
    if float_percent:
        doc["adjustments"] = [
            {"kind": "shortage_float", **({"catalog": catalog} if catalog else {"occupations": DEMO_SHORTAGE}),
             "min_level_rank": 4, "setting": "", "default_percent": float_percent}
        ]  # fmt: skip
    return doc


def _apprenticeship(rows: list[dict[str, Any]], max_fen: int, floated: bool) -> dict[str, Any]:
    return {
        "subsidy_type": "apprenticeship",
        "payee": "enterprise",
        "channel": "bank_account",
        "fund_source": "special_account",
        "counters": ["annual_total"],
        "eligibility": [
            {"kind": "employed_by_applicant"},
            {"kind": "hours", "default_hours": 600, "setting": "apprenticeship.min_hours_per_year"},
            {"kind": "concentrated_hours"},
        ],
        "amount": {"rows": rows, "unit": "year", "max_units": 1, "max_fen": max_fen},
        "adjustments": [{"kind": "shortage_float", "catalog": GD_CATALOG, "min_level_rank": 4}] if floated else [],
        "limits": GD_LIMITS,
    }


def _living() -> dict[str, Any]:
    return {
        "subsidy_type": "living",
        "payee": "person",
        "channel": "social_security_card",
        "fund_source": "employment_fund",
        "eligibility": [
            {"kind": "eligible_group",
             "groups": ["poverty_alleviated", "employment_difficulty", "disabled", "low_income", "monitored"]},
            {"kind": "training_completed"},
            {"kind": "attendance"},
            {"kind": "deadline", "unit": "days", "default": 30, "setting": "claim.training_within_days"},
        ],
        "amount": {"rows": [{"amount_fen": 50000}]},
        "limits": [{"kind": "annual_count", "max_count": 1, "scope": "type"}],
    }  # fmt: skip


def _training(
    rows: list[dict[str, Any]], by_level: list[dict[str, Any]], *, cap: int = 0, share: int = 0
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "subsidy_type": "training",
        "payee": "provider",
        "channel": "bank_account",
        "fund_source": "employment_fund",
        "counters": ["annual_total"],
        "exclusion_groups": ["same_training"],
        "eligibility": [
            {"kind": "training_completed"},
            {"kind": "attendance"},
            {"kind": "hours", "by_level": by_level},
            {"kind": "certificate", "kinds": ["training", "qualification", "skill_level", "special_ability"]},
            {"kind": "deadline", "unit": "days", "default": 30, "setting": "claim.training_within_days"},
        ],
        "amount": {"rows": rows, "max_fen": cap},
        "limits": [{"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
                    "setting": "subsidy.max_per_person_year"}],
    }  # fmt: skip
    if share:
        doc["employment_share"] = {"share_percent": share, "within_months": 6}
    return doc


def _work_for_training() -> dict[str, Any]:
    return {
        "subsidy_type": "work_for_training",
        "payee": "enterprise",
        "channel": "bank_account",
        "fund_source": "unemployment_insurance",
        "eligibility": [
            {"kind": "eligible_group", "groups": ["employment_difficulty", "college_graduate", "unemployed"]},
            {"kind": "employed_by_applicant"},
        ],
        "amount": {"rows": [{"amount_fen": 50000}], "unit": "month", "max_units": 6},
        "limits": [{"kind": "annual_count", "max_count": 1, "scope": "type"}],
    }


JILIN_ROWS = [{"level": "grade5", "amount_fen": 80000, "min_hours": 60},
              {"level": "grade4", "amount_fen": 150000, "min_hours": 110},
              {"level": "grade3", "amount_fen": 200000, "min_hours": 150}]  # fmt: skip
JILIN_HOURS = [{"level": "grade5", "hours": 60}, {"level": "grade4", "hours": 110}, {"level": "grade3", "hours": 150}]
JILIN_CITATION = "吉人社联〔2020〕59号：初级800元（≥60学时）、中级1500元（≥110学时）、高级2000元（≥150学时）；以取得培训合格证书、职业资格证书、职业技能等级证书或专项职业能力证书为准"
JILIN_URL = "http://hrss.jl.gov.cn/gg/202010/t20201015_7614157.html"


@dataclass(frozen=True)
class DemoPolicy:
    region: str
    subsidy_type: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    rules: dict[str, Any]
    citation: str
    source_url: str
    note: str = ""


DEMO_POLICIES: list[DemoPolicy] = [
    DemoPolicy("440000", "skill_upgrade", "广东省职业技能提升补贴", D(2023, 8, 15), D(2025, 12, 31), _skill_upgrade_gd(),
               f"{GD_CITATION}：按《广东省职业技能提升补贴(指导)标准目录》，急需紧缺职业高级工(三级)以上证书最高上浮30%；"
               f"证书核发起12个月内申领；男16-60/女16-55周岁。{SZ_QA}。标准目录的各职业金额未收录，演示以人社部发〔2017〕40号的"
               "初级1000/中级1500/高级2000元作为目录行。", GD_SOURCE),
    DemoPolicy("440000", "skill_upgrade", "广东省职业技能提升补贴（演示延续）", D(2026, 1, 1), None, _skill_upgrade_gd(),
               GD_CITATION, GD_SOURCE, DEMO_ASSUMPTION),
    DemoPolicy("440000", "apprenticeship", "广东省企业新型学徒制培训补贴", D(2023, 8, 15), D(2025, 12, 31),
               _apprenticeship([{"level": "grade4", "amount_fen": 500000}, {"level": "grade3", "amount_fen": 650000},
                                {"level": "grade2", "amount_fen": 650000}, {"level": "grade1", "amount_fen": 650000}],
                               850000, True),
               f"{GD_CITATION}：学徒 5000-8500元/人/年，急需紧缺高级工以上最高上浮30%（按年度申领，每年≥600课时、其中集中≥160课时）。"
               "演示读法：中级工5000元、高级工及以上6500元，上浮后封顶8500元。", "http://xw588.com/techan/395e05e237653a55240fc123afdf505a.html"),
    DemoPolicy("440000", "apprenticeship", "广东省企业新型学徒制培训补贴（演示延续）", D(2026, 1, 1), None,
               _apprenticeship([{"level": "grade4", "amount_fen": 500000}, {"level": "grade3", "amount_fen": 650000},
                                {"level": "grade2", "amount_fen": 650000}, {"level": "grade1", "amount_fen": 650000}],
                               850000, True),
               GD_CITATION, "http://xw588.com/techan/395e05e237653a55240fc123afdf505a.html", DEMO_ASSUMPTION),
    DemoPolicy("440000", "living", "广东省生活费补贴", D(2023, 8, 15), D(2025, 12, 31), _living(),
               f"{GD_CITATION}：脱贫人口、就业困难人员、零就业家庭成员、残疾人、毕业2年内两后生中农村/低保学员 500元/人/次，"
               "同一劳动者一年内只可享受一次；需同时符合职业技能提升补贴或项目制培训补贴条件。", "http://m.zh.bendibao.com/live/86650.shtm"),
    DemoPolicy("440000", "living", "广东省生活费补贴（演示延续）", D(2026, 1, 1), None, _living(), GD_CITATION,
               "http://m.zh.bendibao.com/live/86650.shtm", DEMO_ASSUMPTION),
    DemoPolicy("440000", "training", "广东省项目制职业培训补贴（演示）", DEMO_WORLD_START, D(2025, 12, 31),
               _training(JILIN_ROWS, JILIN_HOURS, share=30),
               "演示：广东项目制培训补贴标准未收录，按吉人社联〔2020〕59号的等级标准与学时要求演示；就业挂钩30%部分在结业后6个月内实现就业方可拨付（演示规则）。",
               JILIN_URL, DEMO_ASSUMPTION),
    DemoPolicy("440000", "training", "广东省项目制职业培训补贴（演示）", D(2026, 1, 1), None,
               _training(JILIN_ROWS, JILIN_HOURS, share=30),
               "演示：广东项目制培训补贴标准未收录，按吉人社联〔2020〕59号的等级标准与学时要求演示；就业挂钩30%部分在结业后6个月内实现就业方可拨付（演示规则）。",
               JILIN_URL, DEMO_ASSUMPTION),
    DemoPolicy("440900", "ui_skill_upgrade", "茂名市失业保险技能提升补贴", D(2023, 1, 1), D(2023, 12, 31), _ui_skill_upgrade(30, GD_CATALOG),
               "茂名实施：初级/中级/高级 1000/1500/2000元/证；紧缺急需(含制造业当家)高级证书可上浮30%；每人每年不超过3次；与劳动力职业技能提升补贴不重复。",
               "https://jwbk.com/techan/f463a9dd29f5b8d0b50dbbb713ef4881.html"),
    DemoPolicy("000000", "ui_skill_upgrade", "失业保险技能提升补贴（全国）", D(2017, 1, 1), None, _ui_skill_upgrade(),
               "人社部 财政部《关于失业保险支持参保职工提升职业技能有关问题的通知》人社部发〔2017〕40号：初级1000、中级1500、高级2000元/证（上限）；"
               "同一职业(工种)同一等级只能申请并享受一次（原条件累计缴费36个月，后各地放宽为参保1年以上，本版本按12个月）；"
               "现行口径（人社部答问2025-11-03）每人每年最多3次，不得与职业培训补贴重复，已持同职业高等级证书的不再享受低等级。",
               "http://liweiqiye.com/html/art2017519art_236_52936.html", "2017年起施行，具体生效日以原文为准。"),
    DemoPolicy("430000", "ui_skill_upgrade", "湖南省失业保险技能提升补贴", D(2020, 1, 1), D(2022, 12, 31), _ui_skill_upgrade(10),
               "湖南省级实施：初级/中级/高级 1000/1500/2000元/证；省紧缺职业上浮10%；每人每年不超过3次。",
               "http://m.hy.bendibao.com/live/10814.shtm"),
    DemoPolicy("000000", "work_for_training", "以工代训补贴（2020阶段性政策）", D(2020, 1, 1), D(2021, 12, 31), _work_for_training(),
               "2020年稳就业阶段性政策（省级实施细则）：中小微企业新吸纳就业困难人员、离校2年内高校毕业生、登记失业人员等，500元/人/月，最长6个月。",
               "http://m.hunanyuer.com/baike/techan/827192.html"),
    # Carried on from the day after the 2020 measure ended, so that a hire of any year of the demo world (2022 to
    # today) can be claimed for — a hire of last year was refused "没有有效的以工代训补贴政策版本" (issue 15). Two
    # versions, not one from 2022: a demo made before has the 2026 one, and published versions may not overlap.
    DemoPolicy("440000", "work_for_training", "以工代训补贴（演示延续）", DEMO_WORLD_START, D(2025, 12, 31),
               _work_for_training(), "2020年稳就业阶段性政策（省级实施细则）：500元/人/月，最长6个月。",
               "http://m.hunanyuer.com/baike/techan/827192.html", DEMO_ASSUMPTION),
    DemoPolicy("440000", "work_for_training", "以工代训补贴（演示延续）", D(2026, 1, 1), None, _work_for_training(),
               "2020年稳就业阶段性政策（省级实施细则）：500元/人/月，最长6个月。", "http://m.hunanyuer.com/baike/techan/827192.html",
               DEMO_ASSUMPTION),
    DemoPolicy("220000", "training", "吉林省就业技能培训补贴", D(2020, 8, 31), D(2021, 12, 31), _training(JILIN_ROWS, JILIN_HOURS),
               JILIN_CITATION, JILIN_URL),
    DemoPolicy("370900", "training", "泰安市职业技能培训补贴（按课时）", D(2022, 1, 1), D(2022, 12, 31),
               _training([{"per_hour_fen": 1000}], [], cap=50000),
               "鲁人社字〔2022〕72号；泰安实施文件：10元/课时，最高500元/人，取证后按泰人社函〔2022〕30号执行。",
               "https://www.chacewang.com/newsdetail/news342226.html"),
    DemoPolicy("350000", "apprenticeship", "福建省企业新型学徒制（企校合作）", D(2019, 1, 1), None,
               _apprenticeship([{"level": "grade4", "amount_fen": 500000}, {"level": "grade3", "amount_fen": 600000}], 0, False),
               "闽人社文〔2019〕220号：中级工班5000元/人/年、高级工班6000元/人/年；可预拨不超过50%，完成后结算（预拨未建模）。",
               "", "来源为南平公示摘录，无原文地址；生效日期以原文为准。"),
]  # fmt: skip
