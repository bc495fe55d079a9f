"""Administration pages in a real browser: per-region settings, users and grants, the account's API tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def bearer_get(browser: Any, url: str, secret: str) -> tuple[int, str | None]:
    """GET with only a bearer token, from a fresh browser context (no session cookie): (status, username)."""
    context = browser.new_context()
    try:
        response = context.request.get(url, headers={"Authorization": f"Bearer {secret}"})
        return response.status, response.json().get("username")
    finally:
        context.close()


def test_city_official_overrides_a_setting_and_the_county_inherits_it(
    server: str, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.refdata.models import RegionSetting

    make_account("city_official", username="gz-city", region="440100", display_name="广州市人社局 经办")
    login(page, "gz-city")
    page.goto(f"{server}/settings/")
    row = page.locator("#jn-settings-values tr[data-key='class.max_trainees']")
    expect(row).not_to_contain_text("已调整")

    form = page.locator("main form[method=post]")
    form.get_by_label("参数").select_option("class.max_trainees")
    expect(form.locator("#id_region")).to_have_value("440100")  # the official's own region, prefilled
    form.get_by_label("取值").fill("40")
    form.get_by_label("调整原因").fill("场地面积有限，按市局通知调整")
    form.get_by_role("button", name="保存").click()

    expect(page.get_by_role("status")).to_contain_text("参数已保存。")
    row = page.locator("#jn-settings-values tr[data-key='class.max_trainees']")
    expect(row.locator("td").nth(1)).to_have_text("40")
    expect(row).to_contain_text("已调整")
    expect(page.locator("main table").last).to_contain_text("场地面积有限")
    assert RegionSetting.objects.filter(key="class.max_trainees", region_id="440100", value=40).count() == 1
    shot(page, "settings-city-official")

    # Below the city the value is inherited.
    page.locator("form[role=search] input[name=region]").fill("440106")
    page.locator("form[role=search] button").click()
    row = page.locator("#jn-settings-values tr[data-key='class.max_trainees']")
    expect(row.locator("td").nth(1)).to_have_text("40")
    expect(page.locator(".card-header", has_text="现行参数")).to_contain_text("天河区（440106）")


def test_county_official_sees_settings_without_a_form(server: str, page: Any, make_account: Any, login: Any) -> None:
    make_account("county_official", username="th-county", region="440106")
    login(page, "th-county")
    page.goto(f"{server}/settings/")
    expect(page.locator("#jn-settings-values")).to_contain_text("每班人数上限")
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.locator("#jn-settings-readonly")).to_be_visible()


def test_sysadmin_creates_a_user_with_a_grant_and_a_bad_region_is_a_field_error(
    server: str, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.accounts.models import Grant, User

    make_account("sysadmin", username="gd-admin", region="440000", display_name="省厅 系统管理员")
    login(page, "gd-admin")
    page.goto(f"{server}/users/")
    form = page.locator("main form[method=post]")

    form.get_by_label("用户名").fill("new-tianhe")
    form.get_by_label("姓名").fill("天河区 新经办")
    form.get_by_label("初始密码").fill("Tianhe-start-2026")
    form.locator("#id_function").select_option("county_official")
    form.locator("#id_region").fill("999999")
    form.get_by_role("button", name="创建").click()

    region = page.locator("main form[method=post] #id_region")
    expect(region).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_region_error")).to_contain_text("行政区划代码不存在")
    assert not User.objects.filter(username="new-tianhe").exists()
    shot(page, "users-field-error")

    form = page.locator("main form[method=post]")
    expect(form.get_by_label("用户名")).to_have_value("new-tianhe")  # what was typed is kept
    form.get_by_label("初始密码").fill("Tianhe-start-2026")
    form.locator("#id_region").fill("440106")
    form.get_by_role("button", name="创建").click()

    expect(page.get_by_role("status")).to_contain_text("用户已创建。")
    row = page.locator("#jn-users tr", has_text="new-tianhe")
    expect(row).to_contain_text("天河区 新经办")
    expect(row.locator(".jn-chip")).to_have_text("县级经办 · 天河区")
    grant = Grant.objects.get(user__username="new-tianhe")
    assert (grant.function, grant.region_id) == ("county_official", "440106")


def test_account_creates_an_api_token_shown_once_then_revokes_it(
    server: str, browser: Any, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    make_account("county_official", username="integrator", region="440106")
    login(page, "integrator")
    page.goto(f"{server}/account/")
    expect(page.locator("#jn-tokens")).to_contain_text("暂无令牌。")

    page.get_by_label("令牌用途").fill("培训机构对接")
    page.get_by_role("button", name="创建令牌").click()
    secret = page.locator("#jn-new-token code").inner_text().strip()
    assert secret.startswith("jn_") and len(secret) > 30
    row = page.locator("#jn-tokens tbody tr", has_text="培训机构对接")
    expect(row).to_contain_text(secret[:10])
    expect(row).not_to_contain_text(secret)
    shot(page, "account-token-created")

    assert bearer_get(browser, f"{server}/api/v1/me", secret) == (200, "integrator")

    page.goto(f"{server}/account/")  # shown once: a later visit lists the token by its prefix only
    expect(page.locator("#jn-new-token")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(secret)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#jn-tokens tbody tr", has_text="培训机构对接").get_by_role("button", name="撤销").click()
    expect(page.get_by_role("status")).to_contain_text("令牌已撤销。")
    expect(page.locator("#jn-tokens tbody tr", has_text="培训机构对接")).to_contain_text("已撤销")
    assert bearer_get(browser, f"{server}/api/v1/me", secret) == (401, None)


def test_revoking_a_token_asks_first(server: str, page: Any, make_account: Any, login: Any) -> None:
    from jineng.accounts.models import ApiToken, User
    from jineng.accounts.services import token_create

    user = make_account("county_official", username="careful", region="440106")
    token, _secret = token_create(actor=None, user=User.objects.get(pk=user.pk), label="保留")
    login(page, "careful")
    page.goto(f"{server}/account/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#jn-tokens tbody tr", has_text="保留").get_by_role("button", name="撤销").click()
    expect(page.locator("#jn-tokens tbody tr", has_text="保留").get_by_role("button", name="撤销")).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1
