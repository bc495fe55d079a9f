"""Money in the subsidy rules: integer fen (分), never floats.

Rounding rule (docs/subsidies.md): a percentage is turned into basis points (1 % = 100 bp) and applied to an integer
amount of fen as ``amount × bp / 10000``, **rounded half up to the fen** with integer arithmetic
(``(amount × bp + 5000) // 10000``). A float (上浮) is applied once, to the table amount, before the claim cap; a
share (the employment-linked part) is computed with the same rule and the other part is the remainder, so the
parts always add up to the whole.
"""

from __future__ import annotations

ROUNDING_RULE = "金额以分为单位的整数；比例按万分比计算，四舍五入到分（(金额×万分比+5000)÷10000 取整）"
BP_PER_PERCENT = 100
BP_WHOLE = 10_000


def yuan(amount: int) -> int:
    """Whole yuan → fen."""
    return amount * 100


def percent_bp(percent: int) -> int:
    return percent * BP_PER_PERCENT


def apply_bp(amount_fen: int, bp: int) -> int:
    """``amount_fen × bp / 10000`` rounded half up to the fen. Both must be non-negative integers."""
    if amount_fen < 0 or bp < 0:
        raise ValueError("amounts and rates are non-negative")
    return (amount_fen * bp + BP_WHOLE // 2) // BP_WHOLE


def raise_by_bp(amount_fen: int, bp: int) -> int:
    """The amount floated up by ``bp`` (3000 bp = +30 %), rounded half up to the fen."""
    return apply_bp(amount_fen, BP_WHOLE + bp)


def format_fen(amount_fen: int) -> str:
    """1234567 → '12,345.67元'."""
    sign = "-" if amount_fen < 0 else ""
    whole, cents = divmod(abs(amount_fen), 100)
    return f"{sign}{whole:,}.{cents:02d}元"


def format_bp(bp: int) -> str:
    """8250 → '82.50%'."""
    whole, part = divmod(bp, 100)
    return f"{whole}.{part:02d}%"
