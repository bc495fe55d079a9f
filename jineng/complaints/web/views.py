"""Pages of complaints: the public form, the status check and the reopening by tracking code (no sign-in), and the
handler's list (overdue flags), detail (steps, attachments, contact masked with an audited reveal) and actions
(受理, 办理记录, 答复, 办结). Thin over ``services`` and ``selectors``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jineng.accounts.api import can, current_user, get_visible, principal_for
from jineng.certificates.api import TooManyRequests, rate_limit_hit
from jineng.common.errors import DomainError, PermissionDenied
from jineng.common.middleware import client_address
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.complaints import selectors, services
from jineng.complaints.models import Complaint, ObjectKind, Status, StepKind
from jineng.complaints.web import forms as f

SUBMIT_RATE = "5/hour"
STATUS_RATE = "30/minute"


def _limited(request: HttpRequest, bucket: str, setting: str, default: str) -> TooManyRequests | None:
    rate = str(getattr(settings, setting, "") or default)
    decision = rate_limit_hit(bucket, selectors.rate_key(client_address(request)), rate=rate)
    return None if decision.allowed else TooManyRequests(decision.retry_after, decision.rate)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# ---- public ----------------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def public_new(request: HttpRequest) -> HttpResponse:
    """投诉举报 — the public form; answers with the tracking code, shown once."""
    form = f.ComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        refused = _limited(request, "complaints.submit", "JINENG_COMPLAINT_RATE", SUBMIT_RATE)
        if d["website"] or f.too_fast_or_stale(d["started"]):
            form.add_error(None, _("提交未成功：页面已过期或提交过快，请稍候再提交。"))
            status = 400
        elif refused is not None:
            form.add_error(None, refused.message)
            status = 429
        else:
            uploads = [
                services.Upload(u.name or "", u.content_type or "", u) for u in request.FILES.getlist("attachments")
            ]
            data = services.ComplaintIn(
                object_kind=d["object_kind"], object_name=d["object_name"], class_ref=d["class_ref"],
                region=selectors_region(d["region"]), category=d["category"], content=d["content"],
                anonymous=d["anonymous"], name=d["name"], phone=d["phone"], files=uploads,
            )  # fmt: skip
            try:
                complaint, code = services.complaint_submit(data=data)
            except DomainError as exc:
                domain_error_to_form(form, exc, aliases={"file": "attachments", "files": "attachments"})
                status = exc.status
            else:
                return _no_store(render(request, "complaints/public_submitted.html", {
                    "code": code, "status": selectors.public_status(complaint),
                    "region": complaint.region.name,
                }))  # fmt: skip
    elif request.method == "POST":
        status = 422
    if request.method == "POST":
        # A new clock for the corrected form; a sender who passed the clock once may send the correction at once.
        human = not request.POST.get("website") and not f.too_fast_or_stale(request.POST.get("started", ""))
        fresh = request.POST.copy()
        fresh["started"] = f.started_token(passed=human)
        form.data = fresh
    return render(request, "complaints/public_new.html", {"form": form, "kinds": ObjectKind}, status=status)


def selectors_region(text: str) -> str:
    """The region the form names: a six-digit code, or a name (with its parents) the suggestions offered."""
    text = " ".join((text or "").split())
    if not text or (len(text) == 6 and text.isdigit()):
        return text
    matches = selectors.region_suggestions(text, limit=50)
    exact = [code for code, label in matches if label == text or label.endswith(text)]
    return exact[0] if len(exact) == 1 else ""


@never_cache
@require_http_methods(["GET", "POST"])
def public_status(request: HttpRequest) -> HttpResponse:
    """办理进度 — by tracking code (posted, never in the URL): the status, dates and answer only."""
    form = f.StatusForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        refused = _limited(request, "complaints.status", "JINENG_COMPLAINT_STATUS_RATE", STATUS_RATE)
        if refused is not None:
            form.add_error("code", refused.message)
            status = 429
        else:
            try:
                complaint = services.complaint_by_code(code)
            except DomainError as exc:
                form.add_error("code", exc.message)
                status = exc.status
            else:
                context["result"] = selectors.public_status(complaint)
                context["reopen_form"] = f.ReopenForm(initial={"code": code})
    return _no_store(render(request, "complaints/public_status.html", context, status=status))


@never_cache
@require_POST
def public_reopen(request: HttpRequest) -> HttpResponse:
    """重新办理 — once, after the answer, with the code and a reason."""
    form = f.ReopenForm(request.POST)
    status_form = f.StatusForm(initial={"code": request.POST.get("code", "")[:40]})
    context: dict[str, Any] = {"form": status_form, "reopen_form": form}
    status = 200
    refused = _limited(request, "complaints.status", "JINENG_COMPLAINT_STATUS_RATE", STATUS_RATE)
    if refused is not None:
        form.add_error(None, refused.message)
        status = 429
    elif form.is_valid():
        try:
            complaint = services.complaint_reopen(code=form.cleaned_data["code"], reason=form.cleaned_data["reason"])
        except DomainError as exc:
            domain_error_to_form(form, exc)
            status = exc.status
        else:
            context["result"] = selectors.public_status(complaint)
            context["reopen_form"] = None
            context["reopened_now"] = True
    else:
        status = 422
    if "result" not in context and status != 429:
        try:
            context["result"] = selectors.public_status(services.complaint_by_code(request.POST.get("code", "")))
        except DomainError:
            pass
    return _no_store(render(request, "complaints/public_status.html", context, status=status))


@require_GET
def public_objects(request: HttpRequest) -> HttpResponse:
    """The name suggestions of the form's object box (listed organizations: public names)."""
    kind = request.GET.get("object_kind", "")[:12]
    names = selectors.object_suggestions(request.GET.get("object_name", ""), kind)
    return render(request, "complaints/_options.html", {"options": [(n, "") for n in names]})


