"""Template context for the shell: navigation for the user's role grouped by task, their grants, the bell's count."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from jineng.accounts.api import principal_for
from jineng.web.nav import NAV, PUBLIC_NAV, nav_groups

# The bell's count is recomputed at most this often per user (it runs one query per kind of to-do).
BELL_SECONDS = 60


def _bell_count(user: Any) -> int:
    from jineng.web.todos import notifications_for

    key = f"jn-bell:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = len(notifications_for(user))
        cache.set(key, count, BELL_SECONDS)
    return int(count)


def public_nav(request: HttpRequest) -> list[dict[str, Any]]:
    items = []
    for item in PUBLIC_NAV:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": [], "public_nav": public_nav(request)}
    p = principal_for(user)
    items = []
    for item in NAV:
        if not item.shown_to(p):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({
            "label": item.label, "url": url, "icon": item.icon, "section": item.section, "active": active,
            "url_name": item.url_name,
        })  # fmt: skip
    from jineng.accounts.api import Grant

    grants = [
        g
        for g in Grant.objects.filter(user=user, revoked_at__isnull=True).select_related("region", "organization")
        if g.is_active()
    ]
    return {
        "nav_items": items,
        "nav_groups": nav_groups(p, items),
        "shell_grants": grants,
        "bell_count": _bell_count(user),
    }
