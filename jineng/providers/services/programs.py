"""培训项目目录 — programs (occupation × level × training kind, hours, syllabus, delivery, subsidy category,
industry tags), the digital resources of online platforms, and their listing per region with validity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor, User
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, ValidationFailed
from jineng.providers.errors import TransitionRefused
from jineng.providers.events import Event
from jineng.providers.models import (
    CatalogListing,
    CatalogListingStatus,
    DeliveryMode,
    DigitalResource,
    OrganizationProfile,
    Program,
    ProviderType,
    ResourceType,
    SubsidyCategory,
    TrainingKind,
)
from jineng.providers.selectors import provider_state_on
from jineng.providers.services.support import (
    check_period,
    choice,
    level_or_none,
    occupation_or_error,
    raise_if,
    reason_required,
    require_catalog,
    require_org_or_catalog,
    required_text,
    status_set,
    tags_or_error,
)
from jineng.refdata.api import region_validate

MAX_HOURS = 2000  # a sanity bound on one program's 学时, far above any national standard's


@dataclass
class ProgramData:
    code: str
    name: str
    occupation: str  # occupation code; empty only for 创业培训
    level: str  # level code; empty = not graded
    training_kind: str
    hours_theory: int
    hours_practice: int
    delivery: str
    subsidy_category: str
    region: str
    syllabus: str = ""
    industry_tags: list[str] = field(default_factory=list)


def _clean_program(data: ProgramData, *, code_required: bool = True) -> tuple[dict[str, Any], list[Any]]:
    errors: list[FieldError] = []
    code = required_text(data.code, "code", "项目编号", errors, 40) if code_required else ""
    name = required_text(data.name, "name", "项目名称", errors, 200)
    kind = choice(data.training_kind, TrainingKind, "training_kind", "培训类型", errors, required=True)
    delivery = choice(data.delivery, DeliveryMode, "delivery", "培训方式", errors, required=True)
    category = choice(data.subsidy_category, SubsidyCategory, "subsidy_category", "补贴类别", errors, required=True)
    occupation = level = None
    if (data.occupation or "").strip():
        try:
            occupation = occupation_or_error(data.occupation, "occupation")
        except ValidationFailed as exc:
            errors.extend(exc.fields)
    elif kind != TrainingKind.ENTREPRENEURSHIP:
        errors.append(FieldError("occupation", "required", "请填写职业（工种）代码。"))
    try:
        level = level_or_none(data.level, "level")
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    hours = {}
    for key, label in (("hours_theory", "理论学时"), ("hours_practice", "实操学时")):
        value = getattr(data, key)
        if value is None or not isinstance(value, int) or value < 0 or value > MAX_HOURS:
            errors.append(FieldError(key, "out_of_range", f"{label}须为 0–{MAX_HOURS} 的整数。"))
            value = 0
        hours[key] = value
    if not errors and hours["hours_theory"] + hours["hours_practice"] == 0:
        errors.append(FieldError("hours_practice", "no_hours", "理论学时与实操学时不能同时为0。"))
    region = None
    try:
        region = region_validate(data.region)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    tags: list[Any] = []
    try:
        tags = tags_or_error(data.industry_tags)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    raise_if(errors, "培训项目信息不正确。")
    values = {
        "name": name,
        "occupation": occupation,
        "level": level,
        "training_kind": kind,
        "delivery": delivery,
        "subsidy_category": category,
        "syllabus": (data.syllabus or "").strip(),
        "region": region,
        **hours,
    }
    if code_required:
        values["code"] = code
    return values, tags


def _program_audit(program: Program) -> dict[str, Any]:
    return {
        "code": program.code,
        "name": program.name,
        "occupation": program.occupation.code if program.occupation else None,
        "level": program.level_id,
        "training_kind": program.training_kind,
        "hours_theory": program.hours_theory,
        "hours_practice": program.hours_practice,
        "delivery": program.delivery,
        "subsidy_category": program.subsidy_category,
        "region": program.region_id,
    }


def program_create(*, actor: Actor, data: ProgramData) -> Program:
    """A program of the training-needs catalog, defined by the department keeping the catalog in its region."""
    require_catalog(actor, (data.region or "").strip())
    values, tags = _clean_program(data)
    if Program.objects.filter(code=values["code"]).exists():
        raise ValidationFailed(
            "培训项目信息不正确。", [FieldError("code", "duplicate_code", f"项目编号已存在：{values['code']}")]
        )
    try:
        with transaction.atomic():
            program = Program.objects.create(created_by=actor if isinstance(actor, User) else None, **values)
            program.industry_tags.set(tags)
            audit_event(
                Event.PROGRAM_CREATE,
                actor=actor,
                object_id=program.pk,
                region_code=program.region_id,
                after={**_program_audit(program), "industry_tags": [f"{t.taxonomy_id}/{t.code}" for t in tags]},
            )
    except IntegrityError:
        raise ValidationFailed(
            "培训项目信息不正确。", [FieldError("code", "duplicate_code", f"项目编号已存在：{values['code']}")]
        ) from None
    return program


def program_update(*, actor: Actor, program: Program, data: ProgramData) -> Program:
    """Edit a program (its code stays). The region it belongs to may not move out of the editor's reach."""
    require_catalog(actor, program.region_id)
    values, tags = _clean_program(data, code_required=False)
    require_catalog(actor, values["region"].code)
    with transaction.atomic():
        locked: Program = Program.objects.select_for_update().get(pk=program.pk)
        if locked.retired_at is not None:
            raise TransitionRefused("已停用的培训项目不能修改。", code="program_retired")
        before = _program_audit(locked)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save()
        locked.industry_tags.set(tags)
        audit_event(
            Event.PROGRAM_UPDATE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            before=before,
            after=_program_audit(locked),
        )
    return locked


