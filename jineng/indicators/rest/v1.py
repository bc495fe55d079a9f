"""Indicators API: a plan's targets beside their actuals for a region and year, the drill-down, the yearly series,
the records behind a number, and the public province-level summary. Thin: validate, check scope, read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from jineng.accounts.api import current_user, home_region, require
from jineng.common.errors import FieldError, ValidationFailed
from jineng.common.rest.pagination import Paging, page_items
from jineng.common.rest.types import Year
from jineng.indicators import selectors
from jineng.indicators.freshness import ensure_chain as ensure_refresh_chain
from jineng.indicators.sources import SourceMissing

router = Router(tags=["indicators 规划指标"])
public_router = Router(auth=None, tags=["public 公开"])

PERMISSION = "indicators.view"


class IndicatorOut(Schema):
    code: str
    name: str
    parent: str | None = None
    definition: str
    definition_name: str
    unit: str
    unit_label: str
    kind: str
    kind_label: str
    comparator: str
    target: int
    target_max: int | None = None
    target_raw: str
    target_region: str
    period_target: int
    baseline: int | None = None
    opening_stock: int | None = None
    additive: bool
    actual: int | None = None
    own_actual: int | None = None
    no_data_reason: str | None = None
    progress: float | None = None
    time_elapsed: float
    signal: str
    signal_label: str
    frozen: bool
    restated_actual: int | None = None
    restated_own_actual: int | None = None
    restated_at: str | None = None
    restatement_reason: str | None = None


class IndicatorListOut(Schema):
    plan: str
    plan_name: str
    region: str
    region_name: str
    year: int
    as_of: str
    period_start: int
    period_end: int
    frozen: bool
    items: list[IndicatorOut]


class BreakdownRow(Schema):
    region: str
    name: str
    role: str
    actual: int | None = None
    has_children: bool
    check: bool | None = None


class BreakdownOut(Schema):
    indicator: str
    region: str
    year: int
    additive: bool
    no_data_reason: str | None = None
    rows: list[BreakdownRow]


class SeriesPoint(Schema):
    year: int
    actual: int | None = None
    progress: float | None = None
    expected: float


class SeriesOut(Schema):
    indicator: str
    region: str
    target: int
    period_target: int
    points: list[SeriesPoint]


class RecordOut(Schema):
    id: str
    kind: str
    kind_label: str
    region: str
    date: str | None = None
    label: str
    detail: str


class RecordPage(Schema):
    count: int
    page: int
    page_size: int
    indicator: str
    region: str
    year: int
    items: list[RecordOut]


class PublicIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    kind: str
    target: int
    target_raw: str
    actual: int | None = None
    no_data_reason: str | None = None
    progress: float | None = None
    time_elapsed: float
    signal: str
    signal_label: str
    frozen: bool


class PublicListOut(Schema):
    plan: str
    plan_name: str
    region: str
    region_name: str
    year: int
    items: list[PublicIndicatorOut]


def scoped_query(request: HttpRequest, plan: str, region: str | None, year: int | None) -> selectors.Query:
    """Validate the question, then require the user's grant over the region (403 outside it). Without a region,
    the user's own highest region (or the plan's region)."""
    user = current_user(request)
    require(user, PERMISSION)
    if not region:
        home = home_region(user)
        region = home if home and home != "000000" else None
    q = selectors.query_for(plan, region, year)
    require(user, PERMISSION, region_code=q.region.code)
    return q


def _header(q: selectors.Query) -> dict[str, Any]:
    from jineng.indicators.models import YearClose

    return {
        "plan": q.plan.code,
        "plan_name": q.plan.name,
        "region": q.region.code,
        "region_name": q.region.name,
        "year": q.year,
        "as_of": q.as_of.isoformat(),
        "period_start": q.plan.period_start,
        "period_end": q.plan.period_end,
        "frozen": YearClose.objects.filter(plan=q.plan, year=q.year).exists(),
    }


@router.get("/indicators", response=IndicatorListOut, summary="规划指标 Targets beside actuals for a region and year")
def indicator_list(request: HttpRequest, plan: str, region: str | None = None, year: Year | None = None) -> Any:
    q = scoped_query(request, plan, region, year)
    ensure_refresh_chain()  # the freshness chain starts itself when anyone reads (a no-op while it is alive)
    return {**_header(q), "items": selectors.indicator_items(q)}


@router.get("/indicators/breakdown", response=BreakdownOut, summary="指标分解 A region, its 本级 and its children")
def indicator_breakdown(
    request: HttpRequest, plan: str, indicator: str, region: str | None = None, year: Year | None = None
) -> Any:
    q = scoped_query(request, plan, region, year)
    target = selectors.target_of(q.plan, indicator)
    d = selectors.definition_for(q.plan.code, indicator)
    rows = selectors.breakdown(q, target)
    reason = rows[0]["actual"] is None and selectors.values_for(q.plan, target, [q.region.code], q.year)[
        q.region.code].reason  # fmt: skip
    return {"indicator": indicator, "region": q.region.code, "year": q.year, "additive": d.additive,
            "no_data_reason": reason or None, "rows": rows}  # fmt: skip


@router.get("/indicators/series", response=SeriesOut, summary="逐年数据 Year by year up to the year")
def indicator_series(
    request: HttpRequest, plan: str, indicator: str, region: str | None = None, year: Year | None = None
) -> Any:
    q = scoped_query(request, plan, region, year)
    target = selectors.target_of(q.plan, indicator)
    from jineng.rules.indicators import period_target

    return {"indicator": indicator, "region": q.region.code, "target": target.value,
            "period_target": period_target(selectors.spec_of(target)), "points": selectors.series(q, target)}  # fmt: skip


@router.get("/indicators/records", response=RecordPage, summary="指标明细 The records behind a number")
def indicator_records(
    request: HttpRequest,
    plan: str,
    indicator: str,
    region: str | None = None,
    year: Year | None = None,
    own: bool = False,
    only_year: bool = False,
    paging: Query[Paging] = None,  # type: ignore[assignment]
) -> Any:
    q = scoped_query(request, plan, region, year)
    target = selectors.target_of(q.plan, indicator)
    try:
        qs, present = selectors.records_behind(q, target, only_year=only_year, own_only=own)
    except SourceMissing as exc:
        raise ValidationFailed(
            f"该指标暂无数据：{exc.reason}", [FieldError("indicator", "no_data", exc.reason)], code="no_data"
        ) from exc
    assert present is not None
    return page_items(qs, paging, present, indicator=indicator, region=q.region.code, year=q.year)


@public_router.get("/indicators", response=PublicListOut, summary="规划指标公开 The plan's province-level summary")
def public_indicator_list(request: HttpRequest, plan: str, year: Year | None = None) -> Any:
    q = selectors.query_for(plan, None, year)
    keep = PublicIndicatorOut.model_fields.keys()
    items = [{k: v for k, v in item.items() if k in keep} for item in selectors.indicator_items(q)]
    return {"plan": q.plan.code, "plan_name": q.plan.name, "region": q.region.code, "region_name": q.region.name,
            "year": q.year, "items": items}  # fmt: skip
