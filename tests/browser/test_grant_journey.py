"""一次性补助 in a real browser: the studio's host asks on the form (a bad account refused naming the field), a city
official approves, the host sees no batch form; a finance official batches it on the payments page and downloads the
bank file, another confirms the bank's answer on the batch page — and the ledger holds the payment once. Screenshots
in var/screens/loops19/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "loops19"


def _save(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _world(make_account: Any) -> dict[str, Any]:
    from jineng.accounts.models import Organization
    from jineng.accounts.services import grant_create
    from jineng.providers.models import OrganizationProfile, TrainingBase
    from jineng.subsidies.tests.conftest import credit_code

    school = Organization.objects.create(kind="provider", name="天河高级技工学校", region_id="440106",
                                         credit_code=credit_code("440106"))  # fmt: skip
    host = OrganizationProfile.objects.create(organization=school, provider_type="technical_school")
    studio = TrainingBase.objects.create(kind="master_studio", name="李建华数控车工技能大师工作室", level="national",
                                         approval_year=2024, region_id="440106", host=host,
                                         host_name=school.name)  # fmt: skip
    make_account("provider_staff", username="school", organization=school)
    make_account("city_official", username="gz", region="440100")
    maker = make_account("finance", username="cashier1", region="440000")
    grant_create(actor=None, user=maker, function="province_official", region_code="440000")
    make_account("finance", username="cashier2", region="440000")
    return {"studio": studio}


def test_a_studio_grant_from_request_to_payment(server: str, new_page: Any, make_account: Any, login: Any) -> None:
    from jineng.subsidies.models import BaseGrant, LedgerKind, LedgerTransaction

    world = _world(make_account)
    page = new_page()
    page.set_default_timeout(60_000)

    # the host's staff asks; a malformed account is refused on its field, what was typed is kept
    login(page, "school")
    page.goto(f"{server}/subsidies/grants/new/")
    page.get_by_label("基地或工作室").select_option(str(world["studio"].pk))
    page.get_by_label("补助金额（元）").fill("100000")
    page.get_by_label("补助依据（文件或文号）").fill("人社部函〔2024〕88号")
    page.get_by_label("开户银行").fill("中国工商银行广州天河支行")
    page.get_by_label("收款账号").fill("12ab")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("main")).to_contain_text("收款账号应为8–30位数字")
    expect(page.get_by_label("补助依据（文件或文号）")).to_have_value("人社部函〔2024〕88号")
    page.get_by_label("收款账号").fill("6222 0202 0009 8765 432")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("h1")).to_contain_text("一次性补助")
    expect(page.locator("#grant-facts")).to_contain_text("5432")
    assert "6222020200098765432" not in page.locator("main").inner_text()  # masked
    _save(page, "grant-1-requested")
    grant = BaseGrant.objects.get()
    page.context.clear_cookies()

    # a city official approves
    login(page, "gz")
    page.goto(f"{server}/subsidies/grants/")
    page.get_by_role("link", name=grant.number).click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".jn-page-sub")).to_contain_text("审核通过（待拨付）")
    _save(page, "grant-2-approved")
    page.context.clear_cookies()

    # the host sees its grant approved, and no batch form: paying is finance's
    login(page, "school")
    page.goto(f"{server}/subsidies/grants/")
    expect(page.locator("#grants")).to_contain_text(grant.number)
    expect(page.get_by_role("button", name="生成拨付批次")).to_have_count(0)
    expect(page.locator("nav").get_by_role("link", name="基地与工作室补助")).to_have_count(1)
    page.context.clear_cookies()

    # finance batches it on the payments page and downloads the bank file, which carries the grant's line
    login(page, "cashier1")
    page.goto(f"{server}/subsidies/payments/")
    expect(page.locator("#payable-grant-list")).to_contain_text(grant.number)
    _save(page, "grant-3a-payments")
    page.get_by_role("button", name="生成补助拨付批次").click()
    expect(page.locator("h1")).to_contain_text("拨付批次")
    expect(page.locator("#grant-lines")).to_contain_text(grant.number)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载支付文件（CSV）").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert grant.number in text and "6222020200098765432" in text  # the bank file: full account
    _save(page, "grant-3b-batch")
    batch_url = page.url
    page.context.clear_cookies()

    # another finance official confirms the bank's answer on the batch page
    login(page, "cashier2")
    page.goto(batch_url)
    page.locator("#grant-lines").get_by_label(grant.number).check()
    page.get_by_label("银行流水号").fill("ICBC20260001")
    page.get_by_role("button", name="确认支付成功").click()
    expect(page.locator("#grant-lines")).to_contain_text("ICBC20260001")
    page.goto(f"{server}/subsidies/grants/{grant.pk}/")
    expect(page.locator(".jn-page-sub")).to_contain_text("已拨付")
    expect(page.locator("#grant-payments")).to_contain_text("ICBC20260001")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", page.locator("main").inner_text())
    _save(page, "grant-4-paid")
    assert LedgerTransaction.objects.filter(kind=LedgerKind.PAYMENT, amount_fen=10_000_000).count() == 1
