"""The main journeys walked on a fresh demo (``jineng seed --scale demo``), not on fixtures (issue 15 part B): the
demo's own accounts and records, signed in with the demo password and second factor.

- provider (demo-provider): apply for a class (draft → one trainee by form → pledge and submit), roll call on its
  running class, 结业 of the class whose last session is over (after the confirmation page);
- county official (demo-county): approve that class from the review queue, 初审 a training-subsidy claim;
- evaluator (demo-evaluator): yesterday's 补考 — results, 确认成绩 (confirmed on its page), certificates issued;
- worker (demo-worker, 李明): their archive, certificates and 培训券;
- province official (demo-province, part D): dashboard → a city → its records, 复审, a payment batch, the ledger;
- enterprise (demo-enterprise): its apprenticeship, a 以工代训 claim filed from the workbench's to-do (预审, then
  submitted), which the 越秀 county official (demo-county2) then finds waiting for 受理;
- the public (no sign-in): portal → certificate verification → the two catalogs → 补贴公示 → 就业情况.

One test, one seeding (≈ 35 s): every step reads the demo as ``make demo`` leaves it. Screenshots (1366×768 and
390×844): var/screens/demo15b/ (provider … worker) and var/screens/demo15d/ (province, enterprise, public)."""

from __future__ import annotations

import datetime as dt
import re
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.chain_world import PHONE, no_sideways_scroll

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "demo15b"
SCREENS_D = SCREENS.parent / "demo15d"
DEMO_PASSWORD = "Jineng-demo-2026"


def _screen(page: Any, name: str, where: Path = SCREENS) -> None:
    where.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(where / f"{name}.png"), full_page=True)


def _schedule(start: dt.date, days: int) -> str:
    """``days`` working days of 09:00–15:00 from ``start``: the demo programs' 120 学时."""
    lines, day = [], start
    while len(lines) < days:
        if day.weekday() < 5:
            lines.append(f"{day:%Y-%m-%d} 09:00-15:00 线下 第{len(lines) + 1}次课")
        day += dt.timedelta(days=1)
    return "\n".join(lines)


