"""Reads: the listing state of a provider on a date, what a listed provider may train, listed programs, the teachers
of a provider, the public catalogs, the review queues, and the counting of bases by region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from jineng.accounts.api import Organization, principal_for, visible
from jineng.common.ids import is_uuid
from jineng.providers.models import (
    ApplicationStatus,
    CatalogListing,
    CatalogListingStatus,
    ListingEvent,
    ListingEventKind,
    ListingScope,
    ListingStatus,
    OrganizationProfile,
    PoolAffiliation,
    PoolRole,
    PoolRoleKind,
    PoolRoleStatus,
    Program,
    ProviderApplication,
    ProviderListing,
    StandardWork,
    TrainingBase,
    TrainingBrand,
)
from jineng.refdata.api import region_ancestors, region_subtree

# ---- the provider catalog on a date ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingState:
    """Where a listing stood on a date: ``listed`` (and in its period), ``suspended``, ``exited``, ``expired`` or
    ``not_listed`` (before its first listing, or no listing at all)."""

    state: str
    period_until: dt.date | None = None
    event: ListingEvent | None = None

    @property
    def in_force(self) -> bool:
        return self.state == "listed"


def profile_of(provider: Any) -> OrganizationProfile | None:
    """Accepts a profile, an organization, or either's id."""
    if isinstance(provider, OrganizationProfile):
        return provider
    if isinstance(provider, Organization):
        return OrganizationProfile.objects.filter(organization=provider).first()
    if provider is None:
        return None
    return (
        OrganizationProfile.objects.filter(Q(pk=provider) | Q(organization_id=provider)).first()
        if is_uuid(provider)
        else None
    )


def listing_state_on(listing: ProviderListing | None, on: dt.date) -> ListingState:
    """Fold the listing's decisions that had taken effect by ``on`` (in effective-date order)."""
    if listing is None:
        return ListingState("not_listed")
    state = "not_listed"
    until: dt.date | None = None
    last: ListingEvent | None = None
    for event in listing.events.filter(effective_date__lte=on).order_by("effective_date", "created_at"):
        if event.kind in (ListingEventKind.LISTED, ListingEventKind.RENEWED):
            state, until = "listed", event.valid_until
        elif event.kind == ListingEventKind.SUSPENDED:
            state = "suspended" if state != "exited" else state
        elif event.kind == ListingEventKind.RESUMED:
            state = "listed" if state == "suspended" else state
        elif event.kind in (ListingEventKind.EXITED, ListingEventKind.WITHDRAWN):
            state = "exited"
        else:
            continue
        last = event
    if state == "listed" and until is not None and on > until:
        return ListingState("expired", until, last)
    return ListingState(state, until, last)


def provider_state_on(provider: Any, on: dt.date) -> ListingState:
    profile = profile_of(provider)
    listing = ProviderListing.objects.filter(profile=profile).first() if profile else None
    return listing_state_on(listing, on)


def scope_on(listing: ProviderListing, on: dt.date) -> QuerySet[ListingScope]:
    return listing.scope.filter(added_on__lte=on).filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))


def listing_problem(provider: Any, occupation: Any, level: Any, kind: str, on: dt.date) -> tuple[str, str] | None:
    """None when the provider may train ``occupation`` × ``level`` × ``kind`` on ``on``; else (code, message).

    Codes: ``provider_unknown``, ``provider_not_listed``, ``provider_expired``, ``provider_suspended``,
    ``provider_exited``, ``outside_scope``. A scope row without a level covers every level; otherwise the level
    must be the one listed.
    """
    profile = profile_of(provider)
    if profile is None:
        return ("provider_unknown", "培训机构不存在。")
    listing = ProviderListing.objects.filter(profile=profile).first()
    state = listing_state_on(listing, on)
    if state.state == "suspended":
        return ("provider_suspended", "该培训机构已被暂停（停业整顿），不能开展补贴性培训。")
    if state.state == "exited":
        return ("provider_exited", "该培训机构已移出培训机构目录。")
    if state.state == "expired":
        return ("provider_expired", f"该培训机构的目录有效期已于 {state.period_until} 届满。")
    if state.state != "listed" or listing is None:
        return ("provider_not_listed", "该培训机构不在培训机构目录内。")
    occupation_id = getattr(occupation, "pk", occupation)
    level_id = getattr(level, "pk", level)
    rows = scope_on(listing, on).filter(training_kind=kind)
    rows = rows.filter(occupation_id=occupation_id) if occupation_id else rows.filter(occupation__isnull=True)
    if level_id:
        rows = rows.filter(Q(level_id=level_id) | Q(level__isnull=True))
    if not rows.exists():
        return ("outside_scope", "该职业（工种）、等级或培训类型不在该机构的目录培训范围内。")
    return None


