"""Coded errors of evaluation and certificates (stable codes; Chinese messages)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from jineng.common.errors import Conflict, DomainError, FieldError, InvalidState, ValidationFailed


class OutsideFiling(InvalidState):
    """The organization has no filing (备案) in force for the occupation × level on the exam date: 409."""

    def __init__(self, message: str):
        super().__init__(message, code="outside_filing")


class ExaminerRefused(Conflict):
    """An examiner who may not be booked or may not examine a candidate: 409 with the reason's code
    (``examiner_not_available``, ``examiner_other_district_same_day``, ``examiner_taught_candidate`` …)."""

    def __init__(self, message: str, code: str, extra: dict[str, Any] | None = None):
        super().__init__(message, code=code, extra=extra)


class SessionState(InvalidState):
    """A session step out of order (results before the start, changes after closing …): 409."""


class TooManyRequests(DomainError):
    """The public verification rate limit was exceeded: 429 ``too_many_requests`` with ``retry_after``."""

    def __init__(self, retry_after: int, limit: str):
        super().__init__(
            code="too_many_requests",
            message=f"查询过于频繁（上限 {limit}），请 {retry_after} 秒后再试。",
            status=429,
            extra={"retry_after": retry_after},
        )
        self.retry_after = retry_after


__all__ = [
    "ExaminerRefused",
    "FieldError",
    "OutsideFiling",
    "SessionState",
    "TooManyRequests",
    "ValidationFailed",
]


class Code(StrEnum):
    """Every error code evaluation and certificates answers with: stable, matched on by clients; the message says it in Chinese."""

    ADDRESS_REQUIRED = "address_required"
    ALREADY_CANDIDATE = "already_candidate"
    BAD_DATE = "bad_date"
    BAD_ISSUE_DATE = "bad_issue_date"
    BAD_MAXIMUM = "bad_maximum"
    BAD_NAME = "bad_name"
    BAD_PASS_MARK = "bad_pass_mark"
    BAD_PERIOD = "bad_period"
    BAD_ROUTE = "bad_route"
    CANDIDATE_IS_EXAMINER = "candidate_is_examiner"
    CANDIDATE_NOT_IN_SESSION = "candidate_not_in_session"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_REVOKED = "certificate_revoked"
    CLASS_NOT_COMPLETED = "class_not_completed"
    CLASS_OCCUPATION_MISMATCH = "class_occupation_mismatch"
    DATE_IN_FUTURE = "date_in_future"
    EXAMINER_ALREADY_BOOKED = "examiner_already_booked"
    EXAMINER_IS_CANDIDATE = "examiner_is_candidate"
    EXAMINER_NOT_AVAILABLE = "examiner_not_available"
    EXAMINER_NOT_IN_SESSION = "examiner_not_in_session"
    EXAMINER_OTHER_DISTRICT_SAME_DAY = "examiner_other_district_same_day"
    EXAMINER_OTHER_ORGANIZATION = "examiner_other_organization"
    EXAMINER_OUTSIDE_REGION = "examiner_outside_region"
    EXAMINER_TAUGHT_CANDIDATE = "examiner_taught_candidate"
    FILING_EXISTS = "filing_exists"
    FILING_REVOKED = "filing_revoked"
    KIND_LEVEL_MISMATCH = "kind_level_mismatch"
    LEVEL_NOT_APPLICABLE = "level_not_applicable"
    LEVEL_NOT_EVALUATED = "level_not_evaluated"
    NAIVE_DATETIME = "naive_datetime"
    NO_CANDIDATES = "no_candidates"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_EXAMINER = "not_an_examiner"
    NOT_CORRECTABLE = "not_correctable"
    NOTHING_CHANGED = "nothing_changed"
    NOTHING_EXAMINED = "nothing_examined"
    ORGANIZATION_REQUIRED = "organization_required"
    OUTSIDE_FILING = "outside_filing"
    PERSON_INACTIVE = "person_inactive"
    PERSON_NOT_REGISTERED = "person_not_registered"
    REASON_REQUIRED = "reason_required"
    REQUIRED = "required"
    RESULTS_INCOMPLETE = "results_incomplete"
    ROUTE_NOT_ALLOWED = "route_not_allowed"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_CLOSED = "session_closed"
    SESSION_HAS_RESULTS = "session_has_results"
    SESSION_NOT_CLOSED = "session_not_closed"
    SESSION_NOT_STARTED = "session_not_started"
    TERMINAL_NOT_REGISTERED = "terminal_not_registered"
    TERMINAL_TOO_LONG = "terminal_too_long"
    TOO_MANY_REQUESTS = "too_many_requests"
    UNKNOWN_ORGANIZATION = "unknown_organization"
    ROSTER_ALREADY_REOPENED = "roster_already_reopened"
    ROSTER_CLOSED = "roster_closed"
