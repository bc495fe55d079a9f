"""Every read of the public portal: the visitor's input checked into filters and notices, the search across the
catalogs, the bases, the subsidy standards and the suppressed statistics. Public data only, through the other
apps' ``api.py``; nothing here needs a login, so nothing here is region-scoped by a user (ADR 0029)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from jineng.certificates.api import valid_certificate_counts
from jineng.portal.errors import Code
from jineng.providers.api import BaseKind, BaseLevel, public_bases, public_programs, public_providers
from jineng.refdata.api import (
    COUNTRY_CODE,
    Region,
    RegionLevel,
    SkillLevel,
    occupation_search,
    region_ancestors,
    region_resolve,
)
from jineng.registry.api import Group
from jineng.rules.suppression import DEFAULT_K, suppress
from jineng.subsidies.api import SubsidyType, published_standards
from jineng.training.api import completed_enrollments_queryset

MAX_QUERY = 50
"""The longest search a visitor may type (characters); longer is refused with a message, never searched."""
PER_PAGE = 30
SEARCH_LIMIT = 8
"""Rows of each section of the home's search results (each section links its full list)."""


@dataclass(frozen=True)
class Notice:
    code: Code
    message: str
    field: str = ""


@dataclass
class Filters:
    """What the visitor asked for, cleaned: text without control characters, a known region, known choices."""

    q: str = ""
    region: str = ""
    region_name: str = ""
    choices: dict[str, str] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    occupation: str = ""
    occupation_codes: list[str] = field(default_factory=list)


def _clean_text(raw: str) -> str:
    """Any script is welcome; control characters (a NUL breaks PostgreSQL) and surrounding space are not."""
    return "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip()


def _short(value: str, n: int = 20) -> str:
    value = _clean_text(value)
    return value if len(value) <= n else value[:n] + "…"


MAX_OCCUPATIONS = 500
"""An occupation filter matching more occupations than this (a name such as 工) is refused as too broad."""


def _clean_occupation(raw: str, out: Filters) -> None:
    """An occupation code or its prefix (6-18, 6-18-02-04) or part of a name (焊工): the occupations it matches."""
    if len(raw) > MAX_QUERY:
        out.notices.append(
            Notice(
                Code.UNKNOWN_OCCUPATION, _("职业（工种）最多 %(max)s 个字，已忽略。") % {"max": MAX_QUERY}, "occupation"
            )
        )
        return
    codes = list(occupation_search(raw).values_list("code", flat=True)[: MAX_OCCUPATIONS + 1])
    if not codes:
        out.notices.append(Notice(Code.UNKNOWN_OCCUPATION, _("没有找到职业（工种）“%(o)s”，已显示全部职业。请输入职业名称（如 焊工）或职业编码（如 6-18-02-04）。")
                                  % {"o": _short(raw)}, "occupation"))  # fmt: skip
    elif len(codes) > MAX_OCCUPATIONS:
        out.notices.append(Notice(Code.UNKNOWN_OCCUPATION, _("职业（工种）“%(o)s”匹配的职业过多，已忽略，请输入更具体的名称或编码。")
                                  % {"o": _short(raw)}, "occupation"))  # fmt: skip
    else:
        out.occupation, out.occupation_codes = raw, codes


