"""Pages of competitions: officials' and organizers' list, an event's workbench (报备 → 批准 → 报名 → 成绩 → 审核 →
公示 → 确认 → 奖励, 更正), the award rules, and the public pages (events, results, titles — names and organizations,
never document numbers). Thin over ``services`` and ``selectors``."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import Organization, current_user, get_visible, principal_for
from jineng.certificates.api import certificate_number_display
from jineng.common.errors import DomainError, PermissionDenied
from jineng.common.numbers import int_or_none
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.competitions import selectors, services
from jineng.competitions.models import (
    Contestant,
    ContestantStatus,
    Event,
    EventClass,
    EventLevel,
    EventStatus,
    Objection,
    ObjectionStatus,
    Result,
    ResultsStage,
    RuleSetStatus,
    Stage,
    StageKind,
    StageResult,
    StageStatus,
)
from jineng.competitions.web import forms as f
from jineng.refdata.api import SkillLevel
from jineng.refdata.widgets import RegionSelect


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "").strip()
    return int_or_none(raw) if len(raw) == 4 else None


def _filters(request: HttpRequest) -> dict[str, Any]:
    level = request.GET.get("level", "").strip()
    return {
        "level": level if level in EventLevel.values else "",
        "year": _year(request),
        "q": request.GET.get("q", "").strip()[:60],
    }


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    status = request.GET.get("status", "").strip()
    filters["status"] = status if status in EventStatus.values else ""
    qs = selectors.events_visible(request.user, **filters)
    p = principal_for(request.user)
    return render(request, "competitions/event_list.html", {
        "page_obj": page(request, qs), "filters": filters, "levels": EventLevel.choices,
        "statuses": EventStatus.choices, "can_create": bool(p.orgs_with("org.edit")) or p.superuser,
    })  # fmt: skip


def _organizer(request: HttpRequest) -> Organization | None:
    orgs = principal_for(request.user).orgs_with("org.edit")
    return Organization.objects.filter(pk__in=orgs).order_by("name").first()


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    organizer = _organizer(request)
    if organizer is None:
        raise PermissionDenied(_("只有主办单位（培训机构、企业、评价机构）的人员可以新建赛事。"))
    form = f.EventForm(request.POST or None, initial={"region": organizer.region_id})
    region_box = form.fields["region"].widget
    if isinstance(region_box, RegionSelect):
        region_box.around = organizer.region_id
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = services.event_create(actor=current_user(request), organizer=organizer, data=services.EventData(
                name=d["name"], level=d["level"], event_class=d["event_class"] or "", occupation=d["occupation"],
                approving_department=d["approving_department"], region=d["region"], starts_on=d["starts_on"],
                ends_on=d["ends_on"], min_age=d["min_age"], max_age=d["max_age"],
                other_occupations=tuple(d["other_occupations"]), min_level=d["min_level"] or "",
                max_level=d["max_level"] or "",
            ))  # fmt: skip
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("已新建赛事：%(code)s") % {"code": event.code})
            return redirect("competitions:detail", event_id=event.pk)
    return render(request, "competitions/event_form.html", {"form": form, "organizer": organizer})


def _event(request: HttpRequest, event_id: uuid.UUID) -> Event:
    qs = Event.objects.select_related("occupation", "region", "organizer", "min_level", "max_level")
    event: Event = get_visible(qs, request.user, event_id)
    return event


def _contestant_choices(registered: list[Contestant]) -> list[tuple[str, str]]:
    """The registered contestants still in the competition (not eliminated in a stage), by name and masked
    document number — whom a result may be entered for (the service checks the pick again)."""
    prefetch_related_objects(registered, "person__documents")
    choices = [("", _("请选择选手"))]
    for c in registered:
        if c.eliminated_in_id is not None:
            continue
        docs = list(c.person.documents.all())  # primary first
        choices.append((str(c.pk), f"{c.name} · {docs[0].number_masked}" if docs else c.name))
    return choices


def _with_contestants(form: django_forms.Form, choices: list[tuple[str, str]]) -> django_forms.Form:
    form.fields["contestant"].widget.choices = choices
    return form


def _detail(request: HttpRequest, event: Event, bound: dict[str, django_forms.Form] | None = None,
            status: int = 200) -> HttpResponse:  # fmt: skip
    bound = bound or {}
    user = current_user(request)
    organize, review = services.can_organize(user, event), services.can_review(user, event)
    contestants = list(selectors.contestants_of(event))
    today = timezone.localdate()
    registered = [c for c in contestants if c.status == ContestantStatus.REGISTERED]
    picks = _contestant_choices(registered)
    awards = list(selectors.awards_of(event))
    for a in awards:  # the certificate number as the certificate pages show it (440000-2026-S-0000002-N)
        a.number_display = certificate_number_display(a.certificate_number)  # type: ignore[attr-defined]
    return render(request, "competitions/event_detail.html", {
        "event": event,
        "contestants": contestants,
        "registered": registered,
        "objections": list(selectors.objections_of(event)),
        "eligibility": selectors.eligibility_text(event),
        "reviewed_by_me": event.reviewed_by_id is not None and event.reviewed_by_id == getattr(user, "pk", None),
        "can_withdraw": organize and event.results_stage == ResultsStage.OPEN and today < event.starts_on,
        "can_import": organize and event.status == EventStatus.APPROVED and event.results_stage == ResultsStage.OPEN
        and bool(registered),
        "withdraw_form": bound.get("withdraw"),
        "decide_form": bound.get("decide"),
        "awards": awards,
        "can_organize": organize,
        "can_review": review,
        "can_register": event.status == EventStatus.APPROVED and event.results_stage == ResultsStage.OPEN
        and not StageResult.objects.filter(stage__event=event).exists(),
        "register_form": bound.get("register") or f.RegisterForm(),
        "result_form": _with_contestants(bound.get("result") or f.ResultForm(), picks),
        "approve_form": bound.get("approve") or f.ApproveForm(),
        "reject_form": bound.get("reject") or f.ReasonForm(),
        "restate_form": bound.get("restate"),
        "published": event.results_stage in selectors.PUBLISHED_STAGES,
        "can_finalize": event.results_stage == ResultsStage.PUBLISHED and event.objection_until is not None
        and timezone.localdate() > event.objection_until,
        "stages": ResultsStage,
        "statuses": EventStatus,
        **_stage_context(user, event, bound, organize, review, picks),
    }, status=status)  # fmt: skip


def _stage_context(user: Any, event: Event, bound: dict[str, django_forms.Form], organize: bool,
                   review: bool, picks: list[tuple[str, str]]) -> dict[str, Any]:  # fmt: skip
    """The 赛段 part of the workbench: the stages and their results, the stage under way, the forms."""
    stage_rows = selectors.stages_with_results(event)
    current = services.current_stage(event)
    has_results = any(rows for _st, rows in stage_rows) or any(
        getattr(c, "result", None) for c in selectors.contestants_of(event)
    )
    plan = {2: "two", 3: "three"}.get(len(services.stages_of(event)), "")
    initial: dict[str, Any] = {"plan": plan}
    for st, _rows in stage_rows:
        initial[f"{st.kind}_mode"] = st.advance_mode
        initial[f"{st.kind}_value"] = st.advance_value_text
    uid = getattr(user, "pk", None)
    return {
        "stage_rows": stage_rows,
        "current_stage": current,
        "final_stage": services.final_stage(event),
        "stage_kinds": StageKind,
        "stage_statuses": StageStatus,
        "can_set_stages": organize
        and event.status != EventStatus.FILED
        and event.results_stage == ResultsStage.OPEN
        and not has_results,
        "stages_form": bound.get("stages") or f.StagesForm(initial=initial),
        "stage_result_form": _with_contestants(bound.get("stage_result") or f.StageResultForm(), picks),
        "stage_form": bound.get("stage_propose") or bound.get("stage_confirm") or bound.get("stage_return"),
        "can_confirm_stage": review
        and current is not None
        and current.status == StageStatus.PROPOSED
        and current.proposed_by_id != uid,
        "final_open": current is None or current.kind == StageKind.FINAL,
        "can_enter_results": event.status == EventStatus.APPROVED
        and event.results_stage == ResultsStage.OPEN
        and (current is None or current.kind == StageKind.FINAL)
        and Contestant.objects.filter(event=event, status=ContestantStatus.REGISTERED).exists(),
    }


@login_required
def event_detail(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _event(request, event_id))


_FORMS: dict[str, type[django_forms.Form]] = {
    "register": f.RegisterForm,
    "result": f.ResultForm,
    "approve": f.ApproveForm,
    "reject": f.ReasonForm,
    "restate": f.RestateForm,
    "withdraw": f.WithdrawForm,
    "decide": f.DecideForm,
    "stages": f.StagesForm,
    "stage_result": f.StageResultForm,
    "stage_propose": f.StageForm,
    "stage_confirm": f.StageForm,
    "stage_return": f.StageForm,
}
_DONE: dict[str, Any] = {
    "file": gettext_lazy("已报备，等待审批。"),
    "approve": gettext_lazy("已批准。"),
    "reject": gettext_lazy("已退回。"),
    "register": gettext_lazy("已报名。"),
    "result": gettext_lazy("已录入成绩。"),
    "review": gettext_lazy("成绩已审核。"),
    "publish": gettext_lazy("成绩已公示。"),
    "finalize": gettext_lazy("成绩已确认，奖励已生效。"),
    "restate": gettext_lazy("成绩已更正。"),
    "withdraw": gettext_lazy("已退赛。"),
    "decide": gettext_lazy("异议已处理。"),
    "stages": gettext_lazy("赛段已设置。"),
    "stage_result": gettext_lazy("已录入赛段成绩。"),
    "stage_propose": gettext_lazy("已提出晋级名单，待另一名工作人员确认。"),
    "stage_confirm": gettext_lazy("晋级名单已确认。"),
    "stage_return": gettext_lazy("晋级名单已退回。"),
}
# Service fields of the stages form (``stages[i].advance_value``) and the form's, by the plan's stage order.
_STAGE_ALIASES = {f"stages[{i}].advance_{k}": f"{kind}_{k}" for i, kind in enumerate(["preliminary", "semifinal"])
                  for k in ("mode", "value")}  # fmt: skip


def stage_data(d: dict[str, Any]) -> list[services.StageData]:
    """The stages of a ``StagesForm``'s (or the API's) plan, with the advancement of each stage before the final."""
    kinds = f.STAGE_PLANS.get(d.get("plan") or "", [])
    return [
        services.StageData(kind=k, advance_mode=d.get(f"{k}_mode") or "", advance_value=d.get(f"{k}_value"))
        if k != "final"
        else services.StageData(kind=k)
        for k in kinds
    ]


def _stage(event: Event, data: dict[str, Any]) -> Stage:
    stage: Stage | None = (
        Stage.objects.filter(pk=data["stage"], event=event).exclude(status=StageStatus.RETIRED).first()
    )
    if stage is None:
        raise Http404
    return stage


def _run(request: HttpRequest, action: str, event: Event, data: dict[str, Any]) -> None:
    actor = current_user(request)
    if action == "stages":
        services.event_stages_set(actor=actor, event=event, stages=stage_data(data))
    elif action == "stage_result":
        services.stage_result_record(actor=actor, stage=_stage(event, data), contestant_id=data["contestant"],
                                     score=data["score"], rank=data["rank"])  # fmt: skip
    elif action == "stage_propose":
        services.stage_advance_propose(actor=actor, stage=_stage(event, data))
    elif action in ("stage_confirm", "stage_return"):
        services.stage_advance_decide(actor=actor, stage=_stage(event, data), approve=action == "stage_confirm",
                                      reason=data["reason"])  # fmt: skip
    elif action == "file":
        services.event_file(actor=actor, event=event)
    elif action == "approve":
        services.event_decide(actor=actor, event=event, approve=True, document_number=data["document_number"])
    elif action == "reject":
        services.event_decide(actor=actor, event=event, approve=False, reason=data["reason"])
    elif action == "register":
        services.contestant_register(actor=actor, event=event, id_number=data["id_number"], name=data["name"],
                                     team_name=data["team_name"])  # fmt: skip
    elif action == "result":
        services.result_record(actor=actor, event=event, contestant_id=data["contestant"], score=data["score"],
                               rank=data["rank"])  # fmt: skip
    elif action == "review":
        services.results_review(actor=actor, event=event)
    elif action == "publish":
        services.results_publish(actor=actor, event=event)
    elif action == "finalize":
        services.results_finalize(actor=actor, event=event)
    elif action == "restate":
        result = (
            Result.objects.filter(pk=data["result"], contestant__event=event)
            .select_related("contestant__event")
            .first()
        )
        if result is None:
            raise Http404
        services.result_restate(actor=actor, result=result, score=data["score"], rank=data["rank"],
                                reason=data["reason"])  # fmt: skip
    elif action == "withdraw":
        contestant = Contestant.objects.filter(pk=data["contestant"], event=event).select_related("event").first()
        if contestant is None:
            raise Http404
        services.contestant_withdraw(actor=actor, contestant=contestant, reason=data["reason"])
    elif action == "decide":
        objection = Objection.objects.filter(pk=data["objection"], event=event).select_related("event").first()
        if objection is None:
            raise Http404
        services.objection_decide(actor=actor, objection=objection, upheld=data["outcome"] == ObjectionStatus.UPHELD,
                                  decision=data["decision"], score=data["score"], rank=data["rank"])  # fmt: skip


@login_required
@require_POST
def event_action(request: HttpRequest, event_id: uuid.UUID, action: str) -> HttpResponse:
    if action not in _DONE:
        raise Http404
    event = _event(request, event_id)
    form_class = _FORMS.get(action)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, event, {action: form}, status=422)
    try:
        _run(request, action, event, form.cleaned_data if form is not None else {})
    except DomainError as exc:
        if form is None or isinstance(exc, PermissionDenied):
            if isinstance(exc, PermissionDenied):
                raise
            messages.error(request, exc.message)
            return redirect("competitions:detail", event_id=event.pk)
        if action == "stages" and exc.fields and exc.fields[0].field in _STAGE_ALIASES:
            form.add_error(_STAGE_ALIASES[exc.fields[0].field], exc.fields[0].message)
        else:
            domain_error_to_form(form, exc)
        return _detail(request, event, {action: form}, status=422)
    messages.success(request, _DONE[action])
    return redirect("competitions:detail", event_id=event.pk)


def _rule_rows(lines: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    classes = dict(EventClass.choices)
    return [{
        "level": dict(EventLevel.choices).get(ln["event_level"], ln["event_level"]),
        "klass": classes.get(ln["event_class"], "") if ln["event_class"] else "—",
        "rank_max": ln["rank_max"],
        "title": ln["title"] or "—",
        "prerequisite": names.get(ln["prerequisite"], "—"),
        "grants": _("高一级") if ln["grants"] == "next" else names.get(ln["grants"], "—"),
    } for ln in lines]  # fmt: skip


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    names = {lv.code: lv.label for lv in SkillLevel.objects.all()}
    user = current_user(request)
    rule_sets = [
        (
            rs,
            _rule_rows(rs.lines, names),
            rs.status == RuleSetStatus.DRAFT and services.can_set_rules(user, rs),
            rs.status == RuleSetStatus.DRAFT and rs.created_by_id == getattr(user, "pk", None),
        )
        for rs in selectors.rule_sets_visible(request.user)[:50]
    ]
    return render(request, "competitions/rule_list.html", {
        "rule_sets": rule_sets, "can_propose": bool(principal_for(request.user).regions_with("settings.edit")),
        "return_form": f.ReasonForm(),
    })  # fmt: skip


def _line_errors(formset: Any, exc: DomainError, rows: list[int]) -> bool:
    """Put a service error on ``lines[i].field`` on that line's field (``i`` counts the filled lines: ``rows`` maps it
    to the form on the page); True if it was one."""
    placed = False
    for fe in exc.fields:
        m = re.fullmatch(r"lines\[(\d+)\]\.(\w+)", fe.field)
        if m and int(m.group(1)) < len(rows):
            form = formset.forms[rows[int(m.group(1))]]
            if m.group(2) in form.fields:
                form.add_error(m.group(2), fe.message)
                placed = True
    return placed


@login_required
@require_http_methods(["GET", "POST"])
def rule_new(request: HttpRequest) -> HttpResponse:
    """拟订奖励规则 — a new version of a region's rules starting from the one in force; another holder of
    ``settings.edit`` publishes it (rule_list)."""
    regions = principal_for(request.user).regions_with("settings.edit")
    if not regions and not principal_for(request.user).superuser:
        raise PermissionDenied(_("只有持有参数设置权限的人员可以拟订奖励规则。"))
    region = sorted(regions, key=len)[0] if regions else "440000"
    current = selectors.rule_set_in_force(region)
    initial = {"region": region, "basis": current.basis if current else ""}
    return _rule_page(request, initial, [dict(ln) for ln in current.lines] if current is not None else [], current)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_set_id: uuid.UUID) -> HttpResponse:
    """修改草稿 — the proposer changes a draft before another holder of ``settings.edit`` publishes it."""
    draft = selectors.rule_sets_visible(request.user).filter(pk=rule_set_id, status=RuleSetStatus.DRAFT).first()
    if draft is None:
        raise Http404
    if draft.created_by_id != getattr(request.user, "pk", None):
        raise PermissionDenied(_("只有拟订人可以修改草稿；其他人可以退回或发布。"))
    initial = {"region": draft.region_id, "basis": draft.basis, "valid_from": draft.valid_from}
    return _rule_page(request, initial, [dict(ln) for ln in draft.lines], None, draft=draft)


def _rule_page(request: HttpRequest, initial: dict[str, Any], initial_lines: list[dict[str, Any]], current: Any,
               draft: Any = None) -> HttpResponse:  # fmt: skip
    blank = 4
    if request.method == "POST":
        form = f.RulesForm(request.POST, initial=initial)
        lines = f.RuleLineFormSet(request.POST, prefix="lines")
    else:
        form = f.RulesForm(initial=initial)
        lines = f.RuleLineFormSet(initial=initial_lines + [{}] * blank, prefix="lines")
    if draft is not None:  # a draft keeps its region
        form.fields["region"].disabled = True
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        rows = [ln.cleaned_data for ln in lines.forms if ln.cleaned_data.get("event_level")]
        d = form.cleaned_data
        data = [{k: ("" if v is None else v) for k, v in row.items()} for row in rows]
        try:
            if draft is None:
                rule_set = services.award_rules_propose(actor=current_user(request), region_code=d["region"],
                                                        valid_from=d["valid_from"], basis=d["basis"], lines=data)  # fmt: skip
            else:
                rule_set = services.award_rules_edit(actor=current_user(request), rule_set=draft,
                                                     valid_from=d["valid_from"], basis=d["basis"], lines=data)  # fmt: skip
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            filled = [i for i, ln in enumerate(lines.forms) if ln.cleaned_data.get("event_level")]
            if not _line_errors(lines, exc, filled):
                domain_error_to_form(form, exc)
        else:
            messages.success(request, _("已拟订奖励规则，待另一名有权限的人员审核发布。") if draft is None
                             else _("草稿已修改，待另一名有权限的人员审核发布。"))  # fmt: skip
            return redirect(f"{reverse('competitions:rules')}#rs-{rule_set.pk}")
    status = 422 if request.method == "POST" else 200
    return render(request, "competitions/rule_form.html", {"form": form, "lines": lines, "current": current,
                                                           "draft": draft}, status=status)  # fmt: skip


@login_required
@require_POST
def rule_action(request: HttpRequest, rule_set_id: uuid.UUID, action: str) -> HttpResponse:
    rule_set = selectors.rule_sets_visible(request.user).filter(pk=rule_set_id).first()
    if rule_set is None or action not in ("publish", "return"):
        raise Http404
    actor = current_user(request)
    try:
        if action == "publish":
            services.award_rules_publish(actor=actor, rule_set=rule_set)
            messages.success(request, _("奖励规则已发布。"))
        else:
            form = f.ReasonForm(request.POST)
            reason = form.data.get("rej-reason", "")
            services.award_rules_return(actor=actor, rule_set=rule_set, reason=str(reason)[:300])
            messages.success(request, _("奖励规则已退回。"))
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message if not exc.fields else exc.fields[0].message)
    return redirect("competitions:rules")


# ---- an enterprise's (or a provider's) registrations ------------------------------------------------------------


def _registering_org(request: HttpRequest) -> Organization:
    org = selectors.registering_organization(request.user)
    if org is None:
        raise PermissionDenied(_("只有企业、培训机构的人员可以为本单位职工报名。"))
    return org


@login_required
def open_list(request: HttpRequest) -> HttpResponse:
    org = _registering_org(request)
    filters = _filters(request)
    filters.pop("status", None)
    return render(request, "competitions/open_list.html", {
        "org": org, "page_obj": page(request, selectors.events_open_to(org, **filters)), "filters": filters,
        "levels": EventLevel.choices,
    })  # fmt: skip


def _open_page(request: HttpRequest, org: Organization, event: Event, form: django_forms.Form | None = None,
               status: int = 200, withdraw: django_forms.Form | None = None) -> HttpResponse:  # fmt: skip
    rows = list(selectors.contestants_registered_by(event, org))
    return render(request, "competitions/open_detail.html", {
        "org": org, "event": event, "rows": rows, "form": form or f.RegisterForm(), "withdraw_form": withdraw,
        "can_withdraw": timezone.localdate() < event.starts_on, "eligibility": selectors.eligibility_text(event),
        "registered": ContestantStatus.REGISTERED,
    }, status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def open_register(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    org = _registering_org(request)
    event = selectors.events_open_to(org).filter(pk=event_id).first()
    if event is None:
        raise Http404
    if request.method != "POST":
        return _open_page(request, org, event)
    form = f.RegisterForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.contestant_register(actor=current_user(request), event=event, id_number=d["id_number"],
                                         name=d["name"], team_name=d["team_name"], organization=org)  # fmt: skip
        except PermissionDenied:
            raise
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("已为 %(name)s 报名。") % {"name": d["name"]})
            return redirect("competitions:open_register", event_id=event.pk)
    return _open_page(request, org, event, form, status=422)


@login_required
@require_POST
def open_withdraw(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """退赛 of one of the organization's own contestants, before the event starts."""
    org = _registering_org(request)
    event = selectors.events_open_to(org).filter(pk=event_id).first()
    if event is None:
        raise Http404
    form = f.WithdrawForm(request.POST)
    if form.is_valid():
        contestant = selectors.contestants_registered_by(event, org).filter(pk=form.cleaned_data["contestant"]).first()
        if contestant is None:
            raise Http404
        try:
            services.contestant_withdraw(actor=current_user(request), contestant=contestant,
                                         reason=form.cleaned_data["reason"])  # fmt: skip
        except PermissionDenied:
            raise
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("%(name)s 已退赛。") % {"name": contestant.name})
            return redirect("competitions:open_register", event_id=event.pk)
    return _open_page(request, org, event, status=422, withdraw=form)


