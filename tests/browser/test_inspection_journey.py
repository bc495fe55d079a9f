"""The inspection journey in a real browser (issue 18): a drawn task on the inspector's list → the task → a finding
with an evidence PDF and a 整改 deadline of 10 working days → the provider opens its inspection and answers the
rectification → the finding waits for 复查. Screenshots in test-artifacts/screenshots/inspections-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n%inspection record\n%%EOF\n"


def test_inspector_records_a_finding_and_the_provider_answers_it(
    server: str, page: Any, new_page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char
    from jineng.inspections import services

    first17 = "52440106000000777"
    org = Organization.objects.create(kind="provider", name="天河抽查培训学校", region_id="440106",
                                      credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    official = make_account("city_official", username="official", region="440100")
    inspector = make_account("inspector", username="inspector", region="440000", display_name="省厅 监管检查员")
    make_account("provider_staff", username="provider", organization=org, display_name="天河抽查培训学校 教务")
    services.pool_add(actor=official, user=inspector, region_code="440106")
    draw = services.draw_create(actor=official, region_code="440106", title="天河区抽查", kinds=["provider"], count=1,
                                per_task=1)  # fmt: skip
    draw = services.draw_run(actor=official, draw=services.draw_freeze(actor=official, draw=draw))
    task = draw.tasks.get()
    page.set_default_timeout(60_000)  # shared cores: the first request may wait

    login(page, "inspector")
    page.goto(f"{server}/inspections/")
    expect(page.locator("main")).to_contain_text("天河抽查培训学校")
    shot(page, "inspections-1-tasks")
    page.get_by_role("link", name=task.number).click()
    expect(page.get_by_test_id("task-status")).to_have_text("待检查")
    page.locator("#fd-item").select_option("teachers")
    page.locator("#fd-days").fill("10")
    page.locator("#fd-desc").fill("排课表所列教师当日不在岗，代课人员未录入师资库。")
    page.locator("#fd-files").set_input_files(files=[{"name": "现场记录.pdf", "mimeType": "application/pdf",
                                                       "buffer": PDF}])  # fmt: skip
    page.get_by_role("button", name="记录检查发现").click()
    expect(page.get_by_test_id("task-status")).to_have_text("整改中")
    finding = page.get_by_test_id("finding")
    expect(finding).to_contain_text("代课人员未录入师资库")
    expect(finding).to_contain_text("现场记录.pdf")
    expect(page.get_by_test_id("finding-status")).to_have_text("待整改")
    shot(page, "inspections-2-finding")

    provider_page = new_page()
    login(provider_page, "provider")
    provider_page.goto(f"{server}/inspections/")
    provider_page.get_by_role("link", name=task.number).click()
    provider_page.get_by_label("整改情况").fill("两名代课教师已录入师资库，排课表已调整。")
    provider_page.get_by_role("button", name="提交整改情况").click()
    expect(provider_page.get_by_test_id("finding-status")).to_have_text("已回复待复查")
    expect(provider_page.get_by_test_id("finding")).to_contain_text("排课表已调整")
    path = shot(provider_page, "inspections-3-answered")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.reload()
    expect(page.get_by_role("button", name="整改通过")).to_be_visible()


def test_an_official_sends_inspectors_from_a_case_and_the_draw_page_reads_in_english(
    server: str, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    """Issue 18 leftovers: the case page's 派出检查任务 → the new-task page (the team from the pool, a refusal in
    English) → the task; the draw page has no inline style (the console is checked for CSP reports)."""
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char
    from jineng.inspections import services
    from jineng.supervision.models import Case

    first17 = "52440106000000778"
    org = Organization.objects.create(kind="provider", name="天河线索培训学校", region_id="440106",
                                      credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    official = make_account("city_official", username="official", region="440100")
    for n, name in enumerate(("陈立新", "黄嘉怡")):
        user = make_account("inspector", username=f"insp-{n}", region="440000", display_name=f"监管检查员 {name}")
        services.pool_add(actor=official, user=user, region_code="440106")
    case = Case.objects.create(number="XS20269990077", rule="shared_phone", fingerprint="9" * 64, severity="high",
                               region_id="440106", provider=org, summary="6 人共用一个手机号")  # fmt: skip
    draw = services.draw_create(actor=official, region_code="440106", title="天河区抽查", kinds=["provider"], count=1,
                                per_task=1)  # fmt: skip
    draw = services.draw_run(actor=official, draw=services.draw_freeze(actor=official, draw=draw))
    page.set_default_timeout(60_000)  # shared cores: the first request may wait

    login(page, "official")
    page.goto(f"{server}/supervision/cases/{case.pk}/")
    page.get_by_test_id("case-inspect").click()
    expect(page.get_by_test_id("case-facts")).to_contain_text("天河线索培训学校")
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Create the task").click()  # nobody picked
    expect(page.locator("main")).to_contain_text("Choose at least one inspector.")
    page.get_by_label("监管检查员 陈立新", exact=False).check()
    page.get_by_label("监管检查员 黄嘉怡", exact=False).check()
    page.get_by_role("button", name="Create the task").click()
    expect(page.get_by_test_id("task-status")).to_have_text("To inspect")
    expect(page.locator("main")).to_contain_text("天河线索培训学校")
    shot(page, "inspections-4-from-case")

    page.goto(f"{server}/inspections/draws/{draw.pk}/")
    expect(page.get_by_test_id("draw-row")).to_have_count(1)
    expect(page.get_by_test_id("draw-status")).to_have_text("Drawn and published")
    page.goto(f"{server}/inspections/draws/")
    shot(page, "inspections-5-draws-english")
