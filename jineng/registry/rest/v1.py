"""Registry API: persons (create, read, list, search by exact number through POST), reveal, archive, merge.

Every response is masked; the only unmasked value the API ever returns is the body of ``POST …/reveal``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from jineng.accounts.api import get_visible, require
from jineng.common.audit.services import audit_event
from jineng.common.listing import sort_queryset
from jineng.common.rest.pagination import PageNumber
from jineng.common.rest.schemas import InputSchema
from jineng.common.rest.types import Year
from jineng.registry.archive import archive_entries
from jineng.registry.events import Event
from jineng.registry.lists import PERSONS
from jineng.registry.models import Person
from jineng.registry.selectors import person_dict, person_filter, person_search_by_number, persons_visible
from jineng.registry.services.persons import (
    MembershipInput,
    bank_account_add,
    document_add,
    document_verify,
    employment_add,
    membership_add,
    person_create,
    person_duplicates,
    person_merge,
    person_reveal,
    person_update,
)

router = Router(tags=["registry 实名制人员库"])


class PersonIn(InputSchema):
    name: str
    id_number: str
    phone: str = ""
    residence_region: str
    doc_type: str | None = None
    sex: str = ""
    birth_date: dt.date | None = None
    hukou_region: str | None = None
    hukou_type: str = ""
    education: str = ""
    groups: list[str] = []
    graduation_year: Year | None = None


class PersonOut(Schema):
    id: uuid.UUID
    name: str
    sex: str
    birth_date: dt.date | None
    doc_type: str
    id_number: str
    phone: str
    residence_region: str | None
    hukou_region: str | None
    hukou_type: str
    education: str
    status: str
    merged_into: uuid.UUID | None
    groups: list[str]
    created_at: dt.datetime


class DocumentOut(Schema):
    id: uuid.UUID
    doc_type: str
    number: str
    is_primary: bool
    verification: str


class MembershipOut(Schema):
    id: uuid.UUID
    group: str
    valid_from: dt.date
    valid_to: dt.date | None
    graduation_year: int | None
    source: str
    evidence: str


class EmploymentOut(Schema):
    status: str
    employer_name: str
    started_on: dt.date
    source: str


class BankAccountOut(Schema):
    id: uuid.UUID
    bank_name: str
    account: str


class PersonDetailOut(PersonOut):
    documents: list[DocumentOut]
    memberships: list[MembershipOut]
    employment: list[EmploymentOut]
    bank_accounts: list[BankAccountOut]


@router.post("/persons", response={201: PersonDetailOut}, summary="登记人员 Register a person")
def person_create_view(request: HttpRequest, payload: PersonIn) -> Any:
    person = person_create(
        actor=request.user,
        name=payload.name,
        id_number=payload.id_number,
        doc_type=payload.doc_type,
        phone=payload.phone,
        residence_region=payload.residence_region,
        hukou_region=payload.hukou_region,
        hukou_type=payload.hukou_type,
        education=payload.education,
        sex=payload.sex,
        birth_date=payload.birth_date,
        groups=[
            MembershipInput(group=g, graduation_year=payload.graduation_year, source="登记") for g in payload.groups
        ],
        source="api",
    )
    return 201, person_dict(person, detail=True)


@router.get("/persons", response=list[PersonOut], summary="人员列表 Persons in scope (masked)")
@paginate(PageNumber)
def person_list(
    request: HttpRequest,
    name: str | None = None,
    region: str | None = None,
    group: str | None = None,
    include_merged: bool = False,
    sort: str = "",
) -> Any:
    """``sort``: ``name``, ``sex``, ``birth_date``, ``residence`` or ``created``, ``-`` before it for descending;
    any other value gives the default order (by name). The same list as xlsx: ``/exports/registry.persons``."""
    qs = person_filter(
        persons_visible(request.user), name=name, region=region, group=group, include_merged=include_merged
    )
    return _page_source(sort_queryset(qs.prefetch_related("documents"), PERSONS, sort))


def _page_source(qs: Any) -> Any:
    """A lazily mapped queryset: the paginator slices it, then only that page is turned into dicts."""
    return _MappedQuerySet(qs if qs.ordered else qs.order_by("name", "id"))


class _MappedQuerySet:
    def __init__(self, qs: Any):
        self.qs = qs

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, slice):
            return [person_dict(p) for p in self.qs[item]]
        return person_dict(self.qs[item])

    def __iter__(self) -> Any:
        return (person_dict(p) for p in self.qs.iterator())


class SearchIn(InputSchema):
    id_number: str | None = None
    doc_type: str | None = None
    name: str | None = None
    region: str | None = None
    group: str | None = None


class SearchOut(Schema):
    count: int
    items: list[PersonOut]


@router.post("/persons/search", response=SearchOut, summary="查找人员 Search (exact number by POST body)")
def person_search(request: HttpRequest, payload: SearchIn) -> Any:
    qs = (
        person_search_by_number(request.user, payload.id_number, payload.doc_type)
        if payload.id_number
        else persons_visible(request.user)
    )
    qs = person_filter(qs, name=payload.name, region=payload.region, group=payload.group)
    items = [person_dict(p) for p in qs.prefetch_related("documents").order_by("name", "id")[:500]]
    return {"count": qs.count(), "items": items}


@router.get("/persons/{uuid:person_id}", response=PersonDetailOut, summary="人员详情 A person (masked)")
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> Any:
    return person_dict(get_visible(Person, request.user, person_id), detail=True)


class PersonPatch(InputSchema):
    phone: str | None = None
    residence_region: str | None = None
    hukou_region: str | None = None
    hukou_type: str | None = None
    education: str | None = None


@router.patch("/persons/{uuid:person_id}", response=PersonDetailOut, summary="修改人员信息 Update a person")
def person_patch(request: HttpRequest, person_id: uuid.UUID, payload: PersonPatch) -> Any:
    person = get_visible(Person, request.user, person_id, "registry.edit")
    person = person_update(actor=request.user, person=person, **payload.dict(exclude_unset=True))
    return person_dict(person, detail=True)


class RevealIn(InputSchema):
    field: str = "id_number"
    reason: str = ""
    item_id: uuid.UUID | None = None


class RevealOut(Schema):
    field: str
    value: str


@router.post("/persons/{uuid:person_id}/reveal", response=RevealOut, summary="查看完整信息 Reveal, with a reason")
def person_reveal_view(request: HttpRequest, person_id: uuid.UUID, payload: RevealIn) -> Any:
    person = get_visible(Person, request.user, person_id)
    value = person_reveal(
        actor=request.user, person=person, field=payload.field, reason=payload.reason, item_id=payload.item_id
    )
    return {"field": payload.field, "value": value}


class MembershipIn(InputSchema):
    group: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    graduation_year: Year | None = None
    source: str = ""
    evidence: str = ""


@router.post("/persons/{uuid:person_id}/groups", response={201: MembershipOut}, summary="添加人员类别")
def person_group_add(request: HttpRequest, person_id: uuid.UUID, payload: MembershipIn) -> Any:
    person = get_visible(Person, request.user, person_id, "registry.edit")
    return 201, membership_add(actor=request.user, person=person, membership=MembershipInput(**payload.dict()))


class EmploymentIn(InputSchema):
    status: str
    started_on: dt.date
    employer_name: str = ""
    employer_credit_code: str = ""
    source: str = ""


@router.post("/persons/{uuid:person_id}/employment", response={201: EmploymentOut}, summary="记录就业状态")
def person_employment_add(request: HttpRequest, person_id: uuid.UUID, payload: EmploymentIn) -> Any:
    person = get_visible(Person, request.user, person_id, "registry.edit")
    return 201, employment_add(actor=request.user, person=person, **payload.dict())


class DocumentIn(InputSchema):
    id_number: str
    doc_type: str | None = None


@router.post("/persons/{uuid:person_id}/documents", response={201: DocumentOut}, summary="添加证件 Add a document")
def person_document_add(request: HttpRequest, person_id: uuid.UUID, payload: DocumentIn) -> Any:
    person = get_visible(Person, request.user, person_id, "registry.edit")
    doc = document_add(actor=request.user, person=person, id_number=payload.id_number, doc_type=payload.doc_type)
    return 201, {"id": doc.pk, "doc_type": doc.doc_type, "number": doc.number_masked, "is_primary": doc.is_primary,
                 "verification": doc.verification}  # fmt: skip


class DocumentVerifyIn(InputSchema):
    accepted: bool
    reason: str


@router.post(
    "/persons/{uuid:person_id}/documents/{uuid:document_id}/verify", response=DocumentOut, summary="人工核验证件"
)
def person_document_verify(
    request: HttpRequest, person_id: uuid.UUID, document_id: uuid.UUID, payload: DocumentVerifyIn
) -> Any:
    person = get_visible(Person, request.user, person_id, "registry.edit")
    doc = get_object_or_404(person.documents.all(), pk=document_id)
    doc = document_verify(actor=request.user, document=doc, accepted=payload.accepted, reason=payload.reason)
    return {"id": doc.pk, "doc_type": doc.doc_type, "number": doc.number_masked, "is_primary": doc.is_primary,
            "verification": doc.verification}  # fmt: skip


class BankAccountIn(InputSchema):
    bank_name: str
    account_number: str


@router.post("/persons/{uuid:person_id}/bank-accounts", response={201: BankAccountOut}, summary="登记银行账户")
def person_bank_account_add(request: HttpRequest, person_id: uuid.UUID, payload: BankAccountIn) -> Any:
    person = get_visible(Person, request.user, person_id, "registry.edit")
    account = bank_account_add(
        actor=request.user, person=person, bank_name=payload.bank_name, account_number=payload.account_number
    )
    return 201, {"id": account.pk, "bank_name": account.bank_name, "account": account.account_masked}


class MergeIn(InputSchema):
    into: uuid.UUID
    reason: str


class MergeOut(Schema):
    survivor: uuid.UUID
    merged: uuid.UUID
    moved: dict[str, int]


class DuplicateOut(Schema):
    legacy: uuid.UUID
    legacy_name: str
    legacy_id_number: str
    twin: uuid.UUID
    twin_name: str
    twin_id_number: str


@router.get("/persons/duplicates", response=list[DuplicateOut], summary="重复人员 Legacy records and their twins")
def person_duplicates_view(request: HttpRequest, limit: Annotated[int, Field(ge=1, le=1000)] = 200) -> Any:
    """15-digit legacy records whose 18-digit twin another active person holds, both within the caller's scope
    (registry.edit); numbers masked. Merge with POST /persons/{legacy}/merge {"into": twin}."""
    require(request.user, "registry.edit")
    pairs = person_duplicates(persons_visible(request.user, "registry.edit"), limit=max(1, min(limit, 1000)))
    return [
        {"legacy": a.pk, "legacy_name": a.name, "legacy_id_number": person_dict(a)["id_number"],
         "twin": b.pk, "twin_name": b.name, "twin_id_number": person_dict(b)["id_number"]}
        for a, b in pairs
    ]  # fmt: skip


@router.post("/persons/{uuid:person_id}/merge", response=MergeOut, summary="合并重复人员 Merge into another")
def person_merge_view(request: HttpRequest, person_id: uuid.UUID, payload: MergeIn) -> Any:
    merged = get_visible(Person, request.user, person_id, "registry.edit")
    survivor = get_visible(Person, request.user, payload.into, "registry.edit")
    record = person_merge(actor=request.user, survivor=survivor, merged=merged, reason=payload.reason)
    return {"survivor": record.survivor_id, "merged": record.merged_id, "moved": record.moved}


class ArchiveEntryOut(Schema):
    on: dt.date
    kind: str
    title: str
    detail: str
    region_code: str
    source: str
    ref: str


class ArchiveOut(Schema):
    person: PersonOut
    entries: list[ArchiveEntryOut]
    generated_at: dt.datetime


def archive_payload(person: Person) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "person": person_dict(person),
        "entries": [e.as_dict() for e in archive_entries(person)],
        "generated_at": timezone.now(),
    }


@router.get("/persons/{uuid:person_id}/archive", response=ArchiveOut, summary="终身电子档案 Lifelong archive (JSON)")
def person_archive(request: HttpRequest, person_id: uuid.UUID, download: bool = False) -> Any:
    person = get_visible(Person, request.user, person_id)
    payload = archive_payload(person)
    if not download:
        return payload
    _audit_export(request, person, "json")
    # mode="json": timestamps as ISO 8601 ("2026-12-07T03:56:13.553Z"), as the published schema says (date-time).
    body = json.dumps(ArchiveOut.model_validate(payload).model_dump(mode="json"), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="archive-{person.pk}.json"'
    return response


@router.get("/persons/{uuid:person_id}/archive.pdf", summary="终身电子档案 PDF")
def person_archive_pdf(request: HttpRequest, person_id: uuid.UUID) -> Any:
    from jineng.registry.pdf import archive_pdf

    person = get_visible(Person, request.user, person_id)
    _audit_export(request, person, "pdf")
    response = HttpResponse(archive_pdf(person), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="archive-{person.pk}.pdf"'
    return response


def _audit_export(request: HttpRequest, person: Person, fmt: str) -> None:
    audit_event(
        Event.PERSON_ARCHIVE_EXPORT,
        actor=request.user,
        object_id=person.pk,
        region_code=person.residence_region_id or "",
        after={"format": fmt},
    )