# ---- objections (异议) -------------------------------------------------------------------------------------------


def _result_choices(event: Event) -> list[tuple[str, str]]:
    return [(str(r["id"]), f"{r['rank']} · {r['name']}") for r in selectors.public_results(event)]


@login_required
@require_POST
def objection_raise(request: HttpRequest, code: str) -> HttpResponse:
    """提出异议 from the public results page (signed in): about the results or one of them, during 公示."""
    event = selectors.public_events().filter(code=code[:40]).first()
    if event is None:
        raise Http404
    form = f.ObjectionForm(request.POST, results=_result_choices(event))
    if form.is_valid():
        d = form.cleaned_data
        result = Result.objects.filter(pk=d["result"], contestant__event=event).first() if d["result"] else None
        try:
            services.objection_raise(actor=current_user(request), event=event, reason=d["reason"], result=result,
                                     name=d["name"])  # fmt: skip
        except PermissionDenied:
            raise
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("异议已提交，批准部门将在公示期满前处理。"))
            return redirect("competitions_public:detail", code=event.code)
    return _public_detail(request, event, form, status=422)


# ---- public ------------------------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    return render(request, "competitions/public_list.html", {
        "page_obj": page(request, selectors.public_events(**filters)), "filters": filters,
        "levels": EventLevel.choices,
    })  # fmt: skip


def _public_detail(request: HttpRequest, event: Event, form: django_forms.Form | None = None,
                   status: int = 200) -> HttpResponse:  # fmt: skip
    objecting = event.results_stage == ResultsStage.PUBLISHED and (
        event.objection_until is None or timezone.localdate() <= event.objection_until
    )
    return render(request, "competitions/public_detail.html", {
        "event": event, "rows": selectors.public_results(event), "stages": ResultsStage, "objecting": objecting,
        "stage_rows": selectors.stages_with_results(event, public=True),
        "objection_form": form or (f.ObjectionForm(results=_result_choices(event)) if objecting else None),
    }, status=status)  # fmt: skip


def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    event = selectors.public_events().filter(code=code[:40]).first()
    if event is None:
        raise Http404
    return _public_detail(request, event)


def public_titles_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(request, "competitions/public_titles.html", {
        "page_obj": page(request, selectors.public_titles(year)), "year": year or "",
    })  # fmt: skip
