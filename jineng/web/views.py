"""Shell pages: login, home per role, audit, jobs, settings, account, users. Thin: parse, call a service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jineng.accounts.api import (
    ApiToken,
    Grant,
    Organization,
    User,
    actor_labels,
    current_user,
    export_http,
    get_visible,
    grant_create,
    home_region,
    list_page,
    oidc_enabled,
    password_set_by_admin,
    principal_for,
    require,
    second_factor_reset,
    token_create,
    token_revoke,
    user_create,
    visible,
    wants_export,
)
from jineng.common.errors import DomainError, FieldError, NotFound, ValidationFailed
from jineng.common.ids import uuid_or_none
from jineng.common.jobs.models import Job
from jineng.common.rest.errors import api_not_found, api_server_error
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.refdata.api import (
    Region,
    RegionSetting,
    region_get,
    region_validate,
    setting_edit_permission,
    setting_set,
    setting_value,
)
from jineng.refdata.settings_registry import SPECS
from jineng.web.forms import LoginForm, SettingForm, TokenForm, UserGrantForm, UserSecurityForm
from jineng.web.home import home_cards
from jineng.web.lists import AUDIT, JOBS
from jineng.web.todos import has_todo_sources, notifications_for, todo_rows, todo_summary, todos_for


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc_enabled": oidc_enabled()}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    todos = todos_for(request.user, today=today)
    return render(request, "web/home.html", {
        "cards": home_cards(request.user), "region": _home_region(request), "today": today,
        "todos": todo_rows(todos[:100], today), "todo_total": len(todos),
        "overdue_total": sum(1 for t in todos if t.overdue(today)),
        "todo_kinds": todo_summary(todos, today), "has_todos": has_todo_sources(request.user),
    })  # fmt: skip


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """通知 — to-dos overdue, due within two days, or new since yesterday."""
    today = timezone.localdate()
    items = notifications_for(request.user, today=today)
    return render(request, "web/notifications.html", {
        "items": todo_rows(items, today), "today": today,
    })  # fmt: skip


def _home_region(request: HttpRequest) -> Any:
    code = home_region(request.user)
    return region_get(code) if code else None


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    if wants_export(request):
        return export_http(request, AUDIT)
    listing = list_page(request, AUDIT)
    entries = listing["page_obj"]
    # Who and where in words: the person's display name (系统 for the platform), the region's name.
    actors = actor_labels(e.actor_name for e in entries)
    regions = dict(Region.objects.filter(code__in={e.region_code for e in entries}).values_list("code", "name"))
    for e in entries:
        e.actor_label = actors.get(e.actor_name, e.actor_name)
        e.region_name = regions.get(e.region_code, e.region_code)
    return render(request, "web/audit_list.html", listing)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "jobs.view")
    return render(request, "web/job_list.html", list_page(request, JOBS))


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = get_visible(Job, request.user, job_id, "jobs.view")
    template = "web/_job_status.html" if request.headers.get("HX-Request") else "web/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def attachment_download(request: HttpRequest, att_id: str) -> FileResponse:
    """An attached file (ID scan, contract, invoice, photo) for whoever may see it: ``attachments.view`` over its
    region or organization, or its uploader (a complaint's evidence: its handler only). Decrypted on the way out; each download is audited."""
    from jineng.common.attachments.services import attachment_open
    from jineng.web.attachment_access import attachment_readable

    att = attachment_readable(request.user, att_id)
    response = FileResponse(attachment_open(actor=request.user, attachment=att), content_type=att.content_type,
                            as_attachment=True, filename=att.filename)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def job_download(request: HttpRequest, job_id: str) -> FileResponse:
    """The file of a finished export job — only for the user who asked for it (audited)."""
    from urllib.parse import quote

    from jineng.accounts.api import export_file

    job = get_visible(Job, request.user, job_id, "jobs.view")
    stream, filename = export_file(actor=request.user, job=job)
    response = FileResponse(stream, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "settings.view")
    default_region = home_region(request.user) or ""
    code = request.GET.get("region", default_region).strip() or default_region
    region = None
    values: list[dict[str, Any]] = []
    error = ""
    if code:
        region = region_get(code)
        try:
            require(request.user, "settings.view", region_code=region.code)
        except DomainError:
            raise NotFound() from None  # a region outside the scope answers like one that does not exist
        today = timezone.localdate()
        for spec in SPECS.values():
            value = setting_value(spec.key, region.code, today)
            values.append({"spec": spec, "value": value, "overridden": value != spec.default})
    form = SettingForm(
        request.POST or None, initial={"region": region.code if region else "", "valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            region_validate(form.cleaned_data["region"])  # an unknown code is a field error, not a refusal
            require(
                request.user, setting_edit_permission(form.cleaned_data["key"]), region_code=form.cleaned_data["region"]
            )
            data = form.cleaned_data
            setting_set(
                actor=request.user,
                key=data["key"],
                region_code=data["region"],
                value=data["value"],
                valid_from=data["valid_from"],
                reason=data["reason"],
            )
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("参数已保存。"))
            return redirect(f"{request.path}?region={form.cleaned_data['region']}")
    versions = (
        visible(RegionSetting, request.user, "settings.view")
        .select_related("region")
        .order_by("key", "region_id", "-valid_from")[:200]
    )
    principal = principal_for(request.user)
    can_edit = principal.has("settings.edit") or principal.has("security.manage")
    return render(
        request,
        "web/settings.html",
        {"region": region, "values": values, "versions": versions, "form": form, "can_edit": can_edit, "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    # The new secret survives exactly one redirect (POST → redirect → GET), so a reload never creates another token.
    new_secret = request.session.pop("jineng_new_token", None)
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = uuid_or_none(request.POST["revoke"])
            token = ApiToken.objects.filter(user=current_user(request), pk=token_id).first() if token_id else None
            if token and token.revoked_at is None:
                token_revoke(actor=request.user, token=token)
                messages.success(request, _("令牌已撤销。"))
            return redirect("web:account")
        if form.is_valid():
            _token, secret = token_create(
                actor=request.user, user=current_user(request), label=form.cleaned_data["label"]
            )
            request.session["jineng_new_token"] = secret
            return redirect("web:account")
    grants = (
        Grant.objects.filter(user=current_user(request))
        .select_related("region", "organization")
        .order_by("-created_at")
    )
    tokens = ApiToken.objects.filter(user=current_user(request)).order_by("-created_at")
    return render(
        request, "web/account.html", {"grants": grants, "tokens": tokens, "form": form, "new_secret": new_secret}
    )


@login_required
@require_http_methods(["GET", "POST"])
def users_page(request: HttpRequest) -> HttpResponse:
    principal = principal_for(request.user)
    can_manage, can_secure = principal.has("users.manage"), principal.has("security.manage")
    if not can_secure:
        require(request.user, "users.manage")
    if request.method == "POST" and "action" in request.POST and can_secure:
        return _user_security_action(request)
    if request.method == "POST" and not can_manage:
        require(request.user, "users.manage")
    form = UserGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["region"]:
                region_validate(data["region"])  # an unknown code is a field error, not a refusal
                require(request.user, "users.manage", region_code=data["region"])
            organization = None
            if data["organization"]:
                organization = (
                    visible(Organization, request.user, "users.manage")
                    .filter(credit_code=data["organization"].strip().upper())
                    .first()
                )
                if organization is None:
                    raise ValidationFailed(
                        "组织不存在或不在您的管辖范围内。",
                        [
                            FieldError(
                                "organization",
                                "unknown_organization",
                                "未找到该统一社会信用代码对应的组织（或不在您的管辖范围内）。",
                            )
                        ],
                    )
            with transaction.atomic():
                user = user_create(
                    actor=request.user,
                    username=data["username"],
                    password=data["password"],
                    display_name=data["display_name"],
                    must_change=True,
                )
                grant_create(
                    actor=request.user,
                    user=user,
                    function=data["function"],
                    region_code=data["region"] or None,
                    organization=organization,
                    valid_until=data["valid_until"],
                )
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("用户已创建。"))
            return redirect("web:users")
    permission = "users.manage" if can_manage else "security.manage"
    qs = visible(User, request.user, permission).order_by("username").prefetch_related("grants__region")
    return render(
        request,
        "web/users.html",
        {"page_obj": page(request, qs), "form": form if can_manage else None, "can_secure": can_secure},
    )


def _user_security_action(request: HttpRequest) -> HttpResponse:
    """安全管理员: reset one account's password (the user must change it) or second factor; both audited."""
    form = UserSecurityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整。"))
        return redirect("web:users")
    data = form.cleaned_data
    target = visible(User, request.user, "security.manage").filter(pk=data["user_id"]).first()
    try:
        if target is None:
            raise NotFound("用户不存在或不在您的管辖范围内。", code="user_not_found")
        if target.pk == current_user(request).pk:
            raise ValidationFailed("不能在此重置自己的账号，请由另一名安全管理员操作。", code="self_reset")
        if data["action"] == "password":
            password_set_by_admin(actor=request.user, user=target, password=data["password"] or "")
            messages.success(
                request, _("已重置 %(user)s 的密码；该用户下次登录时须修改密码。") % {"user": target.username}
            )
        else:
            second_factor_reset(actor=request.user, user=target, reason=data["reason"] or "")
            messages.success(
                request, _("已重置 %(user)s 的动态口令；该用户下次登录时重新绑定。") % {"user": target.username}
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:users")


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point is to report any database failure
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor, "time": dt.datetime.now(dt.UTC).isoformat()})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return render(request, "web/500.html", status=500)
