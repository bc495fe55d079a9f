"""The one API error format {code, message, fields} everywhere under /api/ — 401, 403, 404, 405, 413, 422, 500 —
and the OpenAPI document that declares it."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.http import HttpResponse, HttpResponseServerError
from django.test import Client, RequestFactory
from openapi_spec_validator import validate as validate_spec

from jineng.accounts.models import ApiToken
from jineng.common.middleware import ApiErrorFormatMiddleware, RequestSizeLimitMiddleware
from jineng.common.models import AuditEntry
from jineng.refdata.models import RegionSetting
from jineng.web import views

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_error(response, status: int, code: str, message: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) >= {"code", "message", "fields"}
    assert body["code"] == code
    assert CHINESE.search(body["message"]), f"message is not Chinese: {body['message']}"
    if message is not None:
        assert body["message"] == message
    assert isinstance(body["fields"], list)
    return body


# ---- the OpenAPI document -----------------------------------------------------------------------------------------


def test_openapi_document_is_valid_openapi_3_1(openapi):
    assert openapi.spec["openapi"].startswith("3.1")
    validate_spec(openapi.spec)  # raises on any structural error


def _paginated_operations(spec: dict) -> list[tuple[str, dict]]:
    found = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            names = {p["name"] for p in op.get("parameters", [])}
            if {"page", "page_size"} <= names:
                found.append((f"{method.upper()} {path}", op))
    return found


def test_every_list_endpoint_declares_count_page_page_size_items(openapi):
    lists = _paginated_operations(openapi.spec)
    paths = {name for name, _ in lists}
    for expected in ("/api/v1/jobs", "/api/v1/audit", "/api/v1/attachments", "/api/v1/users", "/api/v1/tokens"):
        assert f"GET {expected}" in paths
    schemas = openapi.spec["components"]["schemas"]
    for name, op in lists:
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        schema = schemas[ref.rsplit("/", 1)[1]]
        assert set(schema["required"]) >= {"count", "page", "page_size", "items"}, name
        assert schema["properties"]["items"]["type"] == "array", name
        assert schema["properties"]["count"]["type"] == "integer", name


def test_every_operation_declares_the_error_format(openapi):
    error = openapi.spec["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    for path, operations in openapi.spec["paths"].items():
        for method, op in operations.items():
            ref = op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error", f"{method} {path}"


def test_responses_match_the_document(openapi, make_user, api):
    client = api(make_user("city_official", region="440100"))
    for url in ("/api/v1/me", "/api/v1/jobs", "/api/v1/audit", "/api/v1/settings?region=440106", "/api/v1/tokens"):
        response = client.get(url)
        assert response.status_code == 200, url
        openapi.validate(response)
    openapi.validate(client.get("/api/v1/settings?region=440303"))  # 403 in the error format


# ---- 404 and 405 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/no-such-thing", "/api/v1/jobs/extra/segments", "/api/v2/jobs", "/api/"])
def test_unknown_api_route_answers_404_json(client, url):
    assert_error(client.get(url), 404, "not_found")
    assert_error(client.post(url, data="{}", content_type="application/json"), 404, "not_found")


def test_unknown_api_route_answers_404_json_when_signed_in(api, make_user):
    client = api(make_user("county_official", region="440106"))
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_unknown_page_is_an_html_page_not_json(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "url"), [("delete", "/api/v1/me"), ("put", "/api/v1/jobs"), ("patch", "/api/v1/tokens")]
)
def test_wrong_method_answers_405_json(client, method, url, openapi):
    response = getattr(client, method)(url)
    assert_error(response, 405, "method_not_allowed", "不支持该请求方法。")
    assert response.has_header("Allow")


def test_a_missing_record_answers_404_json(api, make_user, openapi):
    client = api(make_user("city_official", region="440100"))
    response = client.get("/api/v1/jobs/01890000-0000-7000-8000-000000000000")
    assert_error(response, 404, "not_found")
    openapi.validate(response)


def test_a_malformed_id_in_the_path_answers_422_not_500(api, make_user):
    client = api(make_user("city_official", region="440100"))
    body = assert_error(client.get("/api/v1/jobs/not-a-uuid"), 422, "validation_failed")
    assert body["fields"][0]["field"] == "job_id"
    assert body["fields"][0]["code"] == "bad_id"


# ---- 401 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/me", "/api/v1/jobs", "/api/v1/audit", "/api/v1/tokens"])
def test_unauthenticated_requests_answer_401(client, url, openapi):
    response = client.get(url)
    assert_error(response, 401, "not_authenticated", "请先登录或提供有效的访问令牌。")
    openapi.validate(response)


def test_unauthenticated_write_answers_401_and_writes_nothing_even_with_csrf_enforced():
    client = Client(enforce_csrf_checks=True)
    before = (ApiToken.objects.count(), AuditEntry.objects.count())
    response = client.post("/api/v1/tokens", data=json.dumps({"label": "x"}), content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    bad_bearer = client.post(
        "/api/v1/tokens", data="{}", content_type="application/json", HTTP_AUTHORIZATION="Bearer jn_not-a-token"
    )
    assert_error(bad_bearer, 401, "not_authenticated")
    assert (ApiToken.objects.count(), AuditEntry.objects.count()) == before


# ---- 413 ----------------------------------------------------------------------------------------------------------


def test_oversized_body_is_refused_with_413_and_nothing_written(api, make_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api(make_user("city_official", region="440100"))
    payload = {"key": "class.max_trainees", "region": "440106", "value": 40, "valid_from": "2025-01-01"}
    payload["reason"] = "x" * 2000
    before = (RegionSetting.objects.count(), AuditEntry.objects.count())
    response = client.post("/api/v1/settings", data=json.dumps(payload), content_type="application/json")
    body = assert_error(response, 413, "request_too_large")
    assert "1000" in body["message"]  # says what the limit is
    assert (RegionSetting.objects.count(), AuditEntry.objects.count()) == before


class _Unreadable(io.RawIOBase):
    def read(self, *args):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the body was read")

    readinto = read


def test_size_limit_answers_from_content_length_without_reading_the_body(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    def view(request):  # pragma: no cover - must not be called
        raise AssertionError("the view was called")

    request = RequestFactory().post("/api/v1/tokens", data="", content_type="application/json")
    request.META["CONTENT_LENGTH"] = str(10**9)
    request.META["wsgi.input"] = _Unreadable()
    response = RequestSizeLimitMiddleware(view)(request)
    assert_error(response, 413, "request_too_large")


def test_uploads_have_their_own_larger_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.JINENG_MAX_UPLOAD_BYTES = 10_000

    def view(request):
        return HttpResponse("passed")

    factory = RequestFactory()
    upload = factory.post("/api/v1/attachments", data={"kind": "evidence", "note": "y" * 500})
    assert upload.META["CONTENT_TYPE"].startswith("multipart/")
    assert RequestSizeLimitMiddleware(view)(upload).content == b"passed"
    upload.META["CONTENT_LENGTH"] = "10001"
    assert_error(RequestSizeLimitMiddleware(view)(upload), 413, "request_too_large")


# ---- 422 ----------------------------------------------------------------------------------------------------------


def test_malformed_json_answers_422_with_a_body_field_error(api, make_user, openapi):
    client = api(make_user("city_official", region="440100"))
    before = (RegionSetting.objects.count(), AuditEntry.objects.count())
    response = client.post("/api/v1/settings", data="{not json", content_type="application/json")
    body = assert_error(response, 422, "validation_failed")
    assert body["fields"] == [{"field": "body", "code": "bad_json", "message": "请求体不是有效的 JSON。"}]
    openapi.validate(response)
    assert (RegionSetting.objects.count(), AuditEntry.objects.count()) == before


def test_missing_and_wrongly_typed_fields_are_reported_one_by_one(api, make_user, openapi):
    client = api(make_user("city_official", region="440100"))
    before = (RegionSetting.objects.count(), AuditEntry.objects.count())
    response = client.post(
        "/api/v1/settings",
        data=json.dumps({"key": "class.max_trainees", "valid_from": "not-a-date"}),
        content_type="application/json",
    )
    body = assert_error(response, 422, "validation_failed", "提交的数据有误，请检查标注的字段。")
    by_field = {f["field"]: f for f in body["fields"]}
    assert by_field["region"]["code"] == "required"
    assert by_field["reason"]["code"] == "required"
    assert by_field["value"]["code"] == "required"
    assert by_field["valid_from"]["code"] == "bad_date"
    assert all(CHINESE.search(f["message"]) for f in body["fields"])
    openapi.validate(response)
    assert (RegionSetting.objects.count(), AuditEntry.objects.count()) == before


def test_bad_query_parameters_answer_422(api, make_user):
    client = api(make_user("city_official", region="440100"))
    body = assert_error(client.get("/api/v1/jobs?page=0"), 422, "validation_failed")
    assert body["fields"] == [{"field": "page", "code": "too_small", "message": body["fields"][0]["message"]}]
    body = assert_error(client.get("/api/v1/jobs?page_size=100000"), 422, "validation_failed")
    assert body["fields"][0]["code"] == "too_large"


# ---- 403 and CSRF -------------------------------------------------------------------------------------------------


def test_permission_denied_is_403_json(api, make_user, openapi):
    client = api(make_user("county_official", region="440106"))
    response = client.post("/api/v1/jobs", data=json.dumps({"kind": "audit.verify"}), content_type="application/json")
    assert_error(response, 403, "permission_denied", "您没有执行此操作的权限。")
    openapi.validate(response)


# ---- 500 ----------------------------------------------------------------------------------------------------------


def test_an_unexpected_error_in_an_api_view_answers_500_json_without_details(api, make_user, monkeypatch, openapi):
    def explode(user):
        raise RuntimeError("secret internals 440106199001011234")

    monkeypatch.setattr("jineng.accounts.rest.v1.principal_for", explode)
    client = api(make_user("city_official", region="440100"))
    response = client.get("/api/v1/me")
    body = assert_error(response, 500, "server_error", "服务器内部错误，已记录，请稍后重试。")
    assert "secret" not in json.dumps(body)
    openapi.validate(response)


def test_django_level_server_error_under_api_is_json():
    request = RequestFactory().get("/api/v1/anything")
    assert_error(views.server_error(request), 500, "server_error")
    page = views.server_error(RequestFactory().get("/somewhere/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_non_json_error_answers_under_api_are_rewritten(rf):
    def html_500(request):
        return HttpResponseServerError("<h1>Server Error</h1>")

    assert_error(ApiErrorFormatMiddleware(html_500)(rf.get("/api/v1/x")), 500, "server_error")
    # Outside /api/ the page is left alone.
    page = ApiErrorFormatMiddleware(html_500)(rf.get("/x/"))
    assert page.content == b"<h1>Server Error</h1>"


def test_every_api_answer_carries_a_request_id(client):
    response = client.get("/api/v1/nope", HTTP_X_REQUEST_ID="trace-123")
    assert response["X-Request-ID"] == "trace-123"
    # A caller's id that is not a plain token is replaced, never echoed into a header.
    response = client.get("/api/v1/nope", HTTP_X_REQUEST_ID="a b<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_framework_http_errors_map_to_the_format():
    from django.core.exceptions import RequestDataTooBig

    from jineng.common.rest.errors import http_error_response

    assert_error(http_error_response(400, "Cannot parse request body", RequestDataTooBig()), 413, "request_too_large")
    assert_error(
        http_error_response(400, "Cannot parse request body", json.JSONDecodeError("x", "", 0)),
        422,
        "validation_failed",
    )
    assert_error(http_error_response(400, "anything"), 400, "bad_request", "请求格式不正确。")
    assert_error(http_error_response(403, "CSRF check Failed"), 403, "csrf_failed")
    assert_error(http_error_response(418, "I'm a teapot"), 418, "http_error", "请求失败。")


def test_interactive_docs_load_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    # The page's scripts are files ('self'); the only inline <script> is JSON data, which the CSP does not execute.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)
