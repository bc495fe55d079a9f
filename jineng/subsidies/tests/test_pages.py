"""The flow from claim to payment through the pages: apply with 预审, review queues with deadlines and batch
actions, 公示 on the public page (masked), batch creation (double submit safe), bank file, confirmation, ledger."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jineng.common.masking import mask_name
from jineng.subsidies.models import Claim, LedgerTransaction, PaymentBatch, PolicyVersion
from jineng.subsidies.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_claim_to_payment_through_the_pages(world, hire, client):
    person, record = hire(name="欧阳明")
    client.force_login(world.hr)
    form = {"subsidy_type": "work_for_training", "event_ref": str(record.pk), "applicant_kind": "enterprise",
            "applicant_org": str(world.enterprise.pk), "months": "6", "payee_bank": "工商银行",
            "payee_account": "6222020200012345678"}  # fmt: skip
    page = client.get("/subsidies/new/?type=work_for_training")
    assert page.status_code == 200 and "欧阳明" in page.content.decode()  # the hire is offered
    checked = client.post("/subsidies/new/", {**form, "op": "check"})
    body = checked.content.decode()
    assert checked.status_code == 200 and "预审结果" in body and "3,000.00元" in body and Claim.objects.count() == 0
    submitted = client.post("/subsidies/new/", {**form, "op": "submit"})
    claim = Claim.objects.get()
    assert submitted.status_code == 302 and submitted["Location"] == f"/subsidies/claims/{claim.pk}/"
    detail = client.get(submitted["Location"]).content.decode()
    # every check is listed, by its label (the codes were shown raw before: issue 15)
    assert "补贴对象" in detail and "与申请单位的劳动关系" in detail
    assert "eligible_group" not in detail and "employed_by_applicant" not in detail
    assert "6222020200012345678" not in detail and claim.payee_account_masked in detail
    assert claim.number in client.get("/subsidies/organization/").content.decode()

    # 受理 in bulk from the queue, then 初审 and 复审 on the claim page by other officials.
    client.force_login(world.county)
    queue = client.get("/subsidies/review/?queue=submitted").content.decode()
    assert claim.number in queue and f"{claim.review_due:%Y-%m-%d}" in queue
    # on a phone each claim stacks as a labelled card (the queue scrolled sideways), its date kept on one line
    assert "jn-table-stack" in queue and 'class="text-nowrap" data-label="审核期限"' in queue
    client.post("/subsidies/review/bulk/", {"action": "accept", "claim": [str(claim.pk)], "queue": "submitted"})
    assert Claim.objects.get().status == "accepted"
    refused = client.post(f"/subsidies/claims/{claim.pk}/do/first_review/", {"reason": "同意"}, follow=True)
    assert "上一环节的经办人" in refused.content.decode() and Claim.objects.get().status == "accepted"
    client.force_login(world.city)
    client.post(f"/subsidies/claims/{claim.pk}/do/first_review/", {"reason": "同意"})
    client.force_login(world.province)
    client.post(f"/subsidies/claims/{claim.pk}/do/second_review/", {"reason": "同意公示"})
    claim.refresh_from_db()
    assert claim.status == "publicity"

    # The public list, without login, masks the name; an objection needs a login.
    client.logout()
    public = client.get("/publicity/").content.decode()
    assert claim.number in public and mask_name("欧阳明") in public and "欧阳明" not in public
    api_list = client.get("/api/v1/public/publicity").json()
    assert api_list["items"][0]["name"] == mask_name("欧阳明") and api_list["items"][0]["number"] == claim.number
    assert client.post("/subsidies/objections/new/", {"number": claim.number, "reason": "x"}).status_code == 302
    assert not claim.objections.exists()

    Claim.objects.filter(pk=claim.pk).update(publicity_end=TODAY - dt.timedelta(days=1))
    client.force_login(world.county)  # accepted it: four eyes refuse its final approval
    client.post("/subsidies/review/bulk/", {"action": "approve", "claim": [str(claim.pk)], "queue": "publicity"})
    assert Claim.objects.get().status == "publicity"
    client.force_login(world.reviewer)
    client.post("/subsidies/review/bulk/", {"action": "approve", "claim": [str(claim.pk)], "queue": "publicity"})
    assert Claim.objects.get().status == "approved"

    # Finance: one batch even if the form is posted twice, the bank file, the confirmation, the ledger.
    client.force_login(world.finance)
    payments_page = client.get("/subsidies/payments/").content.decode()
    assert claim.number in payments_page
    key = "form-key-1"
    first = client.post("/subsidies/payments/", {"claim": [str(claim.pk)], "idempotency_key": key})
    second = client.post("/subsidies/payments/", {"claim": [str(claim.pk)], "idempotency_key": key})
    batch = PaymentBatch.objects.get()
    assert first["Location"] == second["Location"] == f"/subsidies/payments/{batch.pk}/"
    csv = client.get(f"/subsidies/payments/{batch.pk}/file.csv")
    assert csv.status_code == 200 and "6222020200012345678" in csv.content.decode("utf-8-sig")
    line = batch.lines.get()
    confirm = {"line": [str(line.pk)], "result": "paid", "bank_reference": "B9"}
    refused = client.post(f"/subsidies/payments/{batch.pk}/confirm/", confirm, follow=True).content.decode()
    assert "须由另一人确认" in refused and Claim.objects.get().status == "in_payment"  # four eyes
    client.force_login(world.cashier)
    client.post(f"/subsidies/payments/{batch.pk}/confirm/", confirm)
    assert Claim.objects.get().status == "paid"
    ledger = client.get("/subsidies/ledger/").content.decode()
    assert "对账一致" in ledger and LedgerTransaction.objects.filter(kind="payment").count() == 1


def test_applicants_see_their_own_claims_only(world, submit_work, client, make_user):
    claim = submit_work()
    client.force_login(world.hr)
    assert claim.number in client.get("/subsidies/").content.decode()
    client.force_login(world.shenzhen_hr)
    assert claim.number not in client.get("/subsidies/").content.decode()
    assert client.get(f"/subsidies/claims/{claim.pk}/").status_code == 404
    worker = make_user("worker")
    worker.person_id = claim.person_id
    worker.save()
    client.force_login(worker)
    assert claim.number in client.get("/subsidies/").content.decode()
    assert client.get(f"/subsidies/claims/{claim.pk}/").status_code == 200
    assert client.get("/subsidies/review/").status_code == 403
    assert client.get("/subsidies/payments/").status_code == 403


def test_policy_draft_edited_and_published_on_the_page(world, client):
    client.force_login(world.province)
    base = PolicyVersion.objects.get(subsidy_type="work_for_training", region_id="440000")
    copied = client.post(f"/subsidies/policies/{base.pk}/copy/")
    draft = PolicyVersion.objects.get(status="draft")
    assert copied["Location"] == f"/subsidies/policies/{draft.pk}/"
    rules = dict(draft.rules)
    bad = client.post(f"/subsidies/policies/{draft.pk}/", {"op": "save", "rules": json.dumps({**rules, "payee": "x"})},
                      follow=True)  # fmt: skip
    assert "payee" in bad.content.decode()
    rules["amount"] = {**rules["amount"], "rows": [{"amount_fen": 60000}]}
    client.post(
        f"/subsidies/policies/{draft.pk}/", {"op": "save", "rules": json.dumps(rules), "title": "以工代训（调整）"}
    )
    client.post(f"/subsidies/policies/{draft.pk}/", {"op": "publish", "rules": json.dumps(rules)})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.rules["amount"]["rows"][0]["amount_fen"] == 60000
    base.refresh_from_db()
    assert base.valid_to == draft.valid_from - dt.timedelta(days=1)


def test_every_page_renders_for_its_roles(world, approved_claims, client):
    approved_claims(1)
    for user, urls in [
        (world.finance, ["/subsidies/payments/", "/subsidies/ledger/", "/subsidies/policies/", "/subsidies/vouchers/"]),
        (world.county, ["/subsidies/review/", "/subsidies/review/?queue=publicity", "/subsidies/policies/"]),
        (world.hr, ["/subsidies/", "/subsidies/new/", "/subsidies/new/?type=apprenticeship", "/publicity/"]),
        (world.staff, ["/subsidies/new/?type=training", "/subsidies/vouchers/"]),
    ]:
        client.force_login(user)
        for url in urls:
            assert client.get(url, follow=True).status_code == 200, (user.username, url)


def test_the_review_page_opens_on_the_step_with_work_waiting(world, submit_work, client):
    """The walk: demo-reviewer's /subsidies/review/ opened on 受理 while the to-do was 补贴复审."""
    from jineng.subsidies.services import review

    claim = review.claim_accept(actor=world.county, claim=submit_work())
    claim = review.claim_first_review(actor=world.city, claim=claim)
    client.force_login(world.reviewer)
    response = client.get("/subsidies/review/")
    assert response.status_code == 302 and response["Location"].endswith("?queue=first_passed")
    assert claim.number in client.get(response["Location"]).content.decode()
    assert client.get("/subsidies/review/?queue=submitted").status_code == 200  # a chosen tab stays
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert 'for="second-opinion"' in page  # 复审通过并公示 with a labelled opinion


