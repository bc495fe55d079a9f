"""The per-region settings of subsidies and funds, registered beside the kernel's (refdata.settings_registry).

Money bounds (金额上限, in fen): every amount a person may type or an API may send is checked against one of these in
the service, so the page, the API and the import refuse alike. Each has a hard ``maximum`` no region may set above:
with it, a sum of amounts stays far inside a 64-bit integer (10^12 fen × 9 × 10^6 rows before 2^63).

Four eyes (双人复核): 1 = the two steps of a pair must be done by different people (the safe default), 0 = the same
person may do both. Both kinds are changed only by the security administrator (``security.manage``): a finance or
review official could otherwise lift the check on their own work. The review chain's own rule (受理人 ≠ 初审人 ≠ 复审人, 复审人 ≠ 审批人) is not a setting.
"""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

# The officials these settings restrain may not change them: only the security administrator (安全管理员) may.
GUARD = "security.manage"

MAX_ALLOCATION = "ledger.max_allocation_fen"
MAX_CLAIM = "claim.max_amount_fen"
MAX_VOUCHER = "voucher.max_face_value_fen"

FOUR_EYES_REVIEW_APPROVE = "subsidy.four_eyes.review_approve"
FOUR_EYES_REVIEW_PAY = "subsidy.four_eyes.review_pay"
FOUR_EYES_BATCH_CONFIRM = "subsidy.four_eyes.batch_confirm"
FOUR_EYES_PAYEE_CHANGE = "subsidy.four_eyes.payee_change"
FOUR_EYES_REVERSAL = "subsidy.four_eyes.allocation_reversal"
FOUR_EYES_BASE_GRANT = "subsidy.four_eyes.base_grant"
FOUR_EYES_RECOVERY = "subsidy.four_eyes.recovery"
MAX_BASE_GRANT = "base_grant.max_amount_fen"
ADVANCE_PERCENT = "apprenticeship.advance_percent"

_SPECS = [
    # ¥1 亿 for one allocation (ceiling ¥100 亿); ¥5 万 for one claim (the largest demo policy pays ¥8,500 a year);
    # ¥1 万 for a voucher's face value.
    SettingSpec(MAX_ALLOCATION, "单笔资金拨入上限", int, 10_000_000_000, "分", maximum=10**12, edit_permission=GUARD),
    SettingSpec(MAX_CLAIM, "单笔补贴金额上限", int, 5_000_000, "分", maximum=10**10, edit_permission=GUARD),
    SettingSpec(MAX_VOUCHER, "培训券面值上限", int, 1_000_000, "分", maximum=10**10, edit_permission=GUARD),
    SettingSpec(
        FOUR_EYES_REVIEW_APPROVE, "受理、初审人不得审批通过（1=须不同人）", int, 1, maximum=1, edit_permission=GUARD
    ),
    SettingSpec(
        FOUR_EYES_REVIEW_PAY,
        "审核人不得拨付、导出或确认本人审核的申请（1=须不同人）",
        int,
        1,
        maximum=1,
        edit_permission=GUARD,
    ),
    SettingSpec(
        FOUR_EYES_BATCH_CONFIRM,
        "生成或导出拨付批次者不得确认回盘（1=须不同人）",
        int,
        1,
        maximum=1,
        edit_permission=GUARD,
    ),
    SettingSpec(
        FOUR_EYES_PAYEE_CHANGE, "收款信息变更须由他人审核（1=须不同人）", int, 1, maximum=1, edit_permission=GUARD
    ),
    SettingSpec(FOUR_EYES_REVERSAL, "资金拨入冲销须由他人审核（1=须不同人）", int, 1, maximum=1, edit_permission=GUARD),
    SettingSpec(
        FOUR_EYES_RECOVERY,
        "追回单须由他人复核、到账须由他人确认（1=须不同人）",
        int,
        1,
        maximum=1,
        edit_permission=GUARD,
    ),
    SettingSpec(
        FOUR_EYES_BASE_GRANT,
        "基地与工作室一次性补助须由申请人以外的人审核（1=须不同人）",
        int,
        1,
        maximum=1,
        edit_permission=GUARD,
    ),
    # DOMAIN.md: up to 50 % of the apprenticeship subsidy paid in advance (0 = no advance in the region).
    SettingSpec(ADVANCE_PERCENT, "企业新型学徒制补贴预支比例（0=不预支）", int, 50, "%", maximum=50),
    # ¥500 万 for one grant to a base or studio (ceiling ¥1 亿).
    SettingSpec(
        MAX_BASE_GRANT, "基地与工作室一次性补助上限", int, 500_000_000, "分", maximum=10**10, edit_permission=GUARD
    ),
]


def register() -> None:
    for spec in _SPECS:
        SPECS.setdefault(spec.key, spec)
