"""The inspection pages ask for a region by name (a picker of the regions in scope), not a typed 地区代码 (issue 15)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/inspections/objects/", "/inspections/pool/", "/inspections/draws/"])
def test_the_region_box_is_a_picker_showing_the_regions_name(world, client, url):
    client.force_login(world["official"])
    html = client.get(url).content.decode()
    box = html.split('name="region"')[0].rsplit("<input", 1)[1] + html.split('name="region"')[1].split(">")[0]
    assert 'data-jn-picker="region"' in box, box
    assert "地区代码" not in html
    assert "广州市（440100）" in html  # the official's home region, named beside the box
