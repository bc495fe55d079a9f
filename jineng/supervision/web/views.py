"""监管 pages: the workbench (cases by rule, severity, status, region, provider), a case with its evidence (and a map
for a distance case) and its decision, the provider risk ranking, the rules and the scans. Thin siblings of the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jineng.accounts.api import Organization, can, current_user, get_visible, require
from jineng.common.errors import DomainError, invalid
from jineng.common.numbers import int_or_none
from jineng.common.web.lists import page
from jineng.refdata.api import Region
from jineng.rules import supervision as R
from jineng.subsidies.api import holds_of, recovery_orders_of
from jineng.supervision import selectors, services
from jineng.supervision.errors import Code
from jineng.supervision.models import CaseStatus, Sanction, SanctionKind, SanctionStatus, ScanKind, Severity
from jineng.supervision.web import labels

FACT_LABELS = {
    "persons": gettext_lazy("人数"), "key_hash_prefix": gettext_lazy("哈希前缀"), "reason": gettext_lazy("原因"), "employment_status": gettext_lazy("就业状态"),
    "overlap_from": gettext_lazy("重叠起"), "overlap_to": gettext_lazy("重叠止"), "events": gettext_lazy("打卡次数"), "max_km": gettext_lazy("最远距离（公里）"),
    "threshold_km": gettext_lazy("距离阈值（公里）"), "credited_hours": gettext_lazy("认定学时"), "days": gettext_lazy("天数"),
    "per_day_max": gettext_lazy("每日学时上限"), "at": gettext_lazy("时刻"), "device": gettext_lazy("设备编号"), "from": gettext_lazy("起"), "to": gettext_lazy("止"),
    "rate": gettext_lazy("合格率"), "pooled": gettext_lazy("参照合格率"), "z": "z", "z_crit": gettext_lazy("临界值"),
    "attendance_percent": gettext_lazy("出勤率（%）"), "minimum_percent": gettext_lazy("最低出勤率（%）"), "claims": gettext_lazy("申请数"),
    "types": gettext_lazy("补贴类型"), "sessions": gettext_lazy("课次"),
}  # fmt: skip


def rule_name(rule: R.RuleDef) -> str:
    """The rule's name in the page's language (the rules core holds both: it has no gettext)."""
    return rule.name_en if (get_language() or "").startswith("en") else rule.name


def region_choices(user: Any) -> list[tuple[str, str]]:
    """The regions a case list may be filtered by: those of the user's supervision scope and below, to the county
    (the nation's whole tree stops at the cities), each named with its city — a picker, not a typed code."""
    from jineng.accounts.api import principal_for
    from jineng.refdata.api import RegionClosure

    roots = sorted(principal_for(user).regions_with(selectors.VIEW))
    qs = Region.objects.current().select_related("parent").order_by("code")
    if not principal_for(user).superuser and "000000" not in roots:
        qs = qs.filter(code__in=RegionClosure.objects.filter(ancestor_id__in=roots).values("descendant_id"))
    else:
        qs = qs.filter(level__in=("province", "city"))
    out = []
    for r in qs.filter(level__in=("province", "city", "county"))[:600]:
        city = r.parent.name if r.level == "county" and r.parent is not None else ""
        out.append((r.code, f"{city} · {r.name}" if city else r.name))
    return out


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, selectors.VIEW)
    f = {k: request.GET.get(k, "")[:40] for k in ("rule", "status", "severity", "region", "provider", "q")}
    base = selectors.cases_visible(user)
    qs = selectors.case_filter(base, **f).order_by("-created_at", "number")
    page_obj = page(request, qs)
    names = dict(Region.objects.filter(code__in={c.region_id for c in page_obj.object_list}).values_list("code",
                                                                                                     "name"))  # fmt: skip
    rows = [{"case": c, "rule_name": rule_name(R.RULES[c.rule]), "region_name": names.get(c.region_id, c.region_id),
             "summary": labels.case_summary(c)} for c in page_obj.object_list]  # fmt: skip
    counts = selectors.case_counts_by_rule(base)
    return render(request, "supervision/cases.html", {
        "rows": rows, "page_obj": page_obj, "f": f, "counts": counts,
        "rules": [{"code": r.code, "name": rule_name(r)} for r in R.RULES.values()],
        "statuses": CaseStatus.choices, "severities": Severity.choices,
        "can_scan": can(user, services.SCAN), "regions": region_choices(user),
    })  # fmt: skip


