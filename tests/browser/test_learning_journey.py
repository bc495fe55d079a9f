"""Online learning in a real browser: the platform's staff open 线上学习 from the menu, issue an LRS credential (the
secret shown once) and revoke it; the class's county official finds the learner (masked), the platform of the
region and the statements that match no enrollment, and opens the learner's day-by-day evidence."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _world(make_account: Any) -> dict[str, Any]:
    from jineng.accounts.models import Organization
    from jineng.learning import services
    from jineng.learning.demo import _session
    from jineng.learning.models import LearnerAccount
    from jineng.training.tests.conftest import at
    from jineng.training.tests.scope import _enrollment

    enrollment = _enrollment("440106")
    platform = Organization.objects.get(pk=enrollment.organization_id)
    services.credential_create(actor=None, organization=platform)
    authority = {"objectType": "Agent", "account": {"homePage": "http://testserver/xapi/", "name": "k"}}
    day = enrollment.training_class.start_date
    services.statements_store(organization=platform, authority=authority, version="2.0.0", attachments={},
                              statements=_session("stranger-1", "https://example.invalid/c", at(day, 19), 60))  # fmt: skip
    account = LearnerAccount.objects.create(
        organization=platform, home_page="https://example.invalid/", name="enr-77", enrollment_id=enrollment.pk,
        training_class_id=enrollment.training_class_id, class_code=enrollment.training_class.code,
        person_name_masked="探*", person_id=enrollment.person_id, region_id="440106",
        provider_organization_id=platform.pk, online_hours=2,
        lines=[{"day": day.isoformat(), "hours": 2, "text": f"{day.isoformat()}: 95 分钟 min ÷ 45 → 2 学时"}],
    )  # fmt: skip
    make_account("provider_staff", username="lrs_staff", organization=platform)
    make_account("county_official", username="lrs_county", region="440106")
    return {"platform": platform, "account": account}


def test_platform_credentials_and_the_county_view(server, page, new_page, login, make_account, console, shot):
    world = _world(make_account)
    login(page, "lrs_staff")
    page.get_by_role("link", name=re.compile("线上学习|Online learning")).first.click()
    expect(page.locator("#lrs-accounts")).to_contain_text("enr-77")
    page.get_by_role("button", name=re.compile("签发新凭据|Issue")).click()
    expect(page.locator("#lrs-issued")).to_be_visible()
    key = page.locator("#lrs-issued code").inner_text().split(" ")[0]
    shot(page, "learning-platform-credentials")
    page.reload()
    expect(page.locator("#lrs-issued")).to_have_count(0)  # the secret is shown once
    row = page.locator(".lrs-credentials tr", has_text=key)
    row.get_by_role("button", name=re.compile("吊销|Revoke")).click()
    expect(page.locator(".lrs-credentials tr", has_text=key)).to_contain_text(re.compile("已吊销|Revoked"))

    page = new_page()  # the county official in a browser of their own
    login(page, "lrs_county")
    page.goto(f"{server}/learning/")
    expect(page.locator("#lrs-platforms")).to_contain_text(world["platform"].name)
    expect(page.locator("#lrs-unknown")).to_contain_text("stranger-1")
    page.get_by_role("link", name="探*").click()
    expect(page.locator("#lrs-lines")).to_contain_text("2 学时")
    shot(page, "learning-county-evidence")
    assert not console.csp_violations() and not console.script_errors()
