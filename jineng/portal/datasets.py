"""开放数据 — the datasets the portal publishes (ADR 0029, docs/portal.md): each a stable identifier, a title, a
description, its fields, how often it changes, its rows (public fields only: organizations, programs, bases,
published policies; aggregates suppressed) and its last change. ``/data.json`` lists them (DCAT-style), each is
downloaded as CSV (UTF-8 with BOM, for Excel), XLSX or JSON from ``/public/data/<identifier>.<csv|json>``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jineng.portal import selectors
from jineng.providers.api import public_bases, public_programs, public_providers
from jineng.subsidies.api import published_standards, standard_rows

MAX_VERSIONS_LISTED = 20
"""data.json lists a dataset's newest versions; all of them are on the dataset's page."""
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class DataField:
    name: str
    title: Any


@dataclass(frozen=True)
class Dataset:
    identifier: str
    title: Any
    description: Any
    landing_page: str
    periodicity: str  # ISO 8601 repeating duration (DCAT-US accrualPeriodicity): R/P1D daily, R/P1M monthly
    fields: tuple[DataField, ...]
    rows: Callable[[dt.date], Iterator[dict[str, Any]]]
    modified: Callable[[dt.date], dt.date]
    keywords: tuple[str, ...] = ()


def _latest(qs: Any, today: dt.date) -> dt.date:
    stamp = qs.aggregate(m=Max("updated_at"))["m"]
    return timezone.localdate(stamp) if stamp else today


def _providers(on: dt.date) -> Iterator[dict[str, Any]]:
    for p in public_providers(status="listed", on=on).iterator(chunk_size=500):
        org = p.profile.organization
        yield {
            "name": org.name, "credit_code": org.credit_code, "provider_type": p.profile.get_provider_type_display(),
            "region_code": p.region_id, "region": p.region.name, "valid_from": p.valid_from.isoformat(),
            "valid_until": p.valid_until.isoformat(), "capacity_per_year": p.capacity_per_year,
        }  # fmt: skip


def _programs(on: dt.date) -> Iterator[dict[str, Any]]:
    for c in public_programs(on=on).iterator(chunk_size=500):
        program = c.program
        if program is None:  # public_programs lists program listings only
            continue
        yield {
            "code": program.code, "name": program.name,
            "occupation_code": program.occupation.code if program.occupation else "",
            "occupation": program.occupation.name if program.occupation else "",
            "level": program.level.label if program.level else "", "training_kind": program.get_training_kind_display(),
            "hours": (program.hours_theory or 0) + (program.hours_practice or 0),
            "region_code": c.region_id, "region": c.region.name, "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat() if c.valid_until else "",
        }  # fmt: skip


def _bases(on: dt.date) -> Iterator[dict[str, Any]]:
    for b in public_bases(as_of_year=on.year).iterator(chunk_size=500):
        yield {
            "name": b.name, "kind": b.get_kind_display(), "level": b.get_level_display(), "region_code": b.region_id,
            "region": b.region.name, "host": b.host_name, "approval_year": b.approval_year,
            "approval_document": b.approval_document,
        }  # fmt: skip


def _standards(on: dt.date) -> Iterator[dict[str, Any]]:
    for s in published_standards(on=on).iterator(chunk_size=200):
        amounts = [f"{r['rule']}：{r['detail']}" for r in standard_rows(s.rules) if r["section"] == str(_("补贴标准"))]
        yield {
            "region_code": s.region_id, "region": s.region.name, "subsidy_type": s.get_subsidy_type_display(),
            "title": s.title, "version": s.version_no, "valid_from": s.valid_from.isoformat(),
            "valid_to": s.valid_to.isoformat() if s.valid_to else "", "amounts": "；".join(amounts),
            "citation": s.citation, "source_url": s.source_url,
        }  # fmt: skip


def _certificate_stats(on: dt.date) -> Iterator[dict[str, Any]]:
    table = selectors.certificates_table()
    for name, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
        for level, n in zip(table.columns, cells, strict=True):
            yield {"region": name, "level": level, "count": n, "suppressed": n is None}
        yield {"region": name, "level": str(_("合计")), "count": total, "suppressed": total is None}


def _trained_stats(on: dt.date) -> Iterator[dict[str, Any]]:
    for table in selectors.trained_tables():
        year = table.year
        for name, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
            for group, n in zip(table.columns, cells, strict=True):
                yield {"year": year, "region": name, "group": group, "count": n, "suppressed": n is None}
            yield {"year": year, "region": name, "group": str(_("合计")), "count": total, "suppressed": total is None}


def _providers_modified(on: dt.date) -> dt.date:
    return _latest(public_providers(status="all", on=on), on)


def _programs_modified(on: dt.date) -> dt.date:
    return _latest(public_programs(on=on), on)


def _bases_modified(on: dt.date) -> dt.date:
    return _latest(public_bases(as_of_year=on.year), on)


def _standards_modified(on: dt.date) -> dt.date:
    return _latest(published_standards(on=on), on)


def _today(on: dt.date) -> dt.date:
    return on


_REGION = (DataField("region_code", _("地区代码")), DataField("region", _("地区")))

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "providers", _("培训机构目录"), _("纳入目录且在有效期内的职业技能培训机构。"), "/catalog/providers/", "R/P1D",
        (DataField("name", _("机构名称")), DataField("credit_code", _("统一社会信用代码")),
         DataField("provider_type", _("机构类型")), *_REGION, DataField("valid_from", _("有效期起")),
         DataField("valid_until", _("有效期至")), DataField("capacity_per_year", _("年培训能力（人次）"))),
        _providers, _providers_modified, ("培训机构", "目录"),
    ),
    Dataset(
        "programs", _("培训项目目录"), _("在有效期内的培训项目（含上级地区发布、本地区适用的项目）。"), "/catalog/programs/",
        "R/P1D",
        (DataField("code", _("项目编码")), DataField("name", _("项目名称")), DataField("occupation_code", _("职业编码")),
         DataField("occupation", _("职业（工种）")), DataField("level", _("等级")), DataField("training_kind", _("培训类型")),
         DataField("hours", _("学时")), *_REGION, DataField("valid_from", _("有效期起")), DataField("valid_until", _("有效期至"))),
        _programs, _programs_modified, ("培训项目", "目录"),
    ),
    Dataset(
        "bases", _("实训基地与技能大师工作室"), _("已认定且未撤销的各级实训基地、高技能人才培训基地和技能大师工作室，含批准文号。"),
        "/public/bases/", "R/P1M",
        (DataField("name", _("名称")), DataField("kind", _("类别")), DataField("level", _("级别")), *_REGION,
         DataField("host", _("依托单位")), DataField("approval_year", _("批准年度")),
         DataField("approval_document", _("批准文号"))),
        _bases, _bases_modified, ("实训基地", "技能大师工作室"),
    ),
    Dataset(
        "subsidy-standards", _("职业技能培训补贴标准"), _("各地已发布、现行有效的补贴政策版本：补贴类型、标准、有效期和政策依据。"),
        "/public/standards/", "R/P1M",
        (*_REGION, DataField("subsidy_type", _("补贴类型")), DataField("title", _("名称")), DataField("version", _("版本号")),
         DataField("valid_from", _("生效日期")), DataField("valid_to", _("截止日期")), DataField("amounts", _("补贴标准")),
         DataField("citation", _("政策依据")), DataField("source_url", _("来源"))),
        _standards, _standards_modified, ("补贴标准", "政策"),
    ),
    Dataset(
        "certificates-by-region-level", _("有效证书统计（按地市、等级）"),
        _("有效职业技能证书按地市和等级汇总；小于 10 的数字及可由合计推算出的数字不公布（count 为空）。"),
        "/public/statistics/", "R/P1D",
        (DataField("region", _("地区")), DataField("level", _("等级")), DataField("count", _("证书数")),
         DataField("suppressed", _("已抑制"))),
        _certificate_stats, _today, ("证书", "统计"),
    ),
    Dataset(
        "trained-by-region-year-group", _("培训合格人次统计（按地市、年度、人员类别）"),
        _("培训结业且合格的人次，按地市、结业年度和人员类别（按报名时登记的第一个重点群体）汇总，近五年；小于 10 的数字及可由合计推算出的数字不公布（count 为空）。"),
        "/public/statistics/", "R/P1D",
        (DataField("year", _("年度")), DataField("region", _("地区")), DataField("group", _("人员类别")),
         DataField("count", _("人次")), DataField("suppressed", _("已抑制"))),
        _trained_stats, _today, ("培训", "统计"),
    ),
)  # fmt: skip

BY_ID = {d.identifier: d for d in DATASETS}


def dataset_get(identifier: str) -> Dataset | None:
    return BY_ID.get(identifier)


def catalog(base_url: str, *, on: dt.date) -> dict[str, Any]:
    """The DCAT-style catalog (``/data.json``): one entry per dataset with its distributions (today's data) and its
    published versions (newest first, each a stable URL). Every date is a calendar date in China time."""
    from jineng.portal.publishing import dataset_versions

    def versions(identifier: str) -> list[dict[str, Any]]:
        return [
            {"version": v.number, "issued": v.published_on.isoformat(), "rows": v.row_count, "sha256": v.sha256,
             "downloadURL": f"{base_url}/public/data/{identifier}/v{v.number}.json"}
            for v in dataset_versions(identifier)[:MAX_VERSIONS_LISTED]
        ]  # fmt: skip

    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": f"{base_url}/public/data/catalog.schema.json",
        "title": str(_("职业技能培训信息公开数据目录")),
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "identifier": f"{base_url}/public/data/{d.identifier}",
                "title": str(d.title),
                "description": str(d.description),
                "modified": d.modified(on).isoformat(),
                "accrualPeriodicity": d.periodicity,
                "license": LICENSE,
                "accessLevel": "public",
                "publisher": {"@type": "org:Organization", "name": str(_("人力资源和社会保障部门"))},
                "keyword": list(d.keywords),
                "landingPage": f"{base_url}{d.landing_page}",
                "fields": [{"name": f.name, "title": str(f.title)} for f in d.fields],
                "versions": versions(d.identifier),
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "format": fmt.upper(),
                        "mediaType": media,
                        "downloadURL": f"{base_url}/public/data/{d.identifier}.{fmt}",
                    }
                    for fmt, media in FORMATS.items()
                ],
            }
            for d in DATASETS
        ],
    }


__all__ = ["DATASETS", "FORMATS", "Dataset", "catalog", "dataset_get"]
