"""Signing in through the running OpenID Connect provider (idp/, started by ``oidc_provider_live``) from a page."""

from __future__ import annotations

import re
from typing import Any

from jineng.accounts.tests.idp import DEMO_PASSWORD


def sign_in_through_provider(page: Any, server: str, login: str) -> None:
    """From the login page: 使用统一身份认证登录, then the provider's own sign-in form as ``login``."""
    page.goto(f"{server}/login/")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    page.wait_for_url(re.compile(r"/interaction/"))
    page.get_by_label(re.compile("账号")).fill(login)
    page.get_by_label(re.compile("密码")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
