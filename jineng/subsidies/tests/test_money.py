"""Money bounds and the reversal of a mistaken allocation (issue 14, item 1): every amount has a per-region upper bound
checked in the service (API, page and import alike) with a Chinese field error; ledger sums cannot overflow; a
mistaken allocation is reversed by a balancing entry that a second person approves — and the ledger reconciles
after each step."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.common.rest.types import FEN_MAX
from jineng.refdata.api import setting_set
from jineng.subsidies.models import AllocationReversal, LedgerEntry, LedgerTransaction
from jineng.subsidies.money import yuan_to_fen
from jineng.subsidies.services import payments
from jineng.subsidies.services.ledger import (
    account_balances,
    allocation_create,
    fund_account_for,
    post,
    reconcile,
    reversal_decide,
    reversal_request,
)
from jineng.subsidies.tests.conftest import export_bank_file

pytestmark = pytest.mark.django_db

UI = {"fund_source": "unemployment_insurance", "region_code": "440000"}
DEFAULT_MAX_ALLOCATION = 10_000_000_000  # ¥1 亿


def allocate(world, amount, **kw):
    return allocation_create(actor=world.finance, amount_fen=amount, memo="粤财社〔2026〕8号", **{**UI, **kw})


def post_allocation(client, amount, key=None):
    body = {"fund_source": "unemployment_insurance", "region": "440000", "amount_fen": amount, "memo": "拨款"}
    return client.post("/api/v1/ledger/allocations", json.dumps(body), content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex)  # fmt: skip


def set_value(world, key, value):
    setting_set(actor=world.province, key=key, region_code="440000", value=value,
                valid_from=dt.date(2000, 1, 1), reason="测试")  # fmt: skip


# ---- bounds ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [9223372036854775807, 10**20, DEFAULT_MAX_ALLOCATION + 1])
def test_a_huge_allocation_is_refused_and_the_ledger_stays_readable(world, api, amount):
    client = api(world.finance)
    response = post_allocation(client, amount)
    assert response.status_code == 422, response.content
    body = response.json()
    if amount > FEN_MAX:  # beyond what any region may set: the API's schema refuses it before the service
        assert body["fields"][0]["field"] == "amount_fen" and body["fields"][0]["code"] == "too_large"
    else:  # within the schema, above the region's bound: the service's coded refusal
        assert body["code"] == "amount_too_large"
        assert body["fields"][0]["field"] == "amount_fen" and "超过上限" in body["fields"][0]["message"]
    assert not LedgerTransaction.objects.exists()
    assert client.get("/api/v1/ledger/reconcile").status_code == 200
    assert client.get("/api/v1/ledger/accounts").status_code == 200
    assert client.get("/subsidies/ledger/").status_code == 200
    call_command("ledger", "reconcile", stdout=io.StringIO())


@pytest.mark.parametrize("amount", [True, False, 1.5, "一百"])
def test_an_amount_is_a_number_never_a_boolean_or_text(world, api, amount):
    """``true`` was accepted as 1 fen (JSON booleans are not amounts): 422 naming the field, nothing written."""
    response = post_allocation(api(world.finance), amount)
    assert response.status_code == 422, response.content
    assert response.json()["fields"][0]["field"] == "amount_fen"
    assert not LedgerTransaction.objects.exists()


def test_the_bound_is_a_region_setting_with_a_hard_ceiling(world):
    allocate(world, DEFAULT_MAX_ALLOCATION)  # exactly the default bound: accepted
    set_value(world, "ledger.max_allocation_fen", 100_000)
    with pytest.raises(DomainError) as err:
        allocate(world, 100_001)
    assert err.value.code == "amount_too_large" and "1,000.00元" in err.value.message
    allocate(world, 100_000)
    with pytest.raises(DomainError) as err:  # no region may lift the bound past the ceiling (¥100 亿)
        set_value(world, "ledger.max_allocation_fen", 10**12 + 1)
    assert err.value.fields[0].code == "too_large"


def test_the_page_refuses_a_huge_amount_with_the_field_error(world, client):
    client.force_login(world.finance)
    for typed in ("1e30", "Infinity", "92233720368547758.07"):
        page = client.post("/subsidies/ledger/", {"fund_source": "unemployment_insurance", "region": "440000",
                                                  "amount": typed, "memo": "x"}, follow=True)  # fmt: skip
        assert page.status_code == 200
    assert not LedgerTransaction.objects.exists()
    assert "超过上限" in client.post("/subsidies/ledger/", {"fund_source": "unemployment_insurance", "region": "440000",
                                                          "amount": "1e30", "memo": "x"}, follow=True).content.decode()  # fmt: skip


@pytest.mark.parametrize("typed", ["abc", "Infinity", "NaN", "1.234", "12元", ""])
def test_a_page_amount_that_is_not_yuan_is_a_field_error_naming_it_never_zero(world, client, typed):
    client.force_login(world.finance)
    page = client.post("/subsidies/ledger/", {"fund_source": "unemployment_insurance", "region": "440000",
                                              "amount": typed, "memo": "x"}, follow=True)  # fmt: skip
    body = page.content.decode()
    assert page.status_code == 200 and not LedgerTransaction.objects.exists()
    assert ("请填写金额（元）" if not typed else f"金额不正确：“{typed}”") in body  # not the refusal of 0 fen


@pytest.mark.parametrize(
    ("typed", "fen"), [("1,234.5", 123450), ("0.01", 1), ("12", 1200), (" 3.10 ", 310), ("1e3", 100000)]
)
def test_a_page_amount_in_yuan_is_read_exactly(typed, fen):
    assert yuan_to_fen(typed, field="amount") == fen


@given(st.integers(min_value=0, max_value=FEN_MAX))
def test_property_fen_written_as_yuan_read_back_exactly(fen):
    assert yuan_to_fen(f"{fen // 100:,}.{fen % 100:02d}", field="amount") == fen


def test_claim_amounts_policy_amounts_and_voucher_values_are_bounded(world, submit_work):
    from jineng.subsidies.services.policies import policy_draft_create
    from jineng.subsidies.services.vouchers import IssueData, voucher_issue_create
    from jineng.subsidies.tests.conftest import WORK_POLICY

    too_much = {**WORK_POLICY, "amount": {"rows": [{"amount_fen": 5_000_001}], "unit": "claim"}}
    with pytest.raises(DomainError) as err:
        policy_draft_create(actor=world.province, region_code="440000", subsidy_type="work_for_training", title="x",
                            valid_from=dt.date(2030, 1, 1), rules=too_much)  # fmt: skip
    assert err.value.code == "amount_too_large" and err.value.fields[0].field == "rules.amount.rows[0].amount_fen"
    # The published test policy pays 500 元 × 6 months = 3,000 元; a region bound below that refuses the claim.
    set_value(world, "claim.max_amount_fen", 200_000)
    with pytest.raises(DomainError) as err:
        submit_work()
    assert err.value.code == "amount_too_large" and "核定补贴金额" in err.value.message
    from jineng.subsidies.models import Claim

    assert not Claim.objects.exists()
    data = IssueData(region_code="440000", kind="face_value", title="面值券", face_value_fen=1_000_001,
                     valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31), quantity=10,
                     fund_source="employment_fund")  # fmt: skip
    with pytest.raises(DomainError) as err:
        voucher_issue_create(actor=world.province, data=data)
    assert err.value.code == "amount_too_large" and err.value.fields[0].field == "face_value_fen"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.one_of(st.integers(-(2**70), 2**70), st.integers(-5, 5),
                        st.integers(DEFAULT_MAX_ALLOCATION - 2, DEFAULT_MAX_ALLOCATION + 2)))  # fmt: skip
def test_property_an_allocation_is_accepted_exactly_within_its_bound(world, amount):
    before = LedgerTransaction.objects.count()
    try:
        txn = allocate(world, amount)
    except DomainError as exc:
        assert not 0 < amount <= DEFAULT_MAX_ALLOCATION
        assert exc.code in ("amount_too_large", "amount_not_positive") and exc.fields[0].field == "amount_fen"
        assert LedgerTransaction.objects.count() == before
    else:
        assert 0 < amount <= DEFAULT_MAX_ALLOCATION and txn.amount_fen == amount
    report = reconcile()
    assert report.ok, report.problems


def test_sums_beyond_a_64_bit_integer_stay_exact(world):
    """Rows written before the bounds existed (or a database edited by hand): the balances and the reconciliation
    still add up exactly — SQLite's SUM would stop at 2^63 with "integer overflow"."""
    account = fund_account_for(**UI)
    big = 2**62 + 12345
    for _ in range(3):
        post(kind="allocation", account=account, amount_fen=big, memo="旧数据")
    assert account_balances(account)["fund"] == 3 * big > 2**63
    report = reconcile()
    assert report.ok, report.problems
    assert report.accounts[0].allocated_fen == 3 * big


