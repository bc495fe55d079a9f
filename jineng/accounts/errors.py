"""The error codes of accounts (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code accounts answers with: stable, matched on by clients; the message says it in Chinese."""

    ALREADY_REVOKED = "already_revoked"
    BAD_CREDIT_CODE = "bad_credit_code"
    CONSOLE_ONLY = "console_only"
    DUPLICATE = "duplicate"
    DUPLICATE_CREDIT_CODE = "duplicate_credit_code"
    IN_PAST = "in_past"
    NOT_ALLOWED = "not_allowed"
    NOT_AUTHENTICATED = "not_authenticated"
    NOT_REVEALABLE = "not_revealable"
    NOT_TIME_BOXED = "not_time_boxed"
    PASSWORD_REUSED = "password_reused"
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_TOO_SIMPLE = "password_too_simple"
    REASON_REQUIRED = "reason_required"
    REQUIRED = "required"
    SEPARATION_OF_DUTIES = "separation_of_duties"
    TOO_LONG = "too_long"
    UNKNOWN_FUNCTION = "unknown_function"
    WEAK_PASSWORD = "weak_password"
    WRONG_PASSWORD = "wrong_password"
