"""信息公开 API (``/api/v1/public/…``, no login): the lists the portal owns (bases, subsidy standards), the
suppressed statistics and the open-data datasets with their versions. The providers' and programs' public lists
are the providers app's (``/api/v1/public/providers``, ``/api/v1/public/programs``).

A filter the portal cannot honour (an unknown region or occupation, a value outside its choices, a search longer
than 50 characters) answers 422 ``{code: "bad_filter", fields: [{field, code, message}]}`` rather than quietly
showing everything, as the pages do. Answers are cached like the pages (``jineng.portal.publishing``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jineng.common.errors import NotFound
from jineng.common.rest.errors import error_response
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.portal import datasets, publishing, selectors
from jineng.subsidies.api import standard_rows

public_router = Router(auth=None, tags=["public 公开"])

TEXT = 200  # a filter's length bound at the door; the selectors refuse more than MAX_QUERY with a message


class PortalBaseOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    region_code: str
    region: str
    host: str
    approval_year: int
    approval_document: str
    occupations: list[str]


class PortalStandardRuleOut(Schema):
    section: str
    rule: str
    detail: str


class PortalStandardOut(Schema):
    id: uuid.UUID
    title: str
    region_code: str
    region: str
    subsidy_type: str
    subsidy_type_label: str
    version: int
    valid_from: str
    valid_to: str | None
    citation: str
    source_url: str
    rules: list[PortalStandardRuleOut] = []


class PortalTableOut(Schema):
    title: str
    year: int | None
    k: int = Field(description="cells below k are suppressed (null)")
    row_header: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


class PortalDatasetVersionOut(Schema):
    version: int
    issued: str
    rows: int
    sha256: str
    urls: dict[str, str]


class PortalDatasetOut(Schema):
    identifier: str
    title: str
    description: str
    fields: list[dict[str, str]]
    urls: dict[str, str]
    versions: list[PortalDatasetVersionOut]


def _filters(params: dict[str, str], choices: dict[str, Any] | None = None, **kw: Any) -> Any:
    """The filters, or a 422 naming each refused one."""
    filters = selectors.clean_filters({k: v for k, v in params.items() if v}, choices, **kw)
    if filters.notices:
        return error_response(422, "bad_filter", _("查询条件有误，请按提示修改。"), [
            {"field": n.field or "query", "code": str(n.code), "message": n.message} for n in filters.notices
        ])  # fmt: skip
    return filters


def _base(b: Any) -> dict[str, Any]:
    return {
        "id": b.pk, "name": b.name, "kind": b.kind, "kind_label": b.get_kind_display(), "level": b.level,
        "level_label": b.get_level_display(), "region_code": b.region_id, "region": b.region.name,
        "host": b.host_name, "approval_year": b.approval_year, "approval_document": b.approval_document,
        "occupations": [o.code for o in b.occupations.all()],
    }  # fmt: skip


def _standard(s: Any, rules: bool = False) -> dict[str, Any]:
    out = {
        "id": s.pk, "title": s.title, "region_code": s.region_id, "region": s.region.name,
        "subsidy_type": s.subsidy_type, "subsidy_type_label": s.get_subsidy_type_display(), "version": s.version_no,
        "valid_from": s.valid_from.isoformat(), "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        "citation": s.citation, "source_url": s.source_url,
    }  # fmt: skip
    if rules:
        out["rules"] = standard_rows(s.rules)
    return out


def _table(t: selectors.Table) -> dict[str, Any]:
    return {
        "title": str(t.title), "year": t.year, "k": t.k, "row_header": str(t.row_header), "rows": t.rows,
        "columns": t.columns, "cells": t.cells, "row_totals": t.row_totals, "column_totals": t.column_totals,
        "total": t.total,
    }  # fmt: skip


@public_router.get("/bases", response=page_of(PortalBaseOut), summary="实训基地与技能大师工作室（公开）Training bases")
def public_base_list(
    request: HttpRequest,
    paging: Query[Paging],
    q: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
    region: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
    kind: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
    level: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
    occupation: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
) -> Any:
    """``region``: a name (广州市) or a code, its subtree; ``occupation``: a code, its prefix or part of a name."""
    params = {"q": q, "region": region, "kind": kind, "level": level, "occupation": occupation}
    filters = _filters(params, selectors.BASE_CHOICES, occupation=True)
    if isinstance(filters, HttpResponse):
        return filters

    def compute() -> dict[str, Any]:
        qs = selectors.bases(filters, on=timezone.localdate()).prefetch_related("occupations")
        return page_items(qs, paging, _base)

    return publishing.cached_value("api-bases", request.path, {**params, **paging.dict()}.items(), compute)


@public_router.get("/standards", response=page_of(PortalStandardOut), summary="补贴标准（公开）Subsidy standards")
def public_standard_list(
    request: HttpRequest,
    paging: Query[Paging],
    q: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
    region: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
    subsidy_type: str = Query("", max_length=TEXT),  # type: ignore[type-arg]
) -> Any:
    """Published versions in force today; with ``region``, its own and those of the regions above it."""
    params = {"q": q, "region": region, "subsidy_type": subsidy_type}
    filters = _filters(params, selectors.STANDARD_CHOICES)
    if isinstance(filters, HttpResponse):
        return filters

    def compute() -> dict[str, Any]:
        return page_items(selectors.standards(filters, on=timezone.localdate()), paging, _standard)

    return publishing.cached_value("api-standards", request.path, {**params, **paging.dict()}.items(), compute)


@public_router.get("/standards/{standard_id}", response=PortalStandardOut, summary="补贴标准详情（公开）")
def public_standard_detail(request: HttpRequest, standard_id: str) -> dict[str, Any]:
    version = selectors.standard_get(standard_id, on=timezone.localdate())
    if version is None:
        raise NotFound()
    return _standard(version, rules=True)


@public_router.get(
    "/statistics/certificates", response=PortalTableOut, summary="有效证书统计（按地市、等级，小数抑制）"
)
def public_certificate_statistics(request: HttpRequest) -> dict[str, Any]:
    return publishing.cached_value("api-stat-cert", request.path, [], lambda: _table(selectors.certificates_table()))  # type: ignore[no-any-return]


@public_router.get(
    "/statistics/trained", response=list[PortalTableOut], summary="培训合格人次（按地市、年度、人员类别，小数抑制）"
)
def public_trained_statistics(request: HttpRequest) -> list[dict[str, Any]]:
    return publishing.cached_value(  # type: ignore[no-any-return]
        "api-stat-trained", request.path, [], lambda: [_table(t) for t in selectors.trained_tables()]
    )


def _urls(request: HttpRequest, identifier: str, number: int | None = None) -> dict[str, str]:
    base = request.build_absolute_uri("/").rstrip("/")
    stem = f"{identifier}/v{number}" if number else identifier
    return {fmt: f"{base}/public/data/{stem}.{fmt}" for fmt in datasets.FORMATS}


def _version(request: HttpRequest, v: Any) -> dict[str, Any]:
    return {"version": v.number, "issued": v.published_on.isoformat(), "rows": v.row_count, "sha256": v.sha256,
            "urls": _urls(request, v.dataset, v.number)}  # fmt: skip


def _dataset(request: HttpRequest, d: datasets.Dataset) -> dict[str, Any]:
    return {
        "identifier": d.identifier, "title": str(d.title), "description": str(d.description),
        "fields": [{"name": f.name, "title": str(f.title)} for f in d.fields], "urls": _urls(request, d.identifier),
        "versions": [_version(request, v) for v in publishing.dataset_versions(d.identifier)[:200]],
    }  # fmt: skip


@public_router.get("/datasets", response=list[PortalDatasetOut], summary="开放数据集及其版本（公开）Open datasets")
def public_dataset_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_dataset(request, d) for d in datasets.DATASETS]


@public_router.get("/datasets/{identifier}", response=PortalDatasetOut, summary="开放数据集详情及其版本（公开）")
def public_dataset_detail(request: HttpRequest, identifier: str) -> dict[str, Any]:
    dataset = datasets.dataset_get(identifier[:60])
    if dataset is None:
        raise NotFound()
    return _dataset(request, dataset)
