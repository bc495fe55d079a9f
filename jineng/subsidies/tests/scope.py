"""Scope cases of the subsidies app's URLs, registered into tests/scope_cases.py by ``register_subsidy_cases``.

Each factory writes a record attributed to the given region directly through the ORM (the scope test makes many).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _person(region: str) -> Any:
    from jineng.registry.models import Person

    return Person.objects.create(name="探针" + uuid4().hex[:4], residence_region_id="110101")


def _policy(region: str, status: str = "draft") -> Any:
    from jineng.subsidies.models import PolicyVersion

    return PolicyVersion.objects.create(
        region_id=region,
        subsidy_type="training",
        version_no=random.randint(1000, 10**9),
        title=f"探针政策{uuid4().hex[:10]}",
        valid_from=dt.date(2026, 1, 1),
        rules={"subsidy_type": "training", "amount": {"rows": [{"amount_fen": 100}]}},
        status=status,
    )


def _claim(region: str, status: str = "submitted") -> Any:
    from jineng.subsidies.models import Claim

    ref = uuid4().hex
    return Claim.objects.create(
        number=f"TZ{uuid4().hex[:16]}",
        subsidy_type="training",
        person=_person(region),
        person_name="探针",
        applicant_kind="person",
        region_id=region,
        policy_version=_policy(region),
        event_kind="enrollment",
        event_ref=ref,
        event_key=f"enrollment:{ref}",
        event_date=dt.date(2026, 3, 1),
        applied_on=dt.date(2026, 3, 5),
        decision="approve",
        amount_fen=80000,
        payable_fen=80000,
        payee_kind="person",
        payee_channel="bank_account",
        payee_name="探针",
        fund_source="employment_fund",
        status=status,
        review_due=dt.date(2026, 3, 20),
    )


def _account(region: str) -> Any:
    from jineng.subsidies.models import FundAccount

    account, _ = FundAccount.objects.get_or_create(fund_source="employment_fund", region_id=region)
    return account


def _batch(region: str) -> Any:
    from jineng.subsidies.models import PaymentBatch, PaymentLine

    batch = PaymentBatch.objects.create(
        number=f"TZB{uuid4().hex[:16]}", region_id=region, line_count=1, total_fen=80000
    )
    claim = _claim(region, status="in_payment")
    PaymentLine.objects.create(batch=batch, seq=1, claim=claim, region_id=region, fund_account=_account(region),
                               amount_fen=80000, payee_name="探针", payee_channel="bank_account")  # fmt: skip
    return batch


def _transaction(region: str) -> Any:
    from jineng.subsidies.services.ledger import post

    return post(kind="allocation", account=_account(region), amount_fen=random.randint(1, 10**6),
                memo=f"探针拨款{uuid4().hex[:10]}")  # fmt: skip


def _payee_change(region: str) -> Any:
    from jineng.common.crypto import encrypt
    from jineng.subsidies.models import PayeeChange
    from jineng.subsidies.services.claims import ACCOUNT_CONTEXT

    claim = _claim(region, status="payment_failed")
    enc = encrypt("6217000011112222333", context=ACCOUNT_CONTEXT)
    return PayeeChange.objects.create(claim=claim, region_id=region, payee_account_enc=enc,
                                      payee_account_masked="6217********2333", reason="探针")  # fmt: skip


def _reversal(region: str) -> Any:
    from jineng.subsidies.models import AllocationReversal

    txn = _transaction(region)
    return AllocationReversal.objects.create(allocation=txn, region_id=region, amount_fen=txn.amount_fen, reason="探针")


def _issue(region: str) -> Any:
    from jineng.subsidies.models import VoucherIssue

    return VoucherIssue.objects.create(
        region_id=region, kind="general", title=f"探针培训券{uuid4().hex[:10]}", valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31), quantity=10, fund_source="employment_fund", face_value_fen=10000,
    )  # fmt: skip


def _voucher(region: str) -> Any:
    from jineng.subsidies.models import Voucher

    return Voucher.objects.create(issue=_issue(region), code=f"PX{uuid4().hex[:12].upper()}", person=_person(region),
                                  person_name="探针", region_id=region, source="group")  # fmt: skip


def register_subsidy_cases(register: Callable[[str, Any], None], ScopeCase: Any, Exempt: Any) -> None:  # noqa: N803
    view, pay, ledger, review = "records.view", "finance.pay", "finance.ledger", "records.review"
    # API lists and details
    register("api:policy_list", ScopeCase("list", _policy, lambda o: "/api/v1/subsidy-policies?page_size=500", view))
    register("api:policy_detail", ScopeCase("detail", _policy, lambda o: f"/api/v1/subsidy-policies/{o.pk}", view))
    register("api:claim_list", ScopeCase("list", _claim, lambda o: "/api/v1/claims?page_size=500", view))
    register("api:claim_detail", ScopeCase("detail", _claim, lambda o: f"/api/v1/claims/{o.pk}", view))
    register("api:batch_list", ScopeCase("list", _batch, lambda o: "/api/v1/payment-batches?page_size=500", pay))
    register("api:batch_detail", ScopeCase("detail", _batch, lambda o: f"/api/v1/payment-batches/{o.pk}", pay))
    register(
        "api:batch_bank_file",
        ScopeCase("detail", _batch, lambda o: f"/api/v1/payment-batches/{o.pk}/bank-file?format=csv", pay),
    )
    register(
        "api:ledger_accounts",
        ScopeCase("list", _account, lambda o: "/api/v1/ledger/accounts?page_size=500", ledger),
    )
    register(
        "api:ledger_transactions",
        ScopeCase("list", _transaction, lambda o: "/api/v1/ledger/transactions?page_size=500", ledger),
    )
    register(
        "api:payee_change_list",
        ScopeCase("list", _payee_change, lambda o: "/api/v1/payee-changes?page_size=500", view),
    )
    register(
        "api:ledger_reversal_list",
        ScopeCase("list", _reversal, lambda o: "/api/v1/ledger/reversals?page_size=500", ledger),
    )
    register(
        "api:voucher_issue_list", ScopeCase("list", _issue, lambda o: "/api/v1/voucher-issues?page_size=500", view)
    )
    register("api:voucher_issue_detail", ScopeCase("detail", _issue, lambda o: f"/api/v1/voucher-issues/{o.pk}", view))
    register("api:voucher_list", ScopeCase("list", _voucher, lambda o: "/api/v1/vouchers?page_size=500", view))
    # pages
    register("subsidies:claim", ScopeCase("detail", _claim, lambda o: f"/subsidies/claims/{o.pk}/", view))
    register(
        "subsidies:claim_resubmit", ScopeCase("detail", _claim, lambda o: f"/subsidies/claims/{o.pk}/resubmit/", view)
    )
    register(
        "subsidies:review",
        ScopeCase("list", _claim, lambda o: "/subsidies/review/?queue=submitted", review, lambda o: o.number),
    )
    register("subsidies:payments", ScopeCase("list", _batch, lambda o: "/subsidies/payments/", pay, lambda o: o.number))
    register("subsidies:batch", ScopeCase("detail", _batch, lambda o: f"/subsidies/payments/{o.pk}/", pay))
    register("subsidies:batch_file", ScopeCase("detail", _batch, lambda o: f"/subsidies/payments/{o.pk}/file.csv", pay))
    register(
        "subsidies:ledger", ScopeCase("list", _transaction, lambda o: "/subsidies/ledger/", ledger, lambda o: o.memo)
    )
    register(
        "subsidies:policies", ScopeCase("list", _policy, lambda o: "/subsidies/policies/", view, lambda o: o.title)
    )
    register("subsidies:policy", ScopeCase("detail", _policy, lambda o: f"/subsidies/policies/{o.pk}/", view))
    register("subsidies:vouchers", ScopeCase("list", _issue, lambda o: "/subsidies/vouchers/", view, lambda o: o.title))
    register(
        "subsidies:voucher_issue", ScopeCase("detail", _issue, lambda o: f"/subsidies/vouchers/issues/{o.pk}/", view)
    )

    write = "write; scope-checked in the service (require/get_visible), tested in jineng/subsidies/tests"
    for name in (
        "api:policy_create", "api:policy_update", "api:policy_publish_view", "api:claim_check_view", "api:claim_create",
        "api:claim_resubmit_view", "api:claim_accept_view", "api:claim_verify_view", "api:claim_first_review_view",
        "api:claim_second_review_view", "api:claim_approve_view", "api:claim_return_view", "api:claim_reject_view",
        "api:claim_withdraw_view", "api:objection_create", "api:objection_resolve_view", "api:claim_payee_view",
        "api:claim_share_view", "api:claim_clawback_view", "api:batch_create", "api:batch_returns",
        "api:ledger_allocate", "api:debt_recover_view", "api:voucher_issue_create_view", "api:voucher_issue_group",
        "api:voucher_apply_view", "api:voucher_claim_view", "api:voucher_use_view", "api:voucher_redeem_view",
        "subsidies:claim_action", "subsidies:review_bulk", "subsidies:objection_raise", "subsidies:objection_resolve",
        "subsidies:batch_confirm", "subsidies:debt_recover", "subsidies:policy_copy", "subsidies:voucher_claim",
        "subsidies:voucher_apply",
        "api:payee_change_approve", "api:payee_change_reject", "api:ledger_reversal_request",
        "api:ledger_reversal_approve", "api:ledger_reversal_reject", "subsidies:reversal_request",
        "subsidies:reversal_decide", "subsidies:claim_evidence", "subsidies:claim_person_reveal",
    ):  # fmt: skip
        register(name, Exempt(write))
    register(
        "api:ledger_reconcile",
        Exempt("a report over the fund accounts visible with finance.ledger; tested in jineng/subsidies/tests"),
    )
    own = "the signed-in user's own claims and vouchers (person, organization, applicant), tested in subsidies tests"
    register("subsidies:mine", Exempt(own))
    register("subsidies:org_claims", Exempt(own))
    register("subsidies:my_vouchers", Exempt(own))
    register("subsidies:hires", Exempt(
        "the signed-in enterprise staff's own organizations' hires (org.edit on the enterprise); tested in "
        "jineng/subsidies/tests/test_hires.py"
    ))  # fmt: skip
    register("subsidies:hire_new", Exempt(
        "a form of the enterprise's own staff; the person found by ID through registry.api, the record written for "
        "the user's own enterprise only; tested in jineng/subsidies/tests/test_hires.py"
    ))  # fmt: skip
    register("subsidies:new", Exempt("the application form; the choices are the user's own trainings, hires"))
    register("api:public_publicity", Exempt("public 公示 list (信息公开), names masked; tested in subsidies tests"))
    register("publicity:list", Exempt("public 公示 list (信息公开), names masked; tested in subsidies tests"))
    register("subsidies:class_claims", Exempt(
        "a page of the class's own provider staff (org.edit on its organization); the class is fetched through "
        "get_visible() first, tested in jineng/subsidies/tests (class claims)"
    ))  # fmt: skip
    _register_grant_cases(register, ScopeCase, Exempt)
    _register_recovery_cases(register, ScopeCase, Exempt)


def _grant(region: str) -> Any:
    from jineng.common.crypto import encrypt
    from jineng.providers.models import TrainingBase
    from jineng.subsidies.models import BaseGrant
    from jineng.subsidies.services.claims import ACCOUNT_CONTEXT

    base = TrainingBase.objects.create(kind="master_studio", name=f"探针工作室{uuid4().hex[:10]}", level="provincial",
                                       approval_year=2025, region_id=region, host_name="探针单位")  # fmt: skip
    return BaseGrant.objects.create(
        number=f"TZG{uuid4().hex[:16]}", base=base, base_name=base.name, base_kind=base.kind, base_level=base.level,
        region_id=region, year=2026, amount_fen=100000, fund_source="employment_fund", basis="探针",
        payee_name="探针单位", payee_bank="探针银行", payee_account_enc=encrypt("6217000011112222333", context=ACCOUNT_CONTEXT),
        payee_account_masked="6217********2333",
    )  # fmt: skip


def _register_grant_cases(register: Callable[[str, Any], None], ScopeCase: Any, Exempt: Any) -> None:  # noqa: N803
    view = "records.view"
    register("api:grant_list", ScopeCase("list", _grant, lambda o: "/api/v1/base-grants?page_size=500", view))
    register("api:grant_detail", ScopeCase("detail", _grant, lambda o: f"/api/v1/base-grants/{o.pk}", view))
    register("subsidies:grants", ScopeCase("list", _grant, lambda o: "/subsidies/grants/", view, lambda o: o.number))
    register("subsidies:grant", ScopeCase("detail", _grant, lambda o: f"/subsidies/grants/{o.pk}/", view))
    write = "write; scope-checked in the service (require/get_visible), tested in jineng/subsidies/tests/test_grants.py"
    for name in ("api:grant_create", "api:grant_approve", "api:grant_reject", "api:grant_batch",
                 "api:grant_payee_confirm", "api:grant_payee_reveal", "subsidies:grant_payee_confirm",
                 "subsidies:grant_payee_reveal",
                 "api:grant_line_confirm", "subsidies:grant_review", "subsidies:grant_batch",
                 "subsidies:grant_line_confirm", "api:advance_create", "api:advance_recovery",
                 "subsidies:advance_recover", "subsidies:advance_new"):  # fmt: skip
        register(name, Exempt(write))
    register("subsidies:grant_new", Exempt(
        "the request form; its base choices are the bases of the regions the user reviews or of the organizations "
        "they staff (providers.api.bases_for_grant), tested in jineng/subsidies/tests/test_grants.py"
    ))  # fmt: skip
    register("subsidies:advances", Exempt(
        "the enterprise's own apprentices (org.edit) and the advances in the user's claim scope (claims_visible); "
        "tested in jineng/subsidies/tests/test_advances.py"
    ))  # fmt: skip


def _recovery(region: str) -> Any:
    from jineng.subsidies.models import RecoveryOrder

    claim = _claim(region, status="clawed_back")
    return RecoveryOrder.objects.create(number=f"ZHP{uuid4().hex[:12]}", claim=claim, region_id=region,
                                        ref="supervision.case:probe", amount_fen=80000, paid_fen=80000,
                                        due_date=dt.date(2027, 1, 1), reason="探针")  # fmt: skip


def _register_recovery_cases(register: Callable[[str, Any], None], ScopeCase: Any, Exempt: Any) -> None:  # noqa: N803
    view = "records.view"
    register("api:recovery_order_list",
             ScopeCase("list", _recovery, lambda o: "/api/v1/recovery-orders?page_size=500", view))  # fmt: skip
    register("api:recovery_order_detail",
             ScopeCase("detail", _recovery, lambda o: f"/api/v1/recovery-orders/{o.pk}", view))  # fmt: skip
    register("subsidies:recoveries",
             ScopeCase("list", _recovery, lambda o: "/subsidies/recoveries/", view, lambda o: o.number))  # fmt: skip
    register("subsidies:recovery", ScopeCase("detail", _recovery, lambda o: f"/subsidies/recoveries/{o.pk}/", view))
    write = (
        "write; the order is fetched with get_visible (404 outside), tested in jineng/subsidies/tests/test_recovery.py"
    )
    for name in ("api:recovery_order_decision", "api:recovery_receipt_create", "api:recovery_receipt_confirm_view",
                 "subsidies:recovery_decide", "subsidies:recovery_receipt_new", "subsidies:recovery_receipt_decide"):  # fmt: skip
        register(name, Exempt(write))
