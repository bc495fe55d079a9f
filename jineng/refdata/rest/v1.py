"""Public reference-data API (信息公开): no login needed. Regions, occupations, skill levels, certificate kinds,
industry tags, and the plans with every target normalized to base units."""

# No ``from __future__ import annotations`` here: ninja builds its query-parameter models from the live annotations.
import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from jineng.common.rest.pagination import PageNumber
from jineng.refdata.models import (
    CURRENT_OCCUPATION_EDITION,
    CertificateKind,
    Occupation,
    OccupationLevel,
    Plan,
    PlanTarget,
    Region,
    SkillLevel,
    TagTaxonomy,
)
from jineng.refdata.occupations import occupation_ancestors, occupation_get, occupation_search
from jineng.refdata.plans import plan_get, plan_list, plan_targets
from jineng.refdata.regions import region_get

public_router = Router(auth=None, tags=["public 公开"])


# ---- regions ---------------------------------------------------------------------------------------------------


class RegionRef(Schema):
    code: str
    name: str
    level: str


class FormerName(Schema):
    name: str
    start_year: int | None
    end_year: int | None


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: RegionRef | None
    valid_from: int | None
    valid_to: int | None
    successors: list[RegionRef]
    former_names: list[FormerName]
    children: list[RegionRef]


def _ref(region: Region) -> dict[str, str]:
    return {"code": region.code, "name": region.name, "level": region.level}


@public_router.get("/regions/{code}", response=RegionOut, summary="行政区划 A region with its children")
def region_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """A six-digit GB/T 2260 code, current or retired. ``children`` lists the current codes under it only; a
    retired code carries ``valid_to`` (its last year) and, where derivable, its current ``successors``."""
    region = region_get(code)
    parent = region.parent
    children = Region.objects.current().filter(parent=region).order_by("code")
    successors = Region.objects.filter(code__in=region.successors).order_by("code")
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": _ref(parent) if parent else None,
        "valid_from": region.valid_from,
        "valid_to": region.valid_to,
        "successors": [_ref(s) for s in successors],
        "former_names": [
            {"name": e["name"], "start_year": e.get("from"), "end_year": e.get("to")} for e in region.former_names
        ],
        "children": [_ref(c) for c in children],
    }


@public_router.get("/regions", response=list[RegionRef], summary="行政区划检索 Current regions by code or name")
@paginate(PageNumber)
def region_search(request: HttpRequest, q: str = "") -> Any:
    """Current codes whose code starts with ``q`` or whose name contains it."""
    qs = Region.objects.current().exclude(code="000000")
    q = q.strip()
    if q:
        qs = qs.filter(code__startswith=q) if q.isdigit() else qs.filter(name__contains=q)
    return qs.order_by("code").values("code", "name", "level")


# ---- occupations -----------------------------------------------------------------------------------------------


class OccupationOut(Schema):
    edition: str
    code: str
    name: str
    level: str
    level_label: str
    parent_code: str | None
    is_digital: bool
    is_green: bool
    marks: str

    @staticmethod
    def resolve_level_label(obj: Occupation) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_parent_code(obj: Occupation) -> str | None:
        return obj.code.rsplit("-", 1)[0] if "-" in obj.code else None


class SubtypeOut(Schema):
    name: str
    code: str
    lowest_level: str | None
    highest_level: str | None
    source: str


class OccupationDetailOut(OccupationOut):
    definition: str
    ancestors: list[OccupationOut]
    children: list[OccupationOut]
    subtypes: list[SubtypeOut]

    @staticmethod
    def resolve_ancestors(obj: Occupation) -> list[Occupation]:
        return occupation_ancestors(obj)

    @staticmethod
    def resolve_children(obj: Occupation) -> list[Occupation]:
        return list(obj.children.order_by("code"))

    @staticmethod
    def resolve_subtypes(obj: Occupation) -> list[dict[str, Any]]:
        return [
            {
                "name": s.name,
                "code": s.code,
                "lowest_level": s.lowest_level.label if s.lowest_level else None,
                "highest_level": s.highest_level.label if s.highest_level else None,
                "source": s.source,
            }
            for s in obj.subtypes.select_related("lowest_level", "highest_level")
        ]


@public_router.get("/occupations", response=list[OccupationOut], summary="职业分类检索 Occupations by code or name")
@paginate(PageNumber)
def occupation_list(
    request: HttpRequest,
    q: str = "",
    level: OccupationLevel | None = None,
    digital: bool | None = None,
    green: bool | None = None,
    edition: str = CURRENT_OCCUPATION_EDITION,
) -> Any:
    """``q`` is a code prefix (``4-04`` → the medium group and all below it) or part of a Chinese name (or of a 工种's
    name); ``digital``/``green`` keep the S/L-marked codes; ``level`` is major, medium, minor or occupation."""
    return occupation_search(q, edition=edition, level=level.value if level else None, digital=digital, green=green)


