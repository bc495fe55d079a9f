"""The shell in a real browser: sign-in and lockout, the home page per role, the language switch, layout, logout."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PRIMARY_RGB = "rgb(29, 79, 145)"  # --jn-primary in static/web/jineng.css


def stat_value(page: Any, title: str) -> str:
    card = page.locator(".jn-stat", has=page.locator(".jn-stat-title", has_text=title))
    return str(card.locator(".jn-stat-value, .jn-stat-text").inner_text()).strip()


def test_county_official_signs_in_and_home_shows_their_grant_and_real_counts(
    server: str, page: Any, new_page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.common.audit.services import audit_record
    from jineng.common.jobs.models import Job, JobStatus
    from jineng.common.models import AuditEntry

    make_account("county_official", username="tianhe", region="440106", display_name="天河区人社局 经办")
    audit_record(actor=None, action="probe.in", object_type="probe", region_code="440106")
    audit_record(actor=None, action="probe.out", object_type="probe", region_code="440104")  # 越秀: out of scope
    Job.objects.create(kind="probe", region_code="440106", status=JobStatus.RUNNING)
    Job.objects.create(kind="probe", region_code="440106", status=JobStatus.SUCCEEDED)
    Job.objects.create(kind="probe", region_code="440104", status=JobStatus.QUEUED)

    login(page, "tianhe")

    expect(page.locator(".jn-page-sub")).to_contain_text("天河区（440106）")
    grants = page.locator("main table").last
    expect(grants).to_contain_text("县级经办")
    expect(grants).to_contain_text("天河区（440106）")
    # An official's workbench lists their to-dos (issue 15), not the administrator's audit/job/parameter counts.
    expect(page.locator(".card-header", has_text="待办")).to_be_visible()
    expect(page.get_by_text("当前没有等待您办理的事项。")).to_be_visible()
    expect(page.get_by_text("近7天审计事件")).to_have_count(0)
    expect(page.get_by_text("辖区内用户")).to_have_count(0)  # a county official manages no users

    # The counts are the administrator's, and count only their scope.
    make_account("sysadmin", username="tianhe-admin", region="440106")
    admin_page = new_page()
    login(admin_page, "tianhe-admin")
    in_scope = AuditEntry.objects.filter(region_code="440106").count()
    assert in_scope < AuditEntry.objects.count()  # the entry of 440104 exists and must not be counted
    assert stat_value(admin_page, "近7天审计事件") == str(in_scope)
    assert stat_value(admin_page, "运行中的作业") == "1"
    assert stat_value(admin_page, "现行参数调整") == "0"

    # The stylesheets are served by the live server and applied: the top bar has the shell's colour, Bootstrap's
    # reboot is in force, and the CJK font is the one fonts-noto-cjk installs.
    assert page.eval_on_selector(".jn-topbar", "e => getComputedStyle(e).backgroundColor") == PRIMARY_RGB
    assert page.eval_on_selector("body", "e => getComputedStyle(e).margin") == "0px"
    assert "Noto Sans CJK SC" in page.eval_on_selector("body", "e => getComputedStyle(e).fontFamily")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '技能')")
    shot(page, "home-county-official")


def test_home_for_provider_staff_and_worker_shows_their_own_rows(
    server: str, new_page: Any, make_account: Any, make_org: Any, login: Any, shot: Any
) -> None:
    org = make_org(region="440106", kind="provider", name="广州市天河区职业培训学校")
    make_account("provider_staff", username="teacher", organization=org, display_name="教务 王老师")
    make_account("provider_staff", username="teacher2", organization=org)
    make_account("worker", username="worker", display_name="李明")

    page = new_page()
    login(page, "teacher")
    assert stat_value(page, "所属机构") == "广州市天河区职业培训学校"
    assert stat_value(page, "本机构账号") == "2"
    expect(page.locator(".jn-stat", has_text="所属机构")).to_contain_text("培训机构 · 天河区")
    expect(page.locator("main table").last).to_contain_text("培训机构人员")
    expect(page.get_by_text("近7天审计事件")).to_have_count(0)
    shot(page, "home-provider-staff")

    page = new_page()
    login(page, "worker")
    assert stat_value(page, "实名档案") == "未关联"
    expect(page.locator("main table").last).to_contain_text("本人记录")
    nav = page.locator("#jn-sidebar")
    expect(nav.get_by_role("link", name="我的账号")).to_be_visible()
    for officials_only in ("参数设置", "审计日志", "用户与授权", "作业"):
        expect(nav.get_by_role("link", name=officials_only)).to_have_count(0)


def test_wrong_password_five_times_locks_the_account_out(server: str, page: Any, make_account: Any, shot: Any) -> None:
    make_account("county_official", username="yuexiu", region="440104")
    page.goto(f"{server}/login/")
    statuses = []
    for _attempt in range(5):
        page.get_by_label("用户名").fill("yuexiu")
        page.get_by_label("密码").fill("not-the-password")
        with page.expect_navigation() as navigation:
            page.locator("main form button[type=submit]").click()
        statuses.append(navigation.value.status)
        if page.locator(".jn-login").count():
            # The same words for a wrong password as for an unknown user: nothing leaks.
            expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确。")
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    expect(page.get_by_role("heading", name="登录失败次数过多")).to_be_visible()

    # Locked: even the right password is refused now.
    page.goto(f"{server}/login/")
    page.get_by_label("用户名").fill("yuexiu")
    page.get_by_label("密码").fill("Browser-test-2026")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="登录失败次数过多")).to_be_visible()
    assert page.url != f"{server}/"  # not signed in: the home page was not reached
    shot(page, "locked-out")


def test_language_switch_to_english_and_back(server: str, page: Any, make_account: Any, login: Any, shot: Any) -> None:
    make_account("city_official", username="gz", region="440100")
    login(page, "gz")
    nav = page.locator("#jn-sidebar")
    expect(nav.get_by_role("link", name="工作台")).to_be_visible()
    assert page.get_attribute("html", "lang") == "zh-CN"

    page.get_by_role("button", name="English").click()
    expect(nav.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Dashboard")
    expect(page.locator("main table").last).to_contain_text("City official")
    assert page.get_attribute("html", "lang") == "en"
    assert page.url == f"{server}/"  # the switch returns to the page it was pressed on
    page.goto(f"{server}/settings/")
    expect(page.locator("main h1")).to_have_text("Settings")
    shot(page, "settings-english")

    page.get_by_role("button", name="中文").click()
    expect(page.locator("main h1")).to_have_text("参数设置")
    expect(nav.get_by_role("link", name="工作台")).to_be_visible()
    assert page.get_attribute("html", "lang") == "zh-CN"


def test_layout_at_1366_and_on_a_phone(server: str, new_page: Any, make_account: Any, login: Any, shot: Any) -> None:
    make_account("sysadmin", username="ops", region="440000", display_name="省厅 系统管理员")
    pages = ["/", "/settings/", "/users/", "/account/", "/audit/", "/jobs/"]

    desktop = new_page(1366, 768)
    login(desktop, "ops")
    sidebar = desktop.locator("#jn-sidebar")
    expect(sidebar).to_be_visible()
    expect(desktop.locator(".jn-toggler")).to_be_hidden()
    box = sidebar.bounding_box()
    main_box = desktop.locator("#main").bounding_box()
    assert box["x"] == 0 and main_box["x"] >= box["width"]  # sidebar beside the content, not over it
    for path in pages:
        desktop.goto(f"{server}{path}")
        assert desktop.evaluate("document.documentElement.scrollWidth") <= 1366, path
    desktop.goto(f"{server}/users/")
    shot(desktop, "users-1366")

    phone = new_page(390, 844, is_mobile=True, has_touch=True)
    login(phone, "ops")
    sidebar = phone.locator("#jn-sidebar")
    expect(sidebar).to_be_hidden()
    for path in pages:
        phone.goto(f"{server}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    phone.goto(f"{server}/")
    shot(phone, "home-phone")

    phone.locator(".jn-toggler").click()
    expect(sidebar).to_be_visible()
    expect(sidebar).to_have_class(re.compile(r"\bshow\b"))
    shot(phone, "menu-phone", full_page=False)
    sidebar.get_by_role("link", name="参数设置").click()
    phone.wait_for_url(f"{server}/settings/")
    expect(phone.locator("main h1")).to_have_text("参数设置")
    expect(phone.locator("#jn-sidebar")).to_be_hidden()


def test_logout(server: str, page: Any, make_account: Any, login: Any, shot: Any) -> None:
    make_account("county_official", username="leaver", region="440106")
    login(page, "leaver")
    page.locator(".jn-user").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{server}/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    shot(page, "login")
    page.goto(f"{server}/settings/")
    assert page.url.startswith(f"{server}/login/")  # the session is gone
