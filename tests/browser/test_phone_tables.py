"""On a 390×844 phone (issue 15): a list table scrolls sideways instead of squeezing names to one character a line,
and the public plan indicators keep 完成, 进度 and 状态 on screen (each row a labelled card). Screenshots:
test-artifacts/screenshots/phone-*.png."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_list_keeps_names_readable_and_scrolls_sideways_on_a_phone(
    server: str, new_page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.providers.services.organizations import ProfileData, profile_create
    from jineng.subsidies.tests.conftest import credit_code

    for name in ["广州市天河区职业技能培训学校", "广州市天河区高级技工学校附属培训中心", "广州智造科技有限公司"]:
        profile_create(actor=None, kind="enterprise", name=name, credit_code=credit_code("440106"), region_code="440106",
                       data=ProfileData(address="广州市天河区某路1号"), check_permission=False)  # fmt: skip
    make_account("county_official", username="tianhe", region="440106", display_name="天河区人社局 经办")
    page = new_page(**PHONE)
    login(page, "tianhe")
    page.goto(f"{server}/providers/")
    cell = page.locator("main table tbody tr td").first
    assert "广州" in cell.inner_text()
    font = page.eval_on_selector("main table tbody td", "e => parseFloat(getComputedStyle(e).fontSize)")
    # At least about seven characters a line (was one or two), the table wider than its scrolling box.
    assert cell.bounding_box()["width"] >= 7 * font
    wrapper = page.locator("main .table-responsive").first
    assert wrapper.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # only the table scrolls
    shot(page, "phone-providers")


def test_the_public_indicators_keep_actual_progress_and_status_on_a_phone(server: str, new_page: Any, shot: Any):
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Plan

    if not Plan.objects.filter(code="guangdong-2021").exists():  # a live-server test flushes the tables after it
        load_all(["levels", "plans", "plan_targets"])
    page = new_page(**PHONE)
    page.goto(f"{server}/indicators/public/?plan=guangdong-2021&year=2025")
    row = page.locator("main table tbody tr").first
    for label in ["完成", "进度", "状态"]:
        cell = row.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, label
    shot(page, "phone-public-indicators")


def test_the_end_early_button_of_an_apprentice_is_on_screen_on_a_phone(
    server: str, new_page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    """The apprentices' table stacks each row as a labelled card: 中途终止 is reachable without swiping sideways."""
    from jineng.accounts.models import Organization
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Occupation
    from jineng.training.tests.scope import _apprentice

    if not Occupation.objects.filter(level="occupation").exists():  # a live-server test flushes the tables after it
        load_all(["levels", "occupations"])
    a = _apprentice("440106")
    Organization.objects.filter(pk=a.apprenticeship.enterprise_org_id).update(kind="enterprise")
    make_account("enterprise_hr", username="appr_hr", organization=a.apprenticeship.enterprise_org)
    page = new_page(**PHONE)
    login(page, "appr_hr")
    page.goto(f"{server}/training/apprenticeships/{a.apprenticeship_id}/")
    button = page.locator("#apprentices a", has_text="中途终止")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-apprentices")
    button.click()
    page.wait_for_url(f"**/apprentices/{a.pk}/**")
