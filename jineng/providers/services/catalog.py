"""培训机构目录 — the provider catalog's state machine, in services.

Application: ``draft → submitted → city_passed → approved`` (or ``rejected`` at either step, or ``withdrawn`` by
the provider before a decision). The city (``catalog.review``) reviews, the province (``catalog.approve``)
approves; whoever reviewed or filed an application may not approve it. Approval lists the provider (or renews the
listing, or widens its scope) for a validity period. A listing is then ``listed → suspended → listed`` (停业整顿 and
恢复) and ends ``exited`` (移出目录, or 主动退出 by the provider). Every decision is a public ``ListingEvent`` with
its effective date, reason and decider, and an audit entry in the same transaction. Transitions lock the row
(``select_for_update``) and check the state they start from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor, OrganizationKind, User, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, PermissionDenied, ValidationFailed, invalid
from jineng.providers.errors import TransitionRefused
from jineng.providers.events import Event
from jineng.providers.models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationKind,
    ApplicationScope,
    ApplicationStatus,
    LicenceItem,
    ListingEvent,
    ListingEventKind,
    ListingScope,
    ListingStatus,
    OrganizationProfile,
    ProviderApplication,
    ProviderListing,
    TrainingKind,
)
from jineng.providers.sanctions import LISTING, require_not_sanctioned
from jineng.providers.selectors import listing_state_on
from jineng.providers.services.support import (
    level_or_none,
    occupation_or_error,
    raise_if,
    require_org_or_catalog,
    status_set,
)
from jineng.providers.settings_specs import CITY_REVIEW_WORKDAYS, LISTING_YEARS, PROVINCE_APPROVAL_WORKDAYS
from jineng.refdata.api import add_workdays, setting_value


@dataclass(frozen=True)
class ScopeInput:
    """One row of a requested scope: occupation code (``4-04-05-01``), level code (``grade4``; empty = every
    level) and training kind (``employment`` …)."""

    occupation: str
    level: str
    training_kind: str


@dataclass(frozen=True)
class CleanScope:
    occupation: Any
    level: Any
    training_kind: str

    @property
    def key(self) -> tuple[Any, Any, str]:
        return (getattr(self.occupation, "pk", None), getattr(self.level, "pk", None), self.training_kind)


def _today() -> dt.date:
    return timezone.localdate()


def _clean_scope(items: list[ScopeInput]) -> list[CleanScope]:
    errors: list[FieldError] = []
    rows: list[CleanScope] = []
    seen: set[tuple[Any, Any, str]] = set()
    if not items:
        errors.append(FieldError("scope", "required", "请至少填写一项培训范围（职业 × 等级 × 培训类型）。"))
    for i, item in enumerate(items):
        prefix = f"scope[{i}]"
        kind = (item.training_kind or "").strip()
        if kind not in TrainingKind.values:
            errors.append(FieldError(f"{prefix}.training_kind", "bad_choice", f"培训类型不正确：{kind!r}"))
            continue
        occupation = None
        try:
            if (item.occupation or "").strip():
                occupation = occupation_or_error(item.occupation, f"{prefix}.occupation")
            elif kind != TrainingKind.ENTREPRENEURSHIP:
                errors.append(FieldError(f"{prefix}.occupation", "required", "请填写职业（工种）代码。"))
                continue
            level = level_or_none(item.level, f"{prefix}.level")
        except ValidationFailed as exc:
            errors.extend(exc.fields)
            continue
        row = CleanScope(occupation, level, kind)
        if row.key in seen:
            errors.append(FieldError(prefix, "duplicate", "培训范围重复。"))
        seen.add(row.key)
        rows.append(row)
    raise_if(errors, "培训范围不正确。")
    return rows


def licence_problems(profile: OrganizationProfile, scope: list[CleanScope], on: dt.date) -> list[FieldError]:
    """Why ``scope`` cannot be listed under the provider's 办学许可证 on ``on`` (empty when it can)."""
    if not profile.needs_licence:
        return []
    if not profile.licence_number:
        return [FieldError("licence_number", "licence_required", "该类机构须持有办学许可证，请先登记许可证信息。")]
    if profile.licence_valid_until is None or profile.licence_valid_until < on:
        return [
            FieldError(
                "licence_valid_until",
                "licence_expired",
                f"办学许可证已于 {profile.licence_valid_until} 过期，请先办理许可证延续。",
            )
        ]
    if profile.licence_valid_from and profile.licence_valid_from > on:
        return [FieldError("licence_valid_from", "licence_not_yet_valid", "办学许可证尚未生效。")]
    licensed = {
        item.occupation_id: item.max_level
        for item in LicenceItem.objects.filter(profile=profile, removed_at__isnull=True).select_related("max_level")
    }
    errors = []
    for i, row in enumerate(scope):
        if row.occupation is None:
            continue
        if row.occupation.pk not in licensed:
            errors.append(
                FieldError(
                    f"scope[{i}].occupation",
                    "scope_outside_licence",
                    f"{row.occupation.code} {row.occupation.name} 不在办学许可证核定的培训职业内。",
                )
            )
            continue
        top = licensed[row.occupation.pk]
        if row.level is not None and top is not None and row.level.rank > top.rank:
            errors.append(
                FieldError(
                    f"scope[{i}].level",
                    "scope_outside_licence",
                    f"{row.occupation.name} 的许可等级最高为 {top.label}，不能申请 {row.level.label}。",
                )
            )
    return errors


