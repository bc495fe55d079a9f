"""The complaint journey in a real browser: a citizen files a complaint on the public form (object picked from the
catalog's names, a PDF attached) and copies the tracking code → the county official finds it on the workbench and the
complaint list, reads the masked contact, reveals the phone with a reason, replies, opens a supervision case from it (the case page lists the complaint
back) → the citizen checks the status
with the code (the answer shows; nothing personal) and asks once to reopen it. Desktop and phone screenshots in
test-artifacts/screenshots/complaint-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_public_form_then_handler_replies_then_the_complainant_checks_status(
    server: str, new_page: Any, make_account: Any, login: Any, shot: Any, settings: Any, tmp_path: Any
) -> None:
    from jineng.accounts.models import Organization
    from jineng.certificates.ratelimit import forget_leases
    from jineng.common.codes import credit_code_check_char

    settings.JINENG_COMPLAINT_MIN_SECONDS = 0
    forget_leases()
    first17 = "52440106000000888"
    Organization.objects.create(kind="provider", name="天河示范职业培训学校", region_id="440106",
                                credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    make_account("county_official", username="tianhe", region="440106", display_name="天河区人社局 经办")
    evidence = tmp_path / "收据.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% receipt\n")

    citizen = new_page(**PHONE)
    citizen.set_default_timeout(60_000)
    citizen.goto(f"{server}/public/complaints/new/")
    citizen.locator("#id_object_kind").select_option("provider")
    citizen.locator("#id_object_name").fill("天河示范职业培训学校")
    citizen.locator("#id_category").select_option("fees")
    citizen.locator("#id_content").fill("报名时说免费，结业时要求交 1200 元考证费，不交不发结业证。")
    citizen.locator("#id_attachments").set_input_files(str(evidence))
    citizen.locator("#id_anonymous").uncheck()
    citizen.locator("#id_name").fill("陈丽")
    citizen.locator("#id_phone").fill("13560005678")
    shot(citizen, "complaint-1-form-phone")
    citizen.get_by_role("button", name="提交投诉举报").click()
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert len(code) == 14
    shot(citizen, "complaint-2-code-phone")

    official = new_page()
    official.set_default_timeout(60_000)
    login(official, "tianhe")
    expect(official.locator("main")).to_contain_text("投诉举报待受理")
    official.goto(f"{server}/complaints/")
    official.get_by_test_id("complaint-list").get_by_role("link").first.click()
    expect(official.get_by_test_id("complaint-content")).to_contain_text("1200 元考证费")
    expect(official.get_by_test_id("phone-masked")).to_have_text("135****5678")
    official.get_by_text("查看完整").last.click()
    official.get_by_placeholder("查看原因（将记入审计日志）").last.fill("电话回访核实收费")
    official.get_by_role("button", name="查看").last.click()
    expect(official.get_by_test_id("revealed")).to_have_text("13560005678")
    official.locator("#id_reply_text").fill("经核查，该校收取考证费无依据，已责令退还。")
    official.get_by_role("button", name="答复").click()
    expect(official.get_by_test_id("complaint-status")).to_have_text("已答复")
    shot(official, "complaint-3-handler")
    # 立案: a new supervision case from the complaint (summary prefilled), and the case page lists the complaint back
    expect(official.locator("#id_case_summary")).to_contain_text("天河示范职业培训学校")
    official.get_by_role("button", name="立案", exact=True).click()
    case_link = official.get_by_test_id("case-ref").get_by_role("link")
    expect(case_link).to_contain_text("XS")
    case_link.click()
    expect(official.get_by_test_id("case-complaints").get_by_role("link")).to_contain_text("TS")
    shot(official, "complaint-3b-case")

    citizen.goto(f"{server}/public/complaints/status/")
    citizen.locator("#id_code").fill(code.lower().replace("-", " "))
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_test_id("status-label")).to_have_text("已答复")
    expect(citizen.get_by_test_id("reply")).to_contain_text("已责令退还")
    body = citizen.locator("main").inner_text()
    for secret in ("陈丽", "陈*", "5678", "天河示范职业培训学校", "1200"):
        assert secret not in body
    shot(citizen, "complaint-4-status-phone")
    citizen.locator("#id_reason").fill("钱还没有退回。")
    citizen.get_by_role("button", name="申请重新办理").click()
    expect(citizen.get_by_test_id("status-label")).to_have_text("办理中")
    expect(citizen.get_by_role("button", name="申请重新办理")).to_have_count(0)
    expect(citizen.get_by_test_id("first-reply")).to_contain_text("已责令退还")  # the old answer, labelled as first
    expect(citizen.get_by_test_id("answer-due")).to_contain_text("尚未重新答复")
    path = shot(citizen, "complaint-5-reopened-phone")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
