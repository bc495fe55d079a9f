"""Every read of the labour market, used by the pages and the API alike: the quarterly demand cells and the supply
beside them, the record lists (scoped through ``accounts.api.visible``), the wage levels, the catalogs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jineng.accounts.api import visible
from jineng.certificates.api import Certificate, CertificateStatus
from jineng.labour_market.models import (
    CatalogStatus,
    JobSeeker,
    ShortageCatalog,
    ShortageItem,
    Vacancy,
    WageRecord,
)
from jineng.labour_market.settings_specs import MIN_SAMPLE
from jineng.refdata.api import Occupation, Region, region_subtree, setting_value
from jineng.rules.labour import demand_ratio, previous_quarters, wage_cell
from jineng.training.api import completed_enrollments_queryset

VIEW = "indicators.view"


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return start, end


def demand_cells(region_code: str, year: int, quarter: int, group: str = "") -> dict[str, dict[str, Any]]:
    """Occupation code → {vacancies, seekers} posted / registered in the quarter within the region's subtree;
    ``group`` keeps the occupations under a 大类/中类/小类 code (``6``, ``6-18``)."""
    start, end = quarter_bounds(year, quarter)
    subtree = region_subtree(region_code)
    vq = Vacancy.objects.filter(region_id__in=subtree, posted_on__range=(start, end))
    sq = JobSeeker.objects.filter(region_id__in=subtree, registered_on__range=(start, end))
    if group:
        vq = vq.filter(Q(occupation__code=group) | Q(occupation__code__startswith=f"{group}-"))
        sq = sq.filter(Q(occupation__code=group) | Q(occupation__code__startswith=f"{group}-"))
    cells: dict[str, dict[str, Any]] = defaultdict(lambda: {"vacancies": 0, "seekers": 0})
    for code, total in vq.values_list("occupation__code").annotate(n=Sum("count")).order_by():
        cells[code]["vacancies"] = int(total or 0)
    for code, total in sq.values_list("occupation__code").annotate(n=Count("id")).order_by():
        cells[code]["seekers"] = int(total)
    return dict(cells)


# Supply beside a quarter's demand: who completed training or got certified in the year up to the quarter's end (a
# worker trained two quarters ago is still on the market; one quarter alone left most occupations at 0 — issue 15).
SUPPLY_QUARTERS = 4


def supply_cells(
    region_code: str, year: int, quarter: int, quarters: int = SUPPLY_QUARTERS
) -> dict[str, dict[str, int]]:
    """Our own records beside demand: trainees who completed a class (passed) and certificates issued in the
    ``quarters`` quarters ending with this one, by occupation code, within the region's subtree."""
    first = previous_quarters(year, quarter, quarters)[0]
    start, end = quarter_bounds(*first)[0], quarter_bounds(year, quarter)[1]
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"trained": 0, "certified": 0})
    trained = completed_enrollments_queryset(region_code=region_code, completed_since=start, completed_until=end)
    for code, n in trained.values_list("training_class__occupation__code").annotate(n=Count("id")).order_by():
        out[code]["trained"] = n
    certified = Certificate.objects.filter(
        region_id__in=region_subtree(region_code),
        issued_on__range=(start, end),
        status=CertificateStatus.VALID,
        occupation__isnull=False,
    )
    for code, n in certified.values_list("occupation__code").annotate(n=Count("id")).order_by():
        out[code]["certified"] = n
    return dict(out)


def _ratio(vacancies: int, seekers: int) -> float | None:
    """求人倍率 to two places; None when undefined: no seekers (with vacancies: "∞"), or no data at all."""
    if vacancies == 0 and seekers == 0:
        return None
    r = demand_ratio(vacancies, seekers)
    return None if r is None else round(float(r), 2)


def _rank(row: dict[str, Any]) -> tuple[int, float, int, str]:
    """Undefined for want of seekers first, then by ratio, the rows without any demand last."""
    group = 0 if row["ratio"] is None and row["vacancies"] else (1 if row["ratio"] is not None else 2)
    return (group, -(row["ratio"] or 0), -row["vacancies"], row.get("occupation_code", row.get("code", "")))


@dataclass(frozen=True)
class DemandQuery:
    region: Region
    year: int
    quarter: int
    group: str = ""


