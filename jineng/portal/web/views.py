"""The public portal's pages (信息公开, ADR 0029): the home with its search and its services, the bases, the subsidy
standards, the suppressed statistics, the open-data page, ``/data.json`` and the dataset downloads. No login; every
input is checked into notices (``selectors.clean_filters``), never a server error."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from jineng.accounts.api import can
from jineng.common.listing import escape_cell
from jineng.portal import datasets, publishing, selectors
from jineng.portal.errors import Code
from jineng.portal.links import available_links
from jineng.portal.publishing import PUBLISH_PERMISSION, cached_page
from jineng.portal.selectors import Notice
from jineng.rules.suppression import DEFAULT_K
from jineng.subsidies.api import standard_rows


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a public page; a page answering the visitor's input with notices is not kept in the cache."""
    response = render(request, template, context)
    response.has_notices = bool(context.get("notices"))  # type: ignore[attr-defined]
    return response


@require_GET
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    filters = selectors.clean_filters(request.GET)
    searched = bool(filters.q or filters.region)
    if "q" in request.GET and not searched and not filters.notices:
        filters.notices.append(Notice(Code.QUERY_EMPTY, _("请输入要搜索的内容。")))
    sections = selectors.search(filters, on=timezone.localdate()) if searched else []
    return _render(request, "portal/home.html", {
        "filters": filters, "notices": filters.notices, "sections": sections, "searched": searched,
        "groups": available_links(), "max_query": selectors.MAX_QUERY,
    })  # fmt: skip


def _list_page(
    request: HttpRequest, template: str, choices: dict[str, Any], rows: Any, *, occupation: bool = False, **extra: Any
) -> HttpResponse:
    """A public list: its filters checked into notices, the page asked for, the choices of its selects."""
    filters = selectors.clean_filters(request.GET, choices, occupation=occupation)
    page_obj = selectors.paginate(rows(filters, on=timezone.localdate()), request.GET.get("page"), filters.notices)
    context = {"filters": filters, "notices": filters.notices, "page_obj": page_obj, "max_query": selectors.MAX_QUERY}
    return _render(request, template, context | {name: values.items() for name, values in choices.items()} | extra)


@require_GET
@cached_page
def bases(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "portal/bases.html", selectors.BASE_CHOICES, selectors.bases, occupation=True)


@require_GET
@cached_page
def standards(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "portal/standards.html", selectors.STANDARD_CHOICES, selectors.standards)


@require_GET
@cached_page
def standard(request: HttpRequest, pk: str) -> HttpResponse:
    version = selectors.standard_get(pk, on=timezone.localdate())
    if version is None:
        raise Http404
    return render(request, "portal/standard.html", {"v": version, "rows": standard_rows(version.rules)})


@require_GET
@cached_page
def statistics(request: HttpRequest) -> HttpResponse:
    tables = [selectors.certificates_table(), *selectors.trained_tables()]
    return render(request, "portal/statistics.html", {"tables": tables, "k": DEFAULT_K})


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    latest = {v.dataset: v for v in publishing.latest_versions()}
    rows = [(d, latest.get(d.identifier)) for d in datasets.DATASETS]
    return render(request, "portal/data.html", {
        "rows": rows, "formats": datasets.FORMATS, "can_publish": can(request.user, PUBLISH_PERMISSION),
        "k": DEFAULT_K,
    })  # fmt: skip


@require_POST
def data_publish(request: HttpRequest) -> HttpResponse:
    """发布新版本 — snapshot every dataset whose rows changed (province officials)."""
    if not can(request.user, PUBLISH_PERMISSION):
        raise PermissionDenied
    results = publishing.datasets_publish(actor=request.user)
    new = [v for v, created in results if created]
    if new:
        messages.success(request, _("已发布 %(n)s 个数据集的新版本：%(names)s。") % {
            "n": len(new), "names": "、".join(f"{v.dataset} v{v.number}" for v in new)})  # fmt: skip
    else:
        messages.info(request, _("数据与上一版本相同，没有发布新版本。"))
    return redirect("portal:data")


@require_GET
@cached_page
def dataset_page(request: HttpRequest, identifier: str) -> HttpResponse:
    """A dataset's page: its fields, today's downloads and every published version."""
    dataset = datasets.dataset_get(identifier)
    if dataset is None:
        raise Http404
    versions = list(publishing.dataset_versions(identifier)[:200])
    return render(request, "portal/dataset.html", {"d": dataset, "versions": versions, "formats": datasets.FORMATS})


@require_GET
@cached_page
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
@cached_page
def download(request: HttpRequest, identifier: str, fmt: str) -> HttpResponse:
    dataset = datasets.dataset_get(identifier)
    if dataset is None or fmt not in datasets.FORMATS:
        raise Http404
    today = timezone.localdate()
    return _file(dataset, fmt, dataset.rows(today), f"{dataset.identifier}-{today.isoformat()}",
                 {"modified": dataset.modified(today).isoformat()})  # fmt: skip


@require_GET
@cached_page
def version_download(request: HttpRequest, identifier: str, number: str, fmt: str) -> HttpResponse:
    """An old version as it was published (its own URL never changes: ``/public/data/<id>/v<n>.<fmt>``)."""
    dataset = datasets.dataset_get(identifier)
    version = publishing.dataset_version(identifier, int(number)) if dataset and len(number) <= 9 else None
    if dataset is None or version is None or fmt not in datasets.FORMATS:
        raise Http404
    return _file(dataset, fmt, iter(version.rows), f"{dataset.identifier}-v{version.number}", {
        "version": version.number, "issued": version.published_on.isoformat(), "sha256": version.sha256,
    })  # fmt: skip


def _file(dataset: datasets.Dataset, fmt: str, rows: Any, stem: str, meta: dict[str, Any]) -> HttpResponse:
    filename = f"{stem}.{fmt}"
    if fmt == "json":
        body: dict[str, Any] = {
            "identifier": dataset.identifier, "title": str(dataset.title), **meta,
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
            writer.writerow([_text(escape_cell(row.get(f.name, ""))) for f in dataset.fields])
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
        sheet.append([escape_cell(row.get(f.name, "")) for f in dataset.fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for whatever the page's ``<link rel="icon">`` says: the site's icon."""
    return HttpResponseRedirect(static("web/favicon.svg"))
