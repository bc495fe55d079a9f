"""Subsidies and vouchers on the person's lifelong archive (终身职业技能培训电子档案)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from jineng.registry.api import ArchiveEntry
from jineng.rules.subsidy import format_fen
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.models import Claim, Voucher

SHOWN = (ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID, ClaimStatus.PAYMENT_FAILED,
         ClaimStatus.CLAWED_BACK, ClaimStatus.PUBLICITY)  # fmt: skip


def claims_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    for c in Claim.objects.filter(person_id__in=person_ids, status__in=SHOWN).order_by("event_date"):
        on = timezone.localdate(c.paid_at) if c.paid_at else c.event_date
        yield ArchiveEntry(
            on=on,
            kind="subsidy",
            title=f"{c.get_subsidy_type_display()}：{c.get_status_display()}",
            detail=f"{c.number} {c.event_label}；核定 {format_fen(c.amount_fen)}",
            region_code=c.region_id,
            source="subsidies",
            ref=str(c.pk),
        )


def vouchers_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    for v in Voucher.objects.filter(person_id__in=person_ids).select_related("issue"):
        yield ArchiveEntry(
            on=timezone.localdate(v.created_at),
            kind="voucher",
            title=f"职业培训券（{v.issue.get_kind_display()}）：{v.get_state_display()}",
            detail=f"{v.issue.title}；有效期至 {v.issue.valid_until:%Y-%m-%d}",
            region_code=v.region_id,
            source="subsidies",
            ref=str(v.pk),
        )
