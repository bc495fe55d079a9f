"""追回单 (ADR 0027): a confirmed case's paid claims are clawed back through the ledger — ordered by the case
official, approved by a second person, the money back recorded by one and confirmed by another — never more than
was paid, never twice, and ``jineng ledger reconcile`` is clean afterwards. A blacklisted provider cannot file a
claim (the sanctions hook inside the claim service)."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.subsidies.models import Claim, Debt, LedgerTransaction, RecoveryOrder, RecoveryReceipt
from jineng.subsidies.services import payments
from jineng.subsidies.services.ledger import allocation_create, reconcile
from jineng.subsidies.services.recovery import (
    debt_receipt_record,
    recovery_order_decide,
    recovery_orders_create,
    recovery_receipt_confirm,
    recovery_receipt_record,
)
from jineng.subsidies.tests.conftest import export_bank_file

DUE = dt.date.today() + dt.timedelta(days=30)
REF = "supervision.case:test"


def _paid_claim(world, amount: int) -> Claim:
    from jineng.registry.models import Person
    from jineng.subsidies.models import PolicyVersion

    person = Person.objects.create(name="追回测试")
    claim = Claim.objects.create(
        number=f"ZHT{uuid.uuid4().hex[:12]}", subsidy_type="work_for_training", person=person, person_name=person.name,
        applicant_kind="enterprise", applicant_org=world.enterprise, region_id="440104",
        policy_version=PolicyVersion.objects.get(subsidy_type="work_for_training"), event_kind="employment",
        event_ref=uuid.uuid4().hex, event_key=f"employment:{uuid.uuid4().hex}", event_date=dt.date(2026, 3, 1),
        applied_on=dt.date(2026, 9, 1), decision="approve", amount_fen=amount, payable_fen=amount,
        payee_kind="enterprise", payee_channel="bank_account", payee_name=world.enterprise.name,
        payee_org=world.enterprise, fund_source="unemployment_insurance", status="approved",
    )  # fmt: skip
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    row = payments.ReturnRow(1, str(batch.lines.get().pk), "", "成功")
    payments.returns_apply(actor=world.cashier, rows=[row], batch=batch)
    claim.refresh_from_db()
    assert claim.status == "paid"
    return claim


@pytest.fixture
def inspector(make_user):
    return make_user("inspector", region="440000", username="inspector")


@pytest.fixture
def funded(world):
    allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440000",
                      amount_fen=10**9, memo="粤财社〔2026〕9号")  # fmt: skip
    return world


def test_a_clawback_through_the_ledger_reconciles(funded, inspector):
    world = funded
    claim = _paid_claim(world, 300000)
    other = _paid_claim(world, 120000)
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="虚假就业",
                                     due_date=DUE, amounts={str(claim.pk): 250000})  # fmt: skip
    assert (order.status, order.amount_fen, order.paid_fen) == ("pending", 250000, 300000)
    again = recovery_orders_create(actor=inspector, claim_ids=[claim.pk, other.pk], ref=REF, reason="虚假就业",
                                   due_date=DUE)  # fmt: skip
    assert {o.claim_id: o.pk for o in again}[claim.pk] == order.pk  # the live order again, never a second one
    assert RecoveryOrder.objects.filter(claim=claim).count() == 1 and len(again) == 2
    assert not LedgerTransaction.objects.filter(kind="clawback").exists()  # nothing posted before the approval
    with pytest.raises(DomainError) as err:  # the inspector orders; a finance officer approves
        recovery_order_decide(actor=inspector, order=order, approve=True)
    assert err.value.status == 403
    order = recovery_order_decide(actor=world.finance, order=order, approve=True)
    assert recovery_order_decide(actor=world.finance, order=order, approve=True).pk == order.pk  # a retry
    claim.refresh_from_db()
    assert claim.status == "clawed_back" and order.status == "open"
    assert Debt.objects.get(claim=claim).amount_fen == 250000
    assert LedgerTransaction.objects.get(kind="clawback", reference=str(claim.pk)).amount_fen == 250000

    receipt = recovery_receipt_record(actor=world.finance, order=order, amount_fen=100000, key="BANK-001")
    assert recovery_receipt_record(actor=world.finance, order=order, amount_fen=100000, key="BANK-001").pk == receipt.pk
    assert not LedgerTransaction.objects.filter(kind="recovery").exists()  # posted on confirmation only
    with pytest.raises(DomainError) as err:  # the one who recorded it does not confirm it
        recovery_receipt_confirm(actor=world.finance, receipt=receipt)
    assert err.value.code == "same_person_forbidden"
    recovery_receipt_confirm(actor=world.cashier, receipt=receipt)
    recovery_receipt_confirm(actor=world.cashier, receipt=receipt)  # a retried confirmation posts nothing more
    order.refresh_from_db()
    assert (order.recovered_fen, order.status) == (100000, "open")
    assert LedgerTransaction.objects.filter(kind="recovery").aggregate(s=Sum("amount_fen"))["s"] == 100000
    out = io.StringIO()
    call_command("ledger", "reconcile", stdout=out)
    assert "reconciles" in out.getvalue()
    rest = recovery_receipt_record(actor=world.finance, order=order, amount_fen=150000, key="BANK-002")
    recovery_receipt_confirm(actor=world.cashier, receipt=rest)
    order.refresh_from_db()
    assert (order.recovered_fen, order.status) == (250000, "recovered")
    assert Debt.objects.get(claim=claim).status == "settled"
    assert reconcile().ok


def test_bad_recovery_input_is_refused_with_its_field(funded, inspector):
    world = funded
    claim = _paid_claim(world, 50000)
    for amounts, code in (({str(claim.pk): 50001}, "over_recovery"), ({str(claim.pk): 0}, "amount_not_positive"),
                          ({str(claim.pk): "9"}, "amount_not_positive")):  # fmt: skip
        with pytest.raises(DomainError) as err:
            recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="x", due_date=DUE,
                                   amounts=amounts)  # fmt: skip
        assert err.value.code == code and err.value.fields[0].field == "amount_fen"
    for due in (dt.date.today() - dt.timedelta(days=1), "2026-13-01", None, dt.date.today() + dt.timedelta(days=5000)):
        with pytest.raises(DomainError) as err:
            recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="x", due_date=due)
        assert err.value.fields[0].field == "due_date"
    with pytest.raises(DomainError) as err:
        recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason=" ", due_date=DUE)
    assert err.value.code == "reason_required"
    unpaid = Claim.objects.create(**{**{f.attname: getattr(claim, f.attname) for f in Claim._meta.concrete_fields},
                                     "id": uuid.uuid4(), "number": "ZHT-UNPAID", "event_key": "e:unpaid",
                                     "status": "approved"})  # fmt: skip
    assert recovery_orders_create(actor=inspector, claim_ids=[unpaid.pk], ref=REF, reason="x", due_date=DUE) == []
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="x", due_date=DUE)
    with pytest.raises(DomainError) as err:
        recovery_order_decide(actor=world.finance, order=order, approve=False, reason="")
    assert err.value.code == "reason_required"
    order = recovery_order_decide(actor=world.finance, order=order, approve=True)
    for amount, code in ((50001, "over_recovery"), (-1, "amount_not_positive"), (True, "amount_not_positive")):
        with pytest.raises(DomainError) as err:
            recovery_receipt_record(actor=world.finance, order=order, amount_fen=amount, key="K")
        assert err.value.code == code
    first = recovery_receipt_record(actor=world.finance, order=order, amount_fen=30000, key="K1")
    with pytest.raises(DomainError) as err:  # pending receipts count: 30000 + 30000 > 50000
        recovery_receipt_record(actor=world.finance, order=order, amount_fen=30000, key="K2")
    assert err.value.code == "over_recovery"
    with pytest.raises(DomainError) as err:  # the same bank reference with another amount
        recovery_receipt_record(actor=world.finance, order=order, amount_fen=20000, key="K1")
    assert err.value.code == "receipt_exists"
    # money back on the order's debt (the ledger's 登记到账) goes to the same order, waiting for a second person
    via_ledger = debt_receipt_record(actor=world.finance, debt=Debt.objects.get(claim=claim), amount_fen=100, key="K3",
                                     received_on=timezone.localdate())  # fmt: skip
    assert via_ledger.order_id == order.pk and via_ledger.status == "pending"
    assert RecoveryOrder.objects.filter(claim=claim).count() == 1
    assert first.status == "pending"


RECEIPTS = st.lists(st.tuples(st.integers(1, 400000), st.integers(0, 4), st.booleans()), min_size=1, max_size=7)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paid=st.integers(1, 400000), share=st.integers(1, 100), receipts=RECEIPTS)
def test_recovery_is_never_more_than_paid_nor_twice(funded, inspector, paid, share, receipts):
    world = funded
    claim = _paid_claim(world, paid)
    amount = max(1, paid * share // 100)
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="骗补", due_date=DUE,
                                     amounts={str(claim.pk): amount})  # fmt: skip
    recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="重试", due_date=DUE)
    order = recovery_order_decide(actor=world.finance, order=order, approve=True)
    recovery_order_decide(actor=world.finance, order=order, approve=True)
    for value, key, confirm_twice in receipts:
        try:
            receipt = recovery_receipt_record(actor=world.finance, order=order, amount_fen=value, key=f"B{key}")
        except DomainError as exc:
            assert exc.code in ("over_recovery", "receipt_exists", "request_closed")
            continue
        for _ in range(2 if confirm_twice else 1):
            recovery_receipt_confirm(actor=world.cashier, receipt=receipt)
    order.refresh_from_db()
    confirmed = RecoveryReceipt.objects.filter(order=order, status="confirmed").aggregate(s=Sum("amount_fen"))["s"]
    posted = LedgerTransaction.objects.filter(kind="recovery", reference=str(order.debt_id)).aggregate(
        s=Sum("amount_fen"))["s"]  # fmt: skip
    assert 0 <= order.recovered_fen <= order.amount_fen <= paid
    assert order.recovered_fen == (confirmed or 0) == (posted or 0)
    assert RecoveryOrder.objects.filter(claim=claim).count() == 1
    assert LedgerTransaction.objects.filter(kind="clawback", reference=str(claim.pk)).count() == 1
    assert reconcile().ok, reconcile().problems


def test_a_blacklisted_provider_cannot_file_a_claim(world, person, enrollment, make_user):
    from jineng.subsidies.services.claims import ClaimInput, claim_submit
    from jineng.supervision.services import sanction_approve, sanction_decide, sanction_lift

    e = enrollment(person(), attendance_bp=9500, hours=80)
    data = ClaimInput(subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
                      applicant_org_id=world.provider.pk, payee_bank="建设银行", payee_account="6217003320001234567")  # fmt: skip
    s = sanction_decide(
        actor=world.province,
        organization=world.provider,
        kind="blacklist",
        years=5,
        reason="骗取补贴",
        document_number="粤人社罚〔2026〕4号",
    )  # the province's decision (docs/sanctions.md), in force once a second person approves it
    s = sanction_approve(actor=make_user("province_official", region="440000"), sanction=s)
    with pytest.raises(DomainError) as err:
        claim_submit(actor=world.staff, data=data)
    assert err.value.code == "organization_sanctioned" and "黑名单" in err.value.message
    assert not Claim.objects.filter(person=e.person).exists()
    sanction_lift(actor=world.province, sanction=s, reason="复议撤销")
    assert claim_submit(actor=world.staff, data=data).status == "submitted"


@pytest.mark.parametrize(("rates", "blocked"), [
    ((7500, 7900), True),  # 2 red
    ((8500, 8600, 8999), True),  # 3 yellow
    ((7500, 8500, 8600), False),  # 1 red, 2 yellow
    ((9000, 9500, 7000), False),  # 90 % is no card
])  # fmt: skip
def test_the_card_rule_is_a_regional_setting(world, person, enrollment, rates, blocked):
    from jineng.providers.api import sanction_refusal
    from jineng.refdata.settings_store import setting_set

    for i, bp in enumerate(rates):
        enrollment(person(name="甲乙丙"[i] + "学员"), attendance_bp=bp, completed_on=dt.date(2026, 6, 30))
    on = dt.date(2026, 12, 1)
    assert sanction_refusal(world.provider.pk, "claim", on) is None  # off by default (DOMAIN.md: one city's rule)
    setting_set(actor=None, key="supervision.card_rule", region_code="440100", value=1, valid_from=dt.date(2026, 1, 1),
                reason="广州市黄红牌规则")  # fmt: skip
    refusal = sanction_refusal(world.provider.pk, "claim", on)
    assert (refusal is not None) == blocked
    if blocked:
        assert "黄红牌" in refusal
    assert sanction_refusal(world.provider.pk, "claim", dt.date(2027, 12, 1)) is None  # a new year, no cards yet
    assert sanction_refusal(world.provider.pk, "class", on) is None  # claims only


def test_the_card_rule_rejects_a_value_out_of_range(world):
    from jineng.refdata.settings_store import setting_set

    with pytest.raises(DomainError):
        setting_set(actor=None, key="supervision.card_rule", region_code="440100", value=2,
                    valid_from=dt.date(2026, 1, 1), reason="x")  # fmt: skip


def _confirmed_case(inspector, claim):
    from jineng.supervision.models import Case
    from jineng.supervision.services import case_transition

    case = Case.objects.create(number=f"XS-{uuid.uuid4().hex[:8]}", rule="shared_phone", fingerprint=uuid.uuid4().hex,
                               severity="high", region_id=claim.region_id, summary="骗补",
                               evidence=[{"kind": "claim", "id": str(claim.pk)}])  # fmt: skip
    case = case_transition(actor=inspector, case=case, to="investigating")
    return case_transition(actor=inspector, case=case, to="confirmed", reason="核实")


@pytest.mark.parametrize("amount", [True, 1.5, "100"])
def test_a_json_amount_that_is_not_an_integer_orders_nothing(funded, inspector, api, amount):
    """The attack: ``{"amounts": {claim: true}}`` made a 1-fen order that then blocked the correct one."""
    claim = _paid_claim(funded, 50000)
    case = _confirmed_case(inspector, claim)
    r = api(inspector).post(f"/api/v1/supervision/cases/{case.pk}/recoveries",
                            {"reason": "骗补", "due_date": DUE.isoformat(), "amounts": {str(claim.pk): amount}},
                            content_type="application/json")  # fmt: skip
    assert r.status_code in (400, 422), r.content
    assert "amounts" in r.content.decode()
    assert not RecoveryOrder.objects.filter(claim=claim).exists()
    ok = api(inspector).post(f"/api/v1/supervision/cases/{case.pk}/recoveries",
                             {"reason": "骗补", "due_date": DUE.isoformat(), "amounts": {str(claim.pk): 50000}},
                             content_type="application/json")  # fmt: skip
    assert ok.status_code == 201 and RecoveryOrder.objects.get(claim=claim).amount_fen == 50000


def test_received_on_lies_between_the_order_and_today_in_china(funded, inspector, api):
    from django.utils import timezone

    claim = _paid_claim(funded, 50000)
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="x", due_date=DUE)
    order = recovery_order_decide(actor=funded.finance, order=order, approve=True)
    china_today = timezone.localdate()
    for on in ("1900-01-01", china_today - dt.timedelta(days=1), china_today + dt.timedelta(days=1), "2026-02-30"):
        with pytest.raises(DomainError) as err:
            recovery_receipt_record(actor=funded.finance, order=order, amount_fen=100, key=f"K{on}", received_on=on)
        assert (err.value.code, err.value.fields[0].field) == ("bad_date", "received_on"), on
    url = f"/api/v1/recovery-orders/{order.pk}/receipts"
    r = api(funded.finance).post(url, {"amount_fen": 100, "key": "K-API", "received_on": "1900-01-01"},
                                 content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and "received_on" in r.content.decode()
    r = api(funded.finance).post(url, {"amount_fen": True, "key": "K-API"}, content_type="application/json")
    assert r.status_code in (400, 422) and "amount_fen" in r.content.decode()
    assert not RecoveryReceipt.objects.filter(order=order).exists()
    receipt = recovery_receipt_record(actor=funded.finance, order=order, amount_fen=100, key="K-OK",
                                      received_on=china_today)  # fmt: skip
    assert receipt.received_on == china_today


def test_closed_steps_say_their_state_once(funded, inspector):
    """ "该到账登记已已入账" — a status label that already says 已 was put after another 已."""
    claim = _paid_claim(funded, 50000)
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="x", due_date=DUE)
    order = recovery_order_decide(actor=funded.finance, order=order, approve=True)
    receipt = recovery_receipt_record(actor=funded.finance, order=order, amount_fen=50000, key="K1")
    recovery_receipt_confirm(actor=funded.cashier, receipt=receipt)
    messages = []
    for call in (lambda: recovery_receipt_confirm(actor=funded.cashier, receipt=receipt, approve=False, reason="错"),
                 lambda: recovery_order_decide(actor=funded.finance, order=order, approve=False, reason="错"),
                 lambda: recovery_receipt_record(actor=funded.finance, order=order, amount_fen=1, key="K2")):  # fmt: skip
        with pytest.raises(DomainError) as err:
            call()
        messages.append(err.value.message)
    assert all("已已" not in m for m in messages), messages
    assert "已入账" in messages[0] and "已追回" in messages[1]


def test_the_recovery_page_shows_its_message_once(funded, inspector, client):
    """The walk: 追回单已复核通过… appeared twice (the page repeated the layout's messages)."""
    claim = _paid_claim(funded, 100000)
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="虚假就业", due_date=DUE)
    client.force_login(funded.finance)
    page = client.post(f"/subsidies/recoveries/{order.pk}/decide/", {"decision": "approve"}, follow=True)
    assert page.content.decode().count("追回单已复核通过") == 1