def test_the_main_journeys_on_a_fresh_demo(server: str, new_page: Any, login: Any) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from jineng.certificates.demo import RETAKE_ADDRESS
    from jineng.certificates.models import ExamSession
    from jineng.providers.models import Program
    from jineng.rules.idcard import check_character
    from jineng.subsidies.models import Claim
    from jineng.training.models import ClassStatus, TrainingClass

    started = time.monotonic()
    call_command("seed", "--scale", "demo", stdout=StringIO())
    print(f"demo seeded in {time.monotonic() - started:.0f} s")  # noqa: T201 - the browser stage's budget, in -s runs
    now = timezone.now()
    today = timezone.localdate()
    ours = TrainingClass.objects.filter(organization__name="广州市天河区职业培训学校")

    # ---- provider ---------------------------------------------------------------------------------------------
    page = new_page()
    login(page, "demo-provider", DEMO_PASSWORD)
    expect(page.locator("main")).to_contain_text("待结业")  # the workbench's to-do of the class waiting for 结业
    _screen(page, "provider-01-workbench")
    page.goto(f"{server}/training/classes/")
    expect(page.locator("main")).not_to_contain_text("（待结业）")  # named as a school names a class
    _screen(page, "provider-02-classes")

    # Apply for a class ten weeks ahead (past every demo class: its teacher is free).
    start = today + dt.timedelta(days=70 - today.weekday())
    page.goto(f"{server}/training/classes/new/")
    page.get_by_label("培训项目（本机构目录培训范围内的项目）").select_option(
        value=str(Program.objects.get(code="GD-DEMO-03").pk)
    )
    name = f"{start.year}年第9期家政服务员（四级）就业技能培训班"
    page.get_by_label("班级名称").fill(name)
    page.get_by_label("计划人数").fill("30")
    page.locator("input[name=venue_name]").fill("天河实训基地 1 楼")
    page.get_by_label("场地所在县（市、区）").select_option(label="广州市 · 天河区")
    page.get_by_label("授课教师（本机构任教的师资库教师）").select_option(index=1)
    page.get_by_label("课程安排").fill(_schedule(start, 18))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".jn-class-status")).to_have_text("草稿")
    applied = ours.get(name=name)

    # One trainee by form, then the pledge and submission.
    page.get_by_role("link", name="添加学员").click()
    body = "44010619980412003"
    page.get_by_label("证件号码").fill(body + check_character(body))
    page.get_by_label("姓名").fill("谭演示")
    page.get_by_label("失业人员").check()
    page.get_by_label(re.compile("学员已签署参训承诺")).check()
    page.get_by_role("button", name="加入花名册", exact=True).click()
    expect(page.locator("#roster")).to_contain_text("谭演示")
    page.get_by_label(re.compile("本机构承诺")).check()
    page.get_by_role("button", name="签署承诺并提交").click()
    expect(page.locator(".jn-class-status")).to_have_text("待审核")
    _screen(page, "provider-03-class-submitted")

    # Roll call on the running class (a session whose absentee the device did not record).
    running = [tc for tc in ours.filter(status=ClassStatus.RUNNING) if tc.end_date >= today]
    page.goto(f"{server}/training/classes/{running[0].pk}/roll-call/")
    open_rows = page.locator("#rollcall li").filter(has=page.locator("input[value=late]"))
    expect(open_rows.first).to_be_visible()
    open_rows.first.get_by_text("迟到").click()
    page.get_by_role("button", name="保存点名").click()
    expect(page.locator("main")).to_contain_text("点名已保存")
    _screen(page, "provider-04-roll-call")

    # 结业 of the class whose last session is over: asked first, then done.
    waiting = next(
        tc for tc in ours.filter(status=ClassStatus.RUNNING)
        if tc.sessions.order_by("-ends_at").first().ends_at < now
    )  # fmt: skip
    page.goto(f"{server}/training/classes/{waiting.pk}/")
    page.get_by_role("button", name="结业").click()
    expect(page.locator("#jn-confirm")).to_contain_text("结业不能撤回")
    _screen(page, "provider-05-confirm-completion")
    page.get_by_role("button", name="确认结业").click()
    expect(page.locator(".jn-class-status")).to_have_text("已结业")
    _screen(page, "provider-06-completed")

    # ---- county official ----------------------------------------------------------------------------------------
    page = new_page()
    login(page, "demo-county", DEMO_PASSWORD)
    page.goto(f"{server}/training/review/")
    row = page.locator("tr", has_text=applied.code)
    expect(row).to_be_visible()
    _screen(page, "county-01-review-queue")
    row.get_by_role("link", name=applied.code).click()
    # The reviewer's own actions only: no 添加学员 / 上传花名册 / 退训 of the provider's (issue 15)
    expect(page.locator("main")).to_contain_text("提交审核结论")
    for provider_action in ("添加学员", "上传花名册", "退训 / 延期 / 转班"):
        expect(page.locator("main")).not_to_contain_text(provider_action)
    page.get_by_label("审核结论").select_option(label="通过")
    page.get_by_label("审核意见").fill("材料齐全，同意开班")
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".jn-class-status")).to_have_text("已批准")

    claim = Claim.objects.filter(status="accepted", region_id="440106").order_by("submitted_at").first()
    assert claim is not None
    page.goto(f"{server}/subsidies/review/?queue=accepted")  # the 初审 tab of the claims queue
    _screen(page, "county-02-claims-queue")
    page.get_by_role("link", name=claim.number).click()
    page.get_by_label("初审意见").fill("材料齐全，出勤达标")
    page.get_by_role("button", name="初审通过").click()
    expect(page.locator("main")).to_contain_text("初审通过，待复审")
    _screen(page, "county-03-claim-first-review")

    # ---- evaluator ----------------------------------------------------------------------------------------------
    page = new_page()
    login(page, "demo-evaluator", DEMO_PASSWORD)
    retake = ExamSession.objects.get(venue_address=RETAKE_ADDRESS)
    page.goto(f"{server}/evaluation/sessions/{retake.pk}/")
    failed = page.locator("#candidates tr", has_text="刘建国")
    failed.get_by_label("理论成绩").fill("72")
    failed.get_by_label("实操成绩").fill("75")
    failed.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("成绩已录入")
    absent = page.locator("#candidates tr", has_text="周敏")
    absent.get_by_text("缺考").click()
    absent.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("成绩已录入")
    page.get_by_role("button", name="确认成绩").click()
    expect(page.locator("#jn-confirm")).to_contain_text("确认后成绩不能再修改")
    _screen(page, "evaluator-01-confirm-results")
    page.locator("#jn-confirm").get_by_role("button", name="确认成绩").click()
    expect(page.locator(".alert-success")).to_contain_text("成绩已确认")
    expect(page.locator("#candidates")).to_contain_text("刘建国")
    assert page.locator("main").inner_text().count("刘建国") == 1  # listed once (issue 15: twice after 确认成绩)
    page.get_by_role("button", name="为合格考生发证").click()
    expect(page.locator("main")).to_contain_text("发出 1 张证书")
    _screen(page, "evaluator-02-issued")
    phone = new_page(**PHONE)
    login(phone, "demo-evaluator", DEMO_PASSWORD)
    phone.goto(f"{server}/evaluation/sessions/{retake.pk}/")
    no_sideways_scroll(phone)
    _screen(phone, "evaluator-phone-session")

    # ---- worker -------------------------------------------------------------------------------------------------
    page = new_page(**PHONE)  # a worker's phone
    login(page, "demo-worker", DEMO_PASSWORD)
    # The home's cards lead to the worker's pages (the sidebar is folded away on a phone)
    page.locator("main a.jn-stat[href='/training/mine/']").click()
    expect(page.locator("h1")).to_contain_text("我的培训")
    expect(page.locator("#my-training")).to_contain_text("计算机程序设计员（四级）就业技能培训班")
    no_sideways_scroll(page)  # a card per class, not columns scrolling off
    _screen(page, "worker-phone-00-training")
    page.goto(f"{server}/persons/me/")
    expect(page.locator("main")).to_contain_text("李明")
    expect(page.locator("main")).to_contain_text("计算机程序设计员（四级）就业技能培训班")
    no_sideways_scroll(page)
    _screen(page, "worker-phone-01-archive")
    page.goto(f"{server}/certificates/mine/")
    expect(page.locator("main")).to_contain_text("计算机程序设计员")
    _screen(page, "worker-phone-02-certificates")
    page.goto(f"{server}/subsidies/vouchers/mine/")
    expect(page.locator("main")).to_contain_text("广州市职业培训券")
    no_sideways_scroll(page)
    _screen(page, "worker-phone-03-vouchers")

    _province(server, new_page, login)
    _enterprise(server, new_page, login)
    _public(server, new_page)


