"""Labour-market pages. Officials (``indicators.view`` over a region): 供求分析 (a quarter's 求人倍率 by occupation
with its trend and our trained/certified supply beside it, charts, drill-down by region and occupation group),
工资价位 (with its xlsx export), the 急需紧缺职业目录 versions (draft from the rule, expert additions, approval by
another person, publication). Public: the catalog in force and its history, and the wage levels. Charts are drawn by
``labour_market/charts.js`` (ECharts) from data embedded with ``json_script`` (no inline script: CSP)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from jineng.accounts.api import can, current_user, get_visible, home_region, require
from jineng.common.errors import DomainError, FieldError, ValidationFailed
from jineng.common.numbers import int_or_none
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.imports.api import escape_cell
from jineng.labour_market import selectors, services
from jineng.labour_market.errors import Code
from jineng.labour_market.models import CatalogStatus, ShortageCatalog
from jineng.refdata.api import Region, region_ancestors, region_validate
from jineng.rules.labour import previous_quarters


def _int(value: str | None, field: str, low: int, high: int) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        message = _("%(field)s 应为 %(low)s–%(high)s 之间的整数。") % {"field": field, "low": low, "high": high}
        raise ValidationFailed(message, [FieldError(field, Code.BAD_QUARTER if field == "quarter" else Code.BAD_YEAR,
                                                    message)])  # fmt: skip
    return number


def _region(request: HttpRequest) -> Region:
    user = current_user(request)
    require(user, selectors.VIEW)
    code = (request.GET.get("region") or "").strip()[:6] or home_region(user) or "440000"
    if code == "000000":
        code = "440000"
    region = region_validate(code)
    require(user, selectors.VIEW, region_code=region.code)
    return region


def _crumbs(region: Region, user: Any) -> list[Region]:
    chain = [c for c in region_ancestors(region.code) if can(user, selectors.VIEW, region_code=c)]
    found = {r.code: r for r in Region.objects.filter(code__in=chain)}
    return [found[c] for c in reversed(chain) if c in found]


@login_required
def demand(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    today = timezone.localdate()
    default_year, default_quarter = services.last_complete_quarter(today)
    year = _int(request.GET.get("year"), "year", 2000, today.year) or default_year
    quarter = _int(request.GET.get("quarter"), "quarter", 1, 4) or default_quarter
    group = (request.GET.get("group") or "").strip()[:12]
    q = selectors.DemandQuery(region, year, quarter, group)
    rows = selectors.demand_rows(q)
    children = selectors.demand_by_child_region(q)
    totals = selectors.demand_totals(region.code, previous_quarters(year, quarter, 8), group)
    chart = {
        "top": [{"name": f"{r['name']}", "ratio": r["ratio"]} for r in rows if r["ratio"] is not None][:15],
        "totals": totals,
    }
    return render(request, "labour_market/demand.html", {
        "region": region, "year": year, "quarter": quarter, "group": group, "rows": rows, "children": children,
        "chart": chart, "crumbs": _crumbs(region, current_user(request)), "years": range(today.year, 2019, -1),
        "quarter_label": f"{year}Q{quarter}", "can_import": can(current_user(request), services.IMPORT_PERMISSION),
    })  # fmt: skip


def _wage_context(region: Region, request: HttpRequest) -> dict[str, Any]:
    years = selectors.wage_years(region.code)
    year = _int(request.GET.get("year"), "year", 2000, timezone.localdate().year) or (years[0] if years else None)
    by_level = request.GET.get("by_level") == "1"
    cells = selectors.wage_levels(region.code, year, by_level=by_level) if year else []
    on = dt.date(year, 12, 31) if year else timezone.localdate()
    chart = {"cells": [{"name": c["name"], "p10": c["p10"], "p25": c["p25"], "p50": c["p50"], "p75": c["p75"],
                        "p90": c["p90"]} for c in cells if not c["suppressed"] and not c["level"]][:20]}  # fmt: skip
    return {"region": region, "year": year, "years": years, "cells": cells, "by_level": by_level, "chart": chart,
            "min_sample": selectors.min_sample(region.code, on)}  # fmt: skip


@login_required
def wages(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    ctx = _wage_context(region, request)
    ctx["crumbs"] = _crumbs(region, current_user(request))
    return render(request, "labour_market/wages.html", ctx)


@login_required
def wages_export(request: HttpRequest) -> HttpResponse:
    """The wage levels as xlsx: a suppressed cell's five figures are blank, its sample size is given."""
    region = _region(request)
    ctx = _wage_context(region, request)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "工资价位"
    ws.append([escape_cell(v) for v in [f"{region.name}（{region.code}）", f"{ctx['year'] or ''} 年", "单位：元/年",
                                        f"样本量低于 {ctx['min_sample']} 的单元不公布分位值"]])  # fmt: skip
    ws.append(["职业编码", "职业", "技能等级", "样本量", "P10", "P25", "P50", "P75", "P90", "说明"])
    for c in ctx["cells"]:
        ws.append([escape_cell(v) for v in [c["occupation_code"], c["name"], c["level"] or "全部", c["sample_size"],
                                            c["p10"], c["p25"], c["p50"], c["p75"], c["p90"],
                                            "样本不足，不公布" if c["suppressed"] else ""]])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="wage-levels-{region.code}-{ctx["year"] or ""}.xlsx"'
    return response


