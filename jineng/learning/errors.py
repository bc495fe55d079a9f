"""Coded errors of the learning app. The xAPI endpoints answer with the statuses the xAPI specification requires
(``validation.XapiInvalid`` → 400, ``services.XapiConflict`` → 409, ``XapiPreconditionFailed`` → 412); these codes
are for the command and pages."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    UNKNOWN_PROVIDER = "unknown_provider"
    NOT_A_PLATFORM = "not_an_online_platform"
    UNKNOWN_ENROLLMENT = "unknown_enrollment"
    ENROLLMENT_NOT_ACTIVE = "enrollment_not_active"
    ACCOUNT_TAKEN = "account_taken"
    BAD_ACCOUNT = "bad_account"
