"""Region scope — the ONE mechanism that pages, API, exports and admin go through.

Each scoped model registers a ``ScopeSpec`` naming where its attributed region, its organization, the person it
is about, or its owning user can be found. ``visible(queryset, user, permission)`` then keeps only the rows the
user's active grants carrying ``permission`` reach:

- a region grant reaches records attributed to its region or any region below it (through the closure table,
  never by code prefixes);
- an organization grant reaches records of that organization;
- a worker reaches the records about their own person;
- a record's owner reaches what they created where the spec names an owner (their own jobs, uploads).

Detail views use ``get_visible`` which answers 404 for a record outside the scope, so its existence leaks nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from jineng.accounts.models import Grant, User
from jineng.accounts.roles import PERMISSIONS, Function
from jineng.common.errors import NotFound, PermissionDenied
from jineng.refdata.api import region_is_within, region_subtree

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class ScopeSpec:
    region: str | None = None
    organization: str | None = None
    person: str | None = None
    owner: str | None = None
    # Extra reach by region, for records visible in more places than their own region (a person is visible
    # wherever any of their facts is attributed): receives the subquery of region codes in scope.
    extra_region: Callable[[QuerySet[Any]], Q] | None = None
    public: bool = False


_SPECS: dict[type[models.Model], ScopeSpec] = {}


def register_scope(model: type[models.Model], spec: ScopeSpec) -> None:
    _SPECS[model] = spec


def scope_spec(model: type[models.Model]) -> ScopeSpec:
    try:
        return _SPECS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no registered ScopeSpec; register_scope() it") from None


def scoped_models() -> dict[type[models.Model], ScopeSpec]:
    return dict(_SPECS)


@dataclass
class Principal:
    """The user's active grants, reduced to what scope checks need."""

    user_id: Any
    person_id: Any
    superuser: bool
    region_perms: dict[str, set[str]] = field(default_factory=dict)  # region code → permissions
    org_perms: dict[Any, set[str]] = field(default_factory=dict)  # organization id → permissions
    worker_perms: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)

    def regions_with(self, permission: str) -> list[str]:
        return [code for code, perms in self.region_perms.items() if permission in perms]

    def orgs_with(self, permission: str) -> list[Any]:
        return [org for org, perms in self.org_perms.items() if permission in perms]

    def has(self, permission: str) -> bool:
        return (
            self.superuser
            or any(permission in p for p in self.region_perms.values())
            or any(permission in p for p in self.org_perms.values())
            or permission in self.worker_perms
        )


class Operator:
    """An operator at the console (``jineng import`` without ``--as``) or the demo seeding, acting with every
    permission; the audit trail records its name."""

    pk = None

    def __init__(self, username: str = "command line") -> None:
        self.username = username
        self._jineng_principal = Principal(
            user_id=None, person_id=None, superuser=True, region_perms={"000000": set(PERMISSIONS[Function.SYSADMIN])}
        )

    def __str__(self) -> str:
        return self.username


# Who does something, as every service takes it: a user — signed in (their active grants, read through
# ``principal_for``, decide what they may do) or anonymous (refused by ``require``); the console ``Operator``; or, for
# a system process, its name (``"seed"``, ``"system"``, ``"self-registration"``) or None — the audit trail records
# the name ("system" for None).
Actor: TypeAlias = User | AnonymousUser | Operator | str | None


def actor_user(actor: Actor) -> User | None:
    """The user behind ``actor``, to store as who did something (``created_by`` …); None for a system actor."""
    return actor if isinstance(actor, User) and actor.pk else None


