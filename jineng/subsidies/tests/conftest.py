"""A small world for subsidy tests: officials at every step (越秀 440104, 广州, 广东), finance, an enterprise and a
provider with their staff, test policies published at 广东 (valid from 2000, so the tests do not depend on today's
date), and factories of the facts claims pay for — hires in the registry, completed enrollments of a training
class, certificates — written the way the owning apps store them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

import pytest

from jineng.common.codes import credit_code_check_char
from jineng.common.tests.openapi import openapi  # noqa: F401  (the fixture)
from jineng.rules.idcard import check_character

_serial = itertools.count(1)
TODAY = dt.date.today()

WORK_POLICY = {
    "subsidy_type": "work_for_training",
    "payee": "enterprise",
    "fund_source": "unemployment_insurance",
    "counters": ["annual_total"],
    "eligibility": [
        {"kind": "eligible_group", "groups": ["employment_difficulty", "college_graduate", "unemployed"]},
        {"kind": "employed_by_applicant"},
    ],
    "amount": {"rows": [{"amount_fen": 50000}], "unit": "month", "max_units": 6},
    "limits": [
        {"kind": "annual_count", "max_count": 1, "scope": "type"},
        {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
         "setting": "subsidy.max_per_person_year"},
    ],
}  # fmt: skip

TRAINING_POLICY = {
    "subsidy_type": "training",
    "payee": "provider",
    "fund_source": "employment_fund",
    "counters": ["annual_total"],
    "exclusion_groups": ["same_training"],
    "eligibility": [
        {"kind": "training_completed"},
        {"kind": "attendance"},
        {"kind": "hours", "by_level": [{"level": "grade5", "hours": 60}, {"level": "grade4", "hours": 110}]},
        {"kind": "deadline", "unit": "days", "default": 30, "setting": "claim.training_within_days"},
    ],
    "amount": {"rows": [{"level": "grade5", "amount_fen": 80000}, {"level": "grade4", "amount_fen": 150000}]},
    "limits": [
        {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
         "setting": "subsidy.max_per_person_year"},
    ],
    "employment_share": {"share_percent": 30, "within_months": 6},
}  # fmt: skip

SKILL_POLICY = {
    "subsidy_type": "skill_upgrade",
    "payee": "person",
    "channel": "social_security_card",
    "fund_source": "special_account",
    "counters": ["annual_total", "certificate_subsidy"],
    "exclusion_groups": ["skill_upgrade", "same_training"],
    "eligibility": [
        {"kind": "age"},
        {"kind": "certificate", "kinds": ["qualification", "skill_level"]},
        {"kind": "deadline", "unit": "months", "default": 12, "setting": "claim.skill_upgrade_within_months"},
    ],
    "amount": {"rows": [{"level": "grade5", "amount_fen": 100000}, {"level": "grade4", "amount_fen": 150000},
                        {"level": "grade3", "amount_fen": 200000}]},
    "adjustments": [{"kind": "shortage_float", "occupations": ["6-18-02-04"], "min_level_rank": 4}],
    "limits": [
        {"kind": "annual_count", "max_count": 1, "scope": "type"},
        {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
         "setting": "subsidy.max_per_person_year"},
        {"kind": "once_per_occupation_level", "scope": "counter", "counter": "certificate_subsidy"},
        {"kind": "higher_level_blocks", "scope": "counter", "counter": "certificate_subsidy"},
    ],
}  # fmt: skip

UI_POLICY = {
    **SKILL_POLICY,
    "subsidy_type": "ui_skill_upgrade",
    "fund_source": "unemployment_insurance",
    "eligibility": [
        {"kind": "insured_months", "min_months": 12},
        {"kind": "certificate", "kinds": ["qualification", "skill_level"]},
    ],
    "adjustments": [],
    "limits": [
        {
            "kind": "annual_count",
            "max_count": 3,
            "scope": "counter",
            "counter": "annual_total",
            "setting": "subsidy.max_per_person_year",
        },
        {"kind": "once_per_occupation_level", "scope": "counter", "counter": "certificate_subsidy"},
    ],
}


def credit_code(region: str) -> str:
    first17 = f"91{region}{next(_serial) + 7000:09d}"
    return first17 + credit_code_check_char(first17)


def id_number(region: str = "440104", born: dt.date = dt.date(1990, 5, 17)) -> str:
    body = f"{region}{born:%Y%m%d}{next(_serial) % 1000:03d}"
    return body + check_character(body)


def publish(region: str, doc: dict[str, Any], valid_from: dt.date = dt.date(2000, 1, 1)) -> Any:
    from jineng.subsidies.services.policies import policy_draft_create, policy_publish

    v = policy_draft_create(actor="test", region_code=region, subsidy_type=doc["subsidy_type"], title=f"测试{doc['subsidy_type']}",
                            valid_from=valid_from, rules=doc, citation="测试", check_permission=False)  # fmt: skip
    return policy_publish(actor="test", version=v, check_permission=False)


@pytest.fixture
def world(db: Any, make_user: Any, make_org: Any) -> SimpleNamespace:
    from jineng.accounts.models import Organization

    enterprise = Organization.objects.create(kind="enterprise", name="越秀智造有限公司", region_id="440104",
                                             credit_code=credit_code("440104"))  # fmt: skip
    shenzhen = Organization.objects.create(kind="enterprise", name="罗湖制造有限公司", region_id="440303",
                                           credit_code=credit_code("440303"))  # fmt: skip
    provider = make_org("440106", "provider", "天河培训学校")
    for doc in (WORK_POLICY, TRAINING_POLICY, SKILL_POLICY, UI_POLICY):
        publish("440000", doc)
    return SimpleNamespace(
        enterprise=enterprise,
        hr=make_user("enterprise_hr", organization=enterprise, username="hr"),
        shenzhen=shenzhen,
        shenzhen_hr=make_user("enterprise_hr", organization=shenzhen, username="sz-hr"),
        provider=provider,
        staff=make_user("provider_staff", organization=provider, username="staff"),
        county=make_user("county_official", region="440104", username="county"),
        tianhe=make_user("county_official", region="440106", username="tianhe"),
        city=make_user("city_official", region="440100", username="city"),
        province=make_user("province_official", region="440000", username="province"),
        reviewer=make_user("province_official", region="440000", username="reviewer"),
        finance=make_user("finance", region="440000", username="finance"),
        # Four eyes: the one who confirms a bank return is not the one who made or exported the batch.
        cashier=make_user("finance", region="440000", username="cashier"),
        luohu=make_user("county_official", region="440303", username="luohu"),
    )


@pytest.fixture
def hire(world: SimpleNamespace) -> Any:
    """hire(group=..., months=8, enterprise=...) → (person, employment record) of a person newly employed."""
    from jineng.registry.services.persons import MembershipInput, employment_add, person_create

    def make(group: str = "unemployed", months: int = 8, enterprise: Any = None, name: str = "张三丰",
             born: dt.date = dt.date(1990, 5, 17), declared: bool = True) -> tuple[Any, Any]:  # fmt: skip
        org = enterprise or world.enterprise
        started = TODAY - dt.timedelta(days=months * 31)
        person = person_create(
            actor="test", name=name, id_number=id_number(str(org.region_id), born), residence_region=org.region_id,
            groups=[MembershipInput(group=group, valid_from=started - dt.timedelta(days=60),
                                    graduation_year=TODAY.year - 1 if group == "college_graduate" else None)],
            check_permission=False,
        )  # fmt: skip
        record = employment_add(actor="test", person=person, status="employed", started_on=started,
                                employer_name=org.name, employer_credit_code=org.credit_code, source="测试",
                                contract_months=24 if declared else None,
                                insured_from=started if declared else None)  # fmt: skip
        return person, record

    return make


def work_input(record: Any, org: Any, **kw: Any) -> Any:
    from jineng.subsidies.services.claims import ClaimInput

    base = dict(subsidy_type="work_for_training", event_ref=str(record.pk), applicant_kind="enterprise",
                applicant_org_id=org.pk, months=6, payee_bank="工商银行越秀支行", payee_account="6222020200012345678")  # fmt: skip
    base.update(kw)
    return ClaimInput(**base)  # type: ignore[arg-type]


@pytest.fixture
def submit_work(world: SimpleNamespace, hire: Any) -> Any:
    """submit_work() → a submitted 以工代训 claim of the enterprise for a new hire."""
    from jineng.subsidies.services.claims import claim_submit

    def make(**kw: Any) -> Any:
        _person, record = hire(**kw)
        return claim_submit(actor=world.hr, data=work_input(record, world.enterprise))

    return make


@pytest.fixture
def approve(world: SimpleNamespace) -> Any:
    """approve(claim) → the claim taken through 受理 → 初审 → 复审 → 公示 (ended) → 审批通过 by three officials
    (none of whom pays: four eyes)."""
    from jineng.subsidies.services import review

    def run(claim: Any) -> Any:
        claim = review.claim_accept(actor=world.county, claim=claim)
        claim = review.claim_first_review(actor=world.city, claim=claim)
        claim = review.claim_second_review(actor=world.reviewer, claim=claim, on=TODAY - dt.timedelta(days=30))
        return review.claim_publicity_close(actor="system", claim=claim)

    return run


@pytest.fixture
def approved_claims(submit_work: Any, approve: Any) -> Any:
    def make(n: int) -> list[Any]:
        return [approve(submit_work(name=f"员工{'甲乙丙丁戊己庚辛'[i]}")) for i in range(n)]

    return make


# ---- training and certificates facts, stored the way those apps store them ------------------------------------------


@pytest.fixture
def enrollment(world: SimpleNamespace) -> Any:
    """enrollment(person, attendance_bp=9000, hours=80, level="grade5") → a finished, passed enrollment of a completed
    class of the provider in 天河 (440106)."""
    from jineng.providers.models import OrganizationProfile, Program
    from jineng.refdata.models import Occupation
    from jineng.training.models import Enrollment, TrainingClass

    profile = OrganizationProfile.objects.create(organization=world.provider, provider_type="private_training")
    occupation = Occupation.objects.get(code="4-10-01-06")

    def make(person: Any, *, attendance_bp: int = 9000, hours: int = 80, level: str = "grade5",
             completed_on: dt.date | None = None, passed: bool = True) -> Any:  # fmt: skip
        done = completed_on or TODAY - dt.timedelta(days=5)
        n = next(_serial)
        program = Program.objects.create(code=f"T-{n}", name="家政服务员培训", occupation=occupation, level_id=level,
                                         training_kind="employment", hours_theory=40, hours_practice=40,
                                         delivery="offline", subsidy_category="A", region_id="440000")  # fmt: skip
        tc = TrainingClass.objects.create(
            code=f"K-TEST-{n}", name="家政服务员培训班", provider=profile, organization=world.provider, program=program,
            occupation=occupation, level_id=level, training_kind="employment", subsidy_category="A",
            start_date=done - dt.timedelta(days=20), end_date=done, planned_size=30, venue_name="天河基地",
            region_id="440106", status="completed", completed_on=done,
        )  # fmt: skip
        return Enrollment.objects.create(
            training_class=tc, person=person, region_id="440106", organization=world.provider, status="finished",
            source="api", enrolled_on=done - dt.timedelta(days=25), person_name=person.name,
            id_number_masked="4401**********1234", credited_hours=hours, creditable_hours=100,
            attendance_rate_bp=attendance_bp, result="passed" if passed else "failed", completed_on=done,
        )  # fmt: skip

    return make


@pytest.fixture
def certificate(world: SimpleNamespace) -> Any:
    """certificate(person, level="grade4", occupation="6-18-02-04", issued_on=…) → a valid certificate."""
    from jineng.certificates.models import Certificate
    from jineng.refdata.models import Occupation

    def make(person: Any, *, level: str = "grade4", occupation: str = "6-18-02-04", issued_on: dt.date | None = None,
             kind: str = "skill_level", status: str = "valid", region: str = "440106") -> Any:  # fmt: skip
        occ = Occupation.objects.filter(code=occupation).order_by("-edition").first()
        return Certificate.objects.create(
            number=f"S{next(_serial):012d}", kind_id=kind, person=person, holder_name=person.name, occupation=occ,
            occupation_name=occ.name if occ else "", level_id=level, issuer_name="广州市职业技能评价中心",
            issued_on=issued_on or TODAY - dt.timedelta(days=20), region_id=region, source="import", status=status,
        )  # fmt: skip

    return make


@pytest.fixture
def person(db: Any) -> Any:
    from jineng.registry.services.persons import person_create

    def make(name: str = "李四", region: str = "440106", born: dt.date = dt.date(1988, 3, 9)) -> Any:
        return person_create(actor="test", name=name, id_number=id_number(region, born), residence_region=region,
                             check_permission=False)  # fmt: skip

    return make


@pytest.fixture
def bases(world: SimpleNamespace) -> SimpleNamespace:
    """Two grantable bases of one host (a national studio, a provincial base), a public training base and a revoked
    studio — the one-off grants' tests."""
    from jineng.providers.models import OrganizationProfile, TrainingBase

    host = OrganizationProfile.objects.create(organization=world.provider, provider_type="technical_school")
    studio = TrainingBase.objects.create(kind="master_studio", name="李工数控技能大师工作室", level="national",
                                         approval_year=2023, region_id="440106", host=host,
                                         host_name=world.provider.name)  # fmt: skip
    base = TrainingBase.objects.create(kind="high_skill", name="天河高技能人才培训基地", level="provincial",
                                       approval_year=2024, region_id="440106", host=host,
                                       host_name=world.provider.name)  # fmt: skip
    public = TrainingBase.objects.create(kind="public_training", name="天河公共实训基地", level="municipal",
                                         approval_year=2024, region_id="440106", host_name="天河区人社局")  # fmt: skip
    revoked = TrainingBase.objects.create(kind="master_studio", name="已撤销工作室", level="provincial",
                                          approval_year=2021, revoked_year=2024, region_id="440106", host=host,
                                          host_name=world.provider.name)  # fmt: skip
    return SimpleNamespace(studio=studio, base=base, public=public, revoked=revoked)


def export_bank_file(actor: Any, batch: Any) -> Any:
    """The batch's bank file goes out (the batch becomes 已导出支付文件): its lines may be confirmed from then on."""
    from jineng.subsidies.services import payments

    payments.bank_file(actor=actor, batch=batch, fmt="csv")
    return batch