def _scope_audit(rows: list[CleanScope]) -> list[list[Any]]:
    return [
        [r.occupation.code if r.occupation else None, r.level.pk if r.level else None, r.training_kind] for r in rows
    ]


def _check_kind_against_listing(profile: OrganizationProfile, kind: str, on: dt.date) -> None:
    listing = ProviderListing.objects.filter(profile=profile).first()
    state = listing_state_on(listing, on).state
    if kind == ApplicationKind.NEW and state in ("listed", "suspended"):
        raise invalid(message="该机构已在目录内：请申请延续或增加培训范围。", field="kind", code="already_listed")
    if kind in (ApplicationKind.RENEWAL, ApplicationKind.EXTENSION) and state not in ("listed", "expired"):
        raise invalid(message="该机构不在目录内（或已暂停、已移出），请申请入目录。", field="kind", code="not_listed")
    if kind == ApplicationKind.EXTENSION and state == "expired":
        raise invalid(message="目录有效期已届满，请申请延续。", field="kind", code="listing_expired")


def application_create(
    *,
    actor: Actor,
    profile: OrganizationProfile,
    kind: str = ApplicationKind.NEW,
    capacity_per_year: int,
    description: str = "",
    scope: list[ScopeInput],
) -> ProviderApplication:
    """A draft application (the provider's staff, or an official filing for it)."""
    org = profile.organization
    require_org_or_catalog(actor, org)
    if org.kind != OrganizationKind.PROVIDER:
        raise invalid(message="只有培训机构可以申请纳入培训机构目录。", field="organization", code="not_a_provider")
    if kind not in ApplicationKind.values:
        raise invalid(message="申请类型不正确。", field="kind", code="bad_choice")
    if capacity_per_year is None or capacity_per_year <= 0:
        raise invalid(message="年培训能力须为正整数。", field="capacity_per_year", code="out_of_range")
    rows = _clean_scope(scope)
    require_not_sanctioned(org.pk, LISTING)
    _check_kind_against_listing(profile, kind, _today())
    if ProviderApplication.objects.filter(profile=profile, status__in=OPEN_APPLICATION_STATUSES).exists():
        raise Conflict("该机构已有未办结的申请，请先完成或撤回。", code="open_application_exists")
    try:
        with transaction.atomic():
            application = ProviderApplication.objects.create(
                profile=profile,
                kind=kind,
                region_id=org.region_id,
                capacity_per_year=capacity_per_year,
                description=(description or "").strip(),
                created_by=actor if isinstance(actor, User) else None,
            )
            _write_scope(application, rows)
            audit_event(
                Event.PROVIDER_APP_CREATE,
                actor=actor,
                object_id=application.pk,
                region_code=application.region_id,
                after={"kind": kind, "capacity_per_year": capacity_per_year, "scope": _scope_audit(rows)},
            )
    except IntegrityError:  # two drafts raced past the check: the partial unique constraint kept one
        raise Conflict("该机构已有未办结的申请，请先完成或撤回。", code="open_application_exists") from None
    return application


