"""What other apps may use of providers.

Training (开班) asks:

- ``provider_require_listed_for(provider, occupation, level, kind, on_date)`` — raises ``ProviderSuspended`` (409
  ``provider_suspended``) or ``ProviderNotListed`` (409 ``provider_not_listed`` / ``provider_expired`` /
  ``provider_exited`` / ``outside_scope``); ``provider_is_listed_for(...)`` is the same as a boolean;
- ``provider_is_suspended(provider, on_date)`` — a suspended provider may not open classes;
- ``program_is_listed(program, region_code, on_date)`` / ``program_require_listed(...)`` — a listing in the region
  or a region above it, in force on the date;
- ``programs_for_provider(provider, on_date)`` — the programs a provider may open classes of (listed for its region,
  inside its catalog scope); ``provider_offers_program(provider, program, on_date)`` the same as a boolean;
- ``teacher_for_provider(role_id, provider, on_date)`` — a teacher of the pool affiliated with the provider, or
  409 ``teacher_not_available``; ``teachers_of(provider, on_date)``; ``roles_of_person(person_id)`` for conflicts
  of interest (an examiner examining their own trainees).

Certificates (评价) ask ``examiner_for(pool_role_id, lock=...)`` — the examiner's pool role to book for an exam
session (None when the role is not an examiner's).

Indicators ask ``bases_count(kind, level, region_code, as_of_year)``, and count ``TrainingBrand`` (培训品牌: the
brands recognized; ``GOLDEN_BLUE_COLLAR`` the code of Shandong's 金蓝领), ``Program.brands`` (the trainees of a brand's
programs) and ``StandardWork`` (职业标准与教材 published, ``StandardKind`` / ``StandardStatus``).

The site shell's to-do list asks ``review_queue(user)`` — catalog applications awaiting the user's review.

Supervision's sanctions (ADR 0027): ``register_sanction_check`` (the hook supervision wires in its ``ready``),
``register_organization_panel`` (the 监管信息 block supervision adds to a provider's page),
``sanction_refusal`` / ``require_not_sanctioned`` (409 ``organization_sanctioned``; training and subsidies call it
in their services) and ``listing_exit_for_sanction`` (移出目录 through the catalog's exit service).

Programs, profiles and pool roles are returned as models: training and certificates store them as foreign keys
(a class's program, a session's examiner booking) and filter the querysets further; none writes through them.

The composition root wires the registry in (the two apps are independent layers): ``register_person_resolver``
(finding a person by document number) and ``persons_merged`` (registry merge handler: re-point pool roles and studio
masters to the surviving record).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jineng.providers.errors import ProgramNotListed, ProviderNotListed, ProviderSuspended
from jineng.providers.handlers import persons_merged
from jineng.providers.models import (
    BaseKind,
    BaseLevel,
    DeliveryMode,
    OrganizationProfile,
    PoolRole,
    PoolRoleKind,
    Program,
    ProviderListing,
    ProviderType,
    StandardKind,
    StandardStatus,
    StandardWork,
    SubsidyCategory,
    TrainingBase,
    TrainingBrand,
    TrainingKind,
)
from jineng.providers.panels import register_organization_panel
from jineng.providers.people import register_person_resolver
from jineng.providers.sanctions import (
    CLAIM as SANCTION_CLAIM,
)
from jineng.providers.sanctions import (
    CLASS as SANCTION_CLASS,
)
from jineng.providers.sanctions import (
    LISTING as SANCTION_LISTING,
)
from jineng.providers.sanctions import (
    OrganizationSanctioned,
    register_sanction_check,
    register_sanction_marks,
    require_not_sanctioned,
    sanction_marks,
    sanction_refusal,
)
from jineng.providers.selectors import (
    ListingState,
    bases_count,
    listing_problem,
    profile_of,
    program_listing_for,
    programs_for_provider,
    provider_is_suspended,
    provider_offers_program,
    provider_state_on,
    review_queue,
    roles_of_person,
    teachers_of,
)
from jineng.providers.services.brands import GOLDEN_BLUE_COLLAR
from jineng.providers.services.teachers import teacher_for_provider


def provider_is_listed_for(provider: Any, occupation: Any, level: Any, kind: str, on_date: dt.date) -> bool:
    """True when the provider is listed, not suspended, within its validity on ``on_date``, and its scope covers
    ``occupation`` × ``level`` × ``kind`` (a scope row without a level covers every level)."""
    return listing_problem(provider, occupation, level, kind, on_date) is None


def provider_require_listed_for(provider: Any, occupation: Any, level: Any, kind: str, on_date: dt.date) -> None:
    problem = listing_problem(provider, occupation, level, kind, on_date)
    if problem is None:
        return
    code, message = problem
    if code == "provider_suspended":
        raise ProviderSuspended(message)
    raise ProviderNotListed(message, code=code)


def program_is_listed(program: Any, region_code: str, on_date: dt.date) -> bool:
    return program_listing_for(program, region_code, on_date) is not None


def program_require_listed(program: Any, region_code: str, on_date: dt.date) -> None:
    if not program_is_listed(program, region_code, on_date):
        raise ProgramNotListed()


def examiner_for(pool_role_id: Any, *, lock: bool = False) -> PoolRole | None:
    """考评员 — the pool role with this id when it is an examiner's role, else None. With ``lock`` the role is locked
    for update (call inside the caller's transaction), so two bookings of one examiner are decided one at a time.
    Returned as the model: certificates books it as a foreign key (``SessionExaminer.pool_role``)."""
    roles = PoolRole.objects.select_for_update() if lock else PoolRole.objects.all()
    role: PoolRole | None = roles.filter(pk=pool_role_id).first()
    return role if role is not None and role.role == PoolRoleKind.EXAMINER else None


def program_get(program_id: Any) -> Program | None:
    return Program.objects.filter(pk=program_id).select_related("occupation", "level").first()


__all__ = [
    "BaseKind",
    "BaseLevel",
    "DeliveryMode",
    "GOLDEN_BLUE_COLLAR",
    "ListingState",
    "OrganizationProfile",
    "PoolRole",
    "PoolRoleKind",
    "Program",
    "ProgramNotListed",
    "ProviderListing",
    "ProviderNotListed",
    "ProviderSuspended",
    "ProviderType",
    "StandardKind",
    "StandardStatus",
    "StandardWork",
    "SubsidyCategory",
    "TrainingBase",
    "TrainingBrand",
    "TrainingKind",
    "bases_count",
    "examiner_for",
    "profile_of",
    "program_get",
    "program_is_listed",
    "program_require_listed",
    "programs_for_provider",
    "provider_offers_program",
    "provider_is_listed_for",
    "provider_is_suspended",
    "provider_require_listed_for",
    "provider_state_on",
    "persons_merged",
    "register_person_resolver",
    "review_queue",
    "roles_of_person",
    "teacher_for_provider",
    "teachers_of",
]


# ---- for subsidies' one-off grants to bases and studios (一次性补助) -------------------------------------------------

# The kinds a one-off grant may go to (clusters plan: 国家级高技能人才培养基地、技能大师工作室给予一次性补助).
GRANT_BASE_KINDS = (BaseKind.HIGH_SKILL, BaseKind.MASTER_STUDIO)


def base_get(base_id: Any) -> TrainingBase | None:
    """The base or studio with its host organization, or None (a malformed id is None too)."""
    from jineng.common.ids import uuid_or_none

    pk = uuid_or_none(base_id)
    if pk is None:
        return None
    found: TrainingBase | None = TrainingBase.objects.select_related("host__organization").filter(pk=pk).first()
    return found


def bases_for_grant(region_codes: Any = None) -> Any:
    """The high-skill bases and master studios not revoked, optionally only in ``region_codes`` — the grant form's
    choices. A queryset of ``TrainingBase``."""
    qs = TrainingBase.objects.filter(kind__in=GRANT_BASE_KINDS, revoked_year__isnull=True)
    if region_codes is not None:
        qs = qs.filter(region_id__in=region_codes)
    return qs.order_by("kind", "level", "name")


__all__ += ["GRANT_BASE_KINDS", "base_get", "bases_for_grant"]


# ---- for the public portal (信息公开, ADR 0029) -----------------------------------------------------------------------


def public_bases(*, q: str = "", region: str = "", kind: str = "", level: str = "", as_of_year: int) -> Any:
    """信息公开 — the bases and studios approved by ``as_of_year`` and not revoked by then (a revoked base comes
    down), filtered by name or host (``q``), region subtree, kind and level. A queryset of ``TrainingBase``; the
    studio master (a person) is not part of what the portal shows."""
    from django.db.models import Q

    from jineng.refdata.api import region_subtree

    qs = TrainingBase.objects.filter(approval_year__lte=as_of_year).filter(
        Q(revoked_year__isnull=True) | Q(revoked_year__gt=as_of_year)
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(host_name__icontains=q))
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    return qs.select_related("region").order_by("region_id", "kind", "level", "name")


from jineng.providers.selectors import public_evaluators, public_programs, public_providers  # noqa: E402

__all__ += ["public_bases", "public_evaluators", "public_programs", "public_providers"]
# ---- for supervision's sanction ladder (处罚: 移出目录 through the catalog's own exit service; the sanctions hook) ---


def listing_exit_for_sanction(*, actor: Any, organization_id: Any, reason: str, document_number: str = "") -> bool:
    """移出目录 — the organization's listing (listed or suspended) is exited by the catalog's own service
    (``listing_exit``: ``catalog.approve`` over its region, a public ``ListingEvent``). Answers False when it has no
    listing to exit (never listed, or exited already)."""
    from jineng.providers.models import ListingStatus
    from jineng.providers.services.catalog import listing_exit

    listing = ProviderListing.objects.filter(
        profile__organization_id=organization_id, status__in=[ListingStatus.LISTED, ListingStatus.SUSPENDED]
    ).first()
    if listing is None:
        return False
    listing_exit(actor=actor, listing=listing, reason=reason, document_number=document_number)
    return True


__all__ += [
    "OrganizationSanctioned",
    "SANCTION_CLAIM",
    "SANCTION_CLASS",
    "SANCTION_LISTING",
    "listing_exit_for_sanction",
    "register_organization_panel",
    "register_sanction_check",
    "register_sanction_marks",
    "require_not_sanctioned",
    "sanction_marks",
    "sanction_refusal",
]


def listed_resources(*, q: str = "", on: dt.date | None = None) -> Any:
    """数字培训资源 on offer: not retired, with a listing in force (在目录) on ``on`` (today); searched by title, code,
    occupation code or name and the platform's name. A queryset of ``DigitalResource`` (learning lists and rates
    them)."""
    from django.db.models import Q
    from django.utils import timezone

    from jineng.providers.models import CatalogListing, CatalogListingStatus, DigitalResource

    day = on or timezone.localdate()
    listed = CatalogListing.objects.filter(resource__isnull=False, status=CatalogListingStatus.LISTED,
                                           valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)).values("resource_id")  # fmt: skip
    qs = DigitalResource.objects.filter(retired_at__isnull=True, pk__in=listed)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q) | Q(occupation__code__startswith=q)
                       | Q(occupation__name__icontains=q) | Q(platform__organization__name__icontains=q))  # fmt: skip
    return qs.select_related("platform__organization", "occupation", "level").order_by("title", "code")


__all__ += ["listed_resources"]
