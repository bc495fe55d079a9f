"""Fixtures: an evaluation organization of 广州 with its filing for 计算机程序设计员 四级, its staff, officials,
pool examiners, and a factory of sessions (started two hours ago at a venue in 天河 by default)."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from jineng.common.tests.openapi import openapi  # noqa: F401  (the fixture)

PROGRAMMER = "4-04-05-01"  # 计算机程序设计员
WELDER = "6-18-02-04"  # 焊工
_serial = itertools.count(1)


def make_person(region: str = "440106", name: str = "张三") -> Any:
    from jineng.registry.tests.factories import make_person as registry_person

    return registry_person(region=region, name=name)


def make_examiner(region: str = "440100", name: str = "考评员", organization: Any = None) -> Any:
    from jineng.providers.models import PoolRole

    person = make_person("440104", name=name)
    return PoolRole.objects.create(
        person=person, role="examiner", region_id=region, organization=organization, valid_from=dt.date(2020, 1, 1)
    )


@pytest.fixture(autouse=True)
def _fresh_rate_leases() -> Any:
    """The rate limiter's leases live in the process; each test's database starts without the counts they came
    from."""
    from jineng.certificates.ratelimit import forget_leases

    forget_leases()
    yield
    forget_leases()


@pytest.fixture
def world(make_user: Any, make_org: Any) -> SimpleNamespace:
    from jineng.certificates import services

    org = make_org(region="440100", kind="evaluator", name="广州市职业技能评价中心")
    city = make_user("city_official", region="440100")
    filing = services.filing_create(
        actor=city, organization=org, route="social", occupation_code=PROGRAMMER, level_code="grade4",
        valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    return SimpleNamespace(
        org=org,
        filing=filing,
        staff=make_user("evaluator", organization=org),
        city=city,
        county=make_user("county_official", region="440106"),
        yuexiu=make_user("county_official", region="440104"),
        shenzhen=make_user("city_official", region="440300"),
        province=make_user("province_official", region="440000"),
        examiner=make_examiner(name="王考评"),
        examiner2=make_examiner(name="赵考评"),
    )


@pytest.fixture
def make_session(world: SimpleNamespace) -> Any:
    from jineng.certificates import services
    from jineng.certificates.selectors import roster_due

    def make(
        *,
        venue: str = "440106",
        starts_at: dt.datetime | None = None,
        duration: int = 90,
        level: str = "grade4",
        occupation: str = PROGRAMMER,
        terminals: list[str] | None = None,
        organization: Any = None,
        actor: Any = None,
        roster_open: bool = True,
    ) -> Any:
        """A session; with ``roster_open`` (the default) one already past its roster deadline (the default start
        is two hours ago) has its roster reopened by the province, so tests of other steps can add candidates.
        The deadline itself is tested with ``roster_open=False`` (test_roster_deadline.py)."""
        session = services.session_create(
            actor=actor or world.staff,
            organization=organization or world.org,
            data=services.SessionData(
                occupation_code=occupation,
                level_code=level,
                venue_region=venue,
                venue_address=f"广州市某区考点{next(_serial)}号",
                starts_at=starts_at or timezone.now() - dt.timedelta(hours=2),
                duration_minutes=duration,
                terminals=terminals or [],
            ),
        )
        if roster_open and timezone.localdate() > roster_due(session):
            session = services.session_roster_reopen(
                actor=world.province, session=session, reason="测试场次：考生名册补报（本测试不涉及报送时限）"
            )
        return session

    return make


@pytest.fixture
def passed_certificate(world: SimpleNamespace, make_session: Any) -> Any:
    """A certificate of 李四 (天河), issued through a whole session: candidate, examiner, result, close, issue."""
    from jineng.certificates import services

    session = make_session()
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    person = make_person(name="李四")
    candidate = services.candidate_add(actor=world.staff, session=session, person=person)
    services.result_record(
        actor=world.staff,
        session=session,
        data=services.ResultData(
            candidate_id=candidate.pk, examiner_id=booking.pk, theory_score=80, practical_score=75
        ),
    )
    services.session_close(actor=world.staff, session=session)
    (certificate,) = services.certificates_issue(actor=world.staff, session=session)
    return certificate


def make_completed_class(teacher: Any, trainees: list[Any], *, occupation: str = PROGRAMMER, level: str = "grade4",
                         status: str = "completed") -> Any:  # fmt: skip
    """A class of 天河 that ``teacher`` (a pool role) taught and ``trainees`` (persons) completed with a pass — rows
    made directly, the state the training services leave behind at 结业."""
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char
    from jineng.providers.models import OrganizationProfile, Program
    from jineng.refdata.models import Occupation
    from jineng.training.models import ClassSession, Enrollment, TrainingClass

    n = next(_serial)
    first17 = f"52440106{n:09d}"
    org = Organization.objects.create(kind="provider", name=f"培训学校{n}", region_id="440106",
                                      credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    profile = OrganizationProfile.objects.create(organization=org, provider_type="private_training")
    occ = Occupation.objects.get(code=occupation, level="occupation")
    program = Program.objects.create(code=f"P-{n}", name="程序设计", occupation=occ, level_id=level,
                                     training_kind="employment", hours_theory=40, hours_practice=40,
                                     delivery="offline", subsidy_category="A", region_id="440000")  # fmt: skip
    today = timezone.localdate()
    klass = TrainingClass.objects.create(
        code=f"BJ{n:08d}", name="程序设计就业技能培训班", provider=profile, organization=org, program=program,
        occupation=occ, level_id=level, training_kind="employment", subsidy_category="A",
        start_date=today - dt.timedelta(days=30), end_date=today - dt.timedelta(days=3), planned_size=30,
        venue_name="天河实训基地", region_id="440106", status=status,
        completed_on=today - dt.timedelta(days=3) if status == "completed" else None,
    )  # fmt: skip
    start = timezone.now() - dt.timedelta(days=20)
    ClassSession.objects.create(training_class=klass, region_id="440106", organization=org, starts_at=start,
                                ends_at=start + dt.timedelta(hours=3), teacher=teacher,
                                teacher_person_id=teacher.person_id)  # fmt: skip
    for person in trainees:
        Enrollment.objects.create(
            training_class=klass, person=person, region_id="440106", organization=org, status="finished",
            source="import", enrolled_on=today - dt.timedelta(days=31), person_name=person.name,
            id_number_masked="4401**********0000", result="passed", completed_on=today - dt.timedelta(days=3),
        )  # fmt: skip
    return klass
