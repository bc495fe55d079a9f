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


# A resident ID number has a structure (region, birth date, serial, check character); matching the structure
# rather than any 18 digits finds IDs glued to letters ("ID440106…") without masking hex digests (an attachment's
# SHA-256) or other long numbers. First-generation 15-digit numbers are still found in old records.
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID_PATTERN = re.compile(
    rf"(?<!\d)(?:[1-9]\d{{5}}(?:18|19|20)\d{{2}}{_DATE}\d{{3}}[\dXx]|[1-9]\d{{7}}{_DATE}\d{{3}})(?!\d)"
)
# A mobile number, optionally with +86 and separators; not inside a hexadecimal token such as a digest.
_PHONE_PATTERN = re.compile(
    r"(?<![0-9A-Fa-f])(?P<cc>(?:\+?86[- ]?)?)(?P<head>1[3-9]\d)(?P<s1>[- ]?)\d{4}(?P<s2>[- ]?)(?P<tail>\d{4})(?![0-9A-Fa-f])"
)


def _mask_phone_match(m: re.Match[str]) -> str:
    return f"{m['cc']}{m['head']}{m['s1']}****{m['s2']}{m['tail']}"


def scrub_text(text: str) -> str:
    """Mask anything that looks like an ID number or a mobile phone inside free text (logs, error reports)."""
    text = _ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_PATTERN.sub(_mask_phone_match, text)


# A bank card or account number inside free text: 12–19 digits standing alone (not part of a longer number or of a
# code with letters, such as a claim number).
_ACCOUNT_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])")


def scrub_public_text(text: str) -> str:
    """Free text fit for a public page: ``scrub_text`` (ID numbers, phones) and bank accounts masked as well."""
    return _ACCOUNT_PATTERN.sub(lambda m: mask_bank_account(m.group(0)), scrub_text(text or ""))
