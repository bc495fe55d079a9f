"""Roll-ups (指标汇总): computing the cells from the source records — all at once (full recompute, set-based, one
GROUP BY per definition) or a few at a time (the cells a changed record touches).

- An additive **flow** keeps, per (region, year), the number of records attributed to the region and dated in the
  year (``RollupCell``); an additive **stock** the number in force at the year's end.
- A **distinct-person** definition keeps, per (region, year, window start), the number of distinct persons over the
  region's subtree and over the region itself (``DistinctCell``), computed by COUNT(DISTINCT) over the closure
  table.

Reads (``selectors``) sum the cells over the closure table. The freshness job (``freshness``) calls
``recompute_cells`` for the cells changed records touch; ``recompute_definition`` is the full recompute.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from jineng.indicators.definitions import (
    DEFINITIONS,
    FLOW,
    WINDOW_PERIOD,
    WINDOW_YEAR,
    Definition,
    definition_for,
)
from jineng.indicators.models import DistinctCell, RollupCell
from jineng.indicators.sources import FactSet, SourceMissing
from jineng.refdata.api import COUNTRY_CODE, PlanTarget, RegionClosure, region_subtree

ENGINES = ("sql", "duckdb")


# ---- which years and windows a definition needs --------------------------------------------------------------------


def plan_uses(d: Definition) -> list[PlanTarget]:
    """The plan targets whose definition is ``d``."""
    return [
        t
        for t in PlanTarget.objects.select_related("plan").order_by("plan_id", "seq")
        if definition_for(t.plan_id, t.indicator).id == d.id
    ]


def needed_windows(d: Definition) -> set[tuple[int, int]]:
    """(year, window start) pairs the plans using a distinct-person definition read: every year of each plan's
    period (and the opening stock's year), with the window its kind asks for."""
    pairs: set[tuple[int, int]] = set()
    for t in plan_uses(d):
        first = min(t.plan.period_start, t.opening_stock_year or t.plan.period_start)
        for year in range(first, t.plan.period_end + 1):
            pairs.add(window_of(d, year, t.plan.period_start))
    return pairs


def window_of(d: Definition, year: int, period_start: int) -> tuple[int, int]:
    if d.window == WINDOW_YEAR:
        return (year, year)
    if d.window == WINDOW_PERIOD:
        return (year, period_start)
    return (year, 0)


# ---- filters over a fact set ---------------------------------------------------------------------------------------


def _starts_by(facts: FactSet, year: int) -> Q:
    if facts.year:
        return Q(**{f"{facts.year}__lte": year})
    return Q(**{f"{facts.date}__lte": dt.date(year, 12, 31)})


def _starts_from(facts: FactSet, year: int) -> Q:
    if facts.year:
        return Q(**{f"{facts.year}__gte": year})
    return Q(**{f"{facts.date}__gte": dt.date(year, 1, 1)})


def _not_ended(facts: FactSet, year: int) -> Q:
    if not facts.end_year:
        return Q()
    return Q(**{f"{facts.end_year}__isnull": True}) | Q(**{f"{facts.end_year}__gt": year})


def in_year(facts: FactSet, year: int) -> QuerySet[Any]:
    """A flow's records dated in ``year``."""
    return facts.queryset.filter(_starts_from(facts, year) & _starts_by(facts, year))


def in_force(facts: FactSet, year: int) -> QuerySet[Any]:
    """A stock's records in force at the end of ``year``."""
    return facts.queryset.filter(_starts_by(facts, year) & _not_ended(facts, year))


def in_window(d: Definition, facts: FactSet, year: int, from_year: int) -> QuerySet[Any]:
    """The records a cell (year, window start) counts: a stock's in force at the year's end; a flow's dated from the
    window's start (0: ever) to the year's end."""
    if d.measure != FLOW:
        return in_force(facts, year)
    q = _starts_by(facts, year)
    if from_year:
        q &= _starts_from(facts, from_year)
    return facts.queryset.filter(q)


def in_subtree(facts: FactSet, qs: QuerySet[Any], region_code: str) -> QuerySet[Any]:
    return qs.filter(**{f"{facts.region}__in": region_subtree(region_code)})  # fmt: skip


def _count(qs: QuerySet[Any]) -> int:
    return qs.order_by().values("pk").distinct().count() if qs.query.distinct else qs.order_by().count()


# ---- distinct persons over the closure table ---------------------------------------------------------------------


def _closure_table() -> str:
    return RegionClosure._meta.db_table


def distinct_by_ancestor(facts: FactSet, qs: QuerySet[Any], ancestors: Iterable[str] | None = None) -> dict[str, int]:
    """COUNT(DISTINCT person) of ``qs`` over each ancestor's subtree (every ancestor when None)."""
    assert facts.person
    inner = qs.order_by().annotate(f_region=F(facts.region), f_person=F(facts.person)).values("f_region", "f_person")
    sql, params = inner.query.sql_with_params()
    where = ""
    extra: list[Any] = []
    if ancestors is not None:
        codes = sorted(set(ancestors))
        if not codes:
            return {}
        where = f"WHERE c.ancestor_id IN ({', '.join(['%s'] * len(codes))})"
        extra = codes
    query = (
        f"SELECT c.ancestor_id, COUNT(DISTINCT f.f_person) FROM ({sql}) f "  # noqa: S608 - our SQL, bound params
        f"JOIN {_closure_table()} c ON c.descendant_id = f.f_region {where} GROUP BY c.ancestor_id"
    )
    with connection.cursor() as cur:
        cur.execute(query, [*params, *extra])
        return {code: int(n) for code, n in cur.fetchall()}


def distinct_own(facts: FactSet, qs: QuerySet[Any], regions: Iterable[str] | None = None) -> dict[str, int]:
    """COUNT(DISTINCT person) of the records attributed to each region itself."""
    assert facts.person
    if regions is not None:
        qs = qs.filter(**{f"{facts.region}__in": sorted(set(regions))})
    rows = qs.order_by().values(facts.region).annotate(n=Count(facts.person, distinct=True))
    return {r[facts.region]: int(r["n"]) for r in rows}


def distinct_compute(d: Definition, regions: Iterable[str], year: int, from_year: int) -> dict[str, tuple[int, int]]:
    """Compute and store the distinct-person cells of ``regions`` for (year, window start): {region: (tree, own)}."""
    facts = d.facts()
    codes = sorted(set(regions))
    qs = in_window(d, facts, year, from_year)
    tree = distinct_by_ancestor(facts, qs, codes)
    own = distinct_own(facts, qs, codes)
    result = {code: (tree.get(code, 0), own.get(code, 0)) for code in codes}
    _store_distinct(d, year, from_year, result)
    return result


def _store_distinct(d: Definition, year: int, from_year: int, values: dict[str, tuple[int, int]]) -> None:
    if not values:
        return
    now = timezone.now()
    with transaction.atomic():
        DistinctCell.objects.filter(
            definition=d.id, year=year, from_year=from_year, region_id__in=list(values)
        ).delete()
        DistinctCell.objects.bulk_create(
            [
                DistinctCell(definition=d.id, region_id=code, year=year, from_year=from_year, tree=t, own=o,
                             computed_at=now)
                for code, (t, o) in values.items()
            ],
            batch_size=2000,
        )  # fmt: skip


# ---- full recompute --------------------------------------------------------------------------------------------------


def _additive_flow_counts_sql(facts: FactSet) -> dict[tuple[str, int], int]:
    qs = facts.queryset.order_by()
    year = F(facts.year) if facts.year else ExtractYear(str(facts.date))
    counter = Count("pk", distinct=True) if qs.query.distinct else Count("pk")
    rows = qs.annotate(f_year=year).values(facts.region, "f_year").annotate(n=counter)
    return {(r[facts.region], int(r["f_year"])): int(r["n"]) for r in rows if r["f_year"] is not None}


def _export_csv(facts: FactSet, path: Path) -> int:
    """Write (region, year, end_year) of every record to a CSV file: COPY on PostgreSQL, a cursor elsewhere."""
    year = F(facts.year) if facts.year else ExtractYear(str(facts.date))
    end = F(facts.end_year) if facts.end_year else None
    qs = facts.queryset.order_by().annotate(f_region=F(facts.region), f_year=year)
    cols = ["f_region", "f_year"]
    if end is not None:
        qs = qs.annotate(f_end=end)
        cols.append("f_end")
    if qs.query.distinct:
        cols.append("pk")
    try:
        sql, params = qs.values(*cols).query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. no approved claims yet): an empty export
        path.write_bytes(b"")
        return 0
    rows = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur, path.open("wb") as out:
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for chunk in copy:
                    out.write(chunk)
        with path.open("rb") as f:
            rows = sum(1 for _ in f)
        return rows
    with connection.cursor() as cur, path.open("w", newline="") as out:
        writer = csv.writer(out)
        cur.execute(sql, params)
        while batch := cur.fetchmany(10_000):
            writer.writerows(batch)
            rows += len(batch)
    return rows


