"""Writes on accounts: users, grants, API tokens. Each audited in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jineng.accounts.events import Event
from jineng.accounts.models import ApiToken, Grant, Organization, SignInEvent, User
from jineng.accounts.roles import (
    ADMIN_TRIAD,
    CONSOLE_ONLY_FUNCTIONS,
    ORGANIZATION_FUNCTIONS,
    REGION_FUNCTIONS,
    TIME_BOXED_FUNCTIONS,
    Function,
)
from jineng.accounts.scope import Actor, actor_user
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, InvalidState, ValidationFailed
from jineng.refdata.api import region_validate

TOKEN_PREFIX = "jn_"  # noqa: S105 - a public prefix, not a secret


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    must_change: bool = False,
) -> User:
    """A user account. ``must_change``: the password was typed by someone else (an administrator on /users/, an
    organization's administrator for its staff), so the user chooses their own at the first sign-in."""
    username = username.strip()
    if not username:
        raise ValidationFailed("用户名不能为空。", [FieldError("username", "required", "用户名不能为空。")])
    if User.objects.filter(username=username).exists():
        raise ValidationFailed("用户名已存在。", [FieldError("username", "duplicate", f"用户名已存在：{username}")])
    user = User(username=username, display_name=display_name, email=email)
    if password:
        password_check(password=password, user=user)
    with transaction.atomic():
        if password:
            user.set_password(password)
            user.password_must_change = must_change
        else:
            user.set_unusable_password()
        user.save()
        audit_event(Event.USER_CREATE, actor=actor, object_id=user.pk, after={"username": username})
    return user


def password_check(*, password: str, user: User, field: str = "password") -> None:
    """Every password policy (AUTH_PASSWORD_VALIDATORS: length, classes, common, history …) or a field error."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        message = "密码不符合要求：" + " ".join(str(m) for m in exc.messages)
        raise ValidationFailed(message, [FieldError(field, "weak_password", message)]) from None


def password_set_by_admin(*, actor: Actor, user: User, password: str) -> User:
    """An administrator sets a user's password (重置密码): validated; the user must change it at next sign-in."""
    password_check(password=password, user=user)
    return _password_write(user, password, must_change=True, event=Event.USER_PASSWORD_RESET, actor=actor)


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A user changes their own password (修改密码): the current one first, then the policy and the history."""
    if not user.check_password(old_password or ""):
        raise ValidationFailed("当前密码不正确。", [FieldError("old_password", "wrong_password", "当前密码不正确。")])
    if old_password.casefold() == new_password.casefold():  # a change of letter case is not a new password
        raise ValidationFailed(
            "新密码不能与当前密码相同。", [FieldError("new_password", "password_reused", "新密码不能与当前密码相同。")]
        )
    password_check(password=new_password, user=user, field="new_password")
    return _password_write(user, new_password, must_change=False, event=Event.USER_PASSWORD_CHANGE, actor=None)


def _password_write(user: User, password: str, *, must_change: bool, event: Event, actor: Actor | None) -> User:
    """Store a checked password on the locked user and record ``event`` (by ``actor``, else the user themself)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.password_must_change = must_change
        locked.save()
        audit_event(event, actor=actor if actor is not None else locked, object_id=locked.pk)
    return locked


def second_factor_reset(*, actor: Actor, user: User, reason: str) -> None:
    """An administrator resets a user's second factor (重置动态口令): the devices go; enrollment at next sign-in."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not (reason or "").strip():
        raise ValidationFailed("请填写重置原因。", [FieldError("reason", "required", "请填写重置原因。")])
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
        audit_event(
            Event.USER_OTP_RESET,
            actor=actor,
            object_id=user.pk,
            after={"devices_removed": removed},
            reason=reason.strip()[:200],
        )


def sign_in_record(*, username: str, user: User | None, succeeded: bool, address: str) -> str | None:
    """Record a sign-in attempt. On a success, returns the notice for the user (上次登录 …, failures since)."""
    from django.utils.formats import date_format

    notice = None
    if succeeded and user is not None:
        last = SignInEvent.objects.filter(user=user, succeeded=True).order_by("-at").first()
        failures = SignInEvent.objects.filter(username=user.username, succeeded=False)
        if last is not None:
            failures = failures.filter(at__gt=last.at)
            notice = (
                f"上次登录：{date_format(timezone.localtime(last.at), 'Y-m-d H:i')}，地址 {last.address or '未知'}；"
                f"此后登录失败 {failures.count()} 次。"
            )
        else:
            notice = f"这是该账号的首次登录；此前登录失败 {failures.count()} 次。"
    SignInEvent.objects.create(username=username[:150], user=user, succeeded=succeeded, address=address[:64])
    return notice


def organization_create(*, actor: Actor, kind: str, name: str, credit_code: str, region_code: str) -> Organization:
    """Register an organization as a principal: its 统一社会信用代码 (GB 32100, check character verified) is unique."""
    from django.db import IntegrityError

    from jineng.accounts.models import OrganizationKind
    from jineng.common.codes import credit_code_problem

    errors: list[FieldError] = []
    if kind not in OrganizationKind.values:
        errors.append(FieldError("kind", "unknown_kind", f"未知的组织类别：{kind!r}"))
    name = (name or "").strip()
    if not name:
        errors.append(FieldError("name", "required", "请填写组织名称。"))
    elif len(name) > 200:
        errors.append(FieldError("name", "too_long", "组织名称不能超过200个字符。"))
    code = (credit_code or "").strip().upper()
    problem = credit_code_problem(code)
    if problem:
        errors.append(FieldError("credit_code", "bad_credit_code", problem))
    elif Organization.objects.filter(credit_code=code).exists():
        errors.append(FieldError("credit_code", "duplicate_credit_code", f"该统一社会信用代码已登记：{code}"))
    region = None
    try:
        region = region_validate(region_code)
    except ValidationFailed as exc:
        errors.extend(exc.fields)
    if errors or region is None:
        raise ValidationFailed("组织信息不正确。", errors)
    try:
        with transaction.atomic():
            org = Organization.objects.create(kind=kind, name=name, credit_code=code, region=region)
            audit_event(
                Event.ORGANIZATION_CREATE,
                actor=actor,
                object_id=org.pk,
                region_code=org.region_id,
                after={"kind": kind, "name": name, "credit_code": code, "region": org.region_id},
            )
    except IntegrityError:  # a concurrent registration of the same code won the unique constraint
        raise ValidationFailed(
            "组织信息不正确。",
            [FieldError("credit_code", "duplicate_credit_code", f"该统一社会信用代码已登记：{code}")],
        ) from None
    return org


def grant_create(
    *,
    actor: Actor,
    user: User,
    function: str,
    region_code: str | None = None,
    organization: Organization | None = None,
    valid_until: datetime | None = None,
) -> Grant:
    if function not in Function.values:
        raise ValidationFailed("职能不正确。", [FieldError("function", "unknown_function", f"未知的职能：{function}")])
    errors: list[FieldError] = []
    region = None
    if function in REGION_FUNCTIONS:
        if organization is not None:
            errors.append(FieldError("organization", "not_allowed", "该职能按行政区划授权，不能指定组织。"))
        if not region_code:
            errors.append(FieldError("region", "required", "该职能须指定行政区划。"))
        else:
            region = region_validate(region_code)
    elif function in ORGANIZATION_FUNCTIONS:
        if organization is None:
            errors.append(FieldError("organization", "required", "该职能须指定所属组织。"))
        if region_code:
            errors.append(FieldError("region", "not_allowed", "该职能按组织授权，不能指定行政区划。"))
    if valid_until is not None and function not in TIME_BOXED_FUNCTIONS:
        errors.append(FieldError("valid_until", "not_time_boxed", "只有检查员和审计授权可以设置期限。"))
    if valid_until is not None and valid_until <= timezone.now():
        errors.append(FieldError("valid_until", "in_past", "授权截止时间须晚于当前时间。"))
    if function in CONSOLE_ONLY_FUNCTIONS and isinstance(actor, User):
        # 三权分立: a system administrator who could make a security or audit administrator would hold all three
        # powers through a second account. Those two are granted only on the server (`jineng triad grant`).
        message = f"三权分立：“{Function(function).label}”只能由部署人员在服务器上授予（jineng triad grant），不能在系统内授予。"
        errors.append(FieldError("function", "console_only", message))
    if errors:
        raise ValidationFailed("授权信息不正确。", errors)
    with transaction.atomic():
        if function in ADMIN_TRIAD:
            # 三权分立: the user row is locked so two concurrent grants cannot both pass the check.
            User.objects.select_for_update().get(pk=user.pk)
            held = (
                Grant.objects.filter(user=user, function__in=ADMIN_TRIAD, revoked_at__isnull=True)
                .exclude(function=function)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=timezone.now()))
                .values_list("function", flat=True)
                .first()
            )
            if held is not None:
                message = f"三权分立：该账号已有“{Function(held).label}”职能，不能再授予“{Function(function).label}”。"
                raise ValidationFailed(message, [FieldError("function", "separation_of_duties", message)])
        grant = Grant.objects.create(
            user=user,
            function=function,
            region=region,
            organization=organization,
            valid_until=valid_until,
            granted_by=actor_user(actor),
        )
        audit_event(
            Event.GRANT_CREATE,
            actor=actor,
            object_id=grant.pk,
            region_code=region.code if region else (organization.region_id if organization else ""),
            after={
                "user": user.username,
                "function": function,
                "region": region_code,
                "organization": str(organization.pk) if organization else None,
            },
        )
    return grant


def grant_revoke(*, actor: Actor, grant: Grant, reason: str) -> Grant:
    if not reason.strip():
        raise ValidationFailed("请填写撤销原因。", [FieldError("reason", "required", "请填写撤销原因。")])
    with transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.revoked_at is not None:
            raise InvalidState("该授权已撤销。", code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        audit_event(
            Event.GRANT_REVOKE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.region_id or "",
            reason=reason,
        )
    return locked


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, actor: Actor, user: User, label: str = "") -> tuple[ApiToken, str]:
    """Create a bearer token; returns the record and the secret, which is shown only this once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, prefix=secret[:10], digest=_digest(secret), label=label)
        audit_event(
            Event.TOKEN_CREATE,
            actor=actor,
            object_id=token.pk,
            after={"user": user.username, "prefix": token.prefix},
        )
    return token, secret


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is not None:
            raise InvalidState("该令牌已撤销。", code="already_revoked")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_event(Event.TOKEN_REVOKE, actor=actor, object_id=token.pk)
    return token


def token_authenticate(secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
