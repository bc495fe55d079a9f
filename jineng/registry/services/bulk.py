"""批量登记 — set-based registry paths for services that handle a batch of persons at once (the training roster).

- ``persons_find_bulk`` — the (surviving) persons holding a batch's document numbers: one query on the keyed hashes
  (``number_hash IN (…)``) instead of one ``find_document`` a number;
- ``person_groups_on_bulk`` — the groups each of a batch's persons held on a date, in one query;
- ``person_check_new`` — every check ``person_create`` makes of a new person, without writing, so a caller can
  report a bad row as a row error before anything is written (``regions_check_bulk`` looks the batch's residence
  codes up in one query first);
- ``persons_register_bulk`` — register checked new persons with their documents, memberships and attribution in
  a few bulk inserts (``COPY`` on PostgreSQL) and one batch ``audit_event`` entry;
- ``persons_attribute_bulk`` — ``person_attribute`` for a batch, in one insert.

The rules are ``person_create``'s; only the number of statements differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, DomainError, FieldError, ValidationFailed
from jineng.common.ids import uuid7
from jineng.imports.api import insert_rows
from jineng.refdata.api import Region, region_validate
from jineng.registry.events import Event
from jineng.registry.identity import check_phone, number_hash, seal_number, seal_phone
from jineng.registry.models import (
    Group,
    GroupMembership,
    IdentityDocument,
    Person,
    PersonFact,
    PersonSource,
    PersonStatus,
    VerificationStatus,
)
from jineng.registry.services.persons import MembershipInput, _check_name, check_group, family_of
from jineng.rules.idcard import ParsedId, derived_groups

GROUP_CODES = frozenset(Group.values)  # ``Group.values`` builds a new list on every access


@dataclass(frozen=True)
class Holder:
    """The registered person holding a document number (the survivor when the holder was merged)."""

    person_id: Any
    name: str
    sex: str
    birth_date: dt.date | None


@dataclass(frozen=True)
class NewPerson:
    """A new person checked by ``person_check_new``: normalized name and phone, a current residence code."""

    name: str
    parsed: ParsedId
    phone: str = ""
    residence_region: str | None = None
    groups: tuple[MembershipInput, ...] = ()


def persons_find_bulk(parsed: Sequence[ParsedId]) -> list[Holder | None]:
    """The holder of each number (aligned with ``parsed``), or None: what ``person_resolve`` answers, for a batch.

    One query for the documents (any type of each number's family, the lowest type first, as ``find_document``),
    one for their persons, and one more per level of merge chain."""
    if not parsed:
        return []
    hashes = [number_hash(p.number) for p in parsed]
    by_hash: dict[str, list[tuple[str, Any]]] = {}
    for doc_type, hashed, person_id in (
        IdentityDocument.objects.filter(number_hash__in=set(hashes))
        .order_by("doc_type")
        .values_list("doc_type", "number_hash", "person_id")
    ):
        by_hash.setdefault(hashed, []).append((doc_type, person_id))
    owners: list[Any] = []
    for p, hashed in zip(parsed, hashes, strict=True):
        family = family_of(p.doc_type)
        owners.append(next((pid for doc_type, pid in by_hash.get(hashed, []) if doc_type in family), None))
    persons = _survivors({pid for pid in owners if pid is not None})
    return [persons[pid] if pid is not None else None for pid in owners]


def _survivors(person_ids: set[Any]) -> dict[Any, Holder]:
    """person id → the surviving person's data (a merged person's chain followed, at most 10 links as
    ``survivor_of``)."""
    fields = ("id", "name", "sex", "birth_date", "status", "merged_into_id")
    rows = {r[0]: r for r in Person.objects.filter(pk__in=person_ids).values_list(*fields)}
    target = {pid: pid for pid in person_ids}
    for _ in range(10):
        pending = {pid: rows[t][5] for pid, t in target.items() if rows[t][5] is not None}
        if not pending:
            break
        missing = set(pending.values()) - rows.keys()
        rows.update({r[0]: r for r in Person.objects.filter(pk__in=missing).values_list(*fields)})
        target.update(pending)
    return {pid: Holder(person_id=rows[t][0], name=rows[t][1], sex=rows[t][2], birth_date=rows[t][3])
            for pid, t in target.items()}  # fmt: skip


def person_groups_on_bulk(holders: Iterable[Holder], on: dt.date) -> dict[Any, list[str]]:
    """person id → the groups held on ``on`` (``person_groups_on`` for a batch, in one query)."""
    holders = list(holders)
    held: dict[Any, set[str]] = {h.person_id: set() for h in holders}
    if not held:
        return {}
    for person_id, group in (
        GroupMembership.objects.filter(person_id__in=list(held), valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("person_id", "group")
    ):
        held[person_id].add(group)
    for h in holders:
        held[h.person_id] |= derived_groups(sex=h.sex or None, birth_date=h.birth_date, on=on)
    return {pid: sorted(groups) for pid, groups in held.items()}


def person_check_new(
    *,
    name: str,
    parsed: ParsedId,
    phone: str = "",
    residence_region: str | None = None,
    groups: Iterable[MembershipInput] = (),
    regions: dict[str, Any] | None = None,
) -> NewPerson:
    """The checks ``person_create`` makes of a new person (name, phone, residence code, groups, a graduate's
    year), raising the same ``ValidationFailed``; nothing is written. ``regions`` caches region look-ups across a
    batch (code → the code, or the error it raised)."""
    name = _check_name(name)
    phone = check_phone(phone)
    residence = None
    code = str(residence_region or "").strip()
    if code:
        cache = regions if regions is not None else {}
        if code not in cache:
            try:
                cache[code] = region_validate(code, field="residence_region").code
            except DomainError as exc:
                cache[code] = exc
        found = cache[code]
        if isinstance(found, DomainError):
            raise found
        residence = found
    memberships = tuple(groups)
    for m in memberships:
        if m.group not in GROUP_CODES:
            check_group(m.group)  # raises the registry's error
        if m.group == Group.COLLEGE_GRADUATE and m.graduation_year is None:
            raise ValidationFailed(
                "高校毕业生须填写毕业年度。",
                [FieldError("graduation_year", "graduation_year_required", "高校毕业生须填写毕业年度。")],
            )
        if m.valid_to is not None and m.valid_to < (m.valid_from or timezone.localdate()):
            raise ValidationFailed(
                "截止日期早于起始日期。", [FieldError("valid_to", "bad_range", "截止日期不能早于起始日期。")]
            )
    return NewPerson(name=name, parsed=parsed, phone=phone, residence_region=residence, groups=memberships)


def persons_attribute_bulk(facts: Iterable[tuple[Any, str, str, str, dt.date | None]], *, new: bool = False) -> None:
    """``person_attribute`` for a batch — (person id, region code, kind, ref, occurred on) each — in one insert;
    a fact already recorded stays as it is. ``new=True``: the caller knows none can exist yet (their ref is a record
    it has just created), so they go straight to ``COPY``."""
    if new:
        now = timezone.now()
        insert_rows(
            PersonFact, FACT_FIELDS, [(pid, region, kind, str(ref), on, now) for pid, region, kind, ref, on in facts]
        )
        return
    PersonFact.objects.bulk_create(
        [PersonFact(person_id=pid, region_id=region, kind=kind, ref=str(ref), occurred_on=on)
         for pid, region, kind, ref, on in facts],
        ignore_conflicts=True,
    )  # fmt: skip


def regions_check_bulk(codes: Iterable[str | None], regions: dict[str, Any]) -> None:
    """Fill ``regions`` (the cache ``person_check_new`` reads) for a batch's residence codes in one query: a current
    code maps to itself; any other is left to ``region_validate``, which raises its own precise error."""
    wanted = {str(c).strip() for c in codes if c and str(c).strip()} - regions.keys()
    if wanted:
        current = Region.objects.filter(code__in=wanted, valid_to__isnull=True).values_list("code", flat=True)
        regions.update({code: code for code in current})


PERSON_FIELDS = (
    "id", "created_at", "updated_at", "name", "sex", "birth_date", "phone_enc", "phone_hash", "phone_masked",
    "residence_region", "hukou_type", "education", "status", "source", "created_by",
)  # fmt: skip
DOC_FIELDS = (
    "id", "created_at", "updated_at", "person", "doc_type", "number_enc", "number_hash", "number_masked",
    "is_primary", "verification",
)  # fmt: skip
MEMBERSHIP_FIELDS = (
    "id", "created_at", "updated_at", "person", "group", "valid_from", "valid_to", "graduation_year", "source",
    "evidence", "created_by",
)  # fmt: skip
FACT_FIELDS = ("person", "region", "kind", "ref", "occurred_on", "created_at")


def persons_register_bulk(
    *,
    actor: Actor,
    persons: Sequence[NewPerson],
    source: str = PersonSource.IMPORT,
    attribute_region: str | None = None,
    summary: dict[str, Any] | None = None,
) -> list[Any]:
    """登记人员（批量） — register checked new persons (``person_check_new``); returns their ids, in order.

    Like ``person_create`` with ``check_permission=False`` (the caller has checked its own permission): each person
    is visible where they reside and, through a fact, in ``attribute_region``. A number already registered (or
    registered concurrently) raises ``Conflict`` ``person_exists`` and nothing is written; two persons of the batch
    with the same number are the caller's error (``ValueError``)."""
    if not persons:
        return []
    keys = [(tuple(family_of(p.parsed.doc_type)), p.parsed.number) for p in persons]
    if len(set(keys)) != len(keys):
        raise ValueError("persons_register_bulk: the same document number twice in one batch")
    now = timezone.now()
    today = timezone.localdate()
    actor_id = getattr(actor_user(actor), "pk", None)
    ids: list[Any] = []
    person_rows: list[tuple[Any, ...]] = []
    doc_rows: list[tuple[Any, ...]] = []
    membership_rows: list[tuple[Any, ...]] = []
    fact_rows: list[tuple[Any, ...]] = []
    audit_rows: list[dict[str, Any]] = []
    for p in persons:
        pid = uuid7()
        ids.append(pid)
        parsed = p.parsed
        phone_enc, phone_hashed, phone_masked = seal_phone(p.phone)
        person_rows.append(
            (pid, now, now, p.name, parsed.sex.value if parsed.sex else "", parsed.birth_date, phone_enc,
             phone_hashed, phone_masked, p.residence_region, "", "", PersonStatus.ACTIVE.value, str(source), actor_id)
        )  # fmt: skip
        number_enc, hashed, masked = seal_number(parsed.number)
        verification = (
            VerificationStatus.PENDING if parsed.needs_manual_verification else VerificationStatus.AUTOMATIC
        ).value
        doc_rows.append((uuid7(), now, now, pid, parsed.doc_type, number_enc, hashed, masked, True, verification))
        seen_groups: set[tuple[str, dt.date]] = set()
        for m in p.groups:
            valid_from = m.valid_from or today
            if (m.group, valid_from) in seen_groups:
                continue  # person_create's get_or_create keeps the first of two equal memberships
            seen_groups.add((m.group, valid_from))
            membership_rows.append(
                (uuid7(), now, now, pid, m.group, valid_from, m.valid_to, m.graduation_year, m.source, m.evidence,
                 actor_id)
            )  # fmt: skip
        attribution = attribute_region or p.residence_region
        if attribution:
            fact_rows.append((pid, attribution, "registry.registered", "", today, now))
        audit_rows.append({"person": str(pid), "document": masked, "doc_type": parsed.doc_type,
                           "groups": sorted({m.group for m in p.groups})})  # fmt: skip
    if _any_registered(persons, [row[6] for row in doc_rows]):
        raise Conflict("该证件号码已登记，不能重复登记。", code="person_exists")
    try:
        with transaction.atomic():
            insert_rows(Person, PERSON_FIELDS, person_rows)
            insert_rows(IdentityDocument, DOC_FIELDS, doc_rows)
            insert_rows(GroupMembership, MEMBERSHIP_FIELDS, membership_rows)
            insert_rows(PersonFact, FACT_FIELDS, fact_rows)
    except IntegrityError:
        # Lost a race with a concurrent registration of one of the numbers: the unique constraint decides.
        raise Conflict("该证件号码已登记，不能重复登记。", code="person_exists") from None
    # one person (a trainee added through a form) is logged as an add, not as a bulk add of one
    audit_event(
        Event.PERSON_CREATE_BULK if len(ids) != 1 else Event.PERSON_CREATE,
        actor=actor,
        object_id=ids[0] if len(ids) == 1 else "",
        region_code=attribute_region or "",
        rows=audit_rows,
        after={"created": len(ids), "source": source, **(summary or {})},
    )
    return ids


def _any_registered(persons: Sequence[NewPerson], hashes: list[str]) -> bool:
    """Is any of these numbers registered already (under any type of its family)? One query."""
    found: dict[str, set[str]] = {}
    for doc_type, hashed in IdentityDocument.objects.filter(number_hash__in=set(hashes)).values_list(
        "doc_type", "number_hash"
    ):
        found.setdefault(hashed, set()).add(doc_type)
    return any(found.get(h, set()) & set(family_of(p.parsed.doc_type)) for p, h in zip(persons, hashes, strict=True))
