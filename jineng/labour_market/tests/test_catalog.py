"""The shortage catalog: drafted from the published rule, edited by experts, approved by someone who did not edit
it, published with an effective date; old versions kept; the public endpoint and page show the version in force."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError
from jineng.labour_market import services
from jineng.labour_market.models import CatalogStatus
from jineng.labour_market.tests.conftest import ELECTRICIAN, GUARD, TODAY, WELDER, previous_quarter_days

pytestmark = pytest.mark.django_db


def _draft(lm, demand):
    for day in previous_quarter_days(2):
        demand(WELDER, "440106", day, vacancies=30, seekers=10)  # 3.0 in both quarters
        demand(GUARD, "440104", day, vacancies=5, seekers=20)  # 0.25
    demand(ELECTRICIAN, "440106", previous_quarter_days(1)[0], vacancies=30, seekers=10)  # only the last quarter
    return services.catalog_draft_generate(actor=lm.drafter, region_code="440000")


def _codes(catalog):
    return sorted(catalog.items.filter(removed=False).values_list("occupation__code", flat=True))


def test_draft_follows_the_rule_and_names_its_figures(lm, demand):
    catalog = _draft(lm, demand)
    assert catalog.status == CatalogStatus.DRAFT and catalog.version_no == 1
    assert _codes(catalog) == [WELDER]
    item = catalog.items.get()
    assert [q["ratio"] for q in item.figures["quarters"]] == [3.0, 3.0]
    assert catalog.basis["threshold_percent"] == 150 and len(catalog.basis["quarters"]) == 2
    assert AuditEntry.objects.filter(object_id=str(catalog.pk), action="labour_market.catalog_draft").exists()


def test_the_drafter_cannot_approve_and_an_unapproved_catalog_cannot_be_published(lm, demand):
    catalog = _draft(lm, demand)
    with pytest.raises(DomainError) as err:
        services.catalog_approve(actor=lm.drafter, catalog_id=catalog.pk)
    assert err.value.code == "approver_edited" and err.value.status == 403
    with pytest.raises(DomainError) as err:
        services.catalog_publish(actor=lm.drafter, catalog_id=catalog.pk, effective_from=TODAY)
    assert err.value.code == "catalog_not_approved"
    # An expert who adds an occupation becomes an editor: they may not approve either.
    services.catalog_item_add(actor=lm.approver, catalog_id=catalog.pk, occupation_code=ELECTRICIAN,
                              reason="制造业当家，电工缺口大（专家论证）")  # fmt: skip
    with pytest.raises(DomainError) as err:
        services.catalog_approve(actor=lm.approver, catalog_id=catalog.pk)
    assert err.value.code == "approver_edited"
    catalog.refresh_from_db()
    assert catalog.status == CatalogStatus.DRAFT


def test_a_city_official_without_approval_right_cannot_approve(lm, demand):
    catalog = _draft(lm, demand)
    with pytest.raises(DomainError) as err:
        services.catalog_approve(actor=lm.city, catalog_id=catalog.pk)
    assert err.value.status == 403


def test_publish_keeps_old_versions_and_the_one_in_force_follows_the_date(lm, demand, client):
    first = _draft(lm, demand)
    services.catalog_approve(actor=lm.approver, catalog_id=first.pk)
    services.catalog_publish(actor=lm.drafter, catalog_id=first.pk, effective_from=TODAY - dt.timedelta(days=100))
    second = services.catalog_draft_generate(actor=lm.drafter, region_code="440000")
    services.catalog_item_add(actor=lm.drafter, catalog_id=second.pk, occupation_code=ELECTRICIAN, reason="专家增补")
    services.catalog_approve(actor=lm.approver, catalog_id=second.pk)
    with pytest.raises(DomainError) as err:  # not before the version it replaces
        services.catalog_publish(actor=lm.drafter, catalog_id=second.pk, effective_from=TODAY - dt.timedelta(days=200))
    assert err.value.code == "effective_before_previous"
    services.catalog_publish(actor=lm.drafter, catalog_id=second.pk, effective_from=TODAY - dt.timedelta(days=10))

    body = client.get("/api/v1/public/shortage-occupations?region=440000").json()
    assert body["version"] == 2 and body["effective_from"] == str(TODAY - dt.timedelta(days=10))
    assert {i["occupation_code"] for i in body["items"]} == {WELDER, ELECTRICIAN}
    assert all(i["name"] for i in body["items"])
    assert [h["version"] for h in body["history"]] == [2, 1]
    earlier = client.get(f"/api/v1/public/shortage-occupations?region=440106&on={TODAY - dt.timedelta(days=50)}")
    assert earlier.json()["version"] == 1 and earlier.json()["region"] == "440000"  # a county reads its province's
    page = client.get("/shortage/?region=440000").content.decode()
    assert "焊工" in page and "电工" in page and "第1版" in page and "第2版" in page


def test_a_draft_cannot_be_edited_once_approved_and_bad_edits_are_named(lm, demand):
    catalog = _draft(lm, demand)
    for code, reason, expected in (("9-99-99-99", "理由", "unknown_occupation"), (WELDER, "", "reason_required")):
        with pytest.raises(DomainError) as err:
            services.catalog_item_add(actor=lm.drafter, catalog_id=catalog.pk, occupation_code=code, reason=reason)
        assert err.value.code == expected
    services.catalog_approve(actor=lm.approver, catalog_id=catalog.pk)
    with pytest.raises(DomainError) as err:
        services.catalog_item_add(actor=lm.drafter, catalog_id=catalog.pk, occupation_code=ELECTRICIAN, reason="x")
    assert err.value.code == "catalog_not_draft"


def test_one_open_draft_per_region_and_no_draft_for_an_unfinished_quarter(lm, demand):
    _draft(lm, demand)
    with pytest.raises(DomainError) as err:
        services.catalog_draft_generate(actor=lm.drafter, region_code="440000")
    assert err.value.code == "draft_exists"
    quarter = (TODAY.month - 1) // 3 + 1
    with pytest.raises(DomainError) as err:
        services.catalog_draft_generate(actor=lm.drafter, region_code="440100", year=TODAY.year, quarter=quarter)
    assert err.value.code == "bad_quarter"


def test_catalog_steps_through_the_api(lm, demand, client):
    for day in previous_quarter_days(2):
        demand(WELDER, "440106", day, vacancies=30, seekers=10)

    def post(user, url, data):
        client.force_login(user)
        return client.post(url, data, content_type="application/json")

    created = post(lm.drafter, "/api/v1/labour/catalogs", {"region": "440000"})
    assert created.status_code == 201
    body = created.json()
    assert [i["occupation_code"] for i in body["items"]] == [WELDER]
    url = f"/api/v1/labour/catalogs/{body['id']}"
    refused = post(lm.drafter, f"{url}/approve", {})
    assert refused.status_code == 403 and refused.json()["code"] == "approver_edited"
    assert post(lm.drafter, f"{url}/publish", {"effective_from": str(TODAY)}).json()["code"] == "catalog_not_approved"
    assert post(lm.approver, f"{url}/approve", {}).json()["status"] == "approved"
    assert post(lm.approver, f"{url}/publish", {"effective_from": str(TODAY)}).json()["status"] == "published"
    client.force_login(lm.tianhe)
    assert client.get(url).status_code == 404  # a province's record, outside a county's scope
