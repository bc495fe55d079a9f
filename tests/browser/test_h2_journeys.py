"""Three journeys of issue 15 in a real browser at 1366×768 and 390×844, screenshots in var/screens/h2-orgs/:

- the enterprise's HR: 新招用职工 → 登记新招用职工 (a person not yet registered, by ID number, with the contract and
  social insurance facts) → the 以工代训 claim prefilled from the hire → 预审 → 提交 → the hire shows its claim;
- the worker: 我的档案 → 我的证书 (the number as certificates print it) → 新建补贴申请, offering only what an
  individual can file, starting from their certificate → 预审;
- the evaluator: a session before its exam (scoring opens at the start, the reason shown; the workbench asks for the
  roster by its due date) → a held session: scores entered, results confirmed → certificates to issue → issued.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens" / "h2-orgs"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def _save(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _refdata() -> None:
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import CertificateKind, Occupation, SkillLevel

    if not SkillLevel.objects.exists() or not Occupation.objects.exists() or not CertificateKind.objects.exists():
        load_all(["levels", "certificate_kinds", "occupations"])


@pytest.mark.parametrize("size", list(SIZES))
def test_the_enterprise_records_a_hire_and_files_its_claim(
    server: str, new_page: Any, make_account: Any, login: Any, size: str
) -> None:
    from jineng.accounts.models import Organization
    from jineng.registry.models import EmploymentRecord
    from jineng.subsidies.models import Claim
    from jineng.subsidies.tests.conftest import TODAY, WORK_POLICY, credit_code, id_number, publish

    publish("440000", WORK_POLICY)
    enterprise = Organization.objects.create(kind="enterprise", name="越秀智造有限公司", region_id="440104",
                                             credit_code=credit_code("440104"))  # fmt: skip
    make_account("enterprise_hr", username="hr", organization=enterprise)
    number = id_number("440104", dt.date(1998, 3, 12))
    hired = TODAY - dt.timedelta(days=95)

    width, height = SIZES[size]
    page = new_page(width=width, height=height)
    page.set_default_timeout(60_000)
    login(page, "hr")
    page.goto(f"{server}/subsidies/hires/")
    expect(page.locator("#hires")).to_contain_text("还没有登记新招用职工")
    page.get_by_role("link", name="登记新招用职工").click()
    page.get_by_label("身份证件号码").fill(number)
    page.get_by_label(re.compile("^姓名")).fill("欧阳新")
    page.get_by_label(re.compile("^人员类别")).select_option(label="高校毕业生")
    page.get_by_label("招用（入职）日期").fill(f"{hired:%Y-%m-%d}")
    page.get_by_label(re.compile("^劳动合同期限")).fill("36")
    page.get_by_label(re.compile("参保（社会保险）起始日期")).fill(f"{hired:%Y-%m-%d}")
    page.get_by_role("button", name="登记并申请以工代训补贴").click()
    # 高校毕业生 needs the graduation year: the form says so and keeps what was typed
    expect(page.locator("#hire-form")).to_contain_text("高校毕业生请填写毕业年度")
    assert not EmploymentRecord.objects.exists()
    _save(page, f"enterprise-1-hire-refused-{size}")
    page.get_by_label(re.compile("^毕业年度")).fill(str(TODAY.year - 1))
    page.get_by_role("button", name="登记并申请以工代训补贴").click()

    # The claim form, prefilled from the hire
    expect(page.locator(".alert-success")).to_contain_text("欧阳新")
    expect(page.get_by_label("申请事项（培训、证书、学徒年度或吸纳就业）")).to_contain_text("欧阳新")
    expect(page.get_by_label("申请人类型")).to_have_value("enterprise")
    page.get_by_label("申请月数").fill("3")
    page.get_by_label(re.compile("^开户银行")).fill("中国工商银行广州越秀支行")
    page.get_by_label("收款账号").fill("6222020200012345678")
    page.get_by_role("button", name="预审").click()
    expect(page.locator("main")).to_contain_text("预审结果")
    expect(page.locator("main")).to_contain_text("1,500.00元")
    _save(page, f"enterprise-2-claim-checked-{size}")
    page.get_by_label("收款账号").fill("6222020200012345678")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".alert-success")).to_contain_text("申请已提交")
    claim = Claim.objects.get()
    page.goto(f"{server}/subsidies/hires/")
    row = page.locator("#hires tr", has_text="欧阳新")
    expect(row).to_contain_text(claim.number)
    expect(row).to_contain_text("36 个月")
    expect(row).not_to_contain_text(number)
    _save(page, f"enterprise-3-hires-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_workers_archive_certificates_and_claim(
    server: str, new_page: Any, make_account: Any, login: Any, size: str
) -> None:
    from jineng.certificates.models import Certificate
    from jineng.refdata.models import Occupation
    from jineng.registry.services.persons import person_create
    from jineng.rules.certificates import display_number, format_number
    from jineng.subsidies.tests.conftest import SKILL_POLICY, TODAY, TRAINING_POLICY, UI_POLICY, id_number, publish

    _refdata()
    for doc in (TRAINING_POLICY, SKILL_POLICY, UI_POLICY):
        publish("440000", doc)
    li = person_create(actor="test", name="李明", id_number=id_number("440106", dt.date(1990, 5, 17)),
                       residence_region="440106", check_permission=False)  # fmt: skip
    occupation = Occupation.objects.filter(code="4-04-05-01").order_by("-edition").first()
    certificate = Certificate.objects.create(
        number=format_number("440106", TODAY.year, "skill_level", 42), kind_id="skill_level", person=li,
        holder_name=li.name, occupation=occupation, occupation_name=occupation.name if occupation else "",
        level_id="grade4", issuer_name="广州市职业技能评价中心", issued_on=TODAY - dt.timedelta(days=20),
        region_id="440106", source="import", status="valid",
    )  # fmt: skip
    worker = make_account("worker", username="liming")
    worker.person_id = li.pk
    worker.save()
    shown = display_number(certificate.number)

    width, height = SIZES[size]
    page = new_page(width=width, height=height)
    page.set_default_timeout(60_000)
    login(page, "liming")
    page.goto(f"{server}/persons/me/")
    expect(page.locator("main")).to_contain_text(shown)
    _save(page, f"worker-1-archive-{size}")
    page.goto(f"{server}/certificates/mine/")
    expect(page.locator("main")).to_contain_text(shown)
    assert certificate.number not in page.locator("main").inner_text()
    _save(page, f"worker-2-certificates-{size}")

    page.goto(f"{server}/subsidies/new/")
    options = page.locator("#type option").all_inner_texts()
    assert options == ["职业技能提升补贴", "失业保险技能提升补贴"], options
    expect(page.locator("#type")).to_have_value("skill_upgrade")
    expect(page.get_by_label("申请事项（培训、证书、学徒年度或吸纳就业）")).to_contain_text(shown)
    expect(page.get_by_label("申请人类型")).to_have_value("person")
    page.get_by_role("button", name="预审").click()
    expect(page.locator("main")).to_contain_text("预审结果")
    expect(page.locator("main")).to_contain_text(f"证书 {shown}")
    assert certificate.number not in page.locator("main").inner_text()
    _save(page, f"worker-3-claim-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_evaluators_sessions_scores_and_certificates(
    server: str, new_page: Any, make_account: Any, login: Any, size: str
) -> None:
    from django.utils import timezone

    from jineng.accounts.models import Organization
    from jineng.certificates import services
    from jineng.certificates.tests.conftest import PROGRAMMER, make_examiner, make_person

    _refdata()
    org = Organization.objects.create(kind="evaluator", name="广州市职业技能评价中心", region_id="440100")
    city = make_account("city_official", username="gz", region="440100")
    services.filing_create(actor=city, organization=org, route="social", occupation_code=PROGRAMMER,
                           level_code="grade4", valid_from=dt.date(2020, 1, 1))  # fmt: skip
    staff = make_account("evaluator", username="pingjia", organization=org)

    def session(starts_at: dt.datetime) -> Any:
        return services.session_create(actor=staff, organization=org, data=services.SessionData(
            occupation_code=PROGRAMMER, level_code="grade4", venue_region="440106", venue_address="天河考点 3 楼",
            starts_at=starts_at, duration_minutes=90, terminals=[]))  # fmt: skip

    now = timezone.now().replace(second=0, microsecond=0)
    upcoming = session(now + dt.timedelta(days=12))
    held = session(now - dt.timedelta(hours=3))
    examiner = make_examiner(name="王考评")
    services.examiner_add(actor=staff, session=held, pool_role_id=examiner.pk)
    # The held session is past its roster deadline (exam.roster_days_before): the city lets its roster be filled.
    held = services.session_roster_reopen(actor=city, session=held, reason="补报考生名册")
    services.candidate_add(actor=staff, session=held, person=make_person(name="李四"))
    services.candidate_add(actor=staff, session=upcoming, person=make_person(name="赵六"))

    width, height = SIZES[size]
    page = new_page(width=width, height=height)
    page.set_default_timeout(60_000)
    login(page, "pingjia")
    main = page.locator("main")
    expect(main).to_contain_text("考前准备")  # the upcoming session lacks an examiner: its roster is due
    expect(main).to_contain_text(upcoming.code)
    expect(main).to_contain_text("成绩录入")
    _save(page, f"evaluator-1-workbench-{size}")

    page.goto(f"{server}/evaluation/sessions/{upcoming.pk}/")
    expect(page.locator("#scoring-hint")).to_contain_text("成绩录入在开考后开放")
    expect(page.locator("#candidates")).to_contain_text("开考后可录入")
    expect(page.locator("#candidates button[disabled]")).to_have_count(1)
    _save(page, f"evaluator-2-before-exam-{size}")

    page.goto(f"{server}/evaluation/sessions/{held.pk}/")
    expect(page.locator("#scoring-hint")).to_have_count(0)
    row = page.locator("#candidates tr", has_text="李四")
    row.get_by_label("理论成绩").fill("82")
    row.get_by_label("实操成绩").fill("76")
    row.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("成绩已录入")
    page.get_by_role("button", name="确认成绩").click()
    expect(page.locator("#jn-confirm")).to_contain_text("确认后成绩不能再修改")
    page.locator("#jn-confirm").get_by_role("button", name="确认成绩").click()
    expect(page.locator(".alert-success")).to_contain_text("成绩已确认")
    page.goto(f"{server}/")
    expect(main).to_contain_text("待发证")
    expect(main).to_contain_text("1 名合格考生待发证")
    page.goto(f"{server}/evaluation/sessions/{held.pk}/")
    page.get_by_role("button", name="为合格考生发证").click()
    expect(main).to_contain_text("发出 1 张证书")
    _save(page, f"evaluator-3-issued-{size}")
    page.goto(f"{server}/")
    expect(main).not_to_contain_text("待发证")
