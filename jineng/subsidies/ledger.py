"""The fund ledger (资金台账): fund accounts by (fund source, owning region), double-entry postings of allocations,
payments, clawbacks and recoveries (``jineng.rules.subsidy.ledger``), balances and the reconciliation that
``jineng ledger reconcile`` runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Sum

from jineng.accounts.api import require
from jineng.common.audit.services import audit_record
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
from jineng.subsidies.errors import invalid
from jineng.subsidies.models import (
    Debt,
    DebtStatus,
    FundAccount,
    LedgerEntry,
    LedgerKind,
    LedgerTransaction,
    LineState,
    PaymentLine,
)
from jineng.subsidies.support import LEDGER, user_or_none

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
    *, kind: str, account: FundAccount, amount_fen: int, reference: str = "", memo: str = "", actor: Any = None
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
    *, actor: Any, fund_source: str, region_code: str, amount_fen: int, memo: str
) -> LedgerTransaction:
    """资金拨入 — money allocated to a fund account (it must be the fund's owning region)."""
    if fund_source not in FundSource.values:
        raise invalid("fund_source", "bad_choice", f"未知的资金来源：{fund_source}")
    region = region_validate(region_code)
    require(actor, LEDGER, region_code=region.code)
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise invalid("amount_fen", "amount_not_positive", "拨入金额应为正整数（分）。")
    owner = owning_region(fund_source, region.code)
    if owner != region.code:
        raise invalid(
            "region", "not_fund_owner",
            f"{FundSource(fund_source).label}由 {owner} 统筹管理，请拨入该地区的资金账户。",
        )  # fmt: skip
    if not (memo or "").strip():
        raise invalid("memo", "required", "请填写拨款文号或摘要。")
    with transaction.atomic():
        account = fund_account_for(fund_source, region.code)
        txn = post(kind=LedgerKind.ALLOCATION, account=account, amount_fen=amount_fen, memo=memo.strip(), actor=actor)
        audit_record(actor=actor, action="ledger.allocation", object_type="subsidies.ledger_transaction",
                     object_id=txn.pk, region_code=account.region_id,
                     after={"fund_source": fund_source, "amount_fen": amount_fen, "memo": memo})  # fmt: skip
    return txn


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


def account_balances(account: FundAccount) -> dict[str, int]:
    rows = (
        LedgerEntry.objects.filter(fund_account=account)
        .values("role")
        .annotate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    )
    sums = {r["role"]: (r["d"] or 0, r["c"] or 0) for r in rows}
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


@dataclass
class Reconciliation:
    accounts: list[AccountCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sum(qs: Any, name: str = "amount_fen") -> int:
    return int(qs.aggregate(s=Sum(name))["s"] or 0)


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
        .annotate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    )
    amounts = dict(txns.values_list("id", "amount_fen"))
    for row in sides:
        amount = amounts.get(row["transaction_id"])
        if row["d"] != row["c"] or row["d"] != amount:
            report.problems.append(
                f"凭证 {row['transaction_id']} 借贷不平：借 {format_fen(row['d'] or 0)}，贷 {format_fen(row['c'] or 0)}，"
                f"金额 {format_fen(amount or 0)}"
            )
    # NOT EXISTS (an anti-join): NOT IN over the entries became a nested subplan once they outgrew work_mem.
    without_entries = txns.filter(~Exists(LedgerEntry.objects.filter(transaction_id=OuterRef("pk")))).count()
    if without_entries:
        report.problems.append(f"{without_entries} 张凭证没有分录")
    for account in accounts:
        b = account_balances(account)
        paid_lines = PaymentLine.objects.filter(fund_account=account, state=LineState.PAID)
        paid = _sum(paid_lines)
        clawed = _sum(txns.filter(fund_account=account, kind=LedgerKind.CLAWBACK))
        recovered = _sum(txns.filter(fund_account=account, kind=LedgerKind.RECOVERY))
        allocated = _sum(txns.filter(fund_account=account, kind=LedgerKind.ALLOCATION))
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
        if b[FUND] != allocated - posted + recovered:
            report.problems.append(f"{label}：资金存款余额 {format_fen(b[FUND])} 与拨入、支付、追回不符")
        if b[ALLOCATION] != allocated:
            report.problems.append(
                f"{label}：拨入资金余额 {format_fen(b[ALLOCATION])} ≠ 拨入合计 {format_fen(allocated)}"
            )
        if b[RECEIVABLE] != outstanding:
            report.problems.append(
                f"{label}：应收追回款 {format_fen(b[RECEIVABLE])} ≠ 未追回欠款 {format_fen(outstanding)}"
            )
        report.accounts.append(AccountCheck(account, b, paid, clawed, recovered, allocated))
    paid_ids = {str(pk) for pk in PaymentLine.objects.filter(state=LineState.PAID).values_list("pk", flat=True)}
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
