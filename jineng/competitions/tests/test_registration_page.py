"""An enterprise (or provider) sees the events open to its workers and registers them from a page, with the checks of
the one-record service named on the form; officials and organizers find their competition steps on the workbench."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jineng.competitions.models import Contestant
from jineng.competitions.tests.conftest import make_person
from jineng.registry.tests.factories import id18

pytestmark = pytest.mark.django_db


def _soon(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_an_enterprise_sees_the_events_open_to_its_workers(world, make_event, api):
    open_event = make_event(starts_on=_soon(), name="广东省焊工职业技能大赛（报名中）")
    make_event(starts_on=_soon(), name="广东省焊工大赛（草稿）", approve=False)
    make_event(starts_on=_soon(-40), name="广东省焊工大赛（已结束）")
    make_event(starts_on=_soon(), region="370000", name="山东省焊工大赛")
    make_event(starts_on=_soon(), level="national", event_class="", region="370000", name="全国焊工大赛（山东承办）")
    html = api(world.hr).get("/competitions/open/").content.decode()
    assert open_event.name in html and "全国焊工大赛（山东承办）" in html
    for hidden in ("草稿", "已结束", "山东省焊工大赛"):
        assert hidden not in html
    # The organizer registers from its workbench, not here.
    assert open_event.name not in api(world.staff).get("/competitions/open/").content.decode()


def test_an_enterprise_registers_its_worker_and_bad_input_is_named(world, make_event, api):
    event = make_event(starts_on=_soon())
    url = f"/competitions/open/{event.pk}/"
    number = id18("440106")
    make_person(region="440106", name="王焊", id_number=number)
    response = api(world.hr).post(url, {"reg-id_number": number, "reg-name": "王焊", "reg-team_name": ""})
    assert response.status_code == 302 and response["Location"] == url
    c = Contestant.objects.get(event=event)
    assert c.organization == world.enterprise and c.organization_name == "天河精工有限公司"
    page = api(world.hr).get(url).content.decode()
    assert "王焊" in page and number not in page
    assert "1" in api(world.hr).get("/competitions/open/").content.decode()

    cases = [
        ({"reg-id_number": number, "reg-name": "王焊"}, "该选手已报名本赛事"),
        ({"reg-id_number": id18("440106"), "reg-name": "无名"}, "不在实名制人员库中"),
        ({"reg-id_number": number, "reg-name": "王汉"}, "姓名与实名制人员库登记的不一致"),
        ({"reg-id_number": "", "reg-name": "王焊"}, "reg-id_number"),
        ({"reg-id_number": "1" * 21, "reg-name": "王焊"}, "reg-id_number"),
    ]
    for data, message in cases:
        bad = api(world.hr).post(url, data)
        assert bad.status_code == 422 and message in bad.content.decode(), data
    old = id18("440106", born=dt.date(1940, 1, 1))
    make_person(region="440106", name="老焊", id_number=old, birth_date=dt.date(1940, 1, 1))
    too_old = api(world.hr).post(url, {"reg-id_number": old, "reg-name": "老焊"})
    assert too_old.status_code == 422 and "不在 16–65 岁之间" in too_old.content.decode()
    assert Contestant.objects.filter(event=event).count() == 1


def test_registration_is_for_enterprises_and_providers_within_reach(world, make_event, api, make_user, make_org):
    event = make_event(starts_on=_soon())
    assert api(world.province).get("/competitions/open/").status_code == 403
    assert api(world.province).post(f"/competitions/open/{event.pk}/", {}).status_code == 403
    sz = make_user("enterprise_hr", organization=make_org(region="440300", kind="enterprise", name="深圳精工"))
    city_event = make_event(starts_on=_soon(), region="440100", name="广州市焊工技能竞赛")
    assert api(sz).get(f"/competitions/open/{city_event.pk}/").status_code == 404  # outside its region
    assert api(sz).get(f"/competitions/open/{event.pk}/").status_code == 200  # a province event reaches 深圳
    draft = make_event(starts_on=_soon(), approve=False)
    assert api(world.hr).get(f"/competitions/open/{draft.pk}/").status_code == 404


def test_the_workbench_lists_competition_steps_for_the_office_that_takes_them(world, make_event, contestant):
    from jineng.competitions import services
    from jineng.web.home import home_cards
    from jineng.web.todos import todos_for

    def kinds(user):
        return {t.kind for t in todos_for(user)}

    filed = make_event(starts_on=_soon(), approve=False, name="广东省焊工大赛（待批）")
    assert "赛事待报备" in kinds(world.staff)
    services.event_file(actor=world.staff, event=filed)
    assert "赛事报备待批准" in kinds(world.province)
    assert "赛事报备待批准" not in kinds(world.city)  # a province event is the province's to approve
    assert "赛事待报备" not in kinds(world.staff)

    ended = make_event(starts_on=timezone.localdate() - dt.timedelta(days=10), name="广东省焊工大赛（已赛）")
    c = contestant(ended, "李焊")
    assert "竞赛成绩待录入" in kinds(world.staff)
    assert "竞赛成绩待审核" not in kinds(world.province)
    services.result_record(actor=world.staff, event=ended, id_number=c.id_number, score="90", rank=1)
    assert "竞赛成绩待录入" not in kinds(world.staff)
    assert "竞赛成绩待审核" in kinds(world.province)
    services.results_review(actor=world.province, event=ended)
    assert "竞赛成绩待审核" not in kinds(world.province)
    # 公示 is the second person's to-do, not the reviewer's (双人复核)
    assert "竞赛成绩待公示" not in kinds(world.province) and "竞赛成绩待公示" in kinds(world.province2)
    services.results_publish(actor=world.province2, event=ended)
    assert "竞赛公示期满待确认" not in kinds(world.province)  # nobody acts while 公示 runs
    cards = {card.title: card.value for card in home_cards(world.province)}
    assert cards["赛事待批准"] == 1 and cards["竞赛成绩待办"] == 0
    assert {card.title: card.value for card in home_cards(world.hr)}["可报名的竞赛"] == 0
    services.event_decide(actor=world.province, event=filed, approve=True, document_number="粤人社函〔2026〕9号")
    assert {card.title: card.value for card in home_cards(world.hr)}["可报名的竞赛"] == 1
