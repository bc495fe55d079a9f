"""The sanction journey in a real browser (1366×768): an inspector records a 停业整顿 from the sanctions page (a bad
duration first, refused on its field), sees it in force, then lifts it with a reason; the province blacklists another
provider and anyone finds it on the public blacklist. Screenshots in test-artifacts/screenshots/sanction-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_inspector_suspends_and_lifts_and_the_blacklist_is_public(
    server: str, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char
    from jineng.providers.api import sanction_refusal
    from jineng.supervision.services import sanction_approve, sanction_decide

    def org(name: str, n: int) -> Any:
        first17 = f"52440106{n:09d}"
        return Organization.objects.create(kind="provider", name=name, region_id="440106",
                                           credit_code=first17 + credit_code_check_char(first17))  # fmt: skip

    school, other = org("天河速成培训学校", 811), org("海珠代签培训中心", 812)
    make_account("inspector", username="inspector", region="440000", display_name="省厅 监管检查员")
    province = make_account("province_official", username="province", region="440000", display_name="省厅 经办")
    page.set_default_timeout(60_000)  # shared cores: the first request may wait
    login(page, "inspector")
    page.goto(f"{server}/supervision/sanctions/")
    page.locator("#s-org").select_option(str(school.pk))  # chosen, not typed
    page.locator("#s-kind").select_option("suspend")
    page.locator("#s-reason").fill("代签学员考勤，停业整顿一个月。")
    page.locator("#s-days").fill("999")
    page.get_by_role("button", name="记录决定").click()
    expect(page.locator("main")).to_contain_text("停业整顿期限应为 1–366 天")
    expect(page.locator("#s-days")).to_have_class("form-control is-invalid")
    page.locator("#s-days").fill("30")
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_test_id("sanction-status")).to_contain_text("今日在执行期内")
    expect(page.locator("main")).to_contain_text("申请开班")
    shot(page, "sanction-1-suspended")
    assert sanction_refusal(school.pk, "class") and sanction_refusal(school.pk, "claim")

    page.locator("#l-reason").fill("整改验收合格，提前解除。")
    page.get_by_role("button", name="解除").click()
    expect(page.get_by_test_id("sanction-status")).to_have_text("已解除")
    path = shot(page, "sanction-2-lifted")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    assert sanction_refusal(school.pk, "class") is None

    s = sanction_decide(actor=province, organization=other, kind="blacklist", years=3, reason="伪造签到骗取补贴",
                        document_number="粤人社罚〔2026〕3号")  # fmt: skip
    second = make_account("province_official", username="province2", region="440000", display_name="省厅 复核")
    sanction_approve(actor=second, sanction=s)  # the second person: in force and public from now
    page.context.clear_cookies()
    page.goto(f"{server}/public/blacklist/")
    table = page.locator("#blacklist")
    expect(table).to_contain_text("海珠代签培训中心")
    expect(table).to_contain_text(other.credit_code)
    expect(table).not_to_contain_text("天河速成培训学校")
    shot(page, "sanction-3-public-blacklist")
