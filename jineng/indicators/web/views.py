"""Indicator pages: the dashboard of a plan for a region and year (targets, actuals, progress beside time elapsed,
the on-track signal, the year-by-year chart, the drill-down by region with each region's 本级 row), the records
behind a number, the xlsx export, and the public province-level page. Charts are drawn by a static script
(``indicators/dashboard.js``, ECharts) from the data the page embeds with ``json_script`` (no inline script: CSP)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jineng.accounts.api import current_user, home_region, require
from jineng.common.errors import DomainError, FieldError, ValidationFailed
from jineng.common.web.lists import page
from jineng.imports.api import escape_cell
from jineng.indicators import selectors
from jineng.indicators.demo import demo_scale
from jineng.indicators.freshness import ensure_chain
from jineng.indicators.sources import SourceMissing
from jineng.refdata.api import Plan, Region, plan_list, region_ancestors

PERMISSION = "indicators.view"


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed("年度须为数字。", [FieldError("year", "bad_year", "年度须为数字。")]) from None


def _default_plan(user: Any) -> str:
    """The plan whose region holds the user's home region (the province's own plan before the national one)."""
    home = home_region(user) or "000000"
    try:
        chain = region_ancestors(home)
    except DomainError:
        chain = ["000000"]
    plans = list(Plan.objects.all())
    year = timezone.localdate().year
    for code in chain:
        # A plan in force this year first (its years include the current one), then by code.
        for p in sorted(plans, key=lambda p: (not p.period_start <= year <= p.period_end, p.code)):
            if p.region_id == code and "clusters" not in p.code:
                return p.code
    return "national-2021"


def _query(request: HttpRequest) -> selectors.Query:
    user = current_user(request)
    require(user, PERMISSION)
    plan = request.GET.get("plan") or _default_plan(user)
    region = request.GET.get("region") or None
    if region is None:
        home = home_region(user)
        p = selectors.plan_get(plan)
        region = home if home and home != "000000" and home in _subtree_codes(p.region_id, home) else None
    q = selectors.query_for(plan, region, _int(request.GET.get("year")))
    require(user, PERMISSION, region_code=q.region.code)
    return q


def _subtree_codes(ancestor: str, code: str) -> set[str]:
    try:
        return {code} if ancestor in region_ancestors(code) else set()
    except DomainError:
        return set()


def _breadcrumbs(q: selectors.Query) -> list[Region]:
    chain = [c for c in region_ancestors(q.region.code)]
    chain = chain[: chain.index(q.plan.region_id) + 1] if q.plan.region_id in chain else [q.region.code]
    regions = {r.code: r for r in Region.objects.filter(code__in=chain)}
    return [regions[c] for c in reversed(chain) if c in regions]


def _explained(q: selectors.Query, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a reader needs beside each figure: for a stock measured from a baseline (基数), the increase so far over
    the increase planned (the progress docs/indicators.md defines) and the total against the target (57 of 70 is
    81 % of the total even when nothing was added yet); where the opening stock (期初存量) comes from — the plan's
    own text, on the public plan page."""
    source = reverse("public:plan", args=[q.plan.code])
    names = dict(Region.objects.filter(code__in={i["target_region"] for i in items}).values_list("code", "name"))
    for i in items:
        i["source_url"] = f"{source}#target-{i['code']}"
        target = i["period_target"]
        actual = i["actual"]
        i["attained"] = None
        i["increase"] = i["planned_increase"] = None
        i["others_target"] = i["target_region"] != q.region.code
        if i["others_target"]:
            # a region below the target's region: the target is the province's (or city's), not this region's — its
            # count is shown, without a progress computed against a target that is not its own
            i["progress"] = None
            i["target_region_name"] = names.get(i["target_region"], i["target_region"])
            continue
        if i["kind"] == "stock" and actual is not None and target:
            i["attained"] = round(actual / target, 4)
            # the baseline (基数) is the target region's own: a region below it has no increase of its own to show
            if i["baseline"] is not None and i["target_region"] == q.region.code:
                i["increase"] = actual - i["baseline"]
                i["planned_increase"] = target - i["baseline"]
    return items


DEMO_SIGNAL = "demo"