def clean_filters(
    params: Mapping[str, str], choices: Mapping[str, Mapping[str, Any]] | None = None, *, occupation: bool = False
) -> Filters:
    """``q`` and ``region`` (a code or a name: 广州市, 天河区), plus the page's own ``choices`` (name → allowed values)
    and, where the list has occupations, ``occupation``; ``page`` is left to ``paginate``. Anything else is named in
    a notice and ignored."""
    choices = choices or {}
    out = Filters()
    q = _clean_text(params.get("q", ""))
    if len(q) > MAX_QUERY:
        out.notices.append(Notice(Code.QUERY_TOO_LONG, _("搜索词最多 %(max)s 个字，您输入了 %(n)s 个字，请缩短后再搜索。")
                                  % {"max": MAX_QUERY, "n": len(q)}, "q"))  # fmt: skip
    else:
        out.q = q
    raw_region = _clean_text(params.get("region", ""))
    if raw_region:
        code = region_resolve(raw_region[:100]) if len(raw_region) <= 100 else None
        if code is None or code == COUNTRY_CODE:
            out.notices.append(Notice(Code.UNKNOWN_REGION, _("没有找到地区“%(r)s”，已显示全部地区。请输入地区名称（如 广州市、天河区）或六位代码。")
                                      % {"r": _short(raw_region)}, "region"))  # fmt: skip
        else:
            out.region = code
            out.region_name = Region.objects.get(code=code).name
    for name, allowed in choices.items():
        value = _clean_text(params.get(name, ""))
        if not value:
            continue
        if value in allowed:
            out.choices[name] = value
        else:
            out.notices.append(
                Notice(Code.UNKNOWN_VALUE, _("筛选条件“%(v)s”不在可选范围内，已忽略。") % {"v": _short(value)}, name)
            )
    raw_occupation = _clean_text(params.get("occupation", "")) if occupation else ""
    if raw_occupation:
        _clean_occupation(raw_occupation, out)
    allowed_params = {"q", "region", "page", *choices} | ({"occupation"} if occupation else set())
    unknown = sorted(set(params) - allowed_params)
    if unknown:
        names = "、".join(_short(n) for n in unknown[:3]) + ("…" if len(unknown) > 3 else "")
        out.notices.append(
            Notice(Code.UNKNOWN_FILTER, _("不支持的查询参数：%(names)s，已忽略。") % {"names": names}, "query")
        )
    return out


def paginate(qs: Any, raw_page: str | None, notices: list[Notice], per_page: int = PER_PAGE) -> Page[Any]:
    """The page asked for; a page that is not a number or out of range gives the nearest page and a notice."""
    paginator = Paginator(qs, per_page)
    page_obj = paginator.get_page(raw_page)
    if raw_page and str(page_obj.number) != raw_page:
        notices.append(Notice(Code.PAGE_OUT_OF_RANGE, _("没有第“%(p)s”页，已显示第 %(n)s 页（共 %(total)s 页）。")
                              % {"p": _short(raw_page, 12), "n": page_obj.number, "total": paginator.num_pages}, "page"))  # fmt: skip
    return page_obj


# ---- the home's search -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    total: int
    rows: list[dict[str, str]]
    more_url: str


def search(filters: Filters, *, on: dt.date) -> list[Section]:
    """The home's search: listed providers, programs, bases, subsidy standards and occupations matching ``q`` (and
    the region), a few rows of each with the count and a link to the full list."""
    from urllib.parse import urlencode

    q, region = filters.q, filters.region
    query = urlencode({k: v for k, v in (("q", q), ("region", region)) if v})
    sections = []
    providers = public_providers(status="listed", q=q, region=region, on=on)
    sections.append(Section("providers", _("培训机构"), providers.count(), [
        {"title": p.profile.organization.name, "meta": p.region.name, "url": f"/catalog/providers/{p.pk}/"}
        for p in providers[:SEARCH_LIMIT]
    ], f"/catalog/providers/?{query}"))  # fmt: skip
    programs = public_programs(q=q, region=region, on=on)
    sections.append(Section("programs", _("培训项目"), programs.count(), [
        {"title": p.name, "meta": f"{p.occupation.name if p.occupation else ''} · {c.region.name}",
         "url": f"/catalog/programs/?{urlencode({'q': p.code})}"}
        for c in programs[:SEARCH_LIMIT] if (p := c.program) is not None
    ], f"/catalog/programs/?{query}"))  # fmt: skip
    bases = public_bases(q=q, region=region, as_of_year=on.year)
    sections.append(Section("bases", _("实训基地与工作室"), bases.count(), [
        {"title": b.name, "meta": f"{b.get_level_display()}{b.get_kind_display()} · {b.region.name}", "url": f"/public/bases/?{urlencode({'q': b.name})}"}
        for b in bases[:SEARCH_LIMIT]
    ], f"/public/bases/?{query}"))  # fmt: skip
    standards = published_standards(q=q, region=region, on=on)
    sections.append(Section("standards", _("补贴标准"), standards.count(), [
        {"title": s.title, "meta": f"{s.get_subsidy_type_display()} · {s.region.name}", "url": f"/public/standards/{s.pk}/"}
        for s in standards[:SEARCH_LIMIT]
    ], f"/public/standards/?{query}"))  # fmt: skip
    if q:
        occupations = occupation_search(q, level="occupation")
        sections.append(Section("occupations", _("职业（工种）"), occupations.count(), [
            {"title": o.name, "meta": o.code, "url": f"/public/occupations/{o.code}/"} for o in occupations[:SEARCH_LIMIT]
        ], f"/public/occupations/?{urlencode({'q': q})}"))  # fmt: skip
    return sections