def duckdb_counts(facts: FactSet, *, stock_years: Iterable[int] | None = None) -> dict[tuple[str, int], int]:
    """The same GROUP BY as the SQL engine, in DuckDB over the records exported to Parquet (DuckDB cannot download
    its database scanners here, so the rows go through a file)."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="jineng-ind-") as tmp:
        csv_path = Path(tmp) / "facts.csv"
        parquet = Path(tmp) / "facts.parquet"
        if not _export_csv(facts, csv_path):
            return {}
        con = duckdb.connect()
        columns = {"r": "VARCHAR", "y": "INTEGER"}
        if facts.end_year:
            columns["e"] = "INTEGER"
        columns_sql = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
        if facts.queryset.query.distinct:
            columns_sql = columns_sql[:-1] + ", 'id': 'VARCHAR'}"
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}', header=false, delim=',', quote='\"', columns={columns_sql})) "  # noqa: S608
            f"TO '{parquet}' (FORMAT parquet)"
        )
        src = f"read_parquet('{parquet}')"
        if facts.queryset.query.distinct:
            src = f"(SELECT DISTINCT * FROM {src})"  # noqa: S608 - a file path we made
        if stock_years is None:
            rows = con.execute(f"SELECT r, y, COUNT(*) FROM {src} WHERE y IS NOT NULL GROUP BY r, y").fetchall()  # noqa: S608
        else:
            years = sorted(set(stock_years))
            end_cond = "(e IS NULL OR e > yy.y)" if facts.end_year else "TRUE"
            rows = con.execute(
                f"SELECT r, yy.y, COUNT(*) FROM {src} f JOIN (SELECT unnest(?) AS y) yy "  # noqa: S608
                f"ON f.y <= yy.y AND {end_cond} GROUP BY r, yy.y",
                [years],
            ).fetchall()
        con.close()
    return {(r, int(y)): int(n) for r, y, n in rows}


def stock_years(d: Definition) -> list[int]:
    """The years whose year-end stock the plans read (each plan's period and its opening stock's year)."""
    years: set[int] = set()
    for t in plan_uses(d):
        first = min(t.plan.period_start, t.opening_stock_year or t.plan.period_start)
        years.update(range(first, t.plan.period_end + 1))
    return sorted(years)


def _additive_stock_counts_sql(facts: FactSet, years: Iterable[int]) -> dict[tuple[str, int], int]:
    out: dict[tuple[str, int], int] = {}
    for year in years:
        qs = in_force(facts, year).order_by()
        counter = Count("pk", distinct=True) if qs.query.distinct else Count("pk")
        for r in qs.values(facts.region).annotate(n=counter):
            out[(r[facts.region], year)] = int(r["n"])
    return out


def _replace_rollup(d: Definition, counts: dict[tuple[str, int], int], year: int | None = None) -> None:
    now = timezone.now()
    if year is not None:
        counts = {k: n for k, n in counts.items() if k[1] == year}
    with transaction.atomic():
        old = RollupCell.objects.filter(definition=d.id)
        (old.filter(year=year) if year is not None else old).delete()
        RollupCell.objects.bulk_create(
            [RollupCell(definition=d.id, region_id=r, year=y, value=n, computed_at=now)
             for (r, y), n in counts.items() if n],
            batch_size=5000,
        )  # fmt: skip


# The full recompute's GROUP BYs read millions of rows once: PostgreSQL's JIT compilation costs more than it saves
# there (≈ 1.3–1.6 s a statement at province scale, measured), and hash aggregates over persons spill to disk at
# the default 4 MB work_mem. Both are set for the recompute's transaction only.
RECOMPUTE_SETTINGS = {"jit": "off", "work_mem": "64MB"}


def recompute_definition(d: Definition, *, engine: str = "sql", year: int | None = None) -> dict[str, Any]:
    """Recompute every cell of one definition from its records (only the cells of ``year`` when given;
    idempotent), in one transaction. Returns a summary."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                for name, value in RECOMPUTE_SETTINGS.items():
                    cur.execute("SELECT set_config(%s, %s, true)", [name, value])
        return _recompute_definition(d, engine=engine, year=year)


