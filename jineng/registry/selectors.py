"""Reads from the registry, always through the scope (``accounts.api.visible``), always masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jineng.accounts.api import visible
from jineng.refdata.api import region_subtree
from jineng.registry.identity import check_id_number, number_hash
from jineng.registry.models import DERIVED_GROUPS, Group, GroupMembership, Person, PersonStatus
from jineng.registry.services.persons import family_of
from jineng.rules.idcard import derived_groups


def persons_visible(user: Any, permission: str = "records.view") -> QuerySet[Person]:
    return visible(Person, user, permission)


def person_filter(
    qs: QuerySet[Person],
    *,
    name: str | None = None,
    region: str | None = None,
    group: str | None = None,
    include_merged: bool = False,
) -> QuerySet[Person]:
    if not include_merged:
        qs = qs.exclude(status=PersonStatus.MERGED)
    if name:
        qs = qs.filter(name__contains=name.strip())
    if region:
        subtree = region_subtree(region.strip())
        qs = qs.filter(residence_region_id__in=subtree)
    if group:
        today = timezone.localdate()
        qs = qs.filter(
            pk__in=GroupMembership.objects.filter(group=group, valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .values("person_id")
        )
    return qs


def person_search_by_number(user: Any, id_number: str, doc_type: str | None = None) -> QuerySet[Person]:
    """Exact search through the keyed hash; the number arrives in a request body, never in a URL."""
    parsed = check_id_number(id_number, doc_type=doc_type)
    hashed = number_hash(parsed.number)
    from jineng.registry.models import IdentityDocument

    person_ids = IdentityDocument.objects.filter(doc_type__in=family_of(parsed.doc_type), number_hash=hashed).values(
        "person_id"
    )
    return persons_visible(user).filter(pk__in=person_ids)


def person_groups_on(person: Person, on: dt.date) -> list[str]:
    """The groups a person belonged to on a date: memberships valid then, and 妇女/青年 derived as of that date.

    What held at an event (an enrollment) is for the event's module to keep; this answers for any date."""
    held = set(
        GroupMembership.objects.filter(person=person, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("group", flat=True)
    )
    held |= derived_groups(sex=person.sex or None, birth_date=person.birth_date, on=on)
    return sorted(held)


def group_label(code: str) -> str:
    if code in DERIVED_GROUPS:
        return str(DERIVED_GROUPS[code])
    try:
        return str(Group(code).label)
    except ValueError:
        return code


def primary_document(person: Person) -> Any:
    docs = list(person.documents.all())
    docs.sort(key=lambda d: (not d.is_primary, d.created_at))
    return docs[0] if docs else None


def person_dict(person: Person, *, detail: bool = False) -> dict[str, Any]:
    """The masked representation every API response and export uses."""
    doc = primary_document(person)
    today = timezone.localdate()
    data: dict[str, Any] = {
        "id": person.pk,
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "doc_type": doc.doc_type if doc else "",
        "id_number": doc.number_masked if doc else "",
        "phone": person.phone_masked,
        "residence_region": person.residence_region_id,
        "hukou_region": person.hukou_region_id,
        "hukou_type": person.hukou_type,
        "education": person.education,
        "status": person.status,
        "merged_into": person.merged_into_id,
        "groups": person_groups_on(person, today),
        "created_at": person.created_at,
    }
    if detail:
        data["documents"] = [
            {
                "id": d.pk,
                "doc_type": d.doc_type,
                "number": d.number_masked,
                "is_primary": d.is_primary,
                "verification": d.verification,
            }
            for d in person.documents.all()
        ]
        data["memberships"] = [
            {
                "id": m.pk,
                "group": m.group,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
                "graduation_year": m.graduation_year,
                "source": m.source,
                "evidence": m.evidence,
            }
            for m in person.memberships.all()
        ]
        data["employment"] = [
            {
                "status": e.status,
                "employer_name": e.employer_name,
                "started_on": e.started_on,
                "source": e.source,
            }
            for e in person.employment.all()
        ]
        data["bank_accounts"] = [
            {"id": b.pk, "bank_name": b.bank_name, "account": b.account_masked}
            for b in person.bank_accounts.filter(is_active=True)
        ]
    return data
