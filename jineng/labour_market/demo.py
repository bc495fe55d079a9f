"""Demo data of demand monitoring (``jineng seed --scale demo`` and the synthetic scales), deterministic by seed:

- vacancies (岗位需求) and job-seeker registrations (求职登记) in the counties of 广州 and 深圳 for the last eight
  quarters and the current one so far, by a demand profile of the occupations the province trains most (the
  generator's occupations): manufacturing trades and care work in short supply, services in surplus;
- wage survey records (企业薪酬调查) of the last two complete years, a few occupations under the minimum sample so the
  suppression shows;
- the province's 急需紧缺职业（工种）目录: version 1 (effective 2022-01-01, the example list the subsidy policies used
  to carry — 焊工, 车工, 电工 and 工业机器人系统操作/运维人员), version 2 drafted from the rule by demo-province,
  approved by demo-reviewer and published from the first day of the current quarter; and a 广州 draft by demo-city
  awaiting demo-province's approval.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import User
from jineng.labour_market import services
from jineng.labour_market.models import CatalogStatus, JobSeeker, ShortageCatalog, Vacancy, WageRecord
from jineng.refdata.api import CURRENT_OCCUPATION_EDITION, Occupation, Region, SkillLevel
from jineng.rules.labour import previous_quarters

# name → (openings per quarter per county, seekers per quarter per county, median annual pay in yuan)
DEMAND_PROFILE: dict[str, tuple[int, int, int]] = {
    "焊工": (26, 9, 98_000), "电工": (30, 12, 96_000), "车工": (18, 7, 92_000), "钳工": (14, 8, 88_000),
    "工业机器人系统操作员": (16, 5, 118_000), "养老护理员": (24, 10, 66_000), "健康照护师": (10, 5, 70_000),
    "制冷空调系统安装维修工": (12, 5, 90_000), "电梯安装维修工": (9, 4, 95_000), "汽车维修工": (15, 11, 84_000),
    "计算机程序设计员": (20, 16, 186_000), "电子商务师": (14, 15, 110_000), "互联网营销师": (12, 16, 96_000),
    "育婴员": (12, 10, 72_000), "保育师": (10, 9, 68_000), "中式烹调师": (16, 14, 76_000), "中式面点师": (8, 8, 68_000),
    "家政服务员": (18, 15, 62_000), "美容师": (8, 10, 64_000), "美发师": (8, 11, 62_000), "叉车司机": (9, 10, 72_000),
    "电子设备装接工": (12, 12, 70_000), "物流服务师": (7, 8, 80_000), "保安员": (10, 22, 56_000),
    "餐厅服务员": (12, 25, 52_000), "快递员": (10, 18, 70_000), "网约配送员": (10, 19, 74_000),
    "茶艺师": (3, 5, 60_000), "眼镜验光员": (2, 3, 66_000),
}  # fmt: skip
# Occupations the wage survey reaches only thinly (under the minimum sample: suppressed).
THIN_SURVEY = {"茶艺师", "眼镜验光员"}
LEVEL_PAY = (("grade5", 0.85), ("grade4", 1.0), ("grade3", 1.2), ("grade2", 1.45), ("grade1", 1.7))
# The example list the Guangdong subsidy policies carried before the catalog (subsidies/demo_policies.py
# DEMO_SHORTAGE): 焊工, 车工, 电工, and the occupations of the minor group 工业机器人系统操作/运维人员.
FIRST_VERSION_CODES = ("6-18-02-04", "6-18-01-01", "6-31-01-03")
FIRST_VERSION_GROUP = "6-31-07"
FIRST_VERSION_FROM = dt.date(2022, 1, 1)
EMPLOYERS = ("广州智造科技有限公司", "深圳精密机械有限公司", "广州康养服务有限公司", "深圳云创信息技术有限公司",
             "广州城市物流有限公司", "深圳湾餐饮管理有限公司", "广州电梯工程有限公司", "深圳新能源汽车服务有限公司")  # fmt: skip


def _counties() -> list[str]:
    return list(
        Region.objects.current()
        .filter(parent_id__in=["440100", "440300"])
        .order_by("code")
        .values_list("code", flat=True)
    )


def _occupations() -> dict[str, Occupation]:
    rows = Occupation.objects.filter(edition=CURRENT_OCCUPATION_EDITION, name__in=DEMAND_PROFILE, level="occupation")
    found: dict[str, Occupation] = {}
    for o in rows.order_by("code"):
        found.setdefault(o.name, o)
    return found


def seed_records(*, seed: int = 7, today: dt.date | None = None) -> dict[str, int]:
    """Vacancies, seekers and wage records (idempotent: the demo's refs start ``DEMO-``)."""
    if Vacancy.objects.filter(ref__startswith="DEMO-").exists():
        return {"vacancies": 0, "job_seekers": 0, "wage_records": 0}
    today = today or timezone.localdate()
    rng = random.Random(seed)
    counties = _counties()
    occupations = _occupations()
    levels = {lv.code: lv for lv in SkillLevel.objects.filter(code__in=[c for c, _m in LEVEL_PAY])}
    year, quarter = services.last_complete_quarter(today)
    current = (today.year, (today.month - 1) // 3 + 1)
    quarters = [*previous_quarters(year, quarter, 8), current]
    vacancies: list[Vacancy] = []
    seekers: list[JobSeeker] = []
    for qi, (y, q) in enumerate(quarters):
        start, end = services.quarter_bounds(y, q)
        end = min(end, today)
        span = (end - start).days
        growth = 0.5 * (1 + 0.03 * qi)  # openings and registrations rise slowly over the two years
        for county in counties:
            for name, (openings, applicants, pay) in DEMAND_PROFILE.items():
                occupation = occupations.get(name)
                if occupation is None:
                    continue
                total = max(int(rng.gauss(openings * growth, openings * growth * 0.2)), 0)
                while total > 0:
                    n = min(total, rng.choice((1, 2, 3, 5, 8)))
                    total -= n
                    posted = start + dt.timedelta(days=rng.randint(0, span))
                    vacancies.append(Vacancy(
                        ref=f"DEMO-V-{len(vacancies) + 1:06d}", employer_name=rng.choice(EMPLOYERS),
                        occupation=occupation, region_id=county, count=n,
                        wage_offered=int(pay / 12 * rng.uniform(0.8, 1.2)) // 100 * 100,
                        level_required=levels.get(rng.choice(("grade5", "grade4", "grade4", "grade3"))),
                        posted_on=posted, closed_on=posted + dt.timedelta(days=60),
                    ))  # fmt: skip
                for _ in range(max(int(rng.gauss(applicants * growth, applicants * growth * 0.2)), 0)):
                    seekers.append(JobSeeker(
                        ref=f"DEMO-S-{len(seekers) + 1:06d}", occupation=occupation, region_id=county,
                        level_held=levels.get(rng.choice(("grade5", "grade4", "", ""))),
                        registered_on=start + dt.timedelta(days=rng.randint(0, span)),
                    ))  # fmt: skip
    wages: list[WageRecord] = []
    for survey_year in (today.year - 2, today.year - 1):
        for county in counties[::2]:  # the survey samples every other county
            for name, (_o, _a, pay) in DEMAND_PROFILE.items():
                occupation = occupations.get(name)
                if occupation is None:
                    continue
                n = rng.randint(0, 1) if name in THIN_SURVEY else rng.randint(3, 9)
                for _ in range(n):
                    level_code, factor = rng.choice(LEVEL_PAY)
                    annual = int(
                        rng.lognormvariate(0, 0.25) * pay * factor * (1.04 if survey_year == today.year - 1 else 1)
                    )
                    wages.append(WageRecord(
                        ref=f"DEMO-W-{len(wages) + 1:06d}", employer_name=rng.choice(EMPLOYERS),
                        occupation=occupation, region_id=county, level=levels.get(level_code), year=survey_year,
                        annual_pay=max(annual // 100 * 100, 24_000),
                    ))  # fmt: skip
    with transaction.atomic():
        Vacancy.objects.bulk_create(vacancies, batch_size=2000)
        JobSeeker.objects.bulk_create(seekers, batch_size=2000)
        WageRecord.objects.bulk_create(wages, batch_size=2000)
    return {"vacancies": len(vacancies), "job_seekers": len(seekers), "wage_records": len(wages)}


def _user(username: str) -> Any:
    return User.objects.filter(username=username).first()


def seed_catalogs(today: dt.date | None = None) -> list[ShortageCatalog]:
    """The province's two published versions and a 广州 draft (idempotent; needs the demo accounts)."""
    today = today or timezone.localdate()
    drafter, approver, city = _user("demo-province"), _user("demo-reviewer"), _user("demo-city")
    if drafter is None or approver is None or ShortageCatalog.objects.filter(region_id="440000").exists():
        return []
    made = []
    first = ShortageCatalog.objects.create(
        region_id="440000", version_no=1, title="广东省急需紧缺职业（工种）目录", drafted_by=drafter,
        editors=[str(drafter.pk)], note="由原补贴政策所列急需紧缺职业迁移而来",
        basis={"rule": "原补贴政策所列急需紧缺职业（专家确定）", "quarters": []},
    )  # fmt: skip
    codes = set(FIRST_VERSION_CODES) | set(
        Occupation.objects.filter(
            edition=CURRENT_OCCUPATION_EDITION, level="occupation", code__startswith=f"{FIRST_VERSION_GROUP}-"
        ).values_list("code", flat=True)
    )
    for code in sorted(codes):
        services.catalog_item_add(actor=drafter, catalog_id=first.pk, occupation_code=code,
                                  reason="原《广东省职业技能培训补贴管理办法》执行中列为急需紧缺职业")  # fmt: skip
    services.catalog_approve(actor=approver, catalog_id=first.pk)
    made.append(services.catalog_publish(actor=drafter, catalog_id=first.pk, effective_from=FIRST_VERSION_FROM))
    year, quarter = services.last_complete_quarter(today)
    second = services.catalog_draft_generate(actor=drafter, region_code="440000", year=year, quarter=quarter)
    services.catalog_approve(actor=approver, catalog_id=second.pk)
    current_start = services.quarter_bounds(today.year, (today.month - 1) // 3 + 1)[0]
    made.append(services.catalog_publish(actor=drafter, catalog_id=second.pk, effective_from=current_start))
    if city is not None:
        made.append(services.catalog_draft_generate(actor=city, region_code="440100", year=year, quarter=quarter))
    return made


def seed_demo(*, seed: int = 7, stdout: Any = None) -> None:
    counts = seed_records(seed=seed)
    catalogs = seed_catalogs()
    if stdout is not None and (any(counts.values()) or catalogs):
        stdout.write(
            f"Labour market: {counts['vacancies']} vacancies, {counts['job_seekers']} job seekers, "
            f"{counts['wage_records']} wage records; shortage catalogs: "
            + "、".join(f"{c.region_id} v{c.version_no} {CatalogStatus(c.status).label}" for c in catalogs)
        )
