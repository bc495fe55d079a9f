"""Input and output schemas of the subsidies API. Money is integer fen (``*_fen``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool

from jineng.common.rest.schemas import InputSchema
from jineng.common.rest.types import FEN_MAX
from jineng.subsidies.services.payments import MAX_RETURN_ROWS


class ClaimOut(Schema):
    id: uuid.UUID
    number: str
    subsidy_type: str
    subsidy_type_label: str
    status: str
    status_label: str
    person_name: str
    id_number: str = Field(description="脱敏的证件号码")
    applicant_kind: str
    applicant_org: str
    region: str
    event_kind: str
    event_label: str
    event_date: dt.date
    applied_on: dt.date
    decision: str
    decision_label: str
    amount_fen: int
    payable_fen: int
    deferred_fen: int
    fund_source: str
    payee_kind: str
    payee_name: str
    payee_account: str = Field(description="脱敏的收款账号")
    review_due: dt.date | None
    publicity_start: dt.date | None
    publicity_end: dt.date | None
    payment_due: dt.date | None
    version_no: int
    policy_version: uuid.UUID
    created_at: dt.datetime


class CheckLineOut(Schema):
    code: str
    outcome: str
    outcome_label: str
    message: str
    figures: dict[str, Any]


class StepOut(Schema):
    step: str
    outcome: str
    actor: str
    at: dt.datetime
    reason: str
    from_status: str
    to_status: str


class ObjectionOut(Schema):
    id: uuid.UUID
    claim: uuid.UUID
    reason: str
    status: str
    status_label: str
    resolution: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None


class LineOut(Schema):
    id: uuid.UUID
    batch: str
    seq: int
    claim: uuid.UUID
    claim_number: str
    amount_fen: int
    payee_name: str
    payee_bank: str
    payee_account: str
    fund_account: str
    state: str
    state_label: str
    failure_reason: str
    bank_reference: str
    confirmed_at: dt.datetime | None


class ClaimDetailOut(ClaimOut):
    lines: list[CheckLineOut]
    inputs: dict[str, Any]
    closing_reason: str
    previous: str
    policy_title: str
    steps: list[StepOut]
    objections: list[ObjectionOut]
    payments: list[LineOut]


class CheckOut(Schema):
    decision: str
    amount_fen: int
    payable_fen: int
    deferred_fen: int
    rounding: str
    region: str
    policy_version: uuid.UUID
    policy_title: str
    lines: list[CheckLineOut]


class ClaimIn(InputSchema):
    subsidy_type: str = Field(
        description="training, living, skill_upgrade, ui_skill_upgrade, apprenticeship, work_for_training"
    )
    event_ref: str = Field(description="报名（花名册）编号、证书编号（id）、学徒编号:年度 或 就业记录编号")
    applicant_kind: str = Field(description="person, provider, enterprise")
    applicant_org: uuid.UUID | None = None
    insurance_region: str = Field("", description="参保地行政区划代码（技能提升补贴）")
    months: int = Field(0, ge=0, le=120, description="以工代训：申请月数")
    insured_months: int | None = Field(None, ge=0, description="申报的参保缴费月数（由审核人员核实）")
    payee_bank: str = ""
    payee_account: str = Field("", description="收款账号（银行卡或社会保障卡金融账户），仅保存密文")
    note: str = ""


class ReasonIn(InputSchema):
    reason: str = ""


class VerifyIn(InputSchema):
    insured_months: int | None = Field(None, ge=0)
    reason: str = ""


class ObjectionIn(InputSchema):
    reason: str
    name: str = ""


class ResolveIn(InputSchema):
    upheld: StrictBool
    resolution: str


class PayeeIn(InputSchema):
    payee_bank: str = ""
    payee_account: str
    reason: str


class PayeeChangeOut(Schema):
    id: uuid.UUID
    claim: uuid.UUID
    claim_number: str
    status: str
    status_label: str
    payee_bank: str
    payee_account_masked: str
    previous_account_masked: str
    reason: str
    requested_by: str
    decided_by: str
    decided_at: dt.datetime | None
    decision_reason: str
    created_at: dt.datetime


class DecisionIn(InputSchema):
    reason: str = ""


class ReversalIn(InputSchema):
    reason: str


class ReversalOut(Schema):
    id: uuid.UUID
    allocation: uuid.UUID
    region: str
    amount_fen: int
    status: str
    status_label: str
    reason: str
    requested_by: str
    decided_by: str
    decided_at: dt.datetime | None
    decision_reason: str
    reversal: uuid.UUID | None
    created_at: dt.datetime


class BatchIn(InputSchema):
    claim_ids: list[str] = Field(min_length=1, max_length=5000)
    note: str = ""


class BatchOut(Schema):
    id: uuid.UUID
    number: str
    region: str
    status: str
    status_label: str
    line_count: int
    total_fen: int
    note: str
    created_at: dt.datetime
    exported_at: dt.datetime | None
    settled_at: dt.datetime | None


class GrantLineOut(Schema):
    id: uuid.UUID
    seq: int
    grant: uuid.UUID
    grant_number: str
    base_name: str
    amount_fen: int
    payee_name: str
    payee_account_masked: str
    state: str
    bank_reference: str
    failure_reason: str


class BatchDetailOut(BatchOut):
    lines: list[LineOut] = Field(description="the claim lines (补贴申请明细)")
    grant_lines: list[GrantLineOut] = Field(description="the grant lines of a batch of one-off grants (一次性补助明细)")


class ReturnLineIn(InputSchema):
    line_id: str = Field("", max_length=36)
    claim_number: str = Field("", max_length=40)
    result: str = Field(description="paid / failed（或 成功 / 失败）", max_length=20)
    reason: str = Field("", max_length=300)
    bank_reference: str = Field("", max_length=64, description="银行流水号：每笔支付一个，不与其他明细重复")
    amount_fen: int | None = Field(
        None, ge=-FEN_MAX, le=FEN_MAX, description="必填：与支付文件核对的金额（分）；缺少金额的行整份回盘不予处理"
    )


class ReturnIn(InputSchema):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=MAX_RETURN_ROWS)


class ReturnOut(Schema):
    paid: int
    failed: int
    unchanged: int


class ClawbackIn(InputSchema):
    reason: str


class DebtOut(Schema):
    id: uuid.UUID
    claim_number: str
    payee_name: str
    amount_fen: int
    recovered_fen: int
    status: str
    reason: str


class RecoverIn(InputSchema):
    amount_fen: int = Field(gt=0, le=FEN_MAX)
    key: str = Field(min_length=1, max_length=80, description="到账流水号 the bank reference")
    received_on: dt.date
    memo: str = Field("", max_length=300)


class AllocationIn(InputSchema):
    fund_source: str
    region: str
    amount_fen: int = Field(gt=0, le=FEN_MAX)
    memo: str


class TransactionOut(Schema):
    id: uuid.UUID
    kind: str
    fund_account: uuid.UUID
    region: str
    amount_fen: int
    reference: str
    memo: str
    created_at: dt.datetime


class AccountOut(Schema):
    id: uuid.UUID
    fund_source: str
    fund_source_label: str
    region: str
    balances: dict[str, int]


class ReconcileOut(Schema):
    ok: bool
    problems: list[str]
    accounts: list[dict[str, Any]]


class PolicyIn(InputSchema):
    region: str
    subsidy_type: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    rules: dict[str, Any]
    citation: str = ""
    source_url: str = ""
    note: str = ""


class PolicyPatch(InputSchema):
    title: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    rules: dict[str, Any] | None = None
    citation: str | None = None
    source_url: str | None = None
    note: str | None = None


class PolicyOut(Schema):
    id: uuid.UUID
    region: str
    subsidy_type: str
    subsidy_type_label: str
    version_no: int
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    status: str
    rules: dict[str, Any]
    citation: str
    source_url: str
    note: str
    published_at: dt.datetime | None


class Counts(Schema):
    issued: int
    claimed: int
    used: int
    redeemed: int


class VoucherIssueIn(InputSchema):
    region: str
    kind: str
    title: str
    content: str = ""
    face_value_fen: int = Field(0, ge=0, le=FEN_MAX)
    discount_percent: int = Field(0, ge=0, le=100)
    providers: list[str] = []
    programs: list[str] = []
    groups: list[str] = []
    valid_from: dt.date
    valid_until: dt.date
    quantity: int = Field(gt=0)
    fund_source: str = "employment_fund"


class VoucherIssueOut(Schema):
    id: uuid.UUID
    region: str
    kind: str
    kind_label: str
    title: str
    content: str
    face_value_fen: int
    discount_percent: int
    providers: list[str]
    programs: list[str]
    groups: list[str]
    valid_from: dt.date
    valid_until: dt.date
    quantity: int
    fund_source: str
    status: str
    counts: Counts


class VoucherOut(Schema):
    id: uuid.UUID
    code: str
    issue: uuid.UUID
    issue_title: str
    kind: str
    person_name: str
    region: str
    state: str
    state_label: str
    valid_until: dt.date
    value_fen: int
    used_at: dt.datetime | None
    redeemed_at: dt.datetime | None


class VoucherUseIn(InputSchema):
    code: str
    holder_id_number: str
    organization: uuid.UUID
    program: uuid.UUID
    fee_fen: int = Field(0, ge=0, le=FEN_MAX)


class IssuedOut(Schema):
    issued: int


class PublicityItemOut(Schema):
    number: str
    name: str = Field(description="脱敏姓名")
    subsidy_type: str
    subsidy_type_label: str
    item: str
    region: str
    region_name: str
    amount_fen: int
    payee: str
    publicity_start: dt.date
    publicity_end: dt.date


# ---- one-off grants to bases and studios (一次性补助) ----------------------------------------------------------------


class GrantIn(InputSchema):
    base: str = Field(max_length=40)
    amount_fen: int = Field(gt=0, le=FEN_MAX)
    fund_source: str = Field(max_length=24)
    basis: str = Field(max_length=200)
    payee_bank: str = Field(max_length=100)
    payee_account: str = Field(max_length=40)
    note: str = Field("", max_length=2000)
    year: int | None = Field(None, ge=2000, le=2100)


class BaseGrantOut(Schema):
    id: uuid.UUID
    number: str
    base: uuid.UUID
    base_name: str
    base_kind: str
    base_level: str
    region: str
    year: int
    amount_fen: int
    amount: str
    fund_source: str
    basis: str
    payee_name: str
    payee_bank: str
    payee_account_masked: str
    payee_check: str = Field(description="match / mismatch / unverified：与该单位已核验账户（银行确认支付成功）比对")
    payee_confirmed_by_name: str
    payee_confirm_reason: str
    status: str
    status_label: str
    requested_by_name: str
    reviewed_by_name: str
    reviewed_at: dt.datetime | None
    review_reason: str
    paid_at: dt.datetime | None
    created_at: dt.datetime


class PayeeConfirmIn(InputSchema):
    reason: str = Field(max_length=500)


class PayeeRevealIn(InputSchema):
    reason: str = Field(max_length=200)


class PayeeRevealOut(Schema):
    value: str


class GrantBatchIn(InputSchema):
    grant_ids: list[str] = Field(max_length=500)
    note: str = Field("", max_length=300)


class GrantBatchOut(Schema):
    id: uuid.UUID
    number: str
    region: str
    status: str
    line_count: int
    total_fen: int
    lines: list[GrantLineOut]


class GrantConfirmIn(InputSchema):
    paid: StrictBool  # "no", 0 are not a yes/no
    bank_reference: str = Field("", max_length=64)
    reason: str = Field("", max_length=300)


class AdvanceIn(InputSchema):
    apprentice: str = Field(max_length=40)
    year_no: int = Field(ge=1, le=3)
    payee_bank: str = Field(max_length=100)
    payee_account: str = Field(max_length=40)


class AdvanceRecoveryIn(InputSchema):
    reason: str = Field("", max_length=2000)


# ---- recovery orders (追回单) ----------------------------------------------------------------------------------------


class RecoveryReceiptOut(Schema):
    id: uuid.UUID
    key: str
    amount_fen: int
    received_on: dt.date
    status: str
    recorded_by: str
    confirmed_by: str


class RecoveryOrderOut(Schema):
    id: uuid.UUID
    number: str
    claim: uuid.UUID
    claim_number: str
    region: str
    ref: str
    amount_fen: int
    paid_fen: int
    recovered_fen: int
    due_date: dt.date
    reason: str
    status: str
    status_label: str
    requested_by: str
    decided_by: str
    receipts: list[RecoveryReceiptOut]


class RecoveryDecisionIn(InputSchema):
    approve: StrictBool
    reason: str = Field("", max_length=2000)


class RecoveryReceiptIn(InputSchema):
    amount_fen: int = Field(gt=0, le=FEN_MAX)
    key: str = Field(max_length=80)
    received_on: dt.date | None = None
    memo: str = Field("", max_length=300)


class ReceiptDecisionIn(InputSchema):
    approve: StrictBool = True
    reason: str = Field("", max_length=2000)
