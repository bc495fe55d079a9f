"""Signing in with the second factor in a real browser: enrollment with the QR code (an SVG image under the strict CSP),
recovery codes once, a code at the next sign-in, the last sign-in shown, and the password change page."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "Browser-test-2026"


def test_enrol_then_sign_in_with_a_code(server: str, new_page: Any, make_account: Any, login: Any, shot: Any) -> None:
    make_account("county_official", username="th-otp", region="440106")
    page = new_page()
    page.goto(f"{server}/login/")
    page.get_by_label("用户名").fill("th-otp")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile("/login/otp/setup/"))
    qr = page.locator("#jn-otp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG loaded from our origin
    shot(page, "otp-enrol")
    secret = page.locator("#jn-otp-secret").inner_text().replace(" ", "")
    page.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="完成绑定").click()
    page.wait_for_url(re.compile("/login/otp/recovery/"))
    expect(page.locator("#jn-recovery-codes li")).to_have_count(10)
    shot(page, "otp-recovery-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(f"{server}/")

    # The next sign-in asks for a code (the helper types it) and tells when and where the last one was.
    second = new_page()
    login(second, "th-otp")
    expect(second.get_by_role("status").filter(has_text="上次登录")).to_contain_text("此后登录失败 0 次")


def test_change_password_from_the_user_menu(server: str, page: Any, make_account: Any, login: Any, shot: Any) -> None:
    make_account("worker", username="wk-pw")
    login(page, "wk-pw")
    page.locator(".jn-user").click()
    page.get_by_role("link", name="修改密码").click()
    page.wait_for_url(f"{server}/password/")
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password").fill("1234567890")
    page.locator("#id_new_password_again").fill("1234567890")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("密码不符合要求")
    shot(page, "password-change-refused")
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password").fill("Another-pass-2026")
    page.locator("#id_new_password_again").fill("Another-pass-2026")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("status").filter(has_text="密码已修改")).to_be_visible()
