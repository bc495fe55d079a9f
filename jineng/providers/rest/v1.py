"""Providers API: organizations and staff, the provider catalog workflow, programs and resources, the teachers'
pool, bases and studios. Thin: parse, find the record in scope (404 outside), call one service, present."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from jineng.accounts.api import Organization, User, current_user, get_visible, require, visible
from jineng.common.errors import NotFound
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.common.rest.types import Year
from jineng.providers import presenters, selectors
from jineng.providers.models import (
    CatalogListing,
    DigitalResource,
    OrganizationProfile,
    PoolRole,
    Program,
    ProviderApplication,
    ProviderListing,
    StandardWork,
    TrainingBase,
    TrainingBrand,
)
from jineng.providers.people import person_by_document, person_get
from jineng.providers.rest import schemas as s
from jineng.providers.selectors import bases_count, review_queue, teachers_of
from jineng.providers.services import bases as bases_services
from jineng.providers.services import brands as brand_services
from jineng.providers.services import catalog, programs, teachers
from jineng.providers.services import organizations as org_services
from jineng.refdata.api import region_subtree

router = Router(tags=["providers 培训机构与两目录"])


def _profile_data(payload: s.ProfileFields) -> org_services.ProfileData:
    return org_services.ProfileData(
        provider_type=payload.provider_type,
        evaluator_type=payload.evaluator_type,
        is_above_scale=payload.is_above_scale,
        size=payload.size,
        employees=payload.employees,
        industry_tags=list(payload.industry_tags),
        legal_representative=payload.legal_representative,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        email=payload.email,
        website=payload.website,
    )


def _licence_data(payload: s.LicenceIn | None) -> org_services.LicenceData | None:
    if payload is None:
        return None
    return org_services.LicenceData(
        number=payload.number,
        issuer=payload.issuer,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        items=[(i.occupation, i.max_level) for i in payload.items],
    )


def _scope(items: list[s.ScopeIn]) -> list[catalog.ScopeInput]:
    return [catalog.ScopeInput(i.occupation, i.level, i.training_kind) for i in items]


# ---- organizations -----------------------------------------------------------------------------------------------

ProfilePage = page_of(s.ProfileOut)


def _profiles(user: Any) -> QuerySet[OrganizationProfile]:
    return (
        visible(OrganizationProfile, user, "records.view")
        .select_related("organization__region", "listing")
        .prefetch_related("industry_tags", "licence_items__occupation", "licence_items__max_level")
    )


@router.get(
    "/providers", response=ProfilePage, summary="机构档案列表 Organizations (providers, enterprises, evaluators)"
)
def provider_list(
    request: HttpRequest,
    paging: Query[Paging],
    kind: str = "",
    provider_type: str = "",
    region: str = "",
    listing_status: str = "",
    q: str = "",
) -> dict[str, Any]:
    qs = selectors.profile_filter(
        _profiles(request.user), q=q, kind=kind, provider_type=provider_type, region=region, listing=listing_status
    )
    return page_items(qs.order_by("organization__name"), paging, presenters.profile_dict)


@router.post("/providers", response={201: s.ProfileOut}, summary="登记机构 Register an organization (officials)")
def provider_create(request: HttpRequest, payload: s.ProfileIn) -> Any:
    profile = org_services.profile_create(
        actor=current_user(request),
        kind=payload.kind,
        name=payload.name,
        credit_code=payload.credit_code,
        region_code=payload.region,
        data=_profile_data(payload),
        licence=_licence_data(payload.licence),
    )
    return Status(201, presenters.profile_dict(profile))


@router.get("/providers/{profile_id}", response=s.ProfileOut, summary="机构档案 An organization's profile")
def provider_detail(request: HttpRequest, profile_id: uuid.UUID) -> dict[str, Any]:
    return presenters.profile_dict(get_visible(_profiles(request.user), request.user, profile_id))


@router.patch("/providers/{profile_id}", response=s.ProfileOut, summary="修改机构档案 Edit a profile")
def provider_update(request: HttpRequest, profile_id: uuid.UUID, payload: s.ProfileUpdateIn) -> dict[str, Any]:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    profile = org_services.profile_update(
        actor=current_user(request), profile=profile, name=payload.name, data=_profile_data(payload)
    )
    return presenters.profile_dict(profile)


@router.put("/providers/{profile_id}/licence", response=s.ProfileOut, summary="办学许可证 Set the licence")
def provider_licence(request: HttpRequest, profile_id: uuid.UUID, payload: s.LicenceIn) -> dict[str, Any]:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    licence = _licence_data(payload)
    assert licence is not None
    return presenters.profile_dict(
        org_services.licence_set(actor=current_user(request), profile=profile, licence=licence)
    )


@router.get("/providers/{profile_id}/staff", response=list[s.StaffOut], summary="机构账号 Staff accounts")
def provider_staff(request: HttpRequest, profile_id: uuid.UUID) -> list[dict[str, Any]]:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    org_services.require_staff_admin(request.user, profile.organization)
    return [{k: v for k, v in row.items() if k != "user"} for row in org_services.staff_of(profile.organization)]


@router.post("/providers/{profile_id}/staff", response={201: s.StaffOut}, summary="新建机构账号 Create a staff account")
def provider_staff_create(request: HttpRequest, profile_id: uuid.UUID, payload: s.StaffIn) -> Any:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    user = org_services.staff_create(
        actor=current_user(request),
        organization=profile.organization,
        username=payload.username,
        password=payload.password,
        display_name=payload.display_name,
        email=payload.email,
        make_admin=payload.admin,
    )
    return Status(
        201, {"id": user.pk, "username": user.username, "display_name": user.display_name, "admin": payload.admin}
    )


@router.post(
    "/providers/{profile_id}/staff/{user_id}/revoke",
    response={204: None},
    summary="撤销机构账号 Revoke a staff account",
)
def provider_staff_revoke(
    request: HttpRequest, profile_id: uuid.UUID, user_id: uuid.UUID, payload: s.ProviderReasonIn
) -> Any:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    org_services.staff_revoke(
        actor=current_user(request), organization=profile.organization, user=user, reason=payload.reason
    )
    return Status(204, None)


# ---- the provider catalog --------------------------------------------------------------------------------------

ApplicationPage = page_of(s.ApplicationOut)


def _applications(user: Any) -> QuerySet[ProviderApplication]:
    return visible(ProviderApplication, user, "records.view").select_related("profile__organization")


@router.get("/provider-applications", response=ApplicationPage, summary="入目录申请 Catalog applications in scope")
def application_list(
    request: HttpRequest, paging: Query[Paging], status: str = "", queue: bool = False, region: str = ""
) -> dict[str, Any]:
    """``queue=true``: what waits for me (city review or province approval), the oldest deadline first."""
    if queue:
        qs = review_queue(request.user).filter(pk__in=_applications(request.user).values("pk"))
    else:
        qs = _applications(request.user).order_by("-created_at")
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    return page_items(qs, paging, presenters.application_dict)


@router.post("/provider-applications", response={201: s.ApplicationOut}, summary="新建申请 Create a draft application")
def application_new(request: HttpRequest, payload: s.ApplicationIn) -> Any:
    profile = get_visible(_profiles(request.user), request.user, payload.profile_id)
    app = catalog.application_create(
        actor=current_user(request),
        profile=profile,
        kind=payload.kind,
        capacity_per_year=payload.capacity_per_year,
        description=payload.description,
        scope=_scope(payload.scope),
    )
    return Status(201, presenters.application_dict(app))


@router.get("/provider-applications/{app_id}", response=s.ApplicationOut, summary="申请详情 An application")
def application_detail(request: HttpRequest, app_id: uuid.UUID) -> dict[str, Any]:
    return presenters.application_dict(get_visible(_applications(request.user), request.user, app_id))


@router.put("/provider-applications/{app_id}", response=s.ApplicationOut, summary="修改草稿 Edit a draft")
def application_edit(request: HttpRequest, app_id: uuid.UUID, payload: s.ApplicationUpdateIn) -> dict[str, Any]:
    app = get_visible(_applications(request.user), request.user, app_id)
    app = catalog.application_update(
        actor=current_user(request),
        application=app,
        capacity_per_year=payload.capacity_per_year,
        description=payload.description,
        scope=_scope(payload.scope),
    )
    return presenters.application_dict(app)


@router.post("/provider-applications/{app_id}/submit", response=s.ApplicationOut, summary="提交 Submit")
def application_submit(request: HttpRequest, app_id: uuid.UUID) -> dict[str, Any]:
    app = get_visible(_applications(request.user), request.user, app_id)
    return presenters.application_dict(catalog.application_submit(actor=current_user(request), application=app))


@router.post("/provider-applications/{app_id}/withdraw", response=s.ApplicationOut, summary="撤回 Withdraw")
def application_withdraw(request: HttpRequest, app_id: uuid.UUID, payload: s.ProviderReasonIn) -> dict[str, Any]:
    app = get_visible(_applications(request.user), request.user, app_id)
    app = catalog.application_withdraw(actor=current_user(request), application=app, reason=payload.reason)
    return presenters.application_dict(app)


@router.post("/provider-applications/{app_id}/review", response=s.ApplicationOut, summary="市级审核 City review")
def application_review(request: HttpRequest, app_id: uuid.UUID, payload: s.ReviewIn) -> dict[str, Any]:
    app = get_visible(_applications(request.user), request.user, app_id)
    app = catalog.application_review(
        actor=current_user(request), application=app, passed=payload.passed, opinion=payload.opinion
    )
    return presenters.application_dict(app)


@router.post("/provider-applications/{app_id}/decide", response=s.ApplicationOut, summary="省级审批 Province approval")
def application_decide(request: HttpRequest, app_id: uuid.UUID, payload: s.DecideIn) -> dict[str, Any]:
    app = get_visible(_applications(request.user), request.user, app_id)
    app = catalog.application_decide(
        actor=current_user(request),
        application=app,
        approved=payload.approved,
        opinion=payload.opinion,
        document_number=payload.document_number,
    )
    return presenters.application_dict(app)


ListingPage = page_of(s.ListingOut)


def _listings(user: Any) -> QuerySet[ProviderListing]:
    return visible(ProviderListing, user, "records.view").select_related("profile__organization", "region")


@router.get("/provider-listings", response=ListingPage, summary="培训机构目录（内部）The provider catalog in scope")
def listing_list(request: HttpRequest, paging: Query[Paging], status: str = "", region: str = "") -> dict[str, Any]:
    qs = _listings(request.user)
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    return page_items(
        qs.order_by("region_id", "profile__organization__name"),
        paging,
        lambda o: presenters.listing_dict(o, public=False),
    )


@router.get("/provider-listings/{listing_id}", response=s.ListingOut, summary="目录条目 A listing with its history")
def listing_detail(request: HttpRequest, listing_id: uuid.UUID) -> dict[str, Any]:
    return presenters.listing_dict(get_visible(_listings(request.user), request.user, listing_id), public=False)


def _listing_action(
    request: HttpRequest, listing_id: uuid.UUID, service: Callable[..., ProviderListing], payload: s.ListingDecisionIn
) -> dict[str, Any]:
    listing = get_visible(_listings(request.user), request.user, listing_id)
    listing = service(
        actor=current_user(request),
        listing=listing,
        reason=payload.reason,
        effective_date=payload.effective_date,
        document_number=payload.document_number,
    )
    return presenters.listing_dict(listing, public=False)


@router.post("/provider-listings/{listing_id}/suspend", response=s.ListingOut, summary="暂停（停业整顿）Suspend")
def listing_suspend(request: HttpRequest, listing_id: uuid.UUID, payload: s.ListingDecisionIn) -> dict[str, Any]:
    return _listing_action(request, listing_id, catalog.listing_suspend, payload)


@router.post("/provider-listings/{listing_id}/resume", response=s.ListingOut, summary="恢复 Resume")
def listing_resume(request: HttpRequest, listing_id: uuid.UUID, payload: s.ListingDecisionIn) -> dict[str, Any]:
    return _listing_action(request, listing_id, catalog.listing_resume, payload)


@router.post("/provider-listings/{listing_id}/exit", response=s.ListingOut, summary="移出目录 Remove from the catalog")
def listing_exit(request: HttpRequest, listing_id: uuid.UUID, payload: s.ListingDecisionIn) -> dict[str, Any]:
    return _listing_action(request, listing_id, catalog.listing_exit, payload)


@router.post("/provider-listings/{listing_id}/withdraw", response=s.ListingOut, summary="主动退出 Leave the catalog")
def listing_withdraw(request: HttpRequest, listing_id: uuid.UUID, payload: s.ListingDecisionIn) -> dict[str, Any]:
    listing = get_visible(_listings(request.user), request.user, listing_id)
    listing = catalog.listing_withdraw(
        actor=current_user(request), listing=listing, reason=payload.reason, effective_date=payload.effective_date
    )
    return presenters.listing_dict(listing, public=False)


# ---- programs and resources ------------------------------------------------------------------------------------

ProgramPage = page_of(s.ProgramOut)


def _programs(user: Any) -> QuerySet[Program]:
    return (
        visible(Program, user, "records.view")
        .select_related("occupation", "level")
        .prefetch_related("industry_tags", "brands")
    )


def _program_data(payload: s.ProgramIn) -> programs.ProgramData:
    return programs.ProgramData(
        code=payload.code,
        name=payload.name,
        occupation=payload.occupation,
        level=payload.level,
        training_kind=payload.training_kind,
        hours_theory=payload.hours_theory,
        hours_practice=payload.hours_practice,
        delivery=payload.delivery,
        subsidy_category=payload.subsidy_category,
        region=payload.region,
        syllabus=payload.syllabus,
        industry_tags=list(payload.industry_tags),
    )


@router.get("/programs", response=ProgramPage, summary="培训项目 Programs in scope")
def program_list(
    request: HttpRequest, paging: Query[Paging], training_kind: str = "", occupation: str = "", q: str = ""
) -> dict[str, Any]:
    readable = selectors.programs_readable(request.user).select_related("occupation", "level")
    qs = selectors.program_filter(
        readable.prefetch_related("industry_tags", "brands"), q=q, training_kind=training_kind, occupation=occupation
    )
    return page_items(qs.order_by("code"), paging, presenters.program_dict)


@router.post("/programs", response={201: s.ProgramOut}, summary="新建培训项目 Create a program")
def program_new(request: HttpRequest, payload: s.ProgramIn) -> Any:
    program = programs.program_create(actor=current_user(request), data=_program_data(payload))
    return Status(201, presenters.program_dict(program))


@router.get("/programs/{program_id}", response=s.ProgramOut, summary="培训项目 A program")
def program_detail(request: HttpRequest, program_id: uuid.UUID) -> dict[str, Any]:
    readable = selectors.programs_readable(request.user).select_related("occupation", "level")
    program = readable.prefetch_related("industry_tags", "brands").filter(pk=program_id).first()
    if program is None:
        raise NotFound()
    return presenters.program_dict(program)


@router.put("/programs/{program_id}", response=s.ProgramOut, summary="修改培训项目 Edit a program")
def program_edit(request: HttpRequest, program_id: uuid.UUID, payload: s.ProgramIn) -> dict[str, Any]:
    program = get_visible(_programs(request.user), request.user, program_id)
    return presenters.program_dict(
        programs.program_update(actor=current_user(request), program=program, data=_program_data(payload))
    )


@router.post("/programs/{program_id}/retire", response=s.ProgramOut, summary="停用培训项目 Retire a program")
def program_retire(request: HttpRequest, program_id: uuid.UUID, payload: s.ProviderReasonIn) -> dict[str, Any]:
    program = get_visible(_programs(request.user), request.user, program_id)
    return presenters.program_dict(
        programs.program_retire(actor=current_user(request), program=program, reason=payload.reason)
    )


@router.post(
    "/programs/{program_id}/listings",
    response={201: s.CatalogListingOut},
    summary="纳入项目目录 List a program in a region",
)
def program_list_in(request: HttpRequest, program_id: uuid.UUID, payload: s.CatalogListingIn) -> Any:
    program = get_visible(_programs(request.user), request.user, program_id)
    listing = programs.catalog_list(
        actor=current_user(request),
        program=program,
        region_code=payload.region,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        document_number=payload.document_number,
    )
    return Status(201, presenters.catalog_listing_dict(listing))


CatalogListingPage = page_of(s.CatalogListingOut)


def _catalog_listings(user: Any) -> QuerySet[CatalogListing]:
    return visible(CatalogListing, user, "records.view").select_related("region")


@router.get(
    "/catalog-listings", response=CatalogListingPage, summary="项目目录条目 Program and resource listings in scope"
)
def catalog_listing_list(request: HttpRequest, paging: Query[Paging], status: str = "") -> dict[str, Any]:
    qs = _catalog_listings(request.user)
    if status:
        qs = qs.filter(status=status)
    return page_items(qs.order_by("region_id", "-valid_from"), paging, presenters.catalog_listing_dict)


@router.get("/catalog-listings/{listing_id}", response=s.CatalogListingOut, summary="项目目录条目 A listing")
def catalog_listing_detail(request: HttpRequest, listing_id: uuid.UUID) -> dict[str, Any]:
    return presenters.catalog_listing_dict(get_visible(_catalog_listings(request.user), request.user, listing_id))


@router.post(
    "/catalog-listings/{listing_id}/withdraw", response=s.CatalogListingOut, summary="移出项目目录 Withdraw a listing"
)
def catalog_listing_withdraw(
    request: HttpRequest, listing_id: uuid.UUID, payload: s.ProviderReasonIn
) -> dict[str, Any]:
    listing = get_visible(_catalog_listings(request.user), request.user, listing_id)
    return presenters.catalog_listing_dict(
        programs.catalog_withdraw(actor=current_user(request), listing=listing, reason=payload.reason)
    )


ResourcePage = page_of(s.ResourceOut)


def _resources(user: Any) -> QuerySet[DigitalResource]:
    return visible(DigitalResource, user, "records.view").select_related(
        "platform__organization", "occupation", "level"
    )


@router.get("/digital-resources", response=ResourcePage, summary="数字培训资源 Digital resources in scope")
def resource_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    return page_items(_resources(request.user).order_by("code"), paging, presenters.resource_dict)


@router.post("/digital-resources", response={201: s.ResourceOut}, summary="登记数字培训资源 Add a resource")
def resource_new(request: HttpRequest, payload: s.ResourceIn) -> Any:
    platform = get_visible(_profiles(request.user), request.user, payload.platform_id)
    resource = programs.resource_create(
        actor=current_user(request),
        platform=platform,
        data=programs.ResourceData(
            code=payload.code,
            title=payload.title,
            resource_type=payload.resource_type,
            occupation=payload.occupation,
            level=payload.level,
            training_kind=payload.training_kind,
            hours=payload.hours,
            url=payload.url,
        ),
    )
    return Status(201, presenters.resource_dict(resource))


@router.get("/digital-resources/{resource_id}", response=s.ResourceOut, summary="数字培训资源 A resource")
def resource_detail(request: HttpRequest, resource_id: uuid.UUID) -> dict[str, Any]:
    return presenters.resource_dict(get_visible(_resources(request.user), request.user, resource_id))


@router.post(
    "/digital-resources/{resource_id}/listings",
    response={201: s.CatalogListingOut},
    summary="纳入目录 List a resource in a region",
)
def resource_list_in(request: HttpRequest, resource_id: uuid.UUID, payload: s.CatalogListingIn) -> Any:
    resource = get_visible(_resources(request.user), request.user, resource_id)
    listing = programs.catalog_list(
        actor=current_user(request),
        resource=resource,
        region_code=payload.region,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        document_number=payload.document_number,
    )
    return Status(201, presenters.catalog_listing_dict(listing))


# ---- teachers' pool ----------------------------------------------------------------------------------------------

RolePage = page_of(s.RoleOut)


def _roles(user: Any) -> QuerySet[PoolRole]:
    return visible(PoolRole, user, "records.view").select_related("person")


@router.get(
    "/teachers", response=RolePage, summary="师资库 Pool roles in scope (teachers, examiners, experts, inspectors)"
)
def role_list(
    request: HttpRequest,
    paging: Query[Paging],
    role: str = "",
    status: str = "",
    speciality: str = "",
    region: str = "",
    name: str = "",
) -> dict[str, Any]:
    qs = selectors.pool_role_filter(
        _roles(request.user), role=role, status=status, speciality=speciality, region=region, name=name
    )
    return page_items(qs.order_by("role", "person__name"), paging, presenters.role_dict)


@router.post("/teachers", response={201: s.RoleOut}, summary="入库 Add a pool role to a registry person")
def role_new(request: HttpRequest, payload: s.RoleIn) -> Any:
    if payload.person_id is not None:
        person = person_get(payload.person_id)
    else:
        person = person_by_document(payload.id_number, payload.name)
    organization = None
    if payload.organization_id is not None:
        organization = get_visible(
            visible(Organization, request.user, "records.view"), request.user, payload.organization_id
        )
    role = teachers.pool_role_add(
        actor=current_user(request),
        person=person,
        organization=organization,
        data=teachers.RoleData(
            role=payload.role,
            region=payload.region,
            valid_from=payload.valid_from,
            valid_until=payload.valid_until,
            employer_name=payload.employer_name,
            title=payload.title,
            teacher_qualification=payload.teacher_qualification,
            is_integrated=payload.is_integrated,
            specialities=list(payload.specialities),
            served_regions=list(payload.served_regions),
        ),
    )
    return Status(201, presenters.role_dict(role))


@router.get("/teachers/{role_id}", response=s.RoleOut, summary="师资 A pool role")
def role_detail(request: HttpRequest, role_id: uuid.UUID) -> dict[str, Any]:
    return presenters.role_dict(get_visible(_roles(request.user), request.user, role_id))


@router.post("/teachers/{role_id}/qualifications", response={201: s.RoleOut}, summary="登记资质 Add a qualification")
def role_qualification(request: HttpRequest, role_id: uuid.UUID, payload: s.QualificationIn) -> Any:
    role = get_visible(_roles(request.user), request.user, role_id)
    teachers.qualification_add(
        actor=current_user(request), role=role, data=teachers.QualificationData(**payload.dict())
    )
    return Status(201, presenters.role_dict(role))


@router.post(
    "/teachers/{role_id}/affiliations", response={201: s.RoleOut}, summary="登记任教机构 Affiliate with a provider"
)
def role_affiliate(request: HttpRequest, role_id: uuid.UUID, payload: s.AffiliationIn) -> Any:
    role = get_visible(_roles(request.user), request.user, role_id)
    profile = get_visible(_profiles(request.user), request.user, payload.profile_id)
    teachers.affiliation_add(
        actor=current_user(request),
        role=role,
        profile=profile,
        kind=payload.kind,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
    )
    return Status(201, presenters.role_dict(role))


@router.post("/teachers/{role_id}/status", response=s.RoleOut, summary="暂停/恢复/出库 Change a role's status")
def role_status(request: HttpRequest, role_id: uuid.UUID, payload: s.RoleStatusIn) -> dict[str, Any]:
    role = get_visible(_roles(request.user), request.user, role_id)
    role = teachers.pool_role_set_status(
        actor=current_user(request), role=role, status=payload.status, reason=payload.reason
    )
    return presenters.role_dict(role)


@router.get(
    "/providers/{profile_id}/teachers", response=list[s.RoleOut], summary="本机构在聘教师 A provider's teachers today"
)
def provider_teachers(request: HttpRequest, profile_id: uuid.UUID) -> list[dict[str, Any]]:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    return [presenters.role_dict(r) for r in teachers_of(profile, timezone.localdate())]


# ---- bases -------------------------------------------------------------------------------------------------------

BasePage = page_of(s.BaseOut)


def _bases(user: Any) -> QuerySet[TrainingBase]:
    return visible(TrainingBase, user, "records.view").select_related("master")


@router.get("/training-bases", response=BasePage, summary="基地与工作室 Bases and studios in scope")
def base_list(
    request: HttpRequest,
    paging: Query[Paging],
    kind: str = "",
    level: str = "",
    region: str = "",
    year: Year | None = None,
) -> dict[str, Any]:
    qs = selectors.base_filter(_bases(request.user), kind=kind, level=level, region=region)
    if year:
        qs = qs.filter(approval_year__lte=year).filter(Q(revoked_year__isnull=True) | Q(revoked_year__gt=year))
    return page_items(qs.order_by("kind", "level", "approval_year", "name"), paging, presenters.base_dict)


@router.get(
    "/training-bases/count", response=s.BasesCountOut, summary="基地与工作室计数 Count by kind, level, region and year"
)
def base_count(request: HttpRequest, region: str, year: Year, kind: str = "", level: str = "") -> dict[str, Any]:
    require(request.user, "indicators.view", region_code=region)
    return {
        "kind": kind,
        "level": level,
        "region": region,
        "as_of_year": year,
        "count": bases_count(kind, level, region, year),
    }


@router.post("/training-bases", response={201: s.BaseOut}, summary="登记基地或工作室 Add a base or studio")
def base_new(request: HttpRequest, payload: s.BaseIn) -> Any:
    host = get_visible(_profiles(request.user), request.user, payload.host_id) if payload.host_id else None
    master = person_get(payload.master_person_id, "master_person_id") if payload.master_person_id else None
    base = bases_services.base_create(
        actor=current_user(request),
        host=host,
        master=master,
        data=bases_services.BaseData(
            kind=payload.kind,
            name=payload.name,
            level=payload.level,
            approval_year=payload.approval_year,
            region=payload.region,
            host_name=payload.host_name,
            approval_document=payload.approval_document,
            occupations=list(payload.occupations),
        ),
    )
    return Status(201, presenters.base_dict(base))


@router.get("/training-bases/{base_id}", response=s.BaseOut, summary="基地或工作室 A base or studio")
def base_detail(request: HttpRequest, base_id: uuid.UUID) -> dict[str, Any]:
    return presenters.base_dict(get_visible(_bases(request.user), request.user, base_id))


@router.post("/training-bases/{base_id}/revoke", response=s.BaseOut, summary="撤销 Revoke")
def base_revoke(request: HttpRequest, base_id: uuid.UUID, payload: s.BaseRevokeIn) -> dict[str, Any]:
    base = get_visible(_bases(request.user), request.user, base_id)
    return presenters.base_dict(
        bases_services.base_revoke(actor=current_user(request), base=base, year=payload.year, reason=payload.reason)
    )


# ---- brands (培训品牌) ------------------------------------------------------------------------------------------------

BrandPage = page_of(s.BrandOut)


def _brands(user: Any) -> QuerySet[TrainingBrand]:
    return selectors.brands_visible(user)


@router.get("/training-brands", response=BrandPage, summary="培训品牌 The brand catalogue in scope")
def brand_list(request: HttpRequest, paging: Query[Paging], region: str = "", year: Year | None = None) -> Any:
    qs = selectors.brand_filter(_brands(request.user), region=region, year=year)
    return page_items(qs, paging, presenters.brand_dict)


@router.post("/training-brands", response={201: s.BrandOut}, summary="登记培训品牌 Add a brand")
def brand_new(request: HttpRequest, payload: s.BrandIn) -> Any:
    brand = brand_services.brand_create(
        actor=current_user(request),
        data=brand_services.BrandData(
            code=payload.code,
            name=payload.name,
            region=payload.region,
            recognized_year=payload.recognized_year,
            recognition=payload.recognition,
        ),
    )
    return Status(201, presenters.brand_dict(brand))


@router.post("/training-brands/{brand_id}/recognize", response=s.BrandOut, summary="认定 Recognize a brand")
def brand_recognize(request: HttpRequest, brand_id: uuid.UUID, payload: s.BrandRecognizeIn) -> dict[str, Any]:
    brand = get_visible(_brands(request.user), request.user, brand_id)
    return presenters.brand_dict(
        brand_services.brand_recognize(
            actor=current_user(request), brand=brand, year=payload.year, recognition=payload.recognition
        )
    )


@router.post("/training-brands/{brand_id}/retire", response=s.BrandOut, summary="停用 Retire a brand")
def brand_retire(request: HttpRequest, brand_id: uuid.UUID, payload: s.BrandRetireIn) -> dict[str, Any]:
    brand = get_visible(_brands(request.user), request.user, brand_id)
    return presenters.brand_dict(
        brand_services.brand_retire(actor=current_user(request), brand=brand, year=payload.year, reason=payload.reason)
    )


@router.put("/programs/{program_id}/brands", response=s.ProgramOut, summary="标记培训品牌 Set a program's brands")
def program_brands(request: HttpRequest, program_id: uuid.UUID, payload: s.ProgramBrandsIn) -> dict[str, Any]:
    program = get_visible(_programs(request.user), request.user, program_id)
    brand_services.program_brands_set(actor=current_user(request), program=program, brand_ids=payload.brands)
    return presenters.program_dict(get_visible(_programs(request.user), request.user, program_id))


# ---- standards and textbooks (职业标准与教材) ----------------------------------------------------------------------

StandardPage = page_of(s.StandardOut)


def _standards(user: Any) -> QuerySet[StandardWork]:
    return selectors.standards_visible(user)


@router.get("/standards", response=StandardPage, summary="职业标准与教材 Standards and textbooks in scope")
def standard_list(
    request: HttpRequest, paging: Query[Paging], kind: str = "", status: str = "", region: str = "",
    year: Year | None = None,
) -> Any:  # fmt: skip
    qs = selectors.standard_filter(_standards(request.user), kind=kind, status=status, region=region, year=year)
    return page_items(qs, paging, presenters.standard_dict)


@router.post("/standards", response={201: s.StandardOut}, summary="登记职业标准或教材 Add a standard or textbook")
def standard_new(request: HttpRequest, payload: s.StandardIn) -> Any:
    work = brand_services.standard_create(
        actor=current_user(request),
        data=brand_services.StandardData(
            kind=payload.kind,
            title=payload.title,
            developer=payload.developer,
            region=payload.region,
            occupation=payload.occupation,
            level=payload.level,
            year=payload.year,
            status=payload.status,
            document_number=payload.document_number,
        ),
    )
    return Status(201, presenters.standard_dict(work))


@router.post("/standards/{standard_id}/publish", response=s.StandardOut, summary="颁布 Publish")
def standard_publish(request: HttpRequest, standard_id: uuid.UUID, payload: s.StandardPublishIn) -> dict[str, Any]:
    work = get_visible(_standards(request.user), request.user, standard_id)
    return presenters.standard_dict(
        brand_services.standard_publish(
            actor=current_user(request), work=work, year=payload.year, document_number=payload.document_number
        )
    )


@router.post("/standards/{standard_id}/withdraw", response=s.StandardOut, summary="废止 Withdraw")
def standard_withdraw(request: HttpRequest, standard_id: uuid.UUID, payload: s.StandardWithdrawIn) -> dict[str, Any]:
    work = get_visible(_standards(request.user), request.user, standard_id)
    return presenters.standard_dict(
        brand_services.standard_withdraw(actor=current_user(request), work=work, reason=payload.reason)
    )
