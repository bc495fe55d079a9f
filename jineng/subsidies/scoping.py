"""Scope of every subsidies model (ADR 0003/0004): claims by their attributed region, the applying organization,
the person they are about and the applicant; payments, ledger and fund accounts by the paying region."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope
from jineng.subsidies.models import (
    AllocationReversal,
    BaseGrant,
    Claim,
    ClaimHold,
    ClaimStep,
    Debt,
    FundAccount,
    GrantLine,
    LedgerEntry,
    LedgerTransaction,
    Objection,
    PayeeChange,
    PaymentBatch,
    PaymentLine,
    PolicyVersion,
    RecoveryOrder,
    RecoveryReceipt,
    Voucher,
    VoucherIssue,
)


def register() -> None:
    register_scope(PolicyVersion, ScopeSpec(region="region_id"))
    register_scope(
        Claim,
        ScopeSpec(region="region_id", organization="applicant_org_id", person="person_id", owner="applicant_user_id"),
    )
    register_scope(
        ClaimStep, ScopeSpec(region="region_id", organization="claim__applicant_org_id", person="claim__person_id")
    )
    register_scope(ClaimHold, ScopeSpec(region="region_id"))
    register_scope(Objection, ScopeSpec(region="region_id", owner="raised_by_id"))
    register_scope(VoucherIssue, ScopeSpec(region="region_id"))
    register_scope(Voucher, ScopeSpec(region="region_id", organization="used_organization_id", person="person_id"))
    register_scope(PaymentBatch, ScopeSpec(region="region_id"))
    register_scope(PaymentLine, ScopeSpec(region="region_id"))
    register_scope(FundAccount, ScopeSpec(region="region_id"))
    register_scope(LedgerTransaction, ScopeSpec(region="region_id"))
    register_scope(LedgerEntry, ScopeSpec(region="region_id"))
    register_scope(
        PayeeChange,
        ScopeSpec(region="region_id", organization="claim__applicant_org_id", owner="requested_by_id"),
    )
    register_scope(AllocationReversal, ScopeSpec(region="region_id"))
    register_scope(Debt, ScopeSpec(region="region_id", person="person_id", organization="organization_id"))
    register_scope(RecoveryOrder, ScopeSpec(region="region_id"))
    register_scope(RecoveryReceipt, ScopeSpec(region="region_id"))
    register_scope(BaseGrant, ScopeSpec(region="region_id", organization="payee_org_id", owner="requested_by_id"))
    register_scope(GrantLine, ScopeSpec(region="region_id"))
