"""What other apps may use of accounts: the scope mechanism, roles, and the models grants point at."""

from jineng.accounts.models import Grant, Organization, OrganizationKind, User
from jineng.accounts.roles import PERMISSIONS, Function
from jineng.accounts.scope import (
    Principal,
    ScopeSpec,
    can,
    current_user,
    get_visible,
    home_region,
    principal_for,
    register_scope,
    require,
    scope_q,
    visible,
)

__all__ = [
    "PERMISSIONS",
    "Function",
    "Grant",
    "Organization",
    "OrganizationKind",
    "Principal",
    "ScopeSpec",
    "can",
    "User",
    "get_visible",
    "current_user",
    "home_region",
    "principal_for",
    "register_scope",
    "require",
    "scope_q",
    "visible",
]
