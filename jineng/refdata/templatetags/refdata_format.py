"""Template filters of the public reference pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: object) -> str:
    """7000000 → 7,000,000 whatever the active locale (the zh-hans format does not group digits)."""
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)