def _province(server: str, new_page: Any, login: Any) -> None:
    """The province official: the plan dashboard drilled to a city and its records, 复审, a payment batch, the
    ledger."""
    from jineng.subsidies.models import Claim
    from jineng.web.management.commands.seed import DEMO_PLAN

    page = new_page()
    login(page, "demo-province", DEMO_PASSWORD)
    _screen(page, "province-01-workbench", SCREENS_D)
    page.goto(f"{server}/indicators/?plan={DEMO_PLAN}&region=440000")
    page.locator("#indicator-table").get_by_role("link", name=re.compile("开展补贴性职业技能培训")).first.click()
    _screen(page, "province-02-dashboard", SCREENS_D)
    page.locator("#chart-regions ~ .table-responsive table").get_by_role(
        "link", name="广州市"
    ).click()  # drill to a city
    expect(page.locator(".breadcrumb")).to_contain_text("广州市")
    _screen(page, "province-03-city", SCREENS_D)
    districts = page.locator("#chart-regions ~ .table-responsive table tbody tr").filter(
        has=page.locator("td:first-child a")
    )
    figures = [districts.nth(i).locator("td").nth(1).inner_text().strip() for i in range(districts.count())]
    busiest = districts.nth(max(range(len(figures)), key=lambda i: int(figures[i].replace(",", "") or 0)))
    assert any(f not in ("0", "—") for f in figures), figures  # the city's districts have this year's records
    district = busiest.locator("td").first.inner_text().split()[0]
    busiest.locator("td").nth(1).get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("开展补贴性职业技能培训")
    expect(page.locator("main table")).to_contain_text(district)
    expect(page.locator("main table")).not_to_contain_text("暂无记录")
    _screen(page, "province-04-records", SCREENS_D)

    # 复审 of a claim the city passed at 初审
    claim = Claim.objects.filter(status="first_passed").order_by("submitted_at").first()
    assert claim is not None
    page.goto(f"{server}/subsidies/review/?queue=first_passed")
    _screen(page, "province-05-review-queue", SCREENS_D)
    page.get_by_role("link", name=claim.number).first.click()
    page.get_by_label("复审意见").fill("材料齐全，同意公示")
    page.get_by_role("button", name="复审通过并公示").click()
    expect(page.locator("main")).to_contain_text("公示")
    _screen(page, "province-06-second-review", SCREENS_D)

    # 资金拨付: the approved claims waiting, and the demo's batch (the province reviewed the waiting ones in the demo, so
    # the four-eyes rule leaves their batching to demo-finance); then the ledger
    page.goto(f"{server}/subsidies/payments/")
    _screen(page, "province-07-payments", SCREENS_D)
    page.get_by_role("link", name=re.compile(r"^BF\d+")).first.click()
    expect(page.locator("h1")).to_contain_text("拨付批次")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", page.locator("main").inner_text())
    _screen(page, "province-08-batch", SCREENS_D)
    phone = new_page(**PHONE)
    login(phone, "demo-province", DEMO_PASSWORD)
    phone.goto(f"{server}/subsidies/ledger/")
    expect(phone.locator("h1")).to_contain_text("资金台账")
    no_sideways_scroll(phone)
    _screen(phone, "province-phone-ledger", SCREENS_D)
    page.goto(f"{server}/subsidies/ledger/")
    _screen(page, "province-09-ledger", SCREENS_D)


