"""企业新型学徒制 in a real browser: the enterprise's HR files a plan with a partner school listed for apprenticeship
training, adds an employee as apprentice with an enterprise mentor and a school mentor, records the first year's
progress and claims the year's 学徒制培训补贴 (the apprentice named in the claim form). The apprentice's ID number
shows masked only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _world(make_account: Any) -> dict[str, Any]:
    from django.utils import timezone

    from jineng.common.codes import credit_code_check_char
    from jineng.providers.models import AffiliationKind, PoolAffiliation, PoolRole
    from jineng.providers.services.catalog import (
        ScopeInput,
        application_create,
        application_decide,
        application_review,
        application_submit,
    )
    from jineng.providers.services.organizations import LicenceData, ProfileData, profile_create
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Occupation
    from jineng.registry.api import employment_add, person_create
    from jineng.registry.models import Person
    from jineng.rules.idcard import check_character

    if not Occupation.objects.filter(code="4-04-05-01").exists():
        load_all(["levels", "occupations"])
    today = timezone.localdate()
    province = make_account("province_official", username="gd_official", region="440000")
    city = make_account("city_official", username="gz_official", region="440100")

    def credit(first17: str) -> str:
        return first17 + credit_code_check_char(first17)

    school = profile_create(
        actor=province, kind="provider", name="广州市技师学院", credit_code=credit("52440106000000888"),
        region_code="440106", data=ProfileData(provider_type="technical_school", contact_phone="13800138000"),
        licence=LicenceData(number="人社民440106002", issuer="广州市人社局", valid_from=dt.date(2020, 1, 1),
                            valid_until=today + dt.timedelta(days=1200), items=[("4-04-05-01", "grade3")]),
    )  # fmt: skip
    school_staff = make_account("provider_staff", username="school_staff", organization=school.organization)
    app = application_create(actor=school_staff, profile=school, capacity_per_year=300,
                             scope=[ScopeInput("4-04-05-01", "grade4", "apprenticeship")])  # fmt: skip
    application_submit(actor=school_staff, application=app)
    application_review(actor=city, application=app, passed=True, opinion="同意")
    application_decide(actor=province, application=app, approved=True, document_number="粤人社函10号")
    school_teacher = PoolRole.objects.create(person=Person.objects.create(name="陈老师"), role="teacher",
                                             region_id="440106", valid_from=today)  # fmt: skip
    PoolAffiliation.objects.create(role=school_teacher, profile=school, kind=AffiliationKind.FULL_TIME,
                                   valid_from=today)  # fmt: skip

    enterprise = profile_create(actor=province, kind="enterprise", name="广州某精密制造有限公司",
                                credit_code=credit("91440106000000999"), region_code="440106",
                                data=ProfileData())  # fmt: skip
    make_account("enterprise_hr", username="hr_staff", organization=enterprise.organization)
    PoolRole.objects.create(person=Person.objects.create(name="黄师傅"), role="teacher", region_id="440106",
                            organization=enterprise.organization, valid_from=today)  # fmt: skip
    body = "440106199508170" + "42"
    number = body + check_character(body)
    worker = person_create(actor=None, name="梁学徒", id_number=number, residence_region="440106",
                           check_permission=False)  # fmt: skip
    employment_add(actor=None, person=worker, status="employed", started_on=dt.date(2024, 1, 1),
                   employer_name=enterprise.organization.name,
                   employer_credit_code=enterprise.organization.credit_code)  # fmt: skip
    return {"today": today, "number": number}


def test_enterprise_files_a_plan_adds_an_apprentice_and_records_progress(
    server: str, page: Any, make_account: Any, login: Any, shot: Any
) -> None:
    from jineng.training.models import Apprentice, Apprenticeship

    world = _world(make_account)
    start = world["today"] + dt.timedelta(days=7)
    end = start.replace(year=start.year + 2) - dt.timedelta(days=1)

    # 1. The enterprise's HR files a plan with the listed school.
    login(page, "hr_staff")
    page.get_by_role("link", name="企业新型学徒制").click()
    expect(page.locator("#plans")).to_contain_text("暂无学徒制培养计划")
    page.get_by_role("link", name="新建培养计划").click()
    page.get_by_label("合作院校").select_option(label="广州市技师学院")
    page.get_by_label("职业（工种）编码").fill("4-04-05-01")
    page.get_by_label("技能等级").select_option(label="四级/中级工")
    page.get_by_label("培养开始日期").fill(f"{start:%Y-%m-%d}")
    page.get_by_label("培养结束日期").fill(f"{end:%Y-%m-%d}")
    page.get_by_label("每年培训课时").fill("600")
    page.get_by_label("每年集中培训课时").fill("160")
    page.get_by_role("button", name="建立培养计划").click()
    expect(page.locator(".jn-appr-status")).to_have_text("培养中")
    plan = Apprenticeship.objects.get()
    expect(page.locator(".alert-success")).to_contain_text(plan.code)

    # 2. An employee becomes an apprentice with two mentors.
    page.get_by_label("姓名").fill("梁学徒")
    page.get_by_label("身份证号码").fill(world["number"])
    page.get_by_label("企业导师").select_option(label="黄师傅")
    page.get_by_label("院校导师").select_option(label="陈老师")
    page.get_by_role("button", name="加入", exact=True).click()
    table = page.locator("#apprentices")
    expect(table).to_contain_text("梁学徒")
    expect(table).to_contain_text("黄师傅")
    expect(table).not_to_contain_text(world["number"])
    assert Apprentice.objects.filter(apprenticeship=plan).count() == 1

    # 3. The first year's progress.
    form = page.locator("form", has=page.get_by_role("button", name="登记进度"))
    form.get_by_label("学徒").select_option(index=1)
    form.get_by_label("培养年度").fill("1")
    form.get_by_label("完成课时").fill("620")
    form.get_by_label("集中培训课时").fill("170")
    form.get_by_label("其中线上课时").fill("60")
    form.get_by_label("年度考核").fill("良好，已掌握数控编程基础")
    form.get_by_role("button", name="登记进度").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记第 1 年度培养进度")
    expect(table).to_contain_text("第1年：620 / 170 / 60")
    page.screenshot(path="/tmp/appr.png", full_page=True)
    shot(page, "training-apprenticeship-progress")

    # 4. The plan shows on the list with its apprentice count.
    page.get_by_role("link", name="返回列表").click()
    row = page.locator("#plans tr", has_text=plan.code)
    expect(row).to_contain_text("广州市技师学院")
    expect(row).to_contain_text("1")

    # 5. The year's 学徒制培训补贴, claimed for the apprentice by name (the lines were all alike: issue 15).
    from jineng.subsidies.demo_policies import _apprenticeship
    from jineng.subsidies.models import Claim
    from jineng.subsidies.tests.conftest import publish

    publish("440000", _apprenticeship([{"level": "grade4", "amount_fen": 500000}], 850000, False))
    page.get_by_role("link", name="补贴申报").click()
    page.get_by_role("link", name="新建申请").click()
    expect(page.locator("#type")).to_have_value("apprenticeship")  # the enterprise's type with something to claim
    expect(page.get_by_label("申请事项（培训、证书、学徒年度或吸纳就业）")).to_contain_text(
        f"{plan.code} 梁学徒 第1年度"
    )
    expect(page.get_by_label("申请人类型")).to_have_value("enterprise")
    page.get_by_label(re.compile("^开户银行")).fill("中国工商银行广州天河支行")
    page.get_by_label("收款账号").fill("6222020200098765432")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".alert-success")).to_contain_text("申请已提交")
    claim = Claim.objects.get(subsidy_type="apprenticeship")
    assert claim.amount_fen == 500000 and "梁学徒" in claim.event_label
    shot(page, "training-apprenticeship-claim")
