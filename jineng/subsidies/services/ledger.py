"""The fund ledger (资金台账): fund accounts by (fund source, owning region), double-entry postings of allocations,
payments, clawbacks and recoveries (``jineng.rules.subsidy.ledger``), balances and the reconciliation that
``jineng ledger reconcile`` runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from jineng.accounts.api import Actor, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, InvalidState, invalid
from jineng.refdata.api import Region, region_ancestors, region_validate
from jineng.rules.subsidy import format_fen
from jineng.rules.subsidy.ledger import (
    ALLOCATION,
    EXPENSE,
    FUND,
    RECEIVABLE,
    ROLES,
    balance,
    postings,
)
from jineng.subsidies.catalog import FUND_POOLING, FundSource
from jineng.subsidies.events import Event
from jineng.subsidies.models import (
    AllocationReversal,
    Debt,
    DebtStatus,
    FundAccount,
    GrantLine,
    LedgerEntry,
    LedgerKind,
    LedgerTransaction,
    LineState,
    PaymentLine,
    RequestStatus,
)
from jineng.subsidies.money import amount_checked, forbid_same
from jineng.subsidies.services.support import LEDGER, actor_name, reason_required, user_or_none
from jineng.subsidies.settings_specs import FOUR_EYES_REVERSAL, MAX_ALLOCATION

LEVEL_ORDER = {"country": 0, "province": 1, "city": 2, "county": 3}


def owning_region(fund_source: str, region_code: str) -> str:
    """The region that owns the fund paying for a claim attributed to ``region_code``: its ancestor at the fund's
    pooling level (unemployment insurance: the province), or the region itself when it is above that level."""
    pooling = FUND_POOLING[fund_source]
    chain = region_ancestors(region_code)
    levels = dict(Region.objects.filter(code__in=chain).values_list("code", "level"))
    for code in chain:  # from the region upwards
        if LEVEL_ORDER.get(levels.get(code, ""), 9) <= LEVEL_ORDER[pooling]:
            return code
    return chain[-1]


def fund_account_for(fund_source: str, region_code: str) -> FundAccount:
    """The account that pays for a claim attributed to ``region_code`` (created on first use)."""
    owner = owning_region(fund_source, region_code)
    try:
        with transaction.atomic():
            account, _ = FundAccount.objects.get_or_create(fund_source=fund_source, region_id=owner)
    except IntegrityError:
        account = FundAccount.objects.get(fund_source=fund_source, region_id=owner)
    return account


def post(
    *, kind: str, account: FundAccount, amount_fen: int, reference: str = "", memo: str = "", actor: Actor = None
) -> LedgerTransaction:
    """One transaction with its two balanced entries. Call inside the transaction of the change it records."""
    pair = postings(kind, amount_fen)
    txn = LedgerTransaction.objects.create(
        kind=kind,
        fund_account=account,
        region_id=account.region_id,
        amount_fen=amount_fen,
        reference=reference,
        memo=memo[:300],
        created_by=user_or_none(actor),
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                transaction=txn,
                fund_account=account,
                region_id=account.region_id,
                role=p.role,
                debit_fen=p.debit_fen,
                credit_fen=p.credit_fen,
            )  # fmt: skip
            for p in pair
        ]
    )
    return txn


def allocation_create(
    *, actor: Actor, fund_source: str, region_code: str, amount_fen: int, memo: str
) -> LedgerTransaction:
    """资金拨入 — money allocated to a fund account (it must be the fund's owning region)."""
    if fund_source not in FundSource.values:
        raise invalid(field="fund_source", code="bad_choice", message=f"未知的资金来源：{fund_source}")
    region = region_validate(region_code)
    require(actor, LEDGER, region_code=region.code)
    amount_checked(amount_fen, field="amount_fen", label="拨入金额", key=MAX_ALLOCATION, region_code=region.code)
    owner = owning_region(fund_source, region.code)
    if owner != region.code:
        raise invalid(field="region", code="not_fund_owner", message=f"{FundSource(fund_source).label}由 {owner} 统筹管理，请拨入该地区的资金账户。")  # fmt: skip
    if not (memo or "").strip():
        raise invalid(field="memo", code="required", message="请填写拨款文号或摘要。")
    with transaction.atomic():
        account = fund_account_for(fund_source, region.code)
        txn = post(kind=LedgerKind.ALLOCATION, account=account, amount_fen=amount_fen, memo=memo.strip(), actor=actor)
        audit_event(Event.LEDGER_ALLOCATION, actor=actor, object_id=txn.pk, region_code=account.region_id,
                    after={"fund_source": fund_source, "amount_fen": amount_fen, "memo": memo})  # fmt: skip
    return txn


# ---- reversal of a mistaken allocation (拨入冲销) -----------------------------------------------------------------


def reversal_request(*, actor: Actor, allocation: LedgerTransaction, reason: str) -> AllocationReversal:
    """申请冲销 — ask for a mistaken allocation to be reversed in full; a reason is required. Nothing is posted until
    another person approves (``reversal_decide``)."""
    reason = reason_required(reason)
    require(actor, LEDGER, region_code=allocation.region_id)
    if allocation.kind != LedgerKind.ALLOCATION:
        raise InvalidState("只有资金拨入凭证可以冲销。", code="not_an_allocation")
    with transaction.atomic():
        allocation = LedgerTransaction.objects.select_for_update().get(pk=allocation.pk)
        live = AllocationReversal.objects.filter(
            allocation=allocation, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]
        ).first()
        if live is not None:
            raise Conflict(f"该拨入凭证已有{live.get_status_display()}的冲销申请。", code="reversal_exists")
        request = AllocationReversal.objects.create(
            allocation=allocation, region_id=allocation.region_id, amount_fen=allocation.amount_fen, reason=reason,
            requested_by=user_or_none(actor), requested_by_name=actor_name(actor),
        )  # fmt: skip
        audit_event(Event.LEDGER_REVERSAL_REQUEST, actor=actor, object_id=request.pk, region_code=allocation.region_id,
                    reason=reason,
                    after={"allocation": str(allocation.pk), "amount_fen": allocation.amount_fen})  # fmt: skip
    return request


