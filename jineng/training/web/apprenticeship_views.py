"""Pages of 企业新型学徒制: the plans in scope, a plan's apprentices with their mentors, yearly progress and result, and
the forms of the enterprise side (create a plan, add an apprentice, record a year, evaluate). Thin: parse a form, call
one service of jineng.training.services.apprenticeships, show its refusal as a message, redirect. Who may act is decided by the
services; the pages only hide the forms from users who could not use them."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import can, current_user, export_http, get_visible, list_page, principal_for, wants_export
from jineng.common.errors import DomainError, PermissionDenied
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.providers.api import OrganizationProfile, profile_of, teachers_of
from jineng.refdata.api import SkillLevel
from jineng.registry import api as registry
from jineng.training import selectors
from jineng.training.lists import APPRENTICESHIPS
from jineng.training.models import Apprentice, Apprenticeship, ApprenticeshipStatus
from jineng.training.services import apprenticeships as appr
from jineng.training.services.support import OFFICIAL_EDIT, ORG_EDIT
from jineng.training.web import forms as f


def _levels() -> list[tuple[str, str]]:
    return [(lv.code, lv.display) for lv in SkillLevel.objects.order_by("rank")]


def _my_enterprises(user: Any) -> list[OrganizationProfile]:
    found = []
    for org_id in principal_for(user).orgs_with(ORG_EDIT):
        profile = profile_of(org_id)
        if profile is not None and profile.organization.kind == "enterprise":
            found.append(profile)
    return found


def _may_create(user: Any) -> bool:
    return bool(_my_enterprises(user)) or bool(principal_for(user).regions_with(OFFICIAL_EDIT))


def _schools() -> list[tuple[str, str]]:
    """Providers whose listing names apprenticeship training (学徒制培训) in its scope; the service checks the
    occupation, level and dates."""
    profiles = (
        OrganizationProfile.objects.filter(
            listing__status="listed",
            listing__scope__training_kind=appr.APPRENTICESHIP_KIND,
            listing__scope__removed_on__isnull=True,
        )
        .select_related("organization")
        .distinct()
        .order_by("organization__name")[:500]
    )
    return [(str(p.pk), p.organization.name) for p in profiles]


def _plan_url(plan: Apprenticeship) -> str:
    return reverse("training:apprenticeship_detail", args=[plan.pk])


def _fail(request: HttpRequest, exc: DomainError) -> None:
    details = "；".join(fe.message for fe in exc.fields)
    messages.error(request, f"{exc.message}{('（' + details + '）') if details else ''}")


def _form_invalid(request: HttpRequest, form: Any) -> None:
    problems = [f"{form.fields[name].label if name in form.fields else ''}：{'；'.join(errs)}".lstrip("：")
                for name, errs in form.errors.items()]  # fmt: skip
    messages.error(request, _("填写有误：%(problems)s") % {"problems": "；".join(problems)})


def _plan(request: HttpRequest, plan_id: uuid.UUID) -> Apprenticeship:
    return get_visible(selectors.apprenticeships_visible(request.user), request.user, plan_id)


@login_required
def apprenticeship_list(request: HttpRequest) -> HttpResponse:
    """企业新型学徒制 — the plans in the user's scope."""
    if wants_export(request):
        return export_http(request, APPRENTICESHIPS)
    return render(
        request,
        "training/apprenticeships.html",
        {
            **list_page(request, APPRENTICESHIPS),
            "statuses": ApprenticeshipStatus.choices,
            "levels": _levels(),
            "can_create": _may_create(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apprenticeship_new(request: HttpRequest) -> HttpResponse:
    """学徒制培养计划 — the enterprise side files a plan; the service decides who may and checks it."""
    enterprises = [(str(p.pk), p.organization.name) for p in _my_enterprises(request.user)]
    form = f.ApprenticeshipForm(request.POST or None, enterprises=enterprises, schools=_schools(), levels=_levels())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        enterprise: Any = d["enterprise"]
        if not enterprises:  # named by credit code
            found = OrganizationProfile.objects.filter(organization__credit_code=enterprise.strip().upper()).first()
            enterprise = found.pk if found else None
        try:
            plan = appr.apprenticeship_create(
                actor=current_user(request),
                data=appr.ApprenticeshipInput(
                    enterprise=enterprise,
                    school=d["school"],
                    occupation=d["occupation"].strip(),
                    level=d["level"],
                    start_date=d["start_date"],
                    end_date=d["end_date"],
                    hours_per_year=d["hours_per_year"],
                    concentrated_hours_per_year=d["concentrated_hours_per_year"],
                ),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            for fe in exc.fields:
                form.add_error(fe.field if fe.field in form.fields else None, fe.message)
        else:
            messages.success(request, _("学徒制培养计划已建立：%(code)s") % {"code": plan.code})
            return redirect(_plan_url(plan))
    return render(request, "training/apprenticeship_form.html", {"form": form})


def _masked(apprentice: Apprentice) -> str:
    return str(registry.person_summary(apprentice.person).get("id_number") or "")


@login_required
def apprenticeship_detail(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    """学徒制培养计划 — the plan's facts, its apprentices with mentors, yearly progress and result."""
    plan = _plan(request, plan_id)
    user = request.user
    apprentices_qs = (
        selectors.apprentices_visible(user)
        .filter(apprenticeship=plan)
        .select_related("enterprise_mentor_person", "school_mentor_person")
        .prefetch_related("person__documents")
        .order_by("joined_on", "created_at")
    )
    page_obj = page(request, apprentices_qs)
    rows = [{"a": a, "id_number": _masked(a), "progress": list(a.progress.all())} for a in page_obj]
    manager = can(user, ORG_EDIT, organization_id=plan.enterprise_org_id) or can(
        user, OFFICIAL_EDIT, region_code=plan.region_id
    )
    active = plan.status == ApprenticeshipStatus.ACTIVE
    context: dict[str, Any] = {"plan": plan, "rows": rows, "page_obj": page_obj, "can_act": manager and active,
                               "years": appr.plan_years(plan)}  # fmt: skip
    if manager and active:
        today = timezone.localdate()
        on = max(today, plan.start_date)
        enterprise_mentors = appr.enterprise_mentors(plan.enterprise_org_id, on).select_related("person")
        school_mentors = teachers_of(plan.school_id, on)
        choices = [
            (str(a.pk), f"{a.person.name} {_masked(a)}")
            for a in apprentices_qs.filter(status=ApprenticeshipStatus.ACTIVE)[:500]
        ]
        context |= {
            "has_active": bool(choices),
            "apprentice_form": f.ApprenticeForm(
                enterprise_mentors=[(str(r.pk), r.person.name) for r in enterprise_mentors],
                school_mentors=[(str(r.pk), r.person.name) for r in school_mentors],
            ),
            "progress_form": f.ProgressForm(apprentices=choices, auto_id="progress_%s"),
            "evaluation_form": f.EvaluationForm(apprentices=choices, auto_id="evaluation_%s"),
        }
    return render(request, "training/apprenticeship_detail.html", context)


@login_required
@require_POST
def apprentice_add(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = f.ApprenticeForm(
        request.POST,
        enterprise_mentors=[(request.POST.get("enterprise_mentor", ""), "")],
        school_mentors=[(request.POST.get("school_mentor", ""), "")],
    )
    if not form.is_valid():
        _form_invalid(request, form)
        return redirect(_plan_url(plan))
    d = form.cleaned_data
    try:
        appr.apprentice_add(
            actor=current_user(request),
            apprenticeship=plan,
            id_number=d["id_number"].strip(),
            name=d["name"],
            enterprise_mentor=d["enterprise_mentor"],
            school_mentor=d["school_mentor"],
            joined_on=d.get("joined_on"),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已加入学徒：%(name)s") % {"name": d["name"]})
    return redirect(_plan_url(plan))


def _apprentice_of(request: HttpRequest, plan: Apprenticeship, apprentice_id: Any) -> Apprentice:
    qs = selectors.apprentices_visible(request.user).filter(apprenticeship=plan)
    return get_visible(qs, request.user, apprentice_id)


@login_required
@require_POST
def apprentice_progress(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = _plan(request, plan_id)
    apprentice_id = request.POST.get("apprentice", "")
    form = f.ProgressForm(request.POST, apprentices=[(apprentice_id, "")])
    if not form.is_valid():
        _form_invalid(request, form)
        return redirect(_plan_url(plan))
    d = form.cleaned_data
    apprentice = _apprentice_of(request, plan, d["apprentice"])
    try:
        appr.apprentice_progress(
            actor=current_user(request),
            apprentice=apprentice,
            year_no=d["year_no"],
            hours_done=d["hours_done"],
            concentrated_hours=d["concentrated_hours"],
            online_hours=d.get("online_hours") or 0,
            assessment=d.get("assessment") or "",
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已登记第 %(year)s 年度培养进度。") % {"year": d["year_no"]})
    return redirect(_plan_url(plan))


@login_required
@require_POST
def apprentice_evaluate(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    plan = _plan(request, plan_id)
    apprentice_id = request.POST.get("apprentice", "")
    form = f.EvaluationForm(request.POST, apprentices=[(apprentice_id, "")])
    if not form.is_valid():
        _form_invalid(request, form)
        return redirect(_plan_url(plan))
    d = form.cleaned_data
    apprentice = _apprentice_of(request, plan, d["apprentice"])
    try:
        appr.apprentice_evaluate(
            actor=current_user(request), apprentice=apprentice, result=d["result"], note=d.get("note") or ""
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("考核评价已保存。"))
    return redirect(_plan_url(plan))


@login_required
@require_http_methods(["GET", "POST"])
def apprentice_terminate(request: HttpRequest, plan_id: uuid.UUID, apprentice_id: uuid.UUID) -> HttpResponse:
    """中途终止 — the page says what follows and asks the reason; posting it ends the apprentice's plan (the
    service checks the enterprise's side and that the apprentice is still in training)."""
    plan = _plan(request, plan_id)
    apprentice = _apprentice_of(request, plan, apprentice_id)
    user = current_user(request)
    if not (can(user, ORG_EDIT, organization_id=plan.enterprise_org_id)
            or can(user, OFFICIAL_EDIT, region_code=plan.region_id)):  # fmt: skip
        raise PermissionDenied(_("只有企业经办人员或主管部门可以终止学徒培养。"))
    if apprentice.status != ApprenticeshipStatus.ACTIVE:
        messages.error(request, _("该学徒已结束培养。"))
        return redirect(_plan_url(plan))
    form = f.TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appr.apprentice_terminate(actor=user, apprentice=apprentice, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("已终止 %(name)s 的学徒培养。") % {"name": apprentice.person.name})
            return redirect(_plan_url(plan))
    progress = list(apprentice.progress.order_by("year_no"))
    return render(request, "training/apprentice_terminate.html", {
        "plan": plan, "apprentice": apprentice, "id_number": _masked(apprentice), "form": form,
        "progress": progress, "years": appr.plan_years(plan),
    })  # fmt: skip
