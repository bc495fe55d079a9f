"""新招用职工 pages of an enterprise: its hires with the 以工代训 claim of each, and the form to record a hire (the
person found or registered by ID number). Thin: parse the form, call ``hires.hire_record``, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jineng.accounts.api import Organization, current_user, principal_for
from jineng.common.errors import DomainError, PermissionDenied
from jineng.registry.api import Group, person_groups_on
from jineng.subsidies.catalog import LIVE_STATUSES
from jineng.subsidies.models import Claim
from jineng.subsidies.selectors import hire_offer_refusal
from jineng.subsidies.services.hires import HIRE_GROUPS, MAX_CONTRACT_MONTHS, HireInput, hire_record, hires_of
from jineng.subsidies.services.support import today


class _Styled(forms.Form):
    """Bootstrap's classes on every widget (no inline styles: the CSP forbids them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if select else "form-control form-control-sm"
            )


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class HireForm(_Styled):
    id_number = forms.CharField(label=gettext_lazy("身份证件号码"), max_length=32)
    name = forms.CharField(
        label=gettext_lazy("姓名"), max_length=50, error_messages={"required": gettext_lazy("请填写姓名。")}
    )
    group = forms.ChoiceField(
        label=gettext_lazy("人员类别（尚未登记的人员，由企业申报、经办机构核实）"),
        required=False,
        choices=[("", "—")] + [(g.value, g.label) for g in HIRE_GROUPS],
    )
    graduation_year = forms.IntegerField(label=gettext_lazy("毕业年度（高校毕业生）"), required=False, min_value=1950,
                                         max_value=2100)  # fmt: skip
    hired_on = forms.DateField(label=gettext_lazy("招用（入职）日期"), widget=_DateInput())
    contract_months = forms.IntegerField(
        label=gettext_lazy("劳动合同期限（月；无固定期限填 0）"), min_value=0, max_value=MAX_CONTRACT_MONTHS
    )
    insured_from = forms.DateField(label=gettext_lazy("本企业为其参保（社会保险）起始日期"), widget=_DateInput())


def _enterprises(user: Any) -> list[Organization]:
    ids = principal_for(user).orgs_with("org.edit")
    return list(Organization.objects.filter(pk__in=ids, kind="enterprise").order_by("name"))


def _claim_url(org: Organization, record_id: Any) -> str:
    query = {"type": "work_for_training", "event_ref": str(record_id), "applicant_kind": "enterprise",
             "applicant_org": str(org.pk)}  # fmt: skip
    return f"{reverse('subsidies:new')}?{urlencode(query)}"


@login_required
def hire_list(request: HttpRequest) -> HttpResponse:
    """新招用职工 — the enterprise's hires, each with its 以工代训 claim or the link to file one."""
    orgs = _enterprises(current_user(request))
    if not orgs:
        raise PermissionDenied(_("只有企业的经办人员可以登记新招用职工。"))
    rows = []
    for org in orgs:
        records = list(hires_of(org)[:300])
        claims = {
            c.event_key: c
            for c in Claim.objects.filter(
                event_key__in=[f"employment:{r.pk}" for r in records], status__in=LIVE_STATUSES
            )
        }
        for r in records:
            groups = [str(Group(g).label) for g in person_groups_on(r.person, r.started_on) if g in Group.values]
            claim = claims.get(f"employment:{r.pk}")
            refusal = "" if claim else hire_offer_refusal(r, str(org.region_id))
            rows.append({"org": org, "record": r, "groups": groups, "claim": claim, "refusal": refusal,
                         "claim_url": "" if refusal else _claim_url(org, r.pk)})  # fmt: skip
    return render(request, "subsidies/hires.html", {"rows": rows, "orgs": orgs})


@login_required
def hire_new(request: HttpRequest) -> HttpResponse:
    """登记新招用职工, then file its 以工代训 claim from the page it leads to."""
    user = current_user(request)
    orgs = _enterprises(user)
    if not orgs:
        raise PermissionDenied(_("只有企业的经办人员可以登记新招用职工。"))
    posted = request.POST.get("organization")
    chosen = next((o for o in orgs if str(o.pk) == posted), None) if posted else orgs[0]
    org = chosen or orgs[0]
    form = HireForm(request.POST or None, initial={"hired_on": today(), "insured_from": today()})
    if request.method == "POST" and chosen is None:  # another organization than the user's own enterprises
        form.add_error(None, _("请选择本企业。"))
    if request.method == "POST" and chosen is not None and form.is_valid():
        d = form.cleaned_data
        data = HireInput(
            organization_id=org.pk, id_number=d["id_number"], name=d["name"] or "", group=d["group"] or "",
            graduation_year=d["graduation_year"], hired_on=d["hired_on"], contract_months=d["contract_months"],
            insured_from=d["insured_from"],
        )  # fmt: skip
        try:
            record = hire_record(actor=user, data=data)
        except DomainError as exc:
            for fe in exc.fields:
                form.add_error(fe.field if fe.field in form.fields else None, fe.message)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记新招用职工 %(name)s。") % {"name": record.person.name})
            return redirect(_claim_url(org, record.pk))
    return render(request, "subsidies/hire_form.html", {"form": form, "orgs": orgs, "org": org})
