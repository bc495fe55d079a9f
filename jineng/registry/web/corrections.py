"""更正申请 pages: the worker asks for a record of their archive to be corrected (/persons/me/corrections/); the
owning region's officials answer (/persons/corrections/)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import current_user, get_visible, principal_for, visible
from jineng.common.errors import DomainError
from jineng.common.web.lists import page
from jineng.registry.archive import archive_entries
from jineng.registry.models import CorrectionRequest, CorrectionStatus, Person
from jineng.registry.services.corrections import correction_answer, correction_request_create, corrections_of

ENTRIES_SHOWN = 200


def _fail(request: HttpRequest, exc: DomainError) -> None:
    details = "；".join(fe.message for fe in exc.fields)
    messages.error(request, f"{exc.message}{('（' + details + '）') if details else ''}")


def _choices(person: Person) -> list[dict[str, Any]]:
    """What may be corrected: the basic data (the residence county's) and each archive entry (its own region)."""
    base = person.residence_region_id or ""
    out = [{"key": "basic", "about": str(_("基本信息（姓名、证件、联系方式、人员类别）")), "region": base,
            "source": "registry", "ref": str(person.pk)}]  # fmt: skip
    for i, e in enumerate(archive_entries(person)[:ENTRIES_SHOWN]):
        region = e.region_code or base
        if region:
            out.append({"key": str(i), "about": f"{e.on:%Y-%m-%d} {e.title}", "region": region, "source": e.source,
                        "ref": e.ref})  # fmt: skip
    return [c for c in out if c["region"]]


@login_required
@require_http_methods(["GET", "POST"])
def my_corrections(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    p = principal_for(user)
    person = Person.objects.filter(pk=p.person_id).first() if p.person_id and p.has("self.view") else None
    if person is None:
        return render(request, "registry/no_person.html", status=404)
    choices = _choices(person)
    if request.method == "POST":
        chosen = next((c for c in choices if c["key"] == request.POST.get("about", "")[:8]), None)
        try:
            correction_request_create(
                actor=user, person=person, region_code=chosen["region"] if chosen else "",
                about=chosen["about"] if chosen else "", source=chosen["source"] if chosen else "",
                ref=chosen["ref"] if chosen else "", text=request.POST.get("text", "")[:2000],
            )  # fmt: skip
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已提交更正申请，由该记录所属地区的经办机构处理。"))
            return redirect("registry:my_corrections")
    return render(request, "registry/my_corrections.html", {
        "choices": choices, "requests": corrections_of(person.pk)[:50], "selected": request.GET.get("about", "")[:8],
    })  # fmt: skip


@login_required
def corrections(request: HttpRequest) -> HttpResponse:
    """更正申请 — the requests to the user's region, open first."""
    user = current_user(request)
    if not principal_for(user).has("registry.edit"):
        raise PermissionDenied
    status = request.GET.get("status", CorrectionStatus.OPEN)[:10]
    qs = visible(CorrectionRequest, user, "registry.edit").select_related("person", "region")
    if status in CorrectionStatus.values:
        qs = qs.filter(status=status)
    return render(request, "registry/corrections.html", {
        "page": page(request, qs.order_by("created_at")), "status": status, "statuses": CorrectionStatus.choices,
    })  # fmt: skip


@login_required
@require_POST
def correction_answer_view(request: HttpRequest, correction_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    c = get_visible(CorrectionRequest, user, correction_id, "registry.edit")
    try:
        correction_answer(actor=user, correction=c, corrected=request.POST.get("outcome") == "corrected",
                          answer=request.POST.get("answer", "")[:2000])  # fmt: skip
        messages.success(request, _("已答复更正申请。"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("registry:corrections")