def reversal_decide(
    *, actor: Actor, request: AllocationReversal, approve: bool, reason: str = ""
) -> AllocationReversal:
    """审核冲销 — a different person with ``finance.ledger`` approves (the reversing entry Dr 拨入资金 / Cr 资金存款 is
    posted, once per allocation) or rejects (a reason required). The fund must still hold the amount."""
    require(actor, LEDGER, region_code=request.region_id)
    if not approve:
        reason = reason_required(reason)
    with transaction.atomic():
        request = AllocationReversal.objects.select_for_update().select_related("allocation").get(pk=request.pk)
        if request.status != RequestStatus.PENDING:
            raise InvalidState("该冲销申请已处理。", code="request_closed")
        allocation = request.allocation
        forbid_same(
            actor, [request.requested_by_id, allocation.created_by_id], pair_key=FOUR_EYES_REVERSAL,
            region_code=request.region_id,
            message="资金拨入的经办人或冲销申请人不能审核该冲销（须由另一人审核）。",
        )  # fmt: skip
        request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        request.decided_by = user_or_none(actor)
        request.decided_at = timezone.now()
        request.decision_reason = (reason or "").strip()[:2000]
        if approve:
            account = FundAccount.objects.select_for_update().get(pk=allocation.fund_account_id)
            available = account_balances(account)[FUND]
            if available < request.amount_fen:
                raise Conflict(
                    f"资金存款余额 {format_fen(available)} 不足冲销 {format_fen(request.amount_fen)}（已有支付），"
                    "请核对后处理。",
                    code="insufficient_fund",
                )
            try:
                with transaction.atomic():
                    request.reversal = post(
                        kind=LedgerKind.REVERSAL, account=account, amount_fen=request.amount_fen,
                        reference=str(allocation.pk), memo=f"冲销 {allocation.memo}：{request.reason}", actor=actor,
                    )  # fmt: skip
            except IntegrityError:
                raise Conflict("该拨入凭证已冲销。", code="already_reversed") from None
        request.save()
        audit_event(Event.LEDGER_REVERSAL_APPROVE if approve else Event.LEDGER_REVERSAL_REJECT,
                    actor=actor, object_id=request.pk, region_code=request.region_id,
                    reason=request.decision_reason,
                    after={"allocation": str(allocation.pk), "amount_fen": request.amount_fen,
                           "status": request.status,
                           "reversal": str(request.reversal_id) if request.reversal_id else None})  # fmt: skip
    return request


