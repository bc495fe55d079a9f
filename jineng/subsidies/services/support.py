"""Helpers the subsidy services share: permissions, serial numbers, the person lock, steps, settings, labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, principal_for
from jineng.common.audit.services import audit_event
from jineng.common.serials import serial_reserve
from jineng.refdata.api import CertificateKind, Occupation, SkillLevel, setting_value
from jineng.registry.api import Group
from jineng.subsidies.catalog import COUNTER_LABELS, SubsidyType
from jineng.subsidies.events import Event
from jineng.subsidies.models import Claim, ClaimStep, PersonClaimLock, Serial

REVIEW = "records.review"
VIEW = "records.view"
ORG_EDIT = "org.edit"
PAY = "finance.pay"
REVEAL = "registry.reveal"  # who may see a person's full name or number, with a reason (as the registry's reveal)
LEDGER = "finance.ledger"
POLICY_EDIT = "settings.edit"
OFFICIAL_EDIT = "registry.edit"


def today() -> dt.date:
    return timezone.localdate()


def is_org_staff(actor: Actor, organization_id: Any) -> bool:
    return organization_id is not None and str(organization_id) in {
        str(o) for o in principal_for(actor).orgs_with(ORG_EDIT)
    }


def actor_person_id(actor: Actor) -> Any:
    return principal_for(actor).person_id


def actor_name(actor: Actor) -> str:
    user = actor_user(actor)
    if user is not None:
        return str(user.display_name or user.username)
    return str(actor or "system")


def user_or_none(actor: Actor) -> Any:
    return actor_user(actor)


def next_number(prefix: str) -> str:
    """``<prefix><serial:06d>``; concurrent callers get distinct numbers (common.serials)."""
    return f"{prefix}{serial_reserve(Serial, prefix=prefix):06d}"


def lock_person(person_id: Any) -> None:
    """Lock the person's claims row (created on first use) until the transaction ends: every check of a person's
    limits and the write that follows happen one at a time, in every region."""
    try:
        with transaction.atomic():
            PersonClaimLock.objects.get_or_create(person_id=person_id)
    except IntegrityError:
        pass
    PersonClaimLock.objects.select_for_update().get(person_id=person_id)


def setting_int(key: str, region_code: str, on: dt.date) -> int:
    return int(setting_value(key, region_code, on))


def step_record(
    *,
    claim: Claim,
    step: str,
    actor: Actor,
    outcome: str = "",
    from_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    audit: bool = True,
) -> ClaimStep:
    record = ClaimStep.objects.create(
        claim=claim,
        region_id=claim.region_id,
        step=step,
        outcome=outcome,
        from_status=from_status,
        to_status=claim.status,
        actor=user_or_none(actor),
        actor_name=actor_name(actor),
        at=timezone.now(),
        reason=reason,
        data=data or {},
    )
    if audit:
        audit_event(
            Event(f"claim.{step}"),
            actor=actor,
            object_id=claim.pk,
            region_code=claim.region_id,
            before={"status": from_status} if from_status else None,
            after={"status": claim.status, "number": claim.number, "outcome": outcome, **(data or {})},
            reason=reason,
        )
    return record


def labels_for(*, occupation: str = "", extra: dict[str, str] | None = None) -> dict[str, str]:
    """Code → Chinese name for the messages of the rules: groups, levels, certificate kinds, subsidy types,
    counters and the occupation of the claim."""
    out: dict[str, str] = {str(k): str(v) for k, v in Group.choices}
    out |= {"women": "妇女", "youth": "青年"}
    out |= {lv.code: lv.label for lv in SkillLevel.objects.all()}
    kinds = {k.code: k.name for k in CertificateKind.objects.all()}
    out |= kinds
    out |= {str(k): str(v) for k, v in SubsidyType.choices}
    out |= {f"kind:{code}": name for code, name in kinds.items()}  # a kind's code may be a subsidy type's too
    out |= COUNTER_LABELS
    if occupation:
        occ = Occupation.objects.filter(code=occupation).order_by("-edition").first()
        if occ is not None:
            out[occupation] = occ.name
    return out | (extra or {})


def reason_required(reason: str, field: str = "reason") -> str:
    from jineng.common.errors import invalid

    text = (reason or "").strip()
    if not text:
        raise invalid(field=field, code="reason_required", message="请填写理由。")
    return text[:2000]
