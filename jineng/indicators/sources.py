"""The ONE place where indicators touch other apps' records (数据来源适配).

Each function returns a ``FactSet`` — a queryset of the records a definition counts and the names of the fields that
hold the attributed region, the date or year that dates it, the year it stops counting (stocks) and the person — or
raises ``SourceMissing`` with the reason an indicator then shows as "no data" (never 0).

Every source is reached through its app's ``api.py`` (training, certificates, subsidies, providers, registry), with
the app's own enums for the values counted — never a model looked up by name or a value copied as a string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from jineng.certificates import api as certificates_api
from jineng.common.masking import mask_name
from jineng.competitions import api as competitions_api
from jineng.providers.api import (
    GOLDEN_BLUE_COLLAR,
    StandardKind,
    StandardStatus,
    StandardWork,
    TrainingBase,
    TrainingBrand,
)
from jineng.registry.api import Group
from jineng.subsidies import api as subsidies_api
from jineng.training import api as training_api


class SourceMissing(Exception):
    """The records an indicator counts are not on the platform (yet): the indicator answers "no data"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FactSet:
    """The records one definition counts. Field names are ORM paths on ``queryset``'s model.

    A record dated by ``date`` (a DateField) or ``year`` (an integer field) counts in that year (a flow) or from that
    year on (a stock); a stock's record stops counting from ``end_year`` on (an integer field, null = never).
    """

    queryset: QuerySet[Any]
    region: str
    date: str | None = None
    year: str | None = None
    end_year: str | None = None
    person: str | None = None
    source: str = ""
    present: Callable[[Any], dict[str, Any]] | None = None


@dataclass(frozen=True)
class SourceSpec:
    """How the freshness scan finds changed records of one source: which model, which field holds the attributed
    region, which dates the record (date or year) and which is bumped on every change."""

    key: str
    label: str
    model: Callable[[], type[Model]]
    region: str
    date: str | None = None
    year: str | None = None
    updated: str = "updated_at"
    # Other timestamps set when the record changes in a way that matters, for writers that do not bump
    # ``updated`` (training's completion writes enrollments with bulk_update, which leaves auto_now alone).
    also: tuple[str, ...] = ()
    # A source without a plain model to scan offers its own: changed (region, year) cells since a moment.
    scan: Callable[[dt.datetime], set[tuple[str, int]]] | None = None


MIGRANT_WORKER = Group.MIGRANT_WORKER
# 农民工 as the plans count them: the national plan's 农村转移劳动力等职业技能提升计划 and Jilin's 农民工职业技能提升培训
# ("面向农村转移就业劳动者、返乡农民工…") take 农村转移劳动力 as migrant workers (docs/indicators.md).
MIGRANT_WORKER_GROUPS = (Group.MIGRANT_WORKER, Group.RURAL_LABOR)
CERTIFICATE_KINDS_WITH_LEVEL = ("qualification", "skill_level")  # 职业资格证书、职业技能等级证书 (refdata kinds)
CLUSTER_TAXONOMY = "guangdong-clusters"  # 广东省20个战略性产业集群 (refdata industries)


# ---- training (培训过程) -------------------------------------------------------------------------------------------


def _enrollment_present(e: Any) -> dict[str, Any]:
    return {
        "id": str(e.pk),
        "kind": "enrollment",
        "kind_label": "结业学员",
        "region": e.region_id,
        "date": e.completed_on.isoformat() if e.completed_on else None,
        "label": f"{mask_name(e.person_name)}（{e.id_number_masked}）",  # masked as on every list
        "detail": getattr(e.training_class, "code", ""),
    }


def completed_enrollments() -> FactSet:
    """花名册中已结业的学员 — enrollments finished, dated by completion, attributed to the class venue's county."""
    qs = training_api.Enrollment.objects.filter(
        status=training_api.EnrollmentStatus.FINISHED, completed_on__isnull=False
    ).select_related("training_class")
    return FactSet(
        qs, region="region_id", date="completed_on", person="person_id", source="enrollment",
        present=_enrollment_present,
    )  # fmt: skip


