"""What training asks of subsidies (a higher layer) for the worker's join requests — registered by subsidies when it
loads (ADR 0007), like ``training.eligibility``:

- ``estimate(person_id, training_class)``: the 职业培训补贴 the person would get for completing the class under the
  policy in force, computed by the rules core and explained (``None``: no policy applies);
- ``vouchers(person_id, training_class)``: the person's vouchers usable for that class, as ``(code, label)``;
- ``voucher_check(person_id, code, training_class)``: raises the reason a voucher cannot be used there;
- ``voucher_use(actor, person_id, code, training_class)``: uses it (in the acceptance's transaction).

Without subsidies loaded (never in this project) no estimate is shown and no voucher can be attached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jineng.common.errors import Conflict


@dataclass(frozen=True)
class SubsidyEstimate:
    outcome: str  # the rules core's outcome (pass / fail / pending …)
    amount_fen: int
    policy: str  # the policy version's name
    lines: list[dict[str, Any]] = field(default_factory=list)  # the explanation, line by line


@dataclass
class SubsidyPort:
    estimate: Callable[[Any, Any], SubsidyEstimate | None]
    vouchers: Callable[[Any, Any], list[tuple[str, str]]]
    voucher_check: Callable[[Any, str, Any], None]
    voucher_use: Callable[[Any, Any, str, Any], Any]


_port: list[SubsidyPort] = []


def register_subsidy_port(port: SubsidyPort) -> None:
    _port[:] = [port]


def subsidy_estimate(person_id: Any, training_class: Any) -> SubsidyEstimate | None:
    return _port[0].estimate(person_id, training_class) if _port else None


def usable_vouchers(person_id: Any, training_class: Any) -> list[tuple[str, str]]:
    return _port[0].vouchers(person_id, training_class) if _port else []


def voucher_check(person_id: Any, code: str, training_class: Any) -> None:
    if not _port:
        raise Conflict("培训券暂不可用。", code="voucher_unavailable")
    _port[0].voucher_check(person_id, code, training_class)


def voucher_use(actor: Any, person_id: Any, code: str, training_class: Any) -> None:
    if not _port:
        raise Conflict("培训券暂不可用。", code="voucher_unavailable")
    _port[0].voucher_use(actor, person_id, code, training_class)
