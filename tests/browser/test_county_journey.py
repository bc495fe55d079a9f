"""A county official's day in the browser: register a person by form (the service's errors beside the fields),
find a person by ID number (exact, posted, masked, in scope), open the archive, approve a class from the review
queue, and 初审 a training-subsidy claim. Then the same pages on a 390×844 phone. Screenshots:
var/screens/h7/county-*.png."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.chain_world import PHONE, build, id_number, no_sideways_scroll, screen, submitted_class

pytestmark = pytest.mark.browser


def _claim_waiting_for_first_review(world: dict[str, Any]) -> Any:
    """A class completed through the services, its trainee's claim submitted by the provider and 受理 by the
    county's window clerk: 待初审."""
    from jineng.subsidies.services.claims import ClaimInput, claim_submit
    from jineng.subsidies.services.review import claim_accept
    from jineng.training.models import Enrollment
    from jineng.training.services import attendance, classes, completion

    tc = submitted_class(world, ["孙结业"], first_seq=70)
    tc = classes.class_review(actor=world["county"], training_class=tc, approved=True, opinion="同意")
    session = tc.sessions.get()
    tc = classes.class_start(actor=world["staff"], training_class=tc)
    e = Enrollment.objects.get(training_class=tc)
    attendance.attendance_record(actor=world["staff"], device="FACE-01", events=[
        attendance.AttendanceInput(event_id="1", enrollment=e.pk, kind="in", at=session.starts_at, method="face"),
        attendance.AttendanceInput(event_id="2", enrollment=e.pk, kind="out", at=session.ends_at, method="face"),
    ])  # fmt: skip
    completion.class_complete(actor=world["staff"], training_class=tc)
    claim = claim_submit(actor=world["staff"], data=ClaimInput(
        subsidy_type="training", event_ref=str(e.pk), applicant_kind="provider",
        applicant_org_id=tc.organization_id, payee_bank="中国建设银行", payee_account="6217003320001234567",
    ))  # fmt: skip
    return claim_accept(actor=world["clerk"], claim=claim)


def test_county_official_journey(server: str, new_page: Any, make_account: Any, login: Any) -> None:
    from jineng.registry.models import Person
    from jineng.subsidies.models import Claim
    from jineng.training.services import classes

    world = build(make_account)
    claim = _claim_waiting_for_first_review(world)
    submitted = submitted_class(world, ["周学员", "吴学员"], first_seq=80, tomorrow=True)
    page = new_page()
    login(page, "th_official")

    # 1. Register a person by form; a wrong check character comes back beside the number.
    page.goto(f"{server}/persons/")
    expect(page.locator("main")).not_to_contain_text("/api/v1/persons/search")
    page.get_by_role("link", name="登记人员").click()
    number = id_number(31, born="19880808")
    page.get_by_label("姓名").fill("郑窗口")
    page.get_by_label("证件号码").fill(number[:-1] + ("0" if number[-1] != "0" else "1"))
    page.get_by_label("手机号码").fill("13800138031")
    page.get_by_label("居住地（县、市、区）").select_option("440106")
    page.get_by_label("失业人员").check()
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#id_id_number_error")).to_be_visible()
    screen(page, "county-01-register-error")
    page.get_by_label("证件号码").fill(number)
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("main h1")).to_contain_text("郑窗口")
    assert Person.objects.filter(name="郑窗口").count() == 1
    screen(page, "county-02-registered-archive")

    # 2. Find by ID number from the persons page: exact, masked, and the archive opens from the result.
    page.goto(f"{server}/persons/")
    page.get_by_label("按证件号码查找").fill(number)
    page.get_by_role("button", name="查找").click()
    results = page.locator("#find-results")
    expect(results).to_contain_text("郑窗口")
    expect(results).to_contain_text(number[:4] + "**********" + number[-4:])
    expect(page.locator("body")).not_to_contain_text(number)
    assert number not in page.url
    screen(page, "county-03-find-by-number")
    results.get_by_role("link", name="郑窗口").click()
    expect(page.locator("main h1")).to_contain_text("郑窗口")

    # 3. Approve a class from the review queue.
    page.get_by_role("link", name="开班审核", exact=True).click()
    row = page.locator("tr", has_text=submitted.code)
    expect(row).to_be_visible()
    screen(page, "county-04-review-queue")
    row.get_by_role("link", name=submitted.code).click()
    expect(page.locator("#roster")).to_contain_text("周学员")
    page.get_by_label("审核结论").select_option(label="通过")
    page.get_by_label("审核意见").fill("材料齐全，同意开班")
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".jn-class-status")).to_have_text("已批准")
    submitted.refresh_from_db()
    assert submitted.status == classes.ClassStatus.APPROVED

    # 4. 初审 a training-subsidy claim.
    page.goto(f"{server}/subsidies/claims/{claim.pk}/")
    expect(page.locator("main")).to_contain_text(claim.number)
    page.get_by_label("初审意见").fill("材料齐全，出勤达标")
    page.get_by_role("button", name="初审通过").click()
    expect(page.locator("main")).to_contain_text("初审通过，待复审")
    screen(page, "county-05-first-review")
    assert Claim.objects.get(pk=claim.pk).status == "first_passed"

    # 5. The same pages on a phone.
    phone = new_page(**PHONE)
    login(phone, "th_official")
    for name, url in [("persons", "/persons/"), ("register", "/persons/new/"), ("queue", "/training/review/"),
                      ("claim", f"/subsidies/claims/{claim.pk}/")]:  # fmt: skip
        phone.goto(f"{server}{url}")
        expect(phone.locator("main h1")).to_be_visible()
        no_sideways_scroll(phone)
        screen(phone, f"county-phone-{name}")
    phone.goto(f"{server}/persons/")
    phone.get_by_label("按证件号码查找").fill(number)
    phone.get_by_role("button", name="查找").click()
    expect(phone.locator("#find-results")).to_contain_text("郑窗口")
    screen(phone, "county-phone-find")
    assert re.search(r"/persons/find/$", phone.url)
