"""Fixtures of the complaints tests: a listed provider in 天河, a handler there and one elsewhere, a complaint filed
through the service, and the rate limiter's leases forgotten between tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_leases(settings: Any) -> Any:
    from jineng.certificates.ratelimit import forget_leases

    settings.JINENG_COMPLAINT_MIN_SECONDS = 0
    forget_leases()
    yield
    forget_leases()


@pytest.fixture
def world(make_user: Any, make_org: Any) -> SimpleNamespace:
    return SimpleNamespace(
        school=make_org("440106", name="天河示范职业培训学校"),
        handler=make_user("county_official", region="440106"),
        other=make_user("county_official", region="440104"),
        city=make_user("city_official", region="440100"),
        provider_staff=None,
    )


@pytest.fixture
def file_one(world: SimpleNamespace) -> Any:
    """file_one(**changes) → (complaint, code): a named complaint about the 天河 school."""
    from jineng.complaints import services

    def make(**changes: Any) -> Any:
        data = {"object_kind": "provider", "object_name": world.school.name, "category": "fake_training",
                "content": "不上课也能领补贴，补贴到账后要求转回 800 元。", "anonymous": False, "name": "周建华",
                "phone": "13760001234", **changes}  # fmt: skip
        return services.complaint_submit(data=services.ComplaintIn(**data))

    return make


@pytest.fixture
def list_in_catalog() -> Any:
    """list_in_catalog(org) → the organization listed in the provider catalog (in force today)."""

    def make(org: Any) -> Any:
        import datetime as dt

        from django.utils import timezone

        from jineng.providers.models import OrganizationProfile, ProviderListing

        today = timezone.localdate()
        profile = OrganizationProfile.objects.create(organization=org, provider_type="private_training",
                                                     legal_representative="王某", contact_name="王某",
                                                     contact_phone_masked="139****5678", address="天河路 1 号")  # fmt: skip
        return ProviderListing.objects.create(profile=profile, region_id=org.region_id, status="listed",
                                              valid_from=today, valid_until=today + dt.timedelta(days=365),
                                              capacity_per_year=500)  # fmt: skip

    return make
