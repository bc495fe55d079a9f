"""登记人员 by form and 按证件号码查找 on the persons page (before: no form, and the page told officials to call
``POST /api/v1/persons/search``).

The form goes through ``person_create``: its validation errors come back beside the fields, in Chinese; a number
already registered points at the existing record; the residence choices are the counties of the official's scope.
The search is exact (the keyed hash), posted (the number never in a URL), scope-respecting and masked."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.models import AuditEntry
from jineng.registry.models import GroupMembership, Person
from jineng.registry.tests.factories import id18

pytestmark = pytest.mark.django_db


def _form(**over):
    data = {"name": "周窗口", "doc_type": "resident_id", "id_number": id18("440106", dt.date(1990, 1, 2), 41),
            "phone": "13800138000", "residence_region": "440106", "groups": ["unemployed"], "education": "",
            "hukou_type": ""}  # fmt: skip
    data.update(over)
    return data


def test_a_county_official_registers_a_person_by_form(make_user, client):
    client.force_login(make_user("county_official", region="440106"))
    listing = client.get("/persons/").content.decode()
    assert "登记人员" in listing and "/api/v1/persons/search" not in listing and "按证件号码查找" in listing
    page = client.get("/persons/new/").content.decode()
    assert "天河区" in page and "越秀区" not in page  # residence choices: the scope's counties
    response = client.post("/persons/new/", _form())
    person = Person.objects.get(name="周窗口")
    assert response.status_code == 302 and response["Location"] == f"/persons/{person.pk}/"
    assert person.residence_region_id == "440106" and person.sex == "male"
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk)).exists()
    # The same number again: refused beside the number, with a link to the record.
    body = client.post("/persons/new/", _form(name="周重复")).content.decode()
    assert "该证件号码已登记" in body and f"/persons/{person.pk}/" in body
    assert not Person.objects.filter(name="周重复").exists()


def test_the_services_errors_are_shown_beside_their_fields(make_user, client):
    client.force_login(make_user("county_official", region="440106"))
    before = Person.objects.count()
    body = client.post("/persons/new/", _form(id_number="440106199001020001")).content.decode()  # wrong check char
    assert 'id="id_id_number_error"' in body and "校验" in body
    body = client.post("/persons/new/", _form(phone="1380013")).content.decode()
    assert 'id="id_phone_error"' in body
    body = client.post("/persons/new/", _form(groups=["college_graduate"])).content.decode()
    assert 'id="id_graduation_year_error"' in body or "毕业年度" in body
    body = client.post("/persons/new/", _form(residence_region="440104")).content.decode()  # outside the scope
    assert 'id="id_residence_region_error"' in body
    assert Person.objects.count() == before
    response = client.post("/persons/new/", _form(groups=["college_graduate"], graduation_year="2023"))
    assert response.status_code == 302
    assert GroupMembership.objects.get(person__name="周窗口").graduation_year == 2023


def test_find_by_number_is_exact_scoped_and_masked(make_user, client):
    from jineng.registry.services.persons import person_create

    mine = id18("440106", dt.date(1985, 3, 3), 51)
    theirs = id18("440104", dt.date(1985, 3, 3), 53)
    person_create(actor=None, name="吴天河", id_number=mine, residence_region="440106", check_permission=False)
    person_create(actor=None, name="吴越秀", id_number=theirs, residence_region="440104", check_permission=False)
    client.force_login(make_user("county_official", region="440106"))
    response = client.post("/persons/find/", {"doc_type": "resident_id", "id_number": mine.lower()})
    body = response.content.decode()
    assert response.status_code == 200 and "吴天河" in body
    assert mine not in body and mine[:4] + "**********" + mine[-4:] in body
    assert "no-store" in response["Cache-Control"]
    body = client.post("/persons/find/", {"doc_type": "resident_id", "id_number": theirs}).content.decode()
    assert "吴越秀" not in body and "权限范围内没有" in body
    body = client.post("/persons/find/", {"doc_type": "resident_id", "id_number": "12345"}).content.decode()
    assert "invalid-feedback" in body
    assert client.get("/persons/find/").status_code == 405  # never by GET: the number stays out of URLs


def test_a_worker_cannot_register(make_user, client):
    client.force_login(make_user("worker"))
    assert client.get("/persons/new/").status_code in (403, 404)
