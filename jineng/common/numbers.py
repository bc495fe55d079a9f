"""Whole numbers typed by a caller (页码、年度、天数、名次): ASCII digits only.

``str.isdigit()`` also says yes to ``²``, ``①`` and other digits ``int()`` refuses, and ``int()`` refuses a string of
more than 4300 digits: a page that wrote ``int(x) if x.isdigit() else …`` answered such input with a 500.
"""

from __future__ import annotations

from typing import Any


def int_or_none(text: Any, *, max_digits: int = 9) -> int | None:
    """The number ``text`` spells with 1..``max_digits`` ASCII digits (spaces around it ignored), else ``None``."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
