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
    """Django's session; ninja enforces CSRF on unsafe methods for it."""


API_AUTH = [BearerToken(), Session()]
