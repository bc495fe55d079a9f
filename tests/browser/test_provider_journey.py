"""A provider's day in the browser, end to end: the organization's profile and its own programs (本机构培训项目) → a
class application (a schedule short of the program's 学时 refused) → the workbench's to-dos → the roster by form (one trainee) and by import (the template's own 证件类型 and a graduate's 毕业年度)
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
    from jineng.training.models import Enrollment, TrainingClass
    from jineng.training.services import classes

    world = build(make_account)
    start, end = session_today()
    page = new_page()
    login(page, "px_staff")

    # 1. The organization's profile and the programs it may run.
    page.goto(f"{server}/providers/{world['profile'].pk}/")
    expect(page.locator("main")).to_contain_text("天河区职业技能培训学校")
    screen(page, "provider-01-profile")
    # 本机构培训项目 (the sidebar): the programs it may open classes of, with their 学时; 申请开班 from one of them.
    page.get_by_role("link", name="本机构培训项目").click()
    programs = page.locator("#my-programs")
    expect(programs.locator("tbody tr")).to_have_count(1)
    expect(programs).to_contain_text("GD-PY-4")
    screen(page, "provider-01b-my-programs")
    page.get_by_role("link", name="公开目录").click()
    expect(page.locator("main")).to_contain_text("计算机程序设计员（四级）")
    page.go_back()

    # 2. The class application, saved as a draft: the program preselected, the venue county picked by name.
    programs.get_by_role("link", name="申请开班").click()
    program = page.get_by_label("培训项目（本机构目录培训范围内的项目）")
    expect(program.locator("option:checked")).to_have_text("GD-PY-4 计算机程序设计员（四级）（1 学时）")
    expect(program.locator("option")).to_have_count(2)  # "—" and the provider's one program
    page.get_by_label("班级名称").fill("Python 程序设计就业技能培训班")
    page.get_by_label("计划人数").fill("30")
    page.locator("input[name=venue_name]").fill("天河实训基地 3 楼")
    page.get_by_label("场地所在县（市、区）").select_option(label="广州市 · 天河区")
    page.get_by_label("授课教师（本机构任教的师资库教师）").select_option(label="王老师")
    # A schedule short of the program's 学时 (30 minutes: 0 学时 of 45 minutes) is refused with the numbers.
    page.get_by_label("课程安排").fill(f"{start:%Y-%m-%d %H:%M}-{start + (end - start) / 2:%H:%M} 线下 Python 基础")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("main")).to_contain_text("课程安排合计 0 学时，少于培训项目")
    screen(page, "provider-01c-hours-short")
    page.get_by_label("课程安排").fill(f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} 线下 Python 基础")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".jn-class-status")).to_have_text("草稿")
    tc = TrainingClass.objects.get()

    # The workbench lists it as a to-do: to submit, with its roster to complete.
    page.get_by_role("link", name="工作台").first.click()
    expect(page.locator("main")).to_contain_text("开班申请待提交")
    expect(page.locator("main")).to_contain_text(tc.code)
    screen(page, "provider-01d-workbench-todos")
    page.goto(f"{server}/training/classes/{tc.pk}/")

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
    expect(page.get_by_label("导入内容").locator("option")).to_have_text(["培训班花名册"])  # this class's kinds only
    page.get_by_label("模式").select_option("partial")
    page.get_by_label(re.compile("文件")).set_input_files(str(_roster(tmp_path / "花名册.xlsx")))
    page.get_by_role("button", name="上传并导入").click()
    status = page.locator("#import-status")
    expect(status).to_contain_text("不属于本类补贴培训的对象")
    expect(status.locator('[data-code="ineligible_groups"]')).to_have_count(1)
    expect(status.locator('[data-code="id_unknown_doc_type"]')).to_have_count(0)
    screen(page, "provider-03-roster-import")
    page.get_by_role("link", name="返回").click()  # back to the class, not to the import page
    expect(page.locator(".jn-class-status")).to_have_text("草稿")
    assert set(Enrollment.objects.filter(training_class=tc).values_list("person_name", flat=True)) == {
        "张学员", "李学员", "赵毕业"}  # fmt: skip

    # 5. Submitted with the pledge; the county approves (its own journey does that in the browser).
    page.goto(f"{server}/training/classes/{tc.pk}/")
    page.get_by_label(re.compile("本机构承诺")).check()
    page.get_by_role("button", name="签署承诺并提交").click()
    expect(page.locator(".jn-class-status")).to_have_text("待审核")
    classes.class_review(actor=world["county"], training_class=tc, approved=True, opinion="同意")

    # 6. Roll call after the session: 张 present, 李 late, 赵 absent; saving twice records nothing twice. 钱's
    # device checked 张 in only: the roll call shows the device's 签到 and offers a hand 签退 (no second 签到).
    page.reload()
    page.get_by_role("button", name="开课").click()
    expect(page.locator(".jn-class-status")).to_have_text("培训中")
    from jineng.training.services.attendance import AttendanceInput, attendance_record

    zhang = Enrollment.objects.get(training_class=tc, person_name="张学员")
    attendance_record(actor=world["staff"], device="FACE-01", events=[
        AttendanceInput(event_id="z-in", enrollment=str(zhang.pk), kind="in", at=start, method="face")])  # fmt: skip
    page.get_by_role("link", name="点名").click()
    rows = page.locator("#rollcall li")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="张学员")).to_contain_text("FACE-01")
    expect(rows.filter(has_text="张学员")).to_contain_text("已签到，未签退")
    rows.filter(has_text="张学员").get_by_label("人工补登签退").check()
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
    expect(page.locator("main")).to_contain_text("点名已保存：本次登记到课 1 人。补登签退 1 人。")
    expect(rows.filter(has_text="张学员")).to_contain_text("出勤（已登记）")
    expect(rows.filter(has_text="张学员")).to_contain_text("人工")  # the hand 签退 marked
    expect(rows.filter(has_text="李学员")).to_contain_text("迟到（已登记）")
    screen(page, "provider-04b-roll-call-saved")
    page.get_by_role("button", name="保存点名").click()
    page.get_by_role("link", name="考勤记录").click()
    expect(page.locator("main table tbody tr")).to_have_count(4)  # 张: device in + hand out; 李: hand in + out

    # 7. Completion.
    page.goto(f"{server}/training/classes/{tc.pk}/")
    page.get_by_role("button", name="结业").click()
    expect(page.locator("#jn-confirm")).to_contain_text("结业不能撤回")
    page.get_by_role("button", name="确认结业").click()
    expect(page.locator(".jn-class-status")).to_have_text("已结业")
    expect(page.locator("#roster tr", has_text="张学员")).to_contain_text("合格")
    screen(page, "provider-05-completed")
    page.get_by_role("link", name="培训班").first.click()  # the list counts the finished roster, not "0 / 30"
    expect(page.locator("tr", has_text=tc.code)).to_contain_text("结业 3（合格 2） / 30")
    page.goto(f"{server}/training/classes/{tc.pk}/")

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

    # A claim refused by the county shows 已驳回 with the reason and may be filed again, to the provider's
    # registered account (masked, picked by default: nothing typed).
    from jineng.subsidies.services.review import claim_reject

    refused = Claim.objects.filter(enrollment__training_class=tc).order_by("created_at").first()
    claim_reject(actor=world["county"], claim=refused, reason="学员承诺书缺少本人签名")
    page.goto(page.url)  # a GET (a reload would post the batch again)
    row = table.locator("tr", has_text=refused.enrollment.person_name)
    expect(row).to_contain_text("已驳回")
    expect(row).to_contain_text("学员承诺书缺少本人签名")
    expect(page.locator("#payee-accounts")).to_contain_text(refused.payee_account_masked)
    expect(page.locator("main")).not_to_contain_text("6217003320001234567")
    row.locator("input[type=checkbox]").check()
    screen(page, "provider-06b-refile")
    page.get_by_role("button", name="提交所选学员的补贴申请").click()
    expect(page.locator("#claim-results")).to_contain_text("已提交 1 份")
    assert Claim.objects.filter(enrollment__training_class=tc).count() == 3

    # 9. The same pages on a phone.
    for name, url in [("class", f"/training/classes/{tc.pk}/"), ("my-programs", "/providers/programs/mine/"),
                      ("class-new", "/training/classes/new/"), ("roll-call", f"/training/classes/{tc.pk}/roll-call/"),
                      ("class-claims", f"/subsidies/classes/{tc.pk}/claims/")]:  # fmt: skip
        phone.goto(f"{server}{url}")
        expect(phone.locator("main h1")).to_be_visible()
        no_sideways_scroll(phone)
        screen(phone, f"provider-phone-{name}")
