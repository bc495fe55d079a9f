"""API robustness (issue 14, defects 4, 5, 9, 10): no input yields a 500, every input is bounded, and the API's
answers keep to the published schema and stay out of caches."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jineng.common.rest.pagination import PAGE_MAX
from jineng.common.rest.types import TEXT_MAX
from jineng.registry.tests.factories import id18, make_person

pytestmark = pytest.mark.django_db


def raw_post(client: Client, url: str, body: str | bytes):
    return client.post(url, data=body, content_type="application/json")


def assert_422(response, field: str | None = None, code: str | None = None) -> dict:
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) >= {"code", "message", "fields"}
    if field is not None:
        assert body["fields"][0]["field"] == field, body
    if code is not None:
        assert body["fields"][0]["code"] == code, body
    return body


# ---- paging: one bounded helper everywhere ------------------------------------------------------------------------

LISTS = [
    "/api/v1/public/providers",
    "/api/v1/public/programs",
    "/api/v1/public/publicity",
    "/api/v1/public/occupations",
    "/api/v1/persons",
    "/api/v1/claims",
    "/api/v1/classes",
    "/api/v1/certificates",
    "/api/v1/jobs",
    "/api/v1/audit",
    "/api/v1/providers",
    "/api/v1/voucher-issues",
]


@pytest.mark.parametrize("url", LISTS)
def test_a_huge_page_is_422_and_the_last_allowed_page_is_empty(make_user, url):
    client = Client()
    client.force_login(make_user("province_official", region="440000"))
    for page in (10**30, 2**63, PAGE_MAX + 1):
        assert_422(client.get(url, {"page": page}), "page", "too_large")
    last = client.get(url, {"page": PAGE_MAX, "page_size": 500})
    assert last.status_code == 200, last.content
    assert last.json()["items"] == [] and last.json()["page"] == PAGE_MAX


def test_every_paginated_operation_bounds_page_and_page_size(openapi):
    for path, operations in openapi.spec["paths"].items():
        for method, op in operations.items():
            params = {p["name"]: p["schema"] for p in op.get("parameters", []) if p["in"] == "query"}
            if "page" in params:
                assert params["page"].get("maximum") == PAGE_MAX, f"{method} {path}"
                assert params["page_size"].get("maximum") == 500, f"{method} {path}"


# ---- years and dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["10000", "-1", "1899", "2101"])
def test_certificate_list_year_out_of_range_is_422(make_user, year):
    client = Client()
    client.force_login(make_user("province_official", region="440000"))
    assert_422(client.get("/api/v1/certificates", {"year": year}), "year")
    assert client.get("/api/v1/certificates", {"year": "2026"}).status_code == 200


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_calendar_due_with_a_far_start_is_422(start):
    response = Client().get("/api/v1/calendar/due", {"region": "440106", "start": start, "workdays": "5"})
    assert_422(response, "start")


def test_calendar_due_inside_the_window_answers():
    response = Client().get("/api/v1/calendar/due", {"region": "440106", "start": "2100-12-01", "workdays": "5"})
    assert response.status_code == 200, response.content


# ---- bodies and query strings: lone surrogates, NUL, not an object ------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"label": "\\ud800"}',
        '{"label": "ok\\udfff"}',
        '{"\\ud800": "x"}',
        '{"label": "a\\u0000b"}',
    ],
)
def test_lone_surrogate_or_nul_in_a_json_body_is_422(make_user, body):
    client = Client()
    user = make_user("county_official", region="440106")
    client.force_login(user)
    response = raw_post(client, "/api/v1/tokens", body)
    result = assert_422(response)
    assert result["fields"][0]["code"] in {"bad_unicode", "nul_character"}
    assert not user.api_tokens.exists() if hasattr(user, "api_tokens") else True


def test_lone_surrogate_deep_in_a_body_names_the_field(make_user):
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    body = json.dumps({"name": "张三", "groups": ["a", "b\ud800"]})  # json.dumps writes "\ud800" as an escape
    assert_422(raw_post(client, "/api/v1/persons/search", body), "groups.1", "bad_unicode")


def test_nul_in_a_query_string_or_path_is_422(make_user):
    client = Client()
    client.force_login(make_user("province_official", region="440000"))
    assert_422(client.get("/api/v1/persons", {"name": "a\x00b"}), "name", "nul_character")
    assert_422(client.get("/api/v1/certificates/44010620%00/pdf"), "path", "nul_character")


@pytest.mark.parametrize("body", ["[null]", "true", "[]", "null", "1", '"text"', "[{}]"])
def test_a_json_body_that_is_not_an_object_is_422(make_user, body):
    make_person(name="王五", id_number=id18(seq=5))
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    result = assert_422(raw_post(client, "/api/v1/persons/search", body), "body", "not_an_object")
    assert "JSON" in result["fields"][0]["message"]


# ---- lengths and ranges -------------------------------------------------------------------------------------------


def test_a_huge_token_label_is_422_and_no_token_is_made(make_user):
    from jineng.accounts.models import ApiToken

    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    response = raw_post(client, "/api/v1/tokens", json.dumps({"label": "x" * 1_000_000}))
    assert_422(response, "label", "too_long")
    assert not ApiToken.objects.exists()
    assert_422(raw_post(client, "/api/v1/tokens", json.dumps({"label": "x" * 101})), "label", "too_long")
    assert raw_post(client, "/api/v1/tokens", json.dumps({"label": "x" * 100})).status_code == 201


def test_a_value_the_database_refuses_is_422_not_500(make_user, monkeypatch):
    """A schema bound looser than its column (found on PostgreSQL: varchar(100) under a 200-character bound) must
    not become a server error: the database's refusal answers 422 and nothing is written."""
    from django.db import DataError

    from jineng.accounts.models import ApiToken
    from jineng.accounts.rest import v1

    def refuse(**kwargs):
        raise DataError("value too long for type character varying(100)")

    monkeypatch.setattr(v1, "token_create", refuse)
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    response = raw_post(client, "/api/v1/tokens", json.dumps({"label": "x"}))
    assert response.status_code == 422 and response.json()["code"] == "value_out_of_range"
    assert not ApiToken.objects.exists()


