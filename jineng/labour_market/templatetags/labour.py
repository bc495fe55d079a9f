"""Template filters of the labour-market pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """A whole number of yuan with thousands separators (130,200), "—" for none: a wage never reads like a code."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
