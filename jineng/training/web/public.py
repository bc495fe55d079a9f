"""就业情况 — the public page of training's employment outcomes: counts per county, no person named."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jineng.common.numbers import int_or_none
from jineng.refdata.api import Region, RegionClosure
from jineng.training.models import TrainingClass
from jineng.training.selectors import PUBLIC_MIN_CELL, public_employment


def region_options() -> list[tuple[str, str]]:
    """The regions the page may be narrowed to, by name (issue 15: the filter took a typed 行政区划代码): the counties
    where classes were held, their cities and provinces, in code order; a county is named with its city."""
    held = TrainingClass.objects.values("region_id").distinct()
    codes = RegionClosure.objects.filter(descendant_id__in=held).exclude(ancestor_id="000000").values("ancestor_id")
    out = []
    for r in Region.objects.filter(code__in=codes).select_related("parent").order_by("code")[:600]:
        city = r.parent.name if r.level == "county" and r.parent is not None else ""
        out.append((r.code, f"{city} · {r.name}" if city else r.name))
    return out


def employment_page(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    raw_year = request.GET.get("year", "")[:4]
    typed = int_or_none(raw_year)
    year = typed if typed is not None and 2000 <= typed <= this_year else this_year
    region = request.GET.get("region", "")[:12]
    region = region if region.isdigit() and Region.objects.filter(code=region).exists() else ""
    regions = region_options()
    if region and region not in {code for code, _name in regions}:
        regions.append((region, Region.objects.get(code=region).name))  # a region without classes: its name, no rows
    return render(request, "training/public_employment.html", {
        "rows": public_employment(year, region), "year": year, "region": region, "min_cell": PUBLIC_MIN_CELL,
        "years": list(range(this_year, this_year - 6, -1)), "regions": regions,
    })  # fmt: skip
