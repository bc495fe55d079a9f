"""The public portal's pages (信息公开, ADR 0029): the home with its search and its services, the bases, the subsidy
standards, the suppressed statistics, the open-data page, ``/data.json`` and the dataset downloads. No login; every
input is checked into notices (``selectors.clean_filters``), never a server error."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jineng.common.listing import escape_cell
from jineng.portal import datasets, selectors
from jineng.portal.errors import Code
from jineng.portal.links import available_links
from jineng.portal.selectors import Notice
from jineng.rules.suppression import DEFAULT_K
from jineng.subsidies.api import standard_rows


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    filters = selectors.clean_filters(request.GET)
    searched = bool(filters.q or filters.region)
    if "q" in request.GET and not searched and not filters.notices:
        filters.notices.append(Notice(Code.QUERY_EMPTY, _("请输入要搜索的内容。")))
    sections = selectors.search(filters, on=timezone.localdate()) if searched else []
    return render(request, "portal/home.html", {
        "filters": filters, "notices": filters.notices, "sections": sections, "searched": searched,
        "groups": available_links(), "max_query": selectors.MAX_QUERY,
    })  # fmt: skip


def _list_page(request: HttpRequest, template: str, choices: dict[str, Any], rows: Any, **extra: Any) -> HttpResponse:
    """A public list: its filters checked into notices, the page asked for, the choices of its selects."""
    filters = selectors.clean_filters(request.GET, choices)
    page_obj = selectors.paginate(rows(filters, on=timezone.localdate()), request.GET.get("page"), filters.notices)
    context = {"filters": filters, "notices": filters.notices, "page_obj": page_obj, "max_query": selectors.MAX_QUERY}
    return render(request, template, context | {name: values.items() for name, values in choices.items()} | extra)


@require_GET
def bases(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "portal/bases.html", selectors.BASE_CHOICES, selectors.bases)


@require_GET
def standards(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "portal/standards.html", selectors.STANDARD_CHOICES, selectors.standards)


@require_GET
def standard(request: HttpRequest, pk: str) -> HttpResponse:
    version = selectors.standard_get(pk, on=timezone.localdate())
    if version is None:
        raise Http404
    return render(request, "portal/standard.html", {"v": version, "rows": standard_rows(version.rules)})


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/statistics.html", {"tables": [selectors.certificates_table()], "k": DEFAULT_K})


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/data.html", {"datasets": datasets.DATASETS, "formats": datasets.FORMATS})


@require_GET
@cache_control(public=True, max_age=300)
def data_catalog(request: HttpRequest) -> JsonResponse:
    """``/data.json`` — the DCAT-style catalog of the datasets."""
    body = datasets.catalog(_base_url(request), on=timezone.localdate())
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_GET
@cache_control(public=True, max_age=3600)
def catalog_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema ``/data.json`` validates against."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "data_catalog.schema.json").read_text(encoding="utf-8")
    return HttpResponse(text, content_type="application/schema+json; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=300)
def download(request: HttpRequest, identifier: str, fmt: str) -> HttpResponse:
    dataset = datasets.dataset_get(identifier)
    if dataset is None or fmt not in datasets.FORMATS:
        raise Http404
    today = timezone.localdate()
    rows = dataset.rows(today)
    filename = f"{dataset.identifier}-{today.isoformat()}.{fmt}"
    if fmt == "json":
        body: dict[str, Any] = {
            "identifier": dataset.identifier, "title": str(dataset.title), "modified": dataset.modified(today).isoformat(),
            "fields": [{"name": f.name, "title": str(f.title)} for f in dataset.fields], "rows": list(rows),
        }  # fmt: skip
        response: HttpResponse = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(dataset, rows), content_type=datasets.FORMATS["xlsx"])
    else:
        out = io.StringIO()
        out.write("\ufeff")  # UTF-8 with BOM: Excel opens the Chinese headers right
        writer = csv.writer(out)
        writer.writerow([str(f.title) for f in dataset.fields])
        for row in rows:
            writer.writerow([_text(escape_cell(row[f.name])) for f in dataset.fields])
        response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _xlsx(dataset: datasets.Dataset, rows: Any) -> bytes:
    """The dataset as one sheet: the fields' titles, then the rows (openpyxl write-only)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=dataset.identifier[:31])
    sheet.append([str(f.title) for f in dataset.fields])
    for row in rows:
        sheet.append([escape_cell(row[f.name]) for f in dataset.fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
