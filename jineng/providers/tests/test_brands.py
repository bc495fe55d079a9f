"""培训品牌 and 职业标准与教材 through the API: the province keeps its brand catalogue and marks programs with it;
officials record standards and textbooks developed; errors are coded, name the field, and change nothing."""

from __future__ import annotations

import json

import pytest

from jineng.providers.models import Program, StandardWork, TrainingBrand
from jineng.providers.services.programs import ProgramData, program_create

pytestmark = pytest.mark.django_db


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body, default=str), content_type="application/json")


def _program(actor) -> Program:
    return program_create(
        actor=actor,
        data=ProgramData(
            code="GD-2026-0101", name="粤菜师傅（中式烹调师四级）", occupation="4-04-05-01", level="grade4",
            training_kind="employment", hours_theory=60, hours_practice=100, delivery="blended", subsidy_category="A",
            region="440000", syllabus="粤菜烹调", industry_tags=[],
        ),
    )  # fmt: skip


def test_the_province_marks_a_program_with_its_brand(client, officials, ref, openapi):
    client.force_login(officials.province)
    response = _post(client, "/api/v1/training-brands",
                     {"code": "yuecai", "name": "粤菜师傅", "region": "440000", "recognized_year": 2021})  # fmt: skip
    assert response.status_code == 201, response.content
    brand = openapi.validate(response)
    assert (brand["name"], brand["recognized_year"], brand["programs"]) == ("粤菜师傅", 2021, 0)

    program = _program(officials.province)
    response = _post(client, f"/api/v1/programs/{program.pk}/brands", {"brands": [brand["id"]]}, method="put")
    assert response.status_code == 200, response.content
    assert openapi.validate(response)["brands"] == ["yuecai"]
    listed = openapi.validate(client.get("/api/v1/training-brands?region=440000"))["items"]
    assert [(b["code"], b["programs"]) for b in listed] == [("yuecai", 1)]


def test_a_city_official_may_not_keep_the_brand_catalogue(client, officials):
    client.force_login(officials.city)
    response = _post(client, "/api/v1/training-brands", {"code": "x", "name": "某品牌", "region": "440100"})
    assert response.status_code == 403
    assert not TrainingBrand.objects.exists()


def test_a_bad_brand_names_the_field_and_writes_nothing(client, officials):
    client.force_login(officials.province)
    response = _post(client, "/api/v1/training-brands",
                     {"code": "", "name": "南粤家政", "region": "440000", "recognized_year": 1900})  # fmt: skip
    assert response.status_code == 422
    fields = {f["field"]: f["code"] for f in response.json()["fields"]}
    assert fields == {"code": "required", "recognized_year": "out_of_range"}
    assert not TrainingBrand.objects.exists()


def test_a_standard_is_recorded_published_and_withdrawn(client, officials, ref, openapi):
    client.force_login(officials.province)
    response = _post(client, "/api/v1/standards", {
        "kind": "textbook", "title": "南粤家政 家政服务员培训教材", "developer": "广东省职业技能鉴定指导中心",
        "region": "440000", "occupation": "4-10-01-06", "level": "grade4",
    })  # fmt: skip
    assert response.status_code == 201, response.content
    work = openapi.validate(response)
    assert (work["status"], work["year"], work["occupation_name"]) == ("developing", None, ref.carer.name)
    response = _post(client, f"/api/v1/standards/{work['id']}/publish", {"year": 2024})
    assert openapi.validate(response)["status"] == "published"
    response = _post(client, f"/api/v1/standards/{work['id']}/publish", {"year": 2024})
    assert response.status_code == 409 and response.json()["code"] == "standard_not_developing"
    response = _post(client, f"/api/v1/standards/{work['id']}/withdraw", {"reason": ""})
    assert response.status_code == 422
    assert StandardWork.objects.get().status == "published"


def test_a_published_standard_needs_its_year(client, officials):
    client.force_login(officials.province)
    response = _post(client, "/api/v1/standards", {
        "kind": "occupational_standard", "title": "某国家职业标准", "developer": "某单位", "region": "440000",
        "status": "published",
    })  # fmt: skip
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["fields"]} == {"year"}
    assert not StandardWork.objects.exists()
