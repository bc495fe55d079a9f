"""The public API and pages (信息公开): no login, the documented shapes, search by code and by Chinese name."""

from __future__ import annotations

import csv

import pytest

from jineng.refdata.models import Plan, PlanTarget, Region
from jineng.refdata.plans import TARGETS_CSV
from jineng.refdata.regions import REGIONS_CSV

pytestmark = pytest.mark.django_db

REGION_ROWS = list(csv.DictReader(REGIONS_CSV.open(encoding="utf-8")))


def _get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_region_with_its_children(client):
    body = _get(client, "/api/v1/public/regions/440000")
    assert (body["code"], body["name"], body["parent"]["code"]) == ("440000", "广东省", "000000")
    expected = sorted((r["code"], r["name"]) for r in REGION_ROWS if r["parent_code"] == "440000")
    assert [(c["code"], c["name"]) for c in body["children"]] == expected
    assert body["valid_to"] is None


def test_the_country_lists_every_province_and_a_city_without_counties_none(client):
    provinces = {r["code"] for r in REGION_ROWS if r["level"] == "province"}
    assert {c["code"] for c in _get(client, "/api/v1/public/regions/000000")["children"]} == provinces
    assert _get(client, "/api/v1/public/regions/441900")["children"] == []


def test_a_retired_region_shows_its_years_and_successor_but_no_children(client):
    body = _get(client, "/api/v1/public/regions/330181")
    assert body["name"] == "萧山市" and body["valid_to"] is not None
    assert [s["code"] for s in body["successors"]] == ["330109"]
    assert _get(client, "/api/v1/public/regions/110100")["children"] == []  # 市辖区 of an earlier edition
    beijing = _get(client, "/api/v1/public/regions/110000")["children"]
    assert "110103" not in {c["code"] for c in beijing}  # 崇文区 (retired) is not listed


