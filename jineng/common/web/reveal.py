"""Revealing one masked value on a page (a payee's account, a person's name …): the reveal button posts a reason,
the app's service checks the permission, decrypts and audits; the page answers the value or the refusal in a small
fragment, never cached. One helper, so each app's reveal view is three lines and none copies the dance."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jineng.common.errors import DomainError

REASON_MAX = 200


def reveal_reason(request: HttpRequest) -> str:
    """The posted reason, bounded (the service checks it is given)."""
    return str(request.POST.get("reason", ""))[:REASON_MAX]


def reveal_response(
    request: HttpRequest, template: str, reveal: Callable[[str], str], context: Mapping[str, Any] | None = None
) -> HttpResponse:
    """Call ``reveal(reason)`` (the app's audited service) and render ``template`` with ``value`` — or ``error``
    and the error's status when it refuses. The answer carries ``Cache-Control: no-store``."""
    extra = dict(context or {})
    try:
        value = reveal(reveal_reason(request))
    except DomainError as exc:
        response = render(request, template, {**extra, "error": exc}, status=exc.status)
    else:
        response = render(request, template, {**extra, "value": value})
    response["Cache-Control"] = "no-store"
    return response
