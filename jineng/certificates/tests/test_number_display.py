"""A certificate number is printed one way on every page (as on its PDF and the verification page)."""

from __future__ import annotations

import pytest

from jineng.rules.certificates import display_number

pytestmark = pytest.mark.django_db


def test_the_list_the_detail_and_the_holders_page_print_the_same_number(api, world, passed_certificate):
    number = passed_certificate.number
    shown = display_number(number)
    assert shown != number  # the platform's numbers are grouped for reading
    client = api(world.city)
    for path in ("/certificates/", f"/certificates/{number}/"):
        html = client.get(path).content.decode()
        visible = html.replace(f"/certificates/{number}/", "").replace(f"/api/v1/certificates/{number}/", "")
        assert shown in visible and f">{number}<" not in visible and f" {number}<" not in visible


def test_certificate_pages_name_the_kind_and_level_in_english(passed_certificate, world, client):
    """Issue 15: under the English locale the certificate pages showed 职业技能等级证书 and 四级/中级工."""
    client.force_login(world.staff)
    client.cookies["django_language"] = "en"
    number = passed_certificate.number
    for url in (f"/certificates/{number}/", "/certificates/"):
        body = client.get(url).content.decode()
        assert "Vocational skill level certificate" in body and "Level 4 / Intermediate worker" in body, url
        assert "职业技能等级证书" not in body and "四级/中级工" not in body, url
    del client.cookies["django_language"]
    body = client.get(f"/certificates/{number}/").content.decode()
    assert "职业技能等级证书" in body and "四级/中级工" in body