def test_precheck_keeps_the_account_and_says_why_months_were_cut(world, hire, client):
    """预审 gives back the form as typed (the account was blank, so 提交 failed unless retyped), and a claim for more
    months than worked says why fewer are paid (walk of issue 15: 6 months asked, 1 paid, no reason)."""
    _person, record = hire(months=1)
    client.force_login(world.hr)
    form = {"subsidy_type": "work_for_training", "event_ref": str(record.pk), "applicant_kind": "enterprise",
            "applicant_org": str(world.enterprise.pk), "months": "6", "payee_bank": "工商银行",
            "payee_account": "6222020200012345678", "note": "首批"}  # fmt: skip
    checked = client.post("/subsidies/new/", {**form, "op": "check"}).content.decode()
    assert 'value="6222020200012345678"' in checked and 'value="工商银行"' in checked and 'value="6"' in checked
    assert "申请 6 个月" in checked and f"自 {record.started_on:%Y-%m-%d} 录用至今已满 1 个月" in checked


def test_precheck_names_the_policy_and_claim_regions_not_their_codes(world, hire, client):
    """预审 printed 「适用政策：… v1（440000）· 归属地区 440106」 (issue 15): the regions are named."""
    import re

    _person, record = hire()
    client.force_login(world.hr)
    form = {"subsidy_type": "work_for_training", "event_ref": str(record.pk), "applicant_kind": "enterprise",
            "applicant_org": str(world.enterprise.pk), "months": "6", "payee_account": "6222020200012345678"}  # fmt: skip
    checked = client.post("/subsidies/new/", {**form, "op": "check"}).content.decode()
    line = checked[checked.index("适用政策") :].split("</div>")[0]
    claim_region = line.split("归属地区")[1]
    assert not re.search(r"\d{6}", line), line
    assert PolicyVersion.objects.filter(region__name__in=re.findall(r"（(.+?)）", line)).exists(), line
    assert "区" in claim_region or "市" in claim_region or "省" in claim_region, line