def test_whoever_recorded_a_receipt_is_not_offered_its_confirmation(funded, inspector, client):
    """The walk: the person who recorded a receipt saw 确认入账/驳回 (refused on click); now a note says who confirms."""
    claim = _paid_claim(funded, 100000)
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="虚假就业", due_date=DUE)
    order = recovery_order_decide(actor=funded.finance, order=order, approve=True)
    receipt = recovery_receipt_record(actor=funded.finance, order=order, amount_fen=40000, key="K1")
    confirm = f"/subsidies/recovery-receipts/{receipt.pk}/confirm/"
    client.force_login(funded.finance)
    mine = client.get(f"/subsidies/recoveries/{order.pk}/").content.decode()
    assert confirm not in mine and "jn-own-receipt" in mine and "须由另一位" in mine
    client.force_login(funded.cashier)
    other = client.get(f"/subsidies/recoveries/{order.pk}/").content.decode()
    assert confirm in other and "jn-own-receipt" not in other


def test_the_case_page_offers_the_recovery_form_only_when_something_paid_is_behind_it(funded, inspector, client):
    """The walk: case XS20260000005 offered 追回补贴, whose answer was 该线索没有可追回的已拨付补贴。"""
    claim = _paid_claim(funded, 50000)
    case = _confirmed_case(inspector, claim)
    client.force_login(inspector)
    form = f"/supervision/cases/{case.pk}/recover/"
    assert form in client.get(f"/supervision/cases/{case.pk}/").content.decode()
    [order] = recovery_orders_create(actor=inspector, claim_ids=[claim.pk], ref=REF, reason="x", due_date=DUE)
    recovery_order_decide(actor=funded.finance, order=order, approve=True)  # clawed back: nothing paid is left
    assert form not in client.get(f"/supervision/cases/{case.pk}/").content.decode()


def test_the_case_page_names_its_handler_by_display_name(funded, inspector, client):
    """The walk: /supervision/cases/<id>/ 承办人 showed the login name."""
    import re

    claim = _paid_claim(funded, 50000)
    case = _confirmed_case(inspector, claim)
    inspector.display_name = "王承办"
    inspector.save(update_fields=["display_name"])
    case.assignee = inspector
    case.save(update_fields=["assignee"])
    client.force_login(inspector)
    page = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    handler = re.search(r"承办人</dt><dd[^>]*>(.*?)</dd>", page)
    assert handler is not None and handler.group(1) == "王承办"
