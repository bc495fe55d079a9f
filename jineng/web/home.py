"""Home page cards per role — only real numbers from the database. Apps register their own cards here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import principal_for, visible
from jineng.common.jobs.models import Job, JobStatus
from jineng.common.models import AuditEntry


@dataclass(frozen=True)
class Card:
    title: str
    value: Any
    hint: str = ""
    url: str = ""


CardSource = Callable[[Any], list[Card]]
_SOURCES: list[tuple[str | None, CardSource]] = []


def register_home_cards(permission: str | None, source: CardSource) -> None:
    _SOURCES.append((permission, source))


def home_cards(user: Any) -> list[Card]:
    p = principal_for(user)
    cards: list[Card] = []
    for permission, source in _SOURCES:
        if permission is None or p.has(permission):
            cards.extend(source(user))
    return cards


def _kernel_cards(user: Any) -> list[Card]:
    since = timezone.now() - timedelta(days=7)
    return [
        Card(
            str(_("近7天审计事件")),
            visible(AuditEntry, user, "audit.view").filter(at__gte=since).count(),
            "",
            "/audit/",
        ),
        Card(
            str(_("运行中的作业")),
            visible(Job, user, "jobs.view").filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).count(),
            "",
            "/jobs/",
        ),
    ]


register_home_cards("audit.view", _kernel_cards)