@public_router.get("/occupations/{code}", response=OccupationDetailOut, summary="职业 One code of the classification")
def occupation_detail(request: HttpRequest, code: str, edition: str = CURRENT_OCCUPATION_EDITION) -> Any:
    """One code with its 大类…小类 ancestors, its children, its definition and its 工种."""
    return occupation_get(code, edition)


# ---- levels, certificate kinds, industries ---------------------------------------------------------------------


class SkillLevelOut(Schema):
    code: str
    rank: int
    name: str
    national_grade: str
    grade_no: int | None
    label: str
    is_high_skill: bool
    how_awarded: str
    policy: str
    source_url: str


@public_router.get("/skill-levels", response=list[SkillLevelOut], summary="技能等级 The eight-level ladder")
@paginate(PageNumber)
def skill_level_list(request: HttpRequest) -> Any:
    return SkillLevel.objects.order_by("rank")


class CertificateKindOut(Schema):
    code: str
    name: str
    has_level: bool
    issued_by: str
    description: str
    source: str


@public_router.get("/certificate-kinds", response=list[CertificateKindOut], summary="证书类别 Certificate kinds")
@paginate(PageNumber)
def certificate_kind_list(request: HttpRequest) -> Any:
    return CertificateKind.objects.order_by("rank")


class TagOut(Schema):
    code: str
    name: str
    group: str


class TaxonomyOut(Schema):
    code: str
    name: str
    region: RegionRef
    source: str
    tags: list[TagOut]


@public_router.get("/industries", response=list[TaxonomyOut], summary="产业标签 Industry taxonomies with their tags")
@paginate(PageNumber)
def industry_list(request: HttpRequest) -> Any:
    return [
        {
            "code": t.code,
            "name": t.name,
            "region": _ref(t.region),
            "source": t.source,
            "tags": [{"code": tag.code, "name": tag.name, "group": tag.group} for tag in t.tags.all()],
        }
        for t in TagTaxonomy.objects.select_related("region").prefetch_related("tags")
    ]


# ---- plans and targets -----------------------------------------------------------------------------------------


class PlanOut(Schema):
    code: str
    name: str
    issuer: str
    document_number: str
    issued_on: dt.date | None
    region: RegionRef
    period_start: int
    period_end: int
    target_count: int
    note: str


def _plan(plan: Plan, target_count: int) -> dict[str, Any]:
    return {
        **{f: getattr(plan, f) for f in ("code", "name", "issuer", "document_number", "issued_on", "note")},
        "region": _ref(plan.region),
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "target_count": target_count,
    }


@public_router.get("/plans", response=list[PlanOut], summary="规划 Plans with targets")
@paginate(PageNumber)
def plan_list_view(request: HttpRequest) -> Any:
    return [_plan(p, p.n_targets) for p in plan_list().annotate(n_targets=Count("targets"))]


@public_router.get("/plans/{plan_code}", response=PlanOut, summary="规划 One plan")
def plan_detail(request: HttpRequest, plan_code: str) -> Any:
    plan = plan_get(plan_code)
    return _plan(plan, plan.targets.count())


class TargetOut(Schema):
    plan: str
    indicator: str
    seq: int
    name: str
    parent: str | None
    region: RegionRef
    applies_to_each: str
    period_start: int
    period_end: int
    raw_value: str
    value: int
    value_max: int | None
    unit: str
    unit_label: str
    kind: str
    kind_label: str
    comparator: str
    comparator_symbol: str
    attribute: str
    attribute_label: str
    baseline: int | None
    baseline_raw: str
    baseline_period: str
    opening_stock: int | None
    opening_stock_year: int | None
    opening_stock_source: str
    source: str
    source_section: str
    seed_lines: str
    note: str


def target_out(t: PlanTarget) -> dict[str, Any]:
    plain = (
        "indicator name applies_to_each period_start period_end raw_value value value_max unit kind comparator "
        "attribute baseline baseline_raw baseline_period opening_stock opening_stock_year opening_stock_source "
        "source source_section seed_lines note seq"
    ).split()
    return {
        **{f: getattr(t, f) for f in plain},
        "plan": t.plan_id,
        "parent": t.parent.indicator if t.parent else None,
        "region": _ref(t.region),
        "unit_label": str(t.get_unit_display()),
        "kind_label": str(t.get_kind_display()),
        "comparator_symbol": str(t.get_comparator_display()),
        "attribute_label": str(t.get_attribute_display()),
    }


@public_router.get(
    "/plans/{plan_code}/targets", response=list[TargetOut], summary="规划指标 A plan's targets, in base units"
)
@paginate(PageNumber)
def plan_target_list(request: HttpRequest, plan_code: str, indicator: str = "") -> Any:
    """Every target of the plan in document order. ``value`` is an integer in base units (700万人次 → 7000000);
    ``kind`` is flow (期间累计), stock (期末总量), annual (每年) or annual_average (年均)."""
    qs = plan_targets(plan_code)
    if indicator:
        qs = qs.filter(Q(indicator=indicator) | Q(parent__indicator=indicator))
    return [target_out(t) for t in qs]
