"""Sign-in controls enforced on every request of a signed-in session (等保三级 identity and session controls).

- ``SessionLifetimeMiddleware``: a session ends after ``JINENG_SESSION_IDLE_MINUTES`` without a request, and
  ``JINENG_SESSION_ABSOLUTE_HOURS`` after sign-in whatever the activity.
- ``SignInStepsMiddleware``: until the second factor is passed (enrolled first if need be) and an expired or
  administrator-set password is replaced, a session reaches only those steps' pages (the API answers 401).

Requests that carry a bearer header (systems) are not sessions and pass untouched: the API authenticates them by
their token alone and never falls back to the session (``jineng/accounts/rest/auth.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from jineng.accounts.passwords import password_expired
from jineng.accounts.second_factor import second_factor_enrolled, second_factor_required

AUTH_AT = "jineng_auth_at"
SEEN_AT = "jineng_seen_at"
SIGN_IN_NOTICE = "jineng_sign_in_notice"
# A session's "last seen" is rewritten at most this often (seconds), so not every request writes the session.
SEEN_RESOLUTION = 30
ALWAYS_OPEN = ("/static/", "/i18n/", "/healthz", "/logout/", "/favicon")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _has_bearer(request: HttpRequest) -> bool:
    return _is_api(request) and request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ")


def _api_refusal(code: str, message: str) -> HttpResponse:
    from jineng.common.rest.errors import error_response

    return error_response(401, code, message)


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


def _redirect(url: str, request: HttpRequest) -> HttpResponse:
    """A redirect; for an HTMX request the whole page goes (HX-Redirect), not the fragment being swapped in."""
    target = _with_next(url, request)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _has_bearer(request):
            refusal = self._check(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = timezone.now().timestamp()
        session = request.session
        auth_at = session.get(AUTH_AT)
        seen_at = session.get(SEEN_AT)
        if auth_at is None or seen_at is None:  # a session from before these controls, or a test's force_login
            session[AUTH_AT] = auth_at or now
            session[SEEN_AT] = now
            return None
        idle = settings.JINENG_SESSION_IDLE_MINUTES * 60
        absolute = settings.JINENG_SESSION_ABSOLUTE_HOURS * 3600
        if now - float(seen_at) > idle or now - float(auth_at) > absolute:
            reason = "空闲超时" if now - float(seen_at) > idle else "超过会话最长时限"
            logout(request)
            if _is_api(request):
                return _api_refusal("session_expired", f"会话已结束（{reason}），请重新登录。")
            messages.info(request, f"会话已结束（{reason}），请重新登录。")
            return _redirect(reverse("web:login"), request)
        if now - float(seen_at) >= SEEN_RESOLUTION:
            session[SEEN_AT] = now
        return None


class SignInStepsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not _has_bearer(request)
            and not request.path.startswith(ALWAYS_OPEN)
        ):
            refusal, pending = self._check(request, user)
            if refusal is not None:
                return refusal
            if (
                not pending
                and SIGN_IN_NOTICE in request.session
                and not _is_api(request)
                and not request.headers.get("HX-Request")
            ):
                # Every step passed: now tell about the last sign-in and the failures since (上次登录 …).
                messages.info(request, request.session.pop(SIGN_IN_NOTICE))
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: object) -> tuple[HttpResponse | None, bool]:
        """(the refusal or None, whether a step is still pending)."""
        verify_url = reverse("web:otp_verify")
        setup_url = reverse("web:otp_setup")
        if second_factor_required(user) and not getattr(user, "is_verified", lambda: False)():
            if request.path.startswith((verify_url, setup_url)):
                return None, True
            if _is_api(request):
                return _api_refusal("second_factor_required", "请先完成动态口令验证。"), True
            target = verify_url if second_factor_enrolled(user) else setup_url
            return _redirect(target, request), True
        if password_expired(user):
            change_url = reverse("web:password_change")
            if request.path.startswith((change_url, reverse("web:otp_recovery"))):
                return None, True
            if _is_api(request):
                return _api_refusal("password_change_required", "密码已过期或由管理员设置，请先修改密码。"), True
            return _redirect(change_url, request), True
        return None, False
