"""追回单 — clawing back the paid claims behind a confirmed fraud case (ADR 0027, docs/subsidies.md §追回).

1. ``recovery_orders_create`` — the case official (``supervision.inspect`` over the claim's region) orders, per paid
   claim, an amount (never more than was paid) and a due date; supervision calls it through ``subsidies.api`` with
   the case as ``ref``. A retried order finds the live order of the claim (one per claim) and writes nothing.
2. ``recovery_order_decide`` — a second person with ``finance.pay`` approves (the claim is clawed back: the payee's
   ``Debt`` and the ledger's 追回认定 Dr 应收追回款 / Cr 补贴支出) or rejects with a reason.
3. ``recovery_receipt_record`` — money that came back, by its bank reference (``key``); the same key again answers
   the same receipt. ``recovery_receipt_confirm`` — a person other than the one who recorded it confirms: the ledger's
   追回到账 (Dr 资金存款 / Cr 应收追回款) is posted once; the order is 已追回 when nothing is left.

Every step: one transaction, the order locked, an audit entry; the claim's steps record the clawback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, InvalidState, invalid
from jineng.common.ids import uuid_or_none
from jineng.rules.subsidy import format_fen
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.errors import Code
from jineng.subsidies.events import Event
from jineng.subsidies.models import (
    Claim,
    Debt,
    LineState,
    ReceiptStatus,
    RecoveryOrder,
    RecoveryReceipt,
    RecoveryStatus,
)
from jineng.subsidies.money import forbid_same
from jineng.subsidies.services.payments import claim_clawback, debt_receive
from jineng.subsidies.services.support import PAY, actor_name, next_number, reason_required, today, user_or_none
from jineng.subsidies.settings_specs import FOUR_EYES_RECOVERY

ORDER = "supervision.inspect"  # who orders a recovery: the case official over the claim's region
LIVE = (RecoveryStatus.PENDING, RecoveryStatus.OPEN, RecoveryStatus.RECOVERED)
MAX_DUE_DAYS = 3 * 366
DEFAULT_DUE_DAYS = 30  # the due date of an order started from a claim, an advance or a debt when none is given


def paid_fen(claim: Claim) -> int:
    """What was paid on the claim (its paid payment line), 0 when nothing was."""
    line = claim.payment_lines.filter(state=LineState.PAID).first()
    return int(line.amount_fen) if line is not None else 0


def _due(due_date: Any) -> dt.date:
    if isinstance(due_date, str):
        try:
            due_date = dt.date.fromisoformat(due_date.strip())
        except ValueError:
            raise invalid(field="due_date", code=Code.BAD_DATE, message="追回期限应为日期（YYYY-MM-DD）。") from None
    if not isinstance(due_date, dt.date):
        raise invalid(field="due_date", code=Code.REQUIRED, message="请填写追回期限。")
    if due_date < today() or due_date > today() + dt.timedelta(days=MAX_DUE_DAYS):
        raise invalid(field="due_date", code=Code.BAD_DATE,
                      message=f"追回期限应在今天到 {MAX_DUE_DAYS} 天之内。")  # fmt: skip
    return due_date


def recovery_orders_create(
    *, actor: Actor, claim_ids: Iterable[Any], ref: str, reason: str, due_date: Any,
    amounts: dict[str, int] | None = None, permission: str = ORDER,
) -> list[RecoveryOrder]:  # fmt: skip
    """One order per paid claim among ``claim_ids`` (``amounts``: claim id → fen, the paid amount by default).
    Claims not paid are skipped; a claim with a live order answers that order (never a second one).
    ``permission``: the case official's by default; finance (``finance.pay``) orders from a claim or an advance."""
    reason = reason_required(reason)
    due = _due(due_date)
    ref = (ref or "").strip()[:80]
    if not ref:
        raise invalid(field="ref", code=Code.REQUIRED, message="请注明追回依据（线索）。")
    ids = [pk for pk in (uuid_or_none(c) for c in claim_ids) if pk is not None]
    amounts = {str(k): v for k, v in (amounts or {}).items()}
    orders: list[RecoveryOrder] = []
    with transaction.atomic():
        claims = list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("number"))
        for claim in claims:
            require(actor, permission, region_code=claim.region_id)
        live = {o.claim_id: o for o in RecoveryOrder.objects.filter(claim__in=claims, status__in=LIVE)}
        for claim in claims:
            if claim.pk in live:
                orders.append(live[claim.pk])
                continue
            if claim.status != ClaimStatus.PAID:
                continue
            paid = paid_fen(claim)
            amount = amounts.get(str(claim.pk), paid)
            if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
                raise invalid(field="amount_fen", code=Code.AMOUNT_NOT_POSITIVE,
                              message=f"{claim.number} 的追回金额应为正整数（分）。")  # fmt: skip
            if amount > paid:
                raise invalid(field="amount_fen", code=Code.OVER_RECOVERY,
                              message=f"{claim.number} 的追回金额 {format_fen(amount)} 超过已拨付的 {format_fen(paid)}。")  # fmt: skip
            order = RecoveryOrder.objects.create(
                number=next_number(f"ZH{timezone.now():%Y}"), claim=claim, region_id=claim.region_id, ref=ref,
                amount_fen=amount, paid_fen=paid, due_date=due, reason=reason, requested_by=user_or_none(actor),
                requested_by_name=actor_name(actor),
            )  # fmt: skip
            audit_event(Event.RECOVERY_ORDER_CREATE, actor=actor, object_id=order.pk, region_code=order.region_id,
                        reason=reason, after={"number": order.number, "claim": claim.number, "amount_fen": amount,
                                              "due_date": due, "ref": ref})  # fmt: skip
            orders.append(order)
    return orders


