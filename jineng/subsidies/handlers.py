"""Handlers of other apps' events — the one place this app reacts to what another app did (ADR 0007 hooks):
the registry's person merge (``persons_merged``).

Registered in ``apps.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jineng.subsidies.models import Claim, Debt, Voucher


def persons_merged(merged_id: Any, survivor_id: Any) -> int:
    """Registry merge handler: the merged record's claims, vouchers and debts now belong to the survivor."""
    with transaction.atomic():
        moved = Claim.objects.filter(person_id=merged_id).update(person_id=survivor_id)
        moved += Voucher.objects.filter(person_id=merged_id).update(person_id=survivor_id)
        moved += Debt.objects.filter(person_id=merged_id).update(person_id=survivor_id)
    return moved
