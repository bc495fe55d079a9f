"""The officials' pages (供求分析 with the drill-down and our own supply beside demand, the catalog list and a draft
made from its form) and the demo data: a published catalog and wage levels for 广东, a draft awaiting approval."""

from __future__ import annotations

import pytest

from jineng.labour_market import selectors, services
from jineng.labour_market.tests.conftest import GUARD, TODAY, WELDER, previous_quarter_days

pytestmark = pytest.mark.django_db


def test_demand_page_ranks_occupations_and_drills_down(lm, demand, client):
    day = previous_quarter_days(1)[0]
    demand(WELDER, "440106", day, vacancies=30, seekers=10)
    demand(GUARD, "440104", day, vacancies=5, seekers=20)
    demand(WELDER, "440303", day, vacancies=7, seekers=0)  # 深圳: outside 广州
    client.force_login(lm.city)
    quarter = (day.month - 1) // 3 + 1
    html = client.get(f"/labour/?region=440100&year={day.year}&quarter={quarter}").content.decode()
    assert html.index("焊工") < html.index("保安员")  # ranked by 求人倍率: 3.00 before 0.25
    assert "3.00" in html and "0.25" in html and "天河区" in html and "越秀区" in html
    rows = selectors.demand_rows(selectors.DemandQuery(selectors.Region.objects.get(code="440000"), day.year, quarter))
    welder = next(r for r in rows if r["occupation_code"] == WELDER)
    assert (welder["vacancies"], welder["seekers"], welder["ratio"]) == (37, 10, 3.7)
    grouped = selectors.DemandQuery(selectors.Region.objects.get(code="440000"), day.year, quarter, "4")
    assert [r["occupation_code"] for r in selectors.demand_rows(grouped)] == [GUARD]
    assert client.get("/labour/?region=440300").status_code == 403  # 深圳 is outside the city's grant
    assert client.get("/labour/?region=440100&quarter=5").status_code == 422


def test_catalog_draft_from_the_page_and_the_approval_button_for_someone_else(lm, demand, client):
    for day in previous_quarter_days(2):
        demand(WELDER, "440106", day, vacancies=30, seekers=10)
    client.force_login(lm.drafter)
    response = client.post("/labour/catalogs/?region=440000", {})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "焊工" in page and "须由其他有审核权限的人员审核" in page and 'value="approve"' not in page
    client.force_login(lm.approver)
    assert 'value="approve"' in client.get(response["Location"]).content.decode()
    client.force_login(lm.tianhe)  # a county official sees its own region's list, without the draft form
    html = client.get("/labour/catalogs/?region=440106").content.decode()
    assert 'id="draft-form"' not in html


def test_public_pages_without_a_catalog_or_data(client):
    assert "本地区尚未发布目录" in client.get("/shortage/?region=440000").content.decode()
    body = client.get("/api/v1/public/shortage-occupations?region=440000").json()
    assert body["version"] is None and body["items"] == [] and body["history"] == []
    assert client.get("/api/v1/public/shortage-occupations?region=999999").json()["code"] == "unknown_region"
    assert client.get("/shortage/wages/?region=440000").status_code == 200


def test_demo_data_publishes_a_catalog_and_wage_levels(make_user, client):
    from jineng.labour_market.demo import seed_demo
    from jineng.labour_market.models import CatalogStatus, ShortageCatalog

    make_user("province_official", region="440000", username="demo-province")
    make_user("province_official", region="440000", username="demo-reviewer")
    make_user("city_official", region="440100", username="demo-city")
    seed_demo(seed=3)
    seed_demo(seed=3)  # idempotent
    body = client.get("/api/v1/public/shortage-occupations?region=440000").json()
    assert body["version"] == 2 and {WELDER, "6-31-01-03"} <= {i["occupation_code"] for i in body["items"]}
    assert [h["version"] for h in body["history"]] == [2, 1]
    wages = client.get(f"/api/v1/public/wage-levels?region=440000&year={TODAY.year - 1}").json()
    cells = {c["occupation_code"]: c for c in wages["items"]}
    assert cells[WELDER]["p50"] is not None and cells[WELDER]["sample_size"] >= 10
    assert any(c["p50"] is None and c["sample_size"] > 0 for c in cells.values())  # a thin cell, suppressed
    draft = ShortageCatalog.objects.get(region_id="440100")
    assert draft.status == CatalogStatus.DRAFT
    assert services.last_complete_quarter(TODAY)[0] >= TODAY.year - 1


def test_supply_beside_demand_counts_the_four_quarters_up_to_the_quarter(lm, client):
    """Issue 15: /labour/ showed 取证 0 beside every occupation the demo trains — one quarter of our own records is
    too thin (a demo class every ten weeks). Supply is the year up to the quarter's end: a certificate issued three
    quarters before counts, one issued four quarters before does not, nor one issued after the quarter."""
    import datetime as dt
    from uuid import uuid4

    from jineng.certificates.models import Certificate
    from jineng.refdata.api import CURRENT_OCCUPATION_EDITION, Occupation
    from jineng.registry.models import Person
    from jineng.rules.labour import previous_quarters

    welder = Occupation.objects.get(code=WELDER, edition=CURRENT_OCCUPATION_EDITION)
    year, quarter = services.last_complete_quarter(TODAY)
    window = previous_quarters(year, quarter, 5)  # the oldest is outside the supply's four quarters

    def certificate(day: dt.date, region: str = "440106") -> None:
        person = Person.objects.create(name="持证人")
        Certificate.objects.create(
            number=f"T{uuid4().hex[:16].upper()}", kind_id="skill_level", person=person, holder_name=person.name,
            occupation=welder, occupation_name=welder.name, level_id="grade4", issuer_name="评价机构",
            issued_on=day, region_id=region, source="exam",
        )  # fmt: skip

    certificate(selectors.quarter_bounds(*window[1])[0])  # the first day of the window: counted
    certificate(selectors.quarter_bounds(year, quarter)[1])  # the quarter's last day: counted
    certificate(selectors.quarter_bounds(*window[0])[1])  # the day before the window: not
    certificate(selectors.quarter_bounds(year, quarter)[1] + dt.timedelta(days=1))  # after the quarter: not
    certificate(selectors.quarter_bounds(year, quarter)[0], region="440303")  # 深圳: not under 广州
    assert selectors.supply_cells("440100", year, quarter) == {WELDER: {"trained": 0, "certified": 2}}
    client.force_login(lm.city)
    html = client.get(f"/labour/?region=440100&year={year}&quarter={quarter}").content.decode()
    assert "焊工" in html and "取证（近四季度）" in html
