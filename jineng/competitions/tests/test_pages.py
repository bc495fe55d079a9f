"""The pages: the organizer and the official drive an event through its workbench; the public pages show names and
organizations, never document numbers; bad input is named on the form, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.competitions.models import Contestant, Event, Result, ResultsStage

pytestmark = pytest.mark.django_db


def test_organizer_and_official_drive_an_event_through_the_pages(world, api, contestant):
    def staff():  # one test client: sign in as the one acting
        return api(world.staff)

    def province():
        return api(world.province)

    response = staff().post("/competitions/new/", {
        "name": "广东省焊工职业技能大赛（页面）", "level": "province", "event_class": "class1", "occupation": "6-18-02-04",
        "region": "440000", "approving_department": "广东省人力资源和社会保障厅", "starts_on": "2026-10-10",
        "ends_on": "2026-10-12", "min_age": 16, "max_age": 65,
    })  # fmt: skip
    event = Event.objects.get(name="广东省焊工职业技能大赛（页面）")
    assert response.status_code == 302 and response["Location"] == f"/competitions/{event.pk}/"
    url = f"/competitions/{event.pk}/"
    assert staff().post(url + "file/").status_code == 302
    bad = province().post(url + "approve/", {"apv-document_number": "x"})
    assert bad.status_code == 422 and "请填写批准文号" in bad.content.decode()
    assert province().post(url + "approve/", {"apv-document_number": "粤人社函〔2026〕8号"}).status_code == 302
    missing = staff().post(url + "register/", {"reg-id_number": "110101199003070011", "reg-name": "无名"})
    assert missing.status_code == 422 and "不在实名制人员库中" in missing.content.decode()
    c = contestant(event, "李焊", level="grade3")
    # 录入成绩 picks a registered contestant by name and masked number (the page never shows the full number)
    picked = Contestant.objects.get(event=event, person=c.person).pk
    workbench = staff().get(url).content.decode()
    assert f'<option value="{picked}">李焊 · {c.id_number[:4]}' in workbench and c.id_number not in workbench
    assert (
        staff().post(url + "result/", {"res-contestant": picked, "res-score": "98.5", "res-rank": "1"}).status_code
        == 302
    )
    bad_rank = staff().post(url + "result/", {"res-contestant": picked, "res-score": "98.5", "res-rank": "0"})
    assert bad_rank.status_code == 422 and "名次须在" in bad_rank.content.decode()
    assert staff().post(url + "review/").status_code == 403  # the organizer does not review its own results
    assert province().post(url + "review/").status_code == 302
    assert "公示须由另一名工作人员办理" in province().get(url).content.decode()  # 双人复核
    same = province().post(url + "publish/", follow=True)  # and the service refuses
    assert "审核成绩的人不能再公示" in same.content.decode()
    assert api(world.province2).post(url + "publish/").status_code == 302
    event.refresh_from_db()
    assert event.results_stage == ResultsStage.PUBLISHED
    page = province().get(url).content.decode()
    assert "李焊" in page and c.id_number not in page and "公示期至" in page


def test_public_pages_show_names_and_organizations_only(world, make_event, contestant, client):
    from jineng.competitions import services

    event = make_event()
    c = contestant(event, "李焊", level="grade3")
    services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="98", rank=1)
    assert "李焊" not in client.get(f"/public/competitions/{event.code}/").content.decode()  # not yet published
    services.results_review(actor=world.province, event=event)
    services.results_publish(actor=world.province2, event=event)
    services.results_finalize(actor=world.province, event=event, today=dt.date.today() + dt.timedelta(days=30))
    html = client.get(f"/public/competitions/{event.code}/").content.decode()
    assert "李焊" in html and "广东省技术能手" in html and "二级/技师" in html and c.id_number not in html
    assert event.name in client.get("/public/competitions/").content.decode()
    assert "广东省技术能手" in client.get("/public/competitions/titles/").content.decode()
    assert client.get("/public/competitions/NOPE/").status_code == 404
    assert client.get("/public/competitions/?year=abcd&level=moon").status_code == 200


def test_lists_are_scoped(world, make_event, api):
    event = make_event(region="440100", name="广州市焊工技能竞赛")
    assert event.name in api(world.city).get("/competitions/").content.decode()
    assert event.name not in api(world.shenzhen).get("/competitions/").content.decode()
    assert api(world.shenzhen).get(f"/competitions/{event.pk}/").status_code == 404
    assert "广东省技术能手" in api(world.city).get("/competitions/rules/").content.decode()


def test_the_api_lists_in_scope_and_publishes_only_published_results(world, make_event, contestant, api, client,
                                                                     openapi):  # fmt: skip
    from jineng.competitions import services

    event = make_event(region="440100", name="广州市焊工技能竞赛")
    c = contestant(event, "李焊")
    services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="88.5", rank=1)
    mine = api(world.city).get("/api/v1/competitions")
    openapi.validate(mine)
    assert [e["code"] for e in mine.json()["items"]] == [event.code]
    assert api(world.shenzhen).get("/api/v1/competitions").json()["items"] == []
    detail = api(world.city).get(f"/api/v1/competitions/{event.pk}").json()
    assert detail["results"][0]["name"] == "李焊" and detail["results"][0]["score"] == "88.50"
    client.logout()
    public = client.get(f"/api/v1/public/competitions/{event.code}/results")
    openapi.validate(public)
    assert public.json()["results"] == []  # not yet published
    services.results_review(actor=world.province, event=event)
    services.results_publish(actor=world.province2, event=event)
    rows = client.get(f"/api/v1/public/competitions/{event.code}/results").json()["results"]
    assert rows[0]["name"] == "李焊" and c.id_number not in str(rows)
    assert client.get("/api/v1/public/competitions/NOPE/results").status_code == 404
    assert client.get("/api/v1/public/competitions?year=1").status_code == 422


def test_the_events_list_has_a_stable_order_so_its_pages_neither_repeat_nor_skip(world, make_event):
    from jineng.competitions import selectors

    make_event(name="甲市焊工技能竞赛", starts_on=dt.date(2026, 10, 10))
    make_event(name="乙市焊工技能竞赛", starts_on=dt.date(2026, 11, 10))
    qs = selectors.events_visible(world.province)  # counts contestants: a GROUP BY drops Meta.ordering
    assert qs.ordered and [e.name for e in qs if "市焊工" in e.name] == ["乙市焊工技能竞赛", "甲市焊工技能竞赛"]


def test_the_result_form_takes_only_a_registered_contestant_and_only_once_the_event_started(
    world, api, make_event, contestant
):
    import uuid

    from django.utils import timezone

    soon = make_event(starts_on=timezone.localdate() + dt.timedelta(days=3), name="未开赛的焊工大赛")
    c = contestant(soon, "王焊")
    picked = Contestant.objects.get(event=soon, person=c.person).pk
    url = f"/competitions/{soon.pk}/"
    early = api(world.staff).post(url + "result/", {"res-contestant": picked, "res-score": "90", "res-rank": "1"})
    assert early.status_code == 422 and "开赛前不能录入成绩" in early.content.decode()
    started = make_event(name="已开赛的焊工大赛")
    contestant(started, "赵焊")
    # a contestant of another event (or a made-up id) is refused on the field, whatever the page offered
    for wrong in (picked, uuid.uuid4()):
        r = api(world.staff).post(f"/competitions/{started.pk}/result/",
                                  {"res-contestant": wrong, "res-score": "90", "res-rank": "1"})  # fmt: skip
        assert r.status_code == 422 and "该人员未报名本赛事" in r.content.decode()
    assert not Result.objects.filter(contestant__event__in=[soon, started]).exists()
