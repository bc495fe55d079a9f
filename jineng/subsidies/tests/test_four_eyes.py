"""Four eyes on every money step (issue 14, item 3): for each pair of steps (``subsidy.four_eyes.*``) the same person
is refused with 403 ``same_person_forbidden`` and nothing changes; a region may allow a pair (0); a payee change is a
request another reviewer decides; and the attacker's loop — fail a line, change the payee, batch, export, confirm
paid, all alone — is refused at every step."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from jineng.common.errors import DomainError
from jineng.refdata.api import setting_set
from jineng.subsidies.models import Claim, ClaimStep, LedgerTransaction, PayeeChange, PaymentBatch, PaymentLine
from jineng.subsidies.services import payments, review
from jineng.subsidies.tests.conftest import TODAY, export_bank_file

pytestmark = pytest.mark.django_db


def allow(world, key, region="440000"):
    setting_set(actor=world.province, key=key, region_code=region, value=0, valid_from=dt.date(2000, 1, 1),
                reason="本地区允许同一人办理")  # fmt: skip


def refused(fn, **kw):
    with pytest.raises(DomainError) as err:
        fn(**kw)
    assert err.value.code == "same_person_forbidden" and err.value.status == 403, err.value
    return err.value


def in_publicity(world, submit_work):
    claim = review.claim_accept(actor=world.county, claim=submit_work())
    claim = review.claim_first_review(actor=world.city, claim=claim)
    return review.claim_second_review(actor=world.reviewer, claim=claim, on=TODAY - dt.timedelta(days=30))


def paid_line_failed(world, claim):
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = batch.lines.get()
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(line.pk), "", "失败", reason="账户冻结")],
                           batch=batch)  # fmt: skip
    return Claim.objects.get(pk=claim.pk)


# ---- review → approval -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["accepted", "first_reviewed"])
def test_who_accepted_or_first_reviewed_cannot_give_final_approval(world, submit_work, step):
    claim = in_publicity(world, submit_work)
    actor = world.county if step == "accepted" else world.city
    refused(review.claim_publicity_close, actor=actor, claim=claim)
    claim.refresh_from_db()
    assert claim.status == "publicity" and claim.approved_by_id is None
    assert not ClaimStep.objects.filter(claim=claim, step="approve").exists()
    approved = review.claim_publicity_close(actor=world.province, claim=claim)
    assert approved.status == "approved" and approved.approved_by_id == world.province.pk


def test_a_region_may_allow_the_accepting_official_to_approve(world, submit_work):
    allow(world, "subsidy.four_eyes.review_approve")
    claim = in_publicity(world, submit_work)
    assert review.claim_publicity_close(actor=world.county, claim=claim).status == "approved"


# ---- review → payment --------------------------------------------------------------------------------------------


def test_who_reviewed_a_claim_cannot_batch_it(world, approved_claims, api):
    claims = approved_claims(2)
    Claim.objects.filter(pk=claims[1].pk).update(approved_by=world.province)  # province gave the final approval
    response = api(world.province).post(
        "/api/v1/payment-batches", json.dumps({"claim_ids": [str(c.pk) for c in claims]}),
        content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )  # fmt: skip
    assert response.status_code == 403 and response.json()["code"] == "same_person_forbidden"
    assert claims[1].number in response.json()["message"] and claims[0].number not in response.json()["message"]
    assert not PaymentBatch.objects.exists() and set(Claim.objects.values_list("status", flat=True)) == {"approved"}
    assert api(world.province).post(
        "/api/v1/payment-batches", json.dumps({"claim_ids": [str(claims[0].pk)]}),
        content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    ).status_code == 201  # fmt: skip


def test_who_reviewed_a_claim_cannot_export_or_confirm_its_payment(world, approved_claims):
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    Claim.objects.filter(pk=claim.pk).update(first_reviewer=world.province)
    refused(payments.bank_file, actor=world.province, batch=batch, fmt="csv")
    batch.refresh_from_db()
    assert batch.status == "created" and batch.exported_by_id is None
    line = batch.lines.get()
    refused(payments.returns_apply, actor=world.province, rows=[payments.ReturnRow(1, str(line.pk), "", "paid")],
            batch=batch)  # fmt: skip
    line.refresh_from_db()
    assert line.state == "pending" and not LedgerTransaction.objects.filter(kind="payment").exists()


def test_a_region_may_allow_reviewers_to_pay(world, approved_claims):
    allow(world, "subsidy.four_eyes.review_pay", region="440104")  # the claims' region
    claim = approved_claims(1)[0]
    Claim.objects.filter(pk=claim.pk).update(approved_by=world.province)
    assert payments.batch_create(actor=world.province, claim_ids=[claim.pk]).line_count == 1


# ---- batch / export → confirmation -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["creator", "exporter"])
def test_who_made_or_exported_the_batch_cannot_confirm_its_return(world, approved_claims, api, who):
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    exporter = world.province
    payments.bank_file(actor=exporter, batch=batch, fmt="csv")
    batch.refresh_from_db()
    assert batch.exported_by_id == exporter.pk
    actor = world.finance if who == "creator" else exporter
    line = batch.lines.get()
    response = api(actor).post(
        f"/api/v1/payment-batches/{batch.pk}/returns",
        json.dumps({"lines": [{"line_id": str(line.pk), "result": "paid"}]}),
        content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )  # fmt: skip
    assert response.status_code == 403 and response.json()["code"] == "same_person_forbidden"
    line.refresh_from_db()
    assert line.state == "pending" and Claim.objects.get(pk=claim.pk).status == "in_payment"
    assert not LedgerTransaction.objects.filter(kind="payment").exists()


def test_the_return_import_refuses_the_batch_maker_too(world, approved_claims, tmp_path):
    from jineng.imports.api import Context, importer_for
    from jineng.imports.framework import run_import

    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    line = batch.lines.get()
    path = tmp_path / "return.csv"
    path.write_text(f"明细编号,支付结果,失败原因\n{line.pk},成功,\n", encoding="utf-8")
    ctx = Context(actor=world.finance, mode="strict", region_code="440000", today=TODAY)
    result = run_import(importer=importer_for("payment_return"), path=path, ctx=ctx, filename=path.name)
    assert result.outcome == "rejected" and not result.written
    line.refresh_from_db()
    assert line.state == "pending"


def test_a_region_may_allow_the_batch_maker_to_confirm(world, approved_claims):
    allow(world, "subsidy.four_eyes.batch_confirm")
    claim = approved_claims(1)[0]
    batch = payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    export_bank_file(world.finance, batch)  # the bank file goes out before any return
    payments.returns_apply(actor=world.finance, rows=[payments.ReturnRow(1, str(batch.lines.get().pk), "", "paid")],
                           batch=batch)  # fmt: skip
    assert Claim.objects.get(pk=claim.pk).status == "paid"


# ---- payee change ------------------------------------------------------------------------------------------------


def test_a_payee_change_is_a_request_another_reviewer_decides(world, approved_claims, api):
    claim = paid_line_failed(world, approved_claims(1)[0])
    old_masked = claim.payee_account_masked
    response = api(world.county).post(
        f"/api/v1/claims/{claim.pk}/payee",
        json.dumps({"payee_bank": "建设银行", "payee_account": "6217000011112222333", "reason": "原账户冻结"}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["payee_account_masked"].endswith("2333")
    assert "6217000011112222333" not in response.content.decode()
    change = PayeeChange.objects.get()
    assert "6217000011112222333" not in change.payee_account_enc  # encrypted at rest
    claim.refresh_from_db()
    assert claim.status == "payment_failed" and claim.payee_account_masked == old_masked  # nothing changed yet
    with pytest.raises(DomainError):
        payments.batch_create(actor=world.finance, claim_ids=[claim.pk])
    own = api(world.county).post(f"/api/v1/payee-changes/{change.pk}/approve", "{}", content_type="application/json")
    assert own.status_code == 403 and own.json()["code"] == "same_person_forbidden"
    claim.refresh_from_db()
    assert claim.status == "payment_failed" and claim.payee_account_masked == old_masked
    listed = api(world.city).get("/api/v1/payee-changes?status=pending").json()
    assert [i["id"] for i in listed["items"]] == [str(change.pk)]
    done = api(world.city).post(f"/api/v1/payee-changes/{change.pk}/approve", json.dumps({"reason": "已核实"}),
                                content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "approved"
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.payee_account_masked.endswith("2333")
    steps = list(ClaimStep.objects.filter(claim=claim).values_list("step", flat=True))
    assert "payee_change_request" in steps and "payee_change_approve" in steps


def test_the_applicant_cannot_approve_their_own_change_and_a_rejection_keeps_the_claim_failed(world, approved_claims):
    claim = paid_line_failed(world, approved_claims(1)[0])
    change = payments.payee_change_request(actor=world.hr, claim=claim, payee_bank="", payee_account="6217000011112222333",
                                           reason="换卡")  # fmt: skip
    with pytest.raises(DomainError) as err:
        payments.payee_change_decide(actor=world.hr, change=change, approve=True)
    assert err.value.status == 403
    with pytest.raises(DomainError) as err:
        payments.payee_change_decide(actor=world.city, change=change, approve=False)
    assert err.value.code == "reason_required"
    payments.payee_change_decide(actor=world.city, change=change, approve=False, reason="账户户名不符")
    claim.refresh_from_db()
    assert claim.status == "payment_failed" and PayeeChange.objects.get().status == "rejected"


def test_a_region_may_let_the_requester_decide(world, approved_claims):
    allow(world, "subsidy.four_eyes.payee_change", region="440104")
    claim = paid_line_failed(world, approved_claims(1)[0])
    change = payments.payee_change_request(actor=world.city, claim=claim, payee_bank="", payee_account="6217000011112222333",
                                           reason="换卡")  # fmt: skip
    assert payments.payee_change_decide(actor=world.city, change=change, approve=True).status == "approved"


def test_the_payee_change_on_the_claim_page(world, approved_claims, client):
    claim = paid_line_failed(world, approved_claims(1)[0])
    client.force_login(world.county)
    client.post(f"/subsidies/claims/{claim.pk}/do/payee/", {"payee_bank": "建设银行",
                                                            "payee_account": "6217000011112222333", "reason": "换卡"})  # fmt: skip
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert "待审核" in page and "6217000011112222333" not in page
    own = client.post(f"/subsidies/claims/{claim.pk}/do/payee_approve/", {}, follow=True).content.decode()
    assert "另一名审核人员" in own and Claim.objects.get(pk=claim.pk).status == "payment_failed"
    client.force_login(world.city)
    client.post(f"/subsidies/claims/{claim.pk}/do/payee_approve/", {})
    assert Claim.objects.get(pk=claim.pk).status == "approved"


# ---- the attacker's loop, end to end -----------------------------------------------------------------------------


def test_one_official_with_review_and_pay_rights_cannot_redirect_a_payment_alone(world, approved_claims, api):
    """The loop from the issue, run by world.province (records.review and finance.pay over 广东): every step that
    would let them move the money alone is refused, and the claim, its account and the ledger are unchanged."""
    claim = approved_claims(1)[0]
    me = api(world.province)
    created = me.post("/api/v1/payment-batches", json.dumps({"claim_ids": [str(claim.pk)]}),
                      content_type="application/json", HTTP_IDEMPOTENCY_KEY="loop-1")  # fmt: skip
    assert created.status_code == 201
    batch = PaymentBatch.objects.get()
    assert me.get(f"/api/v1/payment-batches/{batch.pk}/bank-file?format=csv").status_code == 200
    line = batch.lines.get()
    # 1. Mark the line failed in a bank return: refused (they made and exported the batch).
    failed = me.post(f"/api/v1/payment-batches/{batch.pk}/returns",
                     json.dumps({"lines": [{"line_id": str(line.pk), "result": "failed", "reason": "退票"}]}),
                     content_type="application/json", HTTP_IDEMPOTENCY_KEY="loop-2")  # fmt: skip
    assert failed.status_code == 403 and failed.json()["code"] == "same_person_forbidden"
    assert PaymentLine.objects.get(pk=line.pk).state == "pending"
    # Say the bank really failed it (confirmed by the cashier).
    payments.returns_apply(actor=world.cashier, rows=[payments.ReturnRow(1, str(line.pk), "", "失败", reason="退票")],
                           batch=batch)  # fmt: skip
    before = Claim.objects.get(pk=claim.pk)
    # 2. Change the payee to their own account: only a request; approving it themselves is refused.
    asked = me.post(f"/api/v1/claims/{claim.pk}/payee",
                    json.dumps({"payee_bank": "某银行", "payee_account": "6200999988887777666", "reason": "更换账户"}),
                    content_type="application/json")  # fmt: skip
    assert asked.status_code == 201
    own = me.post(f"/api/v1/payee-changes/{asked.json()['id']}/approve", "{}", content_type="application/json")
    assert own.status_code == 403 and own.json()["code"] == "same_person_forbidden"
    # 3. A new batch for it: refused — the claim is not payable without the approved change.
    again = me.post("/api/v1/payment-batches", json.dumps({"claim_ids": [str(claim.pk)]}),
                    content_type="application/json", HTTP_IDEMPOTENCY_KEY="loop-3")  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "claim_not_approved"
    after = Claim.objects.get(pk=claim.pk)
    assert (after.status, after.payee_account_enc, after.payee_account_masked) == (
        "payment_failed", before.payee_account_enc, before.payee_account_masked)  # fmt: skip
    assert PaymentBatch.objects.count() == 1 and not LedgerTransaction.objects.filter(kind="payment").exists()
    # 4. Even with the change approved by another reviewer, they cannot both batch and confirm.
    payments.payee_change_decide(actor=world.city, change=PayeeChange.objects.get(), approve=True)
    new = payments.batch_create(actor=world.province, claim_ids=[claim.pk])
    payments.bank_file(actor=world.province, batch=new, fmt="csv")
    refused(payments.returns_apply, actor=world.province,
            rows=[payments.ReturnRow(1, str(new.lines.get().pk), "", "paid")], batch=new)  # fmt: skip
    assert Claim.objects.get(pk=claim.pk).status == "in_payment"
    assert not LedgerTransaction.objects.filter(kind="payment").exists()
