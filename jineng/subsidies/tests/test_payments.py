"""Payments: batches of approved claims, the bank payment file, the bank's return (API and import), a failed line
corrected into a new batch, never paid twice, clawback with the payee's debt — and the ledger reconciling."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from jineng.common.errors import DomainError
from jineng.subsidies.models import (
    Claim,
    Debt,
    LedgerTransaction,
    PaymentBatch,
    PaymentLine,
    RecoveryOrder,
    RecoveryReceipt,
)
from jineng.subsidies.services import payments
from jineng.subsidies.services.ledger import account_balances, allocation_create, reconcile
from jineng.subsidies.services.recovery import (
    recovery_order_decide,
    recovery_receipt_confirm,
    recovery_receipt_record,
)
from jineng.subsidies.tests.conftest import export_bank_file

pytestmark = pytest.mark.django_db


def post_batch(client, ids, key=None):
    return client.post("/api/v1/payment-batches", json.dumps({"claim_ids": [str(i) for i in ids]}),
                       content_type="application/json", HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex)  # fmt: skip


def test_approved_claims_listed_then_batched_once(world, approved_claims, api, openapi):
    claims = approved_claims(3)
    client = api(world.finance)
    listed = openapi.validate(client.get("/api/v1/claims?status=approved&page_size=2"))
    assert listed["count"] == 3 and len(listed["items"]) == 2
    response = post_batch(client, [c.pk for c in claims[:2]])
    assert response.status_code == 201
    body = openapi.validate(response)
    assert body["line_count"] == 2 and body["total_fen"] == 600000 and body["region"] == "440000"
    remaining = client.get("/api/v1/claims?status=approved&page_size=50").json()
    assert [i["id"] for i in remaining["items"]] == [str(claims[2].pk)]
    conflict = post_batch(client, [claims[1].pk, claims[2].pk])
    assert conflict.status_code == 409 and conflict.json()["code"] == "claim_in_live_batch"
    assert claims[1].number in conflict.json()["message"]
    assert PaymentBatch.objects.count() == 1 and Claim.objects.get(pk=claims[2].pk).status == "approved"


def test_idempotency_key_replays_refuses_another_body_and_an_in_flight_key(world, approved_claims, api):
    from jineng.subsidies.models import IdempotencyKey

    claims = approved_claims(2)
    client = api(world.finance)
    key = "batch-2026-11-001"
    first = post_batch(client, [claims[0].pk], key)
    again = post_batch(client, [claims[0].pk], key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert PaymentBatch.objects.count() == 1
    other = post_batch(client, [claims[1].pk], key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    row = IdempotencyKey.objects.get(key=key)
    assert row.state == "done" and row.response_status == 201 and len(row.request_hash) == 64
    IdempotencyKey.objects.create(user=world.finance, endpoint="payment-batches.create", key="busy",
                                  request_hash=__import__("jineng.subsidies.idempotency", fromlist=["x"]).body_hash(
                                      {"claim_ids": [str(claims[1].pk)], "note": ""}))  # fmt: skip
    busy = post_batch(client, [claims[1].pk], "busy")
    assert busy.status_code == 409 and busy.json()["code"] == "idempotency_in_flight"
    missing = client.post("/api/v1/payment-batches", json.dumps({"claim_ids": [str(claims[1].pk)]}),
                          content_type="application/json")  # fmt: skip
    assert missing.status_code == 422 and missing.json()["code"] == "idempotency_key_required"
    assert PaymentBatch.objects.count() == 1


def test_keys_are_per_user_and_purged_after_retention(world, approved_claims, api, make_user):
    import datetime as dt

    from django.utils import timezone

    from jineng.subsidies.idempotency import purge_expired
    from jineng.subsidies.models import IdempotencyKey

    claims = approved_claims(2)
    other = make_user("finance", region="440000", username="finance2")
    assert post_batch(api(world.finance), [claims[0].pk], "k1").status_code == 201
    assert post_batch(api(other), [claims[1].pk], "k1").status_code == 201  # same key, another user
    assert purge_expired() == 0
    IdempotencyKey.objects.filter(user=world.finance).update(created_at=timezone.now() - dt.timedelta(hours=49))
    assert purge_expired() == 1
    assert IdempotencyKey.objects.filter(user=other).exists()


def test_only_finance_of_the_paying_region_may_batch(world, approved_claims, api, make_user):
    claims = approved_claims(1)
    city_finance = make_user("finance", region="440100")  # 失业保险基金 is the province's: not theirs
    denied = post_batch(api(city_finance), [claims[0].pk])
    assert denied.status_code == 403
    county = post_batch(api(world.county), [claims[0].pk])
    assert county.status_code == 403
    shenzhen = post_batch(api(make_user("finance", region="440300")), [claims[0].pk])
    assert shenzhen.status_code == 404  # not even visible
    assert PaymentBatch.objects.count() == 0
    assert post_batch(api(world.province), [claims[0].pk]).status_code == 201  # province official: finance.pay


def test_not_approved_claim_is_refused(world, submit_work, api):
    claim = submit_work()
    response = post_batch(api(world.finance), [claim.pk])
    assert response.status_code == 409 and response.json()["code"] == "claim_not_approved"


def test_partial_unique_index_allows_one_live_line_per_claim(world, approved_claims):
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    line = batch.lines.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(batch=batch, seq=2, claim=claim, region_id=line.region_id, fund_account=line.fund_account,
                                   amount_fen=1, payee_name="x", payee_channel="bank_account")  # fmt: skip


def test_bank_file_layout_csv_and_xlsx_with_formula_escaping(world, approved_claims, api):
    claim = approved_claims(1)[0]
    Claim.objects.filter(pk=claim.pk).update(payee_name='=HYPERLINK("http://x")')
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    client = api(world.finance)
    response = client.get(f"/api/v1/payment-batches/{batch.pk}/bank-file?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == payments.PAYMENT_FILE_HEADERS
    line = batch.lines.get()
    assert rows[1][0] == str(line.pk) and rows[1][3] == claim.number
    assert rows[1][4].startswith("'=")  # never a formula
    assert rows[1][5] == "6222020200012345678" and rows[1][8] == "3000.00" and rows[1][9] == "300000"
    xlsx = client.get(f"/subsidies/payments/{batch.pk}/file.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == payments.PAYMENT_FILE_HEADERS and values[1][4].startswith("'=")
    batch.refresh_from_db()
    assert batch.status == "exported"


def test_return_paid_and_failed_then_corrected_into_a_new_batch(world, approved_claims, api):
    claims = approved_claims(2)
    allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440000",
                      amount_fen=10_000_000, memo="测试拨款")  # fmt: skip
    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in claims])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    ok, bad = batch.lines.order_by("seq")
    client = api(world.cashier)  # four eyes: not the one who made the batch
    body = {"lines": [
        {"line_id": str(ok.pk), "result": "paid", "bank_reference": "B001", "amount_fen": ok.amount_fen},
        {"claim_number": bad.claim.number, "result": "failed", "reason": "账户已销户", "amount_fen": bad.amount_fen},
    ]}  # fmt: skip
    response = client.post(f"/api/v1/payment-batches/{batch.pk}/returns", json.dumps(body),
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY="ret-1")  # fmt: skip
    assert response.status_code == 200 and response.json() == {"paid": 1, "failed": 1, "unchanged": 0}
    replay = client.post(f"/api/v1/payment-batches/{batch.pk}/returns", json.dumps(body),
                         content_type="application/json", HTTP_IDEMPOTENCY_KEY="ret-1")  # fmt: skip
    assert replay.json() == response.json() and LedgerTransaction.objects.filter(kind="payment").count() == 1
    paid, failed = Claim.objects.get(pk=ok.claim_id), Claim.objects.get(pk=bad.claim_id)
    assert paid.status == "paid" and failed.status == "payment_failed"
    batch.refresh_from_db()
    assert batch.status == "settled"
    # The failed claim cannot be batched until corrected; then it goes into a new batch.
    with pytest.raises(DomainError):
        payments.batch_create(actor=world.finance, claim_ids=[failed.pk])
    change = payments.payee_change_request(actor=world.hr, claim=failed, payee_bank="工商银行",
                                           payee_account="6222020200077776666", reason="更换有效账户")  # fmt: skip
    with pytest.raises(DomainError):  # not payable until another person approves the change
        payments.batch_create(actor=world.finance, claim_ids=[failed.pk])
    payments.payee_change_decide(actor=world.county, change=change, approve=True)
    second = payments.batch_create(actor=world.finance, claim_ids=[failed.pk])
    assert second.lines.get().payee_account_masked.endswith("6666")
    with pytest.raises(DomainError) as err:
        payments.batch_create(actor=world.finance, claim_ids=[paid.pk])
    assert err.value.code == "claim_in_live_batch"  # paid: never twice
    report = reconcile()
    assert report.ok, report.problems
    account = ok.fund_account
    assert account_balances(account) == {"fund": 10_000_000 - 300000, "allocation": 10_000_000, "expense": 300000,
                                         "receivable": 0}  # fmt: skip


def test_a_return_line_for_an_unknown_claim_refuses_the_whole_return(world, approved_claims):
    claims = approved_claims(1)
    batch = payments.batch_create(actor=world.finance, claim_ids=[claims[0].pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = batch.lines.get()
    rows = [
        payments.ReturnRow(row=1, line_id=str(line.pk), claim_number="", result="成功"),
        payments.ReturnRow(row=2, line_id="", claim_number="BT2099000000", result="成功"),
        payments.ReturnRow(row=3, line_id=str(line.pk), claim_number="", result="成功", amount_fen=1),
    ]
    with pytest.raises(DomainError) as err:
        payments.returns_apply(actor=world.cashier, rows=rows, batch=batch)
    codes = {(f.row, f.code) for f in err.value.fields}
    assert (2, "unknown_payment_line") in codes
    assert any("BT2099000000" in f.message for f in err.value.fields)
    line.refresh_from_db()
    assert line.state == "pending" and not LedgerTransaction.objects.filter(kind="payment").exists()


def test_return_file_import_strict(world, approved_claims, tmp_path):
    from jineng.imports.api import Context, importer_for
    from jineng.imports.framework import run_import

    claims = approved_claims(2)
    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in claims])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    a, b = batch.lines.order_by("seq")
    bad = tmp_path / "return-bad.csv"
    bad.write_text("明细编号,申请编号,支付结果,失败原因,金额（元）\n"
                   f"{a.pk},,成功,,3000.00\n,BT-NOPE-1,成功,,3000.00\n", encoding="utf-8")  # fmt: skip
    ctx = Context(actor=world.cashier, mode="strict", region_code="440000", today=__import__("datetime").date.today())
    result = run_import(importer=importer_for("payment_return"), path=bad, ctx=ctx, filename=bad.name)
    assert result.outcome == "rejected" and not result.written
    a.refresh_from_db()
    assert a.state == "pending"
    good = tmp_path / "return.csv"
    good.write_text("明细编号,支付结果,失败原因,银行流水号,金额（元）\n"
                    f"{a.pk},成功,,B-1,3000.00\n{b.pk},失败,户名不符,,3000.00\n", encoding="utf-8")  # fmt: skip
    ctx = Context(actor=world.cashier, mode="strict", region_code="440000", today=__import__("datetime").date.today())
    result = run_import(importer=importer_for("payment_return"), path=good, ctx=ctx, filename=good.name)
    assert result.written and result.rows_failed == 0
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.state, b.state, b.failure_reason) == ("paid", "failed", "户名不符")


def test_clawback_records_the_debt_and_reconciles(world, approved_claims, api):
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = batch.lines.get()
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(line.pk), "", "paid")], batch=batch)
    response = api(world.finance).post(f"/api/v1/claims/{claim.pk}/clawback", json.dumps({"reason": "虚假劳动关系"}),
                                       content_type="application/json", HTTP_IDEMPOTENCY_KEY="cb-1")  # fmt: skip
    # the clawback is a 追回单: nothing posted until another person's 复核
    assert response.status_code == 201 and response.json()["amount_fen"] == 300000
    assert response.json()["status"] == "pending" and not Debt.objects.exists()
    assert Claim.objects.get(pk=claim.pk).status == "paid"
    order = RecoveryOrder.objects.get(claim=claim)
    with pytest.raises(DomainError):
        recovery_order_decide(actor=world.finance, order=order, approve=True)
    recovery_order_decide(actor=world.cashier, order=order, approve=True)
    debt = Debt.objects.get(claim=claim)
    assert debt.payee_name == world.enterprise.name and debt.organization_id == world.enterprise.pk
    assert Claim.objects.get(pk=claim.pk).status == "clawed_back"
    balances = account_balances(line.fund_account)
    assert balances["expense"] == 0 and balances["receivable"] == 300000
    assert reconcile().ok
    today = timezone.localdate()
    receipt = recovery_receipt_record(actor=world.finance, order=order, amount_fen=100000, key="B1", received_on=today)
    with pytest.raises(DomainError) as err:
        recovery_receipt_record(actor=world.finance, order=order, amount_fen=300000, key="B2", received_on=today)
    assert err.value.code == "over_recovery"
    recovery_receipt_confirm(actor=world.cashier, receipt=receipt)
    assert account_balances(line.fund_account)["receivable"] == 200000 and reconcile().ok


def test_money_back_on_a_ledger_debt_waits_for_a_second_person(world, approved_claims, api, client):
    """应追回款 → 登记到账 on the ledger: a bank reference and a date, and nothing posted until another confirms."""
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)
    line = batch.lines.get()
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(line.pk), "", "paid")], batch=batch)
    debt = payments.claim_clawback(actor=world.finance, claim=claim, reason="认定无效")  # a debt without an order
    client.force_login(world.finance)
    url = f"/subsidies/debts/{debt.pk}/recover/"
    for missing in (
        {"amount": "1000"},
        {"amount": "1000", "key": "B7"},
        {"amount": "1000", "received_on": "2026-01-01"},
    ):
        client.post(url, missing)
    assert not RecoveryReceipt.objects.exists()
    before = LedgerTransaction.objects.filter(kind="recovery").count()
    today = timezone.localdate().isoformat()
    done = client.post(url, {"amount": "1000", "key": "B7", "received_on": today}, follow=True)
    receipt = RecoveryReceipt.objects.get()
    assert (receipt.amount_fen, receipt.key, receipt.status) == (100000, "B7", "pending")
    assert done.redirect_chain[-1][0] == f"/subsidies/recoveries/{receipt.order_id}/"
    page = done.content.decode()
    assert "jn-own-receipt" in page
    assert f"/subsidies/recovery-receipts/{receipt.pk}/confirm/" not in page  # the recorder cannot confirm
    assert LedgerTransaction.objects.filter(kind="recovery").count() == before
    assert Debt.objects.get(pk=debt.pk).recovered_fen == 0
    r = api(world.finance).post(f"/api/v1/debts/{debt.pk}/recover", json.dumps({"amount_fen": 100}),
                                content_type="application/json")  # fmt: skip
    assert r.status_code == 422  # the API too wants the bank reference and date
    client.force_login(world.cashier)
    assert (
        f"/recovery-receipts/{receipt.pk}/confirm/"
        in client.get(f"/subsidies/recoveries/{receipt.order_id}/").content.decode()
    )
    recovery_receipt_confirm(actor=world.cashier, receipt=receipt)
    assert Debt.objects.get(pk=debt.pk).recovered_fen == 100000 and reconcile().ok
    assert LedgerTransaction.objects.filter(kind="recovery").count() == before + 1


def test_reconcile_command_exits_non_zero_on_mismatch(world, approved_claims):
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = batch.lines.get()
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(line.pk), "", "paid")], batch=batch)
    call_command("ledger", "reconcile", stdout=io.StringIO())
    PaymentLine.objects.filter(pk=line.pk).update(amount_fen=299999)  # a line changed behind the ledger's back
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ledger", "reconcile", stdout=io.StringIO(), stderr=err)
    assert "已支付明细" in err.getvalue()


def test_batch_is_written_slice_by_slice_with_one_audit_digest(world, approved_claims, monkeypatch):
    import hashlib

    from jineng.common.audit.models import AuditEntry
    from jineng.subsidies.models import ClaimStep

    monkeypatch.setattr(payments, "BATCH_SLICE", 2)  # three claims: two slices
    claims = approved_claims(3)
    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in reversed(claims)] + [claims[0].pk])
    lines = list(batch.lines.order_by("seq").select_related("claim"))
    ordered = sorted(claims, key=lambda c: c.pk)
    assert [line.seq for line in lines] == [1, 2, 3] and [line.claim_id for line in lines] == [c.pk for c in ordered]
    assert batch.line_count == 3 and batch.total_fen == sum(c.payable_fen for c in claims)
    assert all(line.amount_fen == line.claim.payable_fen and line.state == "pending" for line in lines)
    assert set(Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("status", flat=True)) == {"in_payment"}
    steps = ClaimStep.objects.filter(step="batch")
    assert steps.count() == 3 and {s.data["batch"] for s in steps} == {batch.number}
    assert {(s.from_status, s.to_status, s.actor_id) for s in steps} == {("approved", "in_payment", world.finance.pk)}
    entry = AuditEntry.objects.get(action="payment_batch.create")
    numbers = [c.number for c in ordered]
    assert entry.after["lines"] == 3 and entry.after["claims_first"] == numbers[0]
    assert entry.after["claims_last"] == numbers[-1] and "claims" not in entry.after
    assert entry.after["claims_sha256"] == hashlib.sha256("".join(f"{n}\n" for n in numbers).encode()).hexdigest()


def test_a_refused_batch_changes_nothing_even_when_the_bad_claim_is_in_a_later_slice(
    world, approved_claims, submit_work, monkeypatch
):
    monkeypatch.setattr(payments, "BATCH_SLICE", 1)
    claims = approved_claims(2)
    submitted = submit_work(name="员工壬")
    with pytest.raises(DomainError) as refused:
        payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in claims] + [submitted.pk])
    assert refused.value.code == "claim_not_approved" and submitted.number in str(refused.value)
    with pytest.raises(DomainError) as missing:
        payments.batch_create(actor=world.finance, claim_ids=[claims[0].pk, uuid.uuid4()])
    assert missing.value.code == "claim_not_found"
    with pytest.raises(DomainError) as bad:
        payments.batch_create(actor=world.finance, claim_ids=[claims[0].pk, "not-an-id"])
    assert bad.value.code == "bad_id"
    assert PaymentBatch.objects.count() == 0 and PaymentLine.objects.count() == 0
    assert set(Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("status", flat=True)) == {"approved"}


def test_a_return_is_confirmed_slice_by_slice_posted_once_and_audited_per_batch(world, approved_claims, monkeypatch):
    from jineng.common.audit.models import AuditEntry
    from jineng.subsidies.models import ClaimStep

    monkeypatch.setattr(payments, "BATCH_SLICE", 2)  # three lines: two slices
    claims = approved_claims(3)
    allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440000",
                      amount_fen=10_000_000, memo="测试拨款")  # fmt: skip
    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in claims])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    first, second, third = batch.lines.order_by("seq").select_related("claim")
    rows = [
        payments.ReturnRow(1, str(first.pk), "", "成功", bank_reference="B1", amount_fen=first.amount_fen),
        payments.ReturnRow(2, "", second.claim.number, "paid", bank_reference="B2"),
        payments.ReturnRow(3, str(third.pk), "", "失败", reason="户名不符"),
    ]
    assert payments.returns_apply(actor=world.cashier, rows=rows, batch=batch) == {
        "paid": 2,
        "failed": 1,
        "unchanged": 0,
    }
    states = dict(PaymentLine.objects.values_list("claim_id", "state"))
    assert states == {first.claim_id: "paid", second.claim_id: "paid", third.claim_id: "failed"}
    assert {c.status for c in Claim.objects.filter(pk__in=[first.claim_id, second.claim_id])} == {"paid"}
    assert Claim.objects.get(pk=third.claim_id).status == "payment_failed"
    assert sorted(LedgerTransaction.objects.filter(kind="payment").values_list("reference", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    paid_step = ClaimStep.objects.get(claim_id=second.claim_id, step="paid")
    assert paid_step.from_status == "in_payment" and paid_step.data["bank_reference"] == "B2"
    assert ClaimStep.objects.get(claim_id=third.claim_id, step="payment_failed").reason == "户名不符"
    assert AuditEntry.objects.get(action="claim.paid").after["rows"] == 2
    assert AuditEntry.objects.get(action="claim.payment_failed").after["rows"] == 1
    batch.refresh_from_db()
    assert batch.status == "settled" and reconcile().ok
    # The same return again changes nothing and posts nothing twice.
    again = payments.returns_apply(actor=world.cashier, rows=rows, batch=batch)
    assert again == {"paid": 0, "failed": 0, "unchanged": 3}
    assert LedgerTransaction.objects.filter(kind="payment").count() == 2


def test_reconcile_reports_a_voucher_without_entries(world, approved_claims):
    from jineng.subsidies.models import LedgerEntry
    from jineng.subsidies.services.ledger import reconcile

    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = batch.lines.get()
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(line.pk), "", "paid")], batch=batch)
    assert not [p for p in reconcile().problems if "没有分录" in p]
    posted = LedgerEntry.objects.filter(transaction__kind="payment").values_list("transaction_id", flat=True).first()
    LedgerEntry.objects.filter(transaction_id=posted).delete()  # a voucher whose entries were lost
    assert any("1 张凭证没有分录" in p for p in reconcile().problems)


def test_only_a_claim_with_an_open_hold_is_kept_out_of_a_batch(world, approved_claims):
    from django.utils import timezone

    from jineng.subsidies.models import ClaimHold

    never, released, held = approved_claims(3)
    now = timezone.now()
    ClaimHold.objects.create(claim=released, region_id=released.region_id, ref="supervision.case:a", reason="x",
                             placed_at=now, released_at=now)  # fmt: skip
    ClaimHold.objects.create(claim=held, region_id=held.region_id, ref="supervision.case:b", reason="x", placed_at=now)
    with pytest.raises(DomainError) as exc:
        payments.batch_create(actor=world.finance, claim_ids=[never.pk, released.pk, held.pk])
    assert exc.value.code == "claim_on_hold" and held.number in exc.value.message
    assert never.number not in exc.value.message and released.number not in exc.value.message
    batch = payments.batch_create(actor=world.finance, claim_ids=[never.pk, released.pk])
    assert batch.lines.count() == 2
