"""Sign-in events (登录记录): every attempt is kept; a success starts the session clock and tells the user about the
last success and the failures since."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jineng.accounts.middleware import AUTH_AT, SEEN_AT, SIGN_IN_NOTICE
from jineng.accounts.services import sign_in_record
from jineng.common.middleware import client_address


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    notice = sign_in_record(username=user.get_username(), user=user, succeeded=True, address=client_address(request))
    session = getattr(request, "session", None)
    if session is not None:
        now = timezone.now().timestamp()
        session[AUTH_AT] = now
        session[SEEN_AT] = now
        if notice:  # shown on the first page after every sign-in step (SignInStepsMiddleware)
            session[SIGN_IN_NOTICE] = notice


def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from jineng.accounts.models import User

    username = str(credentials.get("username") or "")[:150]
    if not username:
        return
    user = User.objects.filter(username=username).first()
    address = client_address(request) if request is not None else ""
    sign_in_record(username=username, user=user, succeeded=False, address=address)
