"""The audit events accounts writes — 用户、授权、接口令牌、机构（作为主体）和列表导出.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    USER = "accounts.user"
    GRANT = "accounts.grant"
    API_TOKEN = "accounts.api_token"
    ORGANIZATION = "accounts.organization"
    LIST = "common.list"
    JOB = "common.job"


class Event(AuditEvent):
    USER_CREATE = "user.create", Object.USER
    USER_PASSWORD_RESET = "user.password_reset", Object.USER
    USER_PASSWORD_CHANGE = "user.password_change", Object.USER
    USER_OTP_RESET = "user.otp_reset", Object.USER
    OTP_ENROLL = "otp.enroll", Object.USER
    USER_OIDC_SIGN_IN = "user.oidc_sign_in", Object.USER  # signed in through unified identity (统一身份认证)
    USER_OIDC_REFUSED = "user.oidc_refused", Object.USER  # an identity the callback refused or matched to no one
    USER_OIDC_LINK = "user.oidc_link", Object.USER  # an identity at the provider linked to an account
    GRANT_CREATE = "grant.create", Object.GRANT
    GRANT_REVOKE = "grant.revoke", Object.GRANT
    TOKEN_CREATE = "token.create", Object.API_TOKEN
    TOKEN_REVOKE = "token.revoke", Object.API_TOKEN
    ORGANIZATION_CREATE = "organization.create", Object.ORGANIZATION
    LIST_EXPORT = "list.export", Object.LIST
    LIST_EXPORT_DOWNLOAD = "list.export_download", Object.JOB
    ADMIN_CREATE = "admin.create"  # about any record: the caller names its type
    ADMIN_CHANGE = "admin.change"  # about any record: the caller names its type
