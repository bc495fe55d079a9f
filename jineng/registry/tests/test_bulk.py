"""The registry's batch paths answer and write what the one-at-a-time services do: the same holders (merges and
document families followed), the same groups, the same refusals, the same stored records — in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jineng.common.errors import DomainError
from jineng.common.models import AuditEntry
from jineng.registry.api import person_resolve
from jineng.registry.identity import check_id_number
from jineng.registry.models import GroupMembership, IdentityDocument, Person, PersonFact
from jineng.registry.selectors import person_groups_on
from jineng.registry.services import bulk
from jineng.registry.services.persons import MembershipInput, person_create, person_merge
from jineng.registry.tests.factories import id18, make_person

pytestmark = pytest.mark.django_db


def _new(name: str, number: str, **kw) -> bulk.NewPerson:
    return bulk.person_check_new(name=name, parsed=check_id_number(number), **kw)


def test_registered_persons_are_what_person_create_would_store(make_user):
    actor = make_user("county_official", region="440106")
    numbers = [id18(born=dt.date(1995, 1, 2)), id18(born=dt.date(1988, 7, 1))]
    persons = [
        _new("赵批一", numbers[0], phone="13912345678", residence_region="440106",
             groups=[MembershipInput(group="unemployed", source="花名册"), MembershipInput(group="unemployed")]),
        _new("赵批二", numbers[1]),
    ]  # fmt: skip
    audits = AuditEntry.objects.count()
    ids = bulk.persons_register_bulk(actor=actor, persons=persons, source="import", attribute_region="440104")
    assert len(ids) == 2
    for pid, number, name in zip(ids, numbers, ["赵批一", "赵批二"], strict=True):
        person = person_resolve(number)
        assert person is not None and person.pk == pid and person.name == name and person.source == "import"
        parsed = check_id_number(number)
        assert person.birth_date == parsed.birth_date and person.sex == parsed.sex.value
        doc = IdentityDocument.objects.get(person=person)
        assert number not in doc.number_enc and doc.number_masked == number[:4] + "*" * 10 + number[-4:]
        assert doc.is_primary and doc.verification == "automatic"
        assert PersonFact.objects.filter(person=person, region_id="440104", kind="registry.registered").exists()
    first = Person.objects.get(pk=ids[0])
    assert first.phone_masked == "139****5678" and "13912345678" not in first.phone_enc
    assert first.residence_region_id == "440106" and first.created_by == actor
    assert list(GroupMembership.objects.filter(person=first).values_list("group", "source")) == [
        ("unemployed", "花名册")
    ]  # the same membership twice is kept once, as person_create's get_or_create does
    assert AuditEntry.objects.count() == audits + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "person.create_bulk" and entry.after["created"] == 2
    assert numbers[0] not in str(entry.after) and "13912345678" not in str(entry.after)


def test_a_number_already_registered_refuses_the_batch_and_writes_nothing():
    taken = make_person(name="钱已登")
    before = Person.objects.count(), IdentityDocument.objects.count(), AuditEntry.objects.count()
    fresh = id18()
    doc_number = person_resolve_number(taken)
    with pytest.raises(DomainError) as exc:
        bulk.persons_register_bulk(actor=None, persons=[_new("孙新", fresh), _new("钱已登", doc_number)])
    assert exc.value.code == "person_exists" and exc.value.status == 409
    assert (Person.objects.count(), IdentityDocument.objects.count(), AuditEntry.objects.count()) == before
    assert person_resolve(fresh) is None
    with pytest.raises(ValueError):
        bulk.persons_register_bulk(actor=None, persons=[_new("孙新", fresh), _new("孙新", fresh)])


def test_holders_are_found_for_a_batch_as_person_resolve_finds_them(make_user):
    official = make_user("county_official", region="440106")
    plain = make_person(name="李一")
    survivor = make_person(name="李二")
    merged_number = id18()
    merged = make_person(name="李二", id_number=merged_number)
    person_merge(actor=official, survivor=survivor, merged=merged, reason="同一人")
    numbers = [
        person_resolve_number(plain),
        merged_number,
        id18(),  # not registered
    ]
    holders = bulk.persons_find_bulk([check_id_number(n) for n in numbers])
    assert [h.person_id if h else None for h in holders] == [plain.pk, survivor.pk, None]
    assert [person_resolve(n).pk if person_resolve(n) else None for n in numbers] == [plain.pk, survivor.pk, None]
    assert holders[1].name == "李二"


def test_finding_holders_takes_the_same_queries_for_two_numbers_or_twenty():
    numbers = [id18() for _ in range(20)]
    for n in numbers[::2]:
        make_person(name="周查", id_number=n)

    def queries(batch: list[str]) -> int:
        parsed = [check_id_number(n) for n in batch]
        with CaptureQueriesContext(connection) as captured:
            found = bulk.persons_find_bulk(parsed)
        assert sum(h is not None for h in found) == (len(batch) + 1) // 2
        return len(captured)

    assert queries(numbers[:2]) == queries(numbers)


def test_groups_for_a_batch_are_person_groups_on_for_each():
    on = dt.date(2026, 3, 1)
    a = make_person(name="吴甲", id_number=id18(born=dt.date(2002, 1, 1)),
                    groups=[MembershipInput(group="veteran", valid_from=dt.date(2020, 1, 1)),
                            MembershipInput(group="unemployed", valid_from=dt.date(2020, 1, 1),
                                            valid_to=dt.date(2025, 12, 31))])  # fmt: skip
    b = make_person(name="吴乙", id_number=id18(born=dt.date(1970, 1, 1)))
    holders = bulk.persons_find_bulk([check_id_number(person_resolve_number(p)) for p in (a, b)])
    groups = bulk.person_groups_on_bulk([h for h in holders if h], on)
    assert groups == {a.pk: person_groups_on(a, on), b.pk: person_groups_on(b, on)}
    assert "veteran" in groups[a.pk] and "youth" in groups[a.pk] and "unemployed" not in groups[a.pk]


@pytest.mark.parametrize(
    "kw,field,code",
    [
        ({"name": " "}, "name", "name_required"),
        ({"name": "王5"}, "name", "name_bad_format"),
        ({"phone": "12345"}, "phone", None),
        ({"residence_region": "449999"}, "residence_region", "unknown_region"),
        ({"groups": [MembershipInput(group="college_graduate")]}, "graduation_year", "graduation_year_required"),
        ({"groups": [MembershipInput(group="nobody")]}, "groups", "unknown_group"),
    ],
)
def test_a_new_person_is_refused_as_person_create_refuses_it(kw, field, code):
    number = id18()
    args = {"name": "王五", "phone": "", "residence_region": "440106", "groups": []} | kw
    with pytest.raises(DomainError) as checked:
        bulk.person_check_new(parsed=check_id_number(number), **args)
    with pytest.raises(DomainError) as created:
        person_create(actor=None, id_number=number, check_permission=False, **args)
    got = [(f.field, f.code, f.message) for f in checked.value.fields]
    assert got == [(f.field, f.code, f.message) for f in created.value.fields]
    assert got[0][0] == field and (code is None or got[0][1] == code)
    assert not Person.objects.exists()


def person_resolve_number(person: Person) -> str:
    from jineng.registry.identity import open_number

    return open_number(person.documents.order_by("created_at").first().number_enc)


def test_one_person_registered_through_the_batch_path_is_logged_as_an_add(make_user):
    """The walk: adding one trainee through the class form read 批量新增 (Bulk add) in /audit/."""
    actor = make_user("county_official", region="440106")
    [pid] = bulk.persons_register_bulk(actor=actor, persons=[_new("赵单一", id18(born=dt.date(1990, 3, 4)))],
                                       source="form", attribute_region="440106")  # fmt: skip
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "person.create" and str(entry.object_id) == str(pid)
