"""一次性补助 pages — the grants to high-skill bases and master studios: the list (with the batch form for finance),
the request form, and one grant with its review and its payment lines. Thin: parse, call ``services.grants``, render."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jineng.accounts.api import can, current_user, get_visible, principal_for
from jineng.common.errors import DomainError, PermissionDenied
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.common.web.reveal import reveal_response
from jineng.providers import api as providers_api
from jineng.refdata.api import region_subtree
from jineng.subsidies.catalog import FundSource
from jineng.subsidies.models import BaseGrant, GrantLine, GrantStatus, PayeeCheck
from jineng.subsidies.money import yuan_to_fen
from jineng.subsidies.selectors import grant_filter, grants_payable, grants_visible
from jineng.subsidies.services import grants as grant_services
from jineng.subsidies.services.support import ORG_EDIT, PAY, REVIEW, today


class GrantForm(forms.Form):
    base = forms.ChoiceField(label=gettext_lazy("基地或工作室"))
    amount_yuan = forms.CharField(label=gettext_lazy("补助金额（元）"), max_length=20)
    fund_source = forms.ChoiceField(label=gettext_lazy("资金来源"), choices=FundSource.choices,
                                    initial=FundSource.EMPLOYMENT_FUND)  # fmt: skip
    year = forms.IntegerField(label=gettext_lazy("补助年度"), min_value=2000, max_value=2100)
    basis = forms.CharField(label=gettext_lazy("补助依据（文件或文号）"), max_length=200)
    payee_bank = forms.CharField(label=gettext_lazy("开户银行"), max_length=100)
    payee_account = forms.CharField(label=gettext_lazy("收款账号"), max_length=40)
    note = forms.CharField(
        label=gettext_lazy("申请说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, bases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        base_field = cast(forms.ChoiceField, self.fields["base"])
        base_field.choices = [("", "—"), *bases]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if select else "form-control form-control-sm"
            )


def _bases_for(user: Any) -> Any:
    """The bases the user may ask for: those in the regions they review, and those their organizations host."""
    p = principal_for(user)
    qs = providers_api.bases_for_grant()
    if p.superuser:
        return qs
    regions = p.regions_with(REVIEW)
    hosted = p.orgs_with(ORG_EDIT)
    return qs.filter(Q(region_id__in=region_subtree(regions)) | Q(host__organization_id__in=hosted))


def _base_choices(user: Any) -> list[tuple[str, str]]:
    """The form's bases: those the user may ask for, less those with a standing grant (一次性: one per base, a
    refused one may be asked again — ``grant_exists`` otherwise)."""
    granted = BaseGrant.objects.exclude(status=GrantStatus.REJECTED).values("base_id")
    return [
        (str(b.pk), f"{b.name}（{b.get_level_display()}{b.get_kind_display()}，{b.approval_year}）")
        for b in _bases_for(user).exclude(pk__in=granted)[:500]
    ]


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    """一次性补助 — the grants in scope, filtered; finance officials batch the approved ones."""
    user = current_user(request)
    g = request.GET
    status, kind, year, q = (
        g.get("status", "")[:20],
        g.get("kind", "")[:20],
        g.get("year", "")[:4],
        g.get("q", "")[:100],
    )
    qs = grant_filter(grants_visible(user), status=status, kind=kind, year=year, q=q).order_by("-created_at")
    return render(request, "subsidies/grants.html", {
        "page": page(request, qs), "statuses": GrantStatus.choices, "status": status, "kind": kind, "year": year,
        "q": q, "kinds": [(k.value, k.label) for k in providers_api.GRANT_BASE_KINDS],
        "may_request": bool(_base_choices(user)), "payable_count": grants_payable(user).count(),
    })  # fmt: skip


@login_required
def grant_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    bases = _base_choices(user)
    if not bases:
        if not _bases_for(user).exists():
            raise PermissionDenied(_("您没有可申请一次性补助的基地或工作室。"))
        messages.info(request, _("您的基地和工作室都已申请过一次性补助（每个只补助一次）。"))
        return redirect("subsidies:grants")
    form = GrantForm(request.POST or None, bases=bases, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            amount = yuan_to_fen(d["amount_yuan"], field="amount_yuan", label=_("补助金额"))
            grant = grant_services.grant_request(
                actor=user, base_id=d["base"], amount_fen=amount, fund_source=d["fund_source"], basis=d["basis"],
                payee_bank=d["payee_bank"], payee_account=d["payee_account"], note=d["note"], year=d["year"],
            )  # fmt: skip
        except DomainError as exc:
            domain_error_to_form(form, exc, aliases={"amount_fen": "amount_yuan"})
        else:
            messages.success(
                request, _("已提交一次性补助申请 %(number)s，待另一名审核人员审核。") % {"number": grant.number}
            )
            return redirect("subsidies:grant", grant_id=grant.pk)
    return render(request, "subsidies/grant_form.html", {"form": form})


@login_required
def grant_detail(request: HttpRequest, grant_id: Any) -> HttpResponse:
    user = current_user(request)
    grant: BaseGrant = get_visible(BaseGrant, user, grant_id)
    lines = list(GrantLine.objects.filter(grant=grant).select_related("batch").order_by("created_at"))
    reviewer = can(user, REVIEW, region_code=grant.region_id)
    may_review = grant.status == GrantStatus.SUBMITTED and reviewer
    # the comparison made now for the reviewer of a waiting grant; the one stored at request (or confirmation) else
    check, verified = grant_services.payee_check_of(grant) if may_review else (grant.payee_check, [])
    return render(request, "subsidies/grant_detail.html", {
        "grant": grant, "lines": lines, "may_review": may_review,
        "may_confirm": any(can(user, PAY, region_code=line.region_id) for line in lines if line.state == "pending"),
        "payee_check": check, "payee_check_label": PayeeCheck(check).label, "verified": verified,
        "may_confirm_payee": may_review and check == PayeeCheck.MISMATCH and grant.payee_confirmed_by_id is None
        and grant.requested_by_id != user.pk,
        "may_reveal": reviewer,
    })  # fmt: skip


@login_required
@require_POST
def grant_payee_confirm(request: HttpRequest, grant_id: Any) -> HttpResponse:
    """核实收款账号 — another person confirms an account that does not match the verified ones, with a reason."""
    user = current_user(request)
    grant: BaseGrant = get_visible(BaseGrant, user, grant_id)
    try:
        grant_services.grant_payee_confirm(actor=user, grant=grant, reason=request.POST.get("reason", "")[:500])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认收款账号，审核须由另一人办理。"))
    return redirect("subsidies:grant", grant_id=grant.pk)


@login_required
@require_POST
def grant_payee_reveal(request: HttpRequest, grant_id: Any) -> HttpResponse:
    """查看完整收款账号 — a reviewer, with a reason (audited); the answer is never cached."""
    user = current_user(request)
    grant: BaseGrant = get_visible(BaseGrant, user, grant_id)
    return reveal_response(request, "subsidies/_payee_reveal.html",
                           lambda reason: grant_services.grant_payee_reveal(actor=user, grant=grant, reason=reason))  # fmt: skip


@login_required
@require_POST
def grant_review(request: HttpRequest, grant_id: Any, decision: str) -> HttpResponse:
    user = current_user(request)
    grant: BaseGrant = get_visible(BaseGrant, user, grant_id)
    try:
        grant_services.grant_review(actor=user, grant=grant, approve=decision == "approve",
                                    reason=request.POST.get("reason", "")[:2000])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已审核。"))
    return redirect("subsidies:grant", grant_id=grant.pk)


@login_required
@require_POST
def grant_batch(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    try:
        batch = grant_services.grant_batch_create(actor=user, grant_ids=request.POST.getlist("grant")[:500],
                                                  note=request.POST.get("note", "")[:300])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("subsidies:payments")
    messages.success(request, _("已生成拨付批次 %(number)s。") % {"number": batch.number})
    return redirect("subsidies:batch", batch_id=batch.pk)


@login_required
@require_POST
def grant_line_confirm(request: HttpRequest, line_id: Any) -> HttpResponse:
    user = current_user(request)
    line: GrantLine = get_visible(GrantLine, user, line_id, PAY)
    paid = request.POST.get("outcome") == "paid"
    try:
        grant_services.grant_line_confirm(actor=user, line=line, paid=paid,
                                          bank_reference=request.POST.get("bank_reference", "")[:64],
                                          reason=request.POST.get("reason", "")[:300])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认支付结果。"))
    return redirect("subsidies:grant", grant_id=line.grant_id)
