"""Money bounds and four eyes (金额上限与双人复核) — the checks every money-moving service of the app calls.

- ``amount_checked`` refuses an amount that is not a positive integer of fen or is above the region's bound
  (``ledger.max_allocation_fen``, ``claim.max_amount_fen``, ``voucher.max_face_value_fen``; settings_specs.py), with
  a Chinese field error naming the figure and the bound.
- ``four_eyes_required`` reads a pair's setting (``subsidy.four_eyes.*``, default 1 = different people);
  ``forbid_same`` raises ``same_person_forbidden`` when the actor did the other step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from jineng.accounts.api import Actor
from jineng.common.errors import invalid
from jineng.refdata.api import setting_value
from jineng.refdata.settings_registry import SPECS
from jineng.rules.subsidy import format_fen
from jineng.subsidies.errors import SamePersonForbidden
from jineng.subsidies.services.support import today


def yuan_to_fen(text: Any, *, field: str, label: str = "金额") -> int:
    """An amount typed in yuan on a page (``1,234.5``) in fen. Text that is not an amount of at most two decimals
    (``abc``, ``Infinity``, ``1.234``) is a 422 on ``field`` naming what was typed — never 0 (the page used to
    turn it into 0, and the service's refusal of 0 did not say what was wrong)."""
    cleaned = str(text if text is not None else "").replace(",", "").replace("，", "").strip()
    if not cleaned:
        raise invalid(field=field, code="required", message=f"请填写{label}（元）。")
    try:
        yuan = Decimal(cleaned)
    except InvalidOperation:
        yuan = None
    if yuan is None or not yuan.is_finite() or yuan.as_tuple().exponent < -2:  # type: ignore[operator]
        raise invalid(
            field=field, code="bad_amount", message=f"{label}不正确：“{cleaned[:20]}”（应为元，最多两位小数）。"
        )
    return int(yuan * 100)


def max_fen(key: str, region_code: str, on: dt.date | None = None) -> int:
    """The bound of ``key`` at the region, never above the spec's hard ceiling."""
    spec = SPECS[key]
    value = int(setting_value(key, region_code, on or today()))
    return min(value, spec.maximum) if spec.maximum is not None else value


def amount_checked(amount: Any, *, field: str, label: str, key: str, region_code: str, allow_zero: bool = False) -> int:
    """``amount`` as an int of fen, 0 < amount ≤ bound (or ≥ 0 with ``allow_zero``); otherwise a field error."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise invalid(field=field, code="amount_not_integer", message=f"{label}应为整数（分）。")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise invalid(field=field, code="amount_not_positive", message=f"{label}应为正整数（分）。")
    bound = max_fen(key, region_code)
    if amount > bound:
        raise invalid(
            field=field,
            code="amount_too_large",
            message=f"{label} {format_fen(amount)} 超过上限 {format_fen(bound)}（参数 {key}）。",
        )
    return int(amount)


def four_eyes_required(pair_key: str, region_code: str, on: dt.date | None = None) -> bool:
    return int(setting_value(pair_key, region_code, on or today())) != 0


def actor_id(actor: Actor) -> Any:
    return getattr(actor, "pk", None)


def forbid_same(actor: Actor, others: Iterable[Any], *, pair_key: str, region_code: str, message: str) -> None:
    """Refuse when the actor is one of ``others`` (user ids) and the region requires different people."""
    me = actor_id(actor)
    if me is None or me not in {o for o in others if o is not None}:
        return
    if four_eyes_required(pair_key, region_code):
        raise SamePersonForbidden(message, pair=pair_key)
