"""What other apps may use of accounts: the scope mechanism, roles, the models grants point at, and the account
services the site shell (``jineng.web``: sign-in, users, tokens) and providers' registration call.

Models are returned as they are: they are the foreign-key targets of every app and the ``actor`` of every service.
"""

from jineng.accounts.backends import OIDC_REQUIRED_FLAG
from jineng.accounts.lists import (
    EXPORT_JOB_KIND,
    XLSX_TYPE,
    ExportOutcome,
    export_file,
    export_http,
    list_export,
    list_page,
    wants_export,
)
from jineng.accounts.models import ApiToken, Grant, Organization, OrganizationKind, User
from jineng.accounts.oidc import enabled as oidc_enabled
from jineng.accounts.oidc import link_identity, register_person_matcher
from jineng.accounts.passwords import password_expired
from jineng.accounts.roles import PERMISSIONS, REGION_FUNCTIONS, Function
from jineng.accounts.scope import (
    Actor,
    Operator,
    Principal,
    ScopeSpec,
    actor_user,
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
from jineng.accounts.second_factor import (
    second_factor_enrolled,
    second_factor_match,
    totp_confirm,
    totp_pending_device,
    totp_secret_base32,
)
from jineng.accounts.selectors import actor_labels
from jineng.accounts.services import (
    grant_create,
    grant_revoke,
    organization_create,
    password_change,
    password_set_by_admin,
    second_factor_reset,
    token_create,
    token_revoke,
    user_create,
)

__all__ = [
    "Actor",
    "Operator",
    "actor_user",
    "EXPORT_JOB_KIND",
    "XLSX_TYPE",
    "ExportOutcome",
    "export_file",
    "export_http",
    "list_export",
    "list_page",
    "wants_export",
    "PERMISSIONS",
    "REGION_FUNCTIONS",
    "ApiToken",
    "Function",
    "Grant",
    "Organization",
    "OrganizationKind",
    "Principal",
    "ScopeSpec",
    "can",
    "User",
    "actor_labels",
    "get_visible",
    "current_user",
    "grant_create",
    "grant_revoke",
    "organization_create",
    "password_change",
    "password_expired",
    "password_set_by_admin",
    "second_factor_enrolled",
    "second_factor_match",
    "second_factor_reset",
    "token_create",
    "token_revoke",
    "totp_confirm",
    "totp_pending_device",
    "totp_secret_base32",
    "user_create",
    "link_identity",
    "OIDC_REQUIRED_FLAG",
    "oidc_enabled",
    "register_person_matcher",
    "home_region",
    "principal_for",
    "register_scope",
    "require",
    "scope_q",
    "visible",
]
