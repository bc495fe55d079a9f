"""Password policy (密码策略): length, character classes, history, expiry — every number a deployment setting.

The validators plug into Django's ``AUTH_PASSWORD_VALIDATORS``, so every place a password is set through
``validate_password`` (the users page, the self-service change page, provider onboarding, ``createsuperuser``,
``changepassword``) applies the same policy. They read their numbers from the settings at call time
(``JINENG_PASSWORD_*`` in ``config/settings/base.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone


def min_length() -> int:
    return int(getattr(settings, "JINENG_PASSWORD_MIN_LENGTH", 10))


def min_classes() -> int:
    return int(getattr(settings, "JINENG_PASSWORD_MIN_CLASSES", 3))


def history_depth() -> int:
    return int(getattr(settings, "JINENG_PASSWORD_HISTORY", 5))


def max_age_days() -> int:
    """Days a password stays valid; 0 turns expiry off."""
    return int(getattr(settings, "JINENG_PASSWORD_MAX_AGE_DAYS", 90))


def character_classes(password: str) -> int:
    """How many of the four classes (upper case, lower case, digits, other characters) the password uses."""
    return sum(
        [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class MinimumLengthValidator:
    """At least ``JINENG_PASSWORD_MIN_LENGTH`` characters."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < min_length():
            raise ValidationError(f"密码至少 {min_length()} 个字符。", code="password_too_short")

    def get_help_text(self) -> str:
        return f"密码至少 {min_length()} 个字符。"


class ComplexityValidator:
    """At least ``JINENG_PASSWORD_MIN_CLASSES`` of: upper case, lower case, digits, other characters."""

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < min_classes():
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、其他符号中的至少 {min_classes()} 类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return f"须包含大写字母、小写字母、数字、其他符号中的至少 {min_classes()} 类。"


class HistoryValidator:
    """Not the current password nor any of the last ``JINENG_PASSWORD_HISTORY`` ones; records each new one."""

    def validate(self, password: str, user: Any = None) -> None:
        depth = history_depth()
        if depth <= 0 or user is None or getattr(user, "pk", None) is None or user._state.adding:
            return
        from jineng.accounts.models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[:depth])
        from django.contrib.auth import get_user_model

        current = get_user_model().objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current:
            hashes.append(current)
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(f"新密码不能与最近 {depth} 次使用过的密码相同。", code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        """Called by Django after a new password is saved: keep its hash, prune beyond the depth."""
        if user is None or getattr(user, "pk", None) is None or not user.password:
            return
        from jineng.accounts.models import PasswordHistory

        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        keep = max(history_depth(), 1)
        old = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()

    def get_help_text(self) -> str:
        return f"不能与最近 {history_depth()} 次使用过的密码相同。"


def password_expired(user: Any, *, now: dt.datetime | None = None) -> bool:
    """Whether the user must choose a new password before going on: set by an administrator, or too old."""
    if getattr(user, "password_must_change", False):
        return True
    days = max_age_days()
    changed = getattr(user, "password_changed_at", None)
    if days <= 0 or changed is None or not user.has_usable_password():
        return False
    return bool((now or timezone.now()) - changed > dt.timedelta(days=days))
