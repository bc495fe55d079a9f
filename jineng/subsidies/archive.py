"""Subsidies and vouchers on the person's lifelong archive (终身职业技能培训电子档案)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.registry.api import ArchiveEntry, data_name, phrase
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.labels import money
from jineng.subsidies.models import Claim, Voucher

SHOWN = (ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID, ClaimStatus.PAYMENT_FAILED,
         ClaimStatus.CLAWED_BACK, ClaimStatus.PUBLICITY)  # fmt: skip


def claims_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    for c in Claim.objects.filter(person_id__in=person_ids, status__in=SHOWN).order_by("event_date"):
        on = timezone.localdate(c.paid_at) if c.paid_at else c.event_date
        yield ArchiveEntry(
            on=on,
            kind="subsidy",
            title=phrase(_("{subsidy}：{status}"), subsidy=c.get_subsidy_type_display(), status=c.get_status_display()),
            detail=phrase(
                _("{number} {event}；核定 {amount}"),
                number=c.number,
                event=data_name(c.event_label),
                amount=money(c.amount_fen),
            ),  # fmt: skip
            region_code=c.region_id,
            source="subsidies",
            ref=str(c.pk),
        )


def vouchers_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    """Each voucher: issued, and once used where and for what, and the 结算 claim its redemption made (whatever the
    claim's stage: the worker follows it from 已提交 on — the claim itself joins the archive once approved)."""
    rows = list(
        Voucher.objects.filter(person_id__in=person_ids).select_related("issue", "used_organization", "used_program")
    )
    claims = {
        c.event_ref: c for c in Claim.objects.filter(event_kind="voucher", event_ref__in=[str(v.pk) for v in rows])
    }
    for v in rows:
        detail = phrase(
            _("{title}；有效期至 {until}"), title=data_name(v.issue.title), until=v.issue.valid_until.isoformat()
        )
        if v.used_organization is not None and v.used_program is not None:
            detail = phrase(
                _("{title}；在 {org} 用于 {program}，抵 {amount}"), title=data_name(v.issue.title),
                org=data_name(v.used_organization.name), program=data_name(v.used_program.name),
                amount=money(v.value_fen),
            )  # fmt: skip
        claim = claims.get(str(v.pk))
        if claim is not None:
            detail = phrase(_("{detail}；结算申请 {number}：{status}"), detail=detail, number=claim.number,
                            status=claim.get_status_display())  # fmt: skip
        yield ArchiveEntry(
            on=timezone.localdate(v.used_at or v.created_at),
            kind="voucher",
            title=phrase(
                _("职业培训券（{kind}）：{state}"), kind=v.issue.get_kind_display(), state=v.get_state_display()
            ),
            detail=detail,
            region_code=v.region_id,
            source="subsidies",
            ref=str(v.pk),
        )
