"""Helpers for tests that sign in through the pages, second factor included."""

from __future__ import annotations

import base64
import re
from typing import Any

import pyotp


def totp_now(secret_base32: str) -> str:
    return pyotp.TOTP(secret_base32.replace(" ", "")).now()


def enroll_second_factor(client: Any) -> tuple[str, list[str]]:
    """Enrol the signed-in user's authenticator through /login/otp/setup/; returns (secret, recovery codes)."""
    html = client.get("/login/otp/setup/").content.decode()
    secret = re.search(r'id="jn-otp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    base64.b32decode(secret + "=" * (-len(secret) % 8))  # a real base32 key
    response = client.post("/login/otp/setup/", {"token": totp_now(secret), "next": "/"})
    assert response.status_code == 302, response.content.decode()[:2000]
    codes = re.findall(
        r'<code class="user-select-all">([^<]+)</code>', client.get(response["Location"]).content.decode()
    )
    return secret, codes
