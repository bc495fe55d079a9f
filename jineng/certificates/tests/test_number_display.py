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
