"""Scope entries of accounts' pages (registered into tests/scope_cases.py): the unified identity sign-in lists no
records; whom a callback signs in, and that an identity matching no person reaches no one's records, is tested in
jineng/accounts/tests/test_oidc.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register_accounts_cases(register: Callable[..., None], scope_case: Any, exempt: Any) -> None:
    register("accounts:oidc_start", exempt("sign-in: a redirect to the identity provider; lists nothing"))
    register(
        "accounts:oidc_callback",
        exempt("sign-in: signs in only the verified identity's own account (test_oidc.py); lists nothing"),
    )