def _lock(order: RecoveryOrder) -> RecoveryOrder:
    locked: RecoveryOrder = RecoveryOrder.objects.select_for_update().select_related("claim").get(pk=order.pk)
    return locked


def recovery_order_decide(*, actor: Actor, order: RecoveryOrder, approve: bool, reason: str = "") -> RecoveryOrder:
    """复核 — a person other than the one who ordered it, with ``finance.pay``: approving claws the claim back
    (``claim_clawback`` with the order's amount); rejecting needs a reason. A retried approval answers the order."""
    require(actor, PAY, region_code=order.region_id)
    if not approve:
        reason = reason_required(reason)
    with transaction.atomic():
        order = _lock(order)
        wanted = RecoveryStatus.OPEN if approve else RecoveryStatus.REJECTED
        if order.status != RecoveryStatus.PENDING:
            if order.status == wanted or (approve and order.status == RecoveryStatus.RECOVERED):
                return order  # a retry of the decision taken
            raise InvalidState(f"追回单状态为“{order.get_status_display()}”，不能再复核。", code=Code.REQUEST_CLOSED)
        forbid_same(actor, [order.requested_by_id], pair_key=FOUR_EYES_RECOVERY, region_code=order.region_id,
                    message="下达追回单的人不能复核该追回单（须由另一人复核）。")  # fmt: skip
        order.status = wanted
        order.decided_by, order.decided_by_name = user_or_none(actor), actor_name(actor)
        order.decided_at = timezone.now()
        order.decision_reason = (reason or "").strip()[:2000]
        if approve:
            order.debt = claim_clawback(actor=actor, claim=order.claim, amount_fen=order.amount_fen,
                                        reason=f"追回单 {order.number}：{order.reason}")  # fmt: skip
        order.save()
        audit_event(Event.RECOVERY_ORDER_APPROVE if approve else Event.RECOVERY_ORDER_REJECT, actor=actor,
                    object_id=order.pk, region_code=order.region_id, reason=order.decision_reason,
                    after={"number": order.number, "status": order.status, "amount_fen": order.amount_fen})  # fmt: skip
    return order