def _map(case: Any) -> dict[str, Any] | None:
    """An SVG sketch of a distance case: the venue at the centre, each far check-in placed by its offset (km)."""
    venue, points = case.facts.get("venue"), case.facts.get("points")
    if not venue or not points:
        return None
    offsets = []
    for lat, lon in points:
        dy = R.great_circle_km(venue[0], venue[1], lat, venue[1]) * (1 if lat >= venue[0] else -1)
        dx = R.great_circle_km(venue[0], venue[1], venue[0], lon) * (1 if lon >= venue[1] else -1)
        offsets.append((dx, dy))
    span = max([abs(v) for xy in offsets for v in xy] + [1.0])
    return {
        "span": round(span, 1),
        "dots": [{"x": round(150 + dx / span * 130, 1), "y": round(150 - dy / span * 130, 1)} for dx, dy in offsets],
    }


@login_required
def case_detail(request: HttpRequest, case_id: Any) -> HttpResponse:
    user = current_user(request)
    case = get_visible(selectors.cases_visible(user), user, case_id, selectors.VIEW)
    evidence = labels.evidence_rows(case.evidence)
    rule = R.RULES[case.rule]
    steps = [{"step": st, "from_label": labels.status_label(st.from_status), "to_label": labels.status_label(st.to_status)}
             for st in case.steps.all()]  # fmt: skip
    nexts = [(s, CaseStatus(s).label) for s in sorted(R.CASE_TRANSITIONS[R.CaseStatus(case.status)])]
    return render(request, "supervision/case.html", {
        "case": case, "rule_name": rule_name(rule), "evidence": evidence, "steps": steps,
        "summary": labels.case_summary(case), "rule_reads": labels.rule_text(rule.reads),
        "rule_why": labels.rule_text(rule.why), "rule_false_positives": labels.rule_text(rule.false_positives),
        "nexts": nexts, "may_decide": can(user, services.INSPECT, region_code=case.region_id), "map": _map(case),
        "region_name": case.region.name, "severity_label": Severity(case.severity).label,
        "holds": holds_of(f"supervision.case:{case.pk}"), "complaints": selectors.case_complaints(user, case),
        "recoveries": recovery_orders_of(f"supervision.case:{case.pk}"),
        "may_recover": case.status in (CaseStatus.CONFIRMED, CaseStatus.CLOSED)
        and can(user, services.INSPECT, region_code=case.region_id) and services.case_recoverable(actor=user, case=case),
        "sanctions": case.sanctions.all(), "may_sanction": case.provider_id is not None
        and case.status in (CaseStatus.CONFIRMED, CaseStatus.CLOSED) and bool(services.sanction_kinds_for(user)),
        "due_default": timezone.localdate() + dt.timedelta(days=30),
        "facts": [(FACT_LABELS.get(k, k), labels.rule_text(v) if k == "reason" else v) for k, v in case.facts.items()
                  if k not in ("points", "venue", "employment_status", "types")],
    })  # fmt: skip


@login_required
@require_POST
def case_decide(request: HttpRequest, case_id: Any) -> HttpResponse:
    user = current_user(request)
    case = get_visible(selectors.cases_visible(user), user, case_id, selectors.VIEW)
    try:
        case = services.case_transition(actor=user, case=case, to=request.POST.get("to", "")[:20],
                                        reason=request.POST.get("reason", "")[:2000],
                                        hold_claims=request.POST.get("hold_claims") == "1")  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录核查决定：%(s)s") % {"s": case.get_status_display()})
    return redirect("supervision:case", case_id=case.pk)


@login_required
def risk_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, selectors.VIEW)
    regions = region_choices(user)
    region = request.GET.get("region", "")[:6]
    if region not in {code for code, _name in regions}:
        region = ""  # a region outside the picker (typed, or of another scope) is no filter: the scope still applies
    kind = request.GET.get("kind", "provider")[:10]
    kind = kind if kind in selectors.RISK_KINDS else "provider"
    ranked = selectors.provider_risks(user, region=region, kind=kind)[:200]
    names = dict(Region.objects.filter(code__in={p.region for p in ranked}).values_list("code", "name"))
    rows = [{"p": p, "region_name": names.get(p.region, p.region), "components": labels.risk_components(p.risk)}
            for p in ranked]  # fmt: skip
    return render(request, "supervision/risk.html", {"rows": rows, "region": region, "regions": regions,
                                                     "kind": kind})  # fmt: skip


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    require(current_user(request), selectors.VIEW)
    rules = [{"rule": r, "name": rule_name(r), "severity": Severity(r.severity.value).label,
              "reads": labels.rule_text(r.reads), "why": labels.rule_text(r.why),
              "false_positives": labels.rule_text(r.false_positives),
              "thresholds": [labels.threshold_text(t) for t in r.thresholds]} for r in R.RULES.values()]  # fmt: skip
    return render(request, "supervision/rules.html", {"rules": rules})


