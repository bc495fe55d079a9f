"""Fixtures: a province 一类 event in 广东 run by a provider (the organizer), its officials, award rules of the
province, and contestants from the registry — one holding a 高级工 certificate in the event's occupation."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

import pytest

from jineng.common.tests.openapi import openapi  # noqa: F401  (the fixture)
from jineng.competitions.demo import GD_RULES  # noqa: F401  (the demo's rules, used by the tests)

WELDER = "6-18-02-04"  # 焊工
TODAY = dt.date(2026, 11, 20)
_serial = itertools.count(1)


def make_person(region: str = "440106", name: str = "张三", **kw: Any) -> Any:
    from jineng.registry.tests.factories import make_person as registry_person

    return registry_person(region=region, name=name, **kw)


@pytest.fixture
def world(make_user: Any, make_org: Any) -> SimpleNamespace:
    from jineng.competitions import services

    organizer = make_org(region="440000", kind="provider", name="广东省职业技能竞赛中心")
    enterprise = make_org(region="440106", kind="enterprise", name="天河精工有限公司")
    province = make_user("province_official", region="440000")
    province2 = make_user("province_official", region="440000")  # the second person (双人复核)
    services.award_rules_set(actor=province, approver=province2, region_code="440000", valid_from=dt.date(2024, 1, 1),
                             basis="粤人社规〔2024〕1号 职业技能竞赛奖励办法", lines=GD_RULES)  # fmt: skip
    return SimpleNamespace(
        organizer=organizer,
        enterprise=enterprise,
        staff=make_user("provider_staff", organization=organizer),
        hr=make_user("enterprise_hr", organization=enterprise),
        province=province,
        province2=province2,
        city=make_user("city_official", region="440100"),
        shenzhen=make_user("city_official", region="440300"),
        shandong=make_user("province_official", region="370000"),
    )


@pytest.fixture
def make_event(world: SimpleNamespace) -> Any:
    from jineng.competitions import services

    def make(*, level: str = "province", event_class: str = "class1", region: str = "440000",
             starts_on: dt.date = dt.date(2026, 10, 10), approve: bool = True, name: str = "") -> Any:  # fmt: skip
        data = services.EventData(
            name=name or f"广东省焊工职业技能大赛{next(_serial)}", level=level, event_class=event_class,
            occupation=WELDER, approving_department="广东省人力资源和社会保障厅", region=region,
            starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=2),
        )  # fmt: skip
        event = services.event_create(actor=world.staff, organizer=world.organizer, data=data)
        if approve:
            services.event_file(actor=world.staff, event=event)
            official = world.province if region.startswith("44") else world.shandong
            event = services.event_decide(
                actor=official, event=event, approve=True, document_number="粤人社函〔2026〕8号"
            )
        return event

    return make


@pytest.fixture
def contestant(world: SimpleNamespace) -> Any:
    """contestant(event, name, level=None) → (person, id number) registered for the event by the organizer;
    ``level`` gives them a valid certificate in the event's occupation first."""
    from jineng.certificates.services import certificate_import
    from jineng.competitions import services
    from jineng.refdata.models import CertificateKind, Occupation, SkillLevel
    from jineng.registry.tests.factories import id18

    def make(event: Any, name: str = "李焊", level: str | None = None, region: str = "440106") -> Any:
        number = id18(region)
        person = make_person(region=region, name=name, id_number=number)
        if level:
            occupation = Occupation.objects.get(code=WELDER)
            certificate_import(
                actor=world.province, number=f"H{next(_serial):012d}",
                kind=CertificateKind.objects.get(code="skill_level"), person=person, holder_name=name,
                occupation=occupation, occupation_name=occupation.name, level=SkillLevel.objects.get(code=level),
                issuer=None, issuer_name="广州市职业技能评价中心", issued_on=dt.date(2022, 6, 1), region_code=region,
            )  # fmt: skip
        services.contestant_register(actor=world.staff, event=event, id_number=number, name=name)
        return SimpleNamespace(person=person, id_number=number)

    return make
