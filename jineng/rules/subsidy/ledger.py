"""The fund ledger's posting rules (资金台账记账规则) — pure double-entry.

Each fund account (a fund source owned by a region) has four ledger accounts:

=============  ==========================================  ===========
role           meaning                                      normal side
=============  ==========================================  ===========
``fund``       基金（资金）存款 — money available to pay        debit
``allocation`` 拨入资金 — allocations received               credit
``expense``    补贴支出 — subsidies paid                     debit
``receivable`` 应收追回款 — debts of payees after clawback   debit
=============  ==========================================  ===========

Operations and their postings (amount in fen, positive):

- allocation (拨入):      Dr fund          / Cr allocation
- payment (支付):         Dr expense       / Cr fund
- clawback (追回认定):    Dr receivable    / Cr expense      — the payee's debt is recorded
- recovery (追回到账):    Dr fund          / Cr receivable
- reversal (拨入冲销):    Dr allocation    / Cr fund          — a mistaken allocation reversed (冲销)

So at any time: debits = credits; expense = paid − clawed back; fund = allocated − reversed − paid + recovered;
receivable = clawed back − recovered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FUND = "fund"
ALLOCATION = "allocation"
EXPENSE = "expense"
RECEIVABLE = "receivable"
ROLES = (FUND, ALLOCATION, EXPENSE, RECEIVABLE)
ROLE_LABELS = {FUND: "资金存款", ALLOCATION: "拨入资金", EXPENSE: "补贴支出", RECEIVABLE: "应收追回款"}
DEBIT_NORMAL = {FUND, EXPENSE, RECEIVABLE}

OPERATIONS: dict[str, tuple[str, str]] = {
    "allocation": (FUND, ALLOCATION),
    "payment": (EXPENSE, FUND),
    "clawback": (RECEIVABLE, EXPENSE),
    "recovery": (FUND, RECEIVABLE),
    "reversal": (ALLOCATION, FUND),
}
OPERATION_LABELS = {
    "allocation": "资金拨入",
    "payment": "补贴支付",
    "clawback": "追回认定",
    "recovery": "追回到账",
    "reversal": "拨入冲销",
}


@dataclass(frozen=True)
class Posting:
    role: str
    debit_fen: int
    credit_fen: int


def postings(operation: str, amount_fen: int) -> tuple[Posting, Posting]:
    """The two postings of one operation. Amounts are positive integers of fen."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown ledger operation {operation!r}")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValueError("a ledger amount is a positive integer of fen")
    debit, credit = OPERATIONS[operation]
    return Posting(debit, amount_fen, 0), Posting(credit, 0, amount_fen)


def balance(role: str, debit_fen: int, credit_fen: int) -> int:
    """The balance on the account's normal side."""
    return debit_fen - credit_fen if role in DEBIT_NORMAL else credit_fen - debit_fen


def balances(items: Iterable[Posting]) -> dict[str, int]:
    debit = dict.fromkeys(ROLES, 0)
    credit = dict.fromkeys(ROLES, 0)
    for p in items:
        debit[p.role] += p.debit_fen
        credit[p.role] += p.credit_fen
    return {role: balance(role, debit[role], credit[role]) for role in ROLES}
