"""联系电话 — phone numbers: a mainland mobile (11 digits) or a landline with its area code."""

from __future__ import annotations

import re
import unicodedata

from jineng.rules.idcard import IdRejection

E_PHONE = IdRejection("phone_bad_format", "手机号码格式不正确（应为11位手机号码，或带区号的固定电话）。")

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3})(\d{7,8})")
_STRIP = re.compile(r"[\s\u00a0\u3000()（）-]+")


def normalize_phone(raw: str | None) -> str | IdRejection:
    """A mobile as 11 digits (``+86``/``86`` dropped); a landline as its digits with area code; empty stays."""
    text = _STRIP.sub("", unicodedata.normalize("NFKC", raw or ""))
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if _MOBILE.fullmatch(text):
        return text
    if _LANDLINE.fullmatch(text):
        return text
    return E_PHONE
