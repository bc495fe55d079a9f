"""找培训 and 报名申请 — the worker finds upcoming classes near them (region, occupation, start date) with the subsidy
the policy in force would pay, asks to join one (a voucher of theirs attached or not); the provider's staff accept
the request into the roster or refuse it with a reason (``services.joins``). Phone first: cards, not tables."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import current_user, get_visible, principal_for
from jineng.common.errors import DomainError, PermissionDenied
from jineng.common.web.lists import page
from jineng.refdata.api import Region
from jineng.registry.api import Person
from jineng.rules.subsidy.money import format_fen
from jineng.training import selectors, subsidy_port
from jineng.training.models import JoinRequest, JoinRequestStatus, TrainingClass
from jineng.training.services import joins
from jineng.training.services.support import local_date

FIND_SHOWN = 30  # classes estimated per page of results: each estimate runs the rules core
OCCUPATION_MAX = 40


def _fail(request: HttpRequest, exc: DomainError) -> None:
    details = "；".join(fe.message for fe in exc.fields)
    messages.error(request, f"{exc.message}{('（' + details + '）') if details else ''}")


def _person(request: HttpRequest) -> Any:
    user = current_user(request)
    p = principal_for(user)
    if not p.has("self.view"):
        raise PermissionDenied()
    return Person.objects.filter(pk=p.person_id).select_related("residence_region").first() if p.person_id else None


def _date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31) else None


def _estimate(person: Any, tc: TrainingClass) -> dict[str, Any] | None:
    if person is None:
        return None
    est = subsidy_port.subsidy_estimate(person.pk, tc)
    if est is None:
        return None
    return {"outcome": est.outcome, "amount": format_fen(est.amount_fen).removesuffix("元"), "amount_fen": est.amount_fen,
            "policy": est.policy, "lines": est.lines}  # fmt: skip


def _near(person: Any) -> str:
    return selectors.near_region(getattr(person, "residence_region", None))


@login_required
def find(request: HttpRequest) -> HttpResponse:
    """找培训 — upcoming classes, the nearest start first, with the worker's estimated subsidy."""
    person = _person(request)
    today = local_date(timezone.now())
    region = (request.GET.get("region", None) if "region" in request.GET else _near(person)) or ""
    region = region.strip()[:12]
    if region and not region.isdigit():
        region = ""
    occupation = request.GET.get("occupation", "").strip()[:OCCUPATION_MAX]
    start_from = _date(request.GET.get("start_from", ""))
    qs = selectors.joinable_classes(today=today, region=region, occupation=occupation, start_from=start_from)
    pg = page(request, qs, per_page=FIND_SHOWN)
    mine = list(selectors.my_join_requests(person.pk if person else None)[:200])
    latest = {r.training_class_id: r for r in reversed(mine)}  # the newest request per class
    cards = [{"c": tc, "estimate": _estimate(person, tc), "request": latest.get(tc.pk)} for tc in pg.object_list]
    regions = [(r.code, r.name) for r in Region.objects.current().filter(level="city").order_by("code")[:200]]
    return render(request, "training/find.html", {
        "page": pg, "cards": cards, "region": region, "occupation": occupation, "start_from": start_from,
        "regions": regions, "person": person, "requests": mine[:20],
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    """One upcoming class: its schedule, the subsidy explained, and the request to join it."""
    person = _person(request)
    today = local_date(timezone.now())
    tc = selectors.joinable_classes(today=today).filter(pk=class_id).first()
    if tc is None:
        return render(request, "training/join_gone.html", status=404)
    if request.method == "POST":
        if person is None:
            raise PermissionDenied()
        try:
            joins.join_request_create(
                actor=current_user(request), training_class=tc, pledge=request.POST.get("pledge") == "on",
                voucher_code=request.POST.get("voucher", "")[:20], note=request.POST.get("note", "")[:1000],
            )  # fmt: skip
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已提交报名申请，培训机构接收后即列入花名册。"))
            return redirect("training:find")
    vouchers = subsidy_port.usable_vouchers(person.pk, tc) if person else []
    pending = (
        selectors.my_join_requests(person.pk).filter(training_class=tc, status=JoinRequestStatus.PENDING).first()
        if person
        else None
    )
    return render(request, "training/join.html", {
        "c": tc, "estimate": _estimate(person, tc), "vouchers": vouchers, "person": person, "pending": pending,
        "sessions": tc.sessions.filter(cancelled_at__isnull=True).order_by("starts_at")[:60],
    })  # fmt: skip


@login_required
@require_POST
def withdraw(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    jr = get_visible(JoinRequest, user, request_id, "self.view")
    try:
        joins.join_request_withdraw(actor=user, join_request=jr)
        messages.success(request, _("已撤回报名申请。"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("training:find")


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    """报名申请 — the provider's to-do: requests to its classes, pending first."""
    user = current_user(request)
    if not principal_for(user).has("org.view"):
        raise PermissionDenied()
    status = request.GET.get("status", JoinRequestStatus.PENDING)[:10]
    if status not in JoinRequestStatus.values and status != "all":
        status = JoinRequestStatus.PENDING
    qs = selectors.join_requests_visible(user, "" if status == "all" else status)
    return render(request, "training/join_requests.html", {
        "page": page(request, qs), "status": status, "statuses": JoinRequestStatus.choices,
    })  # fmt: skip


@login_required
@require_POST
def decide(request: HttpRequest, request_id: uuid.UUID, action: str) -> HttpResponse:
    user = current_user(request)
    jr = get_visible(JoinRequest.objects.select_related("training_class"), user, request_id, "org.view")
    try:
        if action == "accept":
            joins.join_request_accept(actor=user, join_request=jr)
            messages.success(request, _("已接收 %(name)s 入班。") % {"name": jr.person_name})
        elif action == "refuse":
            joins.join_request_refuse(actor=user, join_request=jr, reason=request.POST.get("reason", "")[:1000])
            messages.success(request, _("已告知 %(name)s 不予接收的原因。") % {"name": jr.person_name})
        else:
            raise PermissionDenied()
    except DomainError as exc:
        _fail(request, exc)
    return redirect("training:join_requests")
