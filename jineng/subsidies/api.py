"""What other apps may use of subsidies.

- ``Claim``, ``ClaimStatus``, ``SubsidyType``, ``LIVE_STATUSES`` — for foreign keys and counting (indicators count
  paid claims by their attributed region, always through ``accounts.api.visible``);
- ``paid_claims(region_code, year)`` — claims paid in a year, attributed within a region's subtree;
- ``register_certificate_reader(reader)`` — the composition root hands subsidies the certificates' facts (the two
  apps are siblings, ADR 0007): ``reader(certificate_ids, person_ids) → list[facts.CertificateRecord]``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jineng.refdata.api import RegionClosure
from jineng.subsidies.catalog import LIVE_STATUSES, ClaimStatus, FundSource, SubsidyType
from jineng.subsidies.facts import CertificateRecord, register_certificate_reader
from jineng.subsidies.models import Claim, PaymentLine


def paid_claims(region_code: str, year: int) -> QuerySet[Claim]:
    subtree = RegionClosure.objects.filter(ancestor_id=region_code).values("descendant_id")
    return Claim.objects.filter(status=ClaimStatus.PAID, region_id__in=subtree, paid_at__year=year)


def claim_get(claim_id: Any) -> Claim | None:
    claim: Claim | None = Claim.objects.filter(pk=claim_id).first()
    return claim


__all__ = [
    "LIVE_STATUSES",
    "CertificateRecord",
    "Claim",
    "ClaimStatus",
    "FundSource",
    "PaymentLine",
    "SubsidyType",
    "claim_get",
    "paid_claims",
    "register_certificate_reader",
]