def _write_scope(application: ProviderApplication, rows: list[CleanScope]) -> None:
    ApplicationScope.objects.bulk_create(
        [
            ApplicationScope(
                application=application, occupation=r.occupation, level=r.level, training_kind=r.training_kind
            )
            for r in rows
        ]
    )


def _lock(application: ProviderApplication) -> ProviderApplication:
    locked: ProviderApplication = (
        ProviderApplication.objects.select_for_update().select_related("profile__organization").get(pk=application.pk)
    )
    return locked


def _scope_of(application: ProviderApplication) -> list[CleanScope]:
    return [
        CleanScope(s.occupation, s.level, s.training_kind)
        for s in application.scope.select_related("occupation", "level").order_by("pk")
    ]


def application_update(
    *,
    actor: Actor,
    application: ProviderApplication,
    capacity_per_year: int,
    description: str = "",
    scope: list[ScopeInput],
) -> ProviderApplication:
    """Change a draft. ApplicationScope rows of a draft are its working copy and are replaced (not history yet)."""
    require_org_or_catalog(actor, application.profile.organization)
    if capacity_per_year is None or capacity_per_year <= 0:
        raise invalid(message="年培训能力须为正整数。", field="capacity_per_year", code="out_of_range")
    rows = _clean_scope(scope)
    with transaction.atomic():
        locked = _lock(application)
        if locked.status != ApplicationStatus.DRAFT:
            raise TransitionRefused("只有草稿状态的申请可以修改。", code="application_not_draft")
        before = {"capacity_per_year": locked.capacity_per_year, "scope": _scope_audit(_scope_of(locked))}
        locked.capacity_per_year = capacity_per_year
        locked.description = (description or "").strip()
        locked.save(update_fields=["capacity_per_year", "description", "updated_at"])
        # A draft's scope is its working copy, not yet history: replaced outright. Decided scopes are never deleted.
        ApplicationScope.objects.filter(application=locked).delete()
        _write_scope(locked, rows)
        audit_event(
            Event.PROVIDER_APP_UPDATE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            before=before,
            after={"capacity_per_year": capacity_per_year, "scope": _scope_audit(rows)},
        )
    return locked


def application_submit(*, actor: Actor, application: ProviderApplication) -> ProviderApplication:
    """提交 — draft → submitted; the licence is checked now, and the city's review deadline set."""
    require_org_or_catalog(actor, application.profile.organization)
    today = _today()
    with transaction.atomic():
        locked = _lock(application)
        if locked.status != ApplicationStatus.DRAFT:
            raise TransitionRefused("只有草稿状态的申请可以提交。", code="application_not_draft")
        rows = _scope_of(locked)
        if not rows:
            raise invalid(message="请至少填写一项培训范围。", field="scope", code="required")
        require_not_sanctioned(locked.profile.organization_id, LISTING, today)
        _check_kind_against_listing(locked.profile, locked.kind, today)
        raise_if(licence_problems(locked.profile, rows, today), "培训范围超出办学许可证，或许可证无效。")
        days = setting_value(CITY_REVIEW_WORKDAYS, locked.region_id, today)
        locked.status = ApplicationStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor if isinstance(actor, User) else None
        locked.review_due = add_workdays(today, int(days), locked.region_id)
        locked.save(update_fields=["status", "submitted_at", "submitted_by", "review_due", "updated_at"])
        audit_event(
            Event.PROVIDER_APP_SUBMIT,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            before={"status": ApplicationStatus.DRAFT},
            after={"status": locked.status, "review_due": locked.review_due},
        )
    return locked


def application_withdraw(*, actor: Actor, application: ProviderApplication, reason: str = "") -> ProviderApplication:
    """撤回 — the provider takes back an application before the province decides."""
    require_org_or_catalog(actor, application.profile.organization)
    with transaction.atomic():
        locked = _lock(application)
        if locked.status not in OPEN_APPLICATION_STATUSES:
            raise TransitionRefused("已办结的申请不能撤回。", code="application_closed")
        status_set(locked, ApplicationStatus.WITHDRAWN, Event.PROVIDER_APP_WITHDRAW, actor=actor, reason=reason)
    return locked


def _same_person(actor: Actor, user_id: Any) -> bool:
    return user_id is not None and getattr(actor, "pk", None) == user_id


