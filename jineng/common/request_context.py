"""Per-request context (address, request id, user) for the audit trail and the logs, set by middleware."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    address: str
    user_agent: str


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("jineng_request", default=None)


def set_request_info(info: RequestInfo | None) -> contextvars.Token[RequestInfo | None]:
    return _current.set(info)


def reset_request_info(token: contextvars.Token[RequestInfo | None]) -> None:
    _current.reset(token)


def current_request_info() -> RequestInfo | None:
    return _current.get()


def current_request_id() -> str | None:
    info = _current.get()
    return info.request_id if info else None