@login_required
def scan_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, selectors.VIEW)
    if request.method == "POST":
        try:
            kind = request.POST.get("kind", ScanKind.FULL)[:12]
            services.scan_create(actor=user, kind=kind)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("扫描已排队，稍后刷新查看进度。"))
        return redirect("supervision:scans")
    page_obj = page(request, selectors.scans_visible(user).order_by("-created_at"))
    return render(request, "supervision/scans.html", {"page_obj": page_obj, "can_scan": can(user, services.SCAN)})


# ---- sanctions (处罚决定) and clawback (追回), ADR 0027 ------------------------------------------------------------


BLOCK_LABELS = {"listing": gettext_lazy("申请纳入培训机构目录"), "class": gettext_lazy("申请开班"),
                "claim": gettext_lazy("申请补贴")}  # fmt: skip


def _int_or_none(text: str) -> int | None:
    return int_or_none(text or "", max_digits=4)


def _date_or_none(text: str, field: str) -> dt.date | None:
    text = (text or "").strip()[:10]
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise invalid(field=field, code=Code.BAD_DURATION, message=_("日期格式应为 YYYY-MM-DD。")) from None


@login_required
def sanction_list(request: HttpRequest) -> HttpResponse:
    """处罚决定 — the ladder's decisions in scope, and the form to decide one (an official or inspector); opened
    from a case (``?case=<id>``) the form starts with the case and its provider chosen."""
    user = current_user(request)
    require(user, selectors.VIEW)
    f = {k: request.GET.get(k, "")[:60] for k in ("kind", "status", "q")}
    if request.method == "POST":
        return _sanction_create(request, user)
    posted: dict[str, Any] = {}
    case_id = request.GET.get("case", "")[:36]
    if case_id:
        case = get_visible(selectors.cases_visible(user), user, case_id, selectors.VIEW)
        posted = {"case": case.number, "organization": str(case.provider_id or ""),
                  "reason": case.decision_reason}  # fmt: skip
    return _sanctions_page(request, user, f, posted=posted)


def _sanctions_page(request: HttpRequest, user: Any, f: dict[str, str], posted: Any = None, error_field: str = "",
                    status: int = 200) -> HttpResponse:  # fmt: skip
    qs = selectors.sanction_filter(selectors.sanctions_visible(user), kind=f.get("kind", ""),
                                   status=f.get("status", ""), q=f.get("q", "")).order_by("-decided_on", "number")  # fmt: skip
    decidable = services.sanction_kinds_for(user)
    posted = posted or {}
    orgs = selectors.sanctionable_organizations(user, chosen=str(posted.get("organization", "") or "")) \
        if decidable else []  # fmt: skip
    chosen = next((o for o in orgs if str(o.pk) == str(posted.get("organization", ""))), None)
    if chosen is not None:  # the kinds that apply to the chosen organization only
        decidable = [k for k in decidable if k in services.sanction_kinds_applicable(chosen.kind)]
    return render(request, "supervision/sanctions.html", {
        "page_obj": page(request, qs), "f": f, "kinds": SanctionKind.choices, "tab": "sanctions",
        "statuses": [("in_force", _("执行中（在期内）")), *SanctionStatus.choices],
        "may_decide": bool(services.sanction_kinds_for(user)),
        "decide_kinds": [(v, label) for v, label in SanctionKind.choices if v in decidable],
        "provincial": [label for v, label in SanctionKind.choices if v in services.PROVINCIAL],
        "provincial_hidden": any(v not in services.sanction_kinds_for(user) for v in services.PROVINCIAL),
        "orgs": orgs, "chosen": chosen, "posted": posted, "error_field": error_field,
        "case_choices": _case_choices(user, chosen, str(posted.get("case", "") or "")) if decidable else [],
    }, status=status)  # fmt: skip


def _case_choices(user: Any, chosen: Any, current: str) -> list[tuple[str, str]]:
    """依据线索 picked from the user's region's cases (the chosen organization's when one is chosen), newest
    first — their numbers were typed before (issue 15)."""
    qs = selectors.cases_visible(user).select_related("provider")
    if chosen is not None:
        qs = qs.filter(provider_id=chosen.pk)
    rows = list(qs.order_by("-number")[:200])
    if current and all(c.number != current.upper() for c in rows):
        rows += list(selectors.cases_visible(user).filter(number=current.upper()).select_related("provider")[:1])
    return [(c.number, f"{c.number} · {rule_name(R.RULES[c.rule]) if c.rule in R.RULES else c.rule}"
             f"{' · ' + c.provider.name if c.provider else ''}") for c in rows]  # fmt: skip