def application_review(
    *, actor: Actor, application: ProviderApplication, passed: bool, opinion: str = ""
) -> ProviderApplication:
    """市级审核 — submitted → city_passed (or rejected, with the reasons)."""
    require(actor, "catalog.review", region_code=application.region_id)
    opinion = (opinion or "").strip()
    if not passed and not opinion:
        raise invalid(message="不通过时须填写审核意见。", field="opinion", code="required")
    with transaction.atomic():
        locked = _lock(application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise TransitionRefused(
                f"该申请当前为“{locked.get_status_display()}”，不能进行市级审核。", code="application_not_submitted"
            )
        if _same_person(actor, locked.submitted_by_id):
            raise PermissionDenied("提交申请的人员不能审核本申请。", code="reviewer_is_submitter")
        today = _today()
        locked.status = ApplicationStatus.CITY_PASSED if passed else ApplicationStatus.REJECTED
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = actor if isinstance(actor, User) else None
        locked.review_opinion = opinion
        if passed:
            days = setting_value(PROVINCE_APPROVAL_WORKDAYS, locked.region_id, today)
            locked.approval_due = add_workdays(today, int(days), locked.region_id)
        locked.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "review_opinion", "approval_due", "updated_at"]
        )
        audit_event(
            Event.PROVIDER_APP_REVIEW,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            before={"status": ApplicationStatus.SUBMITTED},
            after={"status": locked.status, "approval_due": locked.approval_due},
            reason=opinion,
        )
    return locked


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def application_decide(
    *,
    actor: Actor,
    application: ProviderApplication,
    approved: bool,
    opinion: str = "",
    document_number: str = "",
) -> ProviderApplication:
    """省级审批 — city_passed → approved (listing, renewing or widening the scope) or rejected.

    The approver must be neither the city reviewer nor the submitter. The licence is checked again on the day of
    approval, and the listing's validity ends no later than the licence's.
    """
    require(actor, "catalog.approve", region_code=application.region_id)
    opinion = (opinion or "").strip()
    if not approved and not opinion:
        raise invalid(message="不批准时须填写审批意见。", field="opinion", code="required")
    today = _today()
    with transaction.atomic():
        locked = _lock(application)
        if locked.status != ApplicationStatus.CITY_PASSED:
            raise TransitionRefused(
                f"该申请当前为“{locked.get_status_display()}”，须先经市级审核通过才能审批。",
                code="application_not_reviewed",
            )
        if _same_person(actor, locked.reviewed_by_id) or _same_person(actor, locked.submitted_by_id):
            raise PermissionDenied("审核或提交本申请的人员不能审批本申请。", code="approver_is_reviewer")
        locked.decided_at = timezone.now()
        locked.decided_by = actor if isinstance(actor, User) else None
        locked.decision_opinion = opinion
        if not approved:
            locked.status = ApplicationStatus.REJECTED
        else:
            rows = _scope_of(locked)
            require_not_sanctioned(locked.profile.organization_id, LISTING, today)
            raise_if(licence_problems(locked.profile, rows, today), "培训范围超出办学许可证，或许可证无效。")
            locked.listing = _apply_to_listing(locked, rows, actor, today, document_number)
            locked.status = ApplicationStatus.APPROVED
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_opinion", "listing", "updated_at"])
        audit_event(
            Event.PROVIDER_APP_DECIDE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            before={"status": ApplicationStatus.CITY_PASSED},
            after={
                "status": locked.status,
                "listing": str(locked.listing_id) if locked.listing_id else None,
                "document_number": document_number,
            },
            reason=opinion,
        )
    return locked


def _decider_name(actor: Actor) -> str:
    if isinstance(actor, User):
        return actor.display_name or actor.username
    return str(actor or "system")


def _deciding_office(actor: Actor, region_code: str, permission: str) -> str | None:
    """The region of the grant the decision was taken under (the office), for the public history."""
    from jineng.accounts.api import principal_for
    from jineng.refdata.api import region_is_within

    for code in principal_for(actor).regions_with(permission):
        if region_is_within(region_code, code):
            return code
    return None


