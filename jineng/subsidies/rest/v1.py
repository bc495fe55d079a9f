"""Subsidies API: policies, claims and their review, payment batches and bank returns, the fund ledger, vouchers.
Thin: parse, find the record in scope (404 outside), call one service, present. Every money-moving POST takes an
``Idempotency-Key`` header (``idempotency.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Query, Router, Schema, Status
from ninja.params import functions as param

from jineng.accounts.api import current_user, get_visible, require, visible
from jineng.common.errors import NotFound
from jineng.common.ids import is_uuid
from jineng.common.listing import sort_queryset
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.providers.api import Program
from jineng.subsidies import presenters
from jineng.subsidies.idempotency import run_idempotent
from jineng.subsidies.lists import CLAIMS_MINE
from jineng.subsidies.models import (
    AllocationReversal,
    BaseGrant,
    Claim,
    Debt,
    FundAccount,
    GrantLine,
    LedgerTransaction,
    Objection,
    PayeeChange,
    PaymentBatch,
    PolicyVersion,
    RecoveryOrder,
    RecoveryReceipt,
    Voucher,
    VoucherIssue,
)
from jineng.subsidies.rest import schemas as s
from jineng.subsidies.selectors import (
    claim_filter,
    claims_visible,
    grant_filter,
    grants_visible,
    policies_for_user,
    recoveries_visible,
    recovery_filter,
)
from jineng.subsidies.services import advances, grants, payments, policies, recovery, review, vouchers
from jineng.subsidies.services import claims as claim_services
from jineng.subsidies.services import ledger as ledger_services
from jineng.subsidies.services.support import LEDGER, PAY, REVIEW, VIEW

router = Router(tags=["subsidies 补贴与资金"])

IdempotencyKeyHeader = Annotated[
    str,
    param.Header(
        alias="Idempotency-Key",
        description="幂等键：同一用户同一接口唯一；相同键与相同请求体返回原响应，不同请求体 422，处理中 409",
    ),
]


def _dump(schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    """What ninja would answer for ``data`` with this schema: stored as the idempotent response."""
    dumped: dict[str, Any] = schema.model_validate(data).model_dump(mode="json")
    return dumped


def _transaction(t: LedgerTransaction) -> dict[str, Any]:
    return {"id": t.pk, "kind": t.kind, "fund_account": t.fund_account_id, "region": t.region_id,
            "amount_fen": t.amount_fen, "reference": t.reference, "memo": t.memo, "created_at": t.created_at}  # fmt: skip


def _idempotent(
    request: HttpRequest, endpoint: str, key: str | None, body: Any, effect: Callable[[], tuple[int, Any]]
) -> HttpResponse:
    status, payload, replayed = run_idempotent(
        user=current_user(request), endpoint=endpoint, key=key or "", body=body, effect=effect
    )
    response = JsonResponse(payload, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


# ---- policies --------------------------------------------------------------------------------------------------


@router.get("/subsidy-policies", response=page_of(s.PolicyOut), summary="补贴政策版本 Policy versions")
def policy_list(
    request: HttpRequest, paging: Query[Paging], subsidy_type: str = "", status: str = ""
) -> dict[str, Any]:
    qs = policies_for_user(current_user(request)).order_by("subsidy_type", "region_id", "-valid_from", "-version_no")
    if subsidy_type:
        qs = qs.filter(subsidy_type=subsidy_type)
    if status:
        qs = qs.filter(status=status)
    return page_items(qs, paging, presenters.policy_out)


def _policy(request: HttpRequest, policy_id: Any) -> PolicyVersion:
    version: PolicyVersion | None = (
        policies_for_user(current_user(request)).filter(pk=policy_id).first() if is_uuid(policy_id) else None
    )
    if version is None:
        raise NotFound()
    return version


@router.get("/subsidy-policies/{policy_id}", response=s.PolicyOut, summary="补贴政策版本详情 One policy version")
def policy_detail(request: HttpRequest, policy_id: str) -> dict[str, Any]:
    return presenters.policy_out(_policy(request, policy_id))


@router.post("/subsidy-policies", response={201: s.PolicyOut}, summary="新建政策草稿 Create a draft")
def policy_create(request: HttpRequest, payload: s.PolicyIn) -> Status[Any]:
    version = policies.policy_draft_create(
        actor=current_user(request), region_code=payload.region, subsidy_type=payload.subsidy_type,
        title=payload.title, valid_from=payload.valid_from, valid_to=payload.valid_to, rules=payload.rules,
        citation=payload.citation, source_url=payload.source_url, note=payload.note,
    )  # fmt: skip
    return Status(201, presenters.policy_out(version))


@router.patch("/subsidy-policies/{policy_id}", response=s.PolicyOut, summary="修改政策草稿 Edit a draft")
def policy_update(request: HttpRequest, policy_id: str, payload: s.PolicyPatch) -> dict[str, Any]:
    version = _policy(request, policy_id)
    changes = payload.dict(exclude_unset=True)
    return presenters.policy_out(
        policies.policy_draft_update(actor=current_user(request), version=version, changes=changes)
    )


@router.post("/subsidy-policies/{policy_id}/publish", response=s.PolicyOut, summary="发布政策版本 Publish a draft")
def policy_publish_view(request: HttpRequest, policy_id: str) -> dict[str, Any]:
    version = _policy(request, policy_id)
    return presenters.policy_out(policies.policy_publish(actor=current_user(request), version=version))


# ---- claims ----------------------------------------------------------------------------------------------------


@router.get("/claims", response=page_of(s.ClaimOut), summary="补贴申请 Claims in scope")
def claim_list(
    request: HttpRequest,
    paging: Query[Paging],
    status: str = "",
    subsidy_type: str = "",
    region: str = "",
    q: str = "",
    sort: str = "",
) -> dict[str, Any]:
    """``status=approved`` lists the approved claims not yet in a payment batch (what a new batch may take).

    ``sort``: ``number``, ``type``, ``person``, ``amount``, ``decision``, ``status``, ``review_due``,
    ``publicity_end``, ``submitted`` or ``created``, ``-`` before it for descending; any other value gives the default
    (newest first)."""
    qs = claim_filter(
        claims_visible(current_user(request)), status=status, subsidy_type=subsidy_type, region=region, q=q
    )
    return page_items(sort_queryset(qs, CLAIMS_MINE, sort), paging, presenters.claim_summary)


def _claim(request: HttpRequest, claim_id: Any) -> Claim:
    claim: Claim = get_visible(claims_visible(current_user(request)), current_user(request), claim_id)
    return claim


def _detail(claim: Claim) -> dict[str, Any]:
    fresh = Claim.objects.select_related("region", "applicant_org", "policy_version", "previous").get(pk=claim.pk)
    return presenters.claim_detail(fresh)


def _input(payload: s.ClaimIn) -> claim_services.ClaimInput:
    return claim_services.ClaimInput(
        subsidy_type=payload.subsidy_type, event_ref=payload.event_ref, applicant_kind=payload.applicant_kind,
        applicant_org_id=payload.applicant_org, insurance_region=payload.insurance_region, months=payload.months,
        insured_months_declared=payload.insured_months, payee_bank=payload.payee_bank,
        payee_account=payload.payee_account, note=payload.note,
    )  # fmt: skip


@router.post("/claims/check", response=s.CheckOut, summary="预审（不提交）Evaluate a claim without submitting it")
def claim_check_view(request: HttpRequest, payload: s.ClaimIn) -> dict[str, Any]:
    prepared = claim_services.claim_check(actor=current_user(request), data=_input(payload))
    d = prepared.decision
    return {
        "decision": d.outcome, "amount_fen": d.amount_fen, "payable_fen": d.payable_fen,
        "deferred_fen": d.deferred_fen, "rounding": d.rounding, "region": prepared.region_code,
        "policy_version": prepared.version.pk, "policy_title": prepared.version.title,
        "lines": [presenters.line_view(line.as_dict()) for line in d.lines],
    }  # fmt: skip


# After /claims/check: URLs resolve in order, and "{claim_id}" would take "check" (answering 405 to its POST).
@router.get("/claims/{claim_id}", response=s.ClaimDetailOut, summary="补贴申请详情与审核明细 A claim with its checks")
def claim_detail(request: HttpRequest, claim_id: str) -> dict[str, Any]:
    return _detail(_claim(request, claim_id))


@router.post("/claims", response={201: s.ClaimDetailOut}, summary="提交补贴申请 Submit a claim")
def claim_create(request: HttpRequest, payload: s.ClaimIn) -> Status[Any]:
    claim = claim_services.claim_submit(actor=current_user(request), data=_input(payload))
    return Status(201, _detail(claim))


@router.post(
    "/claims/{claim_id}/resubmit", response={201: s.ClaimDetailOut}, summary="补正后重新提交 Resubmit a returned claim"
)
def claim_resubmit_view(request: HttpRequest, claim_id: str, payload: s.ClaimIn) -> Status[Any]:
    claim = _claim(request, claim_id)
    new = claim_services.claim_resubmit(actor=current_user(request), claim=claim, data=_input(payload))
    return Status(201, _detail(new))


@router.post("/claims/{claim_id}/accept", response=s.ClaimDetailOut, summary="受理 Accept")
def claim_accept_view(request: HttpRequest, claim_id: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _detail(
        review.claim_accept(actor=current_user(request), claim=_claim(request, claim_id), reason=payload.reason)
    )


@router.post("/claims/{claim_id}/verify", response=s.ClaimDetailOut, summary="核实材料并重新判定 Verify evidence")
def claim_verify_view(request: HttpRequest, claim_id: str, payload: s.VerifyIn) -> dict[str, Any]:
    claim = review.claim_verify(actor=current_user(request), claim=_claim(request, claim_id),
                                insured_months=payload.insured_months, reason=payload.reason)  # fmt: skip
    return _detail(claim)


@router.post("/claims/{claim_id}/first-review", response=s.ClaimDetailOut, summary="初审通过 First review")
def claim_first_review_view(request: HttpRequest, claim_id: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _detail(
        review.claim_first_review(actor=current_user(request), claim=_claim(request, claim_id), reason=payload.reason)
    )


@router.post("/claims/{claim_id}/second-review", response=s.ClaimDetailOut, summary="复审通过并公示 Second review")
def claim_second_review_view(request: HttpRequest, claim_id: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _detail(
        review.claim_second_review(actor=current_user(request), claim=_claim(request, claim_id), reason=payload.reason)
    )


@router.post("/claims/{claim_id}/approve", response=s.ClaimDetailOut, summary="公示期满审批通过 Approve after 公示")
def claim_approve_view(request: HttpRequest, claim_id: str) -> dict[str, Any]:
    return _detail(review.claim_publicity_close(actor=current_user(request), claim=_claim(request, claim_id)))


@router.post("/claims/{claim_id}/return", response=s.ClaimDetailOut, summary="退回补正 Return for correction")
def claim_return_view(request: HttpRequest, claim_id: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _detail(
        review.claim_return(actor=current_user(request), claim=_claim(request, claim_id), reason=payload.reason)
    )


@router.post("/claims/{claim_id}/reject", response=s.ClaimDetailOut, summary="不予通过 Reject")
def claim_reject_view(request: HttpRequest, claim_id: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _detail(
        review.claim_reject(actor=current_user(request), claim=_claim(request, claim_id), reason=payload.reason)
    )


@router.post("/claims/{claim_id}/withdraw", response=s.ClaimDetailOut, summary="撤回 Withdraw")
def claim_withdraw_view(request: HttpRequest, claim_id: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _detail(
        review.claim_withdraw(actor=current_user(request), claim=_claim(request, claim_id), reason=payload.reason)
    )


@router.post("/claims/{claim_id}/objections", response={201: s.ObjectionOut}, summary="公示异议 Object during 公示")
def objection_create(request: HttpRequest, claim_id: str, payload: s.ObjectionIn) -> Status[Any]:
    claim = Claim.objects.filter(pk=claim_id).first() if is_uuid(claim_id) else None
    if claim is None or claim.status != "publicity":
        raise NotFound("没有处于公示期的该项申请。")
    objection = review.objection_raise(
        actor=current_user(request), claim=claim, reason=payload.reason, name=payload.name
    )
    return Status(201, presenters.objection_view(objection))


@router.post("/objections/{objection_id}/resolve", response=s.ObjectionOut, summary="处理公示异议 Resolve an objection")
def objection_resolve_view(request: HttpRequest, objection_id: str, payload: s.ResolveIn) -> dict[str, Any]:
    user = current_user(request)
    objection: Objection = get_visible(Objection, user, objection_id, "records.review")
    done = review.objection_resolve(
        actor=user, objection=objection, upheld=payload.upheld, resolution=payload.resolution
    )
    return presenters.objection_view(done)


@router.post("/claims/{claim_id}/payee", response={201: s.PayeeChangeOut},
             summary="支付失败后申请变更收款信息（须他人审核）Request a payee change")  # fmt: skip
def claim_payee_view(request: HttpRequest, claim_id: str, payload: s.PayeeIn) -> Status[Any]:
    change = payments.payee_change_request(actor=current_user(request), claim=_claim(request, claim_id),
                                           payee_bank=payload.payee_bank, payee_account=payload.payee_account,
                                           reason=payload.reason)  # fmt: skip
    return Status(201, presenters.payee_change_out(change))


@router.get("/payee-changes", response=page_of(s.PayeeChangeOut), summary="收款信息变更申请 Payee change requests")
def payee_change_list(request: HttpRequest, paging: Query[Paging], status: str = "") -> dict[str, Any]:
    qs = visible(PayeeChange, current_user(request), "records.view").select_related("claim").order_by("-created_at")
    if status:
        qs = qs.filter(status=status)
    return page_items(qs, paging, presenters.payee_change_out)


def _payee_decide(request: HttpRequest, change_id: str, payload: s.DecisionIn, approve: bool) -> dict[str, Any]:
    user = current_user(request)
    change: PayeeChange = get_visible(PayeeChange, user, change_id, "records.review")
    done = payments.payee_change_decide(actor=user, change=change, approve=approve, reason=payload.reason)
    return presenters.payee_change_out(done)


@router.post("/payee-changes/{change_id}/approve", response=s.PayeeChangeOut,
             summary="同意收款信息变更（他人审核）Approve a payee change")  # fmt: skip
def payee_change_approve(request: HttpRequest, change_id: str, payload: s.DecisionIn) -> dict[str, Any]:
    return _payee_decide(request, change_id, payload, True)


@router.post("/payee-changes/{change_id}/reject", response=s.PayeeChangeOut,
             summary="驳回收款信息变更 Reject a payee change")  # fmt: skip
def payee_change_reject(request: HttpRequest, change_id: str, payload: s.DecisionIn) -> dict[str, Any]:
    return _payee_decide(request, change_id, payload, False)


@router.post("/claims/{claim_id}/employment-share", response={201: s.ClaimDetailOut},
             summary="就业后拨付就业挂钩部分 Claim the employment-linked share")  # fmt: skip
def claim_share_view(request: HttpRequest, claim_id: str) -> Status[Any]:
    tranche = claim_services.claim_release_employment_share(
        actor=current_user(request), claim=_claim(request, claim_id)
    )
    return Status(201, _detail(tranche))


@router.post(
    "/claims/{claim_id}/clawback",
    response={201: s.RecoveryOrderOut},
    summary="追回：下达追回单，另一人复核后记账（幂等）Order the clawback of a paid claim (idempotent)",
)
def claim_clawback_view(
    request: HttpRequest,
    claim_id: str,
    payload: s.ClawbackIn,
    idempotency_key: IdempotencyKeyHeader = "",
) -> HttpResponse:
    claim = _claim(request, claim_id)

    def effect() -> tuple[int, Any]:
        order = recovery.claim_recovery_order(actor=current_user(request), claim=claim, reason=payload.reason,
                                              ref=f"subsidies.claim:{claim.pk}")  # fmt: skip
        return 201, _dump(s.RecoveryOrderOut, recovery_order_out(order))

    return _idempotent(request, f"claims.clawback:{claim.pk}", idempotency_key, payload.dict(), effect)


def _debt(d: Debt) -> dict[str, Any]:
    return {"id": d.pk, "claim_number": d.claim.number, "payee_name": d.payee_name, "amount_fen": d.amount_fen,
            "recovered_fen": d.recovered_fen, "status": d.status, "reason": d.reason}  # fmt: skip


# ---- payment batches ----------------------------------------------------------------------------------------------


@router.get("/payment-batches", response=page_of(s.BatchOut), summary="拨付批次 Payment batches in scope")
def batch_list(request: HttpRequest, paging: Query[Paging], status: str = "") -> dict[str, Any]:
    qs = visible(PaymentBatch, current_user(request), PAY).order_by("-created_at")
    if status:
        qs = qs.filter(status=status)
    return page_items(qs, paging, presenters.batch_out)


@router.post(
    "/payment-batches",
    response={201: s.BatchDetailOut},
    summary="生成拨付批次（幂等）Create a payment batch — Idempotency-Key header required",
)
def batch_create(request: HttpRequest, payload: s.BatchIn, idempotency_key: IdempotencyKeyHeader = "") -> HttpResponse:
    """201 with the batch; 409 ``claim_in_live_batch`` when a claim is already in a live batch; the same key and body
    again → the original response; the same key with another body → 422; a key still in flight → 409."""
    user = current_user(request)

    def effect() -> tuple[int, Any]:
        batch = payments.batch_create(actor=user, claim_ids=payload.claim_ids, note=payload.note)
        return 201, _dump(s.BatchDetailOut, presenters.batch_out(batch, lines=True))

    return _idempotent(request, "payment-batches.create", idempotency_key, payload.dict(), effect)


def _batch(request: HttpRequest, batch_id: str) -> PaymentBatch:
    batch: PaymentBatch = get_visible(PaymentBatch, current_user(request), batch_id, PAY)
    return batch


@router.get("/payment-batches/{batch_id}", response=s.BatchDetailOut, summary="拨付批次详情 A batch with its lines")
def batch_detail(request: HttpRequest, batch_id: str) -> dict[str, Any]:
    return presenters.batch_out(_batch(request, batch_id), lines=True)


@router.get("/payment-batches/{batch_id}/bank-file", summary="银行支付文件 The bank payment file (csv or xlsx)")
def batch_bank_file(request: HttpRequest, batch_id: str, format: str = "csv") -> HttpResponse:  # noqa: A002
    content, filename, mime = payments.bank_file(
        actor=current_user(request), batch=_batch(request, batch_id), fmt=format
    )
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/payment-batches/{batch_id}/returns", response=s.ReturnOut,
             summary="银行回盘确认（幂等）Confirm lines from the bank's return")  # fmt: skip
def batch_returns(
    request: HttpRequest, batch_id: str, payload: s.ReturnIn, idempotency_key: IdempotencyKeyHeader = ""
) -> HttpResponse:
    batch = _batch(request, batch_id)
    rows = [
        payments.ReturnRow(
            row=n,
            line_id=r.line_id,
            claim_number=r.claim_number,
            result=r.result,
            reason=r.reason,
            bank_reference=r.bank_reference,
            amount_fen=r.amount_fen,
        )  # fmt: skip
        for n, r in enumerate(payload.lines, start=1)
    ]

    def effect() -> tuple[int, Any]:
        return 200, payments.returns_apply(actor=current_user(request), rows=rows, batch=batch, amounts_required=True,
                                           references_required=True)  # fmt: skip

    return _idempotent(request, f"payment-batches.returns:{batch.pk}", idempotency_key, payload.dict(), effect)


# ---- the ledger ---------------------------------------------------------------------------------------------------


@router.get("/ledger/accounts", response=page_of(s.AccountOut), summary="资金账户与余额 Fund accounts and balances")
def ledger_accounts(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    qs = visible(FundAccount, current_user(request), LEDGER).order_by("region_id", "fund_source")
    return page_items(qs, paging, presenters.account_out)


@router.get("/ledger/transactions", response=page_of(s.TransactionOut), summary="记账凭证 Ledger transactions")
def ledger_transactions(request: HttpRequest, paging: Query[Paging], kind: str = "") -> dict[str, Any]:
    qs = visible(LedgerTransaction, current_user(request), LEDGER).order_by("-created_at")
    if kind:
        qs = qs.filter(kind=kind)
    return page_items(qs, paging, _transaction)


@router.post("/ledger/allocations", response={201: s.TransactionOut}, summary="资金拨入（幂等）Allocate funds")
def ledger_allocate(
    request: HttpRequest, payload: s.AllocationIn, idempotency_key: IdempotencyKeyHeader = ""
) -> HttpResponse:
    def effect() -> tuple[int, Any]:
        t = ledger_services.allocation_create(actor=current_user(request), fund_source=payload.fund_source,
                                              region_code=payload.region, amount_fen=payload.amount_fen, memo=payload.memo)  # fmt: skip
        return 201, _dump(s.TransactionOut, _transaction(t))

    return _idempotent(request, "ledger.allocations", idempotency_key, payload.dict(), effect)


@router.post("/ledger/transactions/{transaction_id}/reversal", response={201: s.ReversalOut},
             summary="申请冲销资金拨入（须他人审核）Request the reversal of an allocation")  # fmt: skip
def ledger_reversal_request(request: HttpRequest, transaction_id: str, payload: s.ReversalIn) -> Status[Any]:
    user = current_user(request)
    allocation: LedgerTransaction = get_visible(LedgerTransaction, user, transaction_id, LEDGER)
    done = ledger_services.reversal_request(actor=user, allocation=allocation, reason=payload.reason)
    return Status(201, presenters.reversal_out(done))


@router.get("/ledger/reversals", response=page_of(s.ReversalOut), summary="拨入冲销申请 Allocation reversals")
def ledger_reversal_list(request: HttpRequest, paging: Query[Paging], status: str = "") -> dict[str, Any]:
    qs = visible(AllocationReversal, current_user(request), LEDGER).order_by("-created_at")
    if status:
        qs = qs.filter(status=status)
    return page_items(qs, paging, presenters.reversal_out)


def _reversal_decide(request: HttpRequest, reversal_id: str, payload: s.DecisionIn, approve: bool) -> dict[str, Any]:
    user = current_user(request)
    item: AllocationReversal = get_visible(AllocationReversal, user, reversal_id, LEDGER)
    return presenters.reversal_out(
        ledger_services.reversal_decide(actor=user, request=item, approve=approve, reason=payload.reason)
    )


@router.post("/ledger/reversals/{reversal_id}/approve", response=s.ReversalOut,
             summary="同意冲销（他人审核）并记账 Approve and post a reversal")  # fmt: skip
def ledger_reversal_approve(request: HttpRequest, reversal_id: str, payload: s.DecisionIn) -> dict[str, Any]:
    return _reversal_decide(request, reversal_id, payload, True)


@router.post("/ledger/reversals/{reversal_id}/reject", response=s.ReversalOut, summary="驳回冲销 Reject a reversal")
def ledger_reversal_reject(request: HttpRequest, reversal_id: str, payload: s.DecisionIn) -> dict[str, Any]:
    return _reversal_decide(request, reversal_id, payload, False)


@router.post("/debts/{debt_id}/recover", response={201: s.RecoveryReceiptOut},
             summary="登记追回到账（幂等，另一人确认后入账）Record money back on a debt")  # fmt: skip
def debt_recover_view(
    request: HttpRequest, debt_id: str, payload: s.RecoverIn, idempotency_key: IdempotencyKeyHeader = ""
) -> HttpResponse:
    user = current_user(request)
    debt: Debt = get_visible(Debt, user, debt_id, PAY)

    def effect() -> tuple[int, Any]:
        r = recovery.debt_receipt_record(actor=user, debt=debt, amount_fen=payload.amount_fen, key=payload.key,
                                         received_on=payload.received_on, memo=payload.memo)  # fmt: skip
        return 201, _dump(s.RecoveryReceiptOut, {
            "id": r.pk, "key": r.key, "amount_fen": r.amount_fen, "received_on": r.received_on, "status": r.status,
            "recorded_by": r.recorded_by_name, "confirmed_by": r.confirmed_by_name})  # fmt: skip

    return _idempotent(request, f"debts.recover:{debt.pk}", idempotency_key, payload.dict(), effect)


@router.get("/ledger/reconcile", response=s.ReconcileOut, summary="对账 Reconcile the ledger with payments")
def ledger_reconcile(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    require(user, LEDGER)
    codes = list(visible(FundAccount, user, LEDGER).values_list("region_id", flat=True).distinct())
    report = ledger_services.reconcile(region_codes=codes)
    return {
        "ok": report.ok,
        "problems": report.problems,
        "accounts": [
            {
                "account": str(a.account),
                "region": a.account.region_id,
                "fund_source": a.account.fund_source,
                "balances": a.balances,
                "paid_fen": a.paid_fen,
                "clawed_back_fen": a.clawed_fen,
                "recovered_fen": a.recovered_fen,
                "allocated_fen": a.allocated_fen,
                "reversed_fen": a.reversed_fen,
            }  # fmt: skip
            for a in report.accounts
        ],
    }


# ---- vouchers -----------------------------------------------------------------------------------------------------


@router.get("/voucher-issues", response=page_of(s.VoucherIssueOut), summary="培训券发放批次 Voucher issues")
def voucher_issue_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    qs = visible(VoucherIssue, current_user(request)).order_by("-created_at")

    def present(rows: list[VoucherIssue]) -> list[Any]:
        counts = vouchers.issue_counts([i.pk for i in rows])
        return [presenters.issue_out(i, counts[i.pk]) for i in rows]

    return page_items(qs, paging, present_rows=present)


@router.post("/voucher-issues", response={201: s.VoucherIssueOut}, summary="新建培训券批次 Create a voucher issue")
def voucher_issue_create_view(request: HttpRequest, payload: s.VoucherIssueIn) -> Status[Any]:
    data = vouchers.IssueData(
        region_code=payload.region, kind=payload.kind, title=payload.title, content=payload.content,
        face_value_fen=payload.face_value_fen, discount_percent=payload.discount_percent,
        providers=payload.providers, programs=payload.programs, groups=payload.groups,
        valid_from=payload.valid_from, valid_until=payload.valid_until, quantity=payload.quantity,
        fund_source=payload.fund_source,
    )  # fmt: skip
    issue = vouchers.voucher_issue_create(actor=current_user(request), data=data)
    return Status(201, presenters.issue_out(issue))


@router.get("/voucher-issues/{issue_id}", response=s.VoucherIssueOut, summary="培训券批次详情与统计 Issue with counts")
def voucher_issue_detail(request: HttpRequest, issue_id: str) -> dict[str, Any]:
    issue: VoucherIssue = get_visible(VoucherIssue, current_user(request), issue_id)
    return presenters.issue_out(issue, vouchers.issue_counts([issue.pk])[issue.pk])


@router.post(
    "/voucher-issues/{issue_id}/issue-to-group", response=s.IssuedOut, summary="按人群发放 Issue to the eligible group"
)
def voucher_issue_group(request: HttpRequest, issue_id: str) -> dict[str, Any]:
    user = current_user(request)
    issue: VoucherIssue = get_visible(VoucherIssue, user, issue_id)
    return {"issued": vouchers.vouchers_issue_to_group(actor=user, issue=issue)}


@router.post("/voucher-issues/{issue_id}/apply", response={201: s.VoucherOut}, summary="申请领券 Apply for a voucher")
def voucher_apply_view(request: HttpRequest, issue_id: str) -> Status[Any]:
    issue = VoucherIssue.objects.filter(pk=issue_id).first() if is_uuid(issue_id) else None
    if issue is None:
        raise NotFound()
    return Status(201, presenters.voucher_out(vouchers.voucher_apply(actor=current_user(request), issue=issue)))


@router.get("/vouchers", response=page_of(s.VoucherOut), summary="培训券 Vouchers in scope (a worker: their own)")
def voucher_list(request: HttpRequest, paging: Query[Paging], state: str = "") -> dict[str, Any]:
    user = current_user(request)
    qs = (visible(Voucher, user) | visible(Voucher, user, "self.view")).distinct().select_related("issue")
    if state:
        qs = qs.filter(state=state)
    return page_items(qs.order_by("-created_at"), paging, presenters.voucher_out)


@router.post("/vouchers/{voucher_id}/claim", response=s.VoucherOut, summary="领用 Take up a voucher (holder)")
def voucher_claim_view(request: HttpRequest, voucher_id: str) -> dict[str, Any]:
    user = current_user(request)
    voucher: Voucher = get_visible(Voucher, user, voucher_id, "self.view")
    return presenters.voucher_out(vouchers.voucher_claim(actor=user, voucher=voucher))


@router.post("/vouchers/use", response=s.VoucherOut, summary="使用培训券（机构验证）Use a voucher at a provider")
def voucher_use_view(request: HttpRequest, payload: s.VoucherUseIn) -> dict[str, Any]:
    from jineng.accounts.api import Organization

    user = current_user(request)
    org = Organization.objects.filter(pk=payload.organization).first()
    program = Program.objects.filter(pk=payload.program).first()
    if org is None or program is None:
        raise NotFound("机构或培训项目不存在。")
    voucher = vouchers.voucher_use(actor=user, code=payload.code, holder_id_number=payload.holder_id_number,
                                   organization=org, program=program, fee_fen=payload.fee_fen)  # fmt: skip
    return presenters.voucher_out(voucher)


@router.post("/vouchers/{voucher_id}/redeem", response=s.VoucherOut, summary="核销 Redeem a used voucher")
def voucher_redeem_view(request: HttpRequest, voucher_id: str) -> dict[str, Any]:
    user = current_user(request)
    voucher: Voucher = get_visible(Voucher, user, voucher_id, "records.review")
    return presenters.voucher_out(vouchers.voucher_redeem(actor=user, voucher=voucher))


# ---- one-off grants to bases and studios (一次性补助) ----------------------------------------------------------------


@router.get("/base-grants", response=page_of(s.BaseGrantOut), summary="基地与工作室一次性补助 One-off grants in scope")
def grant_list(
    request: HttpRequest, paging: Query[Paging], status: str = "", kind: str = "", year: str = "", q: str = ""
) -> dict[str, Any]:
    qs = grant_filter(grants_visible(current_user(request)), status=status, kind=kind, year=year, q=q)
    return page_items(qs.order_by("-created_at"), paging, presenters.grant_out)


@router.post("/base-grants", response={201: s.BaseGrantOut}, summary="申请一次性补助 Ask for a one-off grant")
def grant_create(request: HttpRequest, payload: s.GrantIn) -> Status[Any]:
    grant = grants.grant_request(actor=current_user(request), base_id=payload.base, amount_fen=payload.amount_fen,
                                 fund_source=payload.fund_source, basis=payload.basis, payee_bank=payload.payee_bank,
                                 payee_account=payload.payee_account, note=payload.note, year=payload.year)  # fmt: skip
    return Status(201, presenters.grant_out(grant))


@router.get("/base-grants/{grant_id}", response=s.BaseGrantOut, summary="一次性补助详情 One grant")
def grant_detail(request: HttpRequest, grant_id: str) -> dict[str, Any]:
    return presenters.grant_out(get_visible(BaseGrant, current_user(request), grant_id))


def _grant_review(request: HttpRequest, grant_id: str, payload: s.DecisionIn, approve: bool) -> dict[str, Any]:
    user = current_user(request)
    grant: BaseGrant = get_visible(BaseGrant, user, grant_id, REVIEW)
    return presenters.grant_out(grants.grant_review(actor=user, grant=grant, approve=approve, reason=payload.reason))


@router.post("/base-grants/{grant_id}/approve", response=s.BaseGrantOut, summary="审核通过（他人审核）Approve a grant")
def grant_approve(request: HttpRequest, grant_id: str, payload: s.DecisionIn) -> dict[str, Any]:
    return _grant_review(request, grant_id, payload, True)


@router.post("/base-grants/{grant_id}/reject", response=s.BaseGrantOut, summary="不予通过 Refuse a grant")
def grant_reject(request: HttpRequest, grant_id: str, payload: s.DecisionIn) -> dict[str, Any]:
    return _grant_review(request, grant_id, payload, False)


@router.post("/base-grants/{grant_id}/payee-confirm", response=s.BaseGrantOut,
             summary="核实收款账号（申请人、审核人以外的另一人）Confirm a payee account that does not match")  # fmt: skip
def grant_payee_confirm(request: HttpRequest, grant_id: str, payload: s.PayeeConfirmIn) -> dict[str, Any]:
    user = current_user(request)
    grant: BaseGrant = get_visible(BaseGrant, user, grant_id, REVIEW)
    return presenters.grant_out(grants.grant_payee_confirm(actor=user, grant=grant, reason=payload.reason))


@router.post("/base-grants/{grant_id}/payee-reveal", response=s.PayeeRevealOut,
             summary="查看完整收款账号（须填写原因，记入审计）Reveal a grant's payee account")  # fmt: skip
def grant_payee_reveal(request: HttpRequest, grant_id: str, payload: s.PayeeRevealIn) -> HttpResponse:
    user = current_user(request)
    grant: BaseGrant = get_visible(BaseGrant, user, grant_id, REVIEW)
    response = JsonResponse({"value": grants.grant_payee_reveal(actor=user, grant=grant, reason=payload.reason)})
    response["Cache-Control"] = "no-store"
    return response


@router.post("/base-grant-batches", response={201: s.GrantBatchOut},
             summary="生成补助拨付批次（幂等）Batch approved grants — Idempotency-Key header required")  # fmt: skip
def grant_batch(
    request: HttpRequest, payload: s.GrantBatchIn, idempotency_key: IdempotencyKeyHeader = ""
) -> HttpResponse:
    user = current_user(request)

    def effect() -> tuple[int, Any]:
        batch = grants.grant_batch_create(actor=user, grant_ids=payload.grant_ids, note=payload.note)
        return 201, _dump(s.GrantBatchOut, presenters.grant_batch_out(batch))

    return _idempotent(request, "base-grants.batch", idempotency_key, payload.dict(), effect)


@router.post("/base-grant-lines/{line_id}/confirm", response=s.GrantLineOut,
             summary="确认补助支付结果（幂等）Confirm a grant line paid or failed")  # fmt: skip
def grant_line_confirm(
    request: HttpRequest, line_id: str, payload: s.GrantConfirmIn, idempotency_key: IdempotencyKeyHeader = ""
) -> HttpResponse:
    user = current_user(request)
    line: GrantLine = get_visible(GrantLine, user, line_id, PAY)

    def effect() -> tuple[int, Any]:
        done = grants.grant_line_confirm(actor=user, line=line, paid=payload.paid,
                                         bank_reference=payload.bank_reference, reason=payload.reason)  # fmt: skip
        return 200, _dump(s.GrantLineOut, presenters.grant_line_out(done))

    return _idempotent(
        request, "base-grants.confirm", idempotency_key, {"line": str(line.pk), **payload.dict()}, effect
    )


# ---- the apprenticeship advance (企业新型学徒制补贴预支) ------------------------------------------------------------


@router.post("/apprenticeship-advances", response={201: s.ClaimDetailOut},
             summary="申请学徒制补贴预支 Ask for the advance of an apprentice's plan year")  # fmt: skip
def advance_create(request: HttpRequest, payload: s.AdvanceIn) -> Status[Any]:
    claim = advances.advance_submit(actor=current_user(request), apprentice_id=payload.apprentice,
                                    year_no=payload.year_no, payee_bank=payload.payee_bank,
                                    payee_account=payload.payee_account)  # fmt: skip
    return Status(201, _detail(claim))


@router.post("/claims/{claim_id}/advance-recovery", response={201: s.RecoveryOrderOut},
             summary="追回预支（幂等）Recover a paid advance of an unfinished plan")  # fmt: skip
def advance_recovery(
    request: HttpRequest, claim_id: str, payload: s.AdvanceRecoveryIn, idempotency_key: IdempotencyKeyHeader = ""
) -> HttpResponse:
    claim = _claim(request, claim_id)

    def effect() -> tuple[int, Any]:
        order = advances.advance_recover(actor=current_user(request), claim=claim, reason=payload.reason)
        return 201, _dump(s.RecoveryOrderOut, recovery_order_out(order))

    return _idempotent(request, "claims.advance_recovery", idempotency_key, {"claim": str(claim.pk), **payload.dict()},
                       effect)  # fmt: skip


# ---- recovery orders (追回单, ADR 0027): a second person approves; money back recorded by one, confirmed by another


def recovery_order_out(o: RecoveryOrder) -> dict[str, Any]:
    return {
        "id": o.pk, "number": o.number, "claim": o.claim_id, "claim_number": o.claim.number, "region": o.region_id,
        "ref": o.ref, "amount_fen": o.amount_fen, "paid_fen": o.paid_fen, "recovered_fen": o.recovered_fen,
        "due_date": o.due_date, "reason": o.reason, "status": o.status, "status_label": str(o.get_status_display()),
        "requested_by": o.requested_by_name, "decided_by": o.decided_by_name,
        "receipts": [{"id": r.pk, "key": r.key, "amount_fen": r.amount_fen, "received_on": r.received_on,
                      "status": r.status, "recorded_by": r.recorded_by_name, "confirmed_by": r.confirmed_by_name}
                     for r in o.receipts.all()],
    }  # fmt: skip


@router.get("/recovery-orders", response=page_of(s.RecoveryOrderOut), summary="追回单 Recovery orders in scope")
def recovery_order_list(request: HttpRequest, paging: Query[Paging], status: str = "", q: str = "") -> dict[str, Any]:
    qs = recovery_filter(recoveries_visible(current_user(request)), status=status[:12], q=q[:40])
    return page_items(qs.order_by("-created_at"), paging, recovery_order_out)


@router.get("/recovery-orders/{order_id}", response=s.RecoveryOrderOut, summary="追回单详情 One recovery order")
def recovery_order_detail(request: HttpRequest, order_id: str) -> dict[str, Any]:
    user = current_user(request)
    return recovery_order_out(get_visible(recoveries_visible(user), user, order_id, VIEW))


@router.post("/recovery-orders/{order_id}/decision", response=s.RecoveryOrderOut,
             summary="复核追回单（幂等）Approve or reject a recovery order")  # fmt: skip
def recovery_order_decision(request: HttpRequest, order_id: str, payload: s.RecoveryDecisionIn) -> dict[str, Any]:
    user = current_user(request)
    order = get_visible(recoveries_visible(user), user, order_id, VIEW)
    return recovery_order_out(recovery.recovery_order_decide(actor=user, order=order, approve=payload.approve,
                                                             reason=payload.reason))  # fmt: skip


@router.post("/recovery-orders/{order_id}/receipts", response={201: s.RecoveryReceiptOut},
             summary="登记追回到账（按流水号幂等）Record money back")  # fmt: skip
def recovery_receipt_create(request: HttpRequest, order_id: str, payload: s.RecoveryReceiptIn) -> Any:
    user = current_user(request)
    order = get_visible(recoveries_visible(user), user, order_id, VIEW)
    r = recovery.recovery_receipt_record(actor=user, order=order, amount_fen=payload.amount_fen, key=payload.key,
                                         received_on=payload.received_on, memo=payload.memo)  # fmt: skip
    return Status(201, {"id": r.pk, "key": r.key, "amount_fen": r.amount_fen, "received_on": r.received_on,
                        "status": r.status, "recorded_by": r.recorded_by_name, "confirmed_by": r.confirmed_by_name})  # fmt: skip


@router.post("/recovery-receipts/{receipt_id}/confirm", response=s.RecoveryOrderOut,
             summary="确认追回到账（幂等，另一人）Confirm money back")  # fmt: skip
def recovery_receipt_confirm_view(request: HttpRequest, receipt_id: str, payload: s.ReceiptDecisionIn) -> Any:
    user = current_user(request)
    receipt = get_visible(RecoveryReceipt, user, receipt_id, VIEW)
    recovery.recovery_receipt_confirm(actor=user, receipt=receipt, approve=payload.approve, reason=payload.reason)
    return recovery_order_out(RecoveryOrder.objects.get(pk=receipt.order_id))
