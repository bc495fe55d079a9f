"""Masking of personal data for display: everywhere by default (pages, API, exports, logs, admin).

``4401**********123X`` for an ID number (first four, last four), ``138****5678`` for a phone, a bank account
keeps its last four. Revealing the full value is a separate, permissioned and audited operation.
"""

from __future__ import annotations

import re


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_bank_account(value: str | None) -> str:
    if not value:
        return ""
    value = value.replace(" ", "")
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_name(value: str | None) -> str:
    """Public lists (公示, verification) show a name as 张*三 / 李* ."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


_ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_PHONE_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def scrub_text(text: str) -> str:
    """Mask anything that looks like an ID number or a mobile phone inside free text (logs, error reports)."""
    text = _ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_PATTERN.sub(lambda m: m.group(1) + "****" + m.group(3), text)
