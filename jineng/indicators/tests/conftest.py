"""Fixtures of the indicator tests: records made through the source apps' services (certificates imported, bases
registered), persons through the registry, and a helper that refreshes the roll-ups and reads the API."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

_serial = itertools.count(1)


def _id_number(region: str, born: dt.date, seq: int) -> str:
    from jineng.rules.idcard import check_character

    body = f"{region}{born:%Y%m%d}{seq % 1000:03d}"
    return body + check_character(body)


@pytest.fixture
def admin(make_user: Callable[..., Any]) -> Any:
    """An official over the whole country (sysadmin grant at 000000): may import certificates and register bases
    anywhere, and read every region's indicators."""
    from jineng.accounts.services import grant_create

    user = make_user("sysadmin", region="000000")
    grant_create(actor=None, user=user, function="province_official", region_code="000000")
    return user


@pytest.fixture
def person(db: Any) -> Callable[..., Any]:
    from jineng.registry.api import person_create

    def make(region: str = "440106") -> Any:
        n = next(_serial)
        born = dt.date(1970, 1, 1) + dt.timedelta(days=n * 37 % 12000)
        return person_create(
            actor=None, name="测试" + "".join(chr(0x4E00 + (n * 7919 + i * 104729) % 5000) for i in range(2)), id_number=_id_number("110101", born, n), residence_region=region,
            check_permission=False,
        )  # fmt: skip

    return make


@pytest.fixture
def certificate(admin: Any, person: Callable[..., Any]) -> Callable[..., Any]:
    """certificate(region, issued_on, level="grade3", holder=None) → a 职业技能等级证书 imported through the
    certificates service (attributed to ``region``)."""
    from jineng.certificates.services import certificate_import
    from jineng.refdata.models import CertificateKind, Occupation, SkillLevel

    occupation = Occupation.objects.filter(level="occupation").order_by("code").first()

    def make(region: str, issued_on: dt.date, level: str = "grade3", holder: Any = None, kind: str = "skill_level"):
        n = next(_serial)
        holder = holder or person(region)
        return certificate_import(
            actor=admin, number=f"T{n:012d}", kind=CertificateKind.objects.get(code=kind), person=holder,
            holder_name=holder.name, occupation=occupation, occupation_name=occupation.name if occupation else "",
            level=SkillLevel.objects.get(code=level) if level else None, issuer=None, issuer_name="测试评价机构",
            issued_on=issued_on, region_code=region,
        )  # fmt: skip

    return make


@pytest.fixture
def base(admin: Any) -> Callable[..., Any]:
    """base(region, year, kind="public_training", level="provincial") → a base registered through the providers
    service."""
    from jineng.providers.services.bases import BaseData, base_create

    def make(region: str, year: int, kind: str = "public_training", level: str = "provincial") -> Any:
        n = next(_serial)
        return base_create(
            actor=admin,
            data=BaseData(kind=kind, name=f"测试基地{n}", level=level, approval_year=year, region=region,
                          host_name="测试依托单位"),
        )  # fmt: skip

    return make


@pytest.fixture
def read(client: Any, admin: Any) -> Callable[..., dict[str, dict[str, Any]]]:
    """read(plan, region, year) → {indicator code: item} from the API, after a freshness run."""
    from jineng.indicators.freshness import refresh

    def get(plan: str, region: str, year: int, *, fresh: bool = True) -> dict[str, dict[str, Any]]:
        if fresh:
            refresh(full_if_due=False)
        client.force_login(admin)
        response = client.get(f"/api/v1/indicators?plan={plan}&region={region}&year={year}")
        assert response.status_code == 200, response.content
        return {item["code"]: item for item in response.json()["items"]}

    return get


@pytest.fixture
def fresh_rollups(db: Any) -> None:
    """Start from a full recompute (the first freshness run of a source would otherwise run it)."""
    from jineng.indicators.freshness import refresh

    refresh()


@pytest.fixture
def without_source(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """without_source(definition_id) — the definition as if its records were not on the platform (every plan's
    targets have a source today; the "no data" path is kept for the next one that has none)."""
    import dataclasses

    from jineng.indicators import definitions

    def drop(definition_id: str) -> None:
        d = definitions.DEFINITIONS[definition_id]
        monkeypatch.setitem(
            definitions.DEFINITIONS, definition_id, dataclasses.replace(d, facts_fn=None, no_source="测试：无数据来源")
        )

    return drop
