"""双随机抽查 pages: tasks (the inspector's, the officials', the provider's own), a task with its checklist, findings
and 整改, draws (plan → freeze → run, redraw), the object list and the inspector pool, and the public pages (一公开)
with each draw's JSON and the verifier script. Thin siblings of the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jineng.accounts.api import User, can, current_user, get_visible, home_region, require
from jineng.common.attachments.services import attachments_about
from jineng.common.errors import DomainError
from jineng.common.numbers import int_or_none
from jineng.common.web.lists import page
from jineng.inspections import checklists, selectors, services
from jineng.inspections.events import Object
from jineng.inspections.models import DrawStatus, Finding, ObjectKind, TaskStatus
from jineng.inspections.settings_specs import RECTIFY_WORKDAYS
from jineng.refdata.api import Region, setting_value
from jineng.rules import draw as D

MAX_FILES = 5


def _files(request: HttpRequest) -> list[tuple[str, str, Any]]:
    return [(f.name or "", f.content_type or "", f) for f in request.FILES.getlist("files")[:MAX_FILES]]


def _attempt(request: HttpRequest, fn: Any, ok: str) -> Any:
    try:
        out = fn()
    except DomainError as exc:
        detail = "; ".join(f"{e.field}: {e.message}" for e in exc.fields if e.message != exc.message)
        messages.error(request, f"{exc.message} {detail}".strip())
        return None
    messages.success(request, ok)
    return out


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    inspector = can(user, selectors.INSPECT)
    if not inspector and not can(user, selectors.VIEW) and not can(user, selectors.ORG_VIEW):
        require(user, selectors.VIEW)
    f = {k: request.GET.get(k, "")[:40] for k in ("status", "kind", "q", "mine")}
    visible = selectors.tasks_visible(user)
    if inspector and "mine" not in request.GET:  # the tab with the user's work: 我的任务 if any, else 辖区全部
        f["mine"] = "1" if selectors.task_filter(visible, status="", kind="", mine=user, q="").exists() else "0"
    mine = user if f["mine"] == "1" and inspector else None
    qs = selectors.task_filter(visible, status=f["status"], kind=f["kind"], mine=mine, q=f["q"])
    page_obj = page(request, qs.order_by("-created_at", "number"))
    open_n = selectors.findings_open_count(qs.filter(pk__in=[t.pk for t in page_obj.object_list]))
    return render(request, "inspections/tasks.html", {
        "page_obj": page_obj, "f": f, "mine": mine is not None, "inspector": inspector, "open_n": open_n,
        "statuses": TaskStatus.choices, "kinds": ObjectKind.choices, "official": can(user, selectors.VIEW),
        "may_case_task": inspector,
    })  # fmt: skip


def _task(request: HttpRequest, task_id: Any) -> Any:
    user = current_user(request)
    task = selectors.tasks_visible(user).filter(pk=task_id).first()
    if task is None:
        raise Http404
    return user, task


@login_required
def task_detail(request: HttpRequest, task_id: Any) -> HttpResponse:
    user, task = _task(request, task_id)
    return _task_page(request, user, task)


def _task_page(request: HttpRequest, user: Any, task: Any, revealed: dict[str, str] | None = None,
               status: int = 200) -> HttpResponse:  # fmt: skip
    is_inspector = task.inspectors.filter(pk=user.pk).exists() and can(user, selectors.INSPECT,
                                                                       region_code=task.region_id)  # fmt: skip
    findings = list(selectors.findings_of(task))
    files: dict[str, list[Any]] = {}
    for a in attachments_about(Object.FINDING.value, [f.pk for f in findings]):
        files.setdefault(a.object_id, []).append(a)
    items = [{"code": c, "label": label, "result": task.checklist.get(c, {}).get("result", ""),
              "note": task.checklist.get(c, {}).get("note", "")} for c, label in checklists.items_of(task.object_kind)]  # fmt: skip
    return render(request, "inspections/task.html", {
        "task": task, "items": items, "results": checklists.RESULTS.items(),
        "findings": [{"f": f, "label": checklists.item_label(task.object_kind, f.item), "files": files.get(str(f.pk), [])}
                     for f in findings],
        "is_inspector": is_inspector, "inside": selectors.sees_inside(user, task), "open": task.status not in (TaskStatus.CLOSED, TaskStatus.CANCELLED),
        "may_answer": can(user, "org.edit", organization_id=task.organization_id),
        "inspectors": task.inspectors.all(),
        "rectify_default": setting_value(RECTIFY_WORKDAYS, task.region_id, timezone.localdate()),
        "callbacks": [{**c, "revealed": (revealed or {}).get(c.get("enrollment", ""), "")}
                      for c in selectors.callback_rows(task)] if selectors.sees_inside(user, task) else [],
        "callback_results": services.CALLBACK_RESULTS.items(),
    }, status=status)  # fmt: skip


@never_cache
@login_required
@require_POST
def callback_act(request: HttpRequest, task_id: Any) -> HttpResponse:
    """One trainee of the call-back list: 查看电话 (with a reason, audited; the page comes back with the number shown
    once, never cached) or 记录回访结果."""
    user, task = _task(request, task_id)
    enrollment = request.POST.get("enrollment", "")[:36]
    if request.POST.get("action") == "reveal":
        try:
            phone = services.callback_reveal(actor=user, task=task, enrollment=enrollment,
                                             reason=request.POST.get("reason", "")[:300])  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return _task_page(request, user, task, status=exc.status)
        return _task_page(request, user, task, revealed={enrollment: phone or "—"})
    _attempt(request, lambda: services.callback_record(actor=user, task=task, enrollment=enrollment,
                                                       result=request.POST.get("result", "")[:12],
                                                       note=request.POST.get("note", "")[:600]),
             _("已记录回访结果。"))  # fmt: skip
    return redirect(f"{reverse('inspections:task', args=[task.pk])}#callbacks")


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    """由线索立项 — a task from a supervision case: the case (from its page, or picked), the team from the pool
    (those who must 回避 shown and refused)."""
    user = current_user(request)
    require(user, selectors.INSPECT)
    cases = selectors.case_choices(user)
    case_id = (request.POST.get("case") or request.GET.get("case") or "")[:36]
    case = next((c for c in cases if str(c.pk) == case_id), None)
    if case_id and case is None:
        messages.error(request, _("线索不存在，或线索没有涉及的机构。"))
    if request.method == "POST" and case is not None:
        picked = [u[:36] for u in request.POST.getlist("inspectors")[: services.MAX_TEAM + 1]]
        team = [row["user"] for row in selectors.team_choices(case) if str(row["user"].pk) in picked]
        if len(team) != len(set(picked)):
            messages.error(request, _("请从名录库中选择检查人员。"))
        else:
            task = _attempt(request, lambda: services.task_from_case(actor=user, case_id=case.pk, inspectors=team),
                            _("已派出检查任务。"))  # fmt: skip
            if task is not None:
                return redirect("inspections:task", task_id=task.pk)
    return render(request, "inspections/task_new.html", {
        "cases": cases, "case": case, "team": selectors.team_choices(case) if case else [],
        "picked": set(request.POST.getlist("inspectors")[:20]),
        "may_inspect": case is not None and can(user, selectors.INSPECT, region_code=case.region_id),
    }, status=422 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_POST
def task_act(request: HttpRequest, task_id: Any) -> HttpResponse:
    user, task = _task(request, task_id)
    action = request.POST.get("action", "")[:20]
    if action == "checklist":
        codes = [c for c, _label in checklists.items_of(task.object_kind)]
        results = {c: request.POST.get(f"r_{c}", "")[:10] for c in codes if request.POST.get(f"r_{c}")}
        notes = {c: request.POST.get(f"n_{c}", "")[:500] for c in codes}
        _attempt(request, lambda: services.task_checklist_save(actor=user, task=task, results=results, notes=notes),
                 _("已保存检查清单。"))  # fmt: skip
    elif action == "finding":
        raw = request.POST.get("rectify_workdays", "").strip()[:4]
        days = int_or_none(raw)
        if raw and days is None:
            messages.error(request, _("整改期限须为 1–120 的整数（工作日）。"))
        else:
            _attempt(request, lambda: services.finding_record(
                actor=user, task=task, item=request.POST.get("item", "")[:40],
                description=request.POST.get("description", "")[:2000], rectify_workdays=days,
                files=_files(request)), _("已记录检查发现。"))  # fmt: skip
    elif action == "close":
        _attempt(request, lambda: services.task_close(actor=user, task=task,
                                                      conclusion=request.POST.get("conclusion", "")[:2000]),
                 _("任务已办结，结果已公示。"))  # fmt: skip
    elif action == "publish":
        _attempt(request, lambda: services.task_publish(actor=user, task=task), _("检查结果已公示。"))
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("inspections:task", task_id=task.pk)


@login_required
@require_POST
def finding_act(request: HttpRequest, finding_id: Any) -> HttpResponse:
    user = current_user(request)
    finding = (
        Finding.objects.filter(pk=finding_id, task__in=selectors.tasks_visible(user)).select_related("task").first()
    )
    if finding is None:
        raise Http404
    action = request.POST.get("action", "")[:20]
    if action == "answer":
        _attempt(request, lambda: services.finding_answer(actor=user, finding=finding,
                                                          answer=request.POST.get("answer", "")[:2000],
                                                          files=_files(request)), _("已提交整改情况。"))  # fmt: skip
    elif action in ("accept", "reopen"):
        _attempt(request, lambda: services.finding_follow_up(actor=user, finding=finding, accept=action == "accept",
                                                             note=request.POST.get("note", "")[:2000]),
                 _("已记录复查意见。"))  # fmt: skip
    else:
        messages.error(request, _("未知的操作。"))
    return redirect("inspections:task", task_id=finding.task_id)


@login_required
def draw_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, selectors.VIEW)
    region = home_region(user) or ""
    if request.method == "POST":
        p = request.POST

        def num(key: str) -> int:
            raw = p.get(key, "").strip()[:4]
            return int_or_none(raw) or 0

        draw = _attempt(request, lambda: services.draw_create(
            actor=user, region_code=p.get("region", region)[:6], title=p.get("title", "")[:120],
            kinds=[k[:12] for k in p.getlist("kinds")[:4]], count=num("count"), percent=num("percent"),
            per_task=num("per_task"), risk_weighting=p.get("risk_weighting") == "1"), _("已公布承诺值。"))  # fmt: skip
        return redirect("inspections:draw", draw_id=draw.pk) if draw else redirect("inspections:draws")
    page_obj = page(request, selectors.draws_visible(user).order_by("-committed_at"))
    return render(request, "inspections/draws.html", {"page_obj": page_obj, "kinds": ObjectKind.choices,
                                                      "region": region, "may_plan": can(user, selectors.MANAGE),
                                                      "may_case_task": can(user, selectors.INSPECT)})  # fmt: skip


@login_required
def draw_detail(request: HttpRequest, draw_id: Any) -> HttpResponse:
    user = current_user(request)
    draw = get_visible(selectors.draws_visible(user), user, draw_id, selectors.VIEW)
    if request.method == "POST":
        action = request.POST.get("action", "")[:10]
        if action == "freeze":
            _attempt(request, lambda: services.draw_freeze(actor=user, draw=draw), _("名录已冻结，哈希已公布。"))
        elif action == "run":
            _attempt(request, lambda: services.draw_run(actor=user, draw=draw), _("已抽取，结果与种子已公布。"))
        elif action == "redraw":
            new = _attempt(request, lambda: services.draw_redraw(actor=user, draw=draw,
                                                                 reason=request.POST.get("reason", "")[:500]),
                           _("已重抽：原抽查作废，新的承诺值已公布。"))  # fmt: skip
            if new:
                return redirect("inspections:draw", draw_id=new.pk)
        return redirect("inspections:draw", draw_id=draw.pk)
    return render(request, "inspections/draw.html", {
        "draw": draw, "rows": _result_rows(draw), "tasks": draw.tasks.order_by("number"),
        "may_manage": can(user, selectors.MANAGE, region_code=draw.region_id), "statuses": DrawStatus,
        "n_objects": len(draw.lists.get("objects", [])), "n_inspectors": len(draw.lists.get("inspectors", [])),
        "may_case_task": can(user, selectors.INSPECT),
    })  # fmt: skip


def _result_rows(draw: Any) -> list[dict[str, Any]]:
    return [{"n": n, "object": r["object"], "name": draw.labels.get(r["object"], {}).get("name", r["object"]),
             "kind": dict(ObjectKind.choices).get(draw.labels.get(r["object"], {}).get("kind", ""), ""),
             "inspectors": r["inspectors"]} for n, r in enumerate(draw.result, 1)]  # fmt: skip


@login_required
def object_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    region = request.GET.get("region", "")[:6] or home_region(user) or ""
    require(user, selectors.VIEW, region_code=region or None)
    kind = request.GET.get("kind", "")[:12]
    objs = selectors.inspection_objects(region, [kind] if kind in ObjectKind.values else list(ObjectKind.values))
    page_obj = page(request, objs)
    names = dict(
        Region.objects.filter(code__in={o.region_id for o in page_obj.object_list}).values_list("code", "name")
    )
    return render(request, "inspections/objects.html", {"page_obj": page_obj, "region": region, "kind": kind,
                                                        "kinds": ObjectKind.choices, "region_names": names,
                                                        "may_case_task": can(user, selectors.INSPECT)})  # fmt: skip


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, selectors.VIEW)
    region = home_region(user) or ""
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            member = get_visible(selectors.pool_visible(user), user, request.POST.get("member", "")[:36],
                                 selectors.VIEW)  # fmt: skip
            _attempt(request, lambda: services.pool_remove(actor=user, member=member,
                                                           reason=request.POST.get("reason", "")[:200]),
                     _("已移出名录库。"))  # fmt: skip
        else:
            target = User.objects.filter(username=request.POST.get("username", "")[:150]).first()
            if target is None:
                messages.error(request, _("用户不存在。"))
            else:
                _attempt(request, lambda: services.pool_add(actor=user, user=target,
                                                            region_code=request.POST.get("region", region)[:6]),
                         _("已加入名录库。"))  # fmt: skip
        return redirect("inspections:pool")
    qs = selectors.pool_visible(user).filter(active=True).order_by("code")
    return render(request, "inspections/pool.html", {
        "page_obj": page(request, qs), "region": region, "may_manage": can(user, selectors.MANAGE),
        "may_case_task": can(user, selectors.INSPECT),
        "candidates": selectors.inspector_candidates(region).exclude(
            pk__in=qs.values("user_id"))[:50] if region else [],
    })  # fmt: skip


# ---- 一公开: public pages -----------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "inspections/public_list.html", {
        "page_obj": page(request, selectors.draws_public().order_by("-drawn_at")),
        "results": selectors.tasks_published().order_by("-published_at")[:50],
    })  # fmt: skip


def _public_draw(number: str) -> Any:
    draw = selectors.draws_public().filter(number=number[:32]).first()
    if draw is None:
        raise Http404
    return draw


def public_detail(request: HttpRequest, number: str) -> HttpResponse:
    draw = _public_draw(number)
    return render(request, "inspections/public_detail.html", {
        "draw": draw, "rows": _result_rows(draw),
        "tasks": selectors.tasks_published().filter(draw=draw).order_by("number"),
    })  # fmt: skip


def public_json(request: HttpRequest, number: str) -> HttpResponse:
    draw = _public_draw(number)
    body = json.dumps(services.draw_published_json(draw), ensure_ascii=False, indent=1)
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{draw.number}.json"'
    return resp


def public_script(request: HttpRequest) -> HttpResponse:
    resp = HttpResponse(Path(D.__file__).read_text(encoding="utf-8"), content_type="text/x-python; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="verify_draw.py"'
    return resp
