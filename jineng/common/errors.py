"""Typed domain errors with stable codes. Mapped to HTTP and page responses in one place (``jineng.web.api``).

Each error carries a code (stable, English, for machines), a message (Chinese by default, translated through
gettext), and optional per-field errors ``{field: [{"code", "message"}]}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "code": self.code, "message": str(self.message)}
        if self.row is not None:
            data["row"] = self.row
        return data


@dataclass
class DomainError(Exception):
    """Base of every expected failure. ``status`` is the HTTP status it maps to."""

    code: str
    message: str
    fields: list[FieldError] = field(default_factory=list)
    status: int = 400
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ValidationFailed(DomainError):
    """422. Without an explicit ``code``, an error naming one field carries that field's code (clients match on
    it); an error naming several is ``validation_failed`` and each field carries its own."""

    def __init__(self, message: str, fields: list[FieldError] | None = None, code: str | None = None):
        fields = fields or []
        if code is None:
            code = fields[0].code if len(fields) == 1 else "validation_failed"
        super().__init__(code=code, message=message, fields=fields, status=422)


def invalid(*, field: str, code: str, message: str, detail: str | None = None) -> ValidationFailed:
    """The one builder of a 422 naming one field: the error's own code is the field's code (clients match on it);
    ``detail`` is the field's message when it says more or less than ``message``."""
    return ValidationFailed(message, [FieldError(field, code, detail or message)], code=code)


class NotFound(DomainError):
    def __init__(self, message: str | None = None, code: str = "not_found"):
        # The default in the language of the request that raises it (gettext at construction, not at import).
        super().__init__(code=code, message=message or gettext("记录不存在或不在您的权限范围内。"), status=404)


class PermissionDenied(DomainError):
    def __init__(self, message: str | None = None, code: str = "permission_denied"):
        super().__init__(code=code, message=message or gettext("您没有执行此操作的权限。"), status=403)


class Conflict(DomainError):
    def __init__(self, message: str, code: str = "conflict", extra: dict[str, Any] | None = None):
        super().__init__(code=code, message=message, status=409, extra=extra or {})


class InvalidState(DomainError):
    def __init__(self, message: str, code: str = "invalid_state"):
        super().__init__(code=code, message=message, status=409)


class Code(StrEnum):
    """Every error code the kernel's codes, which any app may answer with too answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_ROLE_NAME = "bad_role_name"
    CONFLICT = "conflict"
    CONTENT_MISMATCH = "content_mismatch"
    EMPTY = "empty"
    INVALID_STATE = "invalid_state"
    JOB_NOT_FAILED = "job_not_failed"
    NOT_AN_OBJECT = "not_an_object"
    NOT_FOUND = "not_found"
    NOT_POSTGRESQL = "not_postgresql"
    PERMISSION_DENIED = "permission_denied"
    TOO_DEEP = "too_deep"
    TOO_LARGE = "too_large"
    TYPE_NOT_ALLOWED = "type_not_allowed"
    UNKNOWN_JOB_KIND = "unknown_job_kind"
    UNKNOWN_KIND = "unknown_kind"
    VALIDATION_FAILED = "validation_failed"
