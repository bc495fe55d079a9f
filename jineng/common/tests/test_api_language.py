"""API error messages in the caller's language: Chinese by default, English with the language cookie (the platform's
switch) or ``?lang=en`` (a caller with a token has no cookie). The codes never change with the language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from jineng.common.i18n import request_language, supported_language

pytestmark = pytest.mark.django_db


def _client(user, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_missing_field_is_named_in_chinese_by_default_and_in_english_when_chosen(make_user):
    user = make_user("province_official", region="440000")
    zh = _client(user).post("/api/v1/labour/catalogs", {}, content_type="application/json").json()
    en = _client(user, "en").post("/api/v1/labour/catalogs", {}, content_type="application/json").json()
    assert zh["message"] == "提交的数据有误，请检查标注的字段。"
    assert en["message"] == "The submitted data has errors; check the fields marked."
    assert zh["code"] == en["code"] == "validation_failed"
    assert [f["code"] for f in zh["fields"]] == [f["code"] for f in en["fields"]]
    assert zh["fields"][0]["message"].startswith("此项为必填项。（")
    assert en["fields"][0]["message"].startswith("This field is required. (")


@pytest.mark.parametrize("lang", ["en", "EN", "en-US", "en_GB"])
def test_lang_in_the_query_string_chooses_english_over_the_cookie(make_user, lang):
    user = make_user("province_official", region="440000")
    body = _client(user, "zh-hans").get(f"/api/v1/certificates?year=10000&lang={lang}").json()
    assert body["message"] == "The submitted data has errors; check the fields marked."
    assert body["fields"][0]["field"] == "year"
    assert body["fields"][0]["message"].startswith("Value too large. (")


def test_lang_zh_chooses_chinese_over_an_english_cookie_and_an_unknown_lang_is_ignored(make_user):
    user = make_user("province_official", region="440000")
    zh = _client(user, "en").get("/api/v1/certificates?year=10000&lang=zh-CN").json()
    assert zh["message"] == "提交的数据有误，请检查标注的字段。"
    unknown = _client(user).get("/api/v1/certificates?year=10000&lang=fr").json()
    assert unknown["message"] == "提交的数据有误，请检查标注的字段。"
    response = _client(user).get("/api/v1/certificates?lang=en")
    assert response.status_code == 200  # lang is no filter of the list
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("request_kwargs", "url", "status", "zh", "en"),
    [
        ({}, "/api/v1/no-such-endpoint", 404, "请求的接口或记录不存在。", "The endpoint or record does not exist."),
        (
            {},
            "/api/v1/persons",
            401,
            "请先登录或提供有效的访问令牌。",
            "Sign in or provide a valid access token first.",
        ),
        (
            {},
            "/api/v1/claims?q=a%00",
            401,  # unauthenticated first
            "请先登录或提供有效的访问令牌。",
            "Sign in or provide a valid access token first.",
        ),
        ({}, "/api/v1/" + "x" * 5000, 414, "请求地址过长。", "The request address is too long."),
        (
            {},
            "/api/v1/persons%00",
            422,
            "提交的数据有误，请检查标注的字段。",
            "The submitted data has errors; check the fields marked.",
        ),
    ],
)
def test_the_framework_and_middleware_answers_follow_the_language(request_kwargs, url, status, zh, en):
    for lang, expected in (("", zh), ("en", en)):
        client = Client()
        full = url + (("&" if "?" in url else "?") + f"lang={lang}" if lang else "")
        response = client.get(full, **request_kwargs)
        assert response.status_code == status, (full, response.content)
        assert response.json()["message"] == expected, full


def test_a_bad_json_body_and_a_nul_are_refused_in_english(make_user):
    client = _client(make_user("province_official", region="440000"), "en")
    bad = client.post("/api/v1/persons/search", "{not json", content_type="application/json").json()
    assert bad["fields"] == [{"field": "body", "code": "bad_json", "message": "The request body is not valid JSON."}]
    nul = client.post("/api/v1/persons/search", {"q": "a\x00"}, content_type="application/json").json()
    assert nul["fields"][0]["code"] == "nul_character"
    assert nul["fields"][0]["message"] == "Must not contain a NUL character."
    array = client.post("/api/v1/persons/search", "[1]", content_type="application/json").json()
    assert array["message"] == "The request body must be a JSON object."


def test_a_default_not_found_is_in_the_callers_language(make_user):
    client = _client(make_user("province_official", region="440000"))
    missing = "/api/v1/persons/0190a5d0-0000-7000-8000-000000000000"
    assert client.get(missing).json()["message"] == "记录不存在或不在您的权限范围内。"
    assert client.get(missing + "?lang=en").json()["message"] == "The record does not exist or is outside your scope."


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_a_body_over_the_limit_is_refused_in_english():
    response = Client().post(
        "/api/v1/persons/search?lang=en", "{" + '"q": "' + "x" * 50 + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["message"].startswith("The request body is too large:")


def test_pages_do_not_read_lang_from_the_query_string():
    request = RequestFactory().get("/competitions/?lang=en")
    assert request_language(request) == "zh-hans"
    request = RequestFactory().get("/api/v1/competitions?lang=en")
    assert request_language(request) == "en"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("en-us", "en"), ("EN_gb", "en"), ("zh", "zh-hans"), ("zh-Hans", "zh-hans"), ("zh_CN", "zh-hans"),
     ("fr", None), ("", None), ("e" * 1000, None), ("\x00", None)],
)  # fmt: skip
def test_supported_language(value, expected):
    assert supported_language(value) == expected