def _recompute_definition(d: Definition, *, engine: str, year: int | None) -> dict[str, Any]:
    try:
        facts = d.facts()
    except SourceMissing as exc:
        RollupCell.objects.filter(definition=d.id).delete()
        DistinctCell.objects.filter(definition=d.id).delete()
        return {"definition": d.id, "no_data": exc.reason}
    if d.additive:
        if d.measure == FLOW:
            if engine == "duckdb":
                counts = duckdb_counts(facts)
            else:
                scoped = FactSet(in_year(facts, year), facts.region, facts.date, facts.year) if year else facts
                counts = _additive_flow_counts_sql(scoped)
        else:
            years = [year] if year is not None else stock_years(d)
            counts = (
                duckdb_counts(facts, stock_years=years)
                if engine == "duckdb"
                else _additive_stock_counts_sql(facts, years)
            )
        _replace_rollup(d, counts, year)
        return {"definition": d.id, "cells": sum(1 for n in counts.values() if n), "records": sum(counts.values())
                if d.measure == FLOW else None}  # fmt: skip
    # Distinct persons: every (year, window) the plans read, for every region with records (and the root, which
    # marks the (year, window) as complete: an absent region's figure is then 0).
    windows = sorted(w for w in needed_windows(d) if year is None or w[0] == year)
    by_window = _distinct_windows(d, facts, windows)
    cells = 0
    with transaction.atomic():
        old = DistinctCell.objects.filter(definition=d.id)
        (old.filter(year=year) if year is not None else old).delete()
        for (y, from_year), values in by_window.items():
            values.setdefault(COUNTRY_CODE, (0, 0))
            _store_distinct(d, y, from_year, values)
            cells += len(values)
    return {"definition": d.id, "cells": cells}


