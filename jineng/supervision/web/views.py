"""监管 pages: the workbench (cases by rule, severity, status, region, provider), a case with its evidence (and a map
for a distance case) and its decision, the provider risk ranking, the rules and the scans. Thin siblings of the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jineng.accounts.api import can, current_user, get_visible, require
from jineng.common.errors import DomainError
from jineng.common.web.lists import page
from jineng.refdata.api import Region
from jineng.rules import supervision as R
from jineng.subsidies.api import holds_of
from jineng.supervision import selectors, services
from jineng.supervision.models import CaseStatus, ScanKind, Severity
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
        "holds": holds_of(f"supervision.case:{case.pk}"),
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
    region = request.GET.get("region", "")[:6]
    ranked = selectors.provider_risks(user, region=region)
    return render(request, "supervision/risk.html", {"ranked": ranked[:200], "region": region})


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    require(current_user(request), selectors.VIEW)
    rules = [{"rule": r, "name": rule_name(r), "severity": Severity(r.severity.value).label,
              "reads": labels.rule_text(r.reads), "why": labels.rule_text(r.why),
              "false_positives": labels.rule_text(r.false_positives)} for r in R.RULES.values()]  # fmt: skip
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