def program_retire(*, actor: Actor, program: Program, reason: str) -> Program:
    """停用 — the program can no longer be listed; its open listings are withdrawn with the same reason."""
    require_catalog(actor, program.region_id)
    reason_required(reason, "请填写停用原因。")
    with transaction.atomic():
        locked: Program = Program.objects.select_for_update().get(pk=program.pk)
        if locked.retired_at is not None:
            raise TransitionRefused("该培训项目已停用。", code="program_retired")
        locked.retired_at = timezone.now()
        locked.save(update_fields=["retired_at", "updated_at"])
        CatalogListing.objects.filter(program=locked, status=CatalogListingStatus.LISTED).update(
            status=CatalogListingStatus.WITHDRAWN,
            withdrawn_at=locked.retired_at,
            withdrawn_by=actor if isinstance(actor, User) else None,
            withdraw_reason=reason.strip(),
        )
        audit_event(
            Event.PROGRAM_RETIRE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id,
            reason=reason,
        )
    return locked


# ---- digital resources of online platforms -------------------------------------------------------------------


@dataclass
class ResourceData:
    code: str
    title: str
    resource_type: str
    occupation: str
    level: str
    training_kind: str
    hours: int
    url: str = ""


def resource_create(*, actor: Actor, platform: OrganizationProfile, data: ResourceData) -> DigitalResource:
    """A course or resource of an online platform (线上培训平台), entered by the platform or by an official."""
    require_org_or_catalog(actor, platform.organization)
    errors: list[FieldError] = []
    if platform.provider_type != ProviderType.ONLINE_PLATFORM:
        errors.append(FieldError("platform", "not_a_platform", "只有线上培训平台可以登记数字培训资源。"))
    code = required_text(data.code, "code", "资源编号", errors, 40)
    title = required_text(data.title, "title", "资源名称", errors, 200)
    rtype = choice(data.resource_type, ResourceType, "resource_type", "资源类型", errors, required=True)
    kind = choice(data.training_kind, TrainingKind, "training_kind", "培训类型", errors, required=True)
    occupation = level = None
    try:
        if (data.occupation or "").strip():
            occupation = occupation_or_error(data.occupation, "occupation")
        elif kind != TrainingKind.ENTREPRENEURSHIP:
            errors.append(FieldError("occupation", "required", "请填写职业（工种）代码。"))
        level = level_or_none(data.level, "level")
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    if not isinstance(data.hours, int) or not 0 < data.hours <= MAX_HOURS:
        errors.append(FieldError("hours", "out_of_range", f"学时须为 1–{MAX_HOURS} 的整数。"))
    if code and DigitalResource.objects.filter(code=code).exists():
        errors.append(FieldError("code", "duplicate_code", f"资源编号已存在：{code}"))
    raise_if(errors, "数字培训资源信息不正确。")
    with transaction.atomic():
        resource = DigitalResource.objects.create(
            platform=platform,
            code=code,
            title=title,
            resource_type=rtype,
            occupation=occupation,
            level=level,
            training_kind=kind,
            hours=data.hours,
            url=(data.url or "").strip(),
            region_id=platform.organization.region_id,
            created_by=actor if isinstance(actor, User) else None,
        )
        audit_event(
            Event.RESOURCE_CREATE,
            actor=actor,
            object_id=resource.pk,
            region_code=resource.region_id,
            after={"code": code, "title": title, "platform": str(platform.pk), "hours": data.hours},
        )
    return resource


