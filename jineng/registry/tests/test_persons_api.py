"""The persons API exactly as the Interface section says, and every rejection: code, message, nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from jineng.common.models import AuditEntry
from jineng.registry.models import IdentityDocument, Person
from jineng.registry.tests.factories import id15_of, id18, make_person
from jineng.rules.idcard import check_character

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_create_returns_201_masked_with_id(make_user, api):
    client = api(make_user("county_official", region="440106"))
    number = id18("440106", dt.date(1992, 5, 17), 123)
    response = post(client, "/api/v1/persons", {"name": "王五", "id_number": number, "phone": "13912345678",
                                               "residence_region": "440106"})  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"]
    assert body["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert body["phone"] == "139****5678"
    assert body["birth_date"] == "1992-05-17" and body["sex"] == "male"
    assert number not in response.content.decode() and "13912345678" not in response.content.decode()
    person = Person.objects.get(pk=body["id"])
    doc = person.documents.get()
    assert number not in doc.number_enc and doc.number_enc.startswith("a256gcm:")
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk)).exists()


@pytest.mark.parametrize(
    "id_number,code",
    [
        (id18()[:17] + ("0" if id18(seq=5)[17] != "0" else "1"), None),  # checksum or valid by chance: computed below
        ("4401061990030712", "id_bad_length"),
        ("44010619900230123" + check_character("44010619900230123"), "id_bad_birth_date"),
        ("44010620990101123" + check_character("44010620990101123"), "id_future_birth_date"),
        ("44999919900101123" + check_character("44999919900101123"), "id_unknown_region"),
        ("4401061990010112A4", "id_bad_chars"),
        ("", "id_required"),
    ],
)
def test_bad_id_number_is_422_naming_the_field_and_nothing_is_written(make_user, api, id_number, code):
    if code is None:
        good = id18(seq=5)
        id_number = good[:17] + ("0" if good[17] != "0" else "1")
        code = "id_bad_checksum"
    client = api(make_user("county_official", region="440106"))
    persons, audits = Person.objects.count(), AuditEntry.objects.count()
    response = post(client, "/api/v1/persons", {"name": "王五", "id_number": id_number, "residence_region": "440106"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["fields"][0]["field"] == "id_number" and body["fields"][0]["code"] == code
    assert body["message"] and body["fields"][0]["message"]
    assert Person.objects.count() == persons and AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    "payload,field,code",
    [
        ({"residence_region": "449999"}, "residence_region", "unknown_region"),
        ({"phone": "12345"}, "phone", "phone_bad_format"),
        ({"name": "张3"}, "name", "name_bad_format"),
        ({"name": "=HYPERLINK"}, "name", "name_bad_format"),
        ({"sex": "female"}, "sex", "sex_mismatch"),
        ({"groups": ["astronaut"]}, "groups", "unknown_group"),
    ],
)
def test_other_rejections_write_nothing(make_user, api, payload, field, code):
    client = api(make_user("county_official", region="440106"))
    data = {"name": "王五", "id_number": id18(seq=1), "residence_region": "440106"} | payload
    persons = Person.objects.count()
    response = post(client, "/api/v1/persons", data)
    assert response.status_code == 422, response.content
    assert response.json()["fields"][0]["field"] == field
    assert response.json()["fields"][0]["code"] == code
    assert Person.objects.count() == persons


def test_existing_person_outside_scope_is_409_that_names_no_one(make_user, api):
    """Issue 14, defect 7: a 409 used to hand any official the surname, internal id and masked number of a person
    registered anywhere. Outside the caller's scope the answer now names no one and points nowhere."""
    number = id18("440104", seq=78)
    existing = make_person(region="440104", name="欧阳娜", id_number=number)  # 越秀区, outside 天河区's (440106) scope
    client = api(make_user("county_official", region="440106"))
    persons = Person.objects.count()
    response = post(client, "/api/v1/persons", {"name": "欧阳娜", "id_number": number, "residence_region": "440106"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "person_exists" and body["fields"] == []
    assert "existing" not in body
    text = response.content.decode()
    for leak in (str(existing.pk), "欧阳", number[:4] + "*", number[-4:], "/api/v1/persons/"):
        assert leak not in text, leak
    assert Person.objects.count() == persons
    # The same number inside the caller's scope: the 409 points at the record, masked.
    inside = api(make_user("county_official", region="440104"))
    own = post(inside, "/api/v1/persons", {"name": "欧阳娜", "id_number": number, "residence_region": "440104"})
    assert own.status_code == 409 and own.json()["existing"]["id"] == str(existing.pk)


def test_existing_person_is_409_pointing_at_it_masked(make_user, api):
    number = id18(seq=77)
    existing = make_person(name="李四", id_number=number)
    client = api(make_user("county_official", region="440106"))
    response = post(client, "/api/v1/persons", {"name": "李四", "id_number": number, "residence_region": "440106"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "person_exists"
    assert body["existing"]["id"] == str(existing.pk)
    assert body["existing"]["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert number not in response.content.decode()
    # The 15-digit form of the same number is the same person.
    legacy = id15_of(id18("440106", dt.date(1975, 1, 2), 35))
    make_person(name="老王", id_number=legacy)
    again = post(client, "/api/v1/persons", {"name": "老王", "id_number": id18("440106", dt.date(1975, 1, 2), 35),
                                             "residence_region": "440106"})  # fmt: skip
    assert again.status_code == 409
    assert Person.objects.count() == 2


def test_create_outside_scope_is_denied_and_writes_nothing(make_user, api):
    client = api(make_user("county_official", region="440106"))
    response = post(
        client, "/api/v1/persons", {"name": "王五", "id_number": id18("440303"), "residence_region": "440303"}
    )
    assert response.status_code == 403
    assert Person.objects.count() == 0
    reviewer = Client()
    reviewer.force_login(make_user("reviewer", region="440106"))
    response = post(reviewer, "/api/v1/persons", {"name": "王五", "id_number": id18(), "residence_region": "440106"})
    assert response.status_code == 403


def test_detail_in_scope_200_out_of_scope_404_and_list_count(make_user, api):
    inside = make_person("440106", name="甲")
    make_person("440106", name="乙")
    outside = make_person("440303", name="丙")
    client = api(make_user("county_official", region="440106"))
    assert client.get(f"/api/v1/persons/{inside.pk}").status_code == 200
    assert client.get(f"/api/v1/persons/{outside.pk}").status_code == 404
    listing = client.get("/api/v1/persons?page_size=1").json()
    assert listing["count"] == 2 and len(listing["items"]) == 1 and listing["page_size"] == 1
    city = Client()
    city.force_login(make_user("province_official", region="440000"))
    assert city.get("/api/v1/persons?page_size=10").json()["count"] == 3


def test_person_attributed_by_a_fact_is_visible_there(make_user, api):
    from jineng.registry.api import person_attribute

    person = make_person("110101", name="外地人")
    client = api(make_user("county_official", region="440104"))
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404
    person_attribute(person_id=person.pk, region_code="440104", kind="training.enrollment", ref="x1")
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 200


def test_search_by_exact_number_is_a_post_and_respects_scope(make_user, api):
    number = id18("440106", dt.date(1970, 6, 6), 11)
    person = make_person(name="赵六", id_number=number)
    client = api(make_user("county_official", region="440106"))
    found = post(client, "/api/v1/persons/search", {"id_number": number.lower()}).json()
    assert found["count"] == 1 and found["items"][0]["id"] == str(person.pk)
    by_legacy = post(client, "/api/v1/persons/search", {"id_number": id15_of(number)}).json()
    assert by_legacy["count"] == 1
    other = Client()
    other.force_login(make_user("county_official", region="440303"))
    assert post(other, "/api/v1/persons/search", {"id_number": number}).json()["count"] == 0
    bad = post(client, "/api/v1/persons/search", {"id_number": "123"})
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "id_number"
    r = post(client, "/api/v1/persons/search", {"name": "赵"}).json()
    assert r["count"] == 1, r
    assert client.get("/api/v1/persons?name=赵&region=440100").json()["count"] == 1
    assert client.get("/api/v1/persons?region=440104").json()["count"] == 0


def test_group_filter_and_derived_groups(make_user, api):
    from jineng.registry.services.persons import MembershipInput, membership_add

    young_woman = make_person(name="小红", id_number=id18("440106", dt.date(2000, 1, 1), 2))
    membership_add(actor=None, person=young_woman, membership=MembershipInput(group="migrant_worker"))
    make_person(name="老李", id_number=id18("440106", dt.date(1960, 1, 1), 3))
    client = api(make_user("county_official", region="440106"))
    items = client.get("/api/v1/persons?group=migrant_worker").json()["items"]
    assert [i["name"] for i in items] == ["小红"]
    assert set(items[0]["groups"]) >= {"migrant_worker", "women", "youth"}
    response = post(client, "/api/v1/persons/search", {"group": "migrant_worker"})
    assert response.json()["count"] == 1


def test_reveal_needs_permission_and_reason_and_is_audited(make_user, api):
    number = id18(seq=401)
    person = make_person(name="钱七", id_number=number, phone="13711112222")
    official = api(make_user("county_official", region="440106"))
    url = f"/api/v1/persons/{person.pk}/reveal"
    missing = post(official, url, {"field": "id_number", "reason": ""})
    assert missing.status_code == 422 and missing.json()["fields"][0]["code"] == "reason_required"
    assert not AuditEntry.objects.filter(action="person.reveal").exists()
    ok = post(official, url, {"field": "id_number", "reason": "核对补贴申请"})
    assert ok.status_code == 200 and ok.json()["value"] == number
    phone = post(official, url, {"field": "phone", "reason": "电话回访"})
    assert phone.json()["value"] == "13711112222"
    entries = AuditEntry.objects.filter(action="person.reveal", object_id=str(person.pk)).order_by("seq")
    assert [e.reason for e in entries] == ["核对补贴申请", "电话回访"]
    assert number not in json.dumps(entries[0].after)
    reviewer = Client()
    reviewer.force_login(make_user("reviewer", region="440106"))  # sees records, may not reveal
    denied = post(reviewer, url, {"field": "id_number", "reason": "想看看"})
    assert denied.status_code == 403 and denied.json()["code"] == "reveal_not_permitted"
    outsider = Client()
    outsider.force_login(make_user("county_official", region="440303"))
    assert post(outsider, url, {"field": "id_number", "reason": "x" * 5}).status_code == 404
    assert AuditEntry.objects.filter(action="person.reveal").count() == 2


def test_worker_sees_only_their_own_archive(make_user, api):
    from jineng.accounts.models import User

    mine = make_person(name="李明")
    other = make_person(name="别人")
    worker = make_user("worker")
    User.objects.filter(pk=worker.pk).update(person_id=mine.pk)
    worker.refresh_from_db()
    client = api(worker)
    assert client.get("/persons/me/").status_code == 302
    assert client.get(f"/persons/{mine.pk}/").status_code == 200
    assert client.get(f"/persons/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/persons/{mine.pk}/archive").status_code == 200
    assert client.get(f"/api/v1/persons/{other.pk}/archive").status_code == 404
    assert client.get("/api/v1/persons").json()["count"] == 1
    page = client.get(f"/persons/{mine.pk}/").content.decode()
    assert "查看完整" not in page  # no reveal for the worker


def test_archive_sources_json_and_pdf(make_user, api, monkeypatch):
    from jineng.registry import archive
    from jineng.registry.api import ArchiveEntry, register_archive_source

    person = make_person(name="孙八")
    monkeypatch.setattr(archive, "_SOURCES", dict(archive._SOURCES))
    register_archive_source(
        "training",
        lambda ids: [ArchiveEntry(on=dt.date(2025, 3, 1), kind="training", title="参加电工培训", region_code="440106")]
        if person.pk in ids else [],
    )  # fmt: skip
    client = api(make_user("county_official", region="440106"))
    body = client.get(f"/api/v1/persons/{person.pk}/archive").json()
    titles = [e["title"] for e in body["entries"]]
    assert "参加电工培训" in titles and "登记入库" in titles
    download = client.get(f"/api/v1/persons/{person.pk}/archive?download=true")
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["person"]["id"] == str(person.pk)
    pdf = client.get(f"/api/v1/persons/{person.pk}/archive.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"WenQuanYiZenHei" in pdf.content and b"/FontFile2" in pdf.content  # the TrueType CJK font, embedded
    assert AuditEntry.objects.filter(action="person.archive_export", object_id=str(person.pk)).count() == 2


def test_legacy_twin_merges_into_survivor_with_history_kept(make_user, api):
    from jineng.registry.services.persons import (
        MembershipInput,
        membership_add,
        person_create_legacy,
        person_duplicates,
    )

    number = id18("440106", dt.date(1968, 8, 8), 71)
    # Two older systems are migrated as they were: one kept the 15-digit number, the other the 18-digit one.
    legacy = person_create_legacy(actor=None, name="周九", id_number=id15_of(number), residence_region="440106")
    membership_add(actor=None, person=legacy, membership=MembershipInput(group="unemployed",
                                                                        valid_from=dt.date(2001, 1, 1)))  # fmt: skip
    twin = person_create_legacy(actor=None, name="周九", id_number=number, residence_region="440106")
    assert legacy.documents.get().number_masked == id15_of(number)[:4] + "*******" + id15_of(number)[-4:]
    assert person_duplicates() == [(legacy, twin)]
    client = api(make_user("county_official", region="440106"))
    response = post(
        client, f"/api/v1/persons/{legacy.pk}/merge", {"into": str(twin.pk), "reason": "一代证与二代证重复"}
    )
    assert response.status_code == 200, response.content
    legacy.refresh_from_db()
    assert legacy.status == "merged" and legacy.merged_into_id == twin.pk
    assert IdentityDocument.objects.filter(person=twin).count() == 2
    assert twin.memberships.filter(group="unemployed").exists()
    assert person_duplicates() == []
    tombstone = client.get(f"/api/v1/persons/{legacy.pk}").json()
    assert tombstone["status"] == "merged" and tombstone["merged_into"] == str(twin.pk)
    entries = [e["title"] for e in client.get(f"/api/v1/persons/{twin.pk}/archive").json()["entries"]]
    assert "合并重复记录" in entries and "人员类别：失业人员" in entries
    assert AuditEntry.objects.filter(action="person.merge", object_id=str(legacy.pk)).exists()
    again = post(client, f"/api/v1/persons/{legacy.pk}/merge", {"into": str(twin.pk), "reason": "再来一次"})
    assert again.status_code == 409
    assert client.get("/api/v1/persons").json()["count"] == 1  # the tombstone is not listed


def test_patch_changes_phone_with_audit(make_user, api):
    person = make_person(name="吴十", phone="13800000001")
    client = api(make_user("county_official", region="440106"))
    response = client.patch(f"/api/v1/persons/{person.pk}", data=json.dumps({"phone": "13900000002"}),
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["phone"] == "139****0002"
    entry = AuditEntry.objects.get(action="person.update", object_id=str(person.pk))
    assert entry.before["phone"] == "138****0001" and entry.after["phone"] == "139****0002"


def test_foreign_and_hmt_documents_and_manual_verification(make_user, api):
    body = "9" + "44" + "156" + "19850412" + "021"
    foreign = body + check_character(body)
    client = api(make_user("county_official", region="440106"))
    created = post(client, "/api/v1/persons", {"name": "John Smith", "id_number": foreign,
                                               "residence_region": "440106"})  # fmt: skip
    assert created.status_code == 201 and created.json()["doc_type"] == "foreign_permanent_resident"
    passport = post(client, "/api/v1/persons", {"name": "Anna Lee", "id_number": "E12345678", "doc_type": "passport",
                                                "sex": "female", "birth_date": "1990-01-01",
                                                "residence_region": "440106"})  # fmt: skip
    assert passport.status_code == 201
    assert passport.json()["documents"][0]["verification"] == "pending"
    assert passport.json()["sex"] == "female"


def test_second_document_manual_verification_and_bank_account(make_user, api):
    person = make_person(name="郑十一")
    client = api(make_user("county_official", region="440106"))
    added = post(client, f"/api/v1/persons/{person.pk}/documents", {"id_number": "E7654321", "doc_type": "passport"})
    assert added.status_code == 201 and added.json()["verification"] == "pending"
    verify = post(client, f"/api/v1/persons/{person.pk}/documents/{added.json()['id']}/verify",
                  {"accepted": True, "reason": "核对护照原件"})  # fmt: skip
    assert verify.status_code == 200 and verify.json()["verification"] == "verified"
    again = post(client, f"/api/v1/persons/{person.pk}/documents/{added.json()['id']}/verify",
                 {"accepted": True, "reason": "再核"})  # fmt: skip
    assert again.status_code == 409
    # The same passport cannot belong to another person.
    other = make_person(name="王十二")
    dup = post(client, f"/api/v1/persons/{other.pk}/documents", {"id_number": "e7654321", "doc_type": "passport"})
    assert dup.status_code == 409 and dup.json()["existing"]["id"] == str(person.pk)
    bank = post(client, f"/api/v1/persons/{person.pk}/bank-accounts",
                {"bank_name": "中国工商银行", "account_number": "6222 0202 0000 1234 567"})  # fmt: skip
    assert bank.status_code == 201 and bank.json()["account"].endswith("4567") and "6222" not in bank.json()["account"]
    bad = post(client, f"/api/v1/persons/{person.pk}/bank-accounts", {"bank_name": "x", "account_number": "12ab"})
    assert bad.status_code == 422 and bad.json()["fields"][0]["code"] == "bank_account_bad_format"
    revealed = post(client, f"/api/v1/persons/{person.pk}/reveal", {"field": "bank_account", "reason": "发放补贴"})
    assert revealed.json()["value"] == "6222020200001234567"


@pytest.mark.django_db
def test_the_archive_pdf_builds_with_long_free_text(monkeypatch):
    """Fuzzing found a 500: a 2,000-character title in the timeline made a table row taller than a page."""
    from jineng.registry import pdf
    from jineng.registry.archive import ArchiveEntry

    person = make_person(name="长文本")
    long_entries = [ArchiveEntry(on=dt.date(2026, 1, 1), kind="registry", title="长" * 2000, detail="详" * 2000)]
    monkeypatch.setattr(pdf, "archive_entries", lambda p: long_entries)
    assert pdf.archive_pdf(person).startswith(b"%PDF")
