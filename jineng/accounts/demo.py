"""Demo accounts' second factor: each demo account gets an authenticator with the documented secret, so the demo
stays walkable (README, `make demo`; `jineng otp code USERNAME` prints the current code)."""

from __future__ import annotations

from collections.abc import Iterable

from jineng.accounts.models import User
from jineng.accounts.second_factor import DEMO_TOTP_SECRET, demo_second_factor, second_factor_required


def seed_demo_second_factors(usernames: Iterable[str]) -> str:
    """Give every demo account that needs a second factor the demo authenticator; returns the secret to print."""
    for user in User.objects.filter(username__in=list(usernames)):
        if second_factor_required(user):
            demo_second_factor(user)
    return DEMO_TOTP_SECRET
