"""The API of the organizer's journey — 新建 → 报备 → 批准 (or 退回) → 报名 → 成绩 → 审核 → 公示 → 确认 → 更正: the same
services as the pages, the same permissions and region scope, bounded bodies, each error on its field with its code;
wrong roles, other regions, bad ids and a second submission of the same step are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.competitions.models import Award, AwardStatus, Contestant, Event, EventStatus, ResultsStage
from jineng.competitions.tests.conftest import WELDER, make_person

pytestmark = pytest.mark.django_db
API = "/api/v1/competitions"
JSON = "application/json"


def _body(**kw):
    return {"name": "广东省焊工职业技能大赛（接口）", "level": "province", "event_class": "class1", "occupation": WELDER,
            "approving_department": "广东省人力资源和社会保障厅", "region": "440000", "starts_on": "2026-10-10",
            "ends_on": "2026-10-12", **kw}  # fmt: skip


def _post(api, user, url, body=None):
    return api(user).post(url, body or {}, content_type=JSON)


def test_an_organizer_creates_and_files_an_event_and_another_official_approves_it(world, api):
    made = _post(api, world.staff, API, _body(other_occupations=["6-18-02-05"], min_level="grade4"))
    assert made.status_code == 201, made.content
    event = made.json()
    assert (event["status"], event["status_label"], event["organizer"]) == ("draft", "草稿", "广东省职业技能竞赛中心")
    url = f"{API}/{event['id']}"
    assert _post(api, world.province, f"{url}/approve", {"document_number": "粤人社函〔2026〕1号"}).json()[
        "code"] == "event_state"  # fmt: skip  # a draft is not decided
    filed = _post(api, world.staff, f"{url}/file")
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
    again = _post(api, world.staff, f"{url}/file")  # double submit
    assert (again.status_code, again.json()["code"]) == (409, "event_state")
    # the organizer cannot approve its own event; another province's official does not see it
    assert _post(api, world.staff, f"{url}/approve", {"document_number": "粤人社函〔2026〕1号"}).status_code == 403
    assert _post(api, world.shandong, f"{url}/approve", {"document_number": "鲁人社函〔2026〕1号"}).status_code == 404
    short = _post(api, world.province, f"{url}/approve", {"document_number": "1"}).json()
    assert short["fields"][0]["field"] == "document_number" and short["fields"][0]["code"] == "bad_code"
    approved = _post(api, world.province, f"{url}/approve", {"document_number": "粤人社函〔2026〕1号"})
    assert approved.json()["status"] == "approved" and approved.json()["document_number"] == "粤人社函〔2026〕1号"
    assert _post(api, world.province2, f"{url}/approve", {"document_number": "粤人社函〔2026〕2号"}).json()[
        "code"] == "event_state"  # fmt: skip
    saved = Event.objects.get(pk=event["id"])
    assert saved.other_occupations == ["6-18-02-05"] and saved.min_level_id == "grade4"


def test_a_returned_event_needs_a_reason_and_is_filed_again(world, api, make_event):
    event = make_event(approve=False)
    url = f"{API}/{event.pk}"
    _post(api, world.staff, f"{url}/file")
    no_reason = _post(api, world.province, f"{url}/reject", {"reason": " "}).json()
    assert no_reason["fields"][0] == {
        "field": "reason",
        "code": "reason_required",
        "message": "请填写原因（2–300 字）。",
    }
    assert Event.objects.get(pk=event.pk).status == EventStatus.FILED  # nothing written
    returned = _post(api, world.province, f"{url}/reject", {"reason": "批准部门应为省人社厅，请更正。"}).json()
    assert returned["status"] == "rejected"
    assert _post(api, world.staff, f"{url}/file").json()["status"] == "filed"


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"event_class": "class1", "level": "city"}, "event_class", "bad_class"),
    ({"ends_on": "2026-10-01"}, "ends_on", "bad_dates"),
    ({"min_level": "grade1", "max_level": "grade5"}, "max_level", "bad_level_range"),
    ({"organizer": "广东省职业技能竞赛中心"}, "organizer", "unknown_organizer"),
    ({"organizer": "0" * 40}, "organizer", "unknown_organizer"),
    ({"name": "长" * 201}, "name", "too_long"),
    ({"min_age": True}, "min_age", "not_integer"),
    ({"other_occupations": [WELDER] * 11}, "other_occupations", "invalid"),
])  # fmt: skip
def test_bad_event_bodies_are_refused_on_their_field_and_write_nothing(world, api, change, field, code):
    refused = _post(api, world.staff, API, _body(**change))
    assert refused.status_code in (409, 422), refused.content
    first = refused.json()["fields"][0]
    assert (first["field"].split(".")[0], first["code"]) == (field, code) and first["message"]
    assert not Event.objects.exists()


def test_who_may_create_an_event(world, api, make_user, make_org):
    # an official of another city names the province's organizer: the event's region is not theirs
    org_id = str(world.organizer.pk)
    assert _post(api, world.shenzhen, API, _body(organizer=org_id)).status_code == 403
    # a worker edits for no organization
    worker = make_user("worker", region="440106")
    assert _post(api, worker, API, _body()).json()["fields"][0]["code"] == "unknown_organizer"
    # the province's official may create one for an organizer in its region
    assert _post(api, world.province, API, _body(organizer=org_id)).status_code == 201
    assert not _post(api, world.staff, "/api/v1/competitions/not-an-id/file").status_code == 200


def test_registration_by_the_organizer_and_a_recommending_enterprise(world, api, make_event):
    event = make_event(starts_on=dt.date.today() + dt.timedelta(days=30))
    url = f"{API}/{event.pk}/contestants"
    from jineng.registry.tests.factories import id18

    mine, theirs = id18("440106"), id18("440106")
    make_person(region="440106", name="陈焊", id_number=mine)
    make_person(region="440106", name="周焊", id_number=theirs)
    made = _post(api, world.staff, url, {"id_number": mine, "name": "陈焊", "team_name": "一队"})
    assert made.status_code == 201 and made.json()["organization"] == "广东省职业技能竞赛中心"
    twice = _post(api, world.staff, url, {"id_number": mine, "name": "陈焊"}).json()  # double submit
    assert twice["fields"][0]["field"] == "id_number" and twice["fields"][0]["code"] == "duplicate_registration"
    unknown = _post(api, world.staff, url, {"id_number": id18("440106"), "name": "无名"}).json()
    assert unknown["fields"][0]["code"] == "contestant_not_in_registry"
    wrong_name = _post(api, world.staff, url, {"id_number": theirs, "name": "周焊工"}).json()
    assert wrong_name["fields"][0] == {"field": "name", "code": "name_mismatch",
                                       "message": "姓名与实名制人员库登记的不一致。"}  # fmt: skip
    # the enterprise registers its own worker (推荐单位) and sees only its own
    hr = _post(api, world.hr, url, {"id_number": theirs, "name": "周焊"})
    assert hr.status_code == 201 and hr.json()["organization"] == "天河精工有限公司"
    assert [c["name"] for c in api(world.hr).get(url).json()] == ["周焊"]
    assert {c["name"] for c in api(world.staff).get(url).json()} == {"陈焊", "周焊"}
    # officials see the list but do not register; another province's does not see the event
    assert {c["name"] for c in api(world.province).get(url).json()} == {"陈焊", "周焊"}
    assert _post(api, world.province, url, {"id_number": mine, "name": "陈焊"}).status_code == 403
    assert api(world.shandong).get(url).status_code == 404
    assert _post(api, world.shandong, url, {"id_number": mine, "name": "陈焊"}).status_code == 404
    assert _post(api, world.staff, f"{API}/not-an-id/contestants", {"id_number": mine, "name": "陈焊"}).json()[
        "code"] == "validation_failed"  # fmt: skip
    assert Contestant.objects.filter(event=event).count() == 2


def test_results_through_review_publication_and_finalization_to_a_promotion_and_its_restatement(
    world, api, make_event, contestant
):
    event = make_event()
    url = f"{API}/{event.pk}"
    winner = contestant(event, "李焊", level="grade3")
    second = contestant(event, "王焊")
    record = f"{url}/results"
    bad = _post(api, world.staff, record, {"id_number": winner.id_number, "score": "九十", "rank": 1}).json()
    assert bad["fields"][0]["field"] == "score" and bad["fields"][0]["code"] == "bad_score"
    flag = _post(api, world.staff, record, {"id_number": winner.id_number, "score": True, "rank": 1})
    assert flag.status_code == 422  # a yes/no is not a score
    from jineng.registry.tests.factories import id18

    outsider_number = id18("440106")
    make_person(region="440106", name="局外人", id_number=outsider_number)
    none = _post(api, world.staff, record, {"id_number": outsider_number, "score": 80, "rank": 3}).json()
    assert none["fields"][0]["code"] == "result_not_registered"
    assert _post(api, world.province, record, {"id_number": winner.id_number, "score": 95, "rank": 1}
                 ).status_code == 403  # fmt: skip  # officials review, they do not enter
    for c, score, rank in ((winner, 96.5, 1), (second, "88", "2")):
        assert _post(api, world.staff, record, {"id_number": c.id_number, "score": score, "rank": rank}
                     ).status_code == 200  # fmt: skip
    again = _post(api, world.staff, record, {"id_number": winner.id_number, "score": 96.5, "rank": 1}).json()
    assert [(r["name"], r["score"], r["rank"]) for r in again["results"]] == [
        ("李焊", "96.50", 1),
        ("王焊", "88.00", 2),
    ]

    assert _post(api, world.staff, f"{url}/review").status_code == 403  # the organizer is no reviewer
    assert _post(api, world.shandong, f"{url}/review").status_code == 404
    reviewed = _post(api, world.province, f"{url}/review").json()
    assert reviewed["event"]["results_stage"] == "reviewed" and reviewed["event"]["results_stage_label"] == "已审核"
    assert _post(api, world.province, f"{url}/review").json()["code"] == "results_state"  # double submit
    assert _post(api, world.province, f"{url}/publish").json()["code"] == "same_person"
    published = _post(api, world.province2, f"{url}/publish").json()
    assert published["event"]["results_stage"] == "published" and published["event"]["objection_until"]
    assert _post(api, world.province2, f"{url}/publish").json()["code"] == "results_state"
    assert _post(api, world.province, f"{url}/finalize").json()["code"] == "objection_period_open"
    Event.objects.filter(pk=event.pk).update(objection_until=dt.date.today() - dt.timedelta(days=1))
    final = _post(api, world.province, f"{url}/finalize").json()
    assert final["event"]["results_stage"] == ResultsStage.FINAL
    assert final["results"][0]["title"] == "广东省技术能手" and final["results"][0]["promotion"] == "二级/技师"
    assert _post(api, world.province, f"{url}/finalize").json()["code"] == "results_state"
    titles = api(world.hr).get("/api/v1/public/competitions/titles").json()["items"]
    assert ("广东省技术能手", "李焊", 1) in [(t["title"], t["name"], t["rank"]) for t in titles]
    assert winner.id_number not in str(titles)
    awards = api(world.staff).get(f"{url}/awards").json()
    assert awards[0]["certificate_number"] and awards[0]["explanation"]
    assert api(world.shandong).get(f"{url}/awards").status_code == 404

    # 更正: an official restates the first prize; the promotion and its certificate are revoked
    result_id = final["results"][0]["id"]
    restate = f"{API}/results/{result_id}/restate"
    body = {"score": "80", "rank": 3, "reason": "复核发现计时错误"}
    assert _post(api, world.staff, restate, body).status_code == 403
    assert _post(api, world.shandong, restate, body).status_code == 404
    assert _post(api, world.province, f"{API}/results/not-an-id/restate", body).status_code == 422
    assert _post(api, world.province, restate, {**body, "reason": ""}).json()["code"] == "reason_required"
    restated = _post(api, world.province, restate, body).json()
    assert [(r["name"], r["rank"], r["restated"]) for r in restated["results"]][-1] == ("李焊", 3, True)
    assert _post(api, world.province, restate, body).json()["code"] == "nothing_changed"  # double submit
    old = Award.objects.get(event=event, person=winner.person, status=AwardStatus.REVOKED)
    from jineng.certificates.models import Certificate

    assert Certificate.objects.get(pk=old.certificate_id).status == "revoked"
    public = api(world.hr).get(f"/api/v1/public/competitions/{event.code}/results").json()
    assert "id_number" not in str(public) and winner.id_number not in str(public)
