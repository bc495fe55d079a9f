"""The skill credit bank in a real browser: the county official files a recognition of a 湖南 record for a worker
(the page says a second person must review it), the province reviewer finds it on the workbench and approves it,
and the worker opens 我的学分 on a phone and sees the class, the certificate and the recognized credits."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _world(make_account: Any) -> Any:
    from jineng.credits import services
    from jineng.credits.demo import GD_RULES
    from jineng.credits.tests.conftest import certificate, completed_class
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Occupation, SkillLevel
    from jineng.registry.tests.factories import id18, make_person

    if not SkillLevel.objects.exists() or not Occupation.objects.filter(code="4-04-05-01").exists():
        load_all(["levels", "certificate_kinds", "occupations"])
    province = make_account("province_official", username="credits_gd", region="440000")
    make_account("province_official", username="credits_reviewer", region="440000")
    make_account("county_official", username="credits_county", region="440106")
    services.rules_set(actor=province, region_code="440000", valid_from=dt.date(2020, 1, 1), basis="学分银行管理办法",
                       rules=GD_RULES)  # fmt: skip
    number = id18("440106", seq=771)
    person = make_person(region="440106", name="周学分", id_number=number)
    completed_class(person, 64)
    certificate(province, person, level="grade4")
    services.credits_derive(actor=province, person_ids=[person.pk])
    worker = make_account("worker", username="credits_worker")
    worker.person_id = person.pk
    worker.save(update_fields=["person_id"])
    return number


def test_a_recognition_filed_reviewed_and_seen_by_the_worker(server, page, new_page, login, make_account, console,
                                                             shot):  # fmt: skip
    number = _world(make_account)
    login(page, "credits_county")
    page.goto(f"{server}/credits/recognitions/")
    page.get_by_role("link", name=re.compile("申请互认|Request recognition")).click()
    form = page.locator("#recognition-form")
    form.locator("#id_rec-id_number").fill(number)
    form.locator("#id_rec-name").fill("周学分")
    form.locator("#id_rec-region").select_option("440106")  # the official's own regions, by name
    form.locator("#id_rec-from_region").select_option("430100")  # picked by name: 湖南省 › 长沙市
    form.locator("#id_rec-record_ref").fill("HN-PX-2025-9")
    form.locator("#id_rec-issuer").fill("长沙市职业技能培训中心")
    form.locator("#id_rec-description").fill("电工培训结业 48 学时")
    form.locator("#id_rec-category").select_option("training")
    form.locator("#id_rec-credits").fill("3")
    form.locator("#id_rec-earned_on").fill("2025-05-01")
    form.locator("button[type=submit]").click()
    expect(page.locator("#recognition-status")).to_contain_text(re.compile("待审核|Pending"))
    expect(page.locator("main")).to_contain_text(re.compile("须由另一人审核|another person"))

    page = new_page()  # the reviewer, in a browser of their own
    login(page, "credits_reviewer")
    page.get_by_role("link", name=re.compile("长沙市 HN-PX-2025-9")).first.click()
    page.locator("#id_dec-reason").fill("原记录经湖南省平台核验无误")
    page.get_by_role("button", name=re.compile("^(认定|Recognize)$")).click()
    expect(page.locator("#recognition-status")).to_contain_text(re.compile("已认定|Recognized"))
    shot(page, "credits-recognition-approved")

    phone = new_page(**PHONE)  # the worker on a phone
    login(phone, "credits_worker")
    phone.goto(f"{server}/credits/mine/")
    expect(phone.locator("#credit-balance")).to_contain_text("11.0")  # 4 class + 4 certificate + 3 recognized
    expect(phone.locator(".jn-credit-card").first).to_be_visible()
    expect(phone.locator("main")).to_contain_text("互认 长沙市 HN-PX-2025-9")
    shot(phone, "credits-worker-phone")
    assert not console.csp_violations() and not console.script_errors()


def test_a_conversion_asked_with_consent_approved_by_another_and_seen_on_a_phone(
    server, page, new_page, login, make_account, console, shot
):
    from jineng.registry.api import person_resolve

    number = _world(make_account)
    person = person_resolve(number)
    login(page, "credits_county")
    page.goto(f"{server}/credits/persons/{person.pk}/")
    form = page.locator("#convert-form")
    form.locator("#id_conv-target").select_option("module_hours")
    form.locator("#id_conv-target_label").fill("电工安全操作模块")
    form.locator("#id_conv-credits").fill("2")
    form.locator("#id_conv-region").select_option("440106")  # picked, not typed
    form.locator("#id_conv-reason").fill("本人申请以已取得的学分免修该模块")
    form.locator("#id_conv-consent_method").select_option("signed_form")
    form.locator("#id_conv-consent_ref").fill("TH-XF-2026-0099")
    form.locator("button[type=submit]").click()
    expect(page.locator("#conversion-status")).to_contain_text(re.compile("待审核|Pending"))
    expect(page.locator("#conversion-consent")).to_contain_text("TH-XF-2026-0099")
    expect(page.locator("#decide-form")).to_have_count(0)  # not by the requester

    page = new_page()
    login(page, "credits_reviewer")
    page.get_by_role("link", name=re.compile("电工安全操作模块")).first.click()  # the workbench to-do
    page.get_by_role("button", name=re.compile("^(同意转换|Approve the conversion)$")).click()
    expect(page.locator("#conversion-status")).to_contain_text(re.compile("已转换|Converted"))
    shot(page, "credits-conversion-approved")

    official = new_page(**PHONE)  # the official's ledger on a phone keeps the amounts on screen
    login(official, "credits_county")
    official.goto(f"{server}/credits/persons/{person.pk}/")
    amount = official.locator("#credit-entries tbody tr").first.locator("td").nth(1)
    expect(amount).to_be_visible()
    box = amount.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]

    phone = new_page(**PHONE)
    login(phone, "credits_worker")
    phone.goto(f"{server}/credits/mine/")
    expect(phone.locator("#credit-balance")).to_contain_text("6.0")  # 8 less the 2 converted
    expect(phone.locator("#credit-conversions")).to_contain_text("TH-XF-2026-0099")
    shot(phone, "credits-worker-conversion-phone")
    assert not console.csp_violations() and not console.script_errors()


def test_a_conversion_asked_online_waits_for_the_worker_who_agrees_on_their_page(
    server, page, new_page, login, make_account, console, shot
):
    from jineng.registry.api import person_resolve

    number = _world(make_account)
    person = person_resolve(number)
    login(page, "credits_county")
    page.goto(f"{server}/credits/persons/{person.pk}/")
    form = page.locator("#convert-form")
    form.locator("#id_conv-target").select_option("module_hours")
    form.locator("#id_conv-target_label").fill("电工识图模块")
    form.locator("#id_conv-credits").fill("1")
    form.locator("#id_conv-region").select_option("440106")
    form.locator("#id_conv-reason").fill("本人在线申请免修")
    form.locator("#id_conv-consent_method").select_option("online")
    form.locator("#id_conv-consent_on").fill("")
    form.locator("button[type=submit]").click()
    expect(page.locator("#conversion-consent")).to_contain_text(re.compile("待本人|awaiting the person"))

    phone = new_page(**PHONE)  # the worker, on a phone
    login(phone, "credits_worker")
    expect(phone.locator("main")).to_contain_text(re.compile("1 项学分转换待您确认|1 credit conversions await"))
    phone.goto(f"{server}/credits/mine/")
    phone.get_by_role("button", name=re.compile("^(同意转换|Approve the conversion)$")).click()
    expect(phone.locator("main")).to_contain_text(re.compile("已确认同意|Consent given"))
    shot(phone, "credits-worker-online-consent")

    page = new_page()
    login(page, "credits_reviewer")
    page.get_by_role("link", name=re.compile("电工识图模块")).first.click()  # now the reviewer's to-do
    page.get_by_role("button", name=re.compile("^(同意转换|Approve the conversion)$")).click()
    expect(page.locator("#conversion-status")).to_contain_text(re.compile("已转换|Converted"))
    assert not console.csp_violations() and not console.script_errors()