# ---- listing per region --------------------------------------------------------------------------------------


def catalog_list(
    *,
    actor: Actor,
    region_code: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    program: Program | None = None,
    resource: DigitalResource | None = None,
    document_number: str = "",
) -> CatalogListing:
    """纳入项目目录 — list a program (or a platform's resource) in a region for a period."""
    require_catalog(actor, (region_code or "").strip())
    errors: list[FieldError] = []
    region = region_validate(region_code)
    if (program is None) == (resource is None):
        errors.append(FieldError("program", "required", "请指定一个培训项目或一项数字培训资源。"))
    item = program or resource
    if item is not None:
        item.refresh_from_db(fields=["retired_at"])
    if item is not None and item.retired_at is not None:
        errors.append(FieldError("program", "retired", "已停用的项目或资源不能纳入目录。"))
    if resource is not None and not provider_state_on(resource.platform, timezone.localdate()).in_force:
        errors.append(FieldError("resource", "platform_not_listed", "该数字资源所属的线上培训平台不在培训机构目录内。"))
    if valid_from is None:
        errors.append(FieldError("valid_from", "required", "请填写有效期起始日期。"))
    check_period(valid_from, valid_until, errors)
    raise_if(errors, "目录信息不正确。")
    try:
        with transaction.atomic():
            listing = CatalogListing.objects.create(
                program=program,
                resource=resource,
                region=region,
                valid_from=valid_from,
                valid_until=valid_until,
                document_number=(document_number or "").strip()[:60],
                listed_by=actor if isinstance(actor, User) else None,
            )
            audit_event(
                Event.CATALOG_LISTING_CREATE,
                actor=actor,
                object_id=listing.pk,
                region_code=region.code,
                after={
                    "program": str(program.pk) if program else None,
                    "resource": str(resource.pk) if resource else None,
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                },
            )
    except IntegrityError:  # the partial unique constraint: already listed in this region
        raise Conflict("该项目已在本地区目录内（请先移出原条目再重新纳入）。", code="already_listed") from None
    return listing


def catalog_withdraw(*, actor: Actor, listing: CatalogListing, reason: str) -> CatalogListing:
    """移出项目目录 — with a reason; the row stays (history)."""
    require_catalog(actor, listing.region_id)
    reason_required(reason, "请填写移出原因。")
    with transaction.atomic():
        locked: CatalogListing = CatalogListing.objects.select_for_update().get(pk=listing.pk)
        if locked.status != CatalogListingStatus.LISTED:
            raise TransitionRefused("该条目已移出目录。", code="listing_withdrawn")
        status_set(
            locked,
            CatalogListingStatus.WITHDRAWN,
            Event.CATALOG_LISTING_WITHDRAW,
            actor=actor,
            reason=reason,
            withdrawn_at=timezone.now(),
            withdrawn_by=actor if isinstance(actor, User) else None,
            withdraw_reason=reason.strip(),
        )
    return locked