def cluster_completed_enrollments() -> FactSet:
    """Finished enrollments in classes whose program is tagged with one of Guangdong's 20 industry clusters."""
    facts = completed_enrollments()
    qs = facts.queryset.filter(training_class__program__industry_tags__taxonomy_id=CLUSTER_TAXONOMY).distinct()
    return FactSet(qs, region=facts.region, date=facts.date, person=facts.person, source=facts.source,
                   present=facts.present)  # fmt: skip


def brand_completed_enrollments(brand_code: str = GOLDEN_BLUE_COLLAR) -> FactSet:
    """Finished enrollments in classes whose program carries the brand ``brand_code`` (金蓝领 by default) of any
    region's catalogue (``Program.brands``)."""
    facts = completed_enrollments()
    qs = facts.queryset.filter(training_class__program__brands__code=brand_code).distinct()
    return FactSet(qs, region=facts.region, date=facts.date, person=facts.person, source=facts.source,
                   present=facts.present)  # fmt: skip


def entrepreneurship_enrollments() -> FactSet:
    """Finished enrollments in 创业培训 classes (training kind ``entrepreneurship``)."""
    facts = completed_enrollments()
    qs = facts.queryset.filter(training_class__training_kind="entrepreneurship")
    return FactSet(qs, region=facts.region, date=facts.date, person=facts.person, source=facts.source,
                   present=facts.present)  # fmt: skip


def _apprentice_present(a: Any) -> dict[str, Any]:
    return {
        "id": str(a.pk),
        "kind": "apprentice",
        "kind_label": "企业新型学徒",
        "region": a.region_id,
        "date": a.joined_on.isoformat() if a.joined_on else None,
        "label": getattr(a.apprenticeship, "code", ""),
        "detail": a.get_status_display() if hasattr(a, "get_status_display") else "",
    }


def apprentices_started() -> FactSet:
    """企业新型学徒 — apprentices, dated by the day they joined, attributed to the enterprise's region."""
    qs = training_api.Apprentice.objects.select_related("apprenticeship")
    return FactSet(qs, region="region_id", date="joined_on", person="person_id", source="apprentice",
                   present=_apprentice_present)  # fmt: skip


# ---- subsidies (补贴) ----------------------------------------------------------------------------------------------


def _claim_present(c: Any) -> dict[str, Any]:
    return {
        "id": str(c.pk),
        "kind": "claim",
        "kind_label": c.get_subsidy_type_display(),
        "region": c.region_id,
        "date": c.event_date.isoformat() if c.event_date else None,
        "label": f"{mask_name(c.person_name)}（{c.id_number_masked}）",
        "detail": f"{c.number} {c.event_label}".strip(),
    }


def subsidized_training(*, groups: tuple[str, ...] = ()) -> FactSet:
    """补贴性职业技能培训 — one person-time per counted claim (``subsidies.api.subsidized_training_claims()``): a
    training-kind claim of a finished enrollment, a 以工代训 claim, an 企业新型学徒制 claim, a redeemed voucher's
    claim; approved (incl. paid), not clawed back; at the claim's region, dated by its event.

    ``groups``: only persons in one of these groups — at enrollment (the snapshot ``Enrollment.groups``) for an
    enrollment's claim, on the event's day (the claim's recorded facts) for the others."""
    qs = subsidies_api.subsidized_training_claims().select_related("enrollment")
    if groups:
        qs = qs.filter(_claim_groups_filter(groups))
    return FactSet(qs, region="region_id", date="event_date", person="person_id", source="claim",
                   present=_claim_present)  # fmt: skip


