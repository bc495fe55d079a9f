"""Coded errors of complaints (stable codes; Chinese messages)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code complaints answers with: stable, matched on by clients; the message says it in Chinese."""

    CONTENT_REQUIRED = "content_required"
    CONTENT_TOO_LONG = "content_too_long"
    OBJECT_REQUIRED = "object_required"
    BAD_CHOICE = "bad_choice"
    REGION_REQUIRED = "region_required"
    CONTACT_REQUIRED = "contact_required"
    BAD_PHONE = "bad_phone"
    TOO_MANY_FILES = "too_many_files"
    BAD_CODE = "bad_code"
    REOPEN_USED = "reopen_used"
    NOT_ANSWERED = "not_answered"
    COMPLAINT_STATE = "complaint_state"
    TEXT_REQUIRED = "text_required"
    REASON_REQUIRED = "reason_required"
    RATE_LIMITED = "rate_limited"
    SPAM = "spam_suspected"
    REVEAL_NOT_PERMITTED = "reveal_not_permitted"
    UNKNOWN_CASE = "unknown_case"
    REGION_OUTSIDE = "region_outside"
    NO_ORGANIZATION = "no_organization"
    CASE_EXISTS = "case_exists"
    TASK_EXISTS = "task_exists"
