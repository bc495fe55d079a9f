"""Coded errors of the subsidies app (mapped to HTTP and pages in one place, config/api.py and the web middleware)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from jineng.common.errors import Conflict, DomainError, FieldError


class ClaimRefused(DomainError):
    """The automatic checks refuse the claim: nothing is written; every failing check is a field error and all the
    explained lines are in ``extra["lines"]``."""

    def __init__(self, lines: list[dict[str, Any]]):
        failing = [line for line in lines if line["outcome"] == "fail"]
        message = "不符合补贴条件：" + "；".join(line["message"] for line in failing)
        super().__init__(
            code="claim_refused",
            message=message,
            fields=[FieldError(line["code"], line["code"], line["message"]) for line in failing],
            status=422,
            extra={"lines": lines},
        )


class NoPolicy(DomainError):
    def __init__(self, subsidy_label: str, region_code: str, on: Any):
        super().__init__(
            code="no_policy",
            message=f"{region_code} 地区在 {on} 没有有效的{subsidy_label}政策版本。",
            status=422,
        )


class ClaimInLiveBatch(Conflict):
    def __init__(self, numbers: list[str]):
        super().__init__(
            f"以下申请已在待支付或已支付的批次中，不能重复拨付：{'、'.join(numbers)}",
            code="claim_in_live_batch",
            extra={"claims": numbers},
        )


class SameReviewer(DomainError):
    def __init__(self, step: str):
        super().__init__(
            code="same_reviewer",
            message=f"上一环节的经办人不能办理{step}（前后环节须由不同人员办理）。",
            status=403,
        )


class SamePersonForbidden(DomainError):
    """Four eyes (双人复核): a money step the same person may not do twice (``subsidy.four_eyes.*``)."""

    def __init__(self, message: str, *, pair: str, claims: list[str] | None = None):
        super().__init__(
            code="same_person_forbidden",
            message=message,
            status=403,
            extra={"pair": pair, **({"claims": claims} if claims else {})},
        )


class Code(StrEnum):
    """Every error code subsidies answers with: stable, matched on by clients; the message says it in Chinese."""

    ALREADY_CLAWED_BACK = "already_clawed_back"
    CLAIM_SANCTIONED = "claim_sanctioned"
    ALREADY_POSTED = "already_posted"
    ALREADY_REVERSED = "already_reversed"
    AMOUNT_NOT_INTEGER = "amount_not_integer"
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    AMOUNT_TOO_LARGE = "amount_too_large"
    APPLICANT_NOT_ALLOWED = "applicant_not_allowed"
    APPLICANT_REVIEWS = "applicant_reviews"
    BAD_AMOUNT = "bad_amount"
    BAD_CHOICE = "bad_choice"
    BAD_ID = "bad_id"
    BAD_RANGE = "bad_range"
    BANK_ACCOUNT_BAD_FORMAT = "bank_account_bad_format"
    BEFORE_HIRE = "before_hire"
    CATALOG_MISSING = "catalog_missing"
    CHECK_IN_NO_VALUE = "check_in_no_value"
    CLAIM_IN_LIVE_BATCH = "claim_in_live_batch"
    CLAIM_NOT_APPROVED = "claim_not_approved"
    CLAIM_ON_HOLD = "claim_on_hold"
    CLAIM_NOT_ELIGIBLE = "claim_not_eligible"
    CLAIM_NOT_FAILED = "claim_not_failed"
    CLAIM_NOT_FOUND = "claim_not_found"
    CLAIM_NOT_OPEN = "claim_not_open"
    CLAIM_NOT_PAID = "claim_not_paid"
    CLAIM_NOT_RETURNED = "claim_not_returned"
    CLAIM_REFUSED = "claim_refused"
    CLAIM_WRONG_STATUS = "claim_wrong_status"
    DIRECTED_ONE_TARGET = "directed_one_target"
    DUPLICATE_CLAIM = "duplicate_claim"
    EMPLOYMENT_NOT_PROVEN = "employment_not_proven"
    EVENT_CHANGED = "event_changed"
    EVENT_IN_FUTURE = "event_in_future"
    EVENT_NOT_FOUND = "event_not_found"
    FILE_REQUIRED = "file_required"
    GENERAL_ANY = "general_any"
    HIRE_EXISTS = "hire_exists"
    IDEMPOTENCY_IN_FLIGHT = "idempotency_in_flight"
    IDEMPOTENCY_KEY_REQUIRED = "idempotency_key_required"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_TOO_LONG = "idempotency_key_too_long"
    INSUFFICIENT_FUND = "insufficient_fund"
    IN_FUTURE = "in_future"
    ISSUE_CLOSED = "issue_closed"
    ISSUE_EXPIRED = "issue_expired"
    NAME_MISMATCH = "name_mismatch"
    NEGATIVE = "negative"
    NOTHING_TO_PAY = "nothing_to_pay"
    NOT_AN_ALLOCATION = "not_an_allocation"
    NOT_AUTHENTICATED = "not_authenticated"
    NOT_ENTERPRISE = "not_enterprise"
    NOT_FUND_OWNER = "not_fund_owner"
    NOT_POSITIVE = "not_positive"
    NO_DEFERRED_SHARE = "no_deferred_share"
    NO_PAID_LINE = "no_paid_line"
    NO_PENDING_CHANGE = "no_pending_change"
    NO_POLICY = "no_policy"
    OBJECTION_CLOSED = "objection_closed"
    OBJECTION_OPEN = "objection_open"
    OUT_OF_RANGE = "out_of_range"
    OVER_RECOVERY = "over_recovery"
    PAYEE_CHANGE_PENDING = "payee_change_pending"
    PAYEE_UNKNOWN = "payee_unknown"
    POLICY_INVALID = "policy_invalid"
    POLICY_NOT_DRAFT = "policy_not_draft"
    POLICY_OVERLAP = "policy_overlap"
    POLICY_TYPE_MISMATCH = "policy_type_mismatch"
    PROGRAM_NOT_LISTED = "program_not_listed"
    PROVIDER_NOT_LISTED = "provider_not_listed"
    PUBLICITY_RUNNING = "publicity_running"
    REASON_REQUIRED = "reason_required"
    REQUEST_CLOSED = "request_closed"
    REQUIRED = "required"
    RETURN_REJECTED = "return_rejected"
    REVERSAL_EXISTS = "reversal_exists"
    SAME_PERSON_FORBIDDEN = "same_person_forbidden"
    SAME_REVIEWER = "same_reviewer"
    SHARE_ALREADY_CLAIMED = "share_already_claimed"
    UNKNOWN_GROUP = "unknown_group"
    UNKNOWN_SUBSIDY_TYPE = "unknown_subsidy_type"
    VOUCHER_ALREADY_HELD = "voucher_already_held"
    VOUCHER_CODE_CONFLICT = "voucher_code_conflict"
    VOUCHER_EXPIRED = "voucher_expired"
    VOUCHER_NOT_ELIGIBLE = "voucher_not_eligible"
    VOUCHER_NOT_FOUND = "voucher_not_found"
    VOUCHER_NOT_HOLDER = "voucher_not_holder"
    VOUCHER_NOT_YET_VALID = "voucher_not_yet_valid"
    VOUCHER_PROGRAM_NOT_ALLOWED = "voucher_program_not_allowed"
    VOUCHER_PROVIDER_NOT_ALLOWED = "voucher_provider_not_allowed"
    VOUCHER_SOLD_OUT = "voucher_sold_out"
    VOUCHER_WRONG_STATE = "voucher_wrong_state"
    VOUCHER_ALREADY_SUBSIDIZED = "voucher_already_subsidized"
    # one-off grants to bases and studios
    UNKNOWN_BASE = "unknown_base"
    BASE_NOT_ELIGIBLE = "base_not_eligible"
    GRANT_EXISTS = "grant_exists"
    GRANT_NOT_SUBMITTED = "grant_not_submitted"
    GRANT_NOT_FOUND = "grant_not_found"
    GRANT_IN_LIVE_BATCH = "grant_in_live_batch"
    GRANT_NOT_APPROVED = "grant_not_approved"
    GRANT_SANCTIONED = "grant_sanctioned"
    LINE_NOT_PENDING = "line_not_pending"
    # a batch's lines are confirmed from the bank's return: never before its bank file was exported
    BATCH_NOT_EXPORTED = "batch_not_exported"
    TOO_MANY = "too_many"
    # the bank's return: one 银行流水号 per line, every column bounded, a file no longer than a batch
    DUPLICATE_BANK_REFERENCE = "duplicate_bank_reference"
    # a grant's payee account not matching the organization's bank-verified accounts
    PAYEE_NOT_CONFIRMED = "payee_not_confirmed"
    PAYEE_ALREADY_CONFIRMED = "payee_already_confirmed"
    PAYEE_MATCHES = "payee_matches"
    PAYEE_UNVERIFIED = "payee_unverified"
    REVEAL_NOT_PERMITTED = "reveal_not_permitted"
    TOO_LONG = "too_long"
    TOO_MANY_ROWS = "too_many_rows"
    # the apprenticeship advance
    APPRENTICE_NOT_ACTIVE = "apprentice_not_active"
    NO_ADVANCE = "no_advance"
    NO_STANDARD = "no_standard"
    ADVANCE_PENDING = "advance_pending"
    YEAR_NOT_STARTED = "year_not_started"
    ADVANCE_OUTSTANDING = "advance_outstanding"
    ADVANCE_NOT_DUE = "advance_not_due"
    NOT_AN_ADVANCE = "not_an_advance"
    # recovery orders (追回单)
    BAD_DATE = "bad_date"
    RECEIPT_EXISTS = "receipt_exists"
    RECOVER_THROUGH_ORDER = "recover_through_order"
