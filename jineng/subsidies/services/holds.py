"""止付 — holding claims' payment while a supervision case behind them is resolved (``subsidies.api``).

Supervision calls these through ``subsidies.api``; it never writes subsidies' tables. A hold is one row per claim and
holder (``ref``); a claim with any open hold is left out of what a payment batch may take and refused by
``batch_create``. Claims already paid are not held (the case's clawback is the subsidies' own workflow)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user
from jineng.common.audit.services import audit_event
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.events import Event
from jineng.subsidies.labels import claim_status_label
from jineng.subsidies.models import Claim, ClaimHold, RecoveryOrder, RecoveryStatus

# What may still be paid: a hold on a claim past these is meaningless (paid, refused, withdrawn …).
HOLDABLE = (
    ClaimStatus.SUBMITTED,
    ClaimStatus.ACCEPTED,
    ClaimStatus.FIRST_PASSED,
    ClaimStatus.PUBLICITY,
    ClaimStatus.APPROVED,
    ClaimStatus.PAYMENT_FAILED,
    ClaimStatus.RETURNED,
)


def claims_hold(*, actor: Actor, claim_ids: Iterable[Any], ref: str, reason: str) -> list[str]:
    """Put the payable claims among ``claim_ids`` on hold for ``ref``; answers the ids held (new or already)."""
    ids = list(claim_ids)
    held: list[str] = []
    with transaction.atomic():
        claims = list(Claim.objects.select_for_update().filter(pk__in=ids, status__in=HOLDABLE).order_by("pk"))
        open_ = set(
            ClaimHold.objects.filter(claim__in=claims, ref=ref, released_at__isnull=True).values_list("claim_id",
                                                                                                      flat=True)
        )  # fmt: skip
        now = timezone.now()
        for claim in claims:
            held.append(str(claim.pk))
            if claim.pk in open_:
                continue
            ClaimHold.objects.create(claim=claim, region_id=claim.region_id, ref=ref[:80], reason=reason,
                                     placed_at=now, placed_by=actor_user(actor))  # fmt: skip
            audit_event(Event.CLAIM_HOLD, actor=actor, object_id=claim.pk, region_code=claim.region_id,
                        after={"number": claim.number, "ref": ref}, reason=reason)  # fmt: skip
    return held


def claims_release(*, actor: Actor, ref: str, reason: str) -> int:
    """Release every open hold of ``ref``; answers how many."""
    with transaction.atomic():
        holds = list(ClaimHold.objects.select_for_update().filter(ref=ref, released_at__isnull=True)
                     .select_related("claim"))  # fmt: skip
        now = timezone.now()
        for hold in holds:
            hold.released_at, hold.released_by, hold.release_reason = now, actor_user(actor), reason
            hold.save(update_fields=["released_at", "released_by", "release_reason"])
            audit_event(Event.CLAIM_HOLD_RELEASE, actor=actor, object_id=hold.claim_id, region_code=hold.region_id,
                        after={"number": hold.claim.number, "ref": ref}, reason=reason)  # fmt: skip
    return len(holds)


def claims_on_hold(claim_ids: Iterable[Any]) -> set[str]:
    """Which of ``claim_ids`` have an open hold (by anyone)."""
    return {
        str(pk)
        for pk in ClaimHold.objects.filter(claim_id__in=list(claim_ids), released_at__isnull=True).values_list(
            "claim_id", flat=True
        )
    }


def holds_of(ref: str) -> list[dict[str, Any]]:
    """The claims ``ref`` holds or held (open holds first), each with its number, status and whether the hold is
    released — what a supervision case page lists as its 止付申请."""
    owing = RecoveryOrder.objects.filter(claim=OuterRef("claim_id"), status=RecoveryStatus.OPEN)
    rows = (
        ClaimHold.objects.filter(ref=ref).select_related("claim").annotate(recovering=Exists(owing))
        .order_by("released_at", "claim__number")
    )  # fmt: skip
    return [
        {"claim_id": h.claim_id, "number": h.claim.number, "status": h.claim.status,
         "status_label": claim_status_label(h.claim.status, recovering=h.recovering), "placed_at": h.placed_at,
         "released_at": h.released_at}
        for h in rows[:500]
    ]  # fmt: skip