def principal_for(user: Any) -> Principal:
    cached: Principal | None = getattr(user, "_jineng_principal", None)
    if cached is not None:
        return cached
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        principal = Principal(user_id=None, person_id=None, superuser=False)
    else:
        principal = Principal(user_id=user.pk, person_id=user.person_id, superuser=bool(user.is_superuser))
        now = timezone.now()
        grants = Grant.objects.filter(user=user, revoked_at__isnull=True, valid_from__lte=now).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=now)
        )
        for grant in grants:
            perms = set(PERMISSIONS.get(grant.function, frozenset()))
            principal.functions.add(grant.function)
            if grant.function == Function.WORKER:
                principal.worker_perms |= perms
            elif grant.region_id:
                principal.region_perms.setdefault(grant.region_id, set()).update(perms)
            elif grant.organization_id:
                principal.org_perms.setdefault(grant.organization_id, set()).update(perms)
        if principal.superuser:
            principal.region_perms.setdefault("000000", set()).update(PERMISSIONS[Function.SYSADMIN])
    if user is not None and hasattr(user, "pk"):
        user._jineng_principal = principal
    return principal


def scope_q(model: type[models.Model], user: Any, permission: str = "records.view") -> Q:
    """The filter that keeps the rows of ``model`` that ``user`` may see with ``permission``."""
    spec = scope_spec(model)
    if spec.public:
        return Q()
    p = principal_for(user)
    q = Q(pk__in=[])
    regions = p.regions_with(permission)
    if regions:
        sub = region_subtree(regions)
        if spec.region:
            q |= Q(**{f"{spec.region}__in": sub})
        if spec.extra_region is not None:
            q |= spec.extra_region(sub)
    orgs = p.orgs_with(permission)
    if orgs and spec.organization:
        q |= Q(**{f"{spec.organization}__in": orgs})
    if spec.person and p.person_id and ("self.view" in p.worker_perms or permission == "self.view"):
        q |= Q(**{spec.person: p.person_id})
    if spec.owner and p.user_id:
        q |= Q(**{spec.owner: p.user_id})
    return q


def visible(queryset: QuerySet[M] | type[M], user: Any, permission: str = "records.view") -> QuerySet[M]:
    qs: QuerySet[M] = queryset.objects.all() if isinstance(queryset, type) else queryset  # type: ignore[attr-defined]
    return qs.filter(scope_q(qs.model, user, permission))


def get_visible(queryset: QuerySet[M] | type[M], user: Any, pk: Any, permission: str = "records.view") -> M:
    """The record if it is in scope; otherwise NotFound (404) — the same answer as for a record that is absent."""
    qs = visible(queryset, user, permission)
    try:
        obj = qs.filter(pk=pk).first()
    except (ValueError, TypeError, models.ObjectDoesNotExist):
        obj = None
    except Exception as exc:  # a malformed UUID raises ValidationError from the field
        if type(exc).__name__ == "ValidationError":
            obj = None
        else:
            raise
    if obj is None:
        raise NotFound()
    return obj


def require(user: Any, permission: str, *, region_code: str | None = None, organization_id: Any = None) -> None:
    """Raise PermissionDenied unless a grant carrying ``permission`` reaches the region or organization."""
    p = principal_for(user)
    if p.superuser:
        return
    if region_code is None and organization_id is None:
        if p.has(permission):
            return
        raise PermissionDenied()
    if region_code is not None:
        for code in p.regions_with(permission):
            if region_is_within(region_code, code):
                return
    if organization_id is not None and str(organization_id) in {str(o) for o in p.orgs_with(permission)}:
        return
    raise PermissionDenied()


def can(user: Any, permission: str, *, region_code: str | None = None, organization_id: Any = None) -> bool:
    """Whether ``require`` would let ``user`` through (to show or hide an action; the service still checks)."""
    try:
        require(user, permission, region_code=region_code, organization_id=organization_id)
    except PermissionDenied:
        return False
    return True


def home_region(user: Any) -> str | None:
    """The highest region a user holds an official grant over (for dashboards' default region)."""
    p = principal_for(user)
    if not p.region_perms:
        return None
    return min(
        p.region_perms,
        key=lambda code: (code != "000000", not code.endswith("0000"), not code.endswith("00"), code),
    )


def current_user(request: Any) -> Any:
    """The signed-in user of a request (views behind login_required or API auth), typed as our User."""
    from jineng.accounts.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("请先登录。", code="not_authenticated")
    return user