def recovery_receipt_record(
    *, actor: Actor, order: RecoveryOrder, amount_fen: Any, key: str, received_on: Any = None, memo: str = ""
) -> RecoveryReceipt:
    """登记到账 — money received on an open order, by its bank reference ``key``: never more than is still owed
    less what waits for confirmation. The same key again answers the receipt already recorded (the same amount)."""
    require(actor, PAY, region_code=order.region_id)
    key = " ".join(str(key or "").split())[:80]
    if not key:
        raise invalid(field="key", code=Code.REQUIRED, message="请填写到账流水号。")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise invalid(field="amount_fen", code=Code.AMOUNT_NOT_POSITIVE, message="到账金额应为正整数（分）。")
    on = received_on or today()
    if isinstance(on, str):
        try:
            on = dt.date.fromisoformat(on.strip())
        except ValueError:
            raise invalid(field="received_on", code=Code.BAD_DATE, message="到账日期应为日期（YYYY-MM-DD）。") from None
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise invalid(field="received_on", code=Code.BAD_DATE, message="到账日期应为日期（YYYY-MM-DD）。")
    if on > today():
        raise invalid(field="received_on", code=Code.BAD_DATE, message="到账日期不能晚于今天（北京时间）。")
    with transaction.atomic():
        order = _lock(order)
        ordered_at = order.created_at
        if order.ref.startswith("subsidies.debt:") and order.debt is not None:  # opened later for an older debt
            ordered_at = min(ordered_at, order.debt.created_at)
        ordered_on = timezone.localdate(ordered_at)
        if on < ordered_on:
            raise invalid(field="received_on", code=Code.BAD_DATE,
                          message=f"到账日期不能早于追回单下达日期 {ordered_on:%Y-%m-%d}。")  # fmt: skip
        same: RecoveryReceipt | None = RecoveryReceipt.objects.filter(order=order, key=key).first()
        if same is not None:
            if same.amount_fen != amount_fen:
                raise Conflict(f"流水号 {key} 已登记为 {format_fen(same.amount_fen)}。", code=Code.RECEIPT_EXISTS)
            return same
        if order.status != RecoveryStatus.OPEN:
            raise InvalidState(f"追回单状态为“{order.get_status_display()}”，不能登记到账。", code=Code.REQUEST_CLOSED)
        waiting = sum(r.amount_fen for r in order.receipts.filter(status=ReceiptStatus.PENDING))
        room = order.amount_fen - order.recovered_fen - waiting
        if amount_fen > room:
            raise invalid(field="amount_fen", code=Code.OVER_RECOVERY,
                          message=f"到账金额 {format_fen(amount_fen)} 超过尚未追回（含待确认）的 {format_fen(room)}。")  # fmt: skip
        try:
            with transaction.atomic():
                receipt = RecoveryReceipt.objects.create(
                    order=order, region_id=order.region_id, key=key, amount_fen=amount_fen, received_on=on,
                    memo=(memo or "").strip()[:300], recorded_by=user_or_none(actor), recorded_by_name=actor_name(actor),
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(f"流水号 {key} 已登记。", code=Code.RECEIPT_EXISTS) from None
        audit_event(Event.RECOVERY_RECEIPT_RECORD, actor=actor, object_id=order.pk, region_code=order.region_id,
                    after={"number": order.number, "key": key, "amount_fen": amount_fen})  # fmt: skip
    return receipt


def recovery_receipt_confirm(*, actor: Actor, receipt: RecoveryReceipt, approve: bool = True,
                             reason: str = "") -> RecoveryReceipt:  # fmt: skip
    """确认入账 — another person with ``finance.pay`` confirms the money came back: the ledger's 追回到账 is posted
    (once: a confirmed receipt answers as it is) and the order's recovered amount grows; or rejects it (a reason)."""
    require(actor, PAY, region_code=receipt.region_id)
    if not approve:
        reason = reason_required(reason)
    with transaction.atomic():
        order = _lock(receipt.order)
        receipt = RecoveryReceipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status != ReceiptStatus.PENDING:
            if receipt.status == (ReceiptStatus.CONFIRMED if approve else ReceiptStatus.REJECTED):
                return receipt
            raise InvalidState(
                f"该到账登记已处理（{receipt.get_status_display()}），不能再确认。", code=Code.REQUEST_CLOSED
            )
        forbid_same(actor, [receipt.recorded_by_id], pair_key=FOUR_EYES_RECOVERY, region_code=receipt.region_id,
                    message="登记到账的人不能确认入账（须由另一人确认）。")  # fmt: skip
        receipt.confirmed_by, receipt.confirmed_by_name = user_or_none(actor), actor_name(actor)
        receipt.confirmed_at = timezone.now()
        if approve:
            if order.debt_id is None:
                raise InvalidState("追回单尚未复核通过。", code=Code.REQUEST_CLOSED)
            debt = Debt.objects.select_for_update().select_related("fund_account", "claim").get(pk=order.debt_id)
            receipt.posting = debt_receive(actor=actor, debt=debt, amount_fen=receipt.amount_fen,
                                           memo=f"追回到账 {order.number}（{receipt.key}）")  # fmt: skip
            receipt.status = ReceiptStatus.CONFIRMED
            order.recovered_fen += receipt.amount_fen
            if order.recovered_fen == order.amount_fen:
                order.status = RecoveryStatus.RECOVERED
            order.save(update_fields=["recovered_fen", "status", "updated_at"])
        else:
            receipt.status = ReceiptStatus.REJECTED
            receipt.memo = f"{receipt.memo}（驳回：{reason}）"[:300]
        receipt.save()
        audit_event(Event.RECOVERY_RECEIPT_CONFIRM if approve else Event.RECOVERY_RECEIPT_REJECT, actor=actor,
                    object_id=order.pk, region_code=order.region_id, reason=reason,
                    after={"number": order.number, "key": receipt.key, "amount_fen": receipt.amount_fen,
                           "recovered_fen": order.recovered_fen, "status": order.status})  # fmt: skip
    return receipt


def claim_recovery_order(*, actor: Actor, claim: Claim, reason: str, ref: str, due_date: Any = None) -> RecoveryOrder:
    """追回 from a paid claim's page or a paid advance (``finance.pay``): a 追回单 for all that was paid, waiting for
    a second person's 复核 before the ledger's 追回认定 is posted. A claim with a live order answers that order."""
    due = due_date or today() + dt.timedelta(days=DEFAULT_DUE_DAYS)
    orders = recovery_orders_create(actor=actor, claim_ids=[claim.pk], ref=ref, reason=reason, due_date=due,
                                    permission=PAY)  # fmt: skip
    if not orders:
        raise InvalidState("只有已拨付的申请可以追回。", code="claim_not_paid")
    return orders[0]


def debt_receipt_record(
    *, actor: Actor, debt: Debt, amount_fen: Any, key: str, received_on: Any = None, memo: str = ""
) -> RecoveryReceipt:
    """登记到账 on an 应追回款 of the ledger: routed to the 追回单 path — the debt's order (one is opened for a debt
    recorded without one) records the receipt by its bank reference and date; another person confirms it before the
    ledger's 追回到账 is posted (``recovery_receipt_confirm``)."""
    require(actor, PAY, region_code=debt.region_id)
    if not " ".join(str(key or "").split()):
        raise invalid(field="key", code=Code.REQUIRED, message="请填写到账流水号。")
    if not received_on:
        raise invalid(field="received_on", code=Code.REQUIRED, message="请填写到账日期。")
    with transaction.atomic():
        debt = Debt.objects.select_for_update().select_related("claim").get(pk=debt.pk)
        order: RecoveryOrder | None = RecoveryOrder.objects.filter(debt=debt).first()
        if order is None:
            order = RecoveryOrder.objects.create(
                number=next_number(f"ZH{timezone.now():%Y}"), claim=debt.claim, region_id=debt.region_id,
                ref=f"subsidies.debt:{debt.pk}", amount_fen=debt.amount_fen,
                paid_fen=max(paid_fen(debt.claim), debt.amount_fen),
                due_date=today() + dt.timedelta(days=DEFAULT_DUE_DAYS), reason=debt.reason, status=RecoveryStatus.OPEN,
                requested_by=user_or_none(actor), requested_by_name=actor_name(actor), debt=debt,
                recovered_fen=debt.recovered_fen,
            )  # fmt: skip
            audit_event(Event.RECOVERY_ORDER_CREATE, actor=actor, object_id=order.pk, region_code=order.region_id,
                        reason=debt.reason, after={"number": order.number, "claim": debt.claim.number,
                                                   "amount_fen": order.amount_fen, "debt": str(debt.pk)})  # fmt: skip
        return recovery_receipt_record(actor=actor, order=order, amount_fen=amount_fen, key=key,
                                       received_on=received_on, memo=memo)  # fmt: skip


def recovery_orders_of(ref: str) -> list[RecoveryOrder]:
    """The orders a case (``ref``) gave, with their claims — what the case page lists."""
    return list(RecoveryOrder.objects.filter(ref=ref).select_related("claim").order_by("number")[:500])
