"""Password sign-in (Django's ModelBackend), less the accounts that must sign in through unified identity.

A worker signs in through the province's identity provider (统一身份认证, ``jineng.accounts.oidc``) unless the
deployment turns local passwords for workers on (``JINENG_WORKER_PASSWORD_SIGN_IN``); officials may be required to
as well (``JINENG_OFFICIALS_OIDC_ONLY``). ``JINENG_PASSWORD_SIGN_IN_KEPT`` lists usernames that keep their password
whatever those say (the demo worker). A refused password is only refused after it was checked, so the refusal tells
nothing to someone who does not know it; the login form then says to use unified identity.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from jineng.accounts.roles import Function
from jineng.accounts.scope import principal_for

# Set on the request when a correct password was refused because the account must use unified identity.
OIDC_REQUIRED_FLAG = "_jineng_oidc_required"


def is_worker_account(user: Any) -> bool:
    """A worker's account: linked to a registry person or holding the worker function, and no other function."""
    if user.is_superuser or user.is_staff:
        return False
    functions = principal_for(user).functions
    if functions - {Function.WORKER}:
        return False
    return user.person_id is not None or Function.WORKER in functions


def password_sign_in_allowed(user: Any) -> bool:
    """Whether ``user`` may sign in with a local password under this deployment's settings."""
    if user.get_username() in settings.JINENG_PASSWORD_SIGN_IN_KEPT:
        return True
    if is_worker_account(user):
        return bool(settings.JINENG_WORKER_PASSWORD_SIGN_IN)
    if user.is_superuser or user.is_staff or principal_for(user).functions:
        return not settings.JINENG_OFFICIALS_OIDC_ONLY
    return True


class PasswordBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or password_sign_in_allowed(user):
            return user
        if request is not None:
            setattr(request, OIDC_REQUIRED_FLAG, True)
        return None
