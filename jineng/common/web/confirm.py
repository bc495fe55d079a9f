"""A confirmation step for an action that cannot be undone (结业, 确认成绩): the action's button posts without
``confirm``, which answers this page — what will happen, on what — and its 确认 button posts again with
``confirm=yes``. It works without JavaScript; with it nothing changes (no dialog to dismiss by accident)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"


def confirmed(request: HttpRequest) -> bool:
    """True when the POST carries the confirmation page's answer."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    subject: str,
    consequences: Sequence[str],
    action: str,
    back: str,
    button: str,
    facts: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """The page asking to confirm ``title`` on ``subject``: facts (label, value), what will follow, the button."""
    return render(
        request,
        "web/confirm.html",
        {"title": title, "subject": subject, "consequences": consequences, "action": action, "back": back,
         "button": button, "facts": facts, "field": CONFIRM_FIELD},
    )  # fmt: skip