# ---- bases and standards -----------------------------------------------------------------------------------------

BASE_CHOICES = {"kind": dict(BaseKind.choices), "level": dict(BaseLevel.choices)}
STANDARD_CHOICES = {"subsidy_type": dict(SubsidyType.choices)}


def bases(filters: Filters, *, on: dt.date) -> Any:
    qs = public_bases(
        q=filters.q,
        region=filters.region,
        kind=filters.choices.get("kind", ""),
        level=filters.choices.get("level", ""),
        as_of_year=on.year,
    )
    if filters.occupation_codes:  # a base lists the occupations it trains (a studio its master's trade)
        qs = qs.filter(occupations__code__in=filters.occupation_codes).distinct()
    return qs


def standards(filters: Filters, *, on: dt.date) -> Any:
    return published_standards(
        q=filters.q, region=filters.region, subsidy_type=filters.choices.get("subsidy_type", ""), on=on
    )


def standard_get(pk: Any, *, on: dt.date) -> Any:
    from jineng.common.ids import uuid_or_none

    key = uuid_or_none(pk)
    return None if key is None else published_standards(on=on).filter(pk=key).first()


# ---- statistics with small-cell suppression ----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A published count table: row and column labels, cells and totals as ints or None where suppressed."""

    title: str
    row_header: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    k: int
    year: int | None = None

    @property
    def display(self) -> list[dict[str, Any]]:
        """The rows as shown: each with its total last, then the totals row (empty when there is no data)."""
        if not self.rows:
            return []
        out = [{"name": n, "cells": [*c, t]} for n, c, t in zip(self.rows, self.cells, self.row_totals, strict=True)]
        out.append({"name": _("合计"), "cells": [*self.column_totals, self.total]})
        return out


