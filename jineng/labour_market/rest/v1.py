"""Labour-market API: one vacancy, job-seeker registration or wage record at a time (files go through
``POST /api/v1/imports/`` with kinds ``vacancies``, ``job_seekers``, ``wage_records``), the quarterly supply and
demand, wage levels, and the shortage catalog's steps; the public catalog in force and the public wage levels.
Thin: validate, call one service or selector, answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from jineng.accounts.api import current_user, get_visible, home_region, require
from jineng.common.errors import invalid
from jineng.common.rest.types import Code, Name, Text, Year
from jineng.labour_market import selectors, services
from jineng.labour_market.errors import Code as Err
from jineng.labour_market.models import ShortageCatalog
from jineng.refdata.api import region_validate

router = Router(tags=["labour 需求监测"])
public_router = Router(auth=None, tags=["public 公开"])

Number = Annotated[int, Field(ge=-(10**9), le=10**9)]  # negative numbers reach the service: a named refusal


class VacancyIn(Schema):
    ref: Code
    employer_name: Name
    employer_credit_code: Code = ""
    occupation_code: Code
    region: Code = ""
    count: Number
    wage_offered: Number | None = None
    level_required: Code = ""
    posted_on: Code
    closed_on: Code = ""


class JobSeekerIn(Schema):
    ref: Code
    occupation_code: Code
    region: Code = ""
    level_held: Code = ""
    registered_on: Code


class WageRecordIn(Schema):
    ref: Code
    employer_name: Name = ""
    occupation_code: Code
    region: Code = ""
    level: Code = ""
    year: Number
    annual_pay: Number


class CreatedOut(Schema):
    id: str
    ref: str
    created: bool


def _values(payload: Schema) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in payload.dict().items()}


def _create(request: HttpRequest, kind: str, payload: Schema) -> Any:
    record, created = services.record_create(actor=current_user(request), kind=kind, values=_values(payload))
    return Status(201 if created else 200, {"id": str(record.pk), "ref": record.ref, "created": created})


@router.post("/labour/vacancies", response={200: CreatedOut, 201: CreatedOut}, summary="登记岗位需求 Add a vacancy")
def vacancy_create(request: HttpRequest, payload: VacancyIn) -> Any:
    return _create(request, "vacancies", payload)


@router.post("/labour/job-seekers", response={200: CreatedOut, 201: CreatedOut}, summary="求职登记 Add a job seeker")
def job_seeker_create(request: HttpRequest, payload: JobSeekerIn) -> Any:
    return _create(request, "job_seekers", payload)


@router.post(
    "/labour/wage-records", response={200: CreatedOut, 201: CreatedOut}, summary="薪酬调查记录 Add a wage record"
)
def wage_record_create(request: HttpRequest, payload: WageRecordIn) -> Any:
    return _create(request, "wage_records", payload)


# ---- supply and demand ------------------------------------------------------------------------------------------


def _region_in_scope(request: HttpRequest, region: str) -> str:
    user = current_user(request)
    code = region.strip() or home_region(user) or ""
    if not code:
        raise invalid(field="region", code=Err.REGION_REQUIRED, message="请指定地区。")
    code = region_validate(code).code
    require(user, selectors.VIEW, region_code=code)
    return code


class TrendPoint(Schema):
    quarter: str
    ratio: float | None


class DemandRow(Schema):
    occupation_code: str
    name: str
    vacancies: int
    seekers: int
    ratio: float | None
    trend: list[TrendPoint]
    trained: int
    certified: int


class DemandOut(Schema):
    region: str
    year: int
    quarter: int
    group: str
    items: list[DemandRow]


class DemandQuery(Schema):
    region: Code = ""
    year: Year | None = None
    quarter: Annotated[int, Field(ge=1, le=4)] | None = None
    group: Annotated[str, Field(max_length=12)] = ""


@router.get("/labour/demand", response=DemandOut, summary="供求分析 Supply and demand by occupation")
def demand(request: HttpRequest, q: Query[DemandQuery]) -> Any:
    code = _region_in_scope(request, q.region)
    year, quarter = (
        (q.year, q.quarter) if q.year and q.quarter else services.last_complete_quarter(timezone.localdate())
    )
    services.quarter_bounds(year, quarter)
    query = selectors.DemandQuery(region_validate(code), year, quarter, q.group.strip())
    return {"region": code, "year": year, "quarter": quarter, "group": query.group,
            "items": selectors.demand_rows(query)}  # fmt: skip


# ---- wage levels ------------------------------------------------------------------------------------------------


class WageCellOut(Schema):
    occupation_code: str
    name: str
    level: str | None = None
    sample_size: int
    p10: int | None
    p25: int | None
    p50: int | None
    p75: int | None
    p90: int | None


class WageLevelsOut(Schema):
    region: str
    year: int | None
    min_sample: int
    unit: str = "元/年"
    items: list[WageCellOut]


def _wages(code: str, year: int | None, by_level: bool) -> dict[str, Any]:
    years = selectors.wage_years(code)
    chosen = year if year is not None else (years[0] if years else None)
    items = selectors.wage_levels(code, chosen, by_level=by_level) if chosen is not None else []
    on = dt.date(chosen, 12, 31) if chosen is not None else timezone.localdate()
    return {"region": code, "year": chosen, "min_sample": selectors.min_sample(code, on), "items": items}


@router.get("/labour/wage-levels", response=WageLevelsOut, summary="工资价位 Wage levels (in scope)")
def wage_levels(request: HttpRequest, region: Code = "", year: Year | None = None, by_level: bool = False) -> Any:
    return _wages(_region_in_scope(request, region), year, by_level)


@public_router.get("/wage-levels", response=WageLevelsOut, summary="工资价位公开 Wage levels by occupation")
def public_wage_levels(request: HttpRequest, region: Code, year: Year | None = None, by_level: bool = False) -> Any:
    return _wages(region_validate(region.strip()).code, year, by_level)


# ---- the shortage catalog ---------------------------------------------------------------------------------------


class ItemOut(Schema):
    occupation_code: str
    name: str
    basis: str
    reason: str = ""
    removed: bool = False


class CatalogOut(Schema):
    id: str
    region: str
    version: int
    title: str
    label: str
    status: str
    effective_from: dt.date | None
    basis: dict[str, Any]
    items: list[ItemOut]


def _catalog(c: ShortageCatalog, *, include_removed: bool = True) -> dict[str, Any]:
    items = [
        {
            "occupation_code": i.occupation.code,
            "name": i.occupation.name,
            "basis": i.basis,
            "reason": i.reason,
            "removed": i.removed,
        }  # fmt: skip
        for i in selectors.catalog_items(c, include_removed=include_removed)
    ]
    return {"id": str(c.pk), "region": c.region_id, "version": c.version_no, "title": c.title, "label": c.label,
            "status": c.status, "effective_from": c.effective_from, "basis": c.basis, "items": items}  # fmt: skip


@router.get(
    "/labour/catalogs", response=list[CatalogOut], summary="急需紧缺职业目录（各版本）Catalog versions in scope"
)
def catalogs(request: HttpRequest) -> Any:
    return [_catalog(c) for c in selectors.catalogs_visible(current_user(request))[:100]]


class DraftIn(Schema):
    region: Code
    year: Year | None = None
    quarter: Annotated[int, Field(ge=1, le=4)] | None = None
    title: Name = ""


@router.post("/labour/catalogs", response={201: CatalogOut}, summary="生成目录草稿 Draft a catalog from the rule")
def catalog_draft(request: HttpRequest, payload: DraftIn) -> Any:
    c = services.catalog_draft_generate(actor=current_user(request), region_code=payload.region, year=payload.year,
                                        quarter=payload.quarter, title=payload.title)  # fmt: skip
    return Status(201, _catalog(c))


def _visible_catalog(request: HttpRequest, catalog_id: str) -> ShortageCatalog:
    catalog: ShortageCatalog = get_visible(ShortageCatalog, current_user(request), catalog_id, selectors.VIEW)
    return catalog


@router.get("/labour/catalogs/{catalog_id}", response=CatalogOut, summary="目录版本 One catalog version")
def catalog_detail(request: HttpRequest, catalog_id: str) -> Any:
    return _catalog(_visible_catalog(request, catalog_id))


class ItemIn(Schema):
    occupation_code: Code
    reason: Text


@router.post("/labour/catalogs/{catalog_id}/items", response=CatalogOut, summary="专家增补 Add an occupation")
def catalog_item_add(request: HttpRequest, catalog_id: str, payload: ItemIn) -> Any:
    c = _visible_catalog(request, catalog_id)
    services.catalog_item_add(actor=current_user(request), catalog_id=c.pk, occupation_code=payload.occupation_code,
                              reason=payload.reason)  # fmt: skip
    return _catalog(_visible_catalog(request, catalog_id))


@router.post("/labour/catalogs/{catalog_id}/items/remove", response=CatalogOut, summary="移出职业 Remove one")
def catalog_item_remove(request: HttpRequest, catalog_id: str, payload: ItemIn) -> Any:
    c = _visible_catalog(request, catalog_id)
    services.catalog_item_remove(actor=current_user(request), catalog_id=c.pk,
                                 occupation_code=payload.occupation_code, reason=payload.reason)  # fmt: skip
    return _catalog(_visible_catalog(request, catalog_id))


@router.post("/labour/catalogs/{catalog_id}/approve", response=CatalogOut, summary="审核 Approve (not the drafter)")
def catalog_approve(request: HttpRequest, catalog_id: str) -> Any:
    c = _visible_catalog(request, catalog_id)
    return _catalog(services.catalog_approve(actor=current_user(request), catalog_id=c.pk))


class PublishIn(Schema):
    effective_from: dt.date


@router.post("/labour/catalogs/{catalog_id}/publish", response=CatalogOut, summary="发布 Publish an approved version")
def catalog_publish(request: HttpRequest, catalog_id: str, payload: PublishIn) -> Any:
    c = _visible_catalog(request, catalog_id)
    published = services.catalog_publish(actor=current_user(request), catalog_id=c.pk,
                                         effective_from=payload.effective_from)  # fmt: skip
    return _catalog(published)


class PublicItemOut(Schema):
    occupation_code: str
    name: str


class HistoryOut(Schema):
    version: int
    title: str
    effective_from: dt.date | None


class PublicCatalogOut(Schema):
    region: str
    version: int | None
    title: str | None
    effective_from: dt.date | None
    items: list[PublicItemOut]
    history: list[HistoryOut]


def public_catalog(region: str, on: dt.date) -> dict[str, Any]:
    code = selectors.public_region(region_validate(region.strip()).code)
    catalog = selectors.catalog_in_force_model(code, on)
    history = [{"version": c.version_no, "title": c.label, "effective_from": c.effective_from}
               for c in selectors.catalogs_published(code)]  # fmt: skip
    if catalog is None:
        return {"region": code, "version": None, "title": None, "effective_from": None, "items": [],
                "history": history}  # fmt: skip
    items = [
        {"occupation_code": i.occupation.code, "name": i.occupation.name} for i in selectors.catalog_items(catalog)
    ]
    return {"region": code, "version": catalog.version_no, "title": catalog.label,
            "effective_from": catalog.effective_from, "items": items, "history": history}  # fmt: skip


@public_router.get("/shortage-occupations", response=PublicCatalogOut, summary="急需紧缺职业目录公开 Catalog in force")
def public_shortage(request: HttpRequest, region: Code, on: dt.date | None = None) -> Any:
    return public_catalog(region, on or timezone.localdate())
