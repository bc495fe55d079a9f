"""The worker's journey on a 390×844 phone (issue 25): the worker signs in through unified identity (the running
OpenID Connect provider; the first sign-in creates the account, matched by the verified ID number), applies for a voucher, finds an upcoming class with
the subsidy the policy in force would pay, asks to join it with the voucher; the provider's staff accept the request
(on a phone too), which puts the worker on the roster and uses the voucher; the department redeems it, and the
worker sees the settlement claim on their archive. Screenshots: test-artifacts/screenshots/worker-*.png."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from jineng.accounts.tests.idp import identity, use_provider
from tests.browser.chain_world import PHONE, build, no_sideways_scroll, submitted_class
from tests.browser.idp_pages import sign_in_through_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_finds_a_class_joins_with_a_voucher_and_sees_the_claim(
    server: str, new_page: Any, login: Any, make_account: Any, shot: Any, oidc_provider_live: Any, settings: Any
) -> None:
    from django.utils import timezone

    from jineng.registry.api import MembershipInput, person_create
    from jineng.subsidies.models import Claim, Voucher
    from jineng.subsidies.services import vouchers

    use_provider(settings, oidc_provider_live)
    world = build(make_account)
    tc = submitted_class(world, ["陈晓"], first_seq=301, tomorrow=True)
    today = timezone.localdate()
    person = person_create(actor="test", name="李明", id_number=identity("liming")["id_number"], residence_region="440106",
                           groups=[MembershipInput(group="unemployed", valid_from=dt.date(2021, 1, 1))],
                           check_permission=False)  # fmt: skip
    vouchers.voucher_issue_create(actor=world["city"], data=vouchers.IssueData(
        region_code="440100", kind="general", title="广州市职业培训券", content="目录内任一职业技能培训项目",
        face_value_fen=80000, valid_from=today - dt.timedelta(days=1), valid_until=today + dt.timedelta(days=90),
        quantity=10,
    ))  # fmt: skip

    page = new_page(**PHONE)
    page.set_default_timeout(60_000)  # a loaded machine: the live server's first pages are slow
    sign_in_through_provider(page, server, "liming")  # no account yet: the first sign-in makes it
    page.wait_for_url(f"{server}/")
    page.goto(f"{server}/subsidies/vouchers/mine/")
    page.locator("#voucher-open-issues button", has_text="申领").click()
    expect(page.locator("#my-vouchers")).to_contain_text("已领用")
    code = Voucher.objects.get(person=person).code
    shot(page, "worker-1-voucher")

    page.goto(f"{server}/training/find/")
    card = page.locator(".jn-find-card", has_text=tc.name)
    expect(card).to_contain_text("预计补贴 1,500.00 元")
    no_sideways_scroll(page)
    shot(page, "worker-2-find")
    card.get_by_role("link", name="详情与报名").click()
    expect(page.locator("#estimate")).to_contain_text("广东省职业技能培训补贴")
    page.locator("#j-voucher").select_option(code)
    page.locator("#j-pledge").check()
    no_sideways_scroll(page)
    shot(page, "worker-3-join")
    page.get_by_role("button", name="提交报名申请").click()
    expect(page.locator("#my-join-requests")).to_contain_text("待机构处理")
    shot(page, "worker-4-requested")

    staff = new_page(**PHONE)
    staff.set_default_timeout(60_000)
    login(staff, "px_staff")
    staff.goto(f"{server}/training/join-requests/")
    request_card = staff.locator(".jn-join-card", has_text="李明")
    expect(request_card).to_contain_text(code)
    no_sideways_scroll(staff)
    shot(staff, "worker-5-provider-requests")
    request_card.get_by_role("button", name="接收入班").click()
    expect(staff.locator(".jn-message")).to_contain_text("已接收 李明 入班")

    voucher = Voucher.objects.get(code=code)
    assert voucher.state == "used" and voucher.used_organization_id == world["profile"].organization_id
    vouchers.voucher_redeem(actor=world["province"], voucher=voucher)  # 核销 by the department
    claim = Claim.objects.get(event_key=f"voucher:{voucher.pk}")

    page.goto(f"{server}/persons/me/")
    expect(page.locator("body")).to_contain_text(claim.number)
    expect(page.locator("body")).to_contain_text(tc.name)
    no_sideways_scroll(page)
    shot(page, "worker-6-archive")
