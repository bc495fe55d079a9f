"""Check characters of national codes: 统一社会信用代码 (GB 32100-2015)."""

from __future__ import annotations

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when ``code`` is a well-formed credit code; otherwise the reason in Chinese."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return "统一社会信用代码须为18位。"
    bad = [c for c in code if c not in CREDIT_CHARSET]
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(sorted(set(bad)))}（不使用 I、O、S、V、Z）。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3–8位须为行政区划代码。"
    if credit_code_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确。"
    return None
