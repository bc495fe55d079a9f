"""Fixtures: 广东's credit rules (the demo's), officials of 天河/越秀/the province, a reviewer, and records that earn
credits — a completed class (rows as the training services leave them at 结业, with online 学时), a certificate
(imported through the certificates service), a competition award (the competitions fixtures' event, finalized)."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

import pytest

from jineng.competitions.tests.conftest import contestant, make_event, world  # noqa: F401  (fixtures)
from jineng.credits.demo import GD_RULES

_serial = itertools.count(1)


def make_person(region: str = "440106", name: str = "张学分", **kw: Any) -> Any:
    from jineng.registry.tests.factories import make_person as registry_person

    return registry_person(region=region, name=name, **kw)


@pytest.fixture
def bank(make_user: Any) -> SimpleNamespace:
    from jineng.credits import services

    province = make_user("province_official", region="440000")
    rules = services.rules_set(actor=province, region_code="440000", valid_from=dt.date(2020, 1, 1),
                               basis="广东省技能学分银行管理办法（测试）", rules=GD_RULES)  # fmt: skip
    return SimpleNamespace(
        rules=rules, province=province, reviewer=make_user("province_official", region="440000"),
        county=make_user("county_official", region="440106"), county2=make_user("county_official", region="440104"),
        shenzhen=make_user("city_official", region="440300"),
    )  # fmt: skip


def completed_class(person: Any, hours: int, *, online_hours: int = 0, region: str = "440106",
                    on: dt.date | None = None) -> Any:  # fmt: skip
    """A 天河 class ``person`` completed with a pass, ``hours`` 学时 credited (``online_hours`` of them online)."""
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char
    from jineng.learning.models import LearnerAccount
    from jineng.providers.models import OrganizationProfile, Program
    from jineng.refdata.models import Occupation
    from jineng.training.models import Enrollment, TrainingClass

    n = next(_serial)
    on = on or dt.date(2026, 6, 30)
    first17 = f"52{region}{n + 500:09d}"
    org = Organization.objects.create(kind="provider", name=f"学分培训学校{n}", region_id=region,
                                      credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    profile = OrganizationProfile.objects.create(organization=org, provider_type="private_training")
    occ = Occupation.objects.get(code="4-04-05-01", level="occupation")
    program = Program.objects.create(code=f"PC-{n}", name="程序设计", occupation=occ, level_id="grade4",
                                     training_kind="employment", hours_theory=40, hours_practice=40,
                                     delivery="offline", subsidy_category="A", region_id="440000")  # fmt: skip
    klass = TrainingClass.objects.create(
        code=f"XF{n:08d}", name="程序设计就业技能培训班", provider=profile, organization=org, program=program,
        occupation=occ, level_id="grade4", training_kind="employment", subsidy_category="A",
        start_date=on - dt.timedelta(days=30), end_date=on, planned_size=30, venue_name="实训基地",
        region_id=region, status="completed", completed_on=on,
    )  # fmt: skip
    enrollment = Enrollment.objects.create(
        training_class=klass, person=person, region_id=region, organization=org, status="finished", source="import",
        enrolled_on=on - dt.timedelta(days=31), person_name=person.name, id_number_masked="4401**********0000",
        result="passed", completed_on=on, credited_hours=hours,
    )  # fmt: skip
    if online_hours:
        LearnerAccount.objects.create(
            organization=org, home_page="https://lms.example.cn", name=f"learner{n}", enrollment_id=enrollment.pk,
            training_class_id=klass.pk, class_code=klass.code, person_name_masked="张*", person=person,
            region_id=region, provider_organization=org, online_hours=online_hours,
        )  # fmt: skip
    return enrollment


def certificate(actor: Any, person: Any, level: str = "grade4", region: str = "440106") -> Any:
    from jineng.certificates.services import certificate_import
    from jineng.refdata.models import CertificateKind, Occupation, SkillLevel

    occupation = Occupation.objects.get(code="4-04-05-01", level="occupation")
    return certificate_import(
        actor=actor, number=f"XF{next(_serial):012d}", kind=CertificateKind.objects.get(code="skill_level"),
        person=person, holder_name=person.name, occupation=occupation, occupation_name=occupation.name,
        level=SkillLevel.objects.get(code=level), issuer=None, issuer_name="广州市职业技能评价中心",
        issued_on=dt.date(2026, 7, 1), region_code=region,
    )  # fmt: skip
