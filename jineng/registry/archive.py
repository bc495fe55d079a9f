"""终身职业技能培训电子档案 — the lifelong archive: a timeline assembled from every module that registers a source.

Later modules (training, certificates, subsidies, credits, competitions) add entries without editing the registry:

    from jineng.registry.api import ArchiveEntry, register_archive_source

    def enrollments(person_ids):
        for e in Enrollment.objects.filter(person_id__in=person_ids):
            yield ArchiveEntry(on=e.enrolled_on, kind="training", title="参加培训", detail=e.class_name, ...)

    register_archive_source("training", enrollments)

A source receives the ids of the person and of every record merged into it, so a merged history stays whole.
Entries carry no unmasked personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from jineng.registry.models import EmploymentRecord, GroupMembership, IdentityDocument, MergeRecord, Person


@dataclass(frozen=True)
class ArchiveEntry:
    on: dt.date
    kind: str  # the module's kind: registry, training, certificate, subsidy, credit, competition …
    title: str
    detail: str = ""
    region_code: str = ""
    source: str = ""
    ref: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        return data


# What the archive (page and PDF) prints for an entry's kind; a kind not listed prints as "其他", never as its code.
ARCHIVE_KIND_LABELS = {
    "registry": "实名登记",
    "employment": "就业",
    "training": "培训",
    "apprenticeship": "学徒",
    "evaluation": "评价",
    "certificate": "证书",
    "subsidy": "补贴",
    "voucher": "培训券",
    "credit": "学分",
    "competition": "竞赛",
}


def archive_kind_label(kind: str) -> str:
    return ARCHIVE_KIND_LABELS.get(kind, "其他")


ArchiveSource = Callable[[list[Any]], Iterable[ArchiveEntry]]
_SOURCES: dict[str, ArchiveSource] = {}


def register_archive_source(kind: str, source: ArchiveSource) -> None:
    _SOURCES[kind] = source


def archive_sources() -> list[str]:
    return sorted(_SOURCES)


def lineage(person: Person) -> list[Any]:
    """The person and every record merged into it (transitively)."""
    ids = [person.pk]
    frontier = [person.pk]
    while frontier:
        frontier = list(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def archive_entries(person: Person) -> list[ArchiveEntry]:
    ids = lineage(person)
    entries: list[ArchiveEntry] = []
    for kind in sorted(_SOURCES):
        entries.extend(_SOURCES[kind](ids))
    return sorted(entries, key=lambda e: (e.on, e.kind, e.title), reverse=True)


def _local_date(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


def _registry_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    for person in Person.objects.filter(pk__in=person_ids).select_related("residence_region"):
        yield ArchiveEntry(
            on=_local_date(person.created_at),
            kind="registry",
            title="登记入库",
            detail=f"{person.get_source_display()}；居住地：{person.residence_region.name if person.residence_region else '—'}",
            region_code=person.residence_region_id or "",
            source="registry",
            ref=str(person.pk),
        )
    for doc in IdentityDocument.objects.filter(person_id__in=person_ids):
        yield ArchiveEntry(
            on=_local_date(doc.created_at),
            kind="registry",
            title="登记证件",
            detail=f"{doc.get_doc_type_display()} {doc.number_masked}（{doc.get_verification_display()}）",
            source="registry",
            ref=str(doc.pk),
        )
    for m in GroupMembership.objects.filter(person_id__in=person_ids):
        detail = f"{m.valid_from:%Y-%m-%d} 至 {m.valid_to:%Y-%m-%d}" if m.valid_to else f"自 {m.valid_from:%Y-%m-%d}"
        if m.graduation_year:
            detail += f"；毕业年度 {m.graduation_year}"
        yield ArchiveEntry(
            on=m.valid_from,
            kind="registry",
            title=f"人员类别：{m.get_group_display()}",
            detail=detail + (f"；来源：{m.source}" if m.source else ""),
            source="registry",
            ref=str(m.pk),
        )
    for e in EmploymentRecord.objects.filter(person_id__in=person_ids):
        yield ArchiveEntry(
            on=e.started_on,
            kind="employment",
            title=f"就业状态：{e.get_status_display()}",
            detail=e.employer_name,
            source="registry",
            ref=str(e.pk),
        )
    for r in MergeRecord.objects.filter(survivor_id__in=person_ids):
        yield ArchiveEntry(
            on=_local_date(r.at),
            kind="registry",
            title="合并重复记录",
            detail=r.reason,
            source="registry",
            ref=str(r.merged_id),
        )


register_archive_source("registry", _registry_source)
