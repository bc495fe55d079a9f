"""What other apps may use of subsidies.

- ``Claim``, ``ClaimStatus``, ``SubsidyType``, ``LIVE_STATUSES`` — for foreign keys and counting (indicators count
  paid claims by their attributed region, always through ``accounts.api.visible``);
- ``paid_claims(region_code, year)`` — claims paid in a year, attributed within a region's subtree;
- ``subsidized_training_claims()``, ``approved_apprentice_ids()``, ``approved_enrollment_ids()``,
  ``changed_enrollment_cells(since)`` — what the plan indicators count as subsidized training (docs/indicators.md);
- ``REVIEW_QUEUES``, ``queue(user, status)``, ``claims_visible(user, permission)`` — the review queues and the claims a
  user may see (the site shell's to-do list);
- Claims are returned as models and querysets: indicators count and filter them further; nothing writes through
  them.
- ``claims_hold(actor, claim_ids, ref, reason)``, ``claims_release(actor, ref, reason)``, ``claims_on_hold(ids)``, ``holds_of(ref)`` —
  止付: supervision blocks the payment of the claims behind a case confirmed as fraud, and releases them;
- ``recovery_orders_create(actor, claim_ids, ref, reason, due_date, amounts)``, ``recovery_orders_of(ref)``,
  ``claims_paid_among(ids)`` — 追回: supervision orders the clawback of a confirmed case's paid claims (ADR 0027);
  ``RecoveryOrder``, ``recovery_order_decide``, ``recovery_receipt_record``, ``recovery_receipt_confirm`` — the
  second person's steps, for the demo's seeding (pages and API call the services);
- ``register_certificate_reader(reader)`` — the composition root hands subsidies the certificates' facts (the two
  apps are siblings, ADR 0007): ``reader(certificate_ids, person_ids)`` → ``certificates.data.CertificateFacts``
  (``certificates.api.certificate_facts``).
- ``register_shortage_catalog(reader)`` — the labour market (a higher app) hands subsidies its published
  急需紧缺职业目录 from its AppConfig (ADR 0022): ``reader(region_code, on)`` → ``rules.subsidy.ShortageList | None``
  (``labour_market.api.shortage_catalog_in_force``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Q, QuerySet

from jineng.refdata.api import region_subtree
from jineng.subsidies.catalog import (
    LIVE_STATUSES,
    REVIEW_QUEUES,
    ClaimStatus,
    EventKind,
    FundSource,
    SubsidyType,
)
from jineng.subsidies.facts import (
    CertificateRecord,
    apprentices_of_org,
    register_certificate_reader,
    register_shortage_catalog,
)
from jineng.subsidies.models import BatchStatus, Claim, PaymentBatch, PaymentLine, RecoveryOrder
from jineng.subsidies.selectors import claims_visible, hire_offer_refusal, own_claims, queue, vouchers_of_person
from jineng.subsidies.services.advances import advances_due_recovery
from jineng.subsidies.services.hires import hires_of
from jineng.subsidies.services.holds import claims_hold, claims_on_hold, claims_release, holds_of
from jineng.subsidies.services.recovery import recovery_order_decide, recovery_receipt_confirm, recovery_receipt_record
from jineng.training.api import Apprentice, EnrollmentStatus


def paid_claims(region_code: str, year: int) -> QuerySet[Claim]:
    subtree = region_subtree(region_code)
    return Claim.objects.filter(status=ClaimStatus.PAID, region_id__in=subtree, paid_at__year=year)


# Claims that make an enrollment count as subsidized training (补贴性职业技能培训): a training-kind claim that is
# approved, in a payment batch, paid, or approved with a failed payment line being corrected — not clawed back.
INDICATOR_SUBSIDY_TYPES = (SubsidyType.TRAINING, SubsidyType.WORK_FOR_TRAINING)
INDICATOR_STATUSES = (ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID, ClaimStatus.PAYMENT_FAILED)


def _indicator_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(
        event_kind="enrollment", subsidy_type__in=INDICATOR_SUBSIDY_TYPES, status__in=INDICATOR_STATUSES
    )


def approved_enrollment_ids() -> QuerySet[Claim, Any]:
    """Enrollment ids with an approved training-subsidy claim (for the plan indicators): a subquery over the claim's
    typed ``enrollment`` column, so the caller's ``pk__in`` is one join in the database, never a list in Python."""
    return _indicator_claims().filter(enrollment__isnull=False).values("enrollment_id")


