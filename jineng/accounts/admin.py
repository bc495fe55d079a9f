"""The Django admin over the kernel's tables, through the same scope mechanism as pages and API.

``ScopedAdmin`` is the base of every admin here: its rows are ``visible(queryset, user, "admin.access")`` — the
regions of the user's system-administrator grants, through the region closure — and only a user holding such a
grant (or a superuser, who sees everything) may use it. Nothing is ever deleted. Values are shown masked (ID
numbers, phones), and the few edits the admin allows are audited; everything else changes through the services
(revoke a grant, revoke a token, retry a job) as admin actions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from jineng.accounts.admin_site import ADMIN_PERMISSION, is_admin
from jineng.accounts.events import Event
from jineng.accounts.models import ApiToken, Grant, Organization, User
from jineng.accounts.scope import visible
from jineng.accounts.services import grant_revoke, token_revoke
from jineng.common.audit.services import audit_event
from jineng.common.errors import DomainError
from jineng.common.jobs.models import Job
from jineng.common.jobs.services import job_retry
from jineng.common.masking import scrub_text
from jineng.common.models import Attachment, AuditEntry
from jineng.refdata.api import RegionSetting

MASKED_LABELS = {
    "email": "邮箱",
    "revoked_reason": "撤销原因",
    "label": "用途",
    "reason": "原因",
    "before": "修改前",
    "after": "修改后",
    "params": "参数",
    "result": "结果",
    "error": "错误",
    "filename": "文件名",
    "status_reason": "状态原因",
}


def masked_value(value: Any) -> str:
    """A value for display with anything that looks like an ID number or a phone masked."""
    if value is None:
        return "-"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return scrub_text(str(value))


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, QuerySet | list | tuple | set):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows through ``visible()``; usable with a sysadmin grant only; never deletes; edits are audited."""

    scope_permission = ADMIN_PERMISSION
    read_only = False
    list_per_page = 50
    show_full_result_count = False

    # Labels of the "masked_<field>" columns (below); a field without one is labelled by its verbose name.
    masked_labels: dict[str, str] = MASKED_LABELS

    def __getattr__(self, name: str) -> Any:
        # A "masked_<field>" column in list_display/readonly_fields shows the field through masked_value().
        if not name.startswith("masked_"):
            raise AttributeError(name)
        field = name.removeprefix("masked_")

        def show(obj: Any) -> str:
            return masked_value(getattr(obj, field))

        show.short_description = self.masked_labels.get(field) or str(  # type: ignore[attr-defined]
            self.model._meta.get_field(field).verbose_name
        )
        return show

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return qs
        return visible(qs, request.user, self.scope_permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # records are never hard-deleted (记录不可物理删除)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self.read_only:
            return list(self.get_readonly_fields(request, obj))
        return super().get_fields(request, obj)

    def region_of(self, obj: Any) -> str:
        return ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The admin's change view runs in one transaction: the change and its audit entry commit together.
        changed = list(form.changed_data)
        before = {f: _plain(form.initial.get(f)) for f in changed}
        super().save_model(request, obj, form, change)
        if changed:
            audit_event(
                Event.ADMIN_CHANGE if change else Event.ADMIN_CREATE,
                actor=request.user,
                object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
                object_id=obj.pk,
                region_code=self.region_of(obj),
                before=before if change else None,
                after={f: _plain(form.cleaned_data.get(f)) for f in changed},
                reason="系统管理后台修改",
            )

    def _run_service(self, request: HttpRequest, objects: Any, service: Callable[[Any], Any], done: str) -> None:
        count = 0
        for obj in objects:
            try:
                service(obj)
            except DomainError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.WARNING)
            else:
                count += 1
        if count:
            self.message_user(request, done.format(count=count), messages.SUCCESS)


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = ("username", "display_name", "masked_email", "is_active", "last_login")
    list_filter = ("is_active",)
    search_fields = ("username", "display_name")
    fields = ("username", "display_name", "email", "language", "is_active", "last_login", "date_joined")
    readonly_fields = ("username", "last_login", "date_joined")
    ordering = ("username",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A system administrator does not edit a superuser's account; only another superuser does.
        if obj is not None and obj.is_superuser and not getattr(request.user, "is_superuser", False):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    list_display = ("name", "kind", "credit_code", "region", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "credit_code")
    fields = ("name", "kind", "credit_code", "region", "status", "created_at")
    readonly_fields = ("kind", "credit_code", "region", "created_at")

    def region_of(self, obj: Any) -> str:
        return str(obj.region_id)


@admin.register(Grant)
class GrantAdmin(ScopedAdmin):
    read_only = True
    list_display = ("user", "function", "region", "organization", "valid_until", "revoked_at")
    list_filter = ("function",)
    readonly_fields = (
        "user",
        "function",
        "region",
        "organization",
        "valid_from",
        "valid_until",
        "revoked_at",
        "masked_revoked_reason",
        "granted_by",
        "created_at",
    )
    actions = ["revoke"]

    @admin.action(description="撤销所选授权")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        self._run_service(
            request,
            queryset,
            lambda g: grant_revoke(actor=request.user, grant=g, reason="系统管理员在后台撤销"),
            "已撤销 {count} 项授权。",
        )


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    read_only = True
    list_display = ("prefix", "user", "label", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "user", "masked_label", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Tokens follow their users: a token is in scope where its user is.
        users = UserAdmin(User, self.admin_site).get_queryset(request)
        return super(ScopedAdmin, self).get_queryset(request).filter(user__in=users)

    @admin.action(description="撤销所选令牌")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        self._run_service(
            request,
            queryset.filter(revoked_at__isnull=True),
            lambda t: token_revoke(actor=request.user, token=t),
            "已撤销 {count} 个令牌。",
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    read_only = True
    list_display = ("seq", "at", "actor_name", "action", "object_type", "region_code", "masked_reason")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_name")
    readonly_fields = (
        "seq",
        "at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "region_code",
        "masked_before",
        "masked_after",
        "masked_reason",
        "address",
        "request_id",
        "prev_hash",
        "hash",
    )


@admin.register(Job)
class JobAdmin(ScopedAdmin):
    read_only = True
    list_display = ("kind", "status", "region_code", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = (
        "kind",
        "status",
        "masked_params",
        "progress_done",
        "progress_total",
        "masked_result",
        "masked_error",
        "region_code",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
    )
    actions = ["retry"]

    @admin.action(description="重试所选失败作业")
    def retry(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        self._run_service(
            request, queryset, lambda j: job_retry(job=j, actor=request.user), "已重新排队 {count} 个作业。"
        )


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdmin):
    read_only = True
    list_display = ("masked_filename", "kind", "size", "region_code", "created_at", "retain_until")
    list_filter = ("kind",)
    readonly_fields = (
        "masked_filename",
        "kind",
        "content_type",
        "size",
        "sha256",
        "region_code",
        "organization_id",
        "object_type",
        "object_id",
        "uploaded_by",
        "retain_until",
        "status",
        "masked_status_reason",
        "created_at",
    )


@admin.register(RegionSetting)
class RegionSettingAdmin(ScopedAdmin):
    read_only = True
    list_display = ("key", "region", "value", "valid_from", "valid_to", "set_by")
    list_filter = ("key",)
    readonly_fields = (
        "key",
        "region",
        "value",
        "valid_from",
        "valid_to",
        "masked_reason",
        "set_by",
        "created_at",
    )


# django-otp registers its devices in the admin, where a key or its QR code could be read by an administrator:
# second factors are managed only through the security administrator's reset (users page), never viewed.
for _otp_model in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
    from django.apps import apps as _apps

    _model = _apps.get_model(_otp_model)
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