@require_GET
def public_regions(request: HttpRequest) -> HttpResponse:
    """The region suggestions of the form's region box."""
    rows = selectors.region_suggestions(request.GET.get("region", ""))
    return render(request, "complaints/_options.html", {"options": [(label, code) for code, label in rows]})


# ---- the handler -----------------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, str]:
    status = request.GET.get("status", "").strip()
    overdue = request.GET.get("overdue", "").strip()
    return {
        "status": status if status in [*Status.values, "open"] else "",
        "overdue": overdue if overdue in selectors.OVERDUE_CHOICES else "",
        "q": " ".join(request.GET.get("q", "").split())[:60],
    }


@login_required
def handler_list(request: HttpRequest) -> HttpResponse:
    if not principal_for(request.user).has(selectors.HANDLE):
        raise PermissionDenied(_("只有人社部门的经办人员可以办理投诉举报。"))
    filters = _filters(request)
    page_obj = page(request, selectors.complaints_visible(request.user, **filters))
    today = timezone.localdate()
    rows = [{"c": c, **selectors.flags(c, today)} for c in page_obj]
    return render(request, "complaints/list.html", {
        "page_obj": page_obj, "rows": rows, "filters": filters, "statuses": Status.choices,
    })  # fmt: skip


def _complaint(request: HttpRequest, complaint_id: uuid.UUID) -> Complaint:
    qs = Complaint.objects.select_related("region", "organization", "handler")
    found: Complaint = get_visible(qs, request.user, complaint_id, selectors.HANDLE)
    return found


def _detail(request: HttpRequest, c: Complaint, form: f.TextForm | None = None, action: str = "",
            status: int = 200) -> HttpResponse:  # fmt: skip
    from jineng.inspections.api import inspectors_for, tasks_of_case

    user = current_user(request)
    p = principal_for(request.user)
    case = services.complaint_case(user, c)
    may_task = c.organization_id is not None and can(user, services.INSPECT, region_code=c.region_id)
    return render(request, "complaints/detail.html", {
        "c": c, **selectors.flags(c), "steps": c.steps.select_related("actor"),
        "attachments": services.complaint_attachments(c), "form": form or f.TextForm(), "failed_action": action,
        "can_reveal": p.has("registry.reveal"), "revealable": services.REVEALABLE, "statuses": Status,
        "step_kinds": StepKind, "case": case, "tasks": list(tasks_of_case(case.pk)) if case is not None else [],
        "summary_default": services.case_summary_default(c), "summary_max": services.SUMMARY_MAX,
        "may_task": may_task and c.status != Status.CLOSED,
        "inspectors": inspectors_for(c.region_id, c.organization_id) if may_task else [],
    }, status=status)  # fmt: skip


@login_required
def handler_detail(request: HttpRequest, complaint_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _complaint(request, complaint_id))


ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "acknowledge": (services.complaint_acknowledge, gettext_lazy("已受理。")),
    "note": (services.complaint_note, gettext_lazy("已添加办理记录。")),
    "reply": (services.complaint_reply, gettext_lazy("已答复，投诉举报人可凭查询码查看。")),
    "close": (services.complaint_close, gettext_lazy("已办结。")),
    "case": (services.complaint_link_case, gettext_lazy("已关联监管线索。")),
    "open_case": (services.complaint_open_case, gettext_lazy("已立案，监管线索已转监管核查。")),
}


@login_required
@require_POST
def handler_action(request: HttpRequest, complaint_id: uuid.UUID, action: str) -> HttpResponse:
    c = _complaint(request, complaint_id)
    if action == "task":
        return _task(request, c)
    if action not in ACTIONS:
        raise Http404
    form = f.TextForm(request.POST)
    if not form.is_valid():
        return _detail(request, c, form, action, status=422)
    service, done = ACTIONS[action]
    try:
        service(actor=current_user(request), complaint=c, text=form.cleaned_data["text"])
    except DomainError as exc:
        domain_error_to_form(form, exc)
        return _detail(request, _complaint(request, complaint_id), form, action, status=exc.status)
    messages.success(request, str(done))
    return redirect("complaints:detail", complaint_id=c.pk)


def _task(request: HttpRequest, c: Complaint) -> HttpResponse:
    """派出检查任务 — the inspectors ticked on the page (at most 10 ids)."""
    form = f.TextForm({"text": ""})
    form.is_valid()
    try:
        task = services.complaint_open_task(actor=current_user(request), complaint=c,
                                            inspector_ids=request.POST.getlist("inspectors")[:10])  # fmt: skip
    except DomainError as exc:
        domain_error_to_form(form, exc, aliases={"inspectors": "text"})
        return _detail(request, _complaint(request, c.pk), form, "task", status=exc.status)
    messages.success(request, _("已派出检查任务 %(n)s。") % {"n": task.number})
    return redirect("complaints:detail", complaint_id=c.pk)


@never_cache
@login_required
@require_POST
def handler_reveal(request: HttpRequest, complaint_id: uuid.UUID) -> HttpResponse:
    c = _complaint(request, complaint_id)
    field = request.POST.get("field", "phone")[:10]
    try:
        value = services.complaint_reveal(actor=current_user(request), complaint=c, field=field,
                                          reason=request.POST.get("reason", "")[:200])  # fmt: skip
    except DomainError as exc:
        return render(request, "complaints/_reveal.html", {"error": exc, "field": field}, status=exc.status)
    return _no_store(render(request, "complaints/_reveal.html", {"value": value or "—", "field": field}))