def _demo_scaled(q: selectors.Query, items: list[dict[str, Any]]) -> bool:
    """A real plan read against a demo database: the signals would judge a few hundred demo records against the real
    province's targets, so each says 数据为演示规模 instead (the figures and progress stay as computed)."""
    if not demo_scale(q.plan):
        return False
    for i in items:
        if i["signal"] not in ("no_data", "not_applicable"):
            i["signal"], i["signal_label"] = DEMO_SIGNAL, _("数据为演示规模")
    return True


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    ensure_chain()
    items = _explained(q, selectors.indicator_items(q))
    demo = _demo_scaled(q, items)
    targets = {t.indicator: t for t in selectors.plan_targets(q.plan.code)}
    # The first indicator with something to draw (a non-zero actual), else the first with data, else the first.
    chosen = request.GET.get("indicator") or next(
        (i["code"] for i in items if i["actual"]),
        next((i["code"] for i in items if i["actual"] is not None), items[0]["code"] if items else ""),
    )
    detail: dict[str, Any] | None = None
    if chosen in targets:
        target = targets[chosen]
        item = next(i for i in items if i["code"] == chosen)
        detail = {
            "item": item,
            "rows": selectors.breakdown(q, target),
            "series": selectors.series(q, target),
        }
    chart = {
        "indicator": chosen,
        "name": detail["item"]["name"] if detail else "",
        "unit": detail["item"]["unit_label"] if detail else "",
        "target": detail["item"]["period_target"] if detail else None,
        "series": detail["series"] if detail else [],
        "regions": [r for r in detail["rows"] if r["role"] != "total"] if detail else [],
    }
    return render(request, "indicators/dashboard.html", {
        "q": q, "items": items, "detail": detail, "chosen": chosen, "chart": chart, "plans": plan_list(),
        "years": range(q.plan.period_start, q.plan.period_end + 1), "crumbs": _breadcrumbs(q), "demo_scale": demo,
    })  # fmt: skip


@login_required
def records(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    indicator = request.GET.get("indicator", "")
    target = selectors.target_of(q.plan, indicator)
    own = request.GET.get("own") == "1"
    try:
        qs, present = selectors.records_behind(q, target, own_only=own)
    except SourceMissing as exc:
        return render(request, "indicators/records.html", {"q": q, "target": target, "reason": exc.reason})
    page_obj = page(request, qs)
    assert present is not None
    rows = [present(obj) for obj in page_obj.object_list]
    names = dict(Region.objects.filter(code__in={r["region"] for r in rows}).values_list("code", "name"))
    for r in rows:
        r["region_name"] = names.get(r["region"], r["region"])
    return render(request, "indicators/records.html", {
        "q": q, "target": target, "page_obj": page_obj, "rows": rows, "own": own,
        "definition": selectors.definition_for(q.plan.code, indicator),
    })  # fmt: skip


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures as xlsx: the indicators of the region, then each indicator's drill-down."""
    q = _query(request)
    items = selectors.indicator_items(q)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    ws.append([escape_cell(v) for v in [q.plan.name, f"{q.region.name}（{q.region.code}）", f"{q.year} 年"]])
    ws.append(["指标代码", "指标", "口径", "单位", "类型", "目标值", "实际值", "其中本级", "进度", "时间进度", "状态",
               "无数据原因", "已结账"])  # fmt: skip
    for i in items:
        ws.append([escape_cell(v) for v in [
            i["code"], i["name"], i["definition"], i["unit_label"], i["kind_label"], i["target"], i["actual"],
            i["own_actual"], i["progress"], i["time_elapsed"], i["signal_label"], i["no_data_reason"] or "",
            "是" if i["frozen"] else "否",
        ]])  # fmt: skip
    regions = wb.create_sheet("分地区")
    regions.append(["指标代码", "指标", "地区代码", "地区", "口径", "实际值"])
    for target in selectors.plan_targets(q.plan.code):
        for row in selectors.breakdown(q, target):
            if row["role"] == "total":
                continue
            regions.append([escape_cell(v) for v in [target.indicator, target.name, row["region"], row["name"],
                                                     "本级" if row["role"] == "own" else "下级", row["actual"]]])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="indicators-{q.plan.code}-{q.region.code}-{q.year}.xlsx"'
    return response


def _public_default_plan(plans: list[Plan]) -> str:
    """The plan a visitor meets first: one in force this year, a region's own plan before the national one (the
    national plan has no figures of its own), the main plan before a sector's programme, the latest first."""
    if not plans:
        return ""
    year = timezone.localdate().year

    def rank(p: Plan) -> tuple[bool, bool, bool, int, str]:
        in_force = p.period_start <= year <= p.period_end
        return (not in_force, p.region_id == "000000", "clusters" in p.code, -p.period_end, p.code)

    return min(plans, key=rank).code


def public(request: HttpRequest) -> HttpResponse:
    """信息公开: the plan's figures at its own (province) level, without login."""
    plans = list(plan_list())
    plan = request.GET.get("plan") or _public_default_plan(plans)
    q = selectors.query_for(plan, None, _int(request.GET.get("year")))
    items = _explained(q, selectors.indicator_items(q))
    demo = _demo_scaled(q, items)
    return render(request, "indicators/public.html", {
        "q": q, "items": items, "plans": plans, "demo_scale": demo, "years": range(q.plan.period_start, q.plan.period_end + 1),
    })  # fmt: skip