def test_the_maximum_allocation_many_times_adds_up(world, api):
    """Run on SQLite and PostgreSQL: 300 allocations at the highest bound a region may set (¥100 亿 each)."""
    set_value(world, "ledger.max_allocation_fen", 10**12)
    for _ in range(300):
        allocate(world, 10**12)
    account = fund_account_for(**UI)
    assert account_balances(account) == {"fund": 300 * 10**12, "allocation": 300 * 10**12, "expense": 0,
                                         "receivable": 0}  # fmt: skip
    assert reconcile().ok
    client = api(world.finance)
    assert client.get("/api/v1/ledger/reconcile").json()["ok"] is True
    assert client.get("/subsidies/ledger/").status_code == 200


# ---- reversal of a mistaken allocation (冲销) -----------------------------------------------------------------------


def test_a_mistaken_allocation_is_reversed_after_a_second_person_approves(world, make_user):
    controller = make_user("finance", region="440000", username="controller")
    txn = allocate(world, 500_000)
    with pytest.raises(DomainError) as err:
        reversal_request(actor=world.finance, allocation=txn, reason="  ")
    assert err.value.code == "reason_required"
    request = reversal_request(actor=world.finance, allocation=txn, reason="金额录错，应为5000元")
    with pytest.raises(DomainError) as err:
        reversal_request(actor=world.cashier, allocation=txn, reason="重复申请")
    assert err.value.code == "reversal_exists"
    for same in (world.finance,):  # the one who allocated and asked cannot approve
        with pytest.raises(DomainError) as err:
            reversal_decide(actor=same, request=request, approve=True)
        assert err.value.code == "same_person_forbidden" and err.value.status == 403
    request.refresh_from_db()
    assert request.status == "pending" and not LedgerTransaction.objects.filter(kind="reversal").exists()
    done = reversal_decide(actor=controller, request=request, approve=True, reason="核对无误")
    assert done.status == "approved" and done.reversal.amount_fen == 500_000
    account = fund_account_for(**UI)
    assert account_balances(account) == {"fund": 0, "allocation": 0, "expense": 0, "receivable": 0}
    report = reconcile()
    assert report.ok, report.problems
    assert report.accounts[0].reversed_fen == 500_000
    out = io.StringIO()
    call_command("ledger", "reconcile", stdout=out)
    from jineng.common.audit.models import AuditEntry

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"ledger.reversal_request", "ledger.reversal_approve"} <= actions
    with pytest.raises(DomainError):  # once only
        reversal_request(actor=world.finance, allocation=txn, reason="再冲一次")


