"""企业新型学徒制补贴预支: 50 % of a plan year's standard paid in advance through the ordinary review and payment
batch, deducted from the year's claim, and recovered (the ledger's clawback line, a debt) when the plan ends early or
the apprentice fails."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.rules.subsidy.advance import advance_fen, payable_after_advance, year_standard_fen
from jineng.rules.subsidy.policy import AmountRow, AmountTable
from jineng.subsidies.models import Claim, Debt, LedgerKind, LedgerTransaction, RecoveryOrder
from jineng.subsidies.services import advances, payments
from jineng.subsidies.services.ledger import reconcile
from jineng.subsidies.services.recovery import recovery_order_decide
from jineng.subsidies.tests.conftest import export_bank_file, publish

ACCOUNT = ("中国工商银行广州越秀支行", "6222020200012345678")


@pytest.fixture
def apprentice(world: SimpleNamespace, make_user: Any) -> SimpleNamespace:
    from jineng.accounts.models import Organization
    from jineng.training.tests.scope import _apprentice

    a = _apprentice("440104")
    Organization.objects.filter(pk=a.apprenticeship.enterprise_org_id).update(kind="enterprise")
    level = a.apprenticeship.level_id
    publish("440000", {
        "subsidy_type": "apprenticeship", "payee": "enterprise", "channel": "bank_account",
        "fund_source": "special_account", "counters": ["annual_total"],
        "eligibility": [{"kind": "employed_by_applicant"},
                        {"kind": "hours", "default_hours": 600, "setting": "apprenticeship.min_hours_per_year"},
                        {"kind": "concentrated_hours"}],
        "amount": {"rows": [{"amount_fen": 500000}, {"level": level, "amount_fen": 650000}], "unit": "year",
                   "max_units": 1},
    })  # fmt: skip
    hr = make_user("enterprise_hr", organization=a.apprenticeship.enterprise_org, username="appr-hr")
    return SimpleNamespace(a=a, hr=hr)


def ask(apprentice: SimpleNamespace, year_no: Any = 1, on: dt.date | None = None) -> Claim:
    return advances.advance_submit(actor=apprentice.hr, apprentice_id=apprentice.a.pk, year_no=year_no,
                                   payee_bank=ACCOUNT[0], payee_account=ACCOUNT[1], on=on)  # fmt: skip


def second_year_begun(apprentice: SimpleNamespace) -> None:
    """Move the two-year plan back a year and a day: its second plan year began yesterday."""
    from jineng.training.models import Apprenticeship

    today = dt.date.today()
    Apprenticeship.objects.filter(pk=apprentice.a.apprenticeship_id).update(
        start_date=today - dt.timedelta(days=366), end_date=today + dt.timedelta(days=34)
    )


def pay(world: SimpleNamespace, claim: Claim) -> Claim:
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    rows = [payments.ReturnRow(row=1, line_id=str(batch.lines.get().pk), claim_number="", result="成功",
                               bank_reference="B1")]  # fmt: skip
    payments.returns_apply(actor=world.cashier, rows=rows, batch=batch)
    claim.refresh_from_db()
    return claim


def test_half_the_year_standard_is_advanced_through_the_ordinary_review_and_payment(world, apprentice, approve):
    claim = ask(apprentice)
    assert claim.event_kind == "apprentice_advance" and claim.amount_fen == claim.payable_fen == 325000
    assert claim.counters == [] and claim.payee_name == apprentice.a.apprenticeship.enterprise_org.name
    assert "预支 50%" in claim.lines[0]["message"]
    claim = pay(world, approve(claim))
    assert claim.status == "paid"
    assert reconcile().ok


def test_the_year_claim_pays_the_rest_once_the_advance_is_deducted(world, apprentice, approve):
    from jineng.subsidies.services.claims import ClaimInput, claim_submit
    from jineng.training.models import ApprenticeProgress

    advance = ask(apprentice)
    a = apprentice.a
    ApprenticeProgress.objects.create(apprentice=a, region_id=a.region_id, organization_id=a.organization_id,
                                      person_id=a.person_id, year_no=1, hours_done=620, concentrated_hours=170)  # fmt: skip
    data = ClaimInput(subsidy_type="apprenticeship", event_ref=f"{a.pk}:1", applicant_kind="enterprise",
                      applicant_org_id=a.organization_id, payee_bank=ACCOUNT[0], payee_account=ACCOUNT[1])  # fmt: skip
    with pytest.raises(DomainError) as exc:
        claim_submit(actor=apprentice.hr, data=data)  # the advance is still under review
    assert exc.value.code == "advance_pending"
    pay(world, approve(advance))
    year = claim_submit(actor=apprentice.hr, data=data)
    assert (year.amount_fen, year.payable_fen) == (650000, 325000)
    assert any(line["code"] == "advance_deducted" for line in year.lines)


def test_an_apprentice_who_leaves_early_has_the_paid_advance_recovered_on_the_ledger(world, apprentice, approve):
    from jineng.subsidies.services.recovery import recovery_order_decide
    from jineng.training.services.apprenticeships import apprentice_terminate
    from jineng.web.todos import todos_for

    claim = pay(world, approve(ask(apprentice)))
    with pytest.raises(DomainError) as exc:
        advances.advance_recover(actor=world.finance, claim=claim, reason="中途终止")
    assert exc.value.code == "advance_not_due"  # the plan still runs
    apprentice_terminate(actor=apprentice.hr, apprentice=apprentice.a, reason="本人离职，解除劳动合同")
    due = advances.advances_due_recovery(Claim.objects.all())
    assert [c.pk for c, _state in due] == [claim.pk]
    with pytest.raises(DomainError) as exc:  # one click is not enough: the reason is written down
        advances.advance_recover(actor=world.finance, claim=claim, reason=" ")
    assert exc.value.code == "reason_required"
    order = advances.advance_recover(actor=world.finance, claim=claim, reason="学徒中途终止培养，追回预支补贴")
    # a 追回单 tracked like the others: nothing posted until a second person's 复核
    assert order.status == "pending" and order.amount_fen == 325000 and order.claim_id == claim.pk
    claim.refresh_from_db()
    assert claim.status == "paid" and not Debt.objects.exists()
    assert not LedgerTransaction.objects.filter(kind=LedgerKind.CLAWBACK).exists()
    assert [t.url for t in todos_for(world.cashier) if t.kind == "追回单待复核"] == [
        f"/subsidies/recoveries/{order.pk}/"
    ]
    assert not [t for t in todos_for(world.finance) if t.kind == "追回单待复核"]  # not for whoever ordered it
    with pytest.raises(DomainError):
        recovery_order_decide(actor=world.finance, order=order, approve=True)
    order = recovery_order_decide(actor=world.cashier, order=order, approve=True)
    claim.refresh_from_db()
    assert claim.status == "clawed_back" and "中途终止" in claim.closing_reason
    debt = Debt.objects.get()
    assert debt.amount_fen == 325000 and debt.payee_name == claim.payee_name and order.debt_id == debt.pk
    assert LedgerTransaction.objects.filter(kind=LedgerKind.CLAWBACK, reference=str(claim.pk)).count() == 1
    again = advances.advance_recover(actor=world.finance, claim=claim, reason="再次追回")  # the same order, once
    assert again.pk == order.pk and Debt.objects.count() == 1
    assert reconcile().ok


def test_an_apprentice_who_fails_the_assessment_has_the_advance_recovered(world, apprentice, approve):
    from jineng.training.models import ApprenticeProgress
    from jineng.training.services.apprenticeships import apprentice_evaluate

    claim = pay(world, approve(ask(apprentice)))
    a = apprentice.a
    ApprenticeProgress.objects.create(apprentice=a, region_id=a.region_id, organization_id=a.organization_id,
                                      person_id=a.person_id, year_no=1, hours_done=300, concentrated_hours=100)  # fmt: skip
    apprentice_evaluate(actor=apprentice.hr, apprentice=a, result="failed", note="实操考核不合格")
    order = advances.advance_recover(actor=world.finance, claim=claim, reason="考核不合格，追回预支")
    assert order.claim_id == claim.pk and "考核不合格" in order.reason and order.status == "pending"


def test_one_advance_per_apprentice_year(world, apprentice):
    ask(apprentice)
    with pytest.raises(DomainError) as exc:
        ask(apprentice)
    assert exc.value.code == "duplicate_claim"


def test_a_plan_year_not_yet_begun_is_not_advanced(world, apprentice):
    """The plan began today: its second year begins a year from today (培养年度开始时可预支)."""
    start = apprentice.a.apprenticeship.start_date
    with pytest.raises(DomainError) as exc:
        ask(apprentice, 2)
    field = exc.value.fields[0]
    assert (field.field, field.code) == ("year_no", "year_not_started")
    assert f"{start.year + 1}-" in field.message
    with pytest.raises(DomainError) as exc:
        ask(apprentice, 1, on=start - dt.timedelta(days=1))  # nor the first year before the plan starts
    assert exc.value.fields[0].code == "year_not_started"
    assert not Claim.objects.exists()


def test_a_later_year_waits_until_the_earlier_advance_is_deducted_by_its_year_claim(world, apprentice, approve):
    from jineng.subsidies.services.claims import ClaimInput, claim_submit
    from jineng.training.models import ApprenticeProgress

    second_year_begun(apprentice)
    pay(world, approve(ask(apprentice)))
    with pytest.raises(DomainError) as exc:
        ask(apprentice, 2)
    assert exc.value.code == "advance_outstanding" and "第1年度" in exc.value.message
    a = apprentice.a
    ApprenticeProgress.objects.create(apprentice=a, region_id=a.region_id, organization_id=a.organization_id,
                                      person_id=a.person_id, year_no=1, hours_done=620, concentrated_hours=170)  # fmt: skip
    claim_submit(actor=apprentice.hr, data=ClaimInput(
        subsidy_type="apprenticeship", event_ref=f"{a.pk}:1", applicant_kind="enterprise",
        applicant_org_id=a.organization_id, payee_bank=ACCOUNT[0], payee_account=ACCOUNT[1]))  # fmt: skip
    assert ask(apprentice, 2).event_key.endswith(":2")


@pytest.mark.parametrize(
    ("year", "code"), [(0, "bad_range"), (4, "bad_range"), ("1", "bad_range"), (True, "bad_range")]
)
def test_a_bad_year_is_refused(world, apprentice, year, code):
    with pytest.raises(DomainError) as exc:
        ask(apprentice, year)
    assert exc.value.fields[0].field == "year_no" and exc.value.fields[0].code == code


def test_a_bad_account_an_outsider_an_ended_plan_and_a_region_without_advance_are_refused(world, apprentice):
    from jineng.refdata.api import setting_set
    from jineng.training.services.apprenticeships import apprentice_terminate

    with pytest.raises(DomainError) as exc:
        advances.advance_submit(actor=apprentice.hr, apprentice_id=apprentice.a.pk, year_no=1, payee_bank="工行",
                                payee_account="12ab")  # fmt: skip
    assert exc.value.fields[0].code == "bank_account_bad_format"
    with pytest.raises(DomainError) as exc:
        advances.advance_submit(actor=world.hr, apprentice_id=apprentice.a.pk, year_no=1, payee_bank="工行",
                                payee_account=ACCOUNT[1])  # fmt: skip
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        advances.advance_submit(actor=apprentice.hr, apprentice_id="nope", year_no=1, payee_bank="工行",
                                payee_account=ACCOUNT[1])  # fmt: skip
    assert exc.value.status == 404
    setting_set(actor=None, key="apprenticeship.advance_percent", region_code="440000", value=0,
                valid_from=dt.date(2000, 1, 1), reason="本省不预支")  # fmt: skip
    with pytest.raises(DomainError) as exc:
        ask(apprentice)
    assert exc.value.code == "no_advance"
    apprentice_terminate(actor=apprentice.hr, apprentice=apprentice.a, reason="离职")
    with pytest.raises(DomainError) as exc:
        ask(apprentice)
    assert exc.value.code == "apprentice_not_active"
    assert not Claim.objects.exists()


# ---- the pure rule ---------------------------------------------------------------------------------------------------


@given(standard=st.integers(min_value=0, max_value=10**12), percent=st.integers(min_value=0, max_value=50))
def test_the_advance_never_exceeds_its_percent_and_misses_it_by_less_than_a_fen(standard, percent):
    amount = advance_fen(standard, percent)
    assert 0 <= amount * 100 <= standard * percent < (amount + 1) * 100


@given(payable=st.integers(min_value=0, max_value=10**12), advanced=st.integers(min_value=0, max_value=10**12))
def test_advance_plus_the_rest_is_the_whole_when_the_advance_fits(payable, advanced):
    rest = payable_after_advance(payable, advanced)
    assert rest >= 0
    if advanced <= payable:
        assert rest + advanced == payable


@pytest.mark.parametrize("percent", [-1, 51, 1.5, True])
def test_a_percent_outside_zero_to_fifty_is_refused(percent):
    with pytest.raises(ValueError):
        advance_fen(100000, percent)


def test_the_most_specific_row_of_the_level_applies_and_per_hour_rows_never():
    table = AmountTable(rows=(AmountRow(amount_fen=500000), AmountRow(level="grade3", amount_fen=650000),
                              AmountRow(level="grade3", per_hour_fen=100)), unit="year")  # fmt: skip
    assert year_standard_fen(table, level="grade3", occupation="6-18-01-01") == 650000
    assert year_standard_fen(table, level="grade4", occupation="6-18-01-01") == 500000
    assert year_standard_fen(AmountTable(rows=(AmountRow(level="grade1", amount_fen=1),)), level="grade4",
                             occupation="") is None  # fmt: skip


def test_the_page_asks_for_an_advance_and_finance_recovers_it_there(world, apprentice, approve, client):
    from jineng.training.services.apprenticeships import apprentice_terminate

    client.force_login(apprentice.hr)
    page = client.get("/subsidies/advances/")
    assert page.status_code == 200 and apprentice.a.person.name in page.content.decode()
    bad = client.post("/subsidies/advances/new/", {"apprentice": str(apprentice.a.pk), "year_no": "1",
                                                   "payee_bank": "工行", "payee_account": "12ab"}, follow=True)  # fmt: skip
    assert "8–30位数字" in bad.content.decode() and not Claim.objects.exists()
    done = client.post("/subsidies/advances/new/", {"apprentice": str(apprentice.a.pk), "year_no": "1",
                                                    "payee_bank": ACCOUNT[0], "payee_account": ACCOUNT[1]})  # fmt: skip
    claim = Claim.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/subsidies/claims/{claim.pk}/")
    pay(world, approve(claim))
    apprentice_terminate(actor=apprentice.hr, apprentice=apprentice.a, reason="离职")
    client.force_login(world.finance)
    assert claim.number in client.get("/subsidies/advances/").content.decode()
    refused = client.post(f"/subsidies/advances/{claim.pk}/recover/", follow=True).content.decode()
    assert "原因" in refused and not RecoveryOrder.objects.exists()  # no reason, no order
    done = client.post(f"/subsidies/advances/{claim.pk}/recover/", {"reason": "学徒离职"}, follow=True)
    order = RecoveryOrder.objects.get(claim=claim)
    assert done.redirect_chain[-1][0] == f"/subsidies/recoveries/{order.pk}/"
    page = done.content.decode()
    assert "3,250.00元" in page and "325000" not in page  # 元, not raw 分
    assert "jn-own-order" in page  # whoever ordered it does not 复核 it
    assert order.number in client.get("/subsidies/recoveries/").content.decode()
    assert f"/subsidies/recoveries/{order.pk}/" in client.get("/subsidies/advances/").content.decode()
    claim.refresh_from_db()
    assert claim.status == "paid"  # clawed back only on the second person's 复核


def test_the_form_offers_only_the_plan_years_not_yet_claimed(world, apprentice, approve, client):
    pk = str(apprentice.a.pk)  # a plan of 400 days from today: two plan years, the second not begun
    client.force_login(apprentice.hr)
    page = client.get("/subsidies/advances/").content.decode()
    assert f'value="{pk}:1"' in page and f'value="{pk}:2"' not in page
    second_year_begun(apprentice)
    page = client.get("/subsidies/advances/").content.decode()
    assert f'value="{pk}:1"' in page and f'value="{pk}:2"' in page and f'value="{pk}:3"' not in page
    with pytest.raises(DomainError) as exc:
        ask(apprentice, 3)  # beyond the plan, though within the three years the policy allows
    assert (exc.value.fields[0].field, exc.value.fields[0].code) == ("year_no", "bad_range")
    done = client.post("/subsidies/advances/new/", {"pick": f"{pk}:1", "payee_bank": ACCOUNT[0],
                                                    "payee_account": ACCOUNT[1]})  # fmt: skip
    claim = Claim.objects.get()
    assert done.status_code == 302 and claim.event_key == f"apprentice_advance:{pk}:1"
    page = client.get("/subsidies/advances/").content.decode()
    assert f'value="{pk}:1"' not in page and f'value="{pk}:2"' not in page  # year 1's advance is not deducted yet
    assert 'id="advance-none"' in page
    again = client.post("/subsidies/advances/new/", {"pick": f"{pk}:1", "payee_bank": ACCOUNT[0],
                                                     "payee_account": ACCOUNT[1]}, follow=True)  # fmt: skip
    assert "已有补贴或预支申请" in again.content.decode() and Claim.objects.count() == 1


def test_once_the_apprentice_left_an_advance_under_review_is_not_passed_nor_later_years_claimed(
    world, apprentice, monkeypatch
):
    from jineng.subsidies.services import review
    from jineng.training.services.apprenticeships import apprentice_progress, apprentice_terminate

    second_year_begun(apprentice)
    monkeypatch.setattr(advances, "_unsettled_earlier_year", lambda *_a: None)  # two advances under review at once
    first, second = ask(apprentice), ask(apprentice, 2)
    first = review.claim_first_review(actor=world.city, claim=review.claim_accept(actor=world.county, claim=first))
    first = review.claim_second_review(actor=world.province, claim=first, on=dt.date.today() - dt.timedelta(days=30))
    second = review.claim_accept(actor=world.county, claim=second)
    apprentice_terminate(actor=apprentice.hr, apprentice=apprentice.a, reason="本人离职")
    with pytest.raises(DomainError) as exc:
        review.claim_first_review(actor=world.city, claim=second)
    assert exc.value.code == "apprentice_not_active"
    assert review.publicity_close_due()["advances_of_ended_apprentices"] == 1  # the daily job leaves it
    first.refresh_from_db()
    assert first.status == "publicity"
    with pytest.raises(DomainError) as exc:
        review.claim_publicity_close(actor=world.reviewer, claim=first)
    assert exc.value.code == "apprentice_not_active"
    assert review.claim_reject(actor=world.city, claim=second, reason="学徒已离职").status == "rejected"
    with pytest.raises(DomainError) as exc:  # no later plan year is recorded, so none can be claimed
        apprentice_progress(actor=apprentice.hr, apprentice=apprentice.a, year_no=2, hours_done=600,
                            concentrated_hours=160)  # fmt: skip
    assert exc.value.code == "apprentice_not_active"
    with pytest.raises(DomainError) as exc:
        ask(apprentice, 2)  # the freed year cannot be advanced either
    assert exc.value.code == "apprentice_not_active"


def test_after_termination_the_enterprise_sees_the_paid_advance_to_repay_and_a_todo(world, apprentice, approve, client):
    from jineng.training.services.apprenticeships import apprentice_terminate
    from jineng.web.todos import todos_for

    claim = pay(world, approve(ask(apprentice)))
    client.force_login(apprentice.hr)
    assert "jn-to-repay" not in client.get("/subsidies/advances/").content.decode()  # the plan still runs
    assert not [t for t in todos_for(apprentice.hr) if t.kind == "学徒制预支待追回"]
    apprentice_terminate(actor=apprentice.hr, apprentice=apprentice.a, reason="本人离职")
    page = client.get("/subsidies/advances/").content.decode()
    assert "jn-to-repay" in page and "待追回" in page
    assert 'id="advance-to-repay"' in client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    todo = [t for t in todos_for(apprentice.hr) if t.kind == "学徒制预支待追回"]
    assert [t.url for t in todo] == [f"/subsidies/claims/{claim.pk}/"] and todo[0].detail == "中途终止"
    order = advances.advance_recover(actor=world.finance, claim=claim, reason="学徒离职")
    recovery_order_decide(actor=world.cashier, order=order, approve=True)  # recovered: a debt now, no 待追回 here
    assert "jn-to-repay" not in client.get("/subsidies/advances/").content.decode()
    assert not [t for t in todos_for(apprentice.hr) if t.kind == "学徒制预支待追回"]
