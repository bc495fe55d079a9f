"""统一身份认证 pages: the start of the sign-in (a redirect to the provider) and its callback. Thin: the flow, the
verification and the matching are in ``jineng.accounts.oidc``."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jineng.accounts import oidc
from jineng.accounts.events import Event
from jineng.common.audit.services import audit_event
from jineng.common.masking import mask_name

NEXT_KEY = "jineng_oidc_next"
BACKEND = "jineng.accounts.backends.PasswordBackend"

# Why a sign-in was refused, in words (the audit trail keeps the code).
REASONS = {
    "token": gettext_lazy(
        "统一身份认证返回的登录凭据未通过校验（签名、签发方、受众、有效期或一次性随机数不符），本次登录无效。"
    ),
    "provider": gettext_lazy("统一身份认证未完成登录（已取消或出错）。"),
    "no_verified_id_number": gettext_lazy("统一身份认证未提供已核验的身份证号，无法确认您的身份。"),
    "invalid_id_number": gettext_lazy("统一身份认证提供的身份证号不符合校验规则。"),
    "person_mismatch": gettext_lazy("统一身份认证提供的身份证号与该账号关联的人员不一致，已拒绝登录。"),
    "not_a_worker_account": gettext_lazy("该身份对应的账号不是劳动者账号，须由管理员关联后使用统一身份认证登录。"),
    "inactive": gettext_lazy("该账号已停用。"),
    "concurrent_first_sign_in": gettext_lazy("您的账号正在开通中，请重新登录一次。"),
}


def _reason(code: str) -> str:
    return str(REASONS.get(code, _("无法通过统一身份认证登录。")))


def _next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return "/"


@never_cache
@require_GET
def oidc_start(request: HttpRequest) -> HttpResponse:
    """302 to the provider's authorization endpoint (authorization code + PKCE S256, state, nonce)."""
    if not oidc.enabled():
        return render(request, "accounts/oidc_refused.html", {"reason": _("本系统未配置统一身份认证。")}, status=404)
    request.session[NEXT_KEY] = _next(request, (request.GET.get("next") or "")[:2000])
    redirect_uri = request.build_absolute_uri(reverse("accounts:oidc_callback"))
    try:
        return oidc.authorization_redirect(request, redirect_uri)
    except oidc.TOKEN_ERRORS:
        reason = _("暂时无法连接统一身份认证服务，请稍后再试。")
        return render(request, "accounts/oidc_refused.html", {"reason": reason}, status=503)


@never_cache
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: verify the ID token, find the account, sign in (or offer registration, or refuse)."""
    if not oidc.enabled():
        return render(request, "accounts/oidc_refused.html", {"reason": _("本系统未配置统一身份认证。")}, status=404)
    if request.GET.get("error"):
        return render(request, "accounts/oidc_refused.html", {"reason": _reason("provider")}, status=400)
    try:
        claims = oidc.verified_claims(request)
    except oidc.TOKEN_ERRORS as exc:
        code = str(getattr(exc, "error", "") or type(exc).__name__)[:100]
        audit_event(Event.USER_OIDC_REFUSED, actor=oidc.ACTOR, after={"issuer": oidc.issuer()}, reason=code)
        return render(request, "accounts/oidc_refused.html", {"reason": _reason("token")}, status=400)
    outcome = oidc.resolve(request, claims)
    if outcome.kind == "no_match":
        return render(request, "accounts/oidc_no_match.html", {"masked_name": mask_name(outcome.name)})
    if outcome.kind != "signed_in" or outcome.user is None:
        return render(request, "accounts/oidc_refused.html", {"reason": _reason(outcome.reason)}, status=403)
    target = _next(request, request.session.get(NEXT_KEY, ""))
    login(request, outcome.user, backend=BACKEND)
    return HttpResponseRedirect(target)