def _apply_to_listing(
    application: ProviderApplication, rows: list[CleanScope], actor: Actor, today: dt.date, document_number: str
) -> ProviderListing:
    profile = application.profile
    years = int(setting_value(LISTING_YEARS, application.region_id, today))
    listing = ProviderListing.objects.select_for_update().filter(profile=profile).first()
    kind = application.kind
    event_kind = {
        ApplicationKind.NEW: ListingEventKind.LISTED,
        ApplicationKind.RENEWAL: ListingEventKind.RENEWED,
        ApplicationKind.EXTENSION: ListingEventKind.EXTENDED,
    }[ApplicationKind(kind)]
    state = listing_state_on(listing, today).state
    if kind == ApplicationKind.NEW and state in ("listed", "suspended"):
        raise TransitionRefused("该机构已在目录内。", code="already_listed")
    if kind != ApplicationKind.NEW and (listing is None or state not in ("listed", "expired")):
        raise TransitionRefused("该机构不在目录内（或已暂停、已移出）。", code="not_listed")
    if kind == ApplicationKind.EXTENSION and state == "expired":
        raise TransitionRefused("目录有效期已届满，请申请延续。", code="listing_expired")

    start = today
    if kind == ApplicationKind.RENEWAL and listing is not None and listing.valid_until >= today:
        start = listing.valid_until + dt.timedelta(days=1)  # a renewal continues the current period
    until = _add_years(start, years) - dt.timedelta(days=1)
    if profile.needs_licence and profile.licence_valid_until and profile.licence_valid_until < until:
        until = profile.licence_valid_until
    if until < start:
        raise TransitionRefused("办学许可证在新有效期开始前到期，不能延续。", code="licence_expires_first")

    if listing is None:
        listing = ProviderListing.objects.create(
            profile=profile,
            region_id=application.region_id,
            status=ListingStatus.LISTED,
            valid_from=start,
            valid_until=until,
            capacity_per_year=application.capacity_per_year,
        )
    else:
        if kind == ApplicationKind.NEW:
            listing.valid_from = start
        if kind != ApplicationKind.EXTENSION:
            listing.valid_until = until
        listing.status = ListingStatus.LISTED
        listing.capacity_per_year = application.capacity_per_year
        listing.region_id = application.region_id
        listing.save(update_fields=["valid_from", "valid_until", "status", "capacity_per_year", "region", "updated_at"])

    effective = today if kind != ApplicationKind.RENEWAL else start
    current = {
        (s.occupation_id, s.level_id, s.training_kind): s
        for s in ListingScope.objects.filter(listing=listing, removed_on__isnull=True)
    }
    wanted = {r.key: r for r in rows}
    if kind != ApplicationKind.EXTENSION:  # a new listing or a renewal replaces the scope from its start
        for key, item in current.items():
            if key not in wanted or kind == ApplicationKind.NEW:
                ListingScope.objects.filter(pk=item.pk).update(removed_on=max(effective, item.added_on))
        if kind == ApplicationKind.NEW:
            current = {}
    ListingScope.objects.bulk_create(
        [
            ListingScope(
                listing=listing,
                application=application,
                occupation=r.occupation,
                level=r.level,
                training_kind=r.training_kind,
                added_on=effective,
            )
            for key, r in wanted.items()
            if key not in current
        ]
    )
    ListingEvent.objects.create(
        listing=listing,
        kind=event_kind,
        effective_date=effective,
        valid_until=until if kind != ApplicationKind.EXTENSION else None,
        reason=application.decision_opinion,
        document_number=(document_number or "").strip()[:60],
        decided_by=actor if isinstance(actor, User) else None,
        decided_by_name=_decider_name(actor),
        deciding_office_id=_deciding_office(actor, application.region_id, "catalog.approve"),
        application=application,
    )
    return listing


# ---- suspension, resumption, exit ------------------------------------------------------------------------------


