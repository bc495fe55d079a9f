"""Template context for the shell: navigation for the user's role, their scope label."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from jineng.accounts.api import principal_for
from jineng.web.nav import NAV


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    p = principal_for(user)
    items = []
    for item in NAV:
        if item.permission is not None and not p.has(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": item.label, "url": url, "icon": item.icon, "section": item.section, "active": active})
    from jineng.accounts.models import Grant

    grants = [
        g
        for g in Grant.objects.filter(user=user, revoked_at__isnull=True).select_related("region", "organization")
        if g.is_active()
    ]
    return {"nav_items": items, "shell_grants": grants}
