"""The inspector's journey in a real browser (1366×768): the workbench → a case → its evidence → take it up →
confirm it with its claims held → the claim is on hold (no longer offered to a payment batch). Screenshots in
test-artifacts/screenshots/supervision-*.png, each checked to be a real page image."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_inspector_opens_a_case_confirms_it_and_sees_the_claim_held(
    server: str, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.subsidies.api import claims_on_hold
    from jineng.subsidies.selectors import awaiting_payment
    from jineng.supervision.models import Case
    from tests.browser.test_h8_journeys import _world

    world = _world(make_account)
    claim = world["approved"][0]
    make_account("inspector", username="inspector", region="440000", display_name="省厅 监管检查员")
    case = Case.objects.create(
        number="XS20260000001", rule="shared_bank_account", fingerprint="f" * 64, severity="high",
        region_id=claim.region_id, summary="6 人共用同一银行账户", person_count=1,
        evidence=[{"kind": "person", "id": str(claim.person_id), "label": "乙*"},
                  {"kind": "claim", "id": str(claim.pk), "label": claim.number}],
        facts={"persons": 6},
    )  # fmt: skip
    page.set_default_timeout(60_000)  # shared cores: the first request may wait
    login(page, "inspector")

    page.goto(f"{server}/supervision/")
    main = page.locator("main")
    expect(main).to_contain_text("XS20260000001")
    expect(main).to_contain_text("多人共用同一银行账户")
    shot(page, "supervision-1-workbench")

    page.get_by_role("link", name="XS20260000001").click()
    expect(page.get_by_test_id("case-status")).to_have_text("新线索")
    evidence = page.get_by_test_id("evidence")
    expect(evidence).to_contain_text("补贴申请")
    expect(evidence).to_contain_text(claim.number)
    expect(evidence).to_contain_text("人员")
    shot(page, "supervision-2-case")

    page.locator("#d-to").select_option("investigating")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("case-status")).to_have_text("核查中")

    page.locator("#d-to").select_option("confirmed")
    page.locator("#d-reason").fill("经银行流水核实，6 人补贴均转入同一中介账户。")
    page.locator("#d-hold").check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("case-status")).to_have_text("属实")
    expect(page.get_by_test_id("claims-held").locator("li")).to_have_count(1)  # the held claim, listed
    expect(page.get_by_test_id("claims-held")).to_contain_text("止付中")
    expect(main).to_contain_text("经银行流水核实")
    path = shot(page, "supervision-3-confirmed")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000

    case.refresh_from_db()
    assert case.status == "confirmed" and case.claims_held == 1
    assert claims_on_hold([claim.pk]) == {str(claim.pk)}
    assert not awaiting_payment(type(claim).objects.filter(pk=claim.pk)).exists()
