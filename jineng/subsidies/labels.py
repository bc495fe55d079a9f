"""What a person reads for the codes a claim carries: its checks (审核明细), its workflow steps (办理记录) and their
outcomes, the engine's decision (系统判定). Chinese first; English through the locale. A code missing here is shown
as "其他" with nothing raw, and the label test scans the pages for codes that slipped through."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jineng.rules.subsidy import DECISION_LABELS, OUTCOME_LABELS, format_fen
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.models import RecoveryStatus

CHECK_LABELS: dict[str, Any] = {
    "advance": _("学徒制补贴预支"),
    "age": _("年龄"),
    "amount": _("核定金额"),
    "amount_standard": _("补贴标准"),
    "annual_cap": _("年度享受次数上限"),
    "attendance": _("出勤率"),
    "certificate": _("证书"),
    "claim_cap": _("单次申领上限"),
    "concentrated_hours": _("集中培训学时"),
    "deadline": _("申领时限"),
    "duplicate": _("重复申领"),
    "eligible_group": _("补贴对象"),
    "employed_by_applicant": _("与申请单位的劳动关系"),
    "employment_share": _("就业后拨付部分"),
    "higher_level_blocks": _("已享受更高等级补贴"),
    "hours": _("培训学时"),
    "insured_months": _("参保月数"),
    "mutual_exclusion": _("互斥补贴"),
    "once_per_occupation_level": _("同职业同等级限享一次"),
    "shortage_float": _("急需紧缺职业上浮"),
    "training_completed": _("培训结业"),
}

STEP_LABELS: dict[str, Any] = {
    "submit": _("提交申请"),
    "accept": _("受理"),
    "first_review": _("初审"),
    "second_review": _("复审"),
    "publicity": _("公示"),
    "approve": _("审批"),
    "reject": _("不予通过"),
    "return": _("退回补正"),
    "resubmit": _("重新提交"),
    "withdraw": _("撤回"),
    "superseded": _("由新版本替代"),
    "objection": _("公示异议"),
    "objection_resolve": _("异议处理"),
    "verify": _("核验"),
    "batch": _("编入拨付批次"),
    "paid": _("拨付到账"),
    "payment_failed": _("支付失败"),
    "payee_correct": _("更正收款信息"),
    "clawback": _("追回"),
}

STEP_OUTCOME_LABELS: dict[str, Any] = {
    "accepted": _("已受理"),
    "approve": _("符合条件"),
    "approved": _("审批通过"),
    "passed": _("通过"),
    "rejected": _("不予通过"),
    "returned": _("已退回"),
    "withdrawn": _("已撤回"),
    "clawed_back": _("认定追回"),
    "open": _("已提出"),
    "in_payment": _("拨付中"),
    "paid": _("已拨付"),
    "failed": _("失败"),
    "superseded": _("已替代"),
}

# The engine's labels (jineng.rules is pure Python: no gettext there), marked here for the English catalogue.
_ENGINE_LABELS = [_("符合条件"), _("不符合条件"), _("需补充材料"), _("通过"), _("不通过"), _("待补充"), _("说明")]


def _label(mapping: dict[str, Any], code: str) -> str:
    if not code:
        return ""
    label = mapping.get(code)
    return str(label) if label is not None else gettext("其他")


def check_label(code: str) -> str:
    return _label(CHECK_LABELS, code)


def step_label(code: str) -> str:
    return _label(STEP_LABELS, code)


def step_outcome_label(code: str) -> str:
    return _label(STEP_OUTCOME_LABELS, code)


def decision_label(code: str) -> str:
    label = DECISION_LABELS.get(code)
    return gettext(label) if label else _label({}, code)


def check_outcome_label(code: str) -> str:
    label = OUTCOME_LABELS.get(code)
    return gettext(label) if label else ""


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def money(amount_fen: int) -> str:
    """An amount as a reader of the page's language writes it: '1,500.00元' in Chinese, '¥1,500.00' in English."""
    text = format_fen(amount_fen)
    if not _english():
        return text
    sign = "-" if text.startswith("-") else ""
    return f"{sign}¥{text.lstrip('-').removesuffix('元')}"


# The ledger's account roles (jineng.rules.subsidy.ledger.ROLE_LABELS), marked for the English catalogue.
LEDGER_ROLE_LABELS: dict[str, Any] = {
    "fund": _("资金存款"), "allocation": _("拨入资金"), "expense": _("补贴支出"), "receivable": _("应收追回款"),
}  # fmt: skip


def ledger_role_label(role: str) -> str:
    return str(LEDGER_ROLE_LABELS.get(role, role))


def _group_names(codes: str) -> str:
    from jineng.registry.api import Group

    names = dict(Group.choices) | {"women": _("妇女"), "youth": _("青年")}
    return ", ".join(str(names.get(c, c)) for c in codes.split(",") if c) or gettext("无")


def check_message(line: dict[str, Any]) -> str:
    """A check's explanation: the engine writes it in Chinese; under English the commonest checks are written again
    from their figures (the rest keep the engine's Chinese sentence)."""
    message = str(line.get("message", ""))
    if not _english():
        return message
    code, outcome, f = line.get("code"), line.get("outcome"), line.get("figures") or {}
    if code == "eligible_group":
        if outcome == "pass":
            held = ",".join(g for g in str(f.get("held", "")).split(",") if g in str(f.get("required", "")).split(","))
            return f"Eligible group: {_group_names(held)}"
        return (
            f"Not in an eligible group: must be one of {_group_names(str(f.get('required', '')))}; "
            f"on {f.get('on', '')} the person was {_group_names(str(f.get('held', '')))}"
        )
    if code == "amount" and "payable_fen" in f:
        text = f"Amount approved {money(int(f['amount_fen']))}, paid now {money(int(f['payable_fen']))}"
        deferred = int(f.get("deferred_fen") or 0)
        return text + (f", paid after employment is proven {money(deferred)}" if deferred else "")
    if code == "amount_standard":
        if "per_hour_fen" in f:
            return f"Paid by hour: {money(int(f['per_hour_fen']))}/hour × {f.get('hours')} hours = {money(int(f['amount_fen']))}"
        if "units" in f:
            unit = "months" if "个月" in message else "years"
            text = (
                f"Standard {money(int(f['rate_fen']))}/{unit[:-1]} × {f['units']} {unit} (at most {f['max_units']}) "
                f"= {money(int(f['amount_fen']))}"
            )
            if f.get("units_declared"):
                text += (
                    f"; {f['units_declared']} {unit} applied for, {f.get('units_worked')} worked since the hire — "
                    f"only {unit} already worked are paid"
                    if int(f.get("units_worked") or 0) < int(f["units_declared"])
                    and int(f.get("units_worked") or 0) <= int(f["max_units"])
                    else f"; {f['units_declared']} {unit} applied for, above the policy's maximum"
                )
            return text
        if "amount_fen" in f:
            return f"Standard amount {money(int(f['amount_fen']))}"
    return message


def claim_status_label(status: str, *, recovering: bool) -> str:
    """A claim's status as people read it: a clawed-back claim reads 追回中 while an approved recovery order on it
    still owes, and 已追回 only once nothing is owed (docs/sanctions.md)."""
    if status == ClaimStatus.CLAWED_BACK and recovering:
        return str(RecoveryStatus.OPEN.label)
    return str(ClaimStatus(status).label) if status in ClaimStatus.values else gettext("其他")
