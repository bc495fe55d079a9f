"""Two journeys in a real browser at 1366×768 and 390×844, screenshots in var/screens/h8/:

- the province official: workbench (the claim waiting for their 复审) → 规划指标 dashboard → the records behind a
  figure → 补贴审核 → a claim's checks in words → 资金拨付 (a batch made on the page) → 资金台账;
- the public: the portal → 证书查询 (and its result page, which keeps the navigation) → 两目录 → 补贴公示.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "h8"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def _save(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _world(make_account: Any) -> dict[str, Any]:
    """Reference data back after the flush, policies published, an enterprise with four new hires' 以工代训 claims:
    one waiting for the province's 复审, two approved (ready to pay), one submitted."""
    from jineng.accounts.models import Organization
    from jineng.accounts.services import grant_create
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Plan, SkillLevel
    from jineng.registry.services.persons import MembershipInput, employment_add, person_create
    from jineng.subsidies.services import review
    from jineng.subsidies.services.claims import claim_submit
    from jineng.subsidies.tests.conftest import TODAY, WORK_POLICY, credit_code, id_number, publish, work_input

    if not SkillLevel.objects.exists() or not Plan.objects.exists():
        load_all([p for p in ("levels", "certificate_kinds", "occupations", "industries", "plans", "plan_targets")])
    publish("440000", WORK_POLICY)
    enterprise = Organization.objects.create(kind="enterprise", name="越秀智造有限公司", region_id="440104",
                                             credit_code=credit_code("440104"))  # fmt: skip
    hr = make_account("enterprise_hr", username="hr", organization=enterprise)
    county = make_account("county_official", username="yuexiu", region="440104")
    city = make_account("city_official", username="gz", region="440100")
    province = make_account("province_official", username="gd", region="440000", display_name="省人社厅 经办")
    grant_create(actor=None, user=province, function="finance", region_code="440000")
    # 复审 of the claims to pay by a colleague: whoever reviewed a claim may not put it in a payment batch
    colleague = make_account("province_official", username="gd2", region="440000")

    def submitted(name: str) -> Any:
        started = TODAY - dt.timedelta(days=8 * 31)
        person = person_create(
            actor="test", name=name, id_number=id_number("440104"), residence_region="440104",
            groups=[MembershipInput(group="unemployed", valid_from=started - dt.timedelta(days=60))],
            check_permission=False,
        )  # fmt: skip
        record = employment_add(actor="test", person=person, status="employed", started_on=started,
                                employer_name=enterprise.name, employer_credit_code=enterprise.credit_code,
                                source="测试", contract_months=24, insured_from=started)  # fmt: skip
        return claim_submit(actor=hr, data=work_input(record, enterprise))

    waiting = review.claim_first_review(actor=city, claim=review.claim_accept(actor=county, claim=submitted("甲一")))
    approved = []
    for name in ("乙二", "丙三"):
        claim = review.claim_first_review(actor=city, claim=review.claim_accept(actor=county, claim=submitted(name)))
        claim = review.claim_second_review(actor=colleague, claim=claim, on=TODAY - dt.timedelta(days=30))
        approved.append(review.claim_publicity_close(actor="system", claim=claim))
    submitted("丁四")
    return {"waiting": waiting, "approved": approved}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_province_officials_journey(server: str, new_page: Any, make_account: Any, login: Any, size: str) -> None:
    width, height = SIZES[size]
    world = _world(make_account)
    page = new_page(width=width, height=height)
    page.set_default_timeout(60_000)  # eight engineers share two cores: the first request may wait
    login(page, "gd")

    # 工作台: the claim waiting for the province's 复审, with its deadline; no audit counts
    todo = page.locator("main table").first
    expect(todo).to_contain_text(world["waiting"].number)
    expect(todo).to_contain_text("补贴复审")
    expect(page.get_by_text("近7天审计事件")).to_have_count(0)
    _save(page, f"province-1-workbench-{size}")

    # 规划指标: targets in the plan's units, the opening stock explained; drill to the records behind a figure
    page.goto(f"{server}/indicators/?plan=guangdong-2021&region=440000")
    table = page.locator("#indicator-table")
    expect(table).to_contain_text("700万人次")
    expect(table).to_contain_text("含期初存量 57")
    _save(page, f"province-2-dashboard-{size}")
    table.locator("tr", has_text="开展补贴性职业技能培训").locator("td").nth(2).locator("a").first.click()
    expect(page.locator("main")).to_contain_text("开展补贴性职业技能培训")
    _save(page, f"province-3-records-{size}")

    # 补贴审核 → 复审 queue → the claim: checks and steps in words
    page.goto(f"{server}/subsidies/review/?queue=first_passed")
    expect(page.locator("main")).to_contain_text(world["waiting"].number)
    _save(page, f"province-4-review-queue-{size}")
    page.get_by_role("link", name=world["waiting"].number).first.click()
    main = page.locator("main")
    expect(main).to_contain_text("与申请单位的劳动关系")
    expect(main).to_contain_text("初审")
    text = main.inner_text()
    assert not re.search(r"\b(employed_by_applicant|annual_cap|first_review|approve)\b", text), text
    _save(page, f"province-5-claim-{size}")

    # 资金拨付: the approved claims, batched on the page; the batch shows no internal ids
    page.goto(f"{server}/subsidies/payments/")
    for claim in world["approved"]:
        expect(page.locator("main")).to_contain_text(claim.number)
    page.get_by_role("button", name="生成拨付批次").click()
    expect(page.locator("h1")).to_contain_text("拨付批次")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", page.locator("main").inner_text())
    _save(page, f"province-6-batch-{size}")

    # 资金台账
    page.goto(f"{server}/subsidies/ledger/")
    expect(page.locator("h1")).to_be_visible()
    _save(page, f"province-7-ledger-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_public_journey(server: str, new_page: Any, size: str) -> None:
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Plan

    if not Plan.objects.exists():
        load_all(["levels", "certificate_kinds", "occupations", "plans", "plan_targets"])
    width, height = SIZES[size]
    page = new_page(width=width, height=height)
    page.set_default_timeout(60_000)
    page.goto(f"{server}/login/")
    bar = page.locator("nav.jn-public-bar")
    bar.get_by_role("link", name="信息公开").click()
    expect(page).to_have_url(f"{server}/public/")
    _save(page, f"public-1-portal-{size}")

    page.locator("main").get_by_role("link", name="证书查询").click()
    expect(page).to_have_url(re.compile(r"/verify$"))
    page.locator("main input[name=number]").fill("4401062026S0000001Q")
    page.locator("main input[name=name]").fill("张三")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("nav.jn-public-bar")).to_be_visible()  # the result page keeps the navigation
    _save(page, f"public-2-verify-result-{size}")

    page.locator("nav.jn-public-bar").get_by_role("link", name="培训机构目录").click()
    expect(page.locator("h1")).to_contain_text("培训机构目录")
    _save(page, f"public-3-providers-{size}")
    page.locator("nav.jn-public-bar").get_by_role("link", name="培训项目目录").click()
    expect(page.locator("h1")).to_contain_text("培训项目目录")
    page.locator("nav.jn-public-bar").get_by_role("link", name="补贴公示").click()
    expect(page.locator("h1")).to_contain_text("补贴发放公示")
    _save(page, f"public-4-publicity-{size}")
    page.locator("nav.jn-public-bar").get_by_role("link", name="规划指标完成情况").click()
    expect(page.locator(".jn-page-sub")).to_contain_text("广东省职业技能培训")  # the province's plan in force first
    page.locator("main select[name=plan]").select_option("national-2021")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("7,500万人次")  # the national plan's ≥7500万, in its own units
    _save(page, f"public-5-plan-figures-{size}")