def suppressed_table(
    title: str,
    row_header: str,
    rows: list[str],
    columns: list[str],
    counts: list[list[int]],
    k: int = DEFAULT_K,
    *,
    year: int | None = None,
) -> Table:
    """The table as published: every figure ``suppress`` hides is None."""
    hidden = suppress(counts, k) if rows and columns else set()
    n_rows, n_cols = len(rows), len(columns)
    full = [[*r, sum(r)] for r in counts]
    full.append([sum(r[j] for r in full) for j in range(n_cols + 1)])

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else full[i][j]

    return Table(
        title=title,
        row_header=row_header,
        rows=rows,
        columns=columns,
        cells=[[shown(i, j) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown(i, n_cols) for i in range(n_rows)],
        column_totals=[shown(n_rows, j) for j in range(n_cols)],
        total=shown(n_rows, n_cols),
        k=k,
        year=year,
    )


def _city_of(code: str) -> str:
    """The city (地市级) a county counts for; a region above city level stands for itself."""
    chain = region_ancestors(code)
    levels = dict(Region.objects.filter(code__in=chain).values_list("code", "level"))
    for c in chain:
        if levels.get(c) == RegionLevel.CITY:
            return c
    return code


def certificates_table(*, year: int | None = None, k: int = DEFAULT_K) -> Table:
    """Valid certificates by city × skill level (证书按地区、等级), suppressed."""
    counts: dict[tuple[str, str], int] = {}
    cities: dict[str, str] = {}
    for region, level, n in valid_certificate_counts(year=year):
        city = cities.setdefault(region, _city_of(region))
        counts[(city, level)] = counts.get((city, level), 0) + n
    levels = [(lv.code, lv.label) for lv in SkillLevel.objects.order_by("rank")]
    used_levels = [(c, lbl) for c, lbl in levels if any(key[1] == c for key in counts)]
    if any(key[1] == "" for key in counts):
        used_levels.append(("", _("未定级")))
    names = dict(Region.objects.filter(code__in={c for c, _l in counts}).values_list("code", "name"))
    row_codes = sorted({c for c, _l in counts})
    grid = [[counts.get((r, c), 0) for c, _lbl in used_levels] for r in row_codes]
    title = _("有效证书（按地市、等级）") if year is None else _("%(y)s 年发证（按地市、等级）") % {"y": year}
    return suppressed_table(
        title, _("地区"), [names.get(r, r) for r in row_codes], [str(lbl) for _c, lbl in used_levels], grid, k
    )


# The groups a public table shows, in this order; a person-time counts once, under the first of these its
# enrollment recorded (企业职工 before 农民工 …), else under 其他 — so a row's cells add up to its total. The groups the
# law protects more (服刑、戒毒、社区矫正 …) are never columns: they fall under 其他.
TRAINED_GROUPS = (
    Group.ENTERPRISE_EMPLOYEE, Group.MIGRANT_WORKER, Group.COLLEGE_GRADUATE, Group.POVERTY_ALLEVIATED,
    Group.UNEMPLOYED, Group.VETERAN, Group.RURAL_LABOR,
)  # fmt: skip
TRAINED_YEARS = 5
"""The public table covers the last five calendar years with completions."""


def _principal_group(groups: Any) -> str:
    held = set(groups) if isinstance(groups, list) else set()
    return next((g.value for g in TRAINED_GROUPS if g.value in held), "")


def trained_counts() -> dict[int, dict[tuple[str, str], int]]:
    """Completed, passed training person-times by year → (city, principal group) → count."""
    from django.db.models import Count

    out: dict[int, dict[tuple[str, str], int]] = {}
    cities: dict[str, str] = {}
    rows = (
        completed_enrollments_queryset()
        .order_by()
        .values("region_id", "completed_on__year", "groups")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        year = r["completed_on__year"]
        if year is None:
            continue
        city = cities.setdefault(r["region_id"], _city_of(r["region_id"]))
        key = (city, _principal_group(r["groups"]))
        table = out.setdefault(year, {})
        table[key] = table.get(key, 0) + r["n"]
    return out


def trained_tables(*, k: int = DEFAULT_K, years: int = TRAINED_YEARS) -> list[Table]:
    """参训结业人次 by city × group, one suppressed table per year (newest first)."""
    counts = trained_counts()
    columns = [(g.value, g.label) for g in TRAINED_GROUPS] + [("", _("其他"))]
    tables = []
    for year in sorted(counts, reverse=True)[:years]:
        table = counts[year]
        row_codes = sorted({c for c, _g in table})
        names = dict(Region.objects.filter(code__in=row_codes).values_list("code", "name"))
        grid = [[table.get((r, g), 0) for g, _l in columns] for r in row_codes]
        tables.append(suppressed_table(
            _("%(y)s 年培训合格人次（按地市、人员类别）") % {"y": year}, _("地区"), [names.get(r, r) for r in row_codes],
            [str(label) for _g, label in columns], grid, k, year=year,
        ))  # fmt: skip
    return tables
