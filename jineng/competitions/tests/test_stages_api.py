"""The API of stages, withdrawal (退赛), objections (异议) and award-rule drafts — the same services as the pages,
bounded bodies; the stage and rule-draft pages; the workbench to-dos of a second person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jineng.competitions import services
from jineng.competitions.models import Contestant, ContestantStatus, Event, ObjectionStatus, Result, StageStatus
from jineng.competitions.tests.conftest import GD_RULES

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _todos(user):
    from jineng.web.todos import todos_for

    return {str(t.kind) for t in todos_for(user)}


def test_stages_through_the_api_and_a_second_person_confirms(world, api, make_event, contestant):
    event = make_event(approve=False)
    url = f"{API}/competitions/{event.pk}/stages"
    too_many = {"stages": [{"kind": "preliminary", "advance_mode": "top_n", "advance_value": "2"}] * 4}
    assert api(world.staff).put(url, too_many, content_type="application/json").status_code == 422
    long = {"stages": [{"kind": "preliminary", "advance_mode": "top_n", "advance_value": "9" * 65}, {"kind": "final"}]}
    assert api(world.staff).put(url, long, content_type="application/json").status_code == 422
    bad = {"stages": [{"kind": "preliminary", "advance_mode": "top_n", "advance_value": "0"}, {"kind": "final"}]}
    body = api(world.staff).put(url, bad, content_type="application/json").json()
    assert body["fields"][0] == {"field": "stages[0].advance_value", "code": "bad_advance",
                                 "message": "晋级人数须为 1–10000 的整数。"}  # fmt: skip
    good = {"stages": [{"kind": "preliminary", "advance_mode": "top_n", "advance_value": "1"}, {"kind": "final"}]}
    body = api(world.staff).put(url, good, content_type="application/json").json()
    assert [(s["kind"], s["advance_value"]) for s in body["stages"]] == [("preliminary", "1"), ("final", "")]
    services.event_file(actor=world.staff, event=event)
    services.event_decide(actor=world.province, event=event, approve=True, document_number="粤人社函〔2026〕9号")
    a, b = contestant(event, "甲焊"), contestant(event, "乙焊")
    stage_id = body["stages"][0]["id"]
    for who, score, rank in ((a, "91", "1"), (b, "85", "2")):
        r = api(world.staff).post(f"{url}/{stage_id}/results", {"id_number": who.id_number, "score": score,
                                                                "rank": rank}, content_type="application/json")  # fmt: skip
        assert r.status_code == 200
    assert api(world.staff).post(f"{url}/{stage_id}/advance").status_code == 200
    assert "竞赛晋级名单待确认" in _todos(world.province)
    returned = api(world.province).post(f"{url}/{stage_id}/return", {"reason": ""}, content_type="application/json")
    assert returned.json()["code"] == "reason_required"
    assert api(world.shandong).get(url).status_code == 404  # another province's official
    body = api(world.province).post(f"{url}/{stage_id}/confirm").json()
    first = body["stages"][0]
    assert first["status"] == StageStatus.CLOSED
    assert [(r["name"], r["advanced"]) for r in first["results"]] == [("甲焊", True), ("乙焊", False)]
    assert Contestant.objects.get(event=event, name="乙焊").eliminated_in_id is not None


def test_withdrawal_and_objections_through_the_api(world, api, make_event, contestant, make_org):
    event = make_event(starts_on=dt.date.today() + dt.timedelta(days=30))
    from jineng.registry.tests.factories import id18, make_person

    number = id18("440106")
    make_person(region="440106", name="企业工", id_number=number)
    own = services.contestant_register(actor=world.hr, event=event, id_number=number, name="企业工",
                                       organization=world.enterprise)  # fmt: skip
    other = contestant(event, "别家工")
    withdraw = f"{API}/competitions/contestants/{{}}/withdraw"
    assert api(world.hr).post(withdraw.format(other.person.pk), {"reason": "x"}, content_type="application/json"
                              ).status_code == 404  # fmt: skip
    theirs = Contestant.objects.get(event=event, person=other.person)
    assert api(world.hr).post(withdraw.format(theirs.pk), {"reason": "不相干单位"}, content_type="application/json"
                              ).status_code == 404  # fmt: skip
    short = api(world.hr).post(withdraw.format(own.pk), {"reason": "x"}, content_type="application/json").json()
    assert short["code"] == "reason_required"
    too_long = api(world.hr).post(withdraw.format(own.pk), {"reason": "长" * 2001}, content_type="application/json")
    assert too_long.status_code == 422
    done = api(world.hr).post(withdraw.format(own.pk), {"reason": "工作安排冲突"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == ContestantStatus.WITHDRAWN
    # results wait for the event to start (China time): refused before, with the start date named
    results = f"{API}/competitions/{event.pk}/results"
    early = api(world.staff).post(results, {"id_number": other.id_number, "score": "90", "rank": "1"},
                                  content_type="application/json")  # fmt: skip
    assert early.status_code == 409 and early.json()["code"] == "not_started"
    assert f"{event.starts_on:%Y-%m-%d} 开赛" in early.json()["message"]
    assert not Result.objects.filter(contestant__event=event).exists()
    today = timezone.localdate()
    Event.objects.filter(pk=event.pk).update(starts_on=today, ends_on=today + dt.timedelta(days=2))  # the day comes
    event.refresh_from_db()
    # objections during 公示: raised by anyone signed in, decided by an official of the event's region
    assert api(world.staff).post(results, {"id_number": other.id_number, "score": "90", "rank": "1"},
                                 content_type="application/json").status_code == 200  # fmt: skip
    services.results_review(actor=world.province, event=event)
    services.results_publish(actor=world.province2, event=event)
    result_id = str(Contestant.objects.get(pk=theirs.pk).result.pk)
    raise_url = f"{API}/competitions/{event.pk}/objections"
    body = {"reason": "第一名的实操计时有误，请复核。", "result": result_id, "name": "天河精工"}
    raised = api(world.hr).post(raise_url, body, content_type="application/json")
    assert raised.status_code == 201 and raised.json()["result_name"] == "别家工"
    assert api(world.hr).post(raise_url, {**body, "reason": "短"}, content_type="application/json").json()[
        "code"] == "reason_required"  # fmt: skip
    assert "竞赛成绩异议待处理" in _todos(world.province)
    decide = f"{API}/competitions/objections/{raised.json()['id']}/decide"
    verdict = {"upheld": True, "decision": "复核计时属实，更正成绩。", "score": "88", "rank": "1"}
    assert api(world.hr).post(decide, verdict, content_type="application/json").status_code == 403
    decided = api(world.province).post(decide, verdict, content_type="application/json").json()
    assert decided["status"] == ObjectionStatus.UPHELD
    assert str(Contestant.objects.get(pk=theirs.pk).result.score) == "88.00"
    assert "竞赛成绩异议待处理" not in _todos(world.province)
    listed = api(world.province).get(raise_url).json()
    assert [o["status"] for o in listed] == ["upheld"]


def test_rule_drafts_through_the_api_and_the_edit_page(world, api):
    lines = [dict(ln, event_class=ln.get("event_class", ""), title=ln.get("title", ""),
                  prerequisite=ln.get("prerequisite", ""), grants=ln.get("grants", "")) for ln in GD_RULES]  # fmt: skip
    body = {"region": "440000", "valid_from": "2027-01-01", "basis": "粤人社规〔2027〕1号", "lines": lines}
    past = {**body, "lines": [{**lines[0], "prerequisite": "grade1", "grants": "next"}]}
    refused = api(world.province).post(f"{API}/competition-rules", past, content_type="application/json").json()
    assert refused["fields"][0]["field"].startswith("lines[0].")
    assert api(world.province).post(f"{API}/competition-rules", {**body, "lines": lines * 26},
                                    content_type="application/json").status_code == 422  # fmt: skip
    made = api(world.province).post(f"{API}/competition-rules", body, content_type="application/json").json()
    assert made["status"] == "draft" and made["version"] is None
    assert "竞赛奖励规则待发布" in _todos(world.province2) and "竞赛奖励规则待发布" not in _todos(world.province)
    rs = f"{API}/competition-rules/{made['id']}"
    edit = {"valid_from": "2027-02-01", "basis": "粤人社规〔2027〕2号", "lines": lines[:2]}
    assert api(world.province2).put(rs, edit, content_type="application/json").json()["code"] == "not_proposer"
    edited = api(world.province).put(rs, edit, content_type="application/json").json()
    assert (edited["basis"], len(edited["lines"])) == ("粤人社规〔2027〕2号", 2)
    assert api(world.province).post(f"{rs}/publish").json()["code"] == "same_person"
    published = api(world.province2).post(f"{rs}/publish").json()
    assert (published["status"], published["version"]) == ("published", 2)
    assert api(world.province).put(rs, edit, content_type="application/json").json()["code"] == "rules_state"
    # the draft edit page: its proposer only
    draft = services.award_rules_propose(actor=world.province, region_code="440000", valid_from=dt.date(2028, 1, 1),
                                         basis="粤人社规〔2028〕1号", lines=GD_RULES)  # fmt: skip
    page = f"/competitions/rules/{draft.pk}/edit/"
    assert api(world.province2).get(page).status_code == 403
    assert "修改奖励规则草稿" in api(world.province).get(page).content.decode()
    assert "修改草稿" in api(world.province).get("/competitions/rules/").content.decode()


def test_stages_on_the_workbench_and_the_public_page(world, api, make_event, contestant):
    event = make_event(approve=False)
    url = f"/competitions/{event.pk}/"
    bad = api(world.staff).post(url + "stages/", {"stg-plan": "two", "stg-preliminary_mode": "score_line",
                                                  "stg-preliminary_value": "abc"})  # fmt: skip
    assert bad.status_code == 422 and "分数线须在 0–1000 之间" in bad.content.decode()
    assert api(world.staff).post(url + "stages/", {"stg-plan": "two", "stg-preliminary_mode": "score_line",
                                                   "stg-preliminary_value": "80"}).status_code == 302  # fmt: skip
    services.event_file(actor=world.staff, event=event)
    services.event_decide(actor=world.province, event=event, approve=True, document_number="粤人社函〔2026〕9号")
    a, b = contestant(event, "甲焊"), contestant(event, "乙焊")
    stage = services.stages_of(event)[0]
    html = api(world.staff).get(url).content.decode()
    assert "录入初赛成绩" in html and "录入决赛成绩" not in html  # the final waits for the 初赛
    assert "达到分数线晋级：80）" in html  # the line as written, not 8E+1
    # the organizer picks the contestant from the registered ones (name and masked number), not a typed number
    picked = {who.id_number: Contestant.objects.get(event=event, person=who.person).pk for who in (a, b)}
    assert f'<option value="{picked[a.id_number]}">甲焊 · ' in html and a.id_number not in html
    for who, score, rank in ((a, "91", "1"), (b, "79", "2")):
        r = api(world.staff).post(url + "stage_result/", {"sres-stage": stage.pk,
                                                          "sres-contestant": picked[who.id_number],
                                                          "sres-score": score, "sres-rank": rank})  # fmt: skip
        assert r.status_code == 302
    assert api(world.staff).post(url + "stage_propose/", {"sd-stage": stage.pk}).status_code == 302
    assert "须由另一名工作人员" in api(world.staff).get(url).content.decode()
    assert api(world.province).post(url + "stage_confirm/", {"sd-stage": stage.pk}).status_code == 302
    html = api(world.staff).get(url).content.decode()
    assert "录入决赛成绩" in html and "初赛未晋级" in html
    public = api(world.hr).get(f"/public/competitions/{event.code}/").content.decode()
    assert "初赛成绩与晋级" in public and "甲焊" in public and "未晋级" in public and a.id_number not in public
