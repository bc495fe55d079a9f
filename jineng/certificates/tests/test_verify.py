"""Public verification by number and name: valid, revoked, not_found (a wrong name looks exactly like an unknown
number), both required, masked holder, and the per-client rate limit with a 429 in the one error format."""

from __future__ import annotations

import pytest

from jineng.certificates import services
from jineng.certificates.models import RateCounter

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/certificates/verify"


def test_a_valid_certificate_is_found_by_number_and_name_with_the_name_masked(passed_certificate, client, openapi):
    response = client.get(URL, {"number": passed_certificate.number, "name": "李四"})
    assert response.status_code == 200
    openapi.validate(response)
    body = response.json()
    assert body == {
        "status": "valid",
        "number": passed_certificate.number,
        "holder": "李*",
        "kind": "职业技能等级证书",
        "occupation": "计算机程序设计员",
        "level": "四级/中级工",
        "issuer": "广州市职业技能评价中心",
        "issued_on": passed_certificate.issued_on.isoformat(),
    }
    # Printed with hyphens, typed in lower case: the same certificate.
    from jineng.rules.certificates import display_number

    grouped = display_number(passed_certificate.number).lower()
    assert client.get(URL, {"number": grouped, "name": " 李四 "}).json()["status"] == "valid"


def test_a_wrong_name_answers_not_found_like_an_unknown_number(passed_certificate, client):
    wrong_name = client.get(URL, {"number": passed_certificate.number, "name": "李五"})
    unknown = client.get(URL, {"number": "4401062026S99999990", "name": "李四"})
    number = passed_certificate.number
    mistyped = client.get(URL, {"number": number[:-1] + ("1" if number[-1] != "1" else "2"), "name": "李四"})
    assert wrong_name.status_code == unknown.status_code == mistyped.status_code == 200
    assert wrong_name.json()["status"] == "not_found"
    assert wrong_name.json() == unknown.json() == mistyped.json()
    assert "李" not in wrong_name.content.decode()


def test_number_and_name_are_both_required(passed_certificate, client):
    for params in ({"number": passed_certificate.number}, {"name": "李四"}, {}):
        response = client.get(URL, params)
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"


def test_a_revoked_certificate_says_so(world, passed_certificate, client):
    services.certificate_revoke(actor=world.county, certificate=passed_certificate, reason="违规发证")
    body = client.get(URL, {"number": passed_certificate.number, "name": "李四"}).json()
    assert body["status"] == "revoked" and body["holder"] == "李*"


def test_the_verify_page(passed_certificate, client):
    page = client.get("/verify", {"number": passed_certificate.number})
    assert page.status_code == 200
    html = page.content.decode()
    assert passed_certificate.number in html and "证书有效" not in html  # the QR code fills in the number only
    found = client.get("/verify", {"number": passed_certificate.number, "name": "李四"}).content.decode()
    assert "证书有效" in found and "李*" in found and "李四" not in found.split("verify-result", 1)[1]
    missing = client.get("/verify", {"number": passed_certificate.number, "name": "王五"}).content.decode()
    assert "未查到该证书" in missing


def test_the_rate_limit_answers_429_in_the_one_error_format(passed_certificate, client, settings):
    settings.JINENG_VERIFY_RATE = "3/minute"
    params = {"number": passed_certificate.number, "name": "李四"}
    for _ in range(3):
        assert client.get(URL, params).status_code == 200
    refused = client.get(URL, params)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "too_many_requests" and body["fields"] == [] and "3/minute" in body["message"]
    assert 1 <= int(refused["Retry-After"]) <= 60 and body["retry_after"] == int(refused["Retry-After"])
    assert client.get("/verify", params).status_code == 429  # the page shares the address's budget
    # Another client address has its own budget; the stored key is a hash, not the address.
    other = client.get(URL, params, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200
    assert not RateCounter.objects.filter(key__contains="127.0.0.1").exists()
    assert not RateCounter.objects.filter(key__contains="10.9.8.7").exists()


def test_the_window_resets(passed_certificate, settings):
    import datetime as dt

    from django.utils import timezone

    from jineng.certificates.ratelimit import rate_limit_hit

    settings.JINENG_VERIFY_RATE = "2/minute"
    start = timezone.now().replace(second=0, microsecond=0)
    assert [rate_limit_hit("t", "1.2.3.4", now=start + dt.timedelta(seconds=s)).allowed for s in (1, 2, 3)] == [
        True, True, False,
    ]  # fmt: skip
    assert rate_limit_hit("t", "1.2.3.4", now=start + dt.timedelta(seconds=61)).allowed
    late = rate_limit_hit("t", "1.2.3.4", now=start + dt.timedelta(seconds=62))
    assert late.allowed and late.remaining == 0 and late.retry_after == 58


def test_a_bad_rate_setting_is_a_system_check_error(settings):
    from jineng.certificates.apps import _check_rate_setting

    settings.JINENG_VERIFY_RATE = "thirty per minute"
    assert [e.id for e in _check_rate_setting()] == ["certificates.E001"]
    settings.JINENG_VERIFY_RATE = "30/minute"
    assert _check_rate_setting() == []


def test_a_too_long_number_on_the_verify_page_is_named_in_plain_words(client, settings):
    """The walk: a 300-character number answered Django's "确保该变量包含不超过 60 字符"."""
    page = client.get("/verify", {"number": "9" * 300, "name": "李四"}).content.decode()
    assert "证书编号最多 60 个字符" in page and "确保" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/verify", {"number": "9" * 300, "name": "李四"}).content.decode()
    assert "at most 60 characters" in english