# ---- the shortage catalog ---------------------------------------------------------------------------------------


class DraftForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("截至年度"), min_value=2000, max_value=2100, required=False)
    quarter = forms.IntegerField(label=gettext_lazy("季度"), min_value=1, max_value=4, required=False)


class ItemForm(forms.Form):
    occupation_code = forms.CharField(label=gettext_lazy("职业编码"), max_length=20)
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=300)


class PublishForm(forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@require_http_methods(["GET", "POST"])
def catalogs(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    user = current_user(request)
    form = DraftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            catalog = services.catalog_draft_generate(actor=user, region_code=region.code,
                                                      year=form.cleaned_data.get("year"),
                                                      quarter=form.cleaned_data.get("quarter"))  # fmt: skip
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("已按规则生成目录草稿。"))
            return redirect("labour:catalog", catalog.pk)
    qs = selectors.catalogs_visible(user).filter(region_id=region.code)
    in_force = selectors.catalog_in_force_model(region.code, timezone.localdate())
    return render(request, "labour_market/catalogs.html", {
        "region": region, "page_obj": page(request, qs), "form": form, "in_force": in_force,
        "can_draft": can(user, services.CATALOG_EDIT, region_code=region.code), "crumbs": _crumbs(region, user),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def catalog(request: HttpRequest, catalog_id: str) -> HttpResponse:
    user = current_user(request)
    obj: ShortageCatalog = get_visible(ShortageCatalog, user, catalog_id, selectors.VIEW)
    item_form = ItemForm(request.POST if request.POST.get("action") in ("add", "remove") else None)
    publish_form = PublishForm(request.POST if request.POST.get("action") == "publish" else None,
                               initial={"effective_from": timezone.localdate()})  # fmt: skip
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add" and item_form.is_valid():
                services.catalog_item_add(actor=user, catalog_id=obj.pk, **item_form.cleaned_data)
                messages.success(request, _("已增补职业。"))
                return redirect("labour:catalog", obj.pk)
            if action == "remove" and item_form.is_valid():
                services.catalog_item_remove(actor=user, catalog_id=obj.pk, **item_form.cleaned_data)
                messages.success(request, _("已移出职业。"))
                return redirect("labour:catalog", obj.pk)
            if action == "approve":
                services.catalog_approve(actor=user, catalog_id=obj.pk)
                messages.success(request, _("目录已审核。"))
                return redirect("labour:catalog", obj.pk)
            if action == "publish" and publish_form.is_valid():
                services.catalog_publish(actor=user, catalog_id=obj.pk,
                                         effective_from=publish_form.cleaned_data["effective_from"])  # fmt: skip
                messages.success(request, _("目录已发布。"))
                return redirect("labour:catalog", obj.pk)
        except DomainError as exc:
            target = publish_form if action == "publish" else item_form
            if action == "approve":
                messages.error(request, exc.message)
            else:
                domain_error_to_form(target, exc)
    editor = str(getattr(user, "pk", "")) in obj.editors
    return render(request, "labour_market/catalog.html", {
        "c": obj, "items": selectors.catalog_items(obj, include_removed=True), "item_form": item_form,
        "publish_form": publish_form, "is_draft": obj.status == CatalogStatus.DRAFT,
        "is_approved": obj.status == CatalogStatus.APPROVED,
        "can_edit": can(user, services.CATALOG_EDIT, region_code=obj.region_id),
        "can_approve": can(user, services.CATALOG_APPROVE, region_code=obj.region_id) and not editor,
        "can_publish": can(user, services.CATALOG_APPROVE, region_code=obj.region_id), "editor": editor,
    })  # fmt: skip


# ---- public -----------------------------------------------------------------------------------------------------


def _public_region(request: HttpRequest) -> Region:
    code = (request.GET.get("region") or "440000").strip()[:6]
    return region_validate(code)


def public_catalog(request: HttpRequest) -> HttpResponse:
    """急需紧缺职业（工种）目录: the version in force today and every earlier published version, without login."""
    region = _public_region(request)
    code = selectors.public_region(region.code)
    history = list(selectors.catalogs_published(code))
    chosen = request.GET.get("version")
    in_force = selectors.catalog_in_force_model(code, timezone.localdate())
    shown = in_force
    version = int_or_none(chosen)
    if version is not None:
        shown = next((c for c in history if c.version_no == version), in_force)
    items = list(selectors.catalog_items(shown)) if shown else []
    return render(request, "labour_market/public_catalog.html", {
        "region": region, "catalog": shown, "in_force": in_force, "items": items, "history": history,
    })  # fmt: skip


def public_wages(request: HttpRequest) -> HttpResponse:
    region = _public_region(request)
    return render(request, "labour_market/public_wages.html", _wage_context(region, request))
