"""师资库 — teacher, examiner, expert and inspector roles of registry persons: qualifications, affiliations with
providers, specialities and the regions an expert or inspector serves.

Officials keeping the catalogs (``catalog.review``/``catalog.approve``) manage every role in their region; a
provider's staff (``org.edit``) add teachers to their own organization and affiliate them with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jineng.accounts.api import Actor, Organization, OrganizationKind, User, principal_for
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, PermissionDenied, ValidationFailed, invalid
from jineng.providers.errors import TeacherNotAvailable, TransitionRefused
from jineng.providers.events import Event
from jineng.providers.models import (
    AffiliationKind,
    OrganizationProfile,
    PoolAffiliation,
    PoolQualification,
    PoolRole,
    PoolRoleKind,
    PoolRoleStatus,
    QualificationKind,
)
from jineng.providers.people import person_get
from jineng.providers.services.support import (
    check_period,
    choice,
    level_or_none,
    occupation_or_error,
    raise_if,
    reason_required,
    require_catalog,
    require_org_or_catalog,
    status_set,
)
from jineng.refdata.api import certificate_kind_validate, region_validate


@dataclass
class RoleData:
    role: str
    region: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    employer_name: str = ""
    title: str = ""
    teacher_qualification: str = ""
    is_integrated: bool = False
    specialities: list[str] = field(default_factory=list)  # occupation codes
    served_regions: list[str] = field(default_factory=list)  # region codes


def _actor_is_staff_of(actor: Actor, organization: Organization | None) -> bool:
    """Whether the actor acts for the organization through an organization grant (not through a superuser's
    reach, which counts as the department's)."""
    if organization is None:
        return False
    return str(organization.pk) in {str(o) for o in principal_for(actor).orgs_with("org.edit")}


def _role_audit(role: PoolRole) -> dict[str, Any]:
    return {
        "person": str(role.person_id),
        "role": role.role,
        "region": role.region_id,
        "organization": str(role.organization_id) if role.organization_id else None,
        "status": role.status,
        "valid_from": role.valid_from,
        "valid_until": role.valid_until,
        "is_integrated": role.is_integrated,
    }


def pool_role_add(*, actor: Actor, person: Any, data: RoleData, organization: Organization | None = None) -> PoolRole:
    """入库 — make a registry person a teacher, examiner, expert or inspector of a region's pool.

    A provider's staff add teachers to their own organization (the role's region is the organization's); examiner,
    expert and inspector roles are the department's to give.
    """
    person = person_get(getattr(person, "pk", person))
    errors: list[FieldError] = []
    role_kind = choice(data.role, PoolRoleKind, "role", "角色", errors, required=True)
    if _actor_is_staff_of(actor, organization) and organization is not None:
        if role_kind != PoolRoleKind.TEACHER:
            raise PermissionDenied("培训机构只能登记本机构的教师；考评员、专家和督导员由人社部门登记。")
        region_code = organization.region_id
    else:
        region_code = (data.region or "").strip()
        require_catalog(actor, region_code)
    try:
        region = region_validate(region_code)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
        region = None
    valid_from = data.valid_from or timezone.localdate()
    check_period(valid_from, data.valid_until, errors)
    specialities = []
    for i, code in enumerate(c for c in data.specialities if (c or "").strip()):
        try:
            specialities.append(occupation_or_error(code, f"specialities[{i}]"))
        except ValidationFailed as exc:
            errors.extend(exc.fields)
    served = []
    for i, code in enumerate(c for c in data.served_regions if (c or "").strip()):
        try:
            served.append(region_validate(code, f"served_regions[{i}]"))
        except ValidationFailed as exc:
            errors.extend(exc.fields)
    if organization is not None and organization.kind == OrganizationKind.EVALUATOR and role_kind == "teacher":
        errors.append(FieldError("role", "bad_choice", "评价机构不能登记教师，请登记考评员。"))
    raise_if(errors, "师资信息不正确。")
    assert region is not None
    try:
        with transaction.atomic():
            role = PoolRole.objects.create(
                person=person,
                role=role_kind,
                region=region,
                organization=organization,
                employer_name=(data.employer_name or (organization.name if organization else "")).strip()[:200],
                title=(data.title or "").strip()[:60],
                teacher_qualification=(data.teacher_qualification or "").strip()[:60],
                is_integrated=bool(data.is_integrated),
                valid_from=valid_from,
                valid_until=data.valid_until,
                created_by=actor if isinstance(actor, User) else None,
            )
            role.specialities.set(specialities)
            role.served_regions.set(served)
            audit_event(
                Event.POOL_ROLE_ADD,
                actor=actor,
                object_id=role.pk,
                region_code=role.region_id,
                after={**_role_audit(role), "specialities": [o.code for o in specialities]},
            )
    except IntegrityError:
        raise Conflict("该人员已是本地区师资库中的同一角色。", code="duplicate_role") from None
    return role


def _require_role_editor(actor: Actor, role: PoolRole) -> None:
    if role.organization is not None and _actor_is_staff_of(actor, role.organization):
        return
    require_catalog(actor, role.region_id)


def pool_role_set_status(*, actor: Actor, role: PoolRole, status: str, reason: str) -> PoolRole:
    """暂停 / 恢复 / 出库 with a reason. A retired role stays retired (a person re-enters with a new role)."""
    if status == PoolRoleStatus.RETIRED:  # a provider may take its own teacher out of the pool
        _require_role_editor(actor, role)
    else:  # suspending and resuming are the department's decisions
        require_catalog(actor, role.region_id)
    if status not in PoolRoleStatus.values:
        raise invalid(message="状态不正确。", field="status", code="bad_choice")
    reason_required(reason, "请填写原因。")
    with transaction.atomic():
        locked: PoolRole = PoolRole.objects.select_for_update().get(pk=role.pk)
        if locked.status == PoolRoleStatus.RETIRED:
            raise TransitionRefused("已出库的人员不能变更状态，请重新入库。", code="role_retired")
        if locked.status == status:
            raise TransitionRefused("状态未变化。", code="no_change")
        status_set(
            locked, status, Event.POOL_ROLE_STATUS, actor=actor, reason=reason, status_reason=reason.strip()[:300]
        )
    return locked


@dataclass
class QualificationData:
    kind: str
    certificate_kind: str = ""
    occupation: str = ""
    level: str = ""
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None


def qualification_add(*, actor: Actor, role: PoolRole, data: QualificationData) -> PoolQualification:
    """A certificate held, a 教师资格, a title — evidence of what the person may teach or examine."""
    _require_role_editor(actor, role)
    errors: list[FieldError] = []
    kind = choice(data.kind, QualificationKind, "kind", "资质类型", errors, required=True)
    certificate_kind = occupation = level = None
    try:
        if (data.certificate_kind or "").strip():
            certificate_kind = certificate_kind_validate(data.certificate_kind)
        if (data.occupation or "").strip():
            occupation = occupation_or_error(data.occupation)
        level = level_or_none(data.level)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    if kind == QualificationKind.CERTIFICATE and occupation is None and not errors:
        errors.append(FieldError("occupation", "required", "职业资格/技能等级证书须填写职业（工种）。"))
    if data.issued_on and data.issued_on > timezone.localdate():
        errors.append(FieldError("issued_on", "in_future", "发证日期不能晚于今天。"))
    raise_if(errors, "资质信息不正确。")
    with transaction.atomic():
        qualification = PoolQualification.objects.create(
            role=role,
            kind=kind,
            certificate_kind=certificate_kind,
            occupation=occupation,
            level=level,
            number=(data.number or "").strip()[:60],
            issuer=(data.issuer or "").strip()[:100],
            issued_on=data.issued_on,
        )
        audit_event(
            Event.POOL_ROLE_QUALIFICATION,
            actor=actor,
            object_id=role.pk,
            region_code=role.region_id,
            after={
                "kind": kind,
                "occupation": occupation.code if occupation else None,
                "level": level.pk if level else None,
                "number": qualification.number,
            },
        )
    return qualification


def affiliation_add(
    *,
    actor: Actor,
    role: PoolRole,
    profile: OrganizationProfile,
    kind: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> PoolAffiliation:
    """任教 — a teacher teaches for a provider (full- or part-time) over a period."""
    require_org_or_catalog(actor, profile.organization)
    errors: list[FieldError] = []
    kind = choice(kind, AffiliationKind, "kind", "聘任方式", errors, required=True)
    if role.role != PoolRoleKind.TEACHER:
        errors.append(FieldError("role", "not_a_teacher", "只有教师角色可以登记任教机构。"))
    if role.status == PoolRoleStatus.RETIRED:
        errors.append(FieldError("role", "role_retired", "该人员已出库。"))
    if profile.organization.kind != OrganizationKind.PROVIDER:
        errors.append(FieldError("profile", "not_a_provider", "任教机构须为培训机构。"))
    start = valid_from or timezone.localdate()
    check_period(start, valid_to, errors)
    raise_if(errors, "任教信息不正确。")
    with transaction.atomic():
        PoolRole.objects.select_for_update().get(pk=role.pk)
        overlapping = PoolAffiliation.objects.filter(role=role, profile=profile).filter(_overlaps(start, valid_to))
        if overlapping.exists():
            raise Conflict("该教师在此期间已登记在本机构任教。", code="duplicate_affiliation")
        affiliation = PoolAffiliation.objects.create(
            role=role, profile=profile, kind=kind, valid_from=start, valid_to=valid_to
        )
        audit_event(
            Event.POOL_ROLE_AFFILIATE,
            actor=actor,
            object_id=role.pk,
            region_code=role.region_id,
            after={"profile": str(profile.pk), "kind": kind, "valid_from": start, "valid_to": valid_to},
        )
    return affiliation


def _overlaps(start: dt.date, end: dt.date | None) -> Q:
    """Periods [valid_from, valid_to] (open-ended when valid_to is null) that overlap [start, end]."""
    q = Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    if end is not None:
        q &= Q(valid_from__lte=end)
    return q


def affiliation_end(*, actor: Actor, affiliation: PoolAffiliation, valid_to: dt.date) -> PoolAffiliation:
    """离职 — end an affiliation on a date (kept as history)."""
    require_org_or_catalog(actor, affiliation.profile.organization)
    with transaction.atomic():
        locked: PoolAffiliation = PoolAffiliation.objects.select_for_update().get(pk=affiliation.pk)
        if valid_to < locked.valid_from:
            raise invalid(message="截止日期不能早于起始日期。", field="valid_to", code="bad_period")
        if locked.valid_to is not None and locked.valid_to <= valid_to:
            raise TransitionRefused("该任教记录已在此日期前结束。", code="affiliation_ended")
        before = locked.valid_to
        locked.valid_to = valid_to
        locked.save(update_fields=["valid_to", "updated_at"])
        audit_event(
            Event.POOL_ROLE_AFFILIATION_END,
            actor=actor,
            object_id=locked.role_id,
            region_code=locked.role.region_id,
            before={"valid_to": before},
            after={"valid_to": valid_to, "profile": str(locked.profile_id)},
        )
    return locked


def teacher_for_provider(role_id: Any, provider: Any, on: dt.date) -> PoolRole:
    """The teacher role, if it may teach for ``provider`` on ``on``: an active teacher of the pool, affiliated with
    the provider on that date. Otherwise 409 ``teacher_not_available`` (with the reason)."""
    from jineng.providers.selectors import profile_of

    role: PoolRole | None = PoolRole.objects.filter(pk=role_id).select_related("person").first() if role_id else None
    if role is None:
        raise ValidationFailed("教师不存在。", [FieldError("teacher", "unknown_teacher", "师资库中没有该教师。")])
    if role.role != PoolRoleKind.TEACHER:
        raise TeacherNotAvailable("该人员在师资库中不是教师角色。", code="not_a_teacher")
    if role.status != PoolRoleStatus.ACTIVE:
        raise TeacherNotAvailable(f"该教师当前状态为“{role.get_status_display()}”。", code="teacher_inactive")
    if role.valid_from > on or (role.valid_until is not None and role.valid_until < on):
        raise TeacherNotAvailable("该教师在该日期不在聘期内。", code="teacher_out_of_term")
    profile = profile_of(provider)
    affiliated = PoolAffiliation.objects.filter(role=role, profile=profile, valid_from__lte=on).filter(
        _overlaps(on, on)
    )
    if profile is None or not affiliated.exists():
        raise TeacherNotAvailable("该教师在该日期未登记在本机构任教。", code="teacher_not_affiliated")
    return role