def test_the_allocator_cannot_approve_a_reversal_someone_else_asked_for(world, make_user):
    txn = allocate(world, 1000)
    request = reversal_request(actor=world.cashier, allocation=txn, reason="误拨")
    with pytest.raises(DomainError) as err:
        reversal_decide(actor=world.finance, request=request, approve=True)
    assert err.value.code == "same_person_forbidden"
    assert LedgerEntry.objects.count() == 2


def test_a_reversal_is_refused_when_the_money_was_spent_and_a_rejection_needs_a_reason(
    world, approved_claims, make_user
):
    controller = make_user("finance", region="440000", username="controller")
    txn = allocate(world, 300_000)
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(batch.lines.get().pk), "", "paid")],
                           batch=batch)  # fmt: skip
    request = reversal_request(actor=world.finance, allocation=txn, reason="误拨")
    with pytest.raises(DomainError) as err:
        reversal_decide(actor=controller, request=request, approve=True)
    assert err.value.code == "insufficient_fund"
    with pytest.raises(DomainError) as err:
        reversal_decide(actor=controller, request=request, approve=False)
    assert err.value.code == "reason_required"
    rejected = reversal_decide(actor=controller, request=request, approve=False, reason="资金已支付，另行处理")
    assert rejected.status == "rejected" and reconcile().ok


def test_reversal_through_the_api_and_the_page(world, api, client, make_user):
    controller = make_user("finance", region="440000", username="controller")
    txn = allocate(world, 800_000)
    finance = api(world.finance)
    asked = finance.post(f"/api/v1/ledger/transactions/{txn.pk}/reversal", json.dumps({"reason": "误拨"}),
                         content_type="application/json")  # fmt: skip
    assert asked.status_code == 201, asked.content
    rid = asked.json()["id"]
    own = finance.post(f"/api/v1/ledger/reversals/{rid}/approve", "{}", content_type="application/json")
    assert own.status_code == 403 and own.json()["code"] == "same_person_forbidden"
    listed = finance.get("/api/v1/ledger/reversals?status=pending").json()
    assert [i["id"] for i in listed["items"]] == [rid]
    outsider = api(make_user("finance", region="440300")).get("/api/v1/ledger/reversals").json()
    assert outsider["count"] == 0
    client.force_login(world.finance)
    page = client.get("/subsidies/ledger/").content.decode()
    assert "同意冲销" in page and "误拨" in page
    client.force_login(controller)
    client.post(f"/subsidies/ledger/reversals/{rid}/approve/", {"reason": "同意"})
    assert AllocationReversal.objects.get(pk=rid).status == "approved"
    assert "对账一致" in client.get("/subsidies/ledger/").content.decode()
    # The page's button asks for a reversal of another allocation.
    second = allocate(world, 1000)
    client.post(f"/subsidies/ledger/transactions/{second.pk}/reversal/", {"reason": "重复拨入"})
    assert AllocationReversal.objects.get(allocation=second).status == "pending"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(1, DEFAULT_MAX_ALLOCATION), min_size=1, max_size=6),
       reverse=st.lists(st.booleans(), min_size=6, max_size=6))  # fmt: skip
def test_property_balances_after_any_allocations_and_reversals(world, amounts, reverse):
    start = account_balances(fund_account_for(**UI))  # examples share the test's database
    txns = [allocate(world, a) for a in amounts]
    reversed_total = 0
    for txn, flag in zip(txns, reverse, strict=False):
        if flag:
            request = reversal_request(actor=world.finance, allocation=txn, reason="误拨")
            reversal_decide(actor=world.cashier, request=request, approve=True)
            reversed_total += txn.amount_fen
    b = account_balances(fund_account_for(**UI))
    assert b["fund"] - start["fund"] == b["allocation"] - start["allocation"] == sum(amounts) - reversed_total
    report = reconcile()
    assert report.ok, report.problems
