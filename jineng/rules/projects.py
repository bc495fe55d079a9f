"""项目制培训结算 — pure: a training project bought by the bureau is settled on the trainees who finished its classes,
at the contracted price per trainee, never above the budget; its employment rate is measured against the target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settlement:
    trainees: int
    employed: int
    amount_fen: int
    capped: bool  # the budget cut the amount
    employment_percent: int  # employed / trainees, rounded down; 0 with no trainee
    target_met: bool


def settle(*, budget_fen: int, price_fen: int, finished: int, employed: int, target_percent: int) -> Settlement:
    for name, value in (("budget_fen", budget_fen), ("price_fen", price_fen)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} is a positive integer of fen")
    if finished < 0 or employed < 0 or employed > finished or not 0 <= target_percent <= 100:
        raise ValueError("0 ≤ employed ≤ finished and 0 ≤ target ≤ 100")
    raw = price_fen * finished
    percent = employed * 100 // finished if finished else 0
    return Settlement(finished, employed, min(raw, budget_fen), raw > budget_fen, percent, percent >= target_percent)