def _claim_groups_filter(groups: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for group in groups:
        # The person's groups as the claim recorded them (``inputs.facts.person.groups``, a JSON list of codes).
        q |= Q(enrollment__isnull=True, inputs__facts__person__groups__icontains=f'"{group}"')
        if _json_contains_supported():
            q |= Q(enrollment__isnull=False, enrollment__groups__contains=[group])
        else:
            # SQLite has no JSON containment: the snapshot is a JSON list of codes, so match the quoted code.
            q |= Q(enrollment__isnull=False, enrollment__groups__icontains=f'"{group}"')
    return q


def subsidized_apprentices() -> FactSet:
    """企业新型学徒 whose 企业新型学徒制培训补贴 is approved and not clawed back (``subsidies.api.
    approved_apprentice_ids()``), dated by joining, at the enterprise's region."""
    facts = apprentices_started()
    qs = facts.queryset.filter(pk__in=subsidies_api.approved_apprentice_ids())
    return FactSet(qs, region=facts.region, date=facts.date, person=facts.person, source="claim",
                   present=facts.present)  # fmt: skip


def _json_contains_supported() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


# ---- certificates (证书) -------------------------------------------------------------------------------------------


def _certificate_present(c: Any) -> dict[str, Any]:
    return {
        "id": str(c.pk),
        "kind": "certificate",
        "kind_label": "证书",
        "region": c.region_id,
        "date": c.issued_on.isoformat() if c.issued_on else None,
        "label": f"{c.number} {mask_name(c.holder_name)}",
        "detail": f"{c.occupation_name} {c.level.name if c.level_id else ''}".strip(),
    }


def certificates_issued(*, high_skill: bool = False) -> FactSet:
    """职业资格证书、职业技能等级证书 issued and not revoked, dated by the issue date, attributed to the exam
    venue's region; ``high_skill``: at 高级工 or above (``SkillLevel.is_high_skill``)."""
    qs = certificates_api.Certificate.objects.filter(
        status=certificates_api.CertificateStatus.VALID, kind_id__in=CERTIFICATE_KINDS_WITH_LEVEL
    ).select_related("level")
    if high_skill:
        qs = qs.filter(level__is_high_skill=True)
    return FactSet(qs, region="region_id", date="issued_on", person="person_id", source="certificate",
                   present=_certificate_present)  # fmt: skip


# ---- providers (基地与工作室) ---------------------------------------------------------------------------------------


def _base_present(b: Any) -> dict[str, Any]:
    return {
        "id": str(b.pk),
        "kind": "base",
        "kind_label": b.get_kind_display(),
        "region": b.region_id,
        "date": str(b.approval_year),
        "label": b.name,
        "detail": f"{b.get_level_display()}{'，' + str(b.revoked_year) + '年撤销' if b.revoked_year else ''}",
    }


def bases(*, kinds: tuple[str, ...], level: str = "") -> FactSet:
    """基地与工作室 of ``kinds`` (at ``level``, any level when empty), counted from their approval year until the
    year they were revoked, attributed to their registered region."""
    qs = TrainingBase.objects.filter(kind__in=kinds)
    if level:
        qs = qs.filter(level=level)
    return FactSet(qs, region="region_id", year="approval_year", end_year="revoked_year", source="base",
                   present=_base_present)  # fmt: skip


def _brand_present(b: Any) -> dict[str, Any]:
    return {
        "id": str(b.pk),
        "kind": "brand",
        "kind_label": "培训品牌",
        "region": b.region_id,
        "date": str(b.recognized_year),
        "label": b.name,
        "detail": b.recognition,
    }


def brands_recognized() -> FactSet:
    """培训品牌 recognized (认定), dated by the recognition year, attributed to the brand's region (the province, or
    the city of a 一市一品牌)."""
    qs = TrainingBrand.objects.filter(recognized_year__isnull=False)
    return FactSet(qs, region="region_id", year="recognized_year", source="brand", present=_brand_present)


def _standard_present(w: Any) -> dict[str, Any]:
    return {
        "id": str(w.pk),
        "kind": "standard",
        "kind_label": w.get_kind_display(),
        "region": w.region_id,
        "date": str(w.year),
        "label": w.title,
        "detail": f"{w.developer} {w.document_number}".strip(),
    }


def standards_published(*, kinds: tuple[str, ...]) -> FactSet:
    """职业标准、教材、数字资源 of ``kinds`` published (已颁布; a withdrawn one is not counted), dated by the year of
    publication, attributed to the issuing authority's region (全国 for national standards)."""
    qs = StandardWork.objects.filter(kind__in=kinds, status=StandardStatus.PUBLISHED, year__isnull=False)
    return FactSet(qs, region="region_id", year="year", source="standard", present=_standard_present)


OCCUPATIONAL_STANDARDS = (StandardKind.OCCUPATIONAL_STANDARD.value,)
TEXTBOOKS_AND_RESOURCES = (StandardKind.TEXTBOOK.value, StandardKind.DIGITAL_RESOURCE.value)


def _competition_present(e: Any) -> dict[str, Any]:
    return {
        "id": str(e.pk),
        "kind": "competition",
        "kind_label": f"{e.get_level_display()}{e.get_event_class_display()}职业技能竞赛",
        "region": e.region_id,
        "date": e.starts_on.isoformat(),
        "label": e.name,
        "detail": f"{e.code}；{e.approving_department} {e.document_number}".strip(),
    }


def key_competitions() -> FactSet:
    """省级重点赛事: approved province-level events of class 一类 or 二类, dated by their first day, attributed to the
    event's region."""
    qs = competitions_api.Event.objects.filter(
        level=competitions_api.EventLevel.PROVINCE,
        event_class__in=competitions_api.KEY_EVENT_CLASSES,
        status=competitions_api.EventStatus.APPROVED,
    )
    return FactSet(qs, region="region_id", date="starts_on", source="competition", present=_competition_present)


# ---- the freshness scan ------------------------------------------------------------------------------------------


SOURCES: dict[str, SourceSpec] = {
    "enrollment": SourceSpec("enrollment", "花名册", lambda: training_api.Enrollment, "region_id",
                             date="completed_on", also=("ended_at",)),
    "apprentice": SourceSpec("apprentice", "学徒", lambda: training_api.Apprentice, "region_id", date="joined_on"),
    "certificate": SourceSpec("certificate", "证书", lambda: certificates_api.Certificate, "region_id",
                              date="issued_on"),
    "base": SourceSpec("base", "基地与工作室", lambda: TrainingBase, "region_id", year="approval_year"),
    "brand": SourceSpec("brand", "培训品牌", lambda: TrainingBrand, "region_id", year="recognized_year"),
    "standard": SourceSpec("standard", "职业标准与教材", lambda: StandardWork, "region_id", year="year"),
    "competition": SourceSpec("competition", "职业技能竞赛", lambda: competitions_api.Event, "region_id",
                              date="starts_on"),
    # Subsidy claims change the subsidized figures of their (region, event year) and, for apprenticeship claims,
    # of the apprentice's (region, year joined): the subsidies app is asked for those cells.
    "claim": SourceSpec("claim", "补贴申请", lambda: TrainingBase, "", scan=subsidies_api.changed_enrollment_cells),
}  # fmt: skip


def available_sources() -> list[SourceSpec]:
    """Every source (the freshness scan looks at their changed rows)."""
    return list(SOURCES.values())


def touched_cells(spec: SourceSpec, since: dt.datetime) -> set[tuple[str, int]]:
    """(region, year) of the records of ``spec`` changed since ``since`` (records without a date are skipped)."""
    if spec.scan is not None:
        return set(spec.scan(since))
    changed = Q(**{f"{spec.updated}__gte": since})
    for name in spec.also:
        changed |= Q(**{f"{name}__gte": since})
    model: Any = spec.model()
    qs = model.objects.filter(changed)
    cells: set[tuple[str, int]] = set()
    if spec.year:
        for region, year in qs.values_list(spec.region, spec.year).distinct():
            if year is not None:
                cells.add((region, int(year)))
    elif spec.date:
        for region, day in qs.values_list(spec.region, spec.date).distinct():
            if day is not None:
                cells.add((region, day.year))
    return cells