# Claims that count as one person-time of subsidized training (补贴性职业技能培训) by themselves, attributed to the
# claim's region and dated by its event: 以工代训 (an employment event), 企业新型学徒制 (one plan year of an apprentice)
# and a redeemed voucher (培训券核销). A training claim of an enrollment counts with its finished enrollment.
EVENT_KINDS_COUNTED_ALONE = {
    SubsidyType.WORK_FOR_TRAINING: EventKind.EMPLOYMENT,
    SubsidyType.APPRENTICESHIP: EventKind.APPRENTICE_YEAR,
    SubsidyType.TRAINING: EventKind.VOUCHER,
}


def _counted_alone() -> Q:
    q = Q(pk__in=[])
    for subsidy_type, event_kind in EVENT_KINDS_COUNTED_ALONE.items():
        q |= Q(subsidy_type=subsidy_type, event_kind=event_kind)
    return q


def subsidized_training_claims() -> QuerySet[Claim]:
    """Claims each counting one person-time of 补贴性职业技能培训: approved (or in payment, paid, being corrected),
    not clawed back, the first claim of its event (an employment-linked tranche is the same training, not another):

    - a training-kind claim (职业培训补贴, 以工代训补贴) of an enrollment, once the enrollment is finished;
    - a 以工代训 claim of an employment, an 企业新型学徒制 claim of an apprentice's plan year, a claim made by a
      redeemed voucher — on their own.

    Each counts for the claim's region (class venue, enterprise, provider) in its event's year (``event_date``)."""
    of_enrollment = Q(
        event_kind=EventKind.ENROLLMENT,
        subsidy_type__in=INDICATOR_SUBSIDY_TYPES,
        enrollment__status=EnrollmentStatus.FINISHED,
    )
    return Claim.objects.filter(of_enrollment | _counted_alone(), status__in=INDICATOR_STATUSES, parent__isnull=True)


def _apprentice_of(event_ref: str) -> uuid.UUID | None:
    head, _sep, _year = str(event_ref).rpartition(":")
    try:
        return uuid.UUID(head)
    except ValueError:
        return None


def approved_apprentice_ids() -> list[uuid.UUID]:
    """Apprentices (企业新型学徒) with an 企业新型学徒制培训补贴 claim approved (or in payment, paid), not clawed back —
    for any plan year. A list: the claim names its apprentice in ``event_ref`` (``<apprentice id>:<year>``), not in
    a typed column, and apprenticeship claims are few (one a year per apprentice)."""
    refs = Claim.objects.filter(
        subsidy_type=SubsidyType.APPRENTICESHIP, status__in=INDICATOR_STATUSES, parent__isnull=True
    ).values_list("event_ref", flat=True)
    return sorted({a for a in (_apprentice_of(r) for r in refs) if a is not None})


def changed_enrollment_cells(since: dt.datetime) -> set[tuple[str, int]]:
    """(region, year) cells whose subsidized figures may have moved: counted kinds of claims changed since ``since``
    (approved, clawed back, rejected …), at the claim's region and event year; for apprenticeship claims also at
    the apprentice's region and the year they joined (the subsidized apprentices are dated by joining)."""
    changed = Claim.objects.filter(
        Q(event_kind=EventKind.ENROLLMENT, subsidy_type__in=INDICATOR_SUBSIDY_TYPES) | _counted_alone(),
        updated_at__gte=since,
    )
    cells: set[tuple[str, int]] = set()
    apprentices: set[uuid.UUID] = set()
    for region, event_date, subsidy_type, ref in changed.values_list(
        "region_id", "event_date", "subsidy_type", "event_ref"
    ):
        cells.add((region, event_date.year))
        if subsidy_type == SubsidyType.APPRENTICESHIP and (apprentice := _apprentice_of(ref)) is not None:
            apprentices.add(apprentice)
    if apprentices:
        rows = Apprentice.objects.filter(pk__in=apprentices).values_list("region_id", "joined_on")
        cells |= {(region, joined.year) for region, joined in rows if joined is not None}
    return cells