def demand_rows(q: DemandQuery, trend_quarters: int = 4) -> list[dict[str, Any]]:
    """One row per occupation with demand or supply in the quarter: vacancies, seekers, 求人倍率, the ratios of the
    preceding quarters (trend), trained and certified supply; sorted by ratio (undefined first), then vacancies."""
    window = previous_quarters(q.year, q.quarter, trend_quarters)
    history = [demand_cells(q.region.code, y, qq, q.group) for y, qq in window]
    current = history[-1]
    supply = supply_cells(q.region.code, q.year, q.quarter)
    if q.group:
        supply = {c: v for c, v in supply.items() if c == q.group or c.startswith(f"{q.group}-")}
    codes = set(current) | set(supply)
    names = dict(Occupation.objects.filter(code__in=codes).values_list("code", "name"))
    rows = []
    for code in codes:
        cell = current.get(code, {"vacancies": 0, "seekers": 0})
        s = supply.get(code, {"trained": 0, "certified": 0})
        trend = []
        for (y, qq), h in zip(window, history, strict=True):
            c = h.get(code, {"vacancies": 0, "seekers": 0})
            trend.append({"quarter": f"{y}Q{qq}", "ratio": _ratio(c["vacancies"], c["seekers"])})
        rows.append({"occupation_code": code, "name": names.get(code, ""), "vacancies": cell["vacancies"],
                     "seekers": cell["seekers"], "ratio": _ratio(cell["vacancies"], cell["seekers"]),
                     "trend": trend, "trained": s["trained"], "certified": s["certified"]})  # fmt: skip
    rows.sort(key=_rank)
    return rows


def demand_by_child_region(q: DemandQuery) -> list[dict[str, Any]]:
    """The quarter's totals for each region directly below (the drill-down)."""
    out = []
    for child in Region.objects.current().filter(parent_id=q.region.code).order_by("code"):
        cells = demand_cells(child.code, q.year, q.quarter, q.group)
        v = sum(c["vacancies"] for c in cells.values())
        s = sum(c["seekers"] for c in cells.values())
        out.append({"code": child.code, "name": child.name, "vacancies": v, "seekers": s, "ratio": _ratio(v, s)})
    return out


def demand_totals(region_code: str, quarters: list[tuple[int, int]], group: str = "") -> list[dict[str, Any]]:
    out = []
    for y, q in quarters:
        cells = demand_cells(region_code, y, q, group)
        v = sum(c["vacancies"] for c in cells.values())
        s = sum(c["seekers"] for c in cells.values())
        out.append({"quarter": f"{y}Q{q}", "vacancies": v, "seekers": s, "ratio": _ratio(v, s)})
    return out


# ---- wage levels ------------------------------------------------------------------------------------------------


def min_sample(region_code: str, on: dt.date) -> int:
    return max(int(setting_value(MIN_SAMPLE, region_code, on)), 1)


def wage_levels(
    region_code: str, year: int, *, by_level: bool = False, on: dt.date | None = None
) -> list[dict[str, Any]]:
    """工资价位: P10 … P90 of annual pay by occupation (and by skill level when ``by_level``) over the region's
    subtree in the survey year; cells under the region's minimum sample have the five figures None."""
    threshold = min_sample(region_code, on or dt.date(year, 12, 31))
    rows = WageRecord.objects.filter(region_id__in=region_subtree(region_code), year=year)
    values: dict[tuple[str, str], list[int]] = defaultdict(list)
    for code, level, pay in rows.values_list("occupation__code", "level_id", "annual_pay").iterator():
        values[(code, "")].append(pay)
        if by_level and level:
            values[(code, level)].append(pay)
    names = dict(Occupation.objects.filter(code__in={c for c, _l in values}).values_list("code", "name"))
    out = []
    for (code, level), pays in sorted(values.items()):
        cell = wage_cell(pays, min_sample=threshold)
        out.append({"occupation_code": code, "name": names.get(code, ""), "level": level or None,
                    "sample_size": cell.sample_size, "p10": cell.p10, "p25": cell.p25, "p50": cell.p50,
                    "p75": cell.p75, "p90": cell.p90, "suppressed": cell.suppressed})  # fmt: skip
    return out


def wage_years(region_code: str) -> list[int]:
    return sorted(
        set(WageRecord.objects.filter(region_id__in=region_subtree(region_code)).values_list("year", flat=True)),
        reverse=True,
    )


# ---- catalogs ---------------------------------------------------------------------------------------------------


def catalog_in_force_model(region_code: str, on: dt.date) -> ShortageCatalog | None:
    catalog: ShortageCatalog | None = (
        ShortageCatalog.objects.filter(region_id=region_code, status=CatalogStatus.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-version_no")
        .first()
    )
    return catalog


def public_region(region_code: str) -> str:
    """The region whose catalog governs ``region_code``: its own, else its nearest ancestor's with one published."""
    from jineng.refdata.api import region_ancestors

    chain = region_ancestors(region_code)
    published = set(
        ShortageCatalog.objects.filter(region_id__in=chain, status=CatalogStatus.PUBLISHED).values_list(
            "region_id", flat=True
        )
    )
    return next((c for c in chain if c in published), region_code)


def catalog_items(catalog: ShortageCatalog, *, include_removed: bool = False) -> QuerySet[ShortageItem]:
    qs = catalog.items.select_related("occupation")
    return qs if include_removed else qs.filter(removed=False)


def catalogs_published(region_code: str) -> QuerySet[ShortageCatalog]:
    return ShortageCatalog.objects.filter(region_id=region_code, status=CatalogStatus.PUBLISHED).order_by(
        "-effective_from", "-version_no"
    )


def catalogs_visible(user: Any) -> QuerySet[ShortageCatalog]:
    return visible(ShortageCatalog, user, VIEW).select_related("region").order_by("region_id", "-version_no")