def post_payments(txns: list[LedgerTransaction]) -> None:
    """Payment postings in bulk: the transactions (built, not saved) and their two balanced entries each. Call inside
    the transaction of the confirmation; a line posted already fails the ``ledger_posted_once`` index."""
    LedgerTransaction.objects.bulk_create(txns, batch_size=1000)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                transaction=txn,
                fund_account_id=txn.fund_account_id,
                region_id=txn.region_id,
                role=p.role,
                debit_fen=p.debit_fen,
                credit_fen=p.credit_fen,
            )  # fmt: skip
            for txn in txns
            for p in postings(txn.kind, txn.amount_fen)
        ],
        batch_size=2000,
    )


# Sums that cannot overflow. PostgreSQL sums a bigint into NUMERIC. SQLite's SUM of integers stops with "integer
# overflow" past 2^63, so there each amount is summed as two parts — amount // 10^9 and amount % 10^9 — each far
# below 2^63 however many rows, and put together in Python (arbitrary precision).
_SPLIT = 10**9


def wide_sum(name: str, alias: str) -> dict[str, Any]:
    """Aggregates for ``name`` under ``alias`` (read back with ``wide_value``), exact on every database."""
    if connection.vendor == "postgresql":
        return {alias: Sum(name)}
    return {f"{alias}__hi": Sum(F(name) / _SPLIT), f"{alias}__lo": Sum(F(name) % _SPLIT)}


def wide_value(row: dict[str, Any], alias: str) -> int:
    if alias in row:
        return int(row[alias] or 0)
    return int(row[f"{alias}__hi"] or 0) * _SPLIT + int(row[f"{alias}__lo"] or 0)


def account_balances(account: FundAccount) -> dict[str, int]:
    rows = (
        LedgerEntry.objects.filter(fund_account=account)
        .values("role")
        .annotate(**wide_sum("debit_fen", "d"), **wide_sum("credit_fen", "c"))
    )
    sums = {r["role"]: (wide_value(r, "d"), wide_value(r, "c")) for r in rows}
    return {role: balance(role, *sums.get(role, (0, 0))) for role in ROLES}


# ---- reconciliation ------------------------------------------------------------------------------------------------


@dataclass
class AccountCheck:
    account: FundAccount
    balances: dict[str, int]
    paid_fen: int
    clawed_fen: int
    recovered_fen: int
    allocated_fen: int
    reversed_fen: int = 0


