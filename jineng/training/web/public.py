"""就业情况 — the public page of training's employment outcomes: counts per county, no person named."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jineng.refdata.api import Region
from jineng.training.selectors import PUBLIC_MIN_CELL, public_employment


def employment_page(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    raw_year = request.GET.get("year", "")[:4]
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= this_year else this_year
    region = request.GET.get("region", "")[:12]
    region = region if region.isdigit() and Region.objects.filter(code=region).exists() else ""
    return render(request, "training/public_employment.html", {
        "rows": public_employment(year, region), "year": year, "region": region, "min_cell": PUBLIC_MIN_CELL,
        "years": list(range(this_year, this_year - 6, -1)),
    })  # fmt: skip
