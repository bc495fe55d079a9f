"""Pickers, not codes: occupation search by name or code, region search limited to the user's scope, level and
certificate-kind selects; the forms that asked for typed codes now render the pickers and still validate codes."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_occupations_are_found_by_name_or_code(client):
    by_name = client.get("/pickers/occupations", {"q": "程序"}).json()["results"]
    assert by_name and all("程序" in r["label"] for r in by_name)
    by_code = client.get("/pickers/occupations", {"q": "4-04-05"}).json()["results"]
    assert by_code and all(r["code"].startswith("4-04-05") for r in by_code)
    assert client.get("/pickers/occupations", {"q": ""}).json() == {"results": []}


def test_regions_are_limited_to_the_users_scope(api, make_user):
    tianhe = api(make_user("county_official", region="440106"))
    assert [r["code"] for r in tianhe.get("/pickers/regions", {"q": "天河"}).json()["results"]] == ["440106"]
    assert tianhe.get("/pickers/regions", {"q": "福田"}).json()["results"] == []  # Shenzhen: out of scope
    province = api(make_user("province_official", region="440000"))
    found = province.get("/pickers/regions", {"q": "福田"}).json()["results"]
    assert [r["code"] for r in found] == ["440304"] and "深圳市" in found[0]["label"]


def test_a_visitor_searches_the_public_region_tree(client):
    assert client.get("/pickers/regions", {"q": "440106"}).json()["results"][0]["code"] == "440106"


def test_the_exam_session_form_offers_pickers_not_code_boxes(api, make_user, make_org):
    from jineng.certificates.web.forms import SessionForm

    html = str(SessionForm())
    assert 'data-jn-picker="occupation"' in html and 'data-jn-picker="region"' in html
    level = re.search(r'<select name="level".*?</select>', html, re.S).group(0)
    assert 'value="grade4"' in level and "四级/中级工" in level and "grade4<" not in level


def test_a_picked_value_is_still_a_code_the_form_validates(make_user):
    from jineng.providers.web.forms import ProgramForm

    form = ProgramForm(data={"code": "P1", "name": "电工", "occupation": "6-31-01-03", "level": "grade4",
                             "training_kind": "employment", "hours_theory": 10, "hours_practice": 10,
                             "delivery": "offline", "subsidy_category": "none", "region": "440106"})  # fmt: skip
    form.is_valid()
    assert "occupation" not in form.errors and "level" not in form.errors and "region" not in form.errors
    assert 'value="440106"' in str(form["region"]) and "天河区（440106）" in str(form["region"])


def test_filters_that_took_typed_codes_render_pickers(api, make_user):
    client = api(make_user("province_official", region="440000"))
    for path in ("/persons/", "/certificates/", "/providers/", "/settings/"):
        html = client.get(path).content.decode()
        assert 'data-jn-picker="region"' in html, path
    html = client.get("/indicators/").content.decode()  # a province's regions by name (test_region_select.py)
    assert 'id="id_region_select"' in html
