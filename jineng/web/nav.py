"""Navigation by role: each entry names the permission that shows it. Apps add their entries here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Any  # str or a lazy translation
    url_name: str
    permission: str | None  # None: every signed-in user
    icon: str = ""
    section: str = "main"


NAV: list[NavItem] = [
    NavItem(_("工作台"), "web:home", None, "⌂"),
    NavItem(_("参数设置"), "web:settings", "settings.view", "⚙", "admin"),
    NavItem(_("作业"), "web:jobs", "jobs.view", "⏱", "admin"),
    NavItem(_("审计日志"), "web:audit", "audit.view", "🛡", "admin"),
    NavItem(_("用户与授权"), "web:users", "users.manage", "👥", "admin"),
    NavItem(_("我的账号"), "web:account", None, "👤", "admin"),
]


def register_nav(item: NavItem, *, before: str | None = None) -> None:
    if any(existing.url_name == item.url_name for existing in NAV):
        return
    if before:
        for i, existing in enumerate(NAV):
            if existing.url_name == before:
                NAV.insert(i, item)
                return
    NAV.insert(1, item) if item.section == "main" else NAV.append(item)
