"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Run with ``pytest -m browser -p no:xdist``. Every page a test opens collects the browser console; a test fails when
any message mentions the Content-Security-Policy (an inline style or script slipped in) or a script throws.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "Browser-test-2026"
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread, which makes Django refuse the (synchronous) ORM
    # calls the tests make to arrange data; allow them while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def regions(transactional_db: Any) -> None:
    """The region tree for a live-server test.

    The live server needs a transactional database, and pytest-django flushes every table after such a test, so the
    tree loaded once at database setup is gone from the second test on: load it again when it is missing. Measured
    (7 000 codes, SQLite): the loader takes about 1 s; copying the rows back from a snapshot with bulk_create was
    slower, and serialized_rollback does not hold the tree (it is loaded after the snapshot is taken) and collides
    with the content types that migrations create.
    """
    from jineng.refdata.loaders import load_regions
    from jineng.refdata.models import Region
    from jineng.refdata.regions import region_cache_clear

    if not Region.objects.filter(code="440106").exists():
        load_regions(None)
    region_cache_clear()


@dataclass
class Console:
    """Every console message and uncaught page error of one test's pages."""

    messages: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if re.search(r"content security policy", m, re.IGNORECASE)]

    def script_errors(self) -> list[str]:
        return [m for m in self.messages if m.startswith("pageerror:")]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def new_page(browser: Any, console: Console) -> Iterator[Callable[..., Any]]:
    """new_page(width=…, height=…) → a page in a fresh context (own cookies), console collected."""
    contexts: list[Any] = []

    def make(width: int = DESKTOP["width"], height: int = DESKTOP["height"], **context_args: Any) -> Any:
        context_args.setdefault("locale", "zh-CN")  # an official's browser; the language switch is tested separately
        context = browser.new_context(viewport={"width": width, "height": height}, **context_args)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda msg: console.messages.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: console.messages.append(f"pageerror: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert console.csp_violations() == [], console.csp_violations()
    assert console.script_errors() == [], console.script_errors()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized (1366×768) page."""
    return new_page()


@pytest.fixture
def server(live_server: Any, regions: None) -> str:
    """The live server's base URL, with the region tree in place."""
    return str(live_server.url)


@pytest.fixture
def make_account(regions: None) -> Callable[..., Any]:
    """make_account("county_official", region="440106") → a user with that grant and the password PASSWORD."""
    from jineng.accounts.services import grant_create, user_create

    def make(
        function: str | None,
        *,
        username: str,
        region: str | None = None,
        organization: Any = None,
        display_name: str = "",
    ) -> Any:
        user = user_create(actor=None, username=username, password=PASSWORD, display_name=display_name)
        if function:
            grant_create(actor=None, user=user, function=function, region_code=region, organization=organization)
        return user

    return make


@pytest.fixture
def login(server: str) -> Callable[..., None]:
    """login(page, username) signs in through the login form and waits for the home page."""

    def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
        page.goto(f"{server}/login/")
        page.get_by_label(re.compile("用户名|Username")).fill(username)
        page.get_by_label(re.compile("密码|Password")).fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(re.escape(server) + r"/(\?.*)?$|/login/otp/"))
        if "/login/otp/" in page.url:
            second_factor(page, username)
        page.wait_for_url(f"{server}/")

    return sign_in


def second_factor(page: Any, username: str) -> None:
    """The TOTP step, as the user's authenticator app would do it: enrol on the first sign-in, else type a code."""
    import pyotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if "/login/otp/setup/" in page.url:
        secret = page.locator("#jn-otp-secret").inner_text().replace(" ", "")
        page.locator("#id_token").fill(pyotp.TOTP(secret).now())
        page.locator("#jn-otp-form button[type=submit]").click()
        page.wait_for_url(re.compile("/login/otp/recovery/"))
        page.locator("main a.btn-primary").click()
        return
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    # A code is accepted once per 30 s window: a test that signs the same account in twice would wait; forget
    # the last use instead (what a fresh window would do).
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    page.locator("#id_token").fill(pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now())
    page.locator("#jn-otp-form button[type=submit]").click()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """shot(page, "name") saves a full-page PNG to test-artifacts/screenshots/ and returns its path."""

    def save(page: Any, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save
