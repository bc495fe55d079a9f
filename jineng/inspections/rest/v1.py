"""Inspections API (双随机、一公开): the object list and the pool of a region, draws (plan → freeze → run, redraw),
tasks with their checklist and findings, a provider's answers. Thin: validate, call one service or selector, answer."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from jineng.accounts.api import User, current_user, get_visible, require
from jineng.common.errors import NotFound
from jineng.common.ids import uuid_or_none
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.common.rest.types import Name
from jineng.inspections import checklists, selectors, services
from jineng.inspections.models import Draw, Finding, InspectionTask, ObjectKind

router = Router(tags=["inspections 双随机抽查"])

Kind = Literal["provider", "class", "evaluator", "enterprise"]


class ObjectOut(Schema):
    id: str
    kind: str
    name: str
    region: str


class PoolOut(Schema):
    id: str
    code: str
    username: str
    region: str
    active: bool


class DrawIn(Schema):
    region: str = Field(..., max_length=6)
    title: str = Field(..., max_length=120)
    kinds: list[Kind] = Field(..., min_length=1, max_length=4)
    count: int = Field(0, ge=0, le=500)
    percent: int = Field(0, ge=0, le=100)
    per_task: int = Field(2, ge=1, le=10)
    risk_weighting: StrictBool = True


class RedrawIn(Schema):
    reason: str = Field(..., max_length=500)


class DrawOut(Schema):
    id: str
    number: str
    title: str
    region: str
    status: str
    commitment: str
    lists_sha256: str = ""
    published: dict[str, Any]


class TaskOut(Schema):
    id: str
    number: str
    draw: str | None = None
    case: str | None = None
    object_kind: str
    object_name: str
    region: str
    status: str
    status_label: str
    inspectors: list[str]
    checklist: dict[str, Any]
    conclusion: str = ""
    publish_by: str | None = None
    published_at: str | None = None


class FindingOut(Schema):
    id: str
    task: str
    item: str
    item_label: str
    description: str
    status: str
    rectify_by: str | None = None
    answer: str = ""
    follow_up: str = ""


class ChecklistIn(Schema):
    results: dict[str, Literal["ok", "problem", "na"]] = Field(..., max_length=10)
    notes: dict[str, str] = Field(default_factory=dict, max_length=10)


class FindingIn(Schema):
    item: str = Field(..., max_length=40)
    description: str = Field(..., max_length=2000)
    rectify_workdays: int | None = Field(None, ge=1, le=120)


class AnswerIn(Schema):
    answer: str = Field(..., max_length=2000)


class FollowUpIn(Schema):
    accept: StrictBool  # "no", 0 are not a yes/no
    note: str = Field("", max_length=2000)


class CloseIn(Schema):
    conclusion: str = Field(..., max_length=2000)


class CaseTaskIn(Schema):
    case: str = Field(..., max_length=36)
    inspectors: list[Name] = Field(..., min_length=1, max_length=10)  # usernames


class TaskFilters(Schema):
    status: str = Field("", max_length=12)
    kind: str = Field("", max_length=12)
    mine: bool = False


def draw_dict(d: Draw) -> dict[str, Any]:
    return {"id": str(d.pk), "number": d.number, "title": d.title, "region": d.region_id, "status": d.status,
            "commitment": d.commitment, "lists_sha256": d.lists_sha256,
            "published": services.draw_published_json(d)}  # fmt: skip


def task_dict(t: InspectionTask, *, inside: bool = True) -> dict[str, Any]:
    """``inside`` False (the inspected provider): no checklist — see ``selectors.sees_inside``."""
    return {
        "id": str(t.pk), "number": t.number, "draw": t.draw.number if t.draw_id and t.draw else None,
        "case": str(t.case_id) if t.case_id else None, "object_kind": t.object_kind, "object_name": t.object_name,
        "region": t.region_id, "status": t.status, "status_label": str(t.get_status_display()),
        "inspectors": [u.username for u in t.inspectors.all()], "checklist": t.checklist if inside else {}, "conclusion": t.conclusion,
        "publish_by": t.publish_by.isoformat() if t.publish_by else None,
        "published_at": t.published_at.isoformat() if t.published_at else None,
    }  # fmt: skip


def finding_dict(f: Finding) -> dict[str, Any]:
    return {"id": str(f.pk), "task": str(f.task_id), "item": f.item,
            "item_label": checklists.item_label(f.task.object_kind, f.item), "description": f.description,
            "status": f.status, "rectify_by": f.rectify_by.isoformat() if f.rectify_by else None,
            "answer": f.answer, "follow_up": f.follow_up}  # fmt: skip


def _region(user: Any, region: str) -> str:
    region = region[:6]
    require(user, selectors.VIEW, region_code=region)
    return region


class ObjectFilters(Schema):
    region: str = Field(..., max_length=6)
    kind: str = Field("", max_length=12)


@router.get("/inspections/objects", response=page_of(ObjectOut), summary="检查对象名录 Inspection objects of a region")
def object_list(request: HttpRequest, filters: Query[ObjectFilters], paging: Query[Paging]) -> Any:
    user = current_user(request)
    region = _region(user, filters.region)
    kinds = [filters.kind] if filters.kind in ObjectKind.values else list(ObjectKind.values)
    objs = selectors.inspection_objects(region, kinds)
    return page_items(objs, paging, lambda o: {"id": o.id, "kind": o.kind, "name": o.name, "region": o.region_id})


@router.get("/inspections/pool", response=page_of(PoolOut), summary="执法检查人员名录库 The inspector pool")
def pool_list(request: HttpRequest, paging: Query[Paging]) -> Any:
    user = current_user(request)
    require(user, selectors.VIEW)
    qs = selectors.pool_visible(user).filter(active=True).order_by("code")
    return page_items(qs, paging, lambda m: {"id": str(m.pk), "code": m.code, "username": m.user.username,
                                             "region": m.region_id, "active": m.active})  # fmt: skip


@router.get("/inspections/draws", response=page_of(DrawOut), summary="抽查 Draws in the caller's scope")
def draw_list(request: HttpRequest, paging: Query[Paging]) -> Any:
    user = current_user(request)
    require(user, selectors.VIEW)
    return page_items(selectors.draws_visible(user).order_by("-committed_at"), paging, draw_dict)


@router.get("/inspections/draws/{draw_id}", response=DrawOut, summary="抽查详情 One draw")
def draw_detail(request: HttpRequest, draw_id: str) -> Any:
    user = current_user(request)
    return draw_dict(get_visible(selectors.draws_visible(user), user, draw_id, selectors.VIEW))


@router.post("/inspections/draws", response={201: DrawOut}, summary="抽查计划 Plan a draw (publishes the commitment)")
def draw_create(request: HttpRequest, payload: DrawIn) -> Any:
    user = current_user(request)
    return 201, draw_dict(services.draw_create(actor=user, region_code=payload.region, title=payload.title,
                                               kinds=list(payload.kinds), count=payload.count,
                                               percent=payload.percent, per_task=payload.per_task,
                                               risk_weighting=payload.risk_weighting))  # fmt: skip


@router.post("/inspections/draws/{draw_id}/freeze", response=DrawOut, summary="冻结名录 Freeze the lists")
def draw_freeze(request: HttpRequest, draw_id: str) -> Any:
    user = current_user(request)
    draw = get_visible(selectors.draws_visible(user), user, draw_id, selectors.VIEW)
    return draw_dict(services.draw_freeze(actor=user, draw=draw))


@router.post("/inspections/draws/{draw_id}/run", response=DrawOut, summary="抽取 Run the draw (reveals the seed)")
def draw_run(request: HttpRequest, draw_id: str) -> Any:
    user = current_user(request)
    draw = get_visible(selectors.draws_visible(user), user, draw_id, selectors.VIEW)
    return draw_dict(services.draw_run(actor=user, draw=draw))


@router.post("/inspections/draws/{draw_id}/redraw", response={201: DrawOut}, summary="重抽 Redraw with a reason")
def draw_redraw(request: HttpRequest, draw_id: str, payload: RedrawIn) -> Any:
    user = current_user(request)
    draw = get_visible(selectors.draws_visible(user), user, draw_id, selectors.VIEW)
    return 201, draw_dict(services.draw_redraw(actor=user, draw=draw, reason=payload.reason))


@router.get("/inspections/tasks", response=page_of(TaskOut), summary="检查任务 Tasks in the caller's scope")
def task_list(request: HttpRequest, filters: Query[TaskFilters], paging: Query[Paging]) -> Any:
    user = current_user(request)
    qs = selectors.task_filter(selectors.tasks_visible(user), status=filters.status, kind=filters.kind,
                               mine=user if filters.mine else None)  # fmt: skip
    return page_items(
        qs.order_by("-created_at", "number").prefetch_related("inspectors"),
        paging,
        lambda t: task_dict(t, inside=selectors.sees_inside(user, t)),
    )


@router.get("/inspections/tasks/{task_id}", response=TaskOut, summary="检查任务详情 One task")
def task_detail(request: HttpRequest, task_id: str) -> Any:
    task = _visible_task(request, task_id)
    return task_dict(task, inside=selectors.sees_inside(current_user(request), task))


@router.post("/inspections/tasks", response={201: TaskOut}, summary="由线索派出检查任务 A task from a case")
def task_from_case(request: HttpRequest, payload: CaseTaskIn) -> Any:
    user = current_user(request)
    names = [n[:150] for n in payload.inspectors]
    found = list(User.objects.filter(username__in=names))
    if len(found) != len(set(names)):
        raise NotFound(_("检查人员不存在。"))
    return 201, task_dict(services.task_from_case(actor=user, case_id=uuid_or_none(payload.case), inspectors=found))


def _visible_task(request: HttpRequest, task_id: str) -> InspectionTask:
    user = current_user(request)
    pk = uuid_or_none(task_id)
    task = selectors.tasks_visible(user).filter(pk=pk).first() if pk else None
    if task is None:
        raise NotFound(_("检查任务不存在。"))
    return task


@router.get("/inspections/tasks/{task_id}/findings", response=list[FindingOut], summary="检查发现 A task's findings")
def finding_list(request: HttpRequest, task_id: str) -> Any:
    task = _visible_task(request, task_id)
    return [finding_dict(f) for f in selectors.findings_of(task).select_related("task")]


@router.post("/inspections/tasks/{task_id}/checklist", response=TaskOut, summary="记录检查清单 Save the checklist")
def task_checklist(request: HttpRequest, task_id: str, payload: ChecklistIn) -> Any:
    task = _visible_task(request, task_id)
    return task_dict(services.task_checklist_save(actor=current_user(request), task=task, results=dict(payload.results),
                                                  notes=payload.notes))  # fmt: skip


@router.post("/inspections/tasks/{task_id}/findings", response={201: FindingOut}, summary="记录问题 Record a finding")
def finding_create(request: HttpRequest, task_id: str, payload: FindingIn) -> Any:
    task = _visible_task(request, task_id)
    f = services.finding_record(actor=current_user(request), task=task, item=payload.item,
                                description=payload.description, rectify_workdays=payload.rectify_workdays)  # fmt: skip
    return 201, finding_dict(f)


def _visible_finding(request: HttpRequest, finding_id: str) -> Finding:
    user = current_user(request)
    tasks = selectors.tasks_visible(user)
    pk = uuid_or_none(finding_id)
    f: Finding | None = Finding.objects.filter(pk=pk, task__in=tasks).select_related("task").first() if pk else None
    if f is None:
        raise NotFound(_("检查发现不存在。"))
    return f


@router.post("/inspections/findings/{finding_id}/answer", response=FindingOut, summary="整改回复 Answer (provider)")
def finding_answer(request: HttpRequest, finding_id: str, payload: AnswerIn) -> Any:
    f = _visible_finding(request, finding_id)
    return finding_dict(services.finding_answer(actor=current_user(request), finding=f, answer=payload.answer))


@router.post("/inspections/findings/{finding_id}/follow-up", response=FindingOut, summary="复查 Follow up")
def finding_follow_up(request: HttpRequest, finding_id: str, payload: FollowUpIn) -> Any:
    f = _visible_finding(request, finding_id)
    return finding_dict(services.finding_follow_up(actor=current_user(request), finding=f, accept=payload.accept,
                                                   note=payload.note))  # fmt: skip


@router.post("/inspections/tasks/{task_id}/close", response=TaskOut, summary="办结 Close and publish")
def task_close(request: HttpRequest, task_id: str, payload: CloseIn) -> Any:
    task = _visible_task(request, task_id)
    return task_dict(services.task_close(actor=current_user(request), task=task, conclusion=payload.conclusion))