def _enterprise(server: str, new_page: Any, login: Any) -> None:
    """The enterprise: its apprenticeship plans, then a 以工代训 claim for a hire, from the workbench's to-do, checked
    (预审) and submitted; the county of the enterprise (越秀) finds it waiting for 受理."""
    from jineng.subsidies.models import Claim

    page = new_page()
    login(page, "demo-enterprise", DEMO_PASSWORD)
    _screen(page, "enterprise-01-workbench", SCREENS_D)
    page.goto(f"{server}/training/apprenticeships/")
    _screen(page, "enterprise-02-apprenticeships", SCREENS_D)
    page.locator("main table a").first.click()
    expect(page.locator("main")).to_contain_text("学徒")
    _screen(page, "enterprise-03-apprenticeship", SCREENS_D)

    page.goto(f"{server}/")
    todo = page.locator("main tr", has_text="以工代训补贴待申领").first
    todo.locator("a").first.click()
    expect(page.get_by_label("申请人类型")).to_have_value("enterprise")
    hire = page.get_by_label(re.compile("申请事项")).locator("option:checked").inner_text()
    assert "已申请" not in hire, hire  # the to-do opens the form on the hire it names, not one already claimed
    # the enterprise's account on file (from its earlier claims) is offered: the HR officer picks it, types nothing
    page.locator("#payee-accounts input[type=radio]").first.check()
    page.get_by_role("button", name="预审").click()
    expect(page.locator("main")).to_contain_text("符合条件")
    _screen(page, "enterprise-04-claim-form", SCREENS_D)
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".jn-page-head")).to_contain_text("以工代训补贴")
    expect(page.locator("main")).to_contain_text("待受理")
    _screen(page, "enterprise-05-claim-submitted", SCREENS_D)
    claim = Claim.objects.filter(applicant_org__name="广州智造科技有限公司", status="submitted").order_by(
        "-submitted_at"
    )
    number = claim.values_list("number", flat=True).first()
    assert number and number in page.locator("h1").inner_text()

    # The 越秀 county official finds it waiting for 受理, on the workbench and in the queue
    county = new_page()
    login(county, "demo-county2", DEMO_PASSWORD)
    expect(county.locator("main")).to_contain_text(number)
    county.goto(f"{server}/subsidies/review/?queue=submitted")
    county.get_by_role("link", name=number).click()
    expect(county.locator("main")).to_contain_text("待受理")
    expect(county.locator("main")).to_contain_text("广州智造科技有限公司")
    _screen(county, "enterprise-06-county-sees-claim", SCREENS_D)


def _public(server: str, new_page: Any) -> None:
    """The public, signed out: portal → verify a demo certificate → the two catalogs → 补贴公示."""
    from jineng.certificates.models import Certificate

    certificate = Certificate.objects.filter(holder_name="李明", status="valid").first()
    assert certificate is not None
    page = new_page()
    page.goto(f"{server}/login/")
    page.locator("nav.jn-public-bar").get_by_role("link", name="信息公开").click()
    _screen(page, "public-01-portal", SCREENS_D)
    page.locator("main").get_by_role("link", name="证书查询").click()
    page.locator("main input[name=number]").fill(certificate.number)
    page.locator("main input[name=name]").fill("李明")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#verify-result")).to_contain_text("李*")
    _screen(page, "public-02-verified", SCREENS_D)
    bar = page.locator("nav.jn-public-bar")
    bar.get_by_role("link", name="培训机构目录").click()
    expect(page.locator("main")).to_contain_text("广州市天河区职业培训学校")
    _screen(page, "public-03-providers", SCREENS_D)
    bar.get_by_role("link", name="培训项目目录").click()
    expect(page.locator("main")).to_contain_text("家政服务员")
    _screen(page, "public-04-programs", SCREENS_D)
    bar.get_by_role("link", name="补贴公示").click()
    expect(page.locator("h1")).to_contain_text("补贴发放公示")
    _screen(page, "public-05-publicity", SCREENS_D)
    phone = new_page(**PHONE)
    phone.goto(f"{server}/publicity/")
    no_sideways_scroll(phone)
    _screen(phone, "public-phone-publicity", SCREENS_D)
    # 就业情况: the demo's trainees' employment after training, by county (issue 15: 0 % everywhere)
    page.goto(f"{server}/public/employment/")
    tianhe = page.locator("#employment tr", has_text="天河区")
    expect(tianhe).to_contain_text("%")
    assert tianhe.locator("td").nth(3).inner_text().strip() not in ("0%", "未登记"), tianhe.inner_text()
    _screen(page, "public-06-employment", SCREENS_D)
