"""The pickers' look-ups (JSON): occupations by name or code (reference data, public), regions by name or code among
those in the user's scope. Small answers (at most ``LIMIT`` matches) for a ``<datalist>``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jineng.accounts.api import principal_for
from jineng.refdata.api import Region, former_names, occupation_search, region_subtree

LIMIT = 20
_REGION_PERMISSIONS = ("records.view", "settings.view", "indicators.view", "finance.ledger", "users.manage")


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:40]


@require_GET
def occupations(request: HttpRequest) -> JsonResponse:
    """By code, name, a 工种's or a former name: the exact name first (电工 6-31-01-03 before 电工仪器仪表装配工 …)."""
    q = _query(request)
    if not q:
        return JsonResponse({"results": []})
    results = []
    for o in occupation_search(q)[:LIMIT]:
        former = "、".join(former_names(o.code))
        name = f"{o.name}（{_('原')}{former}）" if former else o.name
        results.append({"code": o.code, "label": f"{o.code} {name}"})
    return JsonResponse({"results": results})


def scope_roots(user: Any) -> list[str] | None:
    """The region codes at the top of the user's region scope (None: the whole country)."""
    p = principal_for(user)
    if p.superuser:
        return None
    roots: set[str] = set()
    for permission in _REGION_PERMISSIONS:
        roots.update(p.regions_with(permission))
    # No region grant (an organization's staff, a worker): nothing to limit to — the server checks what they submit.
    return None if not roots or "000000" in roots else sorted(roots)


@require_GET
def regions(request: HttpRequest) -> JsonResponse:
    """Signed in: the regions of the user's scope. A visitor (the public pages' filters): every current region —
    the region tree is public reference data (/public/regions/)."""
    q = _query(request)
    if not q:
        return JsonResponse({"results": []})
    roots = scope_roots(request.user) if request.user.is_authenticated else None
    qs = Region.objects.current()
    if roots is not None:
        qs = qs.filter(code__in=region_subtree(roots))
    qs = qs.filter(Q(code__startswith=q) | Q(name__contains=q)).select_related("parent").order_by("code")[:LIMIT]
    results = []
    for r in qs:
        path = f"{r.parent.name} · {r.name}" if r.parent_id and r.parent and r.parent.code != "000000" else r.name
        results.append({"code": r.code, "label": f"{path}（{r.code}）"})
    return JsonResponse({"results": results})
