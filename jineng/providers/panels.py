"""Panels a higher app adds to an organization's page (ADR 0027's hook pattern): supervision registers its 监管信息
block (risk score and latest cases) in its ``ready``; the provider page renders what each hook answers for the reader
— "" when the reader may not see it (the organization's own staff, an official of another region)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# ``fn(user, organization_id) -> html`` (already escaped by its template; "" for nothing to show).
OrganizationPanel = Callable[[Any, Any], str]
_PANELS: dict[str, OrganizationPanel] = {}


def register_organization_panel(name: str, panel: OrganizationPanel) -> None:
    """Register (or replace) a named panel; supervision registers ``supervision``."""
    _PANELS[name] = panel


def organization_panels(user: Any, organization_id: Any) -> list[SafeString]:
    """The panels the reader may see on the organization's page, in registration order."""
    out = []
    for panel in list(_PANELS.values()):
        html = panel(user, organization_id)
        if html:
            out.append(mark_safe(html))  # noqa: S308 - rendered by the registering app's template, autoescaped
    return out
