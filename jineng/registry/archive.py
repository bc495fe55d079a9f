"""终身职业技能培训电子档案 — the lifelong archive: a timeline assembled from every module that registers a source.

Later modules (training, certificates, subsidies, credits, competitions) add entries without editing the registry:

    from jineng.registry.api import ArchiveEntry, register_archive_source

    def enrollments(person_ids):
        for e in Enrollment.objects.filter(person_id__in=person_ids):
            yield ArchiveEntry(on=e.enrolled_on, kind="training", title="参加培训", detail=e.class_name, ...)

    register_archive_source("training", enrollments)

A source receives the ids of the person and of every record merged into it, so a merged history stays whole.
Entries carry no unmasked personal data.

Sources run each time the archive is read (page, JSON, PDF), so their words are put in the reader's language then:
a title or detail is a ``gettext`` string, or a ``phrase`` — a translated template with its values — whose data
values (a class's, an organization's, a place's name, text a user typed) are wrapped in ``data_name()``. A phrase reads as
plain text in the JSON and the PDF; on a page each name sits in ``<span translate="no">`` (a name is data, not the
page's words, and is never machine-translated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jineng.registry.models import EmploymentRecord, GroupMembership, IdentityDocument, MergeRecord, Person


class Name(str):
    """A data value inside an archive phrase: a person's, organization's, place's or class's name, or text a user
    typed — shown as written in every language."""


def data_name(value: Any) -> Name:
    return Name("" if value is None else value)


class Phrase(str):
    """A translated template (``str.format`` placeholders) filled with its values: as a string, the plain text (JSON,
    PDF, tests); ``__html__`` (what a page renders) escapes it and puts every ``Name`` in ``<span translate="no">``."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any]) -> Phrase:
        text = super().__new__(cls, str(template).format(**params))
        text.template, text.params = str(template), params
        return text

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle (asdict deep-copies the fields)
        return (Phrase, (self.template, self.params))

    def __html__(self) -> SafeString:
        values = {
            k: format_html('<span translate="no">{}</span>', v) if isinstance(v, Name) and v else conditional_escape(v)
            for k, v in self.params.items()
        }
        return mark_safe(str(conditional_escape(self.template)).format(**values))  # noqa: S308 - every part escaped


def phrase(template: str, **params: Any) -> Phrase:
    return Phrase(template, params)


@dataclass(frozen=True)
class ArchiveEntry:
    on: dt.date
    kind: str  # the module's kind: registry, training, certificate, subsidy, credit, competition …
    title: str  # a gettext string or a phrase
    detail: str = ""
    region_code: str = ""
    source: str = ""
    ref: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        data["title"], data["detail"] = str(self.title), str(self.detail)  # plain text, not the phrase
        return data


# What the archive (page and PDF) prints for an entry's kind; a kind not listed prints as "其他", never as its code.
ARCHIVE_KIND_LABELS = {
    "registry": gettext_lazy("实名登记"),
    "employment": gettext_lazy("就业"),
    "training": gettext_lazy("培训"),
    "apprenticeship": gettext_lazy("学徒"),
    "evaluation": gettext_lazy("评价"),
    "certificate": gettext_lazy("证书"),
    "subsidy": gettext_lazy("补贴"),
    "voucher": gettext_lazy("培训券"),
    "credit": gettext_lazy("学分"),
    "competition": gettext_lazy("竞赛"),
}


def archive_kind_label(kind: str) -> str:
    return str(ARCHIVE_KIND_LABELS.get(kind, gettext_lazy("其他")))


# The document types' names (jineng.rules.idcard.DOC_TYPE_LABELS: the rules core has no gettext), for the catalogue:
# shown through gettext wherever a document is named.
DOC_TYPE_WORDS = (gettext_noop("居民身份证"), gettext_noop("居民身份证（15位旧号码）"), gettext_noop("港澳台居民居住证"),
                  gettext_noop("外国人永久居留身份证"), gettext_noop("护照"), gettext_noop("台湾居民来往大陆通行证"),
                  gettext_noop("港澳居民来往内地通行证"))  # fmt: skip


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
            title=_("登记入库"),
            detail=phrase(
                _("{source}；居住地：{region}"),
                source=person.get_source_display(),
                region=data_name(person.residence_region.name) if person.residence_region else "—",
            ),
            region_code=person.residence_region_id or "",
            source="registry",
            ref=str(person.pk),
        )
    for doc in IdentityDocument.objects.filter(person_id__in=person_ids):
        yield ArchiveEntry(
            on=_local_date(doc.created_at),
            kind="registry",
            title=_("登记证件"),
            detail=phrase(
                _("{doc_type} {number}（{verification}）"),
                doc_type=_(doc.get_doc_type_display()),
                number=doc.number_masked,
                verification=doc.get_verification_display(),
            ),
            source="registry",
            ref=str(doc.pk),
        )
    for m in GroupMembership.objects.filter(person_id__in=person_ids):
        parts = [_("{start} 至 {end}") if m.valid_to else _("自 {start}")]
        params: dict[str, Any] = {
            "start": m.valid_from.isoformat(),
            "end": m.valid_to.isoformat() if m.valid_to else "",
        }
        if m.graduation_year:
            parts.append(_("毕业年度 {year}"))
            params["year"] = m.graduation_year
        if m.source:
            parts.append(_("来源：{source}"))
            params["source"] = data_name(m.source)
        yield ArchiveEntry(
            on=m.valid_from,
            kind="registry",
            title=phrase(_("人员类别：{group}"), group=m.get_group_display()),
            detail=phrase(_("；").join(parts), **params),
            source="registry",
            ref=str(m.pk),
        )
    for e in EmploymentRecord.objects.filter(person_id__in=person_ids):
        yield ArchiveEntry(
            on=e.started_on,
            kind="employment",
            title=phrase(_("就业状态：{status}"), status=e.get_status_display()),
            detail=phrase("{employer}", employer=data_name(e.employer_name)),
            source="registry",
            ref=str(e.pk),
        )
    for r in MergeRecord.objects.filter(survivor_id__in=person_ids):
        yield ArchiveEntry(
            on=_local_date(r.at),
            kind="registry",
            title=_("合并重复记录"),
            detail=phrase("{reason}", reason=data_name(r.reason)),
            source="registry",
            ref=str(r.merged_id),
        )


register_archive_source("registry", _registry_source)
