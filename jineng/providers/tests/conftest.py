"""Fixtures: handles on reference data (levels, a few occupations, an industry tag), officials of
广州 (city) and 广东 (province), and a factory of providers with a licence."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from typing import Any

import pytest

from jineng.common.codes import credit_code_check_char
from jineng.common.tests.openapi import openapi  # noqa: F401  (the fixture)

_serial = itertools.count(1)


def credit_code(region: str = "440106") -> str:
    first17 = f"52{region}{next(_serial):09d}"
    return first17 + credit_code_check_char(first17)


@pytest.fixture
def ref(db: Any) -> SimpleNamespace:
    """The reference data the root conftest loaded: a few occupations, the levels, one industry tag."""
    from jineng.refdata.models import Occupation, SkillLevel, Tag

    occupations = {
        o.code: o for o in Occupation.objects.filter(code__in=["4-04-05-01", "4-10-01-06", "6-18-02-04", "4-04-05"])
    }
    return SimpleNamespace(
        programmer=occupations["4-04-05-01"],  # 计算机程序设计员
        carer=occupations["4-10-01-06"],  # 家政服务员
        welder=occupations["6-18-02-04"],  # 焊工
        minor=occupations["4-04-05"],
        levels={lv.code: lv for lv in SkillLevel.objects.all()},
        tag=Tag.objects.get(taxonomy_id="guangdong-clusters", code="automotive"),
    )


@pytest.fixture
def officials(make_user: Any) -> SimpleNamespace:
    return SimpleNamespace(
        city=make_user("city_official", region="440100"),
        city2=make_user("city_official", region="440100"),
        province=make_user("province_official", region="440000"),
        shenzhen=make_user("city_official", region="440300"),
        county=make_user("county_official", region="440106"),
    )


@pytest.fixture
def make_provider(ref: SimpleNamespace, officials: SimpleNamespace) -> Any:
    from jineng.providers.services.organizations import LicenceData, ProfileData, profile_create

    def make(
        region: str = "440106",
        provider_type: str = "private_training",
        *,
        licence_until: dt.date | None = None,
        items: list[tuple[str, str]] | None = None,
        name: str | None = None,
    ) -> Any:
        licence = None
        if provider_type in ("private_training", "technical_school"):
            licence = LicenceData(
                number=f"人社民{next(_serial):06d}",
                issuer="广州市人力资源和社会保障局",
                valid_from=dt.date(2020, 1, 1),
                valid_until=licence_until or dt.date.today() + dt.timedelta(days=3 * 365),
                items=items if items is not None else [("4-04-05-01", "grade3"), ("4-10-01-06", "grade4")],
            )
        return profile_create(
            actor=officials.province,
            kind="provider",
            name=name or f"培训学校{next(_serial)}",
            credit_code=credit_code(region),
            region_code=region,
            data=ProfileData(provider_type=provider_type, address="广州市天河区某路1号", contact_phone="13800138000"),
            licence=licence,
        )

    return make


@pytest.fixture
def listed(make_provider: Any, officials: SimpleNamespace, make_user: Any) -> Any:
    """A provider listed for 计算机程序设计员 四级 就业技能培训 (and 养老护理员 with no level)."""
    from jineng.providers.services.catalog import (
        ScopeInput,
        application_create,
        application_decide,
        application_review,
        application_submit,
    )

    def make(region: str = "440106", **kwargs: Any) -> Any:
        profile = make_provider(region, **kwargs)
        staff = make_user("provider_staff", organization=profile.organization)
        app = application_create(
            actor=staff,
            profile=profile,
            capacity_per_year=500,
            scope=[ScopeInput("4-04-05-01", "grade4", "employment"), ScopeInput("4-10-01-06", "", "upgrading")],
        )
        application_submit(actor=staff, application=app)
        application_review(actor=officials.city, application=app, passed=True, opinion="材料齐全")
        app = application_decide(
            actor=officials.province, application=app, approved=True, document_number="粤人社函1号"
        )
        profile.refresh_from_db()
        return SimpleNamespace(profile=profile, staff=staff, application=app, listing=app.listing)

    return make


@pytest.fixture
def person(db: Any) -> Any:
    from jineng.registry.models import Person

    def make(name: str = "张三") -> Any:
        return Person.objects.create(name=name)

    return make
