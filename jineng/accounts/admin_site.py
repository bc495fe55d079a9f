"""The admin site: entered through a system-administrator grant (系统管理员), not through ``is_staff``.

Signing in happens on the platform's own login page (same lockout, same messages); the admin's login URL sends
there, and answers 403 to a signed-in user without the grant instead of bouncing between the two pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from jineng.accounts.scope import principal_for
from jineng.common.errors import PermissionDenied

ADMIN_PERMISSION = "admin.access"


def is_admin(user: Any) -> bool:
    """Superusers, and users holding an active grant that carries ``admin.access`` (the sysadmin function)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or principal_for(user).has(ADMIN_PERMISSION)


class JinengAdminSite(AdminSite):
    site_header = "技能平台 · 系统管理"
    site_title = "技能平台系统管理"
    index_title = "系统管理"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied("系统管理需要系统管理员授权。")
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        query = urlencode({"next": target or reverse("admin:index", current_app=self.name)})
        return HttpResponseRedirect(f"{reverse('web:login')}?{query}")
