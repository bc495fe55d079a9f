"""The audit events subsidies writes — 补贴政策、培训券、补贴申请、拨付和资金台账.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    POLICY_VERSION = "subsidies.policy_version"
    VOUCHER_ISSUE = "subsidies.voucher_issue"
    VOUCHER = "subsidies.voucher"
    CLAIM = "subsidies.claim"
    PAYMENT_BATCH = "subsidies.payment_batch"
    DEBT = "subsidies.debt"
    LEDGER_TRANSACTION = "subsidies.ledger_transaction"
    ALLOCATION_REVERSAL = "subsidies.allocation_reversal"
    BASE_GRANT = "subsidies.base_grant"
    RECOVERY_ORDER = "subsidies.recovery_order"


class Event(AuditEvent):
    POLICY_DRAFT_CREATE = "policy.draft_create", Object.POLICY_VERSION
    POLICY_DRAFT_UPDATE = "policy.draft_update", Object.POLICY_VERSION
    POLICY_PUBLISH = "policy.publish", Object.POLICY_VERSION
    POLICY_CLOSE = "policy.close", Object.POLICY_VERSION
    POLICY_DISCARD = "policy.discard", Object.POLICY_VERSION
    VOUCHER_ISSUE_CREATE = "voucher_issue.create", Object.VOUCHER_ISSUE
    VOUCHER_ISSUE_ISSUE_GROUP = "voucher_issue.issue_group", Object.VOUCHER_ISSUE
    VOUCHER_APPLY = "voucher.apply", Object.VOUCHER
    VOUCHER_CLAIM = "voucher.claim", Object.VOUCHER
    VOUCHER_USE = "voucher.use", Object.VOUCHER
    VOUCHER_REDEEM = "voucher.redeem", Object.VOUCHER
    CLAIM_SUBMIT = "claim.submit", Object.CLAIM
    CLAIM_RESUBMIT = "claim.resubmit", Object.CLAIM
    CLAIM_SUPERSEDED = "claim.superseded", Object.CLAIM
    CLAIM_WITHDRAW = "claim.withdraw", Object.CLAIM
    CLAIM_PERSON_REVEAL = "claim.person_reveal", Object.CLAIM
    CLAIM_ACCEPT = "claim.accept", Object.CLAIM
    CLAIM_VERIFY = "claim.verify", Object.CLAIM
    CLAIM_FIRST_REVIEW = "claim.first_review", Object.CLAIM
    CLAIM_SECOND_REVIEW = "claim.second_review", Object.CLAIM
    CLAIM_RETURN = "claim.return", Object.CLAIM
    CLAIM_REJECT = "claim.reject", Object.CLAIM
    CLAIM_OBJECTION = "claim.objection", Object.CLAIM
    CLAIM_OBJECTION_RESOLVE = "claim.objection_resolve", Object.CLAIM
    CLAIM_APPROVE = "claim.approve", Object.CLAIM
    CLAIM_PAYEE_CHANGE_REQUEST = "claim.payee_change_request", Object.CLAIM
    CLAIM_PAYEE_CHANGE_APPROVE = "claim.payee_change_approve", Object.CLAIM
    CLAIM_PAYEE_CHANGE_REJECT = "claim.payee_change_reject", Object.CLAIM
    CLAIM_PAID = "claim.paid", Object.CLAIM
    CLAIM_PAYMENT_FAILED = "claim.payment_failed", Object.CLAIM
    CLAIM_CLAWBACK = "claim.clawback", Object.CLAIM
    CLAIM_HOLD = "claim.hold", Object.CLAIM
    CLAIM_HOLD_RELEASE = "claim.hold_release", Object.CLAIM
    PAYMENT_BATCH_CREATE = "payment_batch.create", Object.PAYMENT_BATCH
    PAYMENT_BATCH_EXPORT = "payment_batch.export", Object.PAYMENT_BATCH
    PAYMENT_BATCH_RETURN = "payment_batch.return", Object.PAYMENT_BATCH
    DEBT_RECOVER = "debt.recover", Object.DEBT
    RECOVERY_ORDER_CREATE = "recovery.order_create", Object.RECOVERY_ORDER
    RECOVERY_ORDER_APPROVE = "recovery.order_approve", Object.RECOVERY_ORDER
    RECOVERY_ORDER_REJECT = "recovery.order_reject", Object.RECOVERY_ORDER
    RECOVERY_RECEIPT_RECORD = "recovery.receipt_record", Object.RECOVERY_ORDER
    RECOVERY_RECEIPT_CONFIRM = "recovery.receipt_confirm", Object.RECOVERY_ORDER
    RECOVERY_RECEIPT_REJECT = "recovery.receipt_reject", Object.RECOVERY_ORDER
    LEDGER_ALLOCATION = "ledger.allocation", Object.LEDGER_TRANSACTION
    LEDGER_REVERSAL_REQUEST = "ledger.reversal_request", Object.ALLOCATION_REVERSAL
    LEDGER_REVERSAL_APPROVE = "ledger.reversal_approve", Object.ALLOCATION_REVERSAL
    LEDGER_REVERSAL_REJECT = "ledger.reversal_reject", Object.ALLOCATION_REVERSAL
    GRANT_REQUEST = "base_grant.request", Object.BASE_GRANT
    GRANT_APPROVE = "base_grant.approve", Object.BASE_GRANT
    GRANT_REJECT = "base_grant.reject", Object.BASE_GRANT
    GRANT_PAID = "base_grant.paid", Object.BASE_GRANT
    GRANT_PAYMENT_FAILED = "base_grant.payment_failed", Object.BASE_GRANT
    GRANT_PAYEE_CONFIRM = "base_grant.payee_confirm", Object.BASE_GRANT
    GRANT_PAYEE_REVEAL = "base_grant.payee_reveal", Object.BASE_GRANT