def test_an_unknown_region_is_a_coded_404(client):
    response = client.get("/api/v1/public/regions/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_region"


def test_region_search(client):
    body = _get(client, "/api/v1/public/regions?q=天河")
    assert "440106" in {r["code"] for r in body["items"]}
    body = _get(client, "/api/v1/public/regions?q=4401")
    assert body["count"] == 1 + sum(1 for r in REGION_ROWS if r["parent_code"] == "440100")


def test_occupations_search_by_code_and_by_name(client):
    body = _get(client, "/api/v1/public/occupations?q=4-04-05")
    assert set(body) == {"count", "page", "page_size", "items"}
    codes = [o["code"] for o in body["items"]]
    assert codes[0] == "4-04-05" and all(c.startswith("4-04-05") for c in codes)
    first = body["items"][1]
    assert set(first) >= {"code", "name", "level", "level_label", "parent_code", "is_digital", "is_green", "marks"}
    assert first["parent_code"] == "4-04-05"
    by_name = _get(client, "/api/v1/public/occupations?q=计算机程序设计员")
    assert [o["code"] for o in by_name["items"]] == ["4-04-05-01"]
    assert by_name["items"][0]["is_digital"] is True and by_name["items"][0]["marks"] == "S"
    paged = _get(client, "/api/v1/public/occupations?level=occupation&page=2&page_size=10")
    assert paged["page"] == 2 and len(paged["items"]) == 10 and paged["count"] > 1000


def test_occupation_detail_with_its_hierarchy_and_subtypes(client):
    body = _get(client, "/api/v1/public/occupations/6-18-02-04")
    assert body["name"] == "焊工"
    assert [a["code"] for a in body["ancestors"]] == ["6", "6-18", "6-18-02"]
    assert {s["name"] for s in body["subtypes"]} == {"电焊工", "气焊工", "钎焊工", "焊接设备操作工"}
    assert body["definition"]
    minor = _get(client, "/api/v1/public/occupations/6-18-02")
    assert "6-18-02-04" in {c["code"] for c in minor["children"]}
    assert client.get("/api/v1/public/occupations/9-99").status_code == 404


def test_plans_and_their_targets_in_base_units(client):
    plans = _get(client, "/api/v1/public/plans")
    assert {p["code"] for p in plans["items"]} == {
        "national-2021",
        "guangdong-2021",
        "guangdong-clusters-2021",
        "shandong-2022",
        "jilin-2022",
    }
    file_rows = list(csv.DictReader(TARGETS_CSV.open(encoding="utf-8")))
    for plan in plans["items"]:
        rows = [r for r in file_rows if r["plan"] == plan["code"]]
        assert plan["target_count"] == len(rows)
        body = _get(client, f"/api/v1/public/plans/{plan['code']}/targets")
        assert body["count"] == len(rows)
        got = {t["indicator"]: t for t in body["items"]}
        for row in rows:
            target = got[row["indicator"]]
            assert target["value"] == int(row["value"]) and isinstance(target["value"], int)
            assert target["raw_value"] == row["raw_value"]
            assert (target["parent"] or "") == row["parent"]
            assert target["region"]["code"] == row["region"]


def test_a_target_carries_everything_the_plans_say(client):
    body = _get(client, "/api/v1/public/plans/guangdong-2021/targets")
    t = {x["indicator"]: x for x in body["items"]}
    assert t["subsidized-training"]["value"] == 7000000  # 〔700〕 万人次
    assert t["subsidized-training"]["unit"] == "person_times" and t["subsidized-training"]["kind"] == "flow"
    assert t["subsidized-training"]["baseline"] == 5755000 and t["subsidized-training"]["baseline_period"] == "2020"
    assert t["subsidized-training"]["attribute_label"] == "预期性"
    assert "粤人社发〔2021〕45号" in t["subsidized-training"]["source"]
    assert t["high-skill-talents"]["kind"] == "stock" and t["high-skill-talents"]["opening_stock"] == 4450000
    assert t["national-master-studios"]["opening_stock"] == 50 and t["national-master-studios"]["value"] == 70
    parts = _get(client, "/api/v1/public/plans/guangdong-2021/targets?indicator=subsidized-training")["items"]
    assert {p["indicator"] for p in parts} == {"subsidized-training", "subsidized-training-migrant-workers"}
    jilin = _get(client, "/api/v1/public/plans/jilin-2022/targets")["items"]
    brands = next(x for x in jilin if x["indicator"] == "training-brands")
    assert (brands["value"], brands["value_max"], brands["comparator"]) == (2, 3, "between")
    assert all(x["period_start"] == 2022 for x in jilin)


def test_an_unknown_plan_is_a_404(client):
    response = client.get("/api/v1/public/plans/nowhere-2030/targets")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_plan"


def test_levels_kinds_and_industries(client):
    levels = _get(client, "/api/v1/public/skill-levels")["items"]
    assert [lv["label"] for lv in levels][1] == "五级/初级工"
    assert [lv["is_high_skill"] for lv in levels] == [False, False, False, True, True, True, True, True]
    kinds = _get(client, "/api/v1/public/certificate-kinds")["items"]
    assert [k["name"] for k in kinds] == ["职业资格证书", "职业技能等级证书", "专项职业能力证书", "培训合格证书"]
    industries = {t["code"]: t for t in _get(client, "/api/v1/public/industries")["items"]}
    assert len(industries["guangdong-clusters"]["tags"]) == 20
    assert industries["shandong-top10"]["region"]["code"] == "370000"


# ---- pages -----------------------------------------------------------------------------------------------------

PAGES = [
    ("/public/", "信息公开"),
    ("/public/regions/", "广东省"),
    ("/public/regions/?q=天河", "天河区"),
    ("/public/regions/440100/", "天河区"),
    ("/public/regions/110103/", "已撤销"),
    ("/public/occupations/", "党的机关"),
    ("/public/occupations/?q=焊工", "6-18-02-04"),
    ("/public/occupations/?q=4-04-05&mark=S&level=occupation", "计算机程序设计员"),
    ("/public/occupations/6-18-02-04/", "电焊工"),
    ("/public/levels/", "五级/初级工"),
    ("/public/industries/", "半导体与集成电路"),
    ("/public/plans/", "粤人社发〔2021〕45号"),
    ("/public/plans/guangdong-2021/", "7,000,000"),
    ("/public/plans/jilin-2022/", "吉人社联〔2022〕145号"),
]


@pytest.mark.parametrize(("url", "text"), PAGES)
def test_public_pages_render_without_login(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert text in html
    assert 'style="' not in html and "<script>" not in html  # the CSP allows neither
    assert 'href="/public/plans/"' in html  # the public navigation


def test_the_occupation_filters_keep_only_marked_codes(client):
    html = client.get("/public/occupations/?q=4-04-05&mark=S&level=occupation").content.decode()
    assert "4-04-05-01" in html and "4-04-05-03" not in html  # 呼叫中心服务员 carries no S mark


def test_a_code_typed_in_the_region_search_opens_it(client):
    response = client.get("/public/regions/?q=330181")
    assert response.status_code == 302 and response["Location"] == "/public/regions/330181/"


def test_unknown_codes_are_404_pages(client):
    for url in ("/public/regions/999999/", "/public/occupations/9-99/", "/public/plans/nowhere/"):
        assert client.get(url).status_code == 404


def test_every_target_is_on_its_plans_page(client):
    for plan in Plan.objects.all():
        html = client.get(f"/public/plans/{plan.code}/").content.decode()
        for target in PlanTarget.objects.filter(plan=plan):
            assert target.indicator in html
            assert target.raw_value in html


def test_the_login_page_and_the_signed_in_navigation_link_here(client, make_user):
    assert 'href="/public/"' in client.get("/login/").content.decode()
    client.force_login(make_user("county_official", region="440106"))
    assert 'href="/public/"' in client.get("/").content.decode()


def test_regions_are_not_changed_by_reading(client):
    before = Region.objects.count()
    client.get("/public/regions/110103/")
    assert Region.objects.count() == before
