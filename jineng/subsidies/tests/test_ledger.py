"""The fund ledger: fund accounts by source and owning region, allocations, and a property over random sequences of
allocations, payments (paid or failed), clawbacks and recoveries through the services: debits always equal
credits, the expense equals the paid lines less the clawbacks, and no claim is ever paid twice."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.subsidies.models import Claim, Debt, LedgerEntry, LedgerTransaction, PaymentBatch, PaymentLine
from jineng.subsidies.services import payments
from jineng.subsidies.services.ledger import allocation_create, fund_account_for, owning_region, reconcile
from jineng.subsidies.services.recovery import debt_receipt_record, recovery_receipt_confirm
from jineng.subsidies.tests.conftest import export_bank_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fund", "region", "owner"),
    [
        ("unemployment_insurance", "440106", "440000"),  # pooled at the province
        ("employment_fund", "440106", "440100"),  # spent by the city
        ("employment_fund", "441900", "441900"),  # 东莞: a city without counties
        ("special_account", "440100", "440000"),
        ("employment_fund", "440000", "440000"),  # above the pooling level: itself
    ],
)
def test_owning_region_by_pooling_level(fund: str, region: str, owner: str) -> None:
    assert owning_region(fund, region) == owner


def test_allocation_goes_to_the_owning_region_with_permission(world, make_user):
    with pytest.raises(DomainError) as err:
        allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440100",
                          amount_fen=100, memo="x")  # fmt: skip
    assert err.value.code == "not_fund_owner" and "440000" in err.value.message
    with pytest.raises(DomainError) as err:
        allocation_create(actor=world.province, fund_source="unemployment_insurance", region_code="440000",
                          amount_fen=100, memo="x")  # fmt: skip
    assert err.value.status == 403  # a province official pays but does not keep the ledger
    txn = allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440000",
                            amount_fen=12345, memo="粤财社〔2026〕1号")  # fmt: skip
    entries = list(txn.entries.values_list("role", "debit_fen", "credit_fen"))
    assert sorted(entries) == [("allocation", 0, 12345), ("fund", 12345, 0)]


def _claim_in_payment(world, n: int) -> Claim:
    from jineng.registry.models import Person
    from jineng.subsidies.models import PolicyVersion

    person = Person.objects.create(name=f"属性{n}")
    return Claim.objects.create(
        number=f"PROP{uuid.uuid4().hex[:12]}", subsidy_type="work_for_training", person=person, person_name=person.name,
        applicant_kind="enterprise", applicant_org=world.enterprise, region_id="440104", policy_version=PolicyVersion.objects.get(subsidy_type="work_for_training"),
        event_kind="employment", event_ref=uuid.uuid4().hex, event_key=f"employment:{uuid.uuid4().hex}",
        event_date=dt.date(2026, 3, 1), applied_on=dt.date(2026, 9, 1), decision="approve", amount_fen=n, payable_fen=n,
        payee_kind="enterprise", payee_channel="bank_account", payee_name=world.enterprise.name,
        payee_org=world.enterprise, fund_source="unemployment_insurance", status="approved",
    )  # fmt: skip


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("allocate"), st.integers(1, 10**9)),
        st.tuples(st.just("pay"), st.integers(1, 10**7)),
        st.tuples(st.just("fail"), st.integers(1, 10**7)),
        st.tuples(st.just("clawback"), st.integers(0, 50)),
        st.tuples(st.just("recover"), st.integers(0, 50)),
        st.tuples(st.just("repay"), st.integers(0, 50)),  # try to pay an already paid claim again
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_ledger_always_balances_and_nothing_is_paid_twice(world, ops):
    for op, value in ops:
        if op == "allocate":
            allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440000",
                              amount_fen=value, memo="属性测试")  # fmt: skip
        elif op in ("pay", "fail"):
            claim = _claim_in_payment(world, value)
            batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
            export_bank_file(world.finance, batch)  # the bank file goes out before any return
            line = batch.lines.get()
            row = payments.ReturnRow(1, str(line.pk), "", "成功" if op == "pay" else "失败", reason="退票")
            payments.returns_apply(actor=world.cashier, rows=[row], batch=batch)
        elif op == "repay":
            paid = list(Claim.objects.filter(status="paid").order_by("pk"))
            if paid:
                with pytest.raises(DomainError):
                    payments.batch_create(actor=world.finance, claim_ids=[paid[value % len(paid)].pk])
        elif op == "clawback":
            paid = list(Claim.objects.filter(status="paid").order_by("pk"))
            if paid:
                payments.claim_clawback(actor=world.finance, claim=paid[value % len(paid)], reason="认定无效")
        elif op == "recover":
            debts = list(Debt.objects.filter(status="open").order_by("pk"))
            if debts:
                debt = debts[value % len(debts)]
                left = debt.amount_fen - debt.recovered_fen
                # money back: recorded by one (bank reference, date), posted only when another confirms it
                receipt = debt_receipt_record(actor=world.finance, debt=debt, amount_fen=max(1, left // 2),
                                              key=f"B{uuid.uuid4().hex[:12]}", received_on=timezone.localdate())  # fmt: skip
                assert Debt.objects.get(pk=debt.pk).recovered_fen == debt.recovered_fen  # nothing posted yet
                recovery_receipt_confirm(actor=world.cashier, receipt=receipt)
    totals = LedgerEntry.objects.aggregate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    assert (totals["d"] or 0) == (totals["c"] or 0)
    for txn in LedgerTransaction.objects.annotate(d=Sum("entries__debit_fen"), c=Sum("entries__credit_fen")):
        assert txn.d == txn.c == txn.amount_fen
    account = fund_account_for("unemployment_insurance", "440104")
    paid_lines = PaymentLine.objects.filter(fund_account=account, state="paid").aggregate(s=Sum("amount_fen"))["s"] or 0
    clawed = (
        LedgerTransaction.objects.filter(fund_account=account, kind="clawback").aggregate(s=Sum("amount_fen"))["s"] or 0
    )
    expense = LedgerEntry.objects.filter(fund_account=account, role="expense").aggregate(
        d=Sum("debit_fen"), c=Sum("credit_fen")
    )
    assert (expense["d"] or 0) - (expense["c"] or 0) == paid_lines - clawed
    twice = Claim.objects.annotate(
        n=Count("payment_lines", filter=Q(payment_lines__state__in=["pending", "paid"]))
    ).filter(n__gt=1)
    assert not twice.exists()
    report = reconcile()
    assert report.ok, report.problems
    assert PaymentBatch.objects.count() == PaymentLine.objects.count()
