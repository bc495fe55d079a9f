from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def world(make_user: Any, make_org: Any) -> dict[str, Any]:
    """440106 with five providers, an official who plans draws, and four inspectors in the pool."""
    from jineng.inspections import services

    official = make_user("city_official", region="440100", username="insp-official")
    until = timezone.now() + dt.timedelta(days=365)
    inspectors = [make_user("inspector", region="440106", valid_until=until, username=f"insp-{i}") for i in range(4)]
    orgs = [make_org("440106", name=f"抽查机构{i}") for i in range(5)]
    members = [services.pool_add(actor=official, user=u, region_code="440106") for u in inspectors]
    return {"official": official, "inspectors": inspectors, "orgs": orgs, "members": members}
