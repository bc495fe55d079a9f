"""The 企业新型学徒制 pages: the enterprise's HR files a plan, adds an apprentice, records a year and evaluates; the
list filters; refusals come back as messages with nothing changed; other enterprises get 404; ID numbers masked."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.registry.api import person_summary
from jineng.training.models import Apprentice, ApprenticeProgress, Apprenticeship, ApprenticeshipStatus
from jineng.training.services import apprenticeships as appr
from jineng.training.tests.conftest import id_number

pytestmark = pytest.mark.django_db


def _form(world, profile, **overrides):
    start = world.today + dt.timedelta(days=7)
    data = {
        "enterprise": str(profile.pk),
        "school": str(world.provider.pk),
        "occupation": "4-04-05-01",
        "level": "grade4",
        "start_date": f"{start:%Y-%m-%d}",
        "end_date": f"{start.replace(year=start.year + 2) - dt.timedelta(days=1):%Y-%m-%d}",
        "hours_per_year": "600",
        "concentrated_hours_per_year": "160",
    }
    data.update(overrides)
    return data


def _plan(world, firm):
    enterprise, hr, *_ = firm
    form = _form(world, enterprise)
    return appr.apprenticeship_create(
        actor=hr,
        data=appr.ApprenticeshipInput(
            enterprise=enterprise.pk, school=world.provider.pk, occupation="4-04-05-01", level="grade4",
            start_date=dt.date.fromisoformat(form["start_date"]), end_date=dt.date.fromisoformat(form["end_date"]),
            hours_per_year=600, concentrated_hours_per_year=160,
        ),
    )  # fmt: skip


def _follow(client, response):
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_the_enterprise_files_a_plan_through_the_page(world, firm, client):
    enterprise, hr, *_ = firm
    client.force_login(hr)
    listing = client.get("/training/apprenticeships/").content.decode()
    assert "新建培养计划" in listing and "企业新型学徒制" in listing
    form = client.get("/training/apprenticeships/new/").content.decode()
    assert world.provider.organization.name in form and enterprise.organization.name in form
    response = client.post("/training/apprenticeships/new/", _form(world, enterprise))
    plan = Apprenticeship.objects.get()
    assert response["Location"] == f"/training/apprenticeships/{plan.pk}/"
    assert plan.enterprise_id == enterprise.pk and plan.school_id == world.provider.pk and plan.hours_per_year == 600
    page = _follow(client, response)
    assert plan.code in page and "加入学徒" in page
    assert "登记年度进度" not in page  # no apprentice yet: nothing to record
    listing = client.get("/training/apprenticeships/", {"status": "active", "occupation": "4-04-05"}).content.decode()
    assert plan.code in listing
    for filters in ({"status": "completed"}, {"level": "grade3"}, {"q": "不存在的企业"},
                    {"start_from": f"{plan.start_date + dt.timedelta(days=1):%Y-%m-%d}"}):  # fmt: skip
        assert plan.code not in client.get("/training/apprenticeships/", filters).content.decode(), filters


def test_a_refused_plan_shows_the_reason_and_creates_nothing(world, firm, client):
    enterprise, hr, *_ = firm
    client.force_login(hr)
    response = client.post("/training/apprenticeships/new/", _form(world, enterprise, hours_per_year="100"))
    assert response.status_code == 200 and "每年培训课时不少于" in response.content.decode()
    assert not Apprenticeship.objects.exists()


def test_an_official_names_the_enterprise_by_its_credit_code(world, firm, client):
    enterprise, *_ = firm
    client.force_login(world.county)
    assert "企业统一社会信用代码" in client.get("/training/apprenticeships/new/").content.decode()
    response = client.post(
        "/training/apprenticeships/new/", _form(world, enterprise, enterprise=enterprise.organization.credit_code)
    )
    assert response.status_code == 302 and Apprenticeship.objects.get().enterprise_id == enterprise.pk


def test_apprentice_progress_and_evaluation_through_the_plan_page(world, firm, client):
    enterprise, hr, mentor, employee = firm
    plan = _plan(world, firm)
    number = employee("梁学徒")
    client.force_login(hr)
    page = client.get(f"/training/apprenticeships/{plan.pk}/").content.decode()
    assert "黄师傅" in page and "王老师" in page  # the mentors to choose from
    add = f"/training/apprenticeships/{plan.pk}/apprentices/"
    person = {"name": "梁学徒", "id_number": number, "enterprise_mentor": str(mentor.pk),
              "school_mentor": str(world.teacher.pk)}  # fmt: skip
    page = _follow(client, client.post(add, person))
    apprentice = Apprentice.objects.get()
    assert "已加入学徒" in page and "梁学徒" in page
    masked = person_summary(apprentice.person)["id_number"]
    assert number not in page and masked in page and "*" in masked  # masked only
    # A refusal: the same employee again — shown as a message, nothing added.
    page = _follow(client, client.post(add, person))
    assert "该职工已在本培养计划中" in page and Apprentice.objects.count() == 1

    progress = f"/training/apprenticeships/{plan.pk}/progress/"
    year = {"apprentice": str(apprentice.pk), "year_no": "1", "hours_done": "620", "concentrated_hours": "170",
            "online_hours": "100", "assessment": "良好"}  # fmt: skip
    page = _follow(client, client.post(progress, year))
    assert "线上课时不得超过集中培训课时的50%" in page and not ApprenticeProgress.objects.exists()
    page = _follow(client, client.post(progress, {**year, "online_hours": "60"}))
    assert "已登记第 1 年度培养进度" in page and "第1年：620 / 170 / 60" in page
    assert ApprenticeProgress.objects.get().hours_done == 620

    evaluate = f"/training/apprenticeships/{plan.pk}/evaluation/"
    page = _follow(client, client.post(evaluate, {"apprentice": str(apprentice.pk), "result": "maybe"}))
    assert "填写有误" in page
    apprentice.refresh_from_db()
    assert apprentice.status == ApprenticeshipStatus.ACTIVE and apprentice.result == ""
    page = _follow(client, client.post(evaluate, {"apprentice": str(apprentice.pk), "result": "passed",
                                                  "note": "达到四级水平"}))  # fmt: skip
    apprentice.refresh_from_db()
    plan.refresh_from_db()
    assert apprentice.result == "passed" and plan.status == ApprenticeshipStatus.COMPLETED
    assert "考核合格" in page and "达到四级水平" in page and "加入学徒" not in page  # a completed plan takes no more


def test_evaluation_needs_a_year_of_progress(world, firm, client):
    enterprise, hr, mentor, employee = firm
    plan = _plan(world, firm)
    apprentice = appr.apprentice_add(actor=hr, apprenticeship=plan, id_number=employee("甲徒"), name="甲徒",
                                     enterprise_mentor=mentor.pk, school_mentor=world.teacher.pk)  # fmt: skip
    client.force_login(hr)
    page = _follow(client, client.post(f"/training/apprenticeships/{plan.pk}/evaluation/",
                                       {"apprentice": str(apprentice.pk), "result": "passed"}))  # fmt: skip
    assert "考核前须至少登记一个年度的培养进度" in page
    apprentice.refresh_from_db()
    assert apprentice.status == ApprenticeshipStatus.ACTIVE


def test_others_get_404_and_readers_no_forms(world, firm, client, make_user):
    enterprise, hr, mentor, employee = firm
    plan = _plan(world, firm)
    number = employee("乙徒")
    client.force_login(world.other_staff)  # another provider's staff: not their enterprise's plan
    assert client.get(f"/training/apprenticeships/{plan.pk}/").status_code == 404
    assert plan.code not in client.get("/training/apprenticeships/").content.decode()
    response = client.post(f"/training/apprenticeships/{plan.pk}/apprentices/",
                           {"name": "乙徒", "id_number": number, "enterprise_mentor": str(mentor.pk),
                            "school_mentor": str(world.teacher.pk)})  # fmt: skip
    assert response.status_code == 404 and not Apprentice.objects.exists()
    client.force_login(make_user("county_official", region="440104"))  # 越秀: another county
    assert client.get(f"/training/apprenticeships/{plan.pk}/").status_code == 404
    client.force_login(make_user("reviewer", region="440106"))  # may read, may not act
    page = client.get(f"/training/apprenticeships/{plan.pk}/").content.decode()
    assert plan.code in page and "加入学徒" not in page
    assert "新建培养计划" not in client.get("/training/apprenticeships/").content.decode()
    client.force_login(world.county)
    assert "加入学徒" in client.get(f"/training/apprenticeships/{plan.pk}/").content.decode()


def test_an_unknown_id_number_is_refused_with_a_message(world, firm, client):
    enterprise, hr, mentor, _employee = firm
    plan = _plan(world, firm)
    client.force_login(hr)
    page = _follow(client, client.post(f"/training/apprenticeships/{plan.pk}/apprentices/",
                                       {"name": "无名", "id_number": id_number(), "enterprise_mentor": str(mentor.pk),
                                        "school_mentor": str(world.teacher.pk)}))  # fmt: skip
    assert "尚未在实名制人员库登记" in page and not Apprentice.objects.exists()


def test_a_malformed_mentor_is_a_form_error_not_a_crash(world, firm, client):
    enterprise, hr, mentor, employee = firm
    plan = _plan(world, firm)
    client.force_login(hr)
    page = _follow(client, client.post(f"/training/apprenticeships/{plan.pk}/apprentices/",
                                       {"name": "丁徒", "id_number": employee("丁徒"), "enterprise_mentor": "abc",
                                        "school_mentor": str(world.teacher.pk)}))  # fmt: skip
    assert "填写有误" in page and "企业导师" in page and not Apprentice.objects.exists()


def test_the_enterprise_ends_an_apprenticeship_early_with_its_reason(world, firm, client, make_user):
    enterprise, hr, mentor, employee = firm
    plan = _plan(world, firm)
    apprentice = appr.apprentice_add(actor=hr, apprenticeship=plan, id_number=employee("乙徒"), name="乙徒",
                                     enterprise_mentor=mentor.pk, school_mentor=world.teacher.pk)  # fmt: skip
    url = f"/training/apprenticeships/{plan.pk}/apprentices/{apprentice.pk}/termination/"
    client.force_login(hr)
    assert url in client.get(f"/training/apprenticeships/{plan.pk}/").content.decode()  # the row's button
    page = client.get(url).content.decode()
    assert "乙徒" in page and "待追回的预支" in page and "终止不能撤回" in page  # what follows, before doing it
    blank = client.post(url, {"reason": "   "})
    apprentice.refresh_from_db()
    assert blank.status_code == 200 and apprentice.status == ApprenticeshipStatus.ACTIVE
    too_long = client.post(url, {"reason": "长" * 501})
    assert too_long.status_code == 200 and "501" in too_long.content.decode()
    page = _follow(client, client.post(url, {"reason": "本人离职，解除劳动合同"}))
    apprentice.refresh_from_db()
    plan.refresh_from_db()
    assert apprentice.status == ApprenticeshipStatus.TERMINATED and apprentice.end_reason == "本人离职，解除劳动合同"
    assert plan.status == ApprenticeshipStatus.TERMINATED  # its only apprentice left: the plan ended unfinished
    assert "已终止 乙徒 的学徒培养" in page and "本人离职，解除劳动合同" in page
    again = client.get(url)  # ended: back to the plan, saying so
    assert again.status_code == 302
    # another enterprise's HR: the apprentice is not in its scope
    other = make_user("enterprise_hr", organization=make_org_for(world), username="other-hr")
    client.force_login(other)
    assert client.get(url).status_code == 404


def make_org_for(world):
    from jineng.accounts.models import Organization
    from jineng.subsidies.tests.conftest import credit_code

    return Organization.objects.create(kind="enterprise", name="别家企业", region_id="440104",
                                       credit_code=credit_code("440104"))  # fmt: skip
