"""The subsidy lists as ``ListSpec``s: the review queues, an applicant's claims, payment batches, voucher issues.

Amounts are exported in yuan (two decimals) as numbers, so a spreadsheet adds them up; ID numbers and bank accounts
stay masked (a claim keeps only the masked ID number; the full account is only in the audited bank file).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import visible
from jineng.common.listing import Column, ListSpec, register_list
from jineng.subsidies.catalog import REVIEW_QUEUES, ClaimStatus
from jineng.subsidies.labels import decision_label
from jineng.subsidies.models import Claim, PaymentBatch, VoucherIssue
from jineng.subsidies.presenters import claim_status
from jineng.subsidies.selectors import own_claims, queue
from jineng.subsidies.services.support import PAY


def yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


_CLAIM_SORTS = {
    "number": ("number",),
    "type": ("subsidy_type",),
    "person": ("person_name",),
    "amount": ("amount_fen",),
    "decision": ("decision",),
    "status": ("status",),
    "review_due": ("review_due",),
    "publicity_end": ("publicity_end",),
    "submitted": ("submitted_at",),
    "created": ("created_at",),
}
_CLAIM_COLUMNS = (
    Column(_("申请编号"), lambda c: c.number),
    Column(_("补贴类型"), lambda c: c.get_subsidy_type_display()),
    Column(_("人员"), lambda c: c.person_name),
    Column(_("证件号码"), lambda c: c.id_number_masked),
    Column(_("申请事项"), lambda c: c.event_label),
    Column(_("核定金额（元）"), lambda c: yuan(c.amount_fen)),
    Column(_("系统判定"), lambda c: decision_label(c.decision)),
    Column(_("状态"), claim_status),
    Column(_("地区"), lambda c: c.region.name),
    Column(_("提交时间"), lambda c: c.submitted_at),
    Column(_("审核期限"), lambda c: c.review_due),
)


def review_queue_of(params: Mapping[str, str]) -> str:
    status = params.get("queue") or ClaimStatus.SUBMITTED
    return status if status in REVIEW_QUEUES else ClaimStatus.SUBMITTED


def _review_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Claim]:
    return queue(user, review_queue_of(params))


CLAIMS_REVIEW = register_list(
    ListSpec(
        name="subsidies.review",
        title=_("补贴审核"),
        filters=("queue",),
        rows=_review_rows,
        sorts=_CLAIM_SORTS,
        default_sort="review_due",
        related=("region",),
        columns=_CLAIM_COLUMNS,
    )
)


def _own_rows(user: Any, params: Mapping[str, str]) -> QuerySet[Claim]:
    qs = own_claims(user)
    return qs.filter(status=params["status"]) if params.get("status") else qs


CLAIMS_MINE = register_list(
    ListSpec(
        name="subsidies.mine",
        title=_("补贴申领"),
        filters=("status",),
        rows=_own_rows,
        sorts=_CLAIM_SORTS,
        default_sort="-created",
        related=("region",),
        columns=_CLAIM_COLUMNS,
        export_permission="org.view",  # an applicant organization exports its own claims (masked)
    )
)


def _batch_rows(user: Any, params: Mapping[str, str]) -> QuerySet[PaymentBatch]:
    qs = visible(PaymentBatch, user, PAY)
    return qs.filter(status=params["status"]) if params.get("status") else qs


PAYMENT_BATCHES = register_list(
    ListSpec(
        name="subsidies.payment_batches",
        title=_("拨付批次"),
        filters=("status",),
        rows=_batch_rows,
        sorts={
            "number": ("number",),
            "region": ("region_id",),
            "lines": ("line_count",),
            "total": ("total_fen",),
            "status": ("status",),
            "created": ("created_at",),
        },
        default_sort="-created",
        related=("region",),
        columns=(
            Column(_("批次号"), lambda b: b.number),
            Column(_("支付地区"), lambda b: b.region.name),
            Column(_("笔数"), lambda b: b.line_count),
            Column(_("合计（元）"), lambda b: yuan(b.total_fen)),
            Column(_("状态"), lambda b: b.get_status_display()),
            Column(_("生成时间"), lambda b: b.created_at),
            Column(_("导出时间"), lambda b: b.exported_at),
            Column(_("备注"), lambda b: b.note),
        ),
    )
)


def _issue_rows(user: Any, params: Mapping[str, str]) -> QuerySet[VoucherIssue]:
    return visible(VoucherIssue, user)


VOUCHER_ISSUES = register_list(
    ListSpec(
        name="subsidies.voucher_issues",
        title=_("培训券发放批次"),
        rows=_issue_rows,
        sorts={
            "title": ("title",),
            "kind": ("kind",),
            "region": ("region_id",),
            "valid_from": ("valid_from",),
            "quantity": ("quantity",),
            "created": ("created_at",),
        },
        default_sort="-created",
        related=("region",),
        columns=(
            Column(_("名称"), lambda i: i.title),
            Column(_("券种"), lambda i: i.get_kind_display()),
            Column(_("地区"), lambda i: i.region.name),
            Column(_("面值（元）"), lambda i: yuan(i.face_value_fen)),
            Column(_("有效期起"), lambda i: i.valid_from),
            Column(_("有效期至"), lambda i: i.valid_until),
            Column(_("数量"), lambda i: i.quantity),
            Column(_("状态"), lambda i: i.get_status_display()),
        ),
    )
)
