"""What other apps may use of subsidies.

- ``Claim``, ``ClaimStatus``, ``SubsidyType``, ``LIVE_STATUSES`` — for foreign keys and counting (indicators count
  paid claims by their attributed region, always through ``accounts.api.visible``);
- ``paid_claims(region_code, year)`` — claims paid in a year, attributed within a region's subtree;
- ``REVIEW_QUEUES``, ``queue(user, status)``, ``claims_visible(user, permission)`` — the review queues and the claims a
  user may see (the site shell's to-do list);
- Claims are returned as models and querysets: indicators count and filter them further; nothing writes through
  them.
- ``register_certificate_reader(reader)`` — the composition root hands subsidies the certificates' facts (the two
  apps are siblings, ADR 0007): ``reader(certificate_ids, person_ids)`` → ``certificates.data.CertificateFacts``
  (``certificates.api.certificate_facts``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from jineng.refdata.api import region_subtree
from jineng.subsidies.catalog import LIVE_STATUSES, REVIEW_QUEUES, ClaimStatus, FundSource, SubsidyType
from jineng.subsidies.facts import CertificateRecord, register_certificate_reader
from jineng.subsidies.models import Claim, PaymentLine
from jineng.subsidies.selectors import claims_visible, queue


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


def changed_enrollment_cells(since: dt.datetime) -> set[tuple[str, int]]:
    """(region, year) cells whose subsidized figures may have moved: training-kind enrollment claims changed since
    ``since`` (approved, clawed back, rejected …), at the claim's region (the class's county) and event year."""
    rows = Claim.objects.filter(
        event_kind="enrollment", subsidy_type__in=INDICATOR_SUBSIDY_TYPES, updated_at__gte=since
    ).values_list("region_id", "event_date")
    return {(region, event_date.year) for region, event_date in rows}


def claim_get(claim_id: Any) -> Claim | None:
    claim: Claim | None = Claim.objects.filter(pk=claim_id).first()
    return claim


__all__ = [
    "LIVE_STATUSES",
    "REVIEW_QUEUES",
    "CertificateRecord",
    "Claim",
    "ClaimStatus",
    "FundSource",
    "PaymentLine",
    "SubsidyType",
    "approved_enrollment_ids",
    "changed_enrollment_cells",
    "claim_get",
    "claims_visible",
    "paid_claims",
    "queue",
    "register_certificate_reader",
]
