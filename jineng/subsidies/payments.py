"""Payments (资金拨付): batches of approved claims, the bank payment file, the bank's return file, payee correction
after a failed payment, clawback of a paid claim found invalid, and recovery of the debt.

A claim is never paid twice: ``PaymentLine`` has a partial unique index allowing one pending-or-paid line per
claim, and a batch locks its claims (in id order) before checking their status. Concurrent requests for the same
claims therefore put each claim in exactly one batch; the others get 409 ``claim_in_live_batch``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import require, visible
from jineng.common.audit.services import audit_record
from jineng.common.crypto import decrypt, encrypt
from jineng.common.errors import Conflict, FieldError, InvalidState, NotFound, ValidationFailed
from jineng.common.masking import mask_bank_account
from jineng.imports.api import XlsxWriter, escape_cell
from jineng.refdata.api import region_ancestors
from jineng.rules.subsidy import format_fen
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.claims import ACCOUNT_CONTEXT
from jineng.subsidies.errors import ClaimInLiveBatch, invalid
from jineng.subsidies.ledger import fund_account_for, post, post_payment
from jineng.subsidies.models import (
    BatchStatus,
    Claim,
    Debt,
    DebtStatus,
    LedgerKind,
    LineState,
    PaymentBatch,
    PaymentLine,
)
from jineng.subsidies.support import (
    PAY,
    REVIEW,
    can,
    is_org_staff,
    next_number,
    reason_required,
    step_record,
    user_or_none,
)

# ---- batches -------------------------------------------------------------------------------------------------------


def common_ancestor(codes: Iterable[str]) -> str:
    chains = [region_ancestors(c) for c in codes]
    if not chains:
        return "000000"
    shared = set(chains[0]).intersection(*map(set, chains[1:]))
    return next(code for code in chains[0] if code in shared)


def batch_create(*, actor: Any, claim_ids: list[Any], note: str = "") -> PaymentBatch:
    """生成拨付批次 — approved claims, locked in id order; each gets one line on its fund account. Needs
    ``finance.pay`` over every paying region."""
    ids: list[str] = []
    for raw in claim_ids:
        if str(raw) not in ids:
            ids.append(str(raw))
    if not ids:
        raise invalid("claim_ids", "required", "请选择要拨付的申请。")
    with transaction.atomic():
        try:
            claims = list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        except Exception as exc:  # malformed ids
            if type(exc).__name__ in ("ValidationError", "ValueError"):
                raise invalid("claim_ids", "bad_id", "申请编号格式不正确。") from None
            raise
        seen = {str(pk) for pk in visible(Claim, actor, "records.view").filter(pk__in=ids).values_list("pk", flat=True)}
        found = {str(c.pk) for c in claims} & seen
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"申请不存在：{missing[0]}", code="claim_not_found")
        live = [c.number for c in claims if c.status in (ClaimStatus.IN_PAYMENT, ClaimStatus.PAID)]
        if live:
            raise ClaimInLiveBatch(live)
        wrong = [c for c in claims if c.status != ClaimStatus.APPROVED]
        if wrong:
            raise InvalidState(
                "只有审批通过（待拨付）的申请可以拨付："
                + "、".join(f"{c.number}（{c.get_status_display()}）" for c in wrong),
                code="claim_not_approved",
            )
        accounts = {}
        for c in claims:
            account = fund_account_for(c.fund_source, c.region_id)
            require(actor, PAY, region_code=account.region_id)
            accounts[c.pk] = account
            if c.payable_fen <= 0:
                raise InvalidState(f"申请 {c.number} 本次拨付金额为 0。", code="nothing_to_pay")
        region = common_ancestor(sorted({a.region_id for a in accounts.values()}))
        batch = PaymentBatch.objects.create(
            number=next_number(f"BF{timezone.now():%Y}{region}"),
            region_id=region,
            created_by=user_or_none(actor),
            note=note[:300],
            line_count=len(claims),
            total_fen=sum(c.payable_fen for c in claims),
        )
        try:
            with transaction.atomic():
                PaymentLine.objects.bulk_create(
                    [
                        PaymentLine(
                            batch=batch,
                            seq=n,
                            claim=c,
                            region_id=accounts[c.pk].region_id,
                            fund_account=accounts[c.pk],
                            amount_fen=c.payable_fen,
                            payee_name=c.payee_name,
                            payee_bank=c.payee_bank,
                            payee_channel=c.payee_channel,
                            payee_account_enc=c.payee_account_enc,
                            payee_account_masked=c.payee_account_masked,
                        )
                        for n, c in enumerate(claims, start=1)
                    ]
                )
        except IntegrityError:
            raise ClaimInLiveBatch([c.number for c in claims]) from None
        for c in claims:
            Claim.objects.filter(pk=c.pk).update(status=ClaimStatus.IN_PAYMENT, updated_at=timezone.now())
            c.status = ClaimStatus.IN_PAYMENT
            step_record(claim=c, step="batch", actor=actor, outcome="in_payment", from_status=ClaimStatus.APPROVED,
                        data={"batch": batch.number}, audit=False)  # fmt: skip
        audit_record(actor=actor, action="payment_batch.create", object_type="subsidies.payment_batch",
                     object_id=batch.pk, region_code=region,
                     after={"number": batch.number, "lines": batch.line_count, "total_fen": batch.total_fen,
                            "claims": [c.number for c in claims]})  # fmt: skip
    return batch


# ---- the bank payment file -------------------------------------------------------------------------------------------

# docs/subsidies.md documents this layout; the return file carries the first column back.
PAYMENT_FILE_HEADERS = [
    "明细编号", "批次号", "序号", "申请编号", "收款户名", "收款账号", "开户银行", "收款渠道",
    "金额（元）", "金额（分）", "资金来源", "资金账户地区", "用途",
]  # fmt: skip
CHANNEL_NAMES = {"bank_account": "银行账户", "social_security_card": "社会保障卡"}


def _file_rows(batch: PaymentBatch) -> Iterable[list[Any]]:
    for line in batch.lines.select_related("claim", "fund_account").order_by("seq"):
        if line.state == LineState.FAILED:
            continue
        yield [
            str(line.pk),
            batch.number,
            line.seq,
            line.claim.number,
            line.payee_name,
            decrypt(line.payee_account_enc, context=ACCOUNT_CONTEXT) if line.payee_account_enc else "",
            line.payee_bank,
            CHANNEL_NAMES.get(line.payee_channel, line.payee_channel),
            f"{line.amount_fen // 100}.{line.amount_fen % 100:02d}",
            line.amount_fen,
            line.fund_account.get_fund_source_display(),
            line.fund_account.region_id,
            f"{line.claim.get_subsidy_type_display()} {line.claim.number}",
        ]


def bank_file(*, actor: Any, batch: PaymentBatch, fmt: str) -> tuple[bytes, str, str]:
    """The bank payment file (CSV, UTF-8 with BOM, or xlsx): full account numbers, every cell formula-escaped.
    The export is audited; the batch becomes "exported"."""
    require(actor, PAY, region_code=batch.region_id)
    if fmt not in ("csv", "xlsx"):
        raise invalid("format", "bad_choice", "格式只能是 csv 或 xlsx。")
    rows = list(_file_rows(batch))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(PAYMENT_FILE_HEADERS)
        for row in rows:
            writer.writerow([escape_cell(v) for v in row])
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        mime = "text/csv; charset=utf-8"
    else:
        xlsx = XlsxWriter(PAYMENT_FILE_HEADERS, title="支付明细")
        for row in rows:
            xlsx.append(row)
        out = io.BytesIO()
        xlsx.save(out)
        content = out.getvalue()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with transaction.atomic():
        if batch.status == BatchStatus.CREATED:
            PaymentBatch.objects.filter(pk=batch.pk, status=BatchStatus.CREATED).update(
                status=BatchStatus.EXPORTED, exported_at=timezone.now()
            )
        audit_record(actor=actor, action="payment_batch.export", object_type="subsidies.payment_batch",
                     object_id=batch.pk, region_code=batch.region_id,
                     after={"format": fmt, "lines": len(rows), "accounts": "收款账号明文（银行支付文件）"})  # fmt: skip
    return content, f"{batch.number}.{fmt}", mime


# ---- the bank's return file ----------------------------------------------------------------------------------------

PAID_WORDS = {"paid", "success", "成功", "支付成功", "已支付", "1"}
FAILED_WORDS = {"failed", "fail", "失败", "支付失败", "退票", "0"}


@dataclass(frozen=True)
class ReturnRow:
    row: int
    line_id: str
    claim_number: str
    result: str  # as written in the file
    reason: str = ""
    bank_reference: str = ""
    amount_fen: int | None = None


@dataclass(frozen=True)
class ReturnIssue:
    row: int
    field: str
    code: str
    message: str


def _outcome(word: str) -> str | None:
    w = (word or "").strip().lower()
    if w in PAID_WORDS:
        return LineState.PAID
    if w in FAILED_WORDS:
        return LineState.FAILED
    return None


def _find_line(row: ReturnRow, batch: PaymentBatch | None) -> PaymentLine | None:
    qs = PaymentLine.objects.select_related("claim", "batch", "fund_account")
    if batch is not None:
        qs = qs.filter(batch=batch)
    if row.line_id and re.fullmatch(r"[0-9a-fA-F-]{32,36}", row.line_id):
        return qs.filter(pk=row.line_id).first()
    if row.claim_number:
        return qs.filter(claim__number=row.claim_number).exclude(state=LineState.FAILED).order_by("-created_at").first()
    return None


def return_check(
    rows: list[ReturnRow], *, actor: Any, batch: PaymentBatch | None = None
) -> tuple[list[ReturnIssue], list[tuple[ReturnRow, PaymentLine, str]]]:
    """Validate return lines: each names a line of a live batch (unknown → ``unknown_payment_line``), a result
    (paid/failed), the amount it was sent with, and a reason for a failure. Returns (issues, actions)."""
    issues: list[ReturnIssue] = []
    actions: list[tuple[ReturnRow, PaymentLine, str]] = []
    seen: set[Any] = set()
    for row in rows:
        line = _find_line(row, batch)
        ref = row.line_id or row.claim_number
        if line is None:
            where = f"批次 {batch.number} 中" if batch is not None else ""
            issues.append(
                ReturnIssue(
                    row.row,
                    "line_id",
                    "unknown_payment_line",
                    f"{where}没有明细 {ref!r}（未知的申请或支付明细），不予处理",
                )
            )
            continue
        if not can(actor, PAY, region_code=line.region_id):
            issues.append(ReturnIssue(row.row, "line_id", "permission_denied", f"明细 {ref} 不在您的拨付权限范围内"))
            continue
        if line.pk in seen:
            issues.append(ReturnIssue(row.row, "line_id", "duplicate_row", f"明细 {ref} 在文件中重复出现"))
            continue
        seen.add(line.pk)
        outcome = _outcome(row.result)
        if outcome is None:
            issues.append(
                ReturnIssue(row.row, "result", "bad_result", f"支付结果 {row.result!r} 无法识别（应为 成功 或 失败）")
            )
            continue
        if row.amount_fen is not None and row.amount_fen != line.amount_fen:
            issues.append(
                ReturnIssue(
                    row.row,
                    "amount",
                    "amount_mismatch",
                    f"明细 {line.claim.number} 金额 {format_fen(row.amount_fen)} 与支付文件 {format_fen(line.amount_fen)} 不符",
                )  # fmt: skip
            )
            continue
        if outcome == LineState.FAILED and not row.reason.strip():
            issues.append(
                ReturnIssue(row.row, "reason", "reason_required", f"明细 {line.claim.number} 支付失败须写明原因")
            )
            continue
        if line.state != LineState.PENDING:
            if line.state == outcome:
                continue  # the same return again: nothing to do
            issues.append(
                ReturnIssue(
                    row.row,
                    "result",
                    "line_already_confirmed",
                    f"明细 {line.claim.number} 已确认为「{line.get_state_display()}」，与回盘结果不符",
                )  # fmt: skip
            )
            continue
        actions.append((row, line, outcome))
    return issues, actions


def _confirm(line: PaymentLine, outcome: str, row: ReturnRow, actor: Any) -> None:
    now = timezone.now()
    line = PaymentLine.objects.select_for_update().select_related("claim", "batch", "fund_account").get(pk=line.pk)
    if line.state != LineState.PENDING:
        return
    claim = Claim.objects.select_for_update().get(pk=line.claim_id)
    line.state = outcome
    line.bank_reference = row.bank_reference[:64]
    line.failure_reason = row.reason.strip()[:300] if outcome == LineState.FAILED else ""
    line.confirmed_at = now
    line.confirmed_by = user_or_none(actor)
    line.save(update_fields=["state", "bank_reference", "failure_reason", "confirmed_at", "confirmed_by", "updated_at"])
    before = claim.status
    if outcome == LineState.PAID:
        claim.status = ClaimStatus.PAID
        claim.paid_at = now
        claim.save(update_fields=["status", "paid_at", "updated_at"])
        post_payment(line, actor=actor)
        step_record(claim=claim, step="paid", actor=actor, outcome="paid", from_status=before,
                    data={"batch": line.batch.number, "amount_fen": line.amount_fen, "bank_reference": line.bank_reference})  # fmt: skip
    else:
        claim.status = ClaimStatus.PAYMENT_FAILED
        claim.save(update_fields=["status", "updated_at"])
        step_record(claim=claim, step="payment_failed", actor=actor, outcome="failed", from_status=before,
                    reason=line.failure_reason, data={"batch": line.batch.number})  # fmt: skip


def _settle(batch_ids: set[Any]) -> None:
    for batch in PaymentBatch.objects.filter(pk__in=batch_ids):
        if not batch.lines.filter(state=LineState.PENDING).exists() and batch.status != BatchStatus.SETTLED:
            batch.status = BatchStatus.SETTLED
            batch.settled_at = timezone.now()
            batch.save(update_fields=["status", "settled_at", "updated_at"])


def returns_apply(*, actor: Any, rows: list[ReturnRow], batch: PaymentBatch | None = None) -> dict[str, int]:
    """回盘确认 — all or nothing: any bad line refuses the whole return (422, each line's rule and figures)."""
    if batch is not None:
        require(actor, PAY, region_code=batch.region_id)
    with transaction.atomic():
        issues, actions = return_check(rows, actor=actor, batch=batch)
        if issues:
            raise ValidationFailed(
                f"回盘文件有 {len(issues)} 行不能处理，未做任何确认："
                + "；".join(f"第{i.row}行 {i.message}" for i in issues[:5]),
                [FieldError(i.field, i.code, i.message, row=i.row) for i in issues],
                code="return_rejected",
            )
        apply_actions(actions, actor=actor)
    return {
        "paid": sum(1 for a in actions if a[2] == LineState.PAID),
        "failed": sum(1 for a in actions if a[2] == LineState.FAILED),
        "unchanged": len(rows) - len(actions),
    }


def apply_actions(actions: list[tuple[ReturnRow, PaymentLine, str]], *, actor: Any) -> None:
    batch_ids = set()
    for row, line, outcome in actions:
        _confirm(line, outcome, row, actor)
        batch_ids.add(line.batch_id)
    _settle(batch_ids)
    for batch_id in batch_ids:
        batch = PaymentBatch.objects.get(pk=batch_id)
        done = [a for a in actions if a[1].batch_id == batch_id]
        audit_record(actor=actor, action="payment_batch.return", object_type="subsidies.payment_batch",
                     object_id=batch_id, region_code=batch.region_id,
                     after={"paid": sum(1 for a in done if a[2] == LineState.PAID),
                            "failed": sum(1 for a in done if a[2] == LineState.FAILED), "status": batch.status})  # fmt: skip


# ---- after a failed payment --------------------------------------------------------------------------------------


def claim_payee_correct(*, actor: Any, claim: Claim, payee_bank: str, payee_account: str, reason: str) -> Claim:
    """更正收款信息 — a claim whose payment failed gets a corrected account and can go into a new batch."""
    reason = reason_required(reason)
    if not (
        can(actor, REVIEW, region_code=claim.region_id)
        or (claim.applicant_user_id and getattr(actor, "pk", None) == claim.applicant_user_id)
        or is_org_staff(actor, claim.applicant_org_id)
    ):
        require(actor, REVIEW, region_code=claim.region_id)
    account = re.sub(r"[\s-]", "", payee_account or "")
    if not re.fullmatch(r"\d{8,30}", account):
        raise invalid("payee_account", "bank_account_bad_format", "收款账号应为8–30位数字。")
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PAYMENT_FAILED:
            raise InvalidState("只有支付失败的申请可以更正收款信息。", code="claim_not_failed")
        before = {"payee_account": claim.payee_account_masked, "payee_bank": claim.payee_bank}
        claim.payee_account_enc = encrypt(account, context=ACCOUNT_CONTEXT)
        claim.payee_account_masked = mask_bank_account(account)
        claim.payee_bank = (payee_bank or claim.payee_bank).strip()[:100]
        claim.status = ClaimStatus.APPROVED
        claim.save(update_fields=["payee_account_enc", "payee_account_masked", "payee_bank", "status", "updated_at"])
        step_record(claim=claim, step="payee_correct", actor=actor, outcome="approved",
                    from_status=ClaimStatus.PAYMENT_FAILED, reason=reason,
                    data={"before": before, "payee_account": claim.payee_account_masked})  # fmt: skip
    return claim


def claim_clawback(*, actor: Any, claim: Claim, reason: str) -> Debt:
    """追回 — a paid claim found invalid: the claim is clawed back, the payee's debt recorded, the expense reversed
    into a receivable."""
    reason = reason_required(reason)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PAID:
            raise InvalidState("只有已拨付的申请可以追回。", code="claim_not_paid")
        line = claim.payment_lines.select_related("fund_account").filter(state=LineState.PAID).first()
        if line is None:
            raise InvalidState("没有找到该申请的支付明细。", code="no_paid_line")
        require(actor, PAY, region_code=line.region_id)
        debt = Debt.objects.create(
            claim=claim,
            fund_account=line.fund_account,
            region_id=line.region_id,
            payee_kind=claim.payee_kind,
            payee_name=claim.payee_name,
            person_id=claim.person_id if claim.payee_kind == "person" else None,
            organization=claim.payee_org,
            amount_fen=line.amount_fen,
            reason=reason,
        )
        try:
            with transaction.atomic():
                post(kind=LedgerKind.CLAWBACK, account=line.fund_account, amount_fen=line.amount_fen,
                     reference=str(claim.pk), memo=f"追回 {claim.number}：{reason}", actor=actor)  # fmt: skip
        except IntegrityError:
            raise Conflict("该申请已追回。", code="already_clawed_back") from None
        claim.status = ClaimStatus.CLAWED_BACK
        claim.closing_reason = reason
        claim.save(update_fields=["status", "closing_reason", "updated_at"])
        step_record(claim=claim, step="clawback", actor=actor, outcome="clawed_back", from_status=ClaimStatus.PAID,
                    reason=reason, data={"amount_fen": line.amount_fen, "debt": str(debt.pk)})  # fmt: skip
    return debt


def debt_recover(*, actor: Any, debt: Debt, amount_fen: int, memo: str = "") -> Debt:
    """追回到账 — money received back from the payee."""
    require(actor, PAY, region_code=debt.region_id)
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise invalid("amount_fen", "amount_not_positive", "追回金额应为正整数（分）。")
    with transaction.atomic():
        debt = Debt.objects.select_for_update().select_related("fund_account", "claim").get(pk=debt.pk)
        left = debt.amount_fen - debt.recovered_fen
        if amount_fen > left:
            raise invalid(
                "amount_fen", "over_recovery", f"追回金额 {format_fen(amount_fen)} 超过未追回余额 {format_fen(left)}。"
            )
        post(kind=LedgerKind.RECOVERY, account=debt.fund_account, amount_fen=amount_fen,
             reference=str(debt.pk), memo=memo or f"追回到账 {debt.claim.number}", actor=actor)  # fmt: skip
        debt.recovered_fen += amount_fen
        if debt.recovered_fen == debt.amount_fen:
            debt.status = DebtStatus.SETTLED
        debt.save(update_fields=["recovered_fen", "status", "updated_at"])
        audit_record(actor=actor, action="debt.recover", object_type="subsidies.debt", object_id=debt.pk,
                     region_code=debt.region_id, after={"amount_fen": amount_fen, "recovered_fen": debt.recovered_fen})  # fmt: skip
    return debt
