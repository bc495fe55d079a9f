"""The upload page's 归属地区 is picked from the regions the user may import into, by name — never a typed six-digit
code (issue 15) — and a region outside the user's scope posted anyway is refused on its field, nothing imported."""

from __future__ import annotations

import re

import pytest

from jineng.imports.models import ImportJob
from jineng.imports.tests.helpers import write_csv

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号码", "手机号码", "居住地行政区划代码", "人员类别"]


def _region_options(html: str) -> dict[str, str]:
    select = re.search(r'<select name="region".*?</select>', html, re.S)
    assert select, "the region is a select"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0)))


def test_the_region_is_a_select_of_the_users_scope_by_name(make_user, client):
    client.force_login(make_user("county_official", region="440104"))
    html = client.get("/imports/").content.decode()
    options = _region_options(html)
    assert options["440104"] == "广州市 · 越秀区"
    assert "440106" not in options and "440100" not in options  # 天河区, the city: outside a county official's scope
    assert "" in options  # left blank: the account's own region
    assert 'name="region" maxlength' not in html and "6位代码" not in html


def test_a_city_official_picks_among_the_citys_counties(make_user, client):
    client.force_login(make_user("city_official", region="440100"))
    options = _region_options(client.get("/imports/").content.decode())
    assert {"440100", "440104", "440106"} <= set(options) and "440300" not in options  # not 深圳市


def test_a_region_outside_scope_is_refused_on_its_field_and_nothing_is_imported(tmp_path, make_user, client):
    client.force_login(make_user("county_official", region="440104"))
    path = write_csv(tmp_path / "p.csv", [HEADER, ["越秀人", "", "", "440104", ""]])
    with path.open("rb") as fh:
        page = client.post("/imports/", {"kind": "persons", "mode": "strict", "region": "440106", "file": fh})
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert list(errors) == ["region"] and "440106" in errors["region"][0]
    assert ImportJob.objects.count() == 0


def test_a_region_in_scope_is_kept_on_the_import(tmp_path, make_user, client, django_capture_on_commit_callbacks):
    client.force_login(make_user("county_official", region="440104"))
    path = write_csv(tmp_path / "p.csv", [HEADER, ["越秀人", "", "", "440104", ""]])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        page = client.post("/imports/", {"kind": "persons", "mode": "partial", "region": "440104", "file": fh})
    assert page.status_code == 302
    assert ImportJob.objects.get().region_id == "440104"
