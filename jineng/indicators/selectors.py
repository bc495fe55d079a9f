"""Reading indicators (指标查询): a plan's targets beside their actuals for a region and year, its children's
figures (drill-down), the year-by-year series, and the records behind a number.

A region's actual sums the roll-up cells of its subtree (closure table) for an additive definition, and reads the
distinct-person cell of the region for the others. A closed year reads its frozen figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from jineng.common.errors import FieldError, ValidationFailed
from jineng.indicators.definitions import FLOW, WINDOW_PERIOD, WINDOW_YEAR, Definition, definition_for
from jineng.indicators.models import DistinctCell, FrozenFigure, RollupCell, YearClose
from jineng.indicators.rollups import distinct_compute, in_force, in_subtree, in_window, in_year, window_of
from jineng.refdata.api import (  # noqa: F401 - plan_get, plan_targets are re-exported for the views
    COUNTRY_CODE,
    Plan,
    PlanTarget,
    Region,
    RegionClosure,
    plan_get,
    plan_targets,
    region_is_within,
)
from jineng.rules import indicators as maths

Figures = dict[str, tuple[int, int]]  # region → (actual, own)

__all__ = ["Query", "definition_for", "plan_get", "plan_targets", "query_for"]


@dataclass
class Query:
    """A validated question: a plan, a region within its scope, a year within its period."""

    plan: Plan
    region: Region
    year: int
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def as_of(self) -> dt.date:
        return maths.as_of_date(self.year, self.today)


def query_for(plan_code: str, region_code: str | None, year: int | None) -> Query:
    """Check the plan, region and year (422 with a clear message when outside the plan's scope)."""
    plan = plan_get(plan_code)  # 404 unknown_plan
    code = (region_code or plan.region_id).strip()
    region = Region.objects.current().filter(code=code).first()
    if region is None:
        raise ValidationFailed(
            f"行政区划代码不存在或已撤销：{code}", [FieldError("region", "unknown_region", "行政区划代码不存在。")]
        )
    if not region_is_within(region.code, plan.region_id):
        raise ValidationFailed(
            f"{region.name}（{region.code}）不在规划“{plan.name}”的范围内（{plan.region_id}）。",
            [FieldError("region", "outside_plan", "地区不在规划范围内。")],
            code="region_outside_plan",
        )
    today = timezone.localdate()
    if year is None:
        year = min(max(today.year, plan.period_start), plan.period_end)
    if not plan.period_start <= year <= plan.period_end:
        raise ValidationFailed(
            f"年度 {year} 不在规划期 {plan.period_start}–{plan.period_end} 内。",
            [FieldError("year", "outside_period", "年度不在规划期内。")],
            code="year_outside_plan",
        )
    return Query(plan=plan, region=region, year=year, today=today)


def spec_of(target: PlanTarget) -> maths.TargetSpec:
    return maths.TargetSpec(
        kind=target.kind,
        value=target.value,
        value_max=target.value_max,
        baseline=target.baseline if target.kind == "stock" else None,
        period_start=target.period_start,
        period_end=target.period_end,
    )


# ---- live figures from the cells -------------------------------------------------------------------------------------


def _years(d: Definition, target: PlanTarget, year: int) -> tuple[int, int]:
    """The span of years whose cells make the actual of ``year``."""
    if d.measure != FLOW or target.kind == "annual":
        return (year, year)
    return (target.period_start, year)


def _tree_sums(d: Definition, ancestors: list[str], first: int, last: int) -> dict[str, int]:
    return {code: tree for code, (tree, _) in _sums(d, ancestors, first, last).items()}


def _sums(d: Definition, ancestors: list[str], first: int, last: int) -> Figures:
    """(subtree sum, own sum) of each region's cells for the years ``first``–``last``, in one query (the closure
    table holds each region as its own descendant, so the own cells are the rows where both codes are equal)."""
    if not ancestors:
        return {}
    marks = ", ".join(["%s"] * len(ancestors))
    sql = (
        "SELECT c.ancestor_id, SUM(r.value), SUM(CASE WHEN r.region_id = c.ancestor_id THEN r.value ELSE 0 END) "  # noqa: S608 - bound params
        f"FROM {RollupCell._meta.db_table} r JOIN {RegionClosure._meta.db_table} c ON c.descendant_id = r.region_id "
        f"WHERE r.definition = %s AND r.year >= %s AND r.year <= %s AND c.ancestor_id IN ({marks}) "
        "GROUP BY c.ancestor_id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [d.id, first, last, *ancestors])
        return {code: (int(tree or 0), int(own or 0)) for code, tree, own in cur.fetchall()}


def _distinct(d: Definition, regions: list[str], year: int, from_year: int) -> Figures:
    cells = {
        c.region_id: (int(c.tree), int(c.own))
        for c in DistinctCell.objects.filter(definition=d.id, year=year, from_year=from_year, region_id__in=regions)
    }
    missing = [code for code in regions if code not in cells]
    if missing:
        complete = DistinctCell.objects.filter(
            definition=d.id, year=year, from_year=from_year, region_id=COUNTRY_CODE
        ).exists()
        if complete:
            cells.update({code: (0, 0) for code in missing})
        else:
            cells.update(distinct_compute(d, missing, year, from_year))
    return cells


def _opening_adjustment(d: Definition, target: PlanTarget) -> int:
    """Opening stock − the platform's own stock at the opening year (added to the target region's 本级)."""
    if target.opening_stock is None or target.opening_stock_year is None:
        return 0
    code = target.region_id
    year = target.opening_stock_year
    platform: int
    if d.additive:
        platform = _tree_sums(d, [code], year, year).get(code, 0)
    else:
        platform = _distinct(d, [code], *window_of(d, year, target.period_start))[code][0]
    return maths.opening_adjustment(target.opening_stock, platform)


@dataclass
class CellCache:
    """The additive cells of some definitions for some regions and years, read in one query: what one request's
    reads (every target of a plan, or one target year by year) would otherwise ask one query at a time."""

    definitions: set[str]
    regions: set[str]
    first: int
    last: int
    cells: dict[tuple[str, str, int], tuple[int, int]]  # (definition, region, year) → (subtree sum, own sum)

    def sums(self, d: Definition, codes: list[str], first: int, last: int) -> Figures | None:
        """The sums ``_sums`` would return, or None when the cache does not cover the question."""
        if d.id not in self.definitions or first < self.first or last > self.last or not self.regions.issuperset(codes):
            return None
        out: Figures = {}
        for code in codes:
            tree = own = 0
            for y in range(first, last + 1):
                t, o = self.cells.get((d.id, code, y), (0, 0))
                tree, own = tree + t, own + o
            out[code] = (tree, own)
        return out


CACHE_KEY = "_indicator_cells"


def prefetch_cells(plan: Plan, targets: Iterable[PlanTarget], regions: list[str], first: int, last: int) -> None:
    """Read the additive cells of ``targets``' definitions for ``regions`` and the years ``first``–``last`` in one
    query, and keep them on ``plan`` (this request's instance) for ``values_for``."""
    ids = sorted({d.id for t in targets if (d := definition_for(plan.code, t.indicator)).additive})
    cells: dict[tuple[str, str, int], tuple[int, int]] = {}
    if ids and regions:
        sql = (
            "SELECT r.definition, c.ancestor_id, r.year, SUM(r.value), "  # noqa: S608 - bound params
            "SUM(CASE WHEN r.region_id = c.ancestor_id THEN r.value ELSE 0 END) "
            f"FROM {RollupCell._meta.db_table} r JOIN {RegionClosure._meta.db_table} c ON c.descendant_id = r.region_id "
            f"WHERE r.definition IN ({', '.join(['%s'] * len(ids))}) AND r.year >= %s AND r.year <= %s "
            f"AND c.ancestor_id IN ({', '.join(['%s'] * len(regions))}) GROUP BY r.definition, c.ancestor_id, r.year"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [*ids, first, last, *regions])
            cells = {(def_id, code, int(y)): (int(t or 0), int(o or 0)) for def_id, code, y, t, o in cur.fetchall()}
    plan.__dict__[CACHE_KEY] = CellCache(set(ids), set(regions), first, last, cells)


def live_figures(
    d: Definition, target: PlanTarget, regions: Iterable[str], year: int, *, cache: CellCache | None = None
) -> Figures:
    """(actual, own) of each region for ``year`` from the cells (``cache``: cells read beforehand, used when they
    cover the question). Raises SourceMissing-free: call ``availability``."""
    codes = sorted(set(regions))
    first, last = _years(d, target, year)
    if d.additive:
        sums = cache.sums(d, codes, first, last) if cache is not None else None
        if sums is None:
            sums = _sums(d, codes, first, last)
        result = {code: sums.get(code, (0, 0)) for code in codes}
    elif d.window == WINDOW_YEAR:
        result = {code: (0, 0) for code in codes}
        for y in range(first, last + 1):
            for code, (t, o) in _distinct(d, codes, y, y).items():
                a, b = result[code]
                result[code] = (a + t, b + o)
    else:
        from_year = target.period_start if d.window == WINDOW_PERIOD else 0
        result = _distinct(d, codes, year, from_year)
    if d.measure != FLOW and target.opening_stock is not None and target.region_id in result:
        adj = _opening_adjustment(d, target)
        top_actual, top_own = result[target.region_id]
        result[target.region_id] = (top_actual + adj, top_own + adj)
    return result


# ---- frozen figures --------------------------------------------------------------------------------------------------


@dataclass
class Frozen:
    close: YearClose
    figures: dict[tuple[str, str], FrozenFigure]  # (indicator, region) → figure
    reasons: dict[str, str]  # indicator → no-data reason at close


def _year_close(plan: Plan, year: int) -> YearClose | None:
    """The plan's close of ``year``: the plan's closes are read once per plan instance (one request's reads ask for
    every target and several years)."""
    closes: dict[int, YearClose] | None = plan.__dict__.get("_indicator_closes")
    if closes is None:
        closes = {c.year: c for c in YearClose.objects.filter(plan=plan)}
        plan.__dict__["_indicator_closes"] = closes
    return closes.get(year)


def frozen_for(plan: Plan, year: int, regions: Iterable[str]) -> Frozen | None:
    close = _year_close(plan, year)
    if close is None:
        return None
    codes = set(regions) | {plan.region_id}
    figures = {
        (f.indicator, f.region_id): f
        for f in FrozenFigure.objects.filter(year_close=close, region_id__in=codes).prefetch_related("restatements")
    }
    reasons = {ind: f.no_data_reason for (ind, code), f in figures.items() if code == plan.region_id}
    return Frozen(close=close, figures=figures, reasons=reasons)


# ---- one indicator for a set of regions ------------------------------------------------------------------------------


@dataclass
class Value:
    actual: int | None
    own: int | None
    reason: str = ""
    frozen: bool = False
    restated_actual: int | None = None
    restated_own: int | None = None
    restated_at: dt.datetime | None = None
    restated_reason: str = ""


def values_for(plan: Plan, target: PlanTarget, regions: list[str], year: int) -> dict[str, Value]:
    """The figures of one target for each region and year (frozen if the year is closed)."""
    d = definition_for(plan.code, target.indicator)
    frozen = frozen_for(plan, year, regions)
    if frozen is not None:
        reason = frozen.reasons.get(target.indicator, "")
        out: dict[str, Value] = {}
        for code in regions:
            if reason:
                out[code] = Value(None, None, reason, frozen=True)
                continue
            f = frozen.figures.get((target.indicator, code))
            if f is None:
                out[code] = Value(0, 0, frozen=True)
                continue
            v = Value(f.actual, f.own_actual, frozen=True)
            latest = f.restatements.all()
            if latest:
                last = list(latest)[-1]
                v.restated_actual, v.restated_own = f.current_actual, f.current_own
                v.restated_at, v.restated_reason = last.at, last.reason
            out[code] = v
        return out
    reason = d.availability()
    if reason:
        return {code: Value(None, None, reason) for code in regions}
    figures = live_figures(d, target, regions, year, cache=plan.__dict__.get(CACHE_KEY))
    return {code: Value(*figures[code]) for code in regions}


def children_of(region: Region) -> list[Region]:
    return list(Region.objects.current().filter(parent=region).order_by("code"))


# ---- the indicator table for a region --------------------------------------------------------------------------------


def _item(q: Query, target: PlanTarget, d: Definition, v: Value, region_code: str) -> dict[str, Any]:
    spec = spec_of(target)
    is_target_region = region_code == target.region_id
    actual = v.actual
    if is_target_region:
        done = maths.progress(spec, actual)
        sig = maths.signal(spec, actual, year=q.year, as_of=q.as_of)
    else:
        done = maths.share_of_target(spec, actual)
        sig = maths.Signal.NO_DATA if actual is None else maths.Signal.NOT_APPLICABLE
    return {
        "code": target.indicator,
        "name": target.name,
        "parent": target.parent.indicator if target.parent_id and target.parent else None,
        "definition": d.id,
        "definition_name": d.name,
        "unit": target.unit,
        "unit_label": target.get_unit_display(),
        "kind": target.kind,
        "kind_label": target.get_kind_display(),
        "comparator": target.comparator,
        "target": target.value,
        "target_max": target.value_max,
        "target_raw": target.raw_value,
        "target_region": target.region_id,
        "period_target": maths.period_target(spec),
        "baseline": target.baseline if target.kind == "stock" else None,
        "opening_stock": target.opening_stock,
        "additive": d.additive,
        "actual": actual,
        "own_actual": v.own,
        "no_data_reason": v.reason or None,
        "progress": None if done is None else round(done, 4),
        "time_elapsed": round(maths.time_elapsed(spec, year=q.year, as_of=q.as_of), 4),
        "signal": sig.value,
        "signal_label": maths.SIGNAL_LABELS[sig],
        "frozen": v.frozen,
        "restated_actual": v.restated_actual,
        "restated_own_actual": v.restated_own,
        "restated_at": v.restated_at.isoformat() if v.restated_at else None,
        "restatement_reason": v.restated_reason or None,
    }


def indicator_items(q: Query) -> list[dict[str, Any]]:
    """Every target of the plan with its figures for the query's region and year."""
    items = []
    targets = list(plan_targets(q.plan.code))
    if targets:
        prefetch_cells(q.plan, targets, [q.region.code], min(t.period_start for t in targets), q.year)
    for target in targets:
        d = definition_for(q.plan.code, target.indicator)
        v = values_for(q.plan, target, [q.region.code], q.year)[q.region.code]
        items.append(_item(q, target, d, v, q.region.code))
    return items


def breakdown(q: Query, target: PlanTarget) -> list[dict[str, Any]]:
    """The region, its 本级 share and each child region, for one target (the drill-down table)."""
    children = children_of(q.region)
    codes = [q.region.code] + [c.code for c in children]
    values = values_for(q.plan, target, codes, q.year)
    d = definition_for(q.plan.code, target.indicator)
    top = values[q.region.code]
    rows = [
        {"region": q.region.code, "name": q.region.name, "role": "total", "actual": top.actual,
         "has_children": bool(children)},
        {"region": q.region.code, "name": f"{q.region.name}本级", "role": "own", "actual": top.own,
         "has_children": False},
    ]  # fmt: skip
    grandchildren = set(
        Region.objects.current().filter(parent__in=children).values_list("parent_id", flat=True).distinct()
    )
    for c in children:
        v = values[c.code]
        rows.append({"region": c.code, "name": c.name, "role": "child", "actual": v.actual,
                     "has_children": c.code in grandchildren})  # fmt: skip
    if d.additive and top.actual is not None:
        rows[0]["check"] = top.actual == (top.own or 0) + sum(values[c.code].actual or 0 for c in children)
    return rows


def series(q: Query, target: PlanTarget) -> list[dict[str, Any]]:
    """Year by year from the plan's start to the query's year: the cumulative actual and the year's own figure."""
    out = []
    spec = spec_of(target)
    prefetch_cells(q.plan, [target], [q.region.code], target.period_start, q.year)
    for year in range(target.period_start, q.year + 1):
        v = values_for(q.plan, target, [q.region.code], year)[q.region.code]
        out.append({
            "year": year, "actual": v.actual,
            "progress": maths.progress(spec, v.actual) if q.region.code == target.region_id
            else maths.share_of_target(spec, v.actual),
            "expected": maths.time_elapsed(spec, year=year, as_of=maths.as_of_date(year, q.today)),
        })  # fmt: skip
    return out


def target_of(plan: Plan, indicator: str) -> PlanTarget:
    target = PlanTarget.objects.select_related("plan", "parent").filter(plan=plan, indicator=indicator).first()
    if target is None:
        raise ValidationFailed(
            f"规划“{plan.name}”没有指标 {indicator}。", [FieldError("indicator", "unknown_indicator", "指标不存在。")]
        )
    return target


# ---- the records behind a number -------------------------------------------------------------------------------------


def records_behind(
    q: Query, target: PlanTarget, *, only_year: bool = False, own_only: bool = False
) -> tuple[QuerySet[Any], Any]:
    """The records an indicator's actual counts for the query's region (its subtree, or itself only) and year:
    (queryset, presenter). Raises SourceMissing when the indicator has no source."""
    d = definition_for(q.plan.code, target.indicator)
    facts = d.facts()
    if d.measure != FLOW:
        qs = in_force(facts, q.year)
    elif only_year or target.kind == "annual":
        qs = in_year(facts, q.year)
    else:
        first, _ = _years(d, target, q.year)
        qs = in_window(d, facts, q.year, first)
    if own_only:
        qs = qs.filter(**{facts.region: q.region.code})
    else:
        qs = in_subtree(facts, qs, q.region.code)
    order = [f"-{facts.date}" if facts.date else f"-{facts.year}", "pk"]
    return qs.order_by(*order), facts.present
