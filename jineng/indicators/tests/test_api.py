"""The indicators API and pages: the interface the acceptance checks use, bad input (422), scope (403 outside the
grant), the drill-down with its 本级 row, the records behind a number, the public summary, the xlsx export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

GD = "guangdong-2021"


def test_interface_items_for_a_city(fresh_rollups, certificate, read):
    certificate("440106", dt.date(2024, 5, 1))
    items = read(GD, "440100", 2025)
    item = items["certificates-new"]
    for key in ("code", "name", "target", "actual", "own_actual", "additive", "progress", "definition", "unit",
                "kind", "time_elapsed", "signal"):  # fmt: skip
        assert key in item
    assert isinstance(item["target"], int) and item["target"] == 3_000_000
    assert item["actual"] == 1 and item["own_actual"] == 0
    # Every target of the plan is listed, in the document's order.
    assert list(items) == [
        "subsidized-training", "subsidized-training-migrant-workers", "new-apprenticeship-training",
        "certificates-new", "certificates-new-high-skill", "provincial-public-training-bases",
        "national-high-skill-bases", "national-master-studios", "vocational-training-all", "high-skill-talents",
        "provincial-key-textbooks",
    ]  # fmt: skip
    # A city is below the target's region: no on-track signal of its own.
    assert item["signal"] == "not_applicable"
    assert read(GD, "440000", 2025)["certificates-new"]["signal"] in {"behind", "at_risk", "on_track", "met"}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("plan=guangdong-2021&region=370102&year=2025", "region_outside_plan"),  # 济南 is not in 广东
        ("plan=guangdong-2021&region=440100&year=2019", "year_outside_plan"),
        ("plan=jilin-2022&region=220000&year=2021", "year_outside_plan"),  # 吉林's plan starts in 2022
        ("plan=guangdong-2021&region=999999&year=2025", "unknown_region"),
    ],
)
def test_a_region_or_year_outside_the_plan_is_a_clear_422(api, admin, query, code):
    response = api(admin).get(f"/api/v1/indicators?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_an_unknown_plan_is_404(api, admin):
    assert api(admin).get("/api/v1/indicators?plan=nope&region=440000&year=2025").status_code == 404


def test_a_county_official_cannot_read_the_province(api, make_user):
    county = make_user("county_official", region="440106")
    client = api(county)
    assert client.get(f"/api/v1/indicators?plan={GD}&region=440000&year=2025").status_code == 403
    assert client.get(f"/api/v1/indicators?plan={GD}&region=440104&year=2025").status_code == 403
    assert client.get(f"/api/v1/indicators?plan={GD}&region=440106&year=2025").status_code == 200
    # Without a region, the official's own county.
    assert client.get(f"/api/v1/indicators?plan={GD}&year=2025").json()["region"] == "440106"


def test_roles_without_the_permission_are_refused(api, make_user):
    finance = make_user("finance", region="440000")
    assert api(finance).get(f"/api/v1/indicators?plan={GD}&region=440000&year=2025").status_code == 403


def test_breakdown_lists_own_share_and_children_and_adds_up(fresh_rollups, certificate, api, admin):
    certificate("440106", dt.date(2022, 5, 1))
    certificate("440100", dt.date(2022, 5, 1))  # 广州市本级
    certificate("441900", dt.date(2023, 5, 1))  # 东莞 (no counties)
    certificate("440000", dt.date(2023, 5, 1))  # 省本级 (a province-run school)
    from jineng.indicators.freshness import refresh

    refresh(full_if_due=False)
    body = api(admin).get(f"/api/v1/indicators/breakdown?plan={GD}&indicator=certificates-new&region=440000"
                          "&year=2025").json()  # fmt: skip
    rows = {(r["role"], r["region"]): r for r in body["rows"]}
    assert rows[("total", "440000")]["actual"] == 4
    assert rows[("own", "440000")]["actual"] == 1
    assert rows[("child", "440100")]["actual"] == 2
    assert rows[("child", "441900")]["actual"] == 1
    assert rows[("child", "441900")]["has_children"] is False
    assert rows[("total", "440000")]["check"] is True
    assert sum(r["actual"] for r in body["rows"] if r["role"] != "total") == 4


def test_records_behind_a_number_are_paginated_and_scoped(fresh_rollups, certificate, api, admin, make_user,
                                                          without_source):  # fmt: skip
    for _ in range(3):
        certificate("440106", dt.date(2022, 5, 1))
    certificate("440104", dt.date(2022, 5, 1))
    body = api(admin).get(f"/api/v1/indicators/records?plan={GD}&indicator=certificates-new&region=440100"
                          "&year=2025&page_size=2").json()  # fmt: skip
    assert body["count"] == 4 and len(body["items"]) == 2
    assert {i["kind"] for i in body["items"]} == {"certificate"}
    county = make_user("county_official", region="440104")
    mine = api(county).get(f"/api/v1/indicators/records?plan={GD}&indicator=certificates-new&year=2025").json()
    assert mine["count"] == 1 and mine["items"][0]["region"] == "440104"
    without_source("provincial-key-competitions")
    no_data = api(admin).get("/api/v1/indicators/records?plan=shandong-2022&indicator=provincial-key-competitions"
                             "&year=2025")  # fmt: skip
    assert no_data.status_code == 422 and no_data.json()["code"] == "no_data"


def test_series_is_year_by_year(fresh_rollups, certificate, api, admin):
    certificate("440106", dt.date(2021, 5, 1))
    certificate("440106", dt.date(2023, 5, 1))
    from jineng.indicators.freshness import refresh

    refresh(full_if_due=False)
    body = api(admin).get(f"/api/v1/indicators/series?plan={GD}&indicator=certificates-new&region=440000&year=2024")
    points = body.json()["points"]
    assert [(p["year"], p["actual"]) for p in points] == [(2021, 1), (2022, 1), (2023, 2), (2024, 2)]


def test_public_summary_needs_no_login_and_shows_the_province_only(fresh_rollups, certificate, client):
    certificate("440106", dt.date(2022, 5, 1))
    from jineng.indicators.freshness import refresh

    refresh(full_if_due=False)
    body = client.get(f"/api/v1/public/indicators?plan={GD}&year=2025").json()
    assert body["region"] == "440000"
    item = {i["code"]: i for i in body["items"]}["certificates-new"]
    assert item["actual"] == 1
    assert "own_actual" not in item
    page = client.get(f"/indicators/public/?plan={GD}&year=2025")
    assert page.status_code == 200
    assert "新增取得职业资格证书" in page.content.decode()


def test_the_records_behind_a_number_mask_person_names(fresh_rollups, certificate, client, api, admin):
    """The attack: the record list showed full names where every other list masks them (张*三)."""
    from jineng.common.masking import mask_name

    cert = certificate("440106", dt.date(2022, 5, 1))
    assert len(cert.holder_name) >= 2
    client.force_login(admin)
    html = client.get(f"/indicators/records/?plan={GD}&region=440100&year=2025&indicator=certificates-new")
    assert mask_name(cert.holder_name) in html.content.decode() and cert.holder_name not in html.content.decode()
    body = api(admin).get(f"/api/v1/indicators/records?plan={GD}&indicator=certificates-new&region=440100&year=2025")
    assert cert.holder_name not in body.content.decode("utf-8")


def test_dashboard_page_export_and_records_page(fresh_rollups, certificate, client, admin):
    certificate("440106", dt.date(2022, 5, 1))
    certificate("440000", dt.date(2022, 6, 1))
    from jineng.indicators.freshness import refresh

    refresh(full_if_due=False)
    client.force_login(admin)
    page = client.get(f"/indicators/?plan={GD}&region=440000&year=2025&indicator=certificates-new")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="indicator-chart-data"' in html and "dashboard.js" in html
    assert "<script>" not in html.replace('<script type="application/json"', "")  # no inline script (CSP)
    assert "广东省本级" in html and "广州市" in html
    records = client.get(f"/indicators/records/?plan={GD}&region=440100&year=2025&indicator=certificates-new")
    assert records.status_code == 200 and "440106" not in records.content.decode().split("<tbody>")[0]
    xlsx = client.get(f"/indicators/export.xlsx?plan={GD}&region=440000&year=2025")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb["指标"].iter_rows(values_only=True))
    by_code = {r[0]: r for r in rows[2:]}
    assert by_code["certificates-new"][6] == 2 and by_code["certificates-new"][7] == 1
    assert by_code["provincial-key-textbooks"][6] == 0  # counted from textbook records (none here), not "no data"
    regional = list(wb["分地区"].iter_rows(values_only=True))
    assert (
        "certificates-new",
        "新增取得职业资格证书或职业技能等级证书人数（万人次）",
        "440000",
        "广东省本级",
        "本级",
        1,
    ) in regional


def test_pages_refuse_out_of_scope_regions(client, make_user):
    county = make_user("county_official", region="440106")
    client.force_login(county)
    assert client.get(f"/indicators/?plan={GD}&region=440000&year=2025").status_code == 403
    assert client.get(f"/indicators/?plan={GD}&year=2025").status_code == 200
    assert client.get(f"/indicators/export.xlsx?plan={GD}&region=440100&year=2025").status_code == 403
