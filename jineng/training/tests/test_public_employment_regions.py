"""就业情况's region filter is a select of names (issue 15: the public typed a 行政区划代码)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _options(html: str) -> dict[str, str]:
    select = re.search(r'<select name="region".*?</select>', html, re.S)
    assert select, "the region filter is a select"
    return dict(re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select.group(0)))


def test_the_region_filter_lists_the_class_regions_by_name(world, make_class, client):
    make_class("approved")  # held in 天河区 (440106)
    html = client.get("/public/employment/").content.decode()
    assert 'name="region" value=' not in html  # no typed code box
    options = _options(html)
    assert options["440000"] == "广东省" and options["440100"] == "广州市"
    assert options["440106"] == "广州市 · 天河区"
    assert "000000" not in options and "440304" not in options  # no class there: not offered
    chosen = client.get("/public/employment/?region=440106").content.decode()
    assert re.search(r'<option value="440106" selected>', chosen)


@pytest.mark.parametrize("bad", ["<x>", "abc", "9" * 12, "999999", ""])
def test_a_bad_region_shows_every_region_not_an_error(world, make_class, client, bad):
    make_class("approved")
    page = client.get("/public/employment/", {"region": bad})
    assert page.status_code == 200
    assert " selected>" not in re.search(r'<select name="region".*?</select>', page.content.decode(), re.S).group(0)


def test_a_region_without_classes_is_still_shown_by_name_when_chosen(world, make_class, client):
    make_class("approved")
    options = _options(client.get("/public/employment/?region=440304").content.decode())
    assert options["440304"] == "福田区"
