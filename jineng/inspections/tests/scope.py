"""Scope cases of inspections' URLs, registered into tests/scope_cases.py by ``register_inspection_cases``: a draw,
a task and a pool member attributed to a region show to the officials and inspectors over it only (the public pages
show the published draws to everyone, by design)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _org(region: str) -> Any:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char

    first17 = f"52{region}{uuid4().int % 10**9:09d}"
    return Organization.objects.create(kind="provider", name=f"探针机构{uuid4().hex[:8]}", region_id=region,
                                       credit_code=first17 + credit_code_check_char(first17))  # fmt: skip


def _draw(region: str) -> Any:
    from django.utils import timezone

    from jineng.inspections.models import Draw

    return Draw.objects.create(number=f"CJP{uuid4().hex[:12]}", title="探针抽查", region_id=region, kinds=["provider"],
                               count=1, commitment="0" * 64, seed="1" * 64, committed_at=timezone.now())  # fmt: skip


def _task(region: str) -> Any:
    from jineng.inspections.models import InspectionTask

    org = _org(region)
    return InspectionTask.objects.create(number=f"JCP{uuid4().hex[:12]}", region_id=region, organization=org,
                                         object_kind="provider", object_id=str(org.pk), object_name=org.name)  # fmt: skip


def _member(region: str) -> Any:
    from jineng.accounts.models import User
    from jineng.inspections.models import PoolMember

    user = User.objects.create_user(username=f"probe-{uuid4().hex[:10]}", password="pw-Test-12345")
    return PoolMember.objects.create(user=user, region_id=region, code=f"JCP{uuid4().hex[:12]}")


def _case(region: str) -> Any:
    from jineng.supervision.models import Case

    n = uuid4().hex[:12]
    return Case.objects.create(number=f"XSI{n}", rule="shared_phone", fingerprint=uuid4().hex + uuid4().hex,
                               severity="high", region_id=region, provider=_org(region), summary=f"探针线索{n}")  # fmt: skip


def register_inspection_cases(register: Callable[[str, Any], None], ScopeCase: Any, Exempt: Any) -> None:  # noqa: N803
    view = "supervision.view"
    register("inspections:tasks", ScopeCase("list", _task, lambda t: "/inspections/?mine=0", view, lambda t: t.number))
    register("inspections:task", ScopeCase("detail", _task, lambda t: f"/inspections/tasks/{t.pk}/", view))
    register("inspections:draws", ScopeCase("list", _draw, lambda d: "/inspections/draws/", view, lambda d: d.number))
    register("inspections:draw", ScopeCase("detail", _draw, lambda d: f"/inspections/draws/{d.pk}/", view))
    register("inspections:pool", ScopeCase("list", _member, lambda m: "/inspections/pool/", view, lambda m: m.code))
    register("inspections:objects", ScopeCase("detail", _org, lambda o: f"/inspections/objects/?region={o.region_id}",
                                              view))  # fmt: skip
    register("api:object_list", ScopeCase("detail", _org,
                                          lambda o: f"/api/v1/inspections/objects?region={o.region_id}", view))  # fmt: skip
    register("api:pool_list", ScopeCase("list", _member, lambda m: "/api/v1/inspections/pool?page_size=500", view,
                                        lambda m: m.code))  # fmt: skip
    register("api:draw_list", ScopeCase("list", _draw, lambda d: "/api/v1/inspections/draws?page_size=500", view,
                                        lambda d: d.number))  # fmt: skip
    register("api:draw_detail", ScopeCase("detail", _draw, lambda d: f"/api/v1/inspections/draws/{d.pk}", view))
    register("api:task_list", ScopeCase("list", _task, lambda t: "/api/v1/inspections/tasks?page_size=500", view,
                                        lambda t: t.number))  # fmt: skip
    register("api:task_detail", ScopeCase("detail", _task, lambda t: f"/api/v1/inspections/tasks/{t.pk}", view))
    register("api:finding_list", ScopeCase("detail", _task, lambda t: f"/api/v1/inspections/tasks/{t.pk}/findings",
                                           view))  # fmt: skip
    register("inspections:task_new", ScopeCase("list", _case, lambda c: "/inspections/tasks/new/",
                                               "supervision.inspect", lambda c: c.number))  # fmt: skip
    post = "POST only; the record is fetched through its visible queryset (404 outside the scope)"
    for name in ("inspections:task_act", "inspections:callback_act", "inspections:finding_act", "api:draw_create", "api:draw_freeze",
                 "api:draw_run", "api:draw_redraw", "api:task_from_case", "api:task_checklist", "api:finding_create", "api:finding_answer",
                 "api:finding_follow_up", "api:task_close"):  # fmt: skip
        register(name, Exempt(post))
    published = "一公开: the published draws, their JSON and results are public by design; the verifier is a script"
    for name in ("inspections_public:list", "inspections_public:detail", "inspections_public:json",
                 "inspections_public:script"):  # fmt: skip
        register(name, Exempt(published))