def _distinct_windows(
    d: Definition, facts: FactSet, windows: list[tuple[int, int]]
) -> dict[tuple[int, int], dict[str, tuple[int, int]]]:
    """Every (year, window start) cell of a distinct-person definition, in one pass over the records per window
    start instead of one per cell: a one-year window counts the persons of each year (GROUP BY year); a window
    that runs from a fixed start counts a person from the first year they appear in the region's subtree, so each
    year's figure is the running total of those first years. A stock whose records end (``end_year``), or read by
    one-year windows, is counted cell by cell: its persons can leave the count."""
    out: dict[tuple[int, int], dict[str, tuple[int, int]]] = {}
    if not windows:
        return out
    if d.measure != FLOW and (facts.end_year or d.window == WINDOW_YEAR):
        for y, from_year in windows:
            qs = in_window(d, facts, y, from_year)
            tree, own = distinct_by_ancestor(facts, qs), distinct_own(facts, qs)
            out[(y, from_year)] = {code: (tree.get(code, 0), own.get(code, 0)) for code in set(tree) | set(own)}
        return out
    if d.window == WINDOW_YEAR:
        # Every year is grouped (a year no plan reads costs a few groups, and no date filter tempts the planner into
        # an index scan over most of the table).
        tree_by_year, own_by_year = _distinct_grouped(facts, facts.queryset, first_year=False)
        for y, from_year in windows:
            tree, own = tree_by_year.get(y, {}), own_by_year.get(y, {})
            out[(y, from_year)] = {code: (tree.get(code, 0), own.get(code, 0)) for code in set(tree) | set(own)}
        return out
    for from_year in sorted({f for _, f in windows}):
        # No upper date bound either: a person first seen after the last year read adds to no running total.
        qs = facts.queryset
        if from_year and d.measure == FLOW:
            qs = qs.filter(_starts_from(facts, from_year))
        tree_first, own_first = _distinct_grouped(facts, qs, first_year=True)
        for y in sorted(y for y, f in windows if f == from_year):
            tree, own = _running_total(tree_first, y), _running_total(own_first, y)
            out[(y, from_year)] = {code: (tree.get(code, 0), own.get(code, 0)) for code in set(tree) | set(own)}
    return out


