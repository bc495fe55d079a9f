"""A small world for training tests: a provider listed (through the providers' own services) for 计算机程序设计员
四级 就业技能培训 and for apprenticeship training, a program listed in 天河 (440106), two teachers of the pool affiliated
with the provider, the provider's staff, the county's official, and trainees with valid ID numbers.

Times are explicit: services take ``now``; the class runs on working days about five weeks ahead of today.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jineng.common.codes import credit_code_check_char
from jineng.common.tests.openapi import openapi  # noqa: F401  (the fixture)
from jineng.rules.idcard import check_character

TZ = ZoneInfo("Asia/Shanghai")
FILED = "名册首位"  # the trainee make_class files a class with (a class cannot be submitted with an empty roster)
_serial = itertools.count(1)


def credit_code(region: str = "440106") -> str:
    first17 = f"91{region}{next(_serial) + 500:09d}"
    return first17 + credit_code_check_char(first17)


def id_number(region: str = "440106", born: dt.date = dt.date(1990, 5, 17), seq: int | None = None) -> str:
    body = f"{region}{born:%Y%m%d}{(seq if seq is not None else next(_serial)) % 1000:03d}"
    return body + check_character(body)


def monday_after(day: dt.date, weeks: int) -> dt.date:
    start = day + dt.timedelta(weeks=weeks)
    return start + dt.timedelta(days=(7 - start.weekday()) % 7)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


# The 重点群体 the test province's training policy admits (docs/training.md).
KEY_GROUPS = frozenset({"rural_labor", "migrant_worker", "college_graduate", "unemployed", "employment_difficulty",
                        "veteran", "disabled", "poverty_alleviated", "monitored", "low_income", "inmate", "drug_rehab"})  # fmt: skip


def publish_training_policy(
    region: str, groups: frozenset[str] | None, valid_from: dt.date = dt.date(2000, 1, 1)
) -> Any:
    """Publish a 职业培训补贴 version admitting ``groups`` (``None``: naming none) from ``valid_from``."""
    from jineng.subsidies.services.policies import policy_draft_create, policy_publish

    eligibility = [{"kind": "eligible_group", "groups": sorted(groups)}] if groups is not None else []
    doc = {"subsidy_type": "training", "payee": "provider", "eligibility": [*eligibility, {"kind": "training_completed"}],
           "amount": {"rows": [{"amount_fen": 80000}]}}  # fmt: skip
    v = policy_draft_create(actor="test", region_code=region, subsidy_type="training", title="测试职业培训补贴",
                            valid_from=valid_from, rules=doc, citation="测试", check_permission=False)  # fmt: skip
    return policy_publish(actor="test", version=v, check_permission=False)


@pytest.fixture
def world(db: Any, make_user: Any) -> SimpleNamespace:
    from django.utils import timezone

    from jineng.providers.models import (
        AffiliationKind,
        ListingEvent,
        ListingScope,
        PoolAffiliation,
        PoolRole,
        ProviderListing,
    )
    from jineng.providers.services.catalog import (
        ScopeInput,
        application_create,
        application_decide,
        application_review,
        application_submit,
    )
    from jineng.providers.services.organizations import LicenceData, ProfileData, profile_create
    from jineng.providers.services.programs import ProgramData, catalog_list, program_create
    from jineng.registry.models import Person

    today = timezone.localdate()
    since = today - dt.timedelta(days=60)
    city = make_user("city_official", region="440100")
    province = make_user("province_official", region="440000")
    county = make_user("county_official", region="440106")

    def provider(name: str, region: str = "440106") -> SimpleNamespace:
        profile = profile_create(
            actor=province,
            kind="provider",
            name=name,
            credit_code=credit_code(region),
            region_code=region,
            data=ProfileData(
                provider_type="private_training", address="广州市天河区某路1号", contact_phone="13800138000"
            ),
            licence=LicenceData(
                number=f"人社民{next(_serial):06d}",
                issuer="广州市人力资源和社会保障局",
                valid_from=dt.date(2020, 1, 1),
                valid_until=today + dt.timedelta(days=3 * 365),
                items=[("4-04-05-01", "grade3"), ("4-10-01-06", "grade4")],
            ),
        )
        staff = make_user("provider_staff", organization=profile.organization)
        app = application_create(
            actor=staff,
            profile=profile,
            capacity_per_year=500,
            scope=[
                ScopeInput("4-04-05-01", "grade4", "employment"),
                ScopeInput("4-04-05-01", "grade4", "apprenticeship"),
            ],
        )
        application_submit(actor=staff, application=app)
        application_review(actor=city, application=app, passed=True, opinion="材料齐全")
        app = application_decide(actor=province, application=app, approved=True, document_number="粤人社函1号")
        # Listed two months ago (classes of the real-clock tests run today and may start just after midnight).
        ProviderListing.objects.filter(pk=app.listing_id).update(valid_from=since)
        ListingEvent.objects.filter(listing_id=app.listing_id).update(effective_date=since)
        ListingScope.objects.filter(listing_id=app.listing_id).update(added_on=since)
        profile.refresh_from_db()
        return SimpleNamespace(profile=profile, staff=staff)

    main = provider("天河职业培训学校")
    other = provider("越秀技能培训中心")
    serial = next(_serial)
    program = program_create(
        actor=province,
        data=ProgramData(
            code=f"GD-{serial}",
            name="计算机程序设计员（四级）",
            occupation="4-04-05-01",
            level="grade4",
            training_kind="employment",
            hours_theory=1,  # 2 学时: the shortest schedule of these tests (one 2-hour session) covers it
            hours_practice=1,
            delivery="offline",
            subsidy_category="A",
            region="440000",
        ),
    )
    catalog_list(actor=province, region_code="440000", valid_from=since, program=program)

    def teacher(name: str, *profiles: Any) -> Any:
        person = Person.objects.create(name=name)
        role = PoolRole.objects.create(person=person, role="teacher", region_id="440106", valid_from=since)
        for p in profiles:
            PoolAffiliation.objects.create(role=role, profile=p, kind=AffiliationKind.PART_TIME, valid_from=since)
        return role

    start = monday_after(today, 5)
    # Who may enroll comes from the policy in force: the province's 职业培训补贴 admits the 重点群体.
    publish_training_policy("440000", KEY_GROUPS)
    return SimpleNamespace(
        today=today,
        start=start,
        provider=main.profile,
        staff=main.staff,
        other=other.profile,
        other_staff=other.staff,
        program=program,
        teacher=teacher("王老师", main.profile, other.profile),
        teacher2=teacher("李老师", main.profile),
        teacher_factory=teacher,
        county=county,
        city=city,
        province=province,
        worker_user=None,
        now=at(today, 10),
    )


def week_sessions(start: dt.date, teacher: Any, *, days: int = 5, hours: tuple[int, int] = (9, 12)) -> list[Any]:
    from jineng.training.services.classes import SessionInput

    return [
        SessionInput(
            starts_at=at(start + dt.timedelta(days=d), hours[0]),
            ends_at=at(start + dt.timedelta(days=d), hours[1]),
            teacher=teacher.pk,
            topic=f"第{d + 1}次课",
        )
        for d in range(days)
    ]


def file_roster(world: SimpleNamespace, tc: Any, actor: Any = None) -> Any:
    """A class is filed with its roster (``class.min_trainees``): enroll the one trainee ``FILED`` before it is
    submitted; returns the enrollment."""
    from jineng.training.services.rosters import RosterRow, enrollments_add

    row = RosterRow(name=FILED, id_number=id_number(born=dt.date(1991, 1, 1)), row=1, groups=["unemployed"],
                    residence_region="440106", pledge=True)  # fmt: skip
    return enrollments_add(actor=actor or world.staff, training_class=tc, rows=[row], now=world.now).created[0]


@pytest.fixture
def make_class(world: SimpleNamespace) -> Any:
    """make_class(status="approved", sessions=..., planned_size=...) → a class brought to that status through the
    services (draft → submitted → approved → running)."""
    from jineng.training.services import classes

    def make(
        status: str = "approved",
        *,
        sessions: list[Any] | None = None,
        planned_size: int = 30,
        provider: Any = None,
        staff: Any = None,
        name: str = "Python 程序设计就业技能培训班",
        subsidy_category: str = "",
    ) -> Any:
        data = classes.ClassInput(
            name=name,
            program=world.program.pk,
            venue_name="天河实训基地 3 楼",
            venue_address="广州市天河区某路1号",
            venue_latitude=23.1291,
            venue_longitude=113.3612,
            region="440106",
            planned_size=planned_size,
            sessions=sessions if sessions is not None else week_sessions(world.start, world.teacher),
            subsidy_category=subsidy_category,
        )
        actor = staff or world.staff
        tc = classes.class_create(actor=actor, provider=provider or world.provider, data=data, now=world.now)
        if status == "draft":
            return tc
        file_roster(world, tc, actor)
        tc = classes.class_submit(actor=actor, training_class=tc, pledge=True, now=world.now)
        if status == "submitted":
            return tc
        tc = classes.class_review(actor=world.county, training_class=tc, approved=True, opinion="同意", now=world.now)
        if status == "approved":
            return tc
        first = tc.sessions.order_by("starts_at").first()
        return classes.class_start(actor=actor, training_class=tc, now=first.starts_at)

    return make


@pytest.fixture
def trainee() -> Any:
    """trainee(name=..., groups=[...]) → a RosterRow for a new person (registered by the enrollment)."""
    from jineng.training.services.rosters import RosterRow

    counter = itertools.count(1)

    def make(name: str | None = None, groups: list[str] | None = None, **kwargs: Any) -> RosterRow:
        n = next(counter)
        return RosterRow(
            name=name or f"学员{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{'一二三四五六七八九十'[n // 10 % 10]}",
            id_number=kwargs.pop("id_number", None) or id_number(),
            row=kwargs.pop("row", n),
            groups=groups if groups is not None else ["unemployed"],
            residence_region="440106",
            pledge=kwargs.pop("pledge", True),
            **kwargs,
        )

    return make


@pytest.fixture
def class_now(world: SimpleNamespace, trainee: Any) -> Any:
    """An approved class whose one 3-hour session ended an hour ago (filed and reviewed in time, five weeks before
    it), with two trainees: (class, session start, session end, enrollments, roster rows). For the paths that run on
    the real clock (the API, imports, pages)."""
    from django.utils import timezone

    from jineng.training.services import classes
    from jineng.training.services.rosters import enrollments_add

    end = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    start = end - dt.timedelta(hours=3)
    earlier = start - dt.timedelta(days=35)
    session = classes.SessionInput(starts_at=start, ends_at=end, teacher=world.teacher2.pk, topic="实操")
    data = classes.ClassInput(name="今日班", program=world.program.pk, venue_name="场地", region="440106",
                              planned_size=30, sessions=[session])  # fmt: skip
    tc = classes.class_create(actor=world.staff, provider=world.provider, data=data, now=earlier)
    rows = [trainee(), trainee()]
    enrolled = enrollments_add(actor=world.staff, training_class=tc, rows=rows, now=earlier).created
    classes.class_submit(actor=world.staff, training_class=tc, pledge=True, now=earlier)
    tc = classes.class_review(actor=world.county, training_class=tc, approved=True, now=earlier)
    return tc, start, end, enrolled, rows


@pytest.fixture
def firm(world: SimpleNamespace, make_user: Any) -> Any:
    """An enterprise in 天河 with its HR user, a mentor it registered in the pool, and employee(name) → the ID
    number of a new employee of the enterprise."""
    from jineng.providers.models import PoolRole
    from jineng.providers.services.organizations import ProfileData, profile_create
    from jineng.registry.models import Person

    enterprise = profile_create(
        actor=world.province, kind="enterprise", name="广州某制造有限公司", credit_code=credit_code("440106"),
        region_code="440106", data=ProfileData(),
    )  # fmt: skip
    hr = make_user("enterprise_hr", organization=enterprise.organization)
    mentor_person = Person.objects.create(name="黄师傅")
    mentor = PoolRole.objects.create(person=mentor_person, role="teacher", region_id="440106",
                                     organization=enterprise.organization, valid_from=world.today)  # fmt: skip

    def employee(name: str) -> str:
        from jineng.registry.api import employment_add, person_create

        number = id_number()
        person = person_create(actor=None, name=name, id_number=number, residence_region="440106",
                               check_permission=False)  # fmt: skip
        employment_add(actor=None, person=person, status="employed", started_on=dt.date(2024, 1, 1),
                       employer_name=enterprise.organization.name,
                       employer_credit_code=enterprise.organization.credit_code)  # fmt: skip
        return number

    return enterprise, hr, mentor, employee
