"""基地与工作室 — 公共实训基地, 高技能人才培训基地, 技能大师工作室, 职业技能竞赛集训基地, 产教融合实训基地: their
level, approval year, region and host. The plan indicators count them (``selectors.bases_count``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor, User, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, ValidationFailed, invalid
from jineng.providers.errors import TransitionRefused
from jineng.providers.events import Event
from jineng.providers.models import BaseKind, BaseLevel, OrganizationProfile, TrainingBase
from jineng.providers.people import person_get
from jineng.providers.services.support import (
    change_save,
    choice,
    known_region,
    occupation_or_error,
    raise_if,
    reason_required,
    require_catalog,
    required_text,
)
from jineng.refdata.api import region_validate

FIRST_YEAR = 1978  # before the first bases of the sources; earlier years are typing errors


@dataclass
class BaseData:
    kind: str
    name: str
    level: str
    approval_year: int | None
    region: str
    host_name: str = ""
    approval_document: str = ""
    occupations: list[str] = field(default_factory=list)


def base_create(
    *,
    actor: Actor,
    data: BaseData,
    host: OrganizationProfile | None = None,
    master: Any = None,
) -> TrainingBase:
    """登记基地或工作室. A 市级 one is the city's to enter; 省级 and 国家级 ones need ``catalog.approve``."""
    region_code = (data.region or "").strip()
    errors: list[FieldError] = []
    level = choice(data.level, BaseLevel, "level", "级别", errors, required=True)
    known_region(region_code)
    if level in (BaseLevel.NATIONAL, BaseLevel.PROVINCIAL):
        require(actor, "catalog.approve", region_code=region_code)
    else:
        require_catalog(actor, region_code)
    kind = choice(data.kind, BaseKind, "kind", "类别", errors, required=True)
    name = required_text(data.name, "name", "名称", errors, 200)
    this_year = timezone.localdate().year
    if data.approval_year is None or not FIRST_YEAR <= data.approval_year <= this_year:
        errors.append(FieldError("approval_year", "out_of_range", f"批准年度须在 {FIRST_YEAR}–{this_year} 之间。"))
    region = None
    try:
        region = region_validate(region_code)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    host_name = (data.host_name or "").strip() or (host.organization.name if host else "")
    if not host_name:
        errors.append(FieldError("host_name", "required", "请填写依托单位。"))
    if master is not None:
        try:
            master = person_get(getattr(master, "pk", master), "master")
        except ValidationFailed as exc:
            errors.extend(exc.fields)
    if master is not None and kind != BaseKind.MASTER_STUDIO:
        errors.append(FieldError("master", "not_a_studio", "只有技能大师工作室登记领办人。"))
    occupations = []
    for i, code in enumerate(c for c in data.occupations if (c or "").strip()):
        try:
            occupations.append(occupation_or_error(code, f"occupations[{i}]"))
        except ValidationFailed as exc:
            errors.extend(exc.fields)
    raise_if(errors, "基地信息不正确。")
    assert region is not None and data.approval_year is not None
    try:
        with transaction.atomic():
            base = TrainingBase.objects.create(
                kind=kind,
                name=name,
                level=level,
                approval_year=data.approval_year,
                approval_document=(data.approval_document or "").strip()[:100],
                region=region,
                host=host,
                host_name=host_name[:200],
                master=master,
                created_by=actor if isinstance(actor, User) else None,
            )
            base.occupations.set(occupations)
            audit_event(
                Event.TRAINING_BASE_CREATE,
                actor=actor,
                object_id=base.pk,
                region_code=base.region_id,
                after={"kind": kind, "name": name, "level": level, "approval_year": data.approval_year},
            )
    except IntegrityError:
        raise Conflict("同一地区已有同名、同类、同级的基地。", code="duplicate_base") from None
    return base


def base_revoke(*, actor: Actor, base: TrainingBase, year: int, reason: str) -> TrainingBase:
    """撤销 — from ``year`` on the base is no longer counted (it still counts in the years before)."""
    if base.level in (BaseLevel.NATIONAL, BaseLevel.PROVINCIAL):
        require(actor, "catalog.approve", region_code=base.region_id)
    else:
        require_catalog(actor, base.region_id)
    reason_required(reason, "请填写撤销原因。")
    with transaction.atomic():
        locked: TrainingBase = TrainingBase.objects.select_for_update().get(pk=base.pk)
        if locked.revoked_year is not None:
            raise TransitionRefused("该基地已撤销。", code="base_revoked")
        if year < locked.approval_year:
            raise invalid(message="撤销年度不能早于批准年度。", field="year", code="before_approval")
        values = {"revoked_year": year, "revoke_reason": reason.strip()[:300]}
        change_save(
            locked, Event.TRAINING_BASE_REVOKE, values, actor=actor, after={"revoked_year": year}, reason=reason
        )
    return locked