def _running_total(by_first_year: dict[int, dict[str, int]], year: int) -> dict[str, int]:
    """Persons whose first year is ``year`` or earlier, per region."""
    total: dict[str, int] = defaultdict(int)
    for first, counts in by_first_year.items():
        if first <= year:
            for code, n in counts.items():
                total[code] += n
    return {code: n for code, n in total.items() if n}


ByYear = dict[int, dict[str, int]]


def _distinct_grouped(facts: FactSet, qs: QuerySet[Any], *, first_year: bool) -> tuple[ByYear, ByYear]:
    """({year: {region: distinct persons over its subtree}}, {year: {region: distinct persons of its own}}) in one
    statement that reads the records once: the persons of each year, or (``first_year``) the persons by the first
    year they appear. The records are first reduced to distinct (region, person[, year]) rows, which the closure
    table then spreads over the ancestors."""
    assert facts.person
    year = F(facts.year) if facts.year else ExtractYear(str(facts.date))
    inner = qs.order_by().annotate(f_region=F(facts.region), f_person=F(facts.person), f_year=year)
    try:
        sql, params = inner.values("f_region", "f_person", "f_year").query.sql_with_params()
    except EmptyResultSet:
        return {}, {}
    closure = _closure_table()
    if first_year:
        query = (
            f"WITH f AS (SELECT s.f_region AS r, s.f_person AS p, MIN(s.f_year) AS y FROM ({sql}) s "  # noqa: S608
            "WHERE s.f_year IS NOT NULL GROUP BY s.f_region, s.f_person) "
            "SELECT 1, r, y, COUNT(*) FROM f GROUP BY r, y UNION ALL "
            f"SELECT 0, g, y, COUNT(*) FROM (SELECT c.ancestor_id AS g, f.p, MIN(f.y) AS y FROM f JOIN {closure} c "
            "ON c.descendant_id = f.r GROUP BY c.ancestor_id, f.p) t GROUP BY g, y"
        )
    else:
        query = (
            f"WITH f AS (SELECT DISTINCT s.f_region AS r, s.f_person AS p, s.f_year AS y FROM ({sql}) s "  # noqa: S608
            "WHERE s.f_year IS NOT NULL) "
            "SELECT 1, r, y, COUNT(*) FROM f GROUP BY r, y UNION ALL "
            f"SELECT 0, c.ancestor_id, f.y, COUNT(DISTINCT f.p) FROM f JOIN {closure} c ON c.descendant_id = f.r "
            "GROUP BY c.ancestor_id, f.y"
        )
    tree: ByYear = defaultdict(dict)
    own: ByYear = defaultdict(dict)
    with connection.cursor() as cur:
        cur.execute(query, params)
        for is_own, code, y, n in cur.fetchall():
            (own if is_own else tree)[int(y)][code] = int(n)
    return tree, own


