"""The clawback journey in a real browser (issue 18): on a confirmed case the inspector starts a sanction from the case
(its provider already chosen) and orders the recovery of the paid claim behind it; one finance official approves the
order (the claim reads 追回中) and records the money back, another confirms it (追回到账, the claim reads 已追回) —
and ``jineng ledger reconcile`` is clean. Screenshots in test-artifacts/screenshots/clawback-*.png."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _world(make_account: Any) -> dict[str, Any]:
    from jineng.accounts.models import Organization
    from jineng.registry.models import Person
    from jineng.subsidies.models import Claim
    from jineng.subsidies.services import payments
    from jineng.subsidies.services.ledger import allocation_create
    from jineng.subsidies.tests.conftest import WORK_POLICY, credit_code, export_bank_file, publish
    from jineng.supervision.models import Case

    school = Organization.objects.create(kind="provider", name="天河速成培训学校", region_id="440106",
                                         credit_code=credit_code("440106"))  # fmt: skip
    version = publish("440000", WORK_POLICY)
    inspector = make_account("inspector", username="inspector", region="440000", display_name="省厅 监管检查员")
    maker = make_account("finance", username="cashier1", region="440000", display_name="省厅 财务甲")
    checker = make_account("finance", username="cashier2", region="440000", display_name="省厅 财务乙")
    allocation_create(actor=maker, fund_source="unemployment_insurance", region_code="440000", amount_fen=10**8,
                      memo="粤财社〔2026〕9号")  # fmt: skip
    person = Person.objects.create(name="王某")
    claim = Claim.objects.create(
        number=f"BT{uuid.uuid4().hex[:12]}", subsidy_type="work_for_training", person=person, person_name=person.name,
        applicant_kind="provider", applicant_org=school, region_id="440106", policy_version=version,
        event_kind="employment", event_ref=uuid.uuid4().hex, event_key=f"employment:{uuid.uuid4().hex}",
        event_date=dt.date(2026, 3, 1), applied_on=dt.date(2026, 9, 1), decision="approve", amount_fen=150000,
        payable_fen=150000, payee_kind="provider", payee_channel="bank_account", payee_name=school.name,
        payee_org=school, fund_source="unemployment_insurance", status="approved",
    )  # fmt: skip
    batch = payments.batch_create(actor=maker, claim_ids=[claim.pk])
    export_bank_file(maker, batch)
    payments.returns_apply(actor=checker, rows=[payments.ReturnRow(1, str(batch.lines.get().pk), "", "成功")],
                           batch=batch)  # fmt: skip
    case = Case.objects.create(number="XS20260009001", rule="ghost_trainee", fingerprint="clawback-journey",
                               severity="high", region_id="440106", provider=school, summary="虚构学员领取补贴",
                               evidence=[{"kind": "claim", "id": str(claim.pk)}], status="confirmed",
                               decision_reason="核实：学员王某未实际参训，补贴已拨付。")  # fmt: skip
    return {"school": school, "claim": claim, "case": case, "inspector": inspector}


def test_a_case_to_its_sanction_and_recovery_through_the_ledger(
    server: str, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.subsidies.models import RecoveryOrder
    from jineng.subsidies.presenters import claim_status
    from jineng.subsidies.services.ledger import reconcile
    from jineng.supervision.models import Sanction

    world = _world(make_account)
    claim = world["claim"]
    page.set_default_timeout(60_000)  # shared cores: the first request may wait

    # the inspector: from the case, a sanction with the provider chosen, then the recovery order
    login(page, "inspector")
    page.goto(f"{server}/supervision/cases/{world['case'].pk}/")
    page.get_by_test_id("sanction-from-case").click()
    expect(page.locator("#s-org")).to_have_value(str(world["school"].pk))
    expect(page.locator("#s-case")).to_have_value("XS20260009001")
    page.locator("#s-kind").select_option("rectify")
    page.locator("#s-days").fill("30")
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_test_id("sanction-status")).to_contain_text("执行中")
    shot(page, "clawback-1-sanction")
    assert Sanction.objects.get().case_id == world["case"].pk
    page.goto(f"{server}/supervision/cases/{world['case'].pk}/")
    page.locator("#r-reason").fill("虚构学员骗取补贴，全额追回。")
    page.get_by_role("button", name="下达追回单").click()
    expect(page.get_by_test_id("recoveries")).to_contain_text(claim.number)
    order = RecoveryOrder.objects.get(claim=claim)
    page.context.clear_cookies()

    # one finance official approves and records the money back
    login(page, "cashier1")
    page.goto(f"{server}/subsidies/recoveries/{order.pk}/")
    page.get_by_role("button", name="复核通过").click()
    expect(page.get_by_test_id("recovery-status")).to_have_text("追回中")
    expect(page.locator("main")).to_contain_text("追回中")
    claim.refresh_from_db()
    assert claim_status(claim) == "追回中"  # the label users read (presenters)
    page.locator("#rc-amount").fill("1500.00")
    page.locator("#rc-key").fill("RECV-2026-0001")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#receipts")).to_contain_text("RECV-2026-0001")
    shot(page, "clawback-2-recorded")
    page.context.clear_cookies()

    # another confirms it: posted once, the order and the claim read 已追回, the ledger reconciles
    login(page, "cashier2")
    page.goto(f"{server}/subsidies/recoveries/{order.pk}/")
    page.get_by_role("button", name="确认入账").click()
    expect(page.get_by_test_id("recovery-status")).to_have_text("已追回")
    expect(page.get_by_test_id("recovered")).to_contain_text("1,500.00")
    shot(page, "clawback-3-recovered")
    claim.refresh_from_db()
    assert claim_status(claim) == "已追回"
    result = reconcile()
    assert result.ok, result.problems
