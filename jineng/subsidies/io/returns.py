"""The bank's return file (回盘文件) as an import kind ``payment_return``: ``jineng import payment_return FILE``, the
upload page and ``POST /api/v1/imports/`` all take it. Strict only: one bad line refuses the whole file, so a
return is never half-applied. Layout: docs/subsidies.md."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from jineng.imports.api import Column, Context, Importer, Issue, Outcome, Row, register_importer
from jineng.subsidies.errors import Code
from jineng.subsidies.services.payments import MAX_RETURN_ROWS, ReturnRow, apply_actions, return_check

COLUMNS = (
    Column("line_id", "明细编号", ("支付明细编号", "明细ID")),
    Column("claim_number", "申请编号", ("补贴申请编号",)),
    Column("result", "支付结果", ("结果", "状态", "处理结果"), required=True),
    Column("reason", "失败原因", ("原因", "备注")),
    Column("bank_reference", "银行流水号", ("流水号", "交易流水号")),
    Column("amount", "金额（元）", ("金额", "支付金额")),
)


def _fen(text: str) -> int | None:
    text = (text or "").replace(",", "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        raise ValueError(text)
    try:
        return int((Decimal(text) * 100).to_integral_value())
    except InvalidOperation:
        raise ValueError(text) from None


class PaymentReturnImporter(Importer):
    kind = "payment_return"
    label = "银行回盘文件"
    permission = "finance.pay"
    columns = COLUMNS

    def process(self, rows: list[Row], ctx: Context) -> Outcome:
        outcome = Outcome()
        if ctx.mode != "strict":
            outcome.issues += [
                Issue(r.number, "", "", "strict_only", "回盘文件只能整体导入（strict 模式），不能部分导入。")
                for r in rows
            ]
            return outcome
        parsed: list[ReturnRow] = []
        ctx.state["rows"] = ctx.state.get("rows", 0) + len(rows)
        if ctx.state["rows"] > MAX_RETURN_ROWS:  # a return answers one batch: never more rows than a batch holds
            outcome.issues += [
                Issue(
                    r.number,
                    "",
                    "",
                    Code.TOO_MANY_ROWS,
                    f"回盘文件最多 {MAX_RETURN_ROWS} 行，本行起超出上限，整份文件未做任何确认。",
                )  # fmt: skip
                for r in rows
            ]
            return outcome
        for r in rows:
            v = r.values
            if not v.get("line_id") and not v.get("claim_number"):
                outcome.issues.append(Issue(r.number, "line_id", "", "line_required", "须填写明细编号或申请编号。"))
                continue
            try:
                amount = _fen(v.get("amount", ""))
            except ValueError:
                outcome.issues.append(
                    Issue(
                        r.number,
                        "amount",
                        v.get("amount", "")[:40],
                        "bad_amount",
                        "金额格式不正确（元，最多两位小数）。",
                    )
                )
                continue
            parsed.append(
                ReturnRow(
                    row=r.number,
                    line_id=v.get("line_id", ""),
                    claim_number=v.get("claim_number", ""),
                    result=v.get("result", ""),
                    reason=v.get("reason", ""),
                    bank_reference=v.get("bank_reference", ""),
                    amount_fen=amount,
                )  # fmt: skip
            )
        # every row carries its amount, every paid row its 银行流水号 (the bank's return gives each payment one, a
        # claim's line and a grant's alike); a reference is checked against the file's earlier parts too
        issues, actions = return_check(parsed, actor=ctx.actor, amounts_required=True, references_required=True,
                                       in_file=ctx.state.setdefault("bank_references", {}))  # fmt: skip
        by_row = {p.row: p for p in parsed}
        for i in issues:
            value = by_row[i.row].line_id or by_row[i.row].claim_number
            outcome.issues.append(Issue(i.row, i.field, value[:60], i.code, i.message))
        if ctx.write and not outcome.issues:
            apply_actions(actions, actor=ctx.actor)
            outcome.updated = len(actions)
            outcome.unchanged = len(parsed) - len(actions)
        return outcome


def register() -> None:
    register_importer(PaymentReturnImporter())
