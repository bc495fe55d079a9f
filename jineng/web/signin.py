"""Sign-in steps after the password: the second factor (enrol, then a code each time), recovery codes shown once,
and the password change page (self-service, and forced when the password expired or an administrator set it)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from jineng.accounts.api import (
    current_user,
    password_change,
    second_factor_enrolled,
    second_factor_match,
    totp_confirm,
    totp_pending_device,
    totp_secret_base32,
)
from jineng.common.errors import DomainError
from jineng.common.web.forms import domain_error_to_form
from jineng.web.forms import OtpTokenForm, PasswordChangeForm

RECOVERY_SESSION_KEY = "jineng_recovery_codes"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return "/"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """动态口令验证 — a code from the authenticator app, or one recovery code."""
    user = current_user(request)
    if not second_factor_enrolled(user):
        return redirect(f"{_url('web:otp_setup')}?{urlencode({'next': _next(request)})}")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_match(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("动态口令不正确或已过期（多次错误后须稍候再试）。"))
    return render(request, "web/otp_verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """绑定动态口令 — scan the QR code (or type the key), confirm with a first code, get recovery codes."""
    user = current_user(request)
    if second_factor_enrolled(user):
        return redirect(f"{_url('web:otp_verify')}?{urlencode({'next': _next(request)})}")
    device = totp_pending_device(user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[RECOVERY_SESSION_KEY] = codes
            return redirect(f"{_url('web:otp_recovery')}?{urlencode({'next': _next(request)})}")
        form.add_error("token", _("动态口令不正确，请核对手机时间后重试。"))
    secret = totp_secret_base32(device)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "web/otp_setup.html", {"form": form, "secret": grouped, "next": _next(request)})


@never_cache
@login_required
def otp_qr(request: HttpRequest) -> HttpResponse:
    """The enrollment QR code as an SVG image (an image from our origin: the CSP allows no inline script/style)."""
    import io

    import segno

    user = current_user(request)
    if second_factor_enrolled(user):
        return HttpResponse(status=404)
    device = totp_pending_device(user)
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def otp_recovery(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown exactly once after enrollment."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return HttpResponseRedirect(_next(request))
    return render(request, "web/otp_recovery.html", {"codes": codes, "next": _next(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change_page(request: HttpRequest) -> HttpResponse:
    """修改密码 — from the user menu, or forced (expired, or set by an administrator)."""
    user = current_user(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            update_session_auth_hash(request, changed)  # this session stays signed in; others end
            messages.success(request, _("密码已修改。"))
            return HttpResponseRedirect(_next(request))
    from django.contrib.auth.password_validation import password_validators_help_texts

    from jineng.accounts.api import password_expired

    policy = " ".join(dict.fromkeys(str(t) for t in password_validators_help_texts()))
    return render(
        request,
        "web/password_change.html",
        {"form": form, "next": _next(request), "forced": password_expired(user), "policy": policy},
    )


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
