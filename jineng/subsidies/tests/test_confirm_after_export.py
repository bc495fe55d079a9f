"""A batch's lines are confirmed from the bank's return, so never before its bank file was exported (the service
refuses: page, API and return import obey; the page hides the form until then), and the page's one 银行流水号 is
never stamped on several lines (the bank's return gives each payment its own)."""

from __future__ import annotations

import json

import pytest

from jineng.subsidies.models import Claim, LedgerTransaction, PaymentLine
from jineng.subsidies.services import payments
from jineng.subsidies.services.ledger import allocation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(world, approved_claims):
    allocation_create(actor=world.finance, fund_source="unemployment_insurance", region_code="440000",
                      amount_fen=10_000_000, memo="测试拨款")  # fmt: skip
    return payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in approved_claims(2)])


def test_a_batch_waiting_for_its_bank_file_cannot_be_confirmed_through_the_api(world, batch, api):
    line = batch.lines.order_by("seq").first()
    client = api(world.cashier)
    body = {
        "lines": [{"line_id": str(line.pk), "result": "paid", "bank_reference": "B001", "amount_fen": line.amount_fen}]
    }
    url = f"/api/v1/payment-batches/{batch.pk}/returns"
    refused = client.post(url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert refused.status_code == 422 and "batch_not_exported" in refused.content.decode()
    assert "尚未导出支付文件" in refused.json()["message"]
    assert not LedgerTransaction.objects.filter(kind="payment").exists()
    assert PaymentLine.objects.get(pk=line.pk).state == "pending"
    payments.bank_file(actor=world.finance, batch=batch, fmt="csv")
    done = client.post(url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-2")
    assert done.status_code == 200 and done.json()["paid"] == 1
    assert LedgerTransaction.objects.filter(kind="payment").count() == 1


def test_the_page_hides_the_confirm_form_until_exported_and_refuses_a_post(world, batch, client):
    lines = list(batch.lines.order_by("seq"))
    client.force_login(world.cashier)
    page = client.get(f"/subsidies/payments/{batch.pk}/").content.decode()
    assert 'name="line"' not in page and 'value="paid"' not in page and "尚未导出支付文件" in page
    confirm = {"line": [str(lines[0].pk)], "result": "paid", "bank_reference": "B1"}
    refused = client.post(f"/subsidies/payments/{batch.pk}/confirm/", confirm, follow=True).content.decode()
    assert "尚未导出支付文件" in refused and Claim.objects.get(pk=lines[0].claim_id).status == "in_payment"
    assert not LedgerTransaction.objects.filter(kind="payment").exists()
    client.force_login(world.finance)
    assert client.get(f"/subsidies/payments/{batch.pk}/file.csv").status_code == 200  # the export
    client.force_login(world.cashier)
    page = client.get(f"/subsidies/payments/{batch.pk}/").content.decode()
    assert 'name="line"' in page and 'value="paid"' in page and "一次只确认一条明细" in page
    # one bank reference for two lines: refused, nothing confirmed
    both = {"line": [str(p.pk) for p in lines], "result": "paid", "bank_reference": "B1"}
    refused = client.post(f"/subsidies/payments/{batch.pk}/confirm/", both, follow=True).content.decode()
    assert "一次只能确认一条明细" in refused
    assert set(PaymentLine.objects.filter(batch=batch).values_list("state", flat=True)) == {"pending"}
    for n, p in enumerate(lines, start=1):  # one line per reference
        client.post(f"/subsidies/payments/{batch.pk}/confirm/",
                    {"line": [str(p.pk)], "result": "paid", "bank_reference": f"B{n}"})  # fmt: skip
    assert sorted(PaymentLine.objects.filter(batch=batch).values_list("bank_reference", flat=True)) == ["B1", "B2"]
    assert LedgerTransaction.objects.filter(kind="payment").count() == 2


def test_a_line_is_not_confirmed_paid_without_its_bank_reference(world, batch, client, api):
    """Found on the demo walk: 确认支付成功 with no 银行流水号 paid the line — the bank's proof of the payment is
    required on the page and through the API (the same service), the error names the line and the field."""
    first, second = batch.lines.order_by("seq")
    payments.bank_file(actor=world.finance, batch=batch, fmt="csv")
    client.force_login(world.cashier)
    page = client.post(f"/subsidies/payments/{batch.pk}/confirm/",
                       {"line": [str(first.pk)], "result": "paid", "bank_reference": "  "}, follow=True)  # fmt: skip
    body = page.content.decode()
    assert "支付成功须填写银行流水号" in body and first.claim.number in body
    body = {"lines": [{"line_id": str(second.pk), "result": "paid", "amount_fen": second.amount_fen}]}
    refused = api(world.cashier).post(f"/api/v1/payment-batches/{batch.pk}/returns", json.dumps(body),
                                      content_type="application/json", HTTP_IDEMPOTENCY_KEY="no-ref")  # fmt: skip
    assert refused.status_code == 422 and "bank_reference" in refused.content.decode()
    assert set(PaymentLine.objects.filter(batch=batch).values_list("state", flat=True)) == {"pending"}
    assert not LedgerTransaction.objects.filter(kind="payment").exists()