@dataclass
class Reconciliation:
    accounts: list[AccountCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sum(qs: Any, name: str = "amount_fen") -> int:
    return wide_value(qs.aggregate(**wide_sum(name, "s")), "s")


def reconcile(*, region_codes: list[str] | None = None) -> Reconciliation:
    """Check that the ledger reconciles with the payments: every transaction balances; for each fund account the
    expense equals the paid lines minus clawbacks, the fund equals allocations − payments + recoveries, the
    receivable equals the open debts; every paid line is posted once and every payment posting has a paid line."""
    report = Reconciliation()
    txns = LedgerTransaction.objects.all()
    accounts = FundAccount.objects.all().order_by("region_id", "fund_source")
    if region_codes is not None:
        accounts = accounts.filter(region_id__in=region_codes)
        txns = txns.filter(fund_account__in=accounts)
    sides = (
        LedgerEntry.objects.filter(transaction__in=txns)
        .values("transaction_id")
        .annotate(**wide_sum("debit_fen", "d"), **wide_sum("credit_fen", "c"))
    )
    amounts = dict(txns.values_list("id", "amount_fen"))
    for row in sides:
        amount = amounts.get(row["transaction_id"])
        debit, credit = wide_value(row, "d"), wide_value(row, "c")
        if debit != credit or debit != amount:
            report.problems.append(
                f"凭证 {row['transaction_id']} 借贷不平：借 {format_fen(debit)}，贷 {format_fen(credit)}，"
                f"金额 {format_fen(amount or 0)}"
            )
    # NOT EXISTS (an anti-join): NOT IN over the entries became a nested subplan once they outgrew work_mem.
    without_entries = txns.filter(~Exists(LedgerEntry.objects.filter(transaction_id=OuterRef("pk")))).count()
    if without_entries:
        report.problems.append(f"{without_entries} 张凭证没有分录")
    for account in accounts:
        b = account_balances(account)
        paid_lines = PaymentLine.objects.filter(fund_account=account, state=LineState.PAID)
        # one-off grants to bases and studios are paid in the same batches and posted the same way
        paid = _sum(paid_lines) + _sum(GrantLine.objects.filter(fund_account=account, state=LineState.PAID))
        clawed = _sum(txns.filter(fund_account=account, kind=LedgerKind.CLAWBACK))
        recovered = _sum(txns.filter(fund_account=account, kind=LedgerKind.RECOVERY))
        allocated = _sum(txns.filter(fund_account=account, kind=LedgerKind.ALLOCATION))
        reversed_ = _sum(txns.filter(fund_account=account, kind=LedgerKind.REVERSAL))
        posted = _sum(txns.filter(fund_account=account, kind=LedgerKind.PAYMENT))
        debts = Debt.objects.filter(fund_account=account)
        outstanding = _sum(debts, "amount_fen") - _sum(debts, "recovered_fen")
        label = str(account)
        if posted != paid:
            report.problems.append(f"{label}：支付记账 {format_fen(posted)} ≠ 已支付明细 {format_fen(paid)}")
        if b[EXPENSE] != paid - clawed:
            report.problems.append(
                f"{label}：补贴支出余额 {format_fen(b[EXPENSE])} ≠ 已支付 {format_fen(paid)} − 追回认定 {format_fen(clawed)}"
            )
        if b[FUND] != allocated - reversed_ - posted + recovered:
            report.problems.append(f"{label}：资金存款余额 {format_fen(b[FUND])} 与拨入、冲销、支付、追回不符")
        if b[ALLOCATION] != allocated - reversed_:
            report.problems.append(
                f"{label}：拨入资金余额 {format_fen(b[ALLOCATION])} ≠ 拨入合计 {format_fen(allocated)}"
                f" − 冲销 {format_fen(reversed_)}"
            )
        if b[RECEIVABLE] != outstanding:
            report.problems.append(
                f"{label}：应收追回款 {format_fen(b[RECEIVABLE])} ≠ 未追回欠款 {format_fen(outstanding)}"
            )
        report.accounts.append(AccountCheck(account, b, paid, clawed, recovered, allocated, reversed_))
    paid_ids = {str(pk) for pk in PaymentLine.objects.filter(state=LineState.PAID).values_list("pk", flat=True)}
    paid_ids |= {str(pk) for pk in GrantLine.objects.filter(state=LineState.PAID).values_list("pk", flat=True)}
    posted_refs = list(txns.filter(kind=LedgerKind.PAYMENT).values_list("reference", flat=True))
    posted_set = set(posted_refs)  # once: a set per paid line made this quadratic (13 s for 13,000 lines)
    unposted = [pk for pk in paid_ids if pk not in posted_set] if region_codes is None else []
    if unposted:
        report.problems.append(f"{len(unposted)} 条已支付明细未记账（如 {unposted[0]}）")
    orphans = [ref for ref in posted_refs if ref not in paid_ids]
    if orphans:
        report.problems.append(f"{len(orphans)} 张支付凭证没有对应的已支付明细（如 {orphans[0]}）")
    return report


def debts_open(queryset: Any = None) -> Any:
    qs = queryset if queryset is not None else Debt.objects.all()
    return qs.filter(status=DebtStatus.OPEN)


def accounts_in(region_codes: list[str]) -> Any:
    return FundAccount.objects.filter(Q(region_id__in=region_codes))