def provider_is_suspended(provider: Any, on: dt.date) -> bool:
    return provider_state_on(provider, on).state == "suspended"


# ---- the program catalog ---------------------------------------------------------------------------------------


def listings_in_force(region_code: str, on: dt.date) -> QuerySet[CatalogListing]:
    """Program and resource listings in force on ``on`` for ``region_code``: listed there or in a region above."""
    return CatalogListing.objects.filter(
        region_id__in=region_ancestors(region_code),
        status=CatalogListingStatus.LISTED,
        valid_from__lte=on,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def program_listing_for(program: Any, region_code: str, on: dt.date) -> CatalogListing | None:
    program_id = getattr(program, "pk", program)
    return (
        listings_in_force(region_code, on)
        .filter(program_id=program_id, program__retired_at__isnull=True)
        .order_by("-valid_from")
        .first()
    )


def programs_for_provider(provider: Any, on: dt.date) -> QuerySet[Program]:
    """本机构培训项目 — the programs a provider may open classes of: not retired, listed in the program catalog for
    the provider's region (or a region above) on ``on`` or from a later date, and inside the provider's catalog
    scope on ``on`` (occupation × level × training kind; a scope row without a level covers every level). Empty
    for a provider not listed (or suspended, expired, exited) on ``on``."""
    profile = profile_of(provider)
    if profile is None:
        return Program.objects.none()
    listing = ProviderListing.objects.filter(profile=profile).first()
    if listing_state_on(listing, on).state != "listed" or listing is None:
        return Program.objects.none()
    covered = Q(pk__in=[])
    for occupation_id, level_id, kind in scope_on(listing, on).values_list(
        "occupation_id", "level_id", "training_kind"
    ):
        row = Q(training_kind=kind) & (Q(occupation_id=occupation_id) if occupation_id else Q(occupation__isnull=True))
        covered |= row & Q(level_id=level_id) if level_id else row
    listed = CatalogListing.objects.filter(
        region_id__in=region_ancestors(profile.organization.region_id), status=CatalogListingStatus.LISTED
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    return (
        Program.objects.filter(retired_at__isnull=True, pk__in=listed.values("program_id"))
        .filter(covered)
        .select_related("occupation", "level", "region")
        .order_by("code")
    )


def provider_offers_program(provider: Any, program: Any, on: dt.date) -> bool:
    """True when ``program`` is one of ``programs_for_provider(provider, on)``."""
    return programs_for_provider(provider, on).filter(pk=getattr(program, "pk", program)).exists()


# ---- teachers ----------------------------------------------------------------------------------------------------


def teachers_of(provider: Any, on: dt.date) -> QuerySet[PoolRole]:
    """Active teacher roles affiliated with the provider on ``on``."""
    profile = profile_of(provider)
    affiliated = PoolAffiliation.objects.filter(profile=profile, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return (
        PoolRole.objects.filter(role=PoolRoleKind.TEACHER, status=PoolRoleStatus.ACTIVE, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .filter(pk__in=affiliated.values("role_id"))
        .select_related("person")
    )


def roles_of_person(person_id: Any) -> QuerySet[PoolRole]:
    """Every pool role of a registry person (for conflict-of-interest matching)."""
    return PoolRole.objects.filter(person_id=person_id).exclude(status=PoolRoleStatus.RETIRED)


# ---- public catalogs ---------------------------------------------------------------------------------------------


def public_providers(
    *, status: str = "listed", region: str = "", q: str = "", provider_type: str = "", on: dt.date
) -> QuerySet[ProviderListing]:
    """信息公开 — the provider catalog. ``status``: ``listed`` (in force on ``on``), ``suspended``, ``exited``,
    ``expired`` or ``all``."""
    qs = ProviderListing.objects.select_related("profile__organization__region", "region")
    if status == "listed":
        qs = qs.filter(status=ListingStatus.LISTED, valid_from__lte=on, valid_until__gte=on)
    elif status == "expired":
        qs = qs.filter(status=ListingStatus.LISTED, valid_until__lt=on)
    elif status in (ListingStatus.SUSPENDED, ListingStatus.EXITED):
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    if q:
        qs = qs.filter(Q(profile__organization__name__icontains=q) | Q(profile__organization__credit_code=q.upper()))
    if provider_type:
        qs = qs.filter(profile__provider_type=provider_type)
    return qs.order_by("region_id", "profile__organization__name")


def public_evaluators(*, q: str = "", region: str = "") -> QuerySet[Organization]:
    """信息公开 — the evaluation organizations (评价机构: 用人单位, 社会培训评价组织, 院校) active on the platform, by
    region then name: their names, kinds (from the profile, when completed) and regions only — what the complaint
    form suggests."""
    qs = Organization.objects.filter(kind="evaluator", status="active")
    q, region = (q or "").replace("\x00", ""), (region or "").replace("\x00", "")  # PostgreSQL refuses NUL in text
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    q = " ".join((q or "").split())[:60]
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.select_related("region", "profile").order_by("region_id", "name")


def programs_readable(user: Any, permission: str = "records.view") -> QuerySet[Program]:
    """培训项目目录 as an official reads it: the programs of their scope, plus those defined by a region above it (a
    province's programs apply in each of its counties) — the latter read-only: edits go through ``visible``."""
    above = {code for region in principal_for(user).regions_with(permission) for code in region_ancestors(region)}
    return Program.objects.filter(Q(pk__in=visible(Program, user, permission).values("pk")) | Q(region_id__in=above))


def public_programs(
    *, region: str = "", q: str = "", training_kind: str = "", occupation: str = "", on: dt.date
) -> QuerySet[CatalogListing]:
    """信息公开 — program listings in force on ``on`` (in ``region``'s subtree and the regions above it)."""
    qs = CatalogListing.objects.filter(
        program__isnull=False,
        program__retired_at__isnull=True,
        status=CatalogListingStatus.LISTED,
        valid_from__lte=on,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    if region:
        below = region_subtree(region)
        qs = qs.filter(Q(region_id__in=below) | Q(region_id__in=region_ancestors(region)))
    if q:
        qs = qs.filter(Q(program__name__icontains=q) | Q(program__code=q))
    if training_kind:
        qs = qs.filter(program__training_kind=training_kind)
    if occupation:
        qs = qs.filter(program__occupation__code__startswith=occupation)
    return qs.select_related("program__occupation", "program__level", "region").order_by("region_id", "program__code")


# ---- review queues -----------------------------------------------------------------------------------------------


def review_queue(user: Any) -> QuerySet[ProviderApplication]:
    """Applications waiting for this user: submitted ones where they hold ``catalog.review``, city-passed ones where
    they hold ``catalog.approve`` — the oldest deadline first."""
    to_review = visible(ProviderApplication, user, "catalog.review").filter(status=ApplicationStatus.SUBMITTED)
    to_approve = visible(ProviderApplication, user, "catalog.approve").filter(status=ApplicationStatus.CITY_PASSED)
    ids = list(to_review.values_list("pk", flat=True)) + list(to_approve.values_list("pk", flat=True))
    return (
        ProviderApplication.objects.filter(pk__in=ids)
        .select_related("profile__organization", "region")
        .order_by("review_due", "approval_due", "submitted_at")
    )


# ---- bases ---------------------------------------------------------------------------------------------------------


def bases_in_force(
    *, kind: str = "", level: str = "", region_code: str = "", as_of_year: int
) -> QuerySet[TrainingBase]:
    """Bases approved by ``as_of_year`` and not revoked by then (a base revoked in year Y counts until Y − 1),
    attributed to ``region_code`` or any region below it (closure table)."""
    qs = TrainingBase.objects.filter(approval_year__lte=as_of_year).filter(
        Q(revoked_year__isnull=True) | Q(revoked_year__gt=as_of_year)
    )
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if region_code:
        qs = qs.filter(region_id__in=region_subtree(region_code))
    return qs


def bases_count(kind: str, level: str, region_code: str, as_of_year: int) -> int:
    return bases_in_force(kind=kind, level=level, region_code=region_code, as_of_year=as_of_year).count()


# ---- list filters: one per list, used by the page and the API alike ---------------------------------------------


def profile_filter(
    qs: QuerySet[OrganizationProfile],
    *,
    q: str = "",
    kind: str = "",
    provider_type: str = "",
    region: str = "",
    listing: str = "",
) -> QuerySet[OrganizationProfile]:
    """机构列表 — by part of the name or the whole credit code, kind, provider type, region (and below), listing status
    (``none``: never listed)."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(organization__name__icontains=q) | Q(organization__credit_code=q.upper()))
    if kind:
        qs = qs.filter(organization__kind=kind)
    if provider_type:
        qs = qs.filter(provider_type=provider_type)
    if region:
        qs = qs.filter(organization__region_id__in=region_subtree(region))
    if listing == "none":
        qs = qs.filter(listing__isnull=True)
    elif listing:
        qs = qs.filter(listing__status=listing)
    return qs


def program_filter(qs: QuerySet[Any], *, q: str = "", training_kind: str = "", occupation: str = "") -> QuerySet[Any]:
    """培训项目列表 — by part of the name or the whole code, training kind, occupation code prefix."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code=q))
    if training_kind:
        qs = qs.filter(training_kind=training_kind)
    if occupation:
        qs = qs.filter(occupation__code__startswith=occupation)
    return qs


def pool_role_filter(
    qs: QuerySet[PoolRole],
    *,
    role: str = "",
    status: str = "",
    speciality: str = "",
    region: str = "",
    name: str = "",
) -> QuerySet[PoolRole]:
    """师资库列表 — by role, status, speciality (occupation code prefix), region (and below), the person's name."""
    if role:
        qs = qs.filter(role=role)
    if status:
        qs = qs.filter(status=status)
    if speciality:
        qs = qs.filter(
            pk__in=PoolRole.specialities.through.objects.filter(occupation__code__startswith=speciality).values(
                "poolrole_id"
            )
        )
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    name = (name or "").strip()
    if name:
        qs = qs.filter(person__name=name)
    return qs


def base_filter(
    qs: QuerySet[TrainingBase], *, kind: str = "", level: str = "", region: str = ""
) -> QuerySet[TrainingBase]:
    """基地与工作室列表 — by kind, level, region (and below)."""
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    return qs


def brands_visible(user: Any) -> QuerySet[TrainingBrand]:
    """培训品牌 in the user's view, each with the number of programs carrying it."""
    return (
        visible(TrainingBrand, user, "records.view")
        .select_related("region")
        .annotate(program_count=Count("programs", distinct=True))
    )


def brand_filter(qs: QuerySet[TrainingBrand], *, region: str = "", year: int | None = None) -> QuerySet[TrainingBrand]:
    """品牌列表 — by region (and below), recognition year; the page and the API alike."""
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    if year:
        qs = qs.filter(recognized_year=year)
    return qs.order_by("region_id", "code")


def standards_visible(user: Any) -> QuerySet[StandardWork]:
    return visible(StandardWork, user, "records.view").select_related("occupation", "level", "region")


def standard_filter(
    qs: QuerySet[StandardWork], *, kind: str = "", status: str = "", region: str = "", year: int | None = None
) -> QuerySet[StandardWork]:
    """职业标准与教材列表 — by kind, status, region (and below), year; the page and the API alike."""
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("kind", "-year", "title")
