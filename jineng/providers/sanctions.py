"""The sanctions hook (处罚效力): whether an organization may be listed, open a class or file a subsidy claim.

Sanctions are decided in supervision, a higher layer that providers, training and subsidies may not import. So
providers declares the hook (ADR 0007, ADR 0027): supervision registers its check in its ``AppConfig.ready`` (every
process, not only those that load the URLconf), and the services that list a provider (catalog), open a class
(training) and file a claim (subsidies) call ``require_not_sanctioned`` — inside the services, so pages, API and bulk
imports all obey it. With no check registered nothing is refused.

A check is ``fn(organization_id, action, on_date) -> str | None``: the reason the action is refused, or None.
Actions: ``listing`` (纳入或续期培训机构目录), ``class`` (开班申请), ``claim`` (补贴申请).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone

from jineng.common.errors import InvalidState

LISTING = "listing"
CLASS = "class"
CLAIM = "claim"
ACTIONS = (LISTING, CLASS, CLAIM)

SanctionCheck = Callable[[Any, str, dt.date], "str | None"]
_CHECKS: dict[str, SanctionCheck] = {}
# A mark hook: ``fn(organization_ids, on_date) -> {organization id: label}`` — the 黑名单 / 吊销许可 in force that the
# public catalog shows on a listing (docs/sanctions.md «目录标注»).
SanctionMarks = Callable[[list[Any], dt.date], dict[str, str]]
_MARKS: dict[str, SanctionMarks] = {}


class OrganizationSanctioned(InvalidState):
    """409 ``organization_sanctioned``: a sanction in force (停业整顿, 黑名单, 吊销许可) forbids the action."""

    def __init__(self, message: str):
        super().__init__(message, code="organization_sanctioned")


def register_sanction_check(name: str, check: SanctionCheck) -> None:
    """Register (or replace) a named check; supervision registers ``sanctions``."""
    _CHECKS[name] = check


def register_sanction_marks(name: str, marks: SanctionMarks) -> None:
    """Register (or replace) a named mark hook; supervision registers ``sanctions``."""
    _MARKS[name] = marks


def sanction_marks(organization_ids: Iterable[Any], on_date: dt.date | None = None) -> dict[str, str]:
    """organization id → what the catalog marks its listing with (a 黑名单 in force …); none when not sanctioned."""
    ids = [i for i in organization_ids if i]
    out: dict[str, str] = {}
    if not ids:
        return out
    on = on_date or timezone.localdate()
    for marks in list(_MARKS.values()):
        for org, label in marks(ids, on).items():
            out.setdefault(str(org), label)
    return out


def sanction_refusal(organization_id: Any, action: str, on_date: dt.date | None = None) -> str | None:
    """The reason ``action`` is refused to the organization on ``on_date`` (today by default), or None."""
    if organization_id is None:
        return None
    on = on_date or timezone.localdate()
    for check in list(_CHECKS.values()):
        reason = check(organization_id, action, on)
        if reason:
            return reason
    return None


def require_not_sanctioned(organization_ids: Iterable[Any] | Any, action: str, on_date: dt.date | None = None) -> None:
    """Raise ``OrganizationSanctioned`` when a sanction in force forbids ``action`` to any of the organizations."""
    ids = organization_ids if isinstance(organization_ids, (list, tuple, set, frozenset)) else [organization_ids]
    for org_id in {str(i) for i in ids if i}:
        reason = sanction_refusal(org_id, action, on_date)
        if reason:
            raise OrganizationSanctioned(reason)