def test_free_text_above_the_default_bound_is_422(make_user):
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    body = json.dumps({"name": "x" * (TEXT_MAX + 1)})
    assert_422(raw_post(client, "/api/v1/persons/search", body), "name", "too_long")


def test_a_number_without_its_own_range_is_held_to_the_default(make_user):
    from jineng.common.rest.schemas import NUMBER_MAX

    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    body = {"name": "班", "program": "x", "planned_size": NUMBER_MAX + 1, "start_date": "2026-01-01"}
    response = raw_post(client, "/api/v1/classes", json.dumps(body))
    assert response.status_code == 422
    assert "planned_size" in {f["field"] for f in response.json()["fields"]}


def _unbounded(spec: dict) -> list[str]:
    """Request-body strings without maxLength, and numbers anywhere in a request without both bounds."""
    components = spec["components"]["schemas"]
    found: list[str] = []

    def walk(schema: dict, where: str, body: bool, seen: frozenset[str]) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return
            seen, schema = seen | {name}, components[name]
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key, []):
                walk(sub, where, body, seen)
        kind = schema.get("type")
        if (
            body
            and kind == "string"
            and "maxLength" not in schema
            and "enum" not in schema
            and schema.get("format") not in {"uuid", "date", "date-time", "time", "binary"}
        ):
            found.append(f"{where}: string without maxLength")
        if kind in ("integer", "number"):
            low = "minimum" in schema or "exclusiveMinimum" in schema
            high = "maximum" in schema or "exclusiveMaximum" in schema
            if not (low and high):
                found.append(f"{where}: {kind} without minimum and maximum")
        if kind == "array":
            walk(schema.get("items", {}), f"{where}[]", body, seen)
        for name, prop in schema.get("properties", {}).items():
            walk(prop, f"{where}.{name}", body, seen)

    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                walk(param.get("schema", {}), f"{method.upper()} {path} ?{param['name']}", False, frozenset())
            for media in op.get("requestBody", {}).get("content", {}).values():
                walk(media.get("schema", {}), f"{method.upper()} {path} body", True, frozenset())
    return found


def test_every_request_body_string_has_a_max_length_and_every_number_a_range(openapi):
    assert _unbounded(openapi.spec) == []


# ---- route order, caches, schema of the archive download, verify ---------------------------------------------------


def test_claims_check_is_reachable_by_post(make_user):
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    response = raw_post(client, "/api/v1/claims/check", json.dumps({"subsidy_type": "skill_upgrade", "event_ref": ""}))
    assert response.status_code not in (404, 405), response.content
    assert response.status_code in (200, 422), response.content
    assert response.json()["code"] != "method_not_allowed"