def recompute_all(
    *, plan_code: str | None = None, engine: str = "sql", year: int | None = None
) -> list[dict[str, Any]]:
    """Full recompute of every definition (of one plan's targets when ``plan_code`` is given; of one year's cells
    when ``year`` is given)."""
    if plan_code:
        ids = {definition_for(t.plan_id, t.indicator).id for t in PlanTarget.objects.filter(plan_id=plan_code)}
    else:
        ids = set(DEFINITIONS)
    return [recompute_definition(DEFINITIONS[i], engine=engine, year=year) for i in sorted(ids)]


# ---- incremental: the cells a change touches -------------------------------------------------------------------------


def recompute_cells(d: Definition, touched: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Recompute the cells that records changed in (region, year) affect; returns the (region, year) cells whose
    stored figure changed (for restatements). A flow's change stays in its year; a stock's reaches every later year;
    a distinct-person figure changes for every ancestor of the region."""
    if not touched:
        return set()
    try:
        facts = d.facts()
    except SourceMissing:
        return set()
    changed: set[tuple[str, int]] = set()
    if d.additive:
        targets: set[tuple[str, int]] = set()
        if d.measure == FLOW:
            targets = set(touched)
        else:
            years = stock_years(d)
            for region, year in touched:
                targets.update((region, y) for y in years if y >= year)
        for region, year in sorted(targets):
            qs = in_year(facts, year) if d.measure == FLOW else in_force(facts, year)
            value = _count(qs.filter(**{facts.region: region}))
            if _set_cell(d, region, year, value):
                changed.add((region, year))
        return changed
    windows = needed_windows(d)
    by_window: dict[tuple[int, int], set[str]] = defaultdict(set)
    for region, year in touched:
        try:
            ancestors = _ancestors(region)
        except LookupError:
            continue
        for y, f in windows:
            affected = (y >= year) if d.window != WINDOW_YEAR else (y == year)
            if d.window == WINDOW_PERIOD and year < f:
                affected = False
            if affected:
                by_window[(y, f)].update(ancestors)
    for (y, f), regions in by_window.items():
        before = {
            c.region_id: (c.tree, c.own)
            for c in DistinctCell.objects.filter(definition=d.id, year=y, from_year=f, region_id__in=regions)
        }
        after = distinct_compute(d, regions, y, f)
        changed.update((code, y) for code, v in after.items() if before.get(code, (0, 0)) != v)
    return changed


def _set_cell(d: Definition, region: str, year: int, value: int) -> bool:
    cell = RollupCell.objects.filter(definition=d.id, region_id=region, year=year).first()
    if cell is None:
        if value:
            RollupCell.objects.create(definition=d.id, region_id=region, year=year, value=value)
            return True
        return False
    if cell.value == value:
        return False
    RollupCell.objects.filter(pk=cell.pk).update(value=value, computed_at=timezone.now())
    return True


def rollup_add_cell(d: Definition, region: str, year: int, delta: int) -> None:
    """Add ``delta`` to one own cell at once (``api.rollup_add``); the next refresh recomputes it exactly."""
    cells = RollupCell.objects.filter(definition=d.id, region_id=region, year=year)
    if cells.update(value=F("value") + delta, computed_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            RollupCell.objects.create(definition=d.id, region_id=region, year=year, value=delta)
    except IntegrityError:  # created meanwhile by another writer: add to it
        cells.update(value=F("value") + delta, computed_at=timezone.now())


def _ancestors(region: str) -> list[str]:
    from jineng.refdata.api import region_ancestors

    try:
        return region_ancestors(region)
    except Exception as exc:  # NotFound for a code not in the tree
        raise LookupError(region) from exc
