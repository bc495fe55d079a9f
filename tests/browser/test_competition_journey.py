"""The organizer's journey in a real browser: a new province 一类 event → 报备 → (the province finds it on its
workbench and approves) → registrations: the organizer's (one refused: not in the registry) and an enterprise's, from
its 竞赛报名 page → results → (the province reviews and publishes; the objection
period passes) → the province confirms → the winner, a 高级工, is promoted to 技师 with a certificate that verifies,
and finds the result and the promotion on their archive (我的档案).
Screenshots in var/screens/h22/."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "h22"
WELDER = "6-18-02-04"


def _save(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _world(make_account: Any) -> dict[str, Any]:
    from jineng.accounts.models import Organization
    from jineng.certificates.services import certificate_import
    from jineng.common.codes import credit_code_check_char
    from jineng.competitions.services import award_rules_set
    from jineng.competitions.tests.conftest import GD_RULES
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import CertificateKind, Occupation, SkillLevel
    from jineng.registry.tests.factories import id18, make_person

    if not SkillLevel.objects.exists() or not Occupation.objects.filter(code=WELDER).exists():
        load_all(["levels", "certificate_kinds", "occupations"])
    first17 = "52440000000000777"
    organizer = Organization.objects.create(kind="provider", name="广东省职业技能竞赛中心", region_id="440000",
                                            credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    make_account("provider_staff", username="organizer", organization=organizer)
    first17 = "91440106000000777"
    enterprise = Organization.objects.create(kind="enterprise", name="天河精工有限公司", region_id="440106",
                                             credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    make_account("enterprise_hr", username="hr", organization=enterprise)
    province = make_account("province_official", username="gd", region="440000")
    second = make_account("province_official", username="gd2", region="440000")
    award_rules_set(actor=province, approver=second, region_code="440000", valid_from=dt.date(2024, 1, 1), basis="职业技能竞赛奖励办法",
                    lines=GD_RULES)  # fmt: skip
    people = {}
    for name, level in (("李焊", "grade3"), ("王焊", None)):
        number = id18("440106")
        person = make_person(region="440106", name=name, id_number=number)
        if level:
            occupation = Occupation.objects.get(code=WELDER)
            certificate_import(actor=province, number="H000000000001", kind=CertificateKind.objects.get(code="skill_level"),
                               person=person, holder_name=name, occupation=occupation, occupation_name=occupation.name,
                               level=SkillLevel.objects.get(code=level), issuer=None, issuer_name="广州市职业技能评价中心",
                               issued_on=dt.date(2022, 6, 1), region_code="440106")  # fmt: skip
        people[name] = number
    return people


def test_the_organizers_journey(server: str, new_page: Any, make_account: Any, login: Any) -> None:
    from jineng.competitions.models import Event

    people = _world(make_account)
    org = new_page()
    login(org, "organizer")
    org.get_by_role("link", name="职业技能竞赛").first.click()
    org.get_by_role("link", name="新建赛事").click()
    org.get_by_label("赛事名称").fill("广东省焊工职业技能大赛")
    org.get_by_label("级别").select_option("province")
    org.get_by_label("类别").select_option("class1")
    org.locator("#id_occupation").fill(WELDER)
    org.locator("#id_region").select_option("440000")  # by name around the organizer: 广东省
    org.get_by_label("批准部门").fill("广东省人力资源和社会保障厅")
    starts = dt.date.today() + dt.timedelta(days=20)
    org.get_by_label("开赛日期").fill(f"{starts:%Y-%m-%d}")
    org.get_by_label("结束日期").fill(f"{starts + dt.timedelta(days=2):%Y-%m-%d}")
    org.get_by_role("button", name="保存").click()
    expect(org.locator("#jn-event-status")).to_have_text("草稿")
    event_url = org.url
    org.get_by_role("button", name="报备").click()
    expect(org.locator("#jn-event-status")).to_have_text("已报备待批")

    official = new_page()
    login(official, "gd")
    expect(official.locator("main")).to_contain_text("赛事报备待批准")
    official.get_by_role("link", name=re.compile("广东省焊工职业技能大赛")).first.click()
    official.get_by_label("批准文号").fill("粤人社函〔2026〕8号")
    official.get_by_role("button", name="批准").click()
    expect(official.locator("#jn-event-status")).to_have_text("已批准")

    org.goto(event_url)
    register = org.locator("#jn-register")
    register.get_by_label("证件号码").fill("110101199003070011")
    register.get_by_label("姓名").fill("无名")
    register.get_by_role("button", name="报名").click()
    expect(org.locator("#jn-register .invalid-feedback")).to_contain_text("不在实名制人员库中")
    hr = new_page()
    login(hr, "hr")
    expect(hr.locator("main")).to_contain_text("可报名的竞赛")
    hr.get_by_role("link", name="竞赛报名").first.click()
    hr.get_by_role("link", name="广东省焊工职业技能大赛").click()
    form = hr.locator("#jn-open-register")
    form.get_by_label("证件号码").fill(people["王焊"])
    form.get_by_label("姓名").fill("王汉")
    form.get_by_role("button", name="报名").click()
    expect(hr.locator("#jn-open-register .invalid-feedback")).to_contain_text("姓名与实名制人员库登记的不一致")
    form = hr.locator("#jn-open-register")
    form.get_by_label("姓名").fill("王焊")
    form.get_by_role("button", name="报名").click()
    expect(hr.locator("#jn-own-contestants")).to_contain_text("王焊")
    _save(hr, "enterprise-registration")

    org.goto(event_url)
    expect(org.locator("#jn-contestants")).to_contain_text("天河精工有限公司")
    for name, number in list(people.items())[:1]:
        register = org.locator("#jn-register")
        register.get_by_label("证件号码").fill(number)
        register.get_by_label("姓名").fill(name)
        register.get_by_role("button", name="报名").click()
        expect(org.locator("#jn-contestants")).to_contain_text(name)
    # results wait for the event to start: refused before, then entered once the day comes
    result = org.locator("#jn-result")
    first = result.locator("option", has_text=next(iter(people))).get_attribute("value")
    result.get_by_label("选手").select_option(first)
    result.get_by_label("成绩").fill("98")
    result.get_by_label("名次").fill("1")
    result.get_by_role("button", name="保存成绩").click()
    expect(org.locator("#jn-result .alert-danger")).to_contain_text("开赛前不能录入成绩")
    today = dt.date.today()
    Event.objects.filter(name="广东省焊工职业技能大赛").update(starts_on=today, ends_on=today + dt.timedelta(days=2))
    org.goto(event_url)
    for rank, name in enumerate(people, start=1):
        result = org.locator("#jn-result")
        # the organizer picks the contestant by name and masked number (the page never shows the full number)
        result.get_by_label("选手").select_option(result.locator("option", has_text=name).get_attribute("value"))
        result.get_by_label("成绩").fill(f"{99 - rank}")
        result.get_by_label("名次").fill(str(rank))
        result.get_by_role("button", name="保存成绩").click()
        expect(org.locator(".alert-success, .alert")).to_contain_text("已录入成绩")
    _save(org, "organizer-results")

    official.goto(event_url)
    official.get_by_role("button", name="审核成绩").click()
    # the reviewer may not publish: a second person does (双人复核)
    expect(official.locator("#jn-four-eyes")).to_contain_text("公示须由另一名工作人员办理")
    second = new_page()
    login(second, "gd2")
    second.goto(event_url)
    second.get_by_role("button", name="公示成绩").click()
    expect(second.locator("#jn-results-stage")).to_contain_text("公示中")
    # 公示: a signed-in user objects from the public results page
    code = Event.objects.get(name="广东省焊工职业技能大赛").code
    hr.goto(f"{server}/public/competitions/{code}/")
    objection = hr.locator("#jn-objection")
    objection.get_by_label("异议涉及的成绩").select_option(label="2 · 王焊")
    objection.get_by_label("异议的事实和理由").fill("实操用时记录与现场计时不一致，请复核名次。")
    objection.get_by_role("button", name="提交异议").click()
    expect(hr.locator(".alert-success")).to_contain_text("异议已提交")
    # the objection period passes; the objection is still open, so 确认 is refused until it is decided
    Event.objects.update(objection_until=dt.date.today() - dt.timedelta(days=1))
    official.reload()
    official.get_by_role("button", name="确认成绩并授予奖励").click()
    expect(official.locator(".alert")).to_contain_text("异议未处理")
    objections = official.locator("#jn-objections")
    expect(objections).to_contain_text("实操用时记录与现场计时不一致")
    objections.locator("summary", has_text="处理").click()
    objections.get_by_label("处理结果").select_option("dismissed")
    objections.get_by_label("处理意见").fill("经核查计时记录，名次无误")
    objections.get_by_role("button", name="提交处理结果").click()
    expect(official.locator("#jn-objections")).to_contain_text("异议不成立")
    _save(official, "official-objection")
    official.get_by_role("button", name="确认成绩并授予奖励").click()
    awards = official.locator("#jn-awards")
    expect(awards).to_contain_text("广东省技术能手")
    expect(awards).to_contain_text("二级/技师")
    _save(official, "official-awards")
    number = awards.locator("a").first.inner_text()
    # shown in the canonical form, as on the certificate pages and the archive
    assert re.fullmatch(r"440000-\d{4}-S-\d{7}-[0-9A-Z]", number)

    # the winner finds the result, the award and the new certificate on their archive (我的档案)
    from jineng.registry.api import person_resolve

    winner = make_account("worker", username="lihan")
    winner.person_id = person_resolve(people["李焊"]).pk
    winner.save(update_fields=["person_id"])
    worker = new_page()
    login(worker, "lihan")
    worker.get_by_role("link", name="我的档案").click()
    archive = worker.locator("main")
    expect(archive).to_contain_text("广东省焊工职业技能大赛")
    expect(archive).to_contain_text("竞赛奖励")
    expect(archive).to_contain_text("晋升二级/技师")
    expect(archive).to_contain_text(f"证书编号 {number}")  # the award line and the certificate line agree
    _save(worker, "worker-archive")

    public = new_page()
    public.goto(f"{server}/public/competitions/")
    public.get_by_role("link", name="广东省焊工职业技能大赛").click()
    expect(public.locator("#jn-public-results")).to_contain_text("李焊")
    expect(public.locator("#jn-public-results")).not_to_contain_text(people["李焊"])
    _save(public, "public-results")


def test_award_rules_are_drafted_by_one_official_and_published_by_another(
    server: str, new_page: Any, make_account: Any, login: Any
) -> None:
    from jineng.competitions.models import AwardRuleSet, RuleSetStatus

    _world(make_account)
    gd = new_page()
    login(gd, "gd")
    gd.goto(f"{server}/competitions/rules/")
    gd.get_by_role("link", name="拟订新版本").click()
    expect(gd.locator("main")).to_contain_text("第 1 版为底稿")
    gd.get_by_label("生效日期").fill("2027-01-01")
    gd.get_by_label("依据（文件名称、文号）").fill("粤人社规〔2027〕1号 职业技能竞赛奖励办法")
    from jineng.competitions.demo import GD_RULES

    row = gd.locator("#jn-rule-lines tbody tr").nth(len(GD_RULES))  # the first blank row
    row.locator("select[name$='event_level']").select_option("city")
    row.locator("input[name$='rank_max']").fill("1")
    row.locator("input[name$='title']").fill("广州市技术能手")
    row.locator("select[name$='prerequisite']").select_option("grade1")
    row.locator("select[name$='grants']").select_option("next")
    gd.get_by_role("button", name="提交审核").click()
    expect(row.locator(".text-danger")).to_contain_text("已是等级阶梯最高级")  # named on its row
    row.locator("select[name$='prerequisite']").select_option("")
    row.locator("select[name$='grants']").select_option("")
    gd.get_by_role("button", name="提交审核").click()
    expect(gd.locator("main")).to_contain_text("待审批")
    expect(gd.get_by_role("button", name="审核发布")).to_have_count(0)  # not for the one who drafted it

    gd2 = new_page()
    login(gd2, "gd2")
    gd2.goto(f"{server}/competitions/rules/")
    gd2.get_by_role("button", name="审核发布").click()
    expect(gd2.locator("main")).to_contain_text("第 2 版")
    _save(gd2, "rules-published")
    assert AwardRuleSet.objects.get(version=2).status == RuleSetStatus.PUBLISHED


def test_the_results_import_journey(server: str, new_page: Any, make_account: Any, login: Any, tmp_path: Path) -> None:
    """The organizer downloads the results template, fills it, uploads it; one bad row (a score that is not a
    number) is named by row, column and reason and nothing is written; the fixed file imports every row."""
    from openpyxl import load_workbook

    from jineng.accounts.models import Organization, User
    from jineng.competitions import services
    from jineng.competitions.models import Event, Result

    people = _world(make_account)
    organizer = User.objects.get(username="organizer")
    event = services.event_create(actor=organizer, organizer=Organization.objects.get(name="广东省职业技能竞赛中心"),
                                  data=services.EventData(
        name="广东省焊工职业技能大赛（导入）", level="province", event_class="class1", occupation=WELDER,
        approving_department="广东省人力资源和社会保障厅", region="440000",
        starts_on=dt.date.today() - dt.timedelta(days=5), ends_on=dt.date.today() - dt.timedelta(days=3)))  # fmt: skip
    services.event_file(actor=organizer, event=event)
    services.event_decide(
        actor=User.objects.get(username="gd"), event=event, approve=True, document_number="粤人社函〔2026〕8号"
    )
    for name, number in people.items():
        services.contestant_register(actor=organizer, event=event, id_number=number, name=name)

    page = new_page()
    page.set_default_timeout(60_000)  # patience on a loaded machine, not a timing assertion
    page.set_default_navigation_timeout(60_000)
    login(page, "organizer")
    page.goto(f"{server}/competitions/{event.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载成绩导入模板").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "competition_results-template.xlsx"
    book = load_workbook(template)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["姓名", "身份证号码", "成绩", "名次"]
    sheet.delete_rows(2, sheet.max_row)  # the template's example row
    rows = [("李焊", people["李焊"], "98.5", 1), ("王焊", people["王焊"], "九十", 2)]
    for row in rows:
        sheet.append(list(row))
    bad = tmp_path / "成绩.xlsx"
    book.save(bad)

    page.get_by_role("link", name="导入成绩").click()
    expect(page.get_by_label(re.compile("培训班编号|赛事编号"))).to_have_value(event.code)
    page.get_by_label(re.compile("文件")).set_input_files(str(bad))
    page.get_by_role("button", name="上传并导入").click()
    status = page.locator("#import-status")
    expect(status.locator('[data-code="bad_score"]')).to_have_count(1)
    expect(status).to_contain_text("成绩须为数字")
    expect(status).to_contain_text("3")  # the row of the sheet
    _save(page, "results-import-error")
    assert not Result.objects.filter(contestant__event=event).exists()  # all or nothing

    sheet.cell(row=3, column=3, value="91")
    fixed = tmp_path / "成绩-已更正.xlsx"
    book.save(fixed)
    page.goto(f"{server}/competitions/{event.pk}/")
    page.get_by_role("link", name="导入成绩").click()
    page.get_by_label(re.compile("文件")).set_input_files(str(fixed))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-status")).not_to_contain_text("成绩须为数字")
    page.goto(f"{server}/competitions/{event.pk}/")
    expect(page.locator("#jn-contestants")).to_contain_text("98.50")
    expect(page.locator("#jn-contestants")).to_contain_text("91.00")
    _save(page, "results-imported")
    assert Result.objects.filter(contestant__event=event).count() == 2
    assert Event.objects.get(pk=event.pk).results_stage == "open"
