"""重复人员合并: the duplicates page and API list legacy/twin pairs within scope; merging from the page."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.models import AuditEntry
from jineng.registry.models import Person
from jineng.registry.tests.factories import id15_of, id18

pytestmark = pytest.mark.django_db


def _pair(region: str, name: str, seq: int) -> tuple[Person, Person]:
    from jineng.registry.services.persons import person_create_legacy

    number = id18(region, dt.date(1966, 6, 6), seq)
    legacy = person_create_legacy(actor=None, name=name, id_number=id15_of(number), residence_region=region)
    twin = person_create_legacy(actor=None, name=name, id_number=number, residence_region=region)
    return legacy, twin


def test_the_page_lists_pairs_in_scope_masked_and_merges_one(make_user, client):
    legacy, twin = _pair("440106", "孙一", 31)
    other, _ = _pair("440104", "孙二", 32)  # 越秀: outside a 天河 official's scope
    client.force_login(make_user("county_official", region="440106"))
    page = client.get("/persons/duplicates/").content.decode()
    assert "孙一" in page and "孙二" not in page
    number = id15_of(id18("440106", dt.date(1966, 6, 6), 31))
    assert number not in page and number[:4] + "*******" + number[-4:] in page
    assert "重复人员合并" in client.get("/persons/").content.decode()

    refused = client.post(f"/persons/{legacy.pk}/merge/", {"into": str(twin.pk), "reason": ""}, follow=True)
    assert "合并须填写原因" in refused.content.decode()
    assert Person.objects.get(pk=legacy.pk).status == "active"
    done = client.post(
        f"/persons/{legacy.pk}/merge/", {"into": str(twin.pk), "reason": "一代证与二代证重复"}, follow=True
    )
    assert done.redirect_chain[-1][0] == f"/persons/{twin.pk}/"
    legacy.refresh_from_db()
    assert legacy.status == "merged" and legacy.merged_into_id == twin.pk
    assert AuditEntry.objects.filter(action="person.merge", object_id=str(legacy.pk)).exists()
    assert "孙一" not in client.get("/persons/duplicates/").content.decode()
    # A pair outside the scope cannot be merged by posting its ids.
    assert client.post(f"/persons/{other.pk}/merge/", {"into": str(twin.pk), "reason": "越权"}).status_code == 404


def test_the_api_lists_pairs_and_needs_the_edit_permission(make_user, api):
    legacy, twin = _pair("440106", "李一", 41)
    client = api(make_user("county_official", region="440106"))
    rows = client.get("/api/v1/persons/duplicates").json()
    assert [(r["legacy"], r["twin"]) for r in rows] == [(str(legacy.pk), str(twin.pk))]
    assert "*" in rows[0]["legacy_id_number"] and "*" in rows[0]["twin_id_number"]
    auditor = api(make_user("auditor", region="440106"))
    assert auditor.get("/api/v1/persons/duplicates").status_code == 403
