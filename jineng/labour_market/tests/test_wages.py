"""Wage levels (工资价位): P10–P90 by occupation over the region's subtree; a cell under the minimum sample is
suppressed — in the public API, the officials' API, the page and the export — with its sample size published."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jineng.labour_market.models import WageRecord
from jineng.labour_market.tests.conftest import ELECTRICIAN, TODAY, WELDER
from jineng.refdata.api import Occupation

pytestmark = pytest.mark.django_db
YEAR = TODAY.year - 1


@pytest.fixture
def wages(db):
    welder = Occupation.objects.get(code=WELDER, level="occupation")
    electrician = Occupation.objects.get(code=ELECTRICIAN, level="occupation")
    rows = [WageRecord(ref=f"W{i}", occupation=welder, region_id="440106" if i % 2 else "440104", year=YEAR,
                       annual_pay=60_000 + 1000 * i) for i in range(12)]  # fmt: skip
    rows += [WageRecord(ref=f"E{i}", occupation=electrician, region_id="440106", year=YEAR, annual_pay=90_000)
             for i in range(3)]  # fmt: skip
    WageRecord.objects.bulk_create(rows)


def test_public_api_publishes_percentiles_and_suppresses_small_cells(wages, client):
    body = client.get(f"/api/v1/public/wage-levels?region=440000&year={YEAR}").json()
    assert body["min_sample"] == 10 and body["unit"] == "元/年"
    cells = {c["occupation_code"]: c for c in body["items"]}
    welder = cells[WELDER]
    assert welder["sample_size"] == 12
    # 60 000 … 71 000 yuan: P10 at position 1.1 → 61 100, the median between 65 000 and 66 000.
    assert (welder["p10"], welder["p25"], welder["p50"], welder["p75"], welder["p90"]) == (
        61100,
        62750,
        65500,
        68250,
        69900,
    )
    electrician = cells[ELECTRICIAN]
    assert electrician["sample_size"] == 3
    assert [electrician[k] for k in ("p10", "p25", "p50", "p75", "p90")] == [None] * 5


def test_a_smaller_region_has_smaller_samples(wages, client):
    body = client.get(f"/api/v1/public/wage-levels?region=440106&year={YEAR}").json()
    assert {c["occupation_code"]: c["sample_size"] for c in body["items"]} == {WELDER: 6, ELECTRICIAN: 3}
    assert all(c["p50"] is None for c in body["items"])


def test_page_and_export_suppress_the_same_cell(wages, client, make_user):
    client.force_login(make_user("city_official", region="440100"))
    page = client.get(f"/labour/wages/?region=440100&year={YEAR}").content.decode()
    assert "65,500" in page and "样本不足，不公布" in page
    response = client.get(f"/labour/wages.xlsx?region=440100&year={YEAR}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows[WELDER][3:9] == (12, 61100, 62750, 65500, 68250, 69900)
    assert rows[ELECTRICIAN][3:9] == (3, None, None, None, None, None) and rows[ELECTRICIAN][9] == "样本不足，不公布"
    public = client.get(f"/shortage/wages/?region=440000&year={YEAR}").content.decode()
    assert "65,500" in public and "样本不足，不公布" in public


def test_bad_region_and_year_are_named(client):
    assert client.get("/api/v1/public/wage-levels?region=449999").json()["code"] == "unknown_region"
    assert client.get("/api/v1/public/wage-levels?region=440000&year=abc").status_code == 422
