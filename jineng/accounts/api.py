"""What other apps may use of accounts: the scope mechanism, roles, and the models grants point at."""

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
from jineng.accounts.models import Grant, Organization, OrganizationKind, User
from jineng.accounts.roles import PERMISSIONS, Function
from jineng.accounts.scope import (
    Principal,
    ScopeSpec,
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
    "EXPORT_JOB_KIND",
    "XLSX_TYPE",
    "ExportOutcome",
    "export_file",
    "export_http",
    "list_export",
    "list_page",
    "wants_export",
    "PERMISSIONS",
    "Function",
    "Grant",
    "Organization",
    "OrganizationKind",
    "Principal",
    "ScopeSpec",
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