def _sanction_create(request: HttpRequest, user: Any) -> HttpResponse:
    p = request.POST
    try:
        chosen = p.get("organization", "").strip()[:36]
        org = (get_visible(Organization, user, chosen, selectors.VIEW) if chosen
               else selectors.organization_by_credit_code(user, p.get("credit_code", "")))  # fmt: skip
        if org is None:
            raise invalid(field="organization", code=Code.BAD_CHOICE,
                          message=_("请选择机构（或所填统一社会信用代码的机构不在您的管辖范围内）。"))  # fmt: skip
        case = None
        number = p.get("case", "").strip()[:32]
        if number:
            case = selectors.cases_visible(user).filter(number=number.upper()).first()
            if case is None:
                raise invalid(field="case", code=Code.BAD_CHOICE, message=_("未找到该线索编号。"))
        s = services.sanction_decide(
            actor=user, organization=org, kind=p.get("kind", "")[:10], reason=p.get("reason", "")[:2000],
            starts_on=_date_or_none(p.get("starts_on", ""), "starts_on"), days=_int_or_none(p.get("days", "")),
            years=_int_or_none(p.get("years", "")), document_number=p.get("document_number", "")[:60], case=case,
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
        return _sanctions_page(request, user, {}, posted=p, status=422,
                               error_field=exc.fields[0].field if exc.fields else "")  # fmt: skip
    if s.status == SanctionStatus.PENDING:
        messages.success(request, _("已记录处罚决定 %(n)s，待另一人复核后生效并公开。") % {"n": s.number})
    else:
        messages.success(request, _("已记录处罚决定 %(n)s。") % {"n": s.number})
    return redirect("supervision:sanction", sanction_id=s.pk)


@login_required
def sanction_detail(request: HttpRequest, sanction_id: Any) -> HttpResponse:
    user = current_user(request)
    s = get_visible(selectors.sanctions_visible(user), user, sanction_id, selectors.VIEW)
    today = timezone.localdate()
    may = services.sanction_may(user, s.kind, s.region_id)
    return render(request, "supervision/sanction.html", {
        "s": s, "tab": "sanctions", "may_lift": s.status == SanctionStatus.ACTIVE and may,
        "may_approve": s.status == SanctionStatus.PENDING and may and s.decided_by_id != getattr(user, "pk", None),
        "provincial": s.kind in services.PROVINCIAL,
        "in_force": selectors.in_force(Sanction.objects.filter(pk=s.pk), today).exists(),
        "blocks": [BLOCK_LABELS[a] for a in sorted(services.BLOCKS.get(s.kind, ()))],
    })  # fmt: skip


@login_required
@require_POST
def sanction_lift(request: HttpRequest, sanction_id: Any) -> HttpResponse:
    user = current_user(request)
    s = get_visible(selectors.sanctions_visible(user), user, sanction_id, selectors.VIEW)
    try:
        services.sanction_lift(actor=user, sanction=s, reason=request.POST.get("reason", "")[:2000])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解除处罚。"))
    return redirect("supervision:sanction", sanction_id=s.pk)


@login_required
@require_POST
def sanction_decision(request: HttpRequest, sanction_id: Any) -> HttpResponse:
    """复核 — another person approves (in force and public from now) or rejects a pending 黑名单 / 吊销许可."""
    user = current_user(request)
    s = get_visible(selectors.sanctions_visible(user), user, sanction_id, selectors.VIEW)
    approve = request.POST.get("approve") == "1"
    try:
        s = services.sanction_approve(actor=user, sanction=s, approve=approve,
                                      reason=request.POST.get("reason", "")[:2000])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("复核完成：%(s)s") % {"s": s.get_status_display()})
    return redirect("supervision:sanction", sanction_id=s.pk)


@login_required
@require_POST
def case_recover(request: HttpRequest, case_id: Any) -> HttpResponse:
    """下达追回单 — the paid claims behind a confirmed case, in the official's scope."""
    user = current_user(request)
    case = get_visible(selectors.cases_visible(user), user, case_id, selectors.VIEW)
    try:
        orders = services.case_recover(actor=user, case=case, reason=request.POST.get("reason", "")[:2000],
                                       due_date=request.POST.get("due_date", "")[:10])  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已下达 %(n)s 张追回单，待财务复核。") % {"n": len(orders)})
    return redirect("supervision:case", case_id=case.pk)


def public_blacklist(request: HttpRequest) -> HttpResponse:
    """黑名单（公开）— anyone: the organizations blacklisted today across the province."""
    q = request.GET.get("q", "")[:60]
    return render(request, "supervision/public_blacklist.html", {
        "page_obj": page(request, selectors.blacklist_public(q=q)), "q": q,
    })  # fmt: skip
