"""项目制培训 pages — the projects in scope, one project with its classes and settlement, the form to create one.
Thin: parse, call ``services.projects``, render."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jineng.accounts.api import Organization, can, current_user, get_visible
from jineng.common.errors import DomainError, PermissionDenied
from jineng.common.numbers import int_or_none
from jineng.common.web.lists import page
from jineng.refdata.api import Region, region_subtree
from jineng.training import selectors
from jineng.training.errors import Code
from jineng.training.models import ProjectStatus, TrainingClass, TrainingProject
from jineng.training.services import projects
from jineng.training.services.support import REVIEW


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    status, q = request.GET.get("status", "")[:20], request.GET.get("q", "")[:100]
    qs = selectors.project_filter(selectors.projects_visible(user), status=status, q=q).order_by("-start_date")
    return render(request, "training/projects.html", {
        "page": page(request, qs), "statuses": ProjectStatus.choices, "status": status, "q": q,
        "may_create": bool(_review_regions(user)),
    })  # fmt: skip


def _review_regions(user: Any) -> list[str]:
    from jineng.accounts.api import principal_for

    return principal_for(user).regions_with(REVIEW)


@login_required
def project_detail(request: HttpRequest, project_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    project: TrainingProject = get_visible(selectors.projects_visible(user), user, project_id)
    may_act = project.status == ProjectStatus.CONTRACTED and can(user, REVIEW, region_code=project.region_id)
    candidates = (
        TrainingClass.objects.filter(organization_id=project.organization_id, project__isnull=True,
                                     region_id__in=region_subtree(project.region_id)).order_by("-start_date")[:200]
        if may_act else []
    )  # fmt: skip
    return render(request, "training/project_detail.html", {
        "project": project, "classes": project.classes.order_by("code"), "figures": projects.project_figures(project),
        "may_act": may_act, "candidates": candidates,
    })  # fmt: skip


@login_required
@require_POST
def project_action(request: HttpRequest, project_id: uuid.UUID, action: str) -> HttpResponse:
    user = current_user(request)
    project: TrainingProject = get_visible(selectors.projects_visible(user), user, project_id)
    try:
        if action == "settle":
            projects.project_settle(actor=user, project=project, payee_bank=request.POST.get("payee_bank", "")[:100],
                                    payee_account=request.POST.get("payee_account", "")[:40])  # fmt: skip
            messages.success(request, _("项目已结算：已按结业学员生成培训补贴申请，待另一人审核后拨付。"))
        elif action == "add-class":
            cls = selectors.class_get(user, request.POST.get("training_class", "")[:40])
            projects.project_add_class(actor=user, project=project, training_class=cls)
            messages.success(request, _("班级已纳入项目。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("training:project", project_id=project.pk)


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    regions = _review_regions(user)
    if not regions:
        raise PermissionDenied(_("只有经办机构可以立项。"))
    providers = Organization.objects.filter(kind="provider", region_id__in=region_subtree(regions)).order_by("name")
    values = {k: request.POST.get(k, "")[:200] for k in (
        "name", "region", "organization", "contract_number", "theme", "budget_yuan", "price_yuan", "target_trainees",
        "target_employment_percent", "start_date", "end_date")}  # fmt: skip
    error = ""
    if request.method == "POST":
        try:
            project = projects.project_create(actor=user, data=projects.ProjectInput(
                name=values["name"], region=values["region"] or regions[0], organization_id=values["organization"],
                contract_number=values["contract_number"], theme=values["theme"],
                budget_fen=_fen(values["budget_yuan"]), price_per_trainee_fen=_fen(values["price_yuan"]),
                target_trainees=_int(values["target_trainees"]),
                target_employment_percent=_int(values["target_employment_percent"] or "0"),
                start_date=_date(values["start_date"], "start_date"), end_date=_date(values["end_date"], "end_date"),
            ))  # fmt: skip
        except DomainError as exc:
            error = "；".join(f.message for f in exc.fields) or exc.message
        else:
            messages.success(request, _("已立项 %(code)s。") % {"code": project.code})
            return redirect("training:project", project_id=project.pk)
    return render(request, "training/project_form.html", {
        "values": values, "providers": providers[:500], "error": error,
        "regions": list(Region.objects.filter(code__in=regions).order_by("code").values_list("code", "name")),
    })  # fmt: skip


def _fen(text: str) -> Any:
    from decimal import Decimal, InvalidOperation

    try:
        yuan = Decimal(text.replace(",", "").strip())
        if yuan.is_finite() and yuan == yuan.quantize(Decimal("0.01")):
            return int(yuan * 100)
    except InvalidOperation:
        pass
    return text  # refused by the service on its field


def _int(text: str) -> Any:
    number = int_or_none(text)
    return number if number is not None else text


def _date(text: str, field: str) -> dt.date:
    from jineng.common.errors import invalid

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise invalid(field=field, code=Code.BAD_DATE, message=_("日期格式应为 YYYY-MM-DD。")) from None
