"""学徒制补贴预支 page — the enterprise asks for the advance of an apprentice's plan year; finance recovers the paid
advances of plans that ended unfinished. Thin: parse, call ``services.advances``, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jineng.accounts.api import can, current_user, principal_for
from jineng.common.errors import DomainError
from jineng.common.numbers import int_or_none
from jineng.subsidies import facts as fx
from jineng.subsidies.catalog import EventKind
from jineng.subsidies.labels import money
from jineng.subsidies.models import RecoveryOrder
from jineng.subsidies.selectors import claims_visible
from jineng.subsidies.services import advances
from jineng.subsidies.services.recovery import LIVE
from jineng.subsidies.services.support import ORG_EDIT, PAY, today


@login_required
def advance_home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    p = principal_for(user)
    apprentices = fx.active_apprentices_of(p.orgs_with(ORG_EDIT), today())
    choices = advances.advance_offers(apprentices)
    mine = claims_visible(user).filter(event_kind=EventKind.APPRENTICE_ADVANCE).order_by("-created_at")[:200]
    due = advances.advances_due_recovery(claims_visible(user, PAY)) if p.has(PAY) else []
    # paid advances of plans that ended unfinished: the enterprise must repay them (待追回)
    to_repay = {
        c.pk for c, _state in advances.advances_due_recovery(claims_visible(user).filter(pk__in=[c.pk for c in mine]))
    }
    # a due advance already ordered back shows its 追回单 (waiting for 复核, or open for money back) instead of the form
    ordered = {o.claim_id: o for o in RecoveryOrder.objects.filter(claim__in=[c.pk for c, _s in due], status__in=LIVE)}
    return render(request, "subsidies/advances.html", {
        "choices": choices, "has_apprentices": bool(apprentices), "advances": mine, "form": request.session.pop("advance_form", {}),
        "due": [(c, state, ordered.get(c.pk)) for c, state in due], "to_repay": to_repay,
    })  # fmt: skip


@login_required
@require_POST
def advance_new(request: HttpRequest) -> HttpResponse:
    post = request.POST
    # the form's one select names the apprentice and the plan year ("id:year"); apprentice + year_no also taken
    apprentice, _sep, picked_year = post.get("pick", "")[:50].partition(":")
    if not apprentice:
        apprentice, picked_year = post.get("apprentice", "")[:40], post.get("year_no", "")
    year = picked_year[:2]
    try:
        claim = advances.advance_submit(
            actor=current_user(request), apprentice_id=apprentice[:40],
            year_no=year if int_or_none(year) is None else int_or_none(year), payee_bank=post.get("payee_bank", "")[:100],
            payee_account=post.get("payee_account", "")[:40],
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, "；".join(f.message for f in exc.fields) or exc.message)
        request.session["advance_form"] = {
            "pick": f"{apprentice}:{year}"[:60],
            "payee_bank": post.get("payee_bank", "")[:100],
        }
        return redirect("subsidies:advances")
    messages.success(request, _("已提交预支申请 %(number)s，按补贴申请流程审核。") % {"number": claim.number})
    return redirect("subsidies:claim", claim_id=claim.pk)


@login_required
@require_POST
def advance_recover(request: HttpRequest, claim_id: Any) -> HttpResponse:
    user = current_user(request)
    claim = claims_visible(user, PAY).filter(pk=claim_id).first()
    if claim is None or not can(user, PAY, region_code=claim.region_id):
        messages.error(request, _("未找到该预支申请。"))
        return redirect("subsidies:advances")
    try:
        order = advances.advance_recover(actor=user, claim=claim, reason=request.POST.get("reason", "")[:2000])
    except DomainError as exc:
        messages.error(request, "；".join(f.message for f in exc.fields) or exc.message)
        return redirect("subsidies:advances")
    messages.success(request, _("已下达追回单 %(number)s，应追回 %(amount)s，须由另一人复核后记入资金台账。")
                     % {"number": order.number, "amount": money(order.amount_fen)})  # fmt: skip
    return redirect("subsidies:recovery", order_id=order.pk)
