from __future__ import annotations

from typing import Any

from django import template

from jineng.subsidies import labels, presenters

register = template.Library()


@register.filter
def fen(value: Any) -> str:
    """Integer fen → '1,500.00元' ('¥1,500.00' under English)."""
    try:
        return labels.money(int(value))
    except (TypeError, ValueError):
        return "—"


@register.filter
def outcome_class(outcome: str) -> str:
    return {"pass": "text-bg-success", "fail": "text-bg-danger", "needs_evidence": "text-bg-warning"}.get(
        outcome, "text-bg-secondary"
    )


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def decision_label(code: str) -> str:
    """系统判定 in words (符合条件 …), never the engine's code."""
    return labels.decision_label(code)


@register.filter
def claim_status(claim: Any) -> str:
    """A claim's status label (追回中 while recovered money is still owed) — ``presenters.claim_status``."""
    return presenters.claim_status(claim)
