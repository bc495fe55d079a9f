"""Coded errors of evaluation and certificates (stable codes; Chinese messages)."""

from __future__ import annotations

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