def claim_get(claim_id: Any) -> Claim | None:
    claim: Claim | None = Claim.objects.filter(pk=claim_id).first()
    return claim


__all__ = [
    "advances_due_recovery",
    "EventKind",
    "LIVE_STATUSES",
    "REVIEW_QUEUES",
    "BatchStatus",
    "PaymentBatch",
    "apprentices_of_org",
    "hires_of",
    "hire_offer_refusal",
    "CertificateRecord",
    "Claim",
    "ClaimStatus",
    "FundSource",
    "PaymentLine",
    "SubsidyType",
    "approved_apprentice_ids",
    "approved_enrollment_ids",
    "changed_enrollment_cells",
    "claim_get",
    "claims_hold",
    "claims_on_hold",
    "claims_release",
    "claims_visible",
    "holds_of",
    "own_claims",
    "paid_claims",
    "queue",
    "register_certificate_reader",
    "register_shortage_catalog",
    "subsidized_training_claims",
    "vouchers_of_person",
]


def base_grants_paid_fen(region_code: str, year: int) -> int:
    """一次性补助 paid in ``year`` to bases and studios in the region and below (fen)."""
    from jineng.subsidies.services.grants import grants_paid_fen

    return grants_paid_fen(list(region_subtree(region_code).values_list("descendant_id", flat=True)), year)


# ---- for the public portal (信息公开, ADR 0029) -----------------------------------------------------------------------


def published_standards(*, region: str = "", subsidy_type: str = "", q: str = "", on: dt.date) -> Any:
    """补贴标准公开 — the published policy versions in force on ``on``: a region's own and those of the regions above
    it (a province's standard applies in its counties), filtered by subsidy type and title. A queryset of
    ``PolicyVersion``; a draft or discarded version is never public, an expired one comes down."""
    from jineng.refdata.api import region_ancestors
    from jineng.subsidies.models import PolicyStatus, PolicyVersion

    qs = PolicyVersion.objects.filter(status=PolicyStatus.PUBLISHED, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    if region:
        qs = qs.filter(Q(region_id__in=region_subtree(region)) | Q(region_id__in=region_ancestors(region)))
    if subsidy_type:
        qs = qs.filter(subsidy_type=subsidy_type)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.select_related("region").order_by("region_id", "subsidy_type", "-valid_from")


def standard_rows(rules: dict[str, Any]) -> list[dict[str, str]]:
    """A policy version's rules in words (section, rule, detail) — the rules table of the policy page."""
    from jineng.subsidies.policy_table import rule_rows

    return rule_rows(rules)


__all__ += ["published_standards", "standard_rows"]
# ---- for supervision's clawback (追回单, ADR 0027) ------------------------------------------------------------------


def recovery_orders_create(
    *, actor: Any, claim_ids: Any, ref: str, reason: str, due_date: Any, amounts: dict[str, int] | None = None
) -> list[Any]:
    """追回单 — one per paid claim among ``claim_ids`` for the case ``ref`` (amount ≤ paid, due date); a second
    person with ``finance.pay`` approves it in subsidies. Idempotent per claim."""
    from jineng.subsidies.services.recovery import recovery_orders_create as create

    return create(actor=actor, claim_ids=claim_ids, ref=ref, reason=reason, due_date=due_date, amounts=amounts)


def recovery_orders_of(ref: str) -> list[Any]:
    """The recovery orders of a case (``ref``), each with its claim, amount, recovered amount and status."""
    from jineng.subsidies.services.recovery import recovery_orders_of as of

    return of(ref)


def claims_paid_among(claim_ids: Any) -> list[Any]:
    """The claims among ``claim_ids`` that are paid (what a case can claw back)."""
    return list(Claim.objects.filter(pk__in=list(claim_ids), status=ClaimStatus.PAID).order_by("number"))


__all__ += ["RecoveryOrder", "claims_paid_among", "recovery_order_decide", "recovery_orders_create",
            "recovery_orders_of", "recovery_receipt_confirm", "recovery_receipt_record"]  # fmt: skip