def test_an_empty_review_queue_says_so_without_a_table_or_bulk_button(world, client):
    """On a phone an empty queue showed a cut-off table header and a 批量受理 button (walk of issue 15)."""
    client.force_login(world.county)
    page = client.get("/subsidies/review/?queue=submitted").content.decode()
    assert "暂无待办" in page and "批量受理" not in page and "<table" not in page.split('id="queue-empty"')[1]


def test_narrow_tables_stack_into_labelled_cards_on_a_phone(world, hire, client):
    """状态 and 金额 were off-screen at 390 px in 我的补贴 and 公示: each row is a card whose cells carry their label."""
    _person, record = hire()
    client.force_login(world.hr)
    client.post("/subsidies/new/", {"subsidy_type": "work_for_training", "event_ref": str(record.pk),
                                    "applicant_kind": "enterprise", "applicant_org": str(world.enterprise.pk),
                                    "months": "6", "payee_bank": "工商银行", "payee_account": "6222020200012345678",
                                    "op": "submit"})  # fmt: skip
    mine = client.get("/subsidies/organization/").content.decode()
    assert "jn-table-stack" in mine and 'data-label="状态"' in mine and 'data-label="核定金额"' in mine
    assert "jn-table-stack" in client.get("/publicity/").content.decode()


def test_under_english_checks_amounts_and_ledger_lines_are_english(world, hire, client):
    """The walk of issue 15 found Chinese explanations ("人员类别符合：…", "补贴标准 500.00元/月…"), Chinese ledger
    sub-lines and "元" after every amount on English pages."""
    _person, record = hire(group="unemployed", months=1)
    client.force_login(world.hr)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    form = {"subsidy_type": "work_for_training", "event_ref": str(record.pk), "applicant_kind": "enterprise",
            "applicant_org": str(world.enterprise.pk), "months": "6", "payee_bank": "工商银行",
            "payee_account": "6222020200012345678", "op": "check"}  # fmt: skip
    body = client.post("/subsidies/new/", form).content.decode()
    assert "Standard ¥500.00/month × 1 months (at most 6) = ¥500.00" in body and "6 months applied for" in body
    for w in ("人员类别符合", "补贴标准", "500.00元"):
        assert w not in body, body[body.find(w) - 300 : body.find(w) + 100]
    client.force_login(world.finance)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    ledger = client.get("/subsidies/ledger/").content.decode()
    assert "资金存款" not in ledger and "拨入资金" not in ledger