def test_reveal_and_api_answers_are_not_stored_by_caches(make_user):
    person = make_person(name="钱七", id_number=id18(seq=402))
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    reveal = raw_post(
        client, f"/api/v1/persons/{person.pk}/reveal", json.dumps({"field": "id_number", "reason": "核对"})
    )
    assert reveal.status_code == 200
    assert reveal["Cache-Control"] == "no-store"
    for url in (f"/api/v1/persons/{person.pk}", "/api/v1/persons", "/api/v1/nowhere"):
        assert client.get(url)["Cache-Control"] == "no-store", url


def test_archive_download_keeps_to_the_published_schema(make_user, openapi):
    from openapi_schema_validator import OAS31Validator

    person = make_person(name="孙八", id_number=id18(seq=403))
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    response = client.get(f"/api/v1/persons/{person.pk}/archive", {"download": "true"})
    assert response.status_code == 200
    body = json.loads(response.content)
    schema = {
        **openapi.response_schema("GET", f"/api/v1/persons/{person.pk}/archive", 200),
        "components": openapi.spec["components"],
    }
    OAS31Validator(schema, format_checker=OAS31Validator.FORMAT_CHECKER).validate(body)
    assert "T" in body["generated_at"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"number": "4401062026S0000001Q", "name": ""}, "name"),
        ({"number": "4401062026S0000001Q", "name": "   "}, "name"),
        ({"number": "", "name": "张三"}, "number"),
        ({"number": "4401062026S0000001Q"}, "name"),
    ],
)
def test_public_verify_without_a_name_or_number_is_422(query, field):
    assert_422(Client().get("/api/v1/public/certificates/verify", query), field)


# ---- found by the fuzzing stage ------------------------------------------------------------------------------------


def test_schema_names_are_unique_so_the_published_schema_is_the_one_validated(openapi):
    """Three ``ReasonIn`` and two ``VerifyIn`` shared one OpenAPI component: the document said ``reason`` was optional
    where the server required it (found by scripts/fuzz.sh)."""
    import inspect
    import sys
    from collections import defaultdict

    from ninja import Schema  # every router is imported: the openapi fixture built the document

    modules: dict[str, set[str]] = defaultdict(set)
    for name, module in list(sys.modules.items()):
        if name.startswith("jineng.") and ".rest" in name:
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == name:
                    modules[obj.__name__].add(name)
    assert {k: v for k, v in modules.items() if len(v) > 1} == {}


def test_withdraw_reason_is_published_as_required(openapi):
    op = openapi.operation("POST", "/api/v1/catalog-listings/{listing_id}/withdraw")
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "reason" in openapi.spec["components"]["schemas"][ref].get("required", [])


def test_multipart_without_a_boundary_is_400_not_500(make_user):
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    response = client.generic("POST", "/api/v1/imports/", b"", CONTENT_TYPE="multipart/form-data")
    assert response.status_code == 400, response.content
    assert response.json()["fields"][0]["code"] == "bad_multipart"


def test_a_number_is_not_a_date(make_user):
    client = Client()
    client.force_login(make_user("province_official", region="440000"))
    assert_422(client.get("/api/v1/evaluation/supervision", {"since": "0"}), "since")
    assert client.get("/api/v1/evaluation/supervision", {"since": "2026-01-01"}).status_code == 200


def test_true_or_a_string_is_not_a_coordinate(make_user):
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    event = {"event_id": "e1", "enrollment": "x", "kind": "in", "at": "2026-01-01T08:00:00Z", "longitude": False}
    response = raw_post(client, "/api/v1/attendance", json.dumps({"device": "d", "events": [event]}))
    assert response.status_code == 422, response.content


def test_a_url_too_long_is_414_in_the_one_format(make_user):
    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    response = client.get("/api/v1/persons", {"name": "x" * 5000})
    assert response.status_code == 414
    assert response.json()["code"] == "uri_too_long"


@pytest.mark.parametrize("organization", ["", "null"])
def test_a_form_writes_no_organization_as_empty_or_null(make_user, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(make_user("county_official", region="440106"))
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    response = client.post(
        "/api/v1/attachments",
        {
            "kind": "evidence",
            "region": "440106",
            "organization": organization,
            "file": SimpleUploadedFile("证明.pdf", pdf, content_type="application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