def _listing_decision(
    *,
    actor: Actor,
    listing: ProviderListing,
    kind: str,
    allowed_from: tuple[str, ...],
    to_status: str,
    reason: str,
    effective_date: dt.date | None,
    document_number: str,
    permission: str,
) -> ProviderListing:
    reason = (reason or "").strip()
    errors: list[FieldError] = []
    if not reason:
        errors.append(FieldError("reason", "required", "请填写原因。"))
    effective = effective_date or _today()
    raise_if(errors, "决定信息不完整。")
    with transaction.atomic():
        locked: ProviderListing = ProviderListing.objects.select_for_update().get(pk=listing.pk)
        if locked.status not in allowed_from:
            raise TransitionRefused(
                f"该机构目录状态为“{locked.get_status_display()}”，不能{ListingEventKind(kind).label}。",
                code="listing_transition_refused",
            )
        if effective < locked.valid_from:
            raise invalid(message="生效日期不能早于入目录日期。", field="effective_date", code="before_listing")
        before = locked.status
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
        event = ListingEvent.objects.create(
            listing=locked,
            kind=kind,
            effective_date=effective,
            reason=reason,
            document_number=(document_number or "").strip()[:60],
            decided_by=actor if isinstance(actor, User) else None,
            decided_by_name=_decider_name(actor),
            deciding_office_id=_deciding_office(actor, locked.region_id, permission) if permission else None,
        )
        audit_event(
            Event(f"provider_listing.{kind}"),
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            before={"status": before},
            after={"status": to_status, "effective_date": effective, "event": str(event.pk)},
            reason=reason,
        )
    return locked


def _require_listing_official(actor: Actor, listing: ProviderListing, permissions: tuple[str, ...]) -> str:
    for permission in permissions:
        try:
            require(actor, permission, region_code=listing.region_id)
            return permission
        except PermissionDenied:
            continue
    raise PermissionDenied()


# the officials' decisions on a listing: the permissions that may take it (the first the actor holds names the
# deciding office), the states it starts from and the state it leads to
_OFFICIAL_DECISIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    ListingEventKind.SUSPENDED: (
        ("catalog.review", "catalog.approve"),
        (ListingStatus.LISTED,),
        ListingStatus.SUSPENDED,
    ),
    ListingEventKind.RESUMED: (("catalog.review", "catalog.approve"), (ListingStatus.SUSPENDED,), ListingStatus.LISTED),
    ListingEventKind.EXITED: (
        ("catalog.approve",),
        (ListingStatus.LISTED, ListingStatus.SUSPENDED),
        ListingStatus.EXITED,
    ),
}


def _official_decision(kind: str, name: str, doc: str) -> Callable[..., ProviderListing]:
    """The service of one official decision on a listing (``_OFFICIAL_DECISIONS``): the first of its permissions the
    actor holds over the listing's region names the deciding office."""
    permissions, allowed_from, to_status = _OFFICIAL_DECISIONS[kind]

    def decide(
        *,
        actor: Actor,
        listing: ProviderListing,
        reason: str,
        effective_date: dt.date | None = None,
        document_number: str = "",
    ) -> ProviderListing:
        permission = _require_listing_official(actor, listing, permissions)
        return _listing_decision(
            actor=actor,
            listing=listing,
            kind=kind,
            allowed_from=allowed_from,
            to_status=to_status,
            reason=reason,
            effective_date=effective_date,
            document_number=document_number,
            permission=permission,
        )

    decide.__name__ = decide.__qualname__ = name
    decide.__doc__ = doc
    return decide


listing_suspend = _official_decision(
    ListingEventKind.SUSPENDED,
    "listing_suspend",
    "暂停（停业整顿）— listed → suspended: the provider may not open subsidized classes from the effective date.",
)
listing_resume = _official_decision(
    ListingEventKind.RESUMED, "listing_resume", "恢复 — suspended → listed, after rectification (整改)."
)
listing_exit = _official_decision(
    ListingEventKind.EXITED,
    "listing_exit",
    "移出目录 — the province removes a listed or suspended provider (sanction ladder step 4).",
)


def listing_withdraw(
    *, actor: Actor, listing: ProviderListing, reason: str, effective_date: dt.date | None = None
) -> ProviderListing:
    """主动退出 — the provider leaves the catalog itself. A suspended provider cannot leave this way: the
    suspension is decided by the department and ends by its decision."""
    require(actor, "org.edit", organization_id=listing.profile.organization_id)
    return _listing_decision(
        actor=actor,
        listing=listing,
        kind=ListingEventKind.WITHDRAWN,
        allowed_from=(ListingStatus.LISTED,),
        to_status=ListingStatus.EXITED,
        reason=reason,
        effective_date=effective_date,
        document_number="",
        permission="",
    )