def test_under_english_the_register_form_offers_english_document_types(world, client):
    client.force_login(world.county)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/persons/new/").content.decode()
    assert "Resident ID card" in page and "Passport" in page and "港澳台居民居住证" not in page


def test_a_step_the_reviewer_may_not_take_is_not_offered(world, hire, client):
    """The walk: the official who did 受理 found the claim in their 初审 queue with a live 初审通过 button, then
    “上一环节的经办人不能办理初审”; during 公示 “公示期满，审批通过” was offered and refused."""
    from jineng.subsidies.services import claims as claim_services
    from jineng.subsidies.services import review

    _person, record = hire(name="欧阳明")
    claim = claim_services.claim_submit(actor=world.hr, data=claim_services.ClaimInput(
        subsidy_type="work_for_training", event_ref=str(record.pk), applicant_kind="enterprise",
        applicant_org_id=world.enterprise.pk, months=6, payee_bank="工商银行", payee_account="6222020200012345678"))  # fmt: skip
    claim = review.claim_accept(actor=world.county, claim=claim)
    client.force_login(world.county)
    assert claim.number not in client.get("/subsidies/review/?queue=accepted").content.decode()
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert "本环节须由另一名审核人员办理" in page
    assert 'type="submit" disabled aria-describedby="step-refusal">初审通过' in page
    client.force_login(world.city)
    assert claim.number in client.get("/subsidies/review/?queue=accepted").content.decode()
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert 'type="submit">初审通过' in page and "step-refusal" not in page
    claim = review.claim_first_review(actor=world.city, claim=claim)
    claim = review.claim_second_review(actor=world.province, claim=claim)
    client.force_login(world.reviewer)
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert "期满后方可审批通过" in page
    assert 'disabled aria-describedby="step-refusal">公示期满，审批通过' in page


def test_the_claim_page_masks_the_person_and_reveals_with_a_reason(world, hire, client):
    """The attack: the claim page showed the full name where every list masks it. Masked by default (欧*明); an
    official with ``registry.reveal`` sees it with a reason (audited); the enterprise's HR has no reveal."""
    from jineng.common.audit.models import AuditEntry
    from jineng.subsidies.services import claims as claim_services

    _person, record = hire(name="欧阳明")
    claim = claim_services.claim_submit(actor=world.hr, data=claim_services.ClaimInput(
        subsidy_type="work_for_training", event_ref=str(record.pk), applicant_kind="enterprise",
        applicant_org_id=world.enterprise.pk, months=6, payee_bank="工商银行", payee_account="6222020200012345678"))  # fmt: skip
    url = f"/subsidies/claims/{claim.pk}/"
    for user in (world.county, world.hr):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "欧*明" in page and "欧阳明" not in page
    assert f"claims/{claim.pk}/reveal/" not in page  # HR: no reveal offered
    refused = client.post(f"{url}reveal/", {"reason": "核对身份"})
    assert refused.status_code == 403 and "欧阳明" not in refused.content.decode()
    client.force_login(world.county)
    assert f"claims/{claim.pk}/reveal/" in client.get(url).content.decode()
    no_reason = client.post(f"{url}reveal/", {"reason": ""})
    assert no_reason.status_code == 422 and no_reason["Cache-Control"] == "no-store"  # a refusal is not cached either
    shown = client.post(f"{url}reveal/", {"reason": "核对身份"})
    assert shown.status_code == 200 and "欧阳明" in shown.content.decode() and shown["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="claim.person_reveal", object_id=str(claim.pk))
    assert entry.reason == "核对身份" and "欧阳明" not in str(entry.after)
