"""Helpers the training services share: permissions, settings, serial numbers, clock, transitions, attribution."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, can, principal_for, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import invalid
from jineng.common.serials import serial_reserve
from jineng.refdata.api import Region, setting_value
from jineng.rules import training as rules
from jineng.training.errors import TransitionRefused
from jineng.training.events import Event
from jineng.training.models import ClassStatus, ClassTransition, SerialCounter, TrainingClass

# Permission strings (accounts.roles): provider staff manage their organization's classes through ``org.edit``;
# officials review classes with ``records.review`` and may act on rosters with ``registry.edit`` in their region.
ORG_EDIT = "org.edit"
REVIEW = "records.review"
OFFICIAL_EDIT = "registry.edit"


def now_or(value: dt.datetime | None) -> dt.datetime:
    return value or timezone.now()


def local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def setting(key: str, region_code: str, on: dt.date) -> int:
    return int(setting_value(key, region_code, on))


def is_org_staff(actor: Actor, organization_id: Any) -> bool:
    return str(organization_id) in {str(o) for o in principal_for(actor).orgs_with(ORG_EDIT)}


def require_class_manager(actor: Actor, training_class: TrainingClass) -> None:
    """The provider's staff (``org.edit`` on its organization) or an official with ``registry.edit`` over the
    class's county."""
    if can(actor, ORG_EDIT, organization_id=training_class.organization_id):
        return
    require(actor, OFFICIAL_EDIT, region_code=training_class.region_id)


def require_reviewer(actor: Actor, training_class: TrainingClass) -> None:
    require(actor, REVIEW, region_code=training_class.region_id)


def venue_region(code: str, field: str = "region") -> Region:
    """The venue's county (or a city without counties, 东莞 441900): the class's attribution region."""
    from jineng.refdata.api import region_validate

    region = region_validate(code, field=field)
    if region.level == "county":
        return region
    if region.level == "city" and not Region.objects.filter(parent_id=region.code, valid_to__isnull=True).exists():
        return region
    raise invalid(message="培训场地须填写所在县（市、区）的行政区划代码。", field=field, code="venue_region_not_county")


def next_serial(prefix: str, year: int, count: int = 1) -> int:
    """Reserve ``count`` numbers of a (prefix, year) series under a row lock; returns the first. No duplicates
    under concurrency (common.serials)."""
    return serial_reserve(SerialCounter, count=count, prefix=prefix, year=year)


def class_code(region_code: str, year: int) -> str:
    return f"K{region_code}{year}{next_serial('class-' + region_code, year):05d}"


def transition(
    locked: TrainingClass,
    target: str,
    *,
    actor: Actor,
    now: dt.datetime,
    reason: str = "",
    after: dict[str, Any] | None = None,
) -> None:
    """Move a class (already locked by the caller with select_for_update) to ``target``: check the state machine,
    timestamp, keep the transition, write the audit entry — all in the caller's transaction."""
    source = locked.status
    if not rules.may_transition(source, target):
        raise TransitionRefused(
            f"培训班当前状态为“{ClassStatus(source).label}”，不能变更为“{ClassStatus(target).label}”。",
            code="transition_refused",
        )
    locked.status = target
    locked.status_changed_at = now
    ClassTransition.objects.create(
        training_class=locked,
        region_id=locked.region_id,
        organization_id=locked.organization_id,
        source=source,
        target=target,
        at=now,
        actor=actor_user(actor),
        actor_name=getattr(actor, "username", "") or str(actor or "system"),
        reason=reason,
    )
    audit_event(
        Event(f"class.{target}"),
        actor=actor,
        object_id=locked.pk,
        region_code=locked.region_id,
        before={"status": source},
        after={"status": target, **(after or {})},
        reason=reason,
    )


def lock_class(training_class: TrainingClass | Any) -> TrainingClass:
    pk = getattr(training_class, "pk", training_class)
    locked: TrainingClass = TrainingClass.objects.select_for_update().get(pk=pk)
    return locked
