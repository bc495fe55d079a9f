"""The providers API end to end: a provider applies, the city reviews, the province approves, the public sees the
catalogs; errors are coded; responses match the published OpenAPI schema; personal data never appears."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jineng.providers.models import ProviderApplication

from .conftest import credit_code

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _post(client, url, body):
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json")


def test_the_catalog_journey_through_the_api(client, make_user, officials, ref, openapi):
    # an official registers a provider with its licence
    client.force_login(officials.province)
    body = {
        "kind": "provider",
        "name": "广州天河某职业培训学校",
        "credit_code": credit_code(),
        "region": "440106",
        "provider_type": "private_training",
        "address": "天河路1号",
        "latitude": "23.13",
        "longitude": "113.32",
        "contact_phone": "13912345678",
        "licence": {
            "number": "人社民4401001",
            "valid_from": "2020-01-01",
            "valid_until": str(TODAY + dt.timedelta(days=1500)),
            "items": [{"occupation": "4-04-05-01", "max_level": "grade3"}],
        },
    }
    response = _post(client, "/api/v1/providers", body)
    assert response.status_code == 201, response.content
    profile = openapi.validate(response)
    assert profile["contact_phone"] == "139****5678"
    assert "13912345678" not in response.content.decode()
    assert profile["licence"]["items"][0]["occupation"]["code"] == "4-04-05-01"

    from jineng.accounts.models import Organization

    staff = make_user("provider_staff", organization=Organization.objects.get(pk=profile["organization_id"]))
    client.force_login(staff)
    response = _post(
        client,
        "/api/v1/provider-applications",
        {
            "profile_id": profile["id"],
            "capacity_per_year": 400,
            "scope": [{"occupation": "4-04-05-01", "level": "grade4", "training_kind": "employment"}],
        },
    )
    assert response.status_code == 201, response.content
    app = openapi.validate(response)
    response = client.post(f"/api/v1/provider-applications/{app['id']}/submit")
    assert openapi.validate(response)["status"] == "submitted"

    # the city sees it in its queue, reviews; the province approves
    client.force_login(officials.city)
    response = client.get("/api/v1/provider-applications?queue=true")
    assert [a["id"] for a in openapi.validate(response)["items"]] == [app["id"]]
    response = _post(client, f"/api/v1/provider-applications/{app['id']}/review", {"passed": True, "opinion": "同意"})
    assert openapi.validate(response)["status"] == "city_passed"
    client.force_login(officials.province)
    response = _post(
        client,
        f"/api/v1/provider-applications/{app['id']}/decide",
        {"approved": True, "document_number": "粤人社函1号"},
    )
    decided = openapi.validate(response)
    assert decided["status"] == "approved" and decided["listing_id"]

    # the public sees the provider, its scope and its history, with no login and nothing personal
    client.logout()
    response = client.get("/api/v1/public/providers")
    assert response.status_code == 200
    page = openapi.validate(response)
    assert [p["name"] for p in page["items"]] == ["广州天河某职业培训学校"]
    assert page["items"][0]["scope"][0]["level"]["code"] == "grade4"
    response = client.get(f"/api/v1/public/providers/{decided['listing_id']}")
    detail = openapi.validate(response)
    assert detail["history"][0]["kind"] == "listed"
    assert detail["history"][0]["deciding_office"].startswith("广东省")
    assert "decided_by" not in detail["history"][0]
    assert "139" not in response.content.decode()

    # suspension through the API; the public list of listed providers no longer shows it, the suspended one does
    client.force_login(officials.city)
    response = _post(client, f"/api/v1/provider-listings/{decided['listing_id']}/suspend", {"reason": "停业整顿"})
    listing = openapi.validate(response)
    assert listing["status"] == "suspended" and listing["history"][-1]["decided_by"]
    client.logout()
    assert openapi.validate(client.get("/api/v1/public/providers"))["count"] == 0
    assert openapi.validate(client.get("/api/v1/public/providers?status=suspended"))["count"] == 1


def test_errors_are_coded(client, make_provider, make_user, officials, ref):
    profile = make_provider()
    staff = make_user("provider_staff", organization=profile.organization)
    client.force_login(staff)
    response = _post(
        client,
        "/api/v1/provider-applications",
        {
            "profile_id": str(profile.pk),
            "capacity_per_year": 10,
            "scope": [{"occupation": "9-99-99-99", "level": "grade4", "training_kind": "employment"}],
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "unknown_occupation"  # the field's own code (was validation_failed)
    assert body["fields"][0]["code"] == "unknown_occupation"

    response = _post(
        client,
        "/api/v1/provider-applications",
        {
            "profile_id": str(profile.pk),
            "capacity_per_year": 0,
            "scope": [{"occupation": "4-04-05-01", "level": "grade4", "training_kind": "employment"}],
        },
    )
    assert response.status_code == 422  # a providers' service error answers the field's code, like the other apps
    assert response.json()["code"] == "out_of_range"
    assert [(f["field"], f["code"]) for f in response.json()["fields"]] == [("capacity_per_year", "out_of_range")]

    response = _post(
        client,
        "/api/v1/provider-applications",
        {
            "profile_id": str(profile.pk),
            "capacity_per_year": 10,
            "scope": [{"occupation": "4-04-05-01", "level": "grade4", "training_kind": "employment"}],
        },
    )
    app_id = response.json()["id"]
    response = _post(client, f"/api/v1/provider-applications/{app_id}/review", {"passed": True})
    assert response.status_code == 403  # staff cannot review
    client.force_login(officials.city)
    response = _post(client, f"/api/v1/provider-applications/{app_id}/review", {"passed": True})
    assert response.status_code == 409 and response.json()["code"] == "application_not_submitted"
    assert ProviderApplication.objects.get(pk=app_id).status == "draft"

    client.force_login(officials.province)
    response = _post(
        client,
        "/api/v1/providers",
        {
            "kind": "provider",
            "name": "x",
            "credit_code": "91440106MA59XXXXX0",
            "region": "440106",
            "provider_type": "university",
        },
    )
    assert response.status_code == 422 and response.json()["fields"][0]["code"] == "bad_credit_code"


def test_out_of_scope_records_answer_404_and_staff_see_only_their_own(client, make_provider, make_user, officials):
    mine = make_provider()
    other = make_provider("440303")
    staff = make_user("provider_staff", organization=mine.organization)
    client.force_login(staff)
    listed = client.get("/api/v1/providers").json()
    assert [p["id"] for p in listed["items"]] == [str(mine.pk)]
    assert client.get(f"/api/v1/providers/{other.pk}").status_code == 404
    client.force_login(officials.city)
    assert client.get(f"/api/v1/providers/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/providers/{mine.pk}").status_code == 200


def test_programs_through_the_api_and_the_public_program_catalog(client, officials, ref, openapi):
    client.force_login(officials.province)
    response = _post(
        client,
        "/api/v1/programs",
        {
            "code": "GD-1",
            "name": "焊工（五级）",
            "occupation": "6-18-02-04",
            "level": "grade5",
            "training_kind": "employment",
            "hours_theory": 40,
            "hours_practice": 80,
            "delivery": "offline",
            "subsidy_category": "B",
            "region": "440000",
        },
    )
    assert response.status_code == 201, response.content
    program = openapi.validate(response)
    response = _post(
        client, f"/api/v1/programs/{program['id']}/listings", {"region": "440100", "valid_from": str(TODAY)}
    )
    assert response.status_code == 201
    client.logout()
    page = openapi.validate(client.get("/api/v1/public/programs?region=440106"))
    assert [p["code"] for p in page["items"]] == ["GD-1"]
    assert openapi.validate(client.get("/api/v1/public/programs?region=440303"))["count"] == 0


def test_teachers_through_the_api_by_document_number(client, listed, officials, openapi):
    from jineng.registry.api import person_create
    from jineng.rules.idcard import check_character

    first17 = "44010619850505123"
    number = first17 + check_character(first17)
    person_create(actor=officials.province, name="钱老师", id_number=number, residence_region="440106")
    entry = listed()
    client.force_login(entry.staff)
    response = _post(
        client,
        "/api/v1/teachers",
        {
            "id_number": number,
            "name": "钱老师",
            "role": "teacher",
            "organization_id": str(entry.profile.organization_id),
            "is_integrated": True,
        },
    )
    assert response.status_code == 201, response.content
    role = openapi.validate(response)
    assert number not in response.content.decode()
    response = _post(
        client,
        f"/api/v1/teachers/{role['id']}/affiliations",
        {"profile_id": str(entry.profile.pk), "kind": "full_time"},
    )
    assert response.status_code == 201
    teachers = openapi.validate(client.get(f"/api/v1/providers/{entry.profile.pk}/teachers"))
    assert [t["person_name"] for t in teachers] == ["钱老师"]


def test_the_teachers_list_filters_by_name_in_the_api_as_on_the_page(client, officials, person, openapi):
    from jineng.providers.services.teachers import RoleData, pool_role_add

    for name in ("钱老师", "孙考评"):
        pool_role_add(actor=officials.city, person=person(name), data=RoleData(role="examiner", region="440100"))
    client.force_login(officials.city)
    body = openapi.validate(client.get("/api/v1/teachers?name=孙考评"))
    assert [t["person_name"] for t in body["items"]] == ["孙考评"]  # the API had no name filter: both were listed
    page = client.get("/providers/teachers/?name=孙考评").content.decode()
    assert "孙考评" in page and "钱老师" not in page


def test_bases_count_through_the_api(client, officials, openapi):
    client.force_login(officials.province)
    for name, region in (("甲", "440106"), ("乙", "440303")):
        response = _post(
            client,
            "/api/v1/training-bases",
            {
                "kind": "high_skill",
                "name": name,
                "level": "provincial",
                "approval_year": 2022,
                "region": region,
                "host_name": "某技师学院",
            },
        )
        assert response.status_code == 201, response.content
    body = openapi.validate(client.get("/api/v1/training-bases/count?region=440100&year=2023&kind=high_skill"))
    assert body["count"] == 1
    client.force_login(officials.city)
    assert client.get("/api/v1/training-bases/count?region=440000&year=2023").status_code == 403
