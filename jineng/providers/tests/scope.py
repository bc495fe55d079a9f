"""Scope cases of the providers app's URLs, registered into tests/scope_cases.py by ``register_provider_cases``.

Each factory makes a record attributed to the given region, directly through the ORM (the scope test makes many).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _org(region: str, provider_type: str = "private_training") -> Any:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char
    from jineng.providers.models import OrganizationProfile

    serial = str(uuid4().int % 10**9).zfill(9)
    first17 = f"52{region}{serial}"
    org = Organization.objects.create(
        kind="provider",
        name=f"探针培训机构{serial}",
        region_id=region,
        credit_code=first17 + credit_code_check_char(first17),
    )
    return OrganizationProfile.objects.create(organization=org, provider_type=provider_type)


def _occupation() -> Any:
    from jineng.refdata.models import Occupation

    return Occupation.objects.filter(level="occupation").order_by("code").first()


def _application(region: str) -> Any:
    from jineng.providers.models import ProviderApplication

    profile = _org(region)
    return ProviderApplication.objects.create(
        profile=profile, region_id=region, capacity_per_year=10, status="submitted"
    )


def _listing(region: str) -> Any:
    from jineng.providers.models import ListingEvent, ProviderListing

    today = dt.date.today()
    profile = _org(region)
    listing = ProviderListing.objects.create(
        profile=profile,
        region_id=region,
        status="listed",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
        capacity_per_year=10,
    )
    ListingEvent.objects.create(listing=listing, kind="listed", effective_date=today, valid_until=listing.valid_until)
    return listing


def _program(region: str) -> Any:
    from jineng.providers.models import Program

    serial = uuid4().hex[:10]
    return Program.objects.create(
        code=f"P-{serial}",
        name=f"探针项目{serial}",
        occupation=_occupation(),
        training_kind="employment",
        hours_theory=10,
        hours_practice=10,
        delivery="offline",
        subsidy_category="A",
        region_id=region,
    )


def _catalog_listing(region: str) -> Any:
    from jineng.providers.models import CatalogListing

    return CatalogListing.objects.create(program=_program(region), region_id=region, valid_from=dt.date.today())


def _resource(region: str) -> Any:
    from jineng.providers.models import DigitalResource

    serial = uuid4().hex[:10]
    return DigitalResource.objects.create(
        platform=_org(region, "online_platform"),
        code=f"R-{serial}",
        title=f"探针资源{serial}",
        resource_type="course",
        occupation=_occupation(),
        training_kind="digital",
        hours=4,
        region_id=region,
    )


def _role(region: str) -> Any:
    from jineng.providers.models import PoolRole
    from jineng.registry.models import Person

    person = Person.objects.create(name=f"探针{uuid4().hex[:6]}")
    return PoolRole.objects.create(person=person, role="expert", region_id=region, valid_from=dt.date.today())


def _base(region: str) -> Any:
    from jineng.providers.models import TrainingBase

    serial = uuid4().hex[:10]
    return TrainingBase.objects.create(
        kind="master_studio",
        name=f"探针工作室{serial}",
        level="municipal",
        approval_year=2020,
        region_id=region,
        host_name="h",
    )


WRITE = "write; permission and scope checked by the service (require/get_visible), tested in jineng/providers/tests"
PUBLIC = "public catalog (信息公开): published to everyone without login, holds no personal data"


def register_provider_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    list_, detail = "list", "detail"
    api = "/api/v1"
    for name, make, url, kind, permission in [
        ("api:provider_list", _org, lambda o: f"{api}/providers?page_size=500", list_, "records.view"),
        ("api:provider_detail", _org, lambda o: f"{api}/providers/{o.pk}", detail, "records.view"),
        ("api:provider_staff", _org, lambda o: f"{api}/providers/{o.pk}/staff", detail, "users.manage"),
        ("api:provider_teachers", _org, lambda o: f"{api}/providers/{o.pk}/teachers", detail, "records.view"),
        (
            "api:application_list",
            _application,
            lambda o: f"{api}/provider-applications?page_size=500",
            list_,
            "records.view",
        ),
        (
            "api:application_detail",
            _application,
            lambda o: f"{api}/provider-applications/{o.pk}",
            detail,
            "records.view",
        ),
        ("api:listing_list", _listing, lambda o: f"{api}/provider-listings?page_size=500", list_, "records.view"),
        ("api:listing_detail", _listing, lambda o: f"{api}/provider-listings/{o.pk}", detail, "records.view"),
        ("api:program_list", _program, lambda o: f"{api}/programs?page_size=500", list_, "records.view"),
        ("api:program_detail", _program, lambda o: f"{api}/programs/{o.pk}", detail, "records.view"),
        (
            "api:catalog_listing_list",
            _catalog_listing,
            lambda o: f"{api}/catalog-listings?page_size=500",
            list_,
            "records.view",
        ),
        (
            "api:catalog_listing_detail",
            _catalog_listing,
            lambda o: f"{api}/catalog-listings/{o.pk}",
            detail,
            "records.view",
        ),
        ("api:resource_list", _resource, lambda o: f"{api}/digital-resources?page_size=500", list_, "records.view"),
        ("api:resource_detail", _resource, lambda o: f"{api}/digital-resources/{o.pk}", detail, "records.view"),
        ("api:role_list", _role, lambda o: f"{api}/teachers?page_size=500", list_, "records.view"),
        ("api:role_detail", _role, lambda o: f"{api}/teachers/{o.pk}", detail, "records.view"),
        ("api:base_list", _base, lambda o: f"{api}/training-bases?page_size=500", list_, "records.view"),
        ("api:base_detail", _base, lambda o: f"{api}/training-bases/{o.pk}", detail, "records.view"),
        (
            "api:base_count",
            lambda r: r,
            lambda r: f"{api}/training-bases/count?region={r}&year=2024",
            detail,
            "indicators.view",
        ),
    ]:
        register(name, case(kind, make, url, permission))
    for name in [
        "provider_create", "provider_update", "provider_licence", "provider_staff_create", "provider_staff_revoke",
        "application_new", "application_edit", "application_submit", "application_withdraw", "application_review",
        "application_decide", "listing_suspend", "listing_resume", "listing_exit", "listing_withdraw",
        "program_new", "program_edit", "program_retire", "program_list_in", "catalog_listing_withdraw",
        "resource_new", "resource_list_in", "role_new", "role_qualification", "role_affiliate", "role_status",
        "base_new", "base_revoke", "brand_new", "brand_recognize", "brand_retire", "program_brands",
        "standard_new", "standard_publish", "standard_withdraw",
    ]:  # fmt: skip
        register(f"api:{name}", exempt(WRITE))
    notices = "public notices without personal data (ScopeSpec public=True): every official reads them"
    for name in ["api:brand_list", "api:standard_list"]:
        register(name, exempt(notices))
    for name in ["api:public_provider_list", "api:public_provider_detail", "api:public_program_list"]:
        register(name, exempt(PUBLIC))

    # pages
    org_name: Callable[[Any], str] = lambda o: o.organization.name  # noqa: E731
    for name, make, url, kind, permission, marker in [
        ("providers:list", _org, lambda o: "/providers/", list_, "records.view", org_name),
        ("providers:detail", _org, lambda o: f"/providers/{o.pk}/", detail, "records.view", None),
        (
            "providers:review",
            _application,
            lambda o: "/providers/review/",
            list_,
            "catalog.review",
            lambda o: o.profile.organization.name,
        ),
        (
            "providers:application",
            _application,
            lambda o: f"/providers/applications/{o.pk}/",
            detail,
            "records.view",
            None,
        ),
        ("providers:programs", _program, lambda o: "/providers/programs/", list_, "records.view", lambda o: o.code),
        ("providers:program", _program, lambda o: f"/providers/programs/{o.pk}/", detail, "records.view", None),
        ("providers:teachers", _role, lambda o: "/providers/teachers/", list_, "records.view", lambda o: o.person.name),
        ("providers:teacher", _role, lambda o: f"/providers/teachers/{o.pk}/", detail, "records.view", None),
        ("providers:bases", _base, lambda o: "/providers/bases/", list_, "records.view", lambda o: o.name),
    ]:
        register(name, case(kind, make, url, permission, marker) if marker else case(kind, make, url, permission))
    forms = "form page; the service checks the permission (require/get_visible), tested in jineng/providers/tests"
    for name in [
        "new",
        "edit",
        "licence",
        "apply",
        "staff",
        "listing_decide",
        "program_new",
        "teacher_new",
        "base_new",
        "brand_new",
        "standard_new",
    ]:
        register(f"providers:{name}", exempt(forms))
    for name in ["providers:brands", "providers:standards"]:
        register(name, exempt(notices))
    register(
        "providers:mine", exempt("redirects staff to their own organization (org grant), tested in providers tests")
    )
    register(
        "providers:my_programs",
        exempt(
            "a provider's staff: the programs of their own organization (org grant; "
            "catalog data), tested in training/tests/test_class_programs_and_hours.py"
        ),
    )
    register("providers:register", exempt("self-registration form, no login, lists nothing"))
    register("providers:templates", exempt("links to blank import templates; no records"))
    for name in ["catalog:providers", "catalog:provider", "catalog:programs"]:
        register(name, exempt(PUBLIC))
