"""Unified identity (统一身份认证) on a phone: the worker chooses it on the login page, signs in at the real OpenID
Connect provider (idp/, oidc-provider) and lands on their own home; a registry person with no account gets one at
the first sign-in; an identity matching no person is offered registration."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from jineng.accounts.tests.idp import identity, use_provider
from tests.browser.idp_pages import sign_in_through_provider

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _person(login: str) -> Any:
    from jineng.registry.api import person_create

    who = identity(login)
    return person_create(actor="test", name=who["name"], id_number=who["id_number"], residence_region="440106",
                         check_permission=False)  # fmt: skip


def test_a_worker_signs_in_through_unified_identity_on_a_phone(
    server: str, oidc_provider_live: Any, settings: Any, new_page: Any, shot: Any
) -> None:
    from jineng.accounts.models import Grant, User

    use_provider(settings, oidc_provider_live)
    person = _person("liming")
    user = User.objects.create_user(username="wk-liming", display_name="李明", person_id=person.pk)
    Grant.objects.create(user=user, function="worker")

    page = new_page(**PHONE)
    page.goto(f"{server}/login/")
    expect(page.get_by_role("link", name="使用统一身份认证登录")).to_be_visible()
    shot(page, "oidc-login-phone")
    sign_in_through_provider(page, server, "liming")
    page.wait_for_url(f"{server}/")
    expect(page.locator("body")).to_contain_text("李明")
    shot(page, "oidc-worker-home-phone")
    page.goto(f"{server}/persons/me/")
    page.wait_for_url(f"{server}/persons/{person.pk}/")
    shot(page, "oidc-worker-archive-phone")


def test_first_sign_in_creates_the_account_and_no_match_is_offered_registration(
    server: str, oidc_provider_live: Any, settings: Any, new_page: Any, shot: Any
) -> None:
    from jineng.accounts.models import User

    use_provider(settings, oidc_provider_live)
    person = _person("wangfang")
    page = new_page(**PHONE)
    sign_in_through_provider(page, server, "wangfang")
    page.wait_for_url(f"{server}/")
    assert User.objects.filter(person_id=person.pk).count() == 1
    expect(page.locator("body")).to_contain_text("王芳")

    stranger = new_page(**PHONE)
    sign_in_through_provider(stranger, server, "zhaolei")
    page_text = stranger.locator("main")
    expect(page_text).to_contain_text("尚未登记为培训对象")
    expect(stranger.get_by_role("link", name="查看培训项目")).to_be_visible()
    shot(stranger, "oidc-no-match-phone")
