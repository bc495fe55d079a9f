"""The bank's return, hardened after the attack: one 银行流水号 confirms one line (claim or grant; a DB constraint
too), a return file's row without its amount is refused (row, field, reason), every column bounded and no more rows
than a batch holds — all or nothing. And ``GET /api/v1/payment-batches/{id}`` of a grant batch shows its lines."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest
from django.db import IntegrityError, transaction

from jineng.common.errors import DomainError
from jineng.subsidies.models import GrantLine, LedgerTransaction, PaymentLine
from jineng.subsidies.services import grants, payments
from jineng.subsidies.tests.conftest import export_bank_file
from jineng.subsidies.tests.test_grant_payments import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(world, approved_claims):
    batch = payments.batch_create(actor=world.finance, claim_ids=[c.pk for c in approved_claims(2)])
    return export_bank_file(world.finance, batch)


def _post(client, batch, lines):
    return client.post(f"/api/v1/payment-batches/{batch.pk}/returns", json.dumps({"lines": lines}),
                       content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)  # fmt: skip


def _nothing_confirmed(batch):
    assert set(PaymentLine.objects.filter(batch=batch).values_list("state", flat=True)) == {"pending"}
    assert not LedgerTransaction.objects.filter(kind="payment").exists()


def test_a_return_row_without_its_amount_refuses_the_whole_return(world, exported, api):
    a, b = exported.lines.order_by("seq")
    r = _post(api(world.cashier), exported, [
        {"line_id": str(a.pk), "result": "paid", "bank_reference": "YH-1", "amount_fen": a.amount_fen},
        {"line_id": str(b.pk), "result": "paid", "bank_reference": "YH-2"},
    ])  # fmt: skip
    assert r.status_code == 422, r.content
    assert [(f["row"], f["field"], f["code"]) for f in r.json()["fields"]] == [(2, "amount", "required")]
    assert "未填写金额" in r.json()["fields"][0]["message"]
    _nothing_confirmed(exported)


def test_a_return_file_row_without_its_amount_is_refused(world, exported, tmp_path):
    from jineng.imports.api import Context, importer_for
    from jineng.imports.framework import run_import

    a, b = exported.lines.order_by("seq")
    path = tmp_path / "return.csv"
    path.write_text("明细编号,支付结果,银行流水号,金额（元）\n"
                    f"{a.pk},成功,YH-1,3000.00\n{b.pk},成功,YH-2,\n", encoding="utf-8")  # fmt: skip
    ctx = Context(actor=world.cashier, mode="strict", region_code="440000", today=__import__("datetime").date.today())
    result = run_import(importer=importer_for("payment_return"), path=path, ctx=ctx, filename=path.name)
    assert result.outcome == "rejected" and not result.written
    _nothing_confirmed(exported)


def test_one_bank_reference_confirms_one_line(world, exported, approved_claims, api):
    a, b = exported.lines.order_by("seq")
    same = [{"line_id": str(x.pk), "result": "paid", "bank_reference": "YH-SAME", "amount_fen": x.amount_fen}
            for x in (a, b)]  # fmt: skip
    r = _post(api(world.cashier), exported, same)
    assert r.status_code == 422
    assert [(f["row"], f["field"], f["code"]) for f in r.json()["fields"]] == [
        (2, "bank_reference", "duplicate_bank_reference")]  # fmt: skip
    _nothing_confirmed(exported)
    payments.returns_apply(actor=world.cashier, batch=exported,
                           rows=[payments.ReturnRow(1, str(a.pk), "", "成功", bank_reference="YH-SAME")])  # fmt: skip
    # a later return (the other line of the batch) with the reference already used: refused
    with pytest.raises(DomainError) as err:
        payments.returns_apply(actor=world.cashier, batch=exported,
                               rows=[payments.ReturnRow(1, str(b.pk), "", "成功", bank_reference="YH-SAME")])  # fmt: skip
    assert [(f.row, f.field, f.code) for f in err.value.fields] == [(1, "bank_reference", "duplicate_bank_reference")]
    # the same return again is still a no-op (its own line holds the reference)
    again = payments.returns_apply(actor=world.cashier, batch=exported,
                                   rows=[payments.ReturnRow(1, str(a.pk), "", "成功", bank_reference="YH-SAME")])  # fmt: skip
    assert again["unchanged"] == 1
    # the database holds it too, whatever path writes
    b.bank_reference = "YH-SAME"
    with pytest.raises(IntegrityError), transaction.atomic():
        b.save(update_fields=["bank_reference"])


def test_a_grant_line_cannot_reuse_a_claim_lines_bank_reference(world, bases, exported, api):
    a = exported.lines.order_by("seq").first()
    payments.returns_apply(actor=world.cashier, batch=exported,
                           rows=[payments.ReturnRow(1, str(a.pk), "", "成功", bank_reference="YH-CLAIM")])  # fmt: skip
    grant = approved(world, bases.studio)
    batch = export_bank_file(world.finance, grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk]))
    line = GrantLine.objects.get(batch=batch)
    for reference, code in (("YH-CLAIM", "duplicate_bank_reference"), ("Y" * 65, "too_long")):
        with pytest.raises(DomainError) as err:
            grants.grant_line_confirm(actor=world.cashier, line=line, paid=True, bank_reference=reference)
        assert (err.value.fields[0].field, err.value.code) == ("bank_reference", code)
    line.refresh_from_db()
    assert line.state == "pending"
    grants.grant_line_confirm(actor=world.cashier, line=line, paid=True, bank_reference="YH-GRANT")


@pytest.mark.parametrize("column", ["reason", "bank_reference"])
def test_return_texts_are_bounded_naming_row_and_field(world, exported, api, column):
    a, b = exported.lines.order_by("seq")
    row = {"line_id": str(b.pk), "result": "failed", "reason": "退票", "amount_fen": b.amount_fen, column: "字" * 2000}
    good = {"line_id": str(a.pk), "result": "paid", "bank_reference": "YH-1", "amount_fen": a.amount_fen}
    r = _post(api(world.cashier), exported, [good, row])
    assert r.status_code == 422 and column in r.content.decode()
    _nothing_confirmed(exported)
    # the service itself refuses (the page and the import reach it without the API's schema)
    long = dataclasses.replace(payments.ReturnRow(2, str(b.pk), "", "失败", reason="退票"), **{column: "字" * 2000})
    with pytest.raises(DomainError) as err:
        payments.returns_apply(actor=world.cashier, batch=exported,
                               rows=[payments.ReturnRow(1, str(a.pk), "", "成功", bank_reference="YH-1"), long])  # fmt: skip
    assert [(f.row, f.field, f.code) for f in err.value.fields] == [(2, column, "too_long")]
    _nothing_confirmed(exported)


def test_a_return_longer_than_a_batch_is_refused_whole(world, exported, api, monkeypatch, tmp_path):
    a = exported.lines.order_by("seq").first()
    rows = [payments.ReturnRow(n, str(a.pk), "", "成功") for n in range(1, payments.MAX_RETURN_ROWS + 2)]
    with pytest.raises(DomainError) as err:
        payments.returns_apply(actor=world.cashier, batch=exported, rows=rows)
    assert (err.value.fields[0].field, err.value.code) == ("lines", "too_many_rows")
    body = [{"line_id": str(a.pk), "result": "paid", "amount_fen": 1}] * (payments.MAX_RETURN_ROWS + 1)
    assert _post(api(world.cashier), exported, body).status_code == 422
    # the import counts the rows of the whole file (it reads it in parts)
    from jineng.imports.api import Context, importer_for
    from jineng.imports.framework import run_import
    from jineng.subsidies.io import returns

    monkeypatch.setattr(returns, "MAX_RETURN_ROWS", 1)
    a, b = exported.lines.order_by("seq")
    path = tmp_path / "return.csv"
    path.write_text("明细编号,支付结果,银行流水号,金额（元）\n"
                    f"{a.pk},成功,YH-1,3000.00\n{b.pk},成功,YH-2,3000.00\n", encoding="utf-8")  # fmt: skip
    ctx = Context(actor=world.cashier, mode="strict", region_code="440000", today=__import__("datetime").date.today())
    result = run_import(importer=importer_for("payment_return"), path=path, ctx=ctx, filename=path.name,
                        batch_size=1)  # fmt: skip
    assert result.outcome == "rejected" and not result.written
    _nothing_confirmed(exported)


def test_the_batch_detail_api_shows_a_grant_batchs_lines(world, bases, api, openapi):
    grant = approved(world, bases.studio)
    batch = grants.grant_batch_create(actor=world.finance, grant_ids=[grant.pk])
    body = openapi.validate(api(world.finance).get(f"/api/v1/payment-batches/{batch.pk}"))
    assert body["lines"] == []
    [line] = body["grant_lines"]
    assert (line["grant_number"], line["amount_fen"], line["state"]) == (grant.number, grant.amount_fen, "pending")
    assert line["payee_account_masked"] == grant.payee_account_masked and "6222020200098765432" not in json.dumps(body)


def _import_return(world, tmp_path, text):
    from jineng.imports.api import Context, importer_for
    from jineng.imports.framework import run_import

    path = tmp_path / "return.csv"
    path.write_text(text, encoding="utf-8")
    ctx = Context(actor=world.cashier, mode="strict", region_code="440000", today=__import__("datetime").date.today())
    issues: list = []
    result = run_import(importer=importer_for("payment_return"), path=path, ctx=ctx, filename=path.name,
                        on_issue=issues.append)  # fmt: skip
    return result, issues


def test_a_return_file_paid_claim_line_without_its_bank_reference_is_refused(world, exported, tmp_path):
    # the bank's return gives each successful payment its 交易流水号: a claim's line needs it as a grant's does
    a, b = exported.lines.order_by("seq")
    result, issues = _import_return(world, tmp_path, "明细编号,支付结果,银行流水号,金额（元）\n"
                            f"{a.pk},成功,YH-1,{a.amount_fen / 100:.2f}\n{b.pk},成功,,{b.amount_fen / 100:.2f}\n")  # fmt: skip
    assert result.outcome == "rejected" and not result.written
    assert [(i.row, i.column, i.code) for i in issues] == [(3, "bank_reference", "required")]
    assert "银行流水号" in issues[0].message
    _nothing_confirmed(exported)


def test_a_return_file_failed_line_needs_its_reason_not_a_reference(world, exported, tmp_path):
    a, b = exported.lines.order_by("seq")
    result, issues = _import_return(world, tmp_path, "明细编号,支付结果,失败原因,银行流水号,金额（元）\n"
                            f"{a.pk},成功,,YH-1,{a.amount_fen / 100:.2f}\n"
                            f"{b.pk},失败,账户已销户,,{b.amount_fen / 100:.2f}\n")  # fmt: skip
    assert result.outcome == "imported" and result.written, issues
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, a.bank_reference, b.state, b.failure_reason) == ("paid", "YH-1", "failed", "账户已销户")
