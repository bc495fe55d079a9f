"""API authentication: bearer tokens for systems, the session (with CSRF) for the UI."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from jineng.accounts.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """Django's session; ninja enforces CSRF on unsafe methods for it.

    The CSRF question is only asked of a request that carries a signed-in session: a request with no session (or
    with a wrong or revoked bearer token) is unauthenticated and answers 401, not a misleading CSRF 403.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated or _carries_bearer(request):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if _carries_bearer(request):
            return None
        return super().authenticate(request, key)


def _carries_bearer(request: HttpRequest) -> bool:
    """A request that carries a bearer header is a system's: its token alone decides. Falling back to the browser's
    session would let a half-finished sign-in (password only, no second factor; an expired session; a forced
    password change) through the API, since the sign-in middleware leaves such requests to the token."""
    header: str = request.META.get("HTTP_AUTHORIZATION", "")
    return header.lower().startswith("bearer")


API_AUTH = [BearerToken(), Session()]
