"""The results import (all or nothing, the one-record path's checks, every bad row named by row, field and reason),
ties at rank 1, and objections (异议) during 公示 with their decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.errors import DomainError, PermissionDenied
from jineng.competitions import services
from jineng.competitions.models import Award, AwardStatus, ObjectionStatus, Result, ResultsStage
from jineng.competitions.tests.conftest import TODAY, make_person
from jineng.imports.api import Context, importer_for
from jineng.imports.framework import run_import
from jineng.imports.tests.helpers import write_csv
from jineng.registry.tests.factories import id18
from jineng.rules.competitions import tied_first

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "身份证号码", "成绩", "名次"]
LATER = TODAY + dt.timedelta(days=services.OBJECTION_DAYS + 30)


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def _run(tmp_path, actor, rows, *, event="", mode="strict"):
    issues = []
    path = write_csv(tmp_path / "results.csv", [HEADER, *rows])
    ctx = Context(actor=actor, mode=mode, region_code="", today=timezone.localdate(), options={"event": event})
    result = run_import(importer=importer_for("competition_results"), path=path, ctx=ctx, on_issue=issues.append)
    return result, {(i.row, i.column, i.code) for i in issues}, issues


# ---- results import ----------------------------------------------------------------------------------------------


def test_a_file_with_one_bad_row_writes_nothing_and_names_every_bad_row(world, make_event, contestant, tmp_path):
    event = make_event()
    a, b, c = contestant(event, "李焊"), contestant(event, "王焊"), contestant(event, "赵焊")
    d = contestant(event, "钱焊")
    stranger = id18("440106")
    make_person(name="路人", id_number=stranger)
    rows = [
        ["李焊", a.id_number, "98.5", "1"],
        ["王焊", b.id_number, "abc", "2"],  # row 3: score not a number
        ["赵焊", c.id_number, "90", "0"],  # row 4: rank out of range
        ["路人", stranger, "80", "4"],  # row 5: not registered
        ["李焊", a.id_number, "97", "2"],  # row 6: twice in the file
        ["钱汉", d.id_number, "91", "2"],  # row 7: the name is not the registered one
    ]
    result, found, issues = _run(tmp_path, world.staff, rows, event=event.code)
    assert result.outcome == "rejected" and not Result.objects.filter(contestant__event=event).exists()
    assert {(3, "score", "bad_score"), (4, "rank", "bad_rank"), (5, "id_number", "result_not_registered"),
            (6, "id_number", "duplicate_registration"), (7, "name", "name_mismatch")} <= found  # fmt: skip
    assert all(i.value == "" or "*" in i.value for i in issues if i.column == "id_number")

    good = [["李焊", a.id_number, "98.5", "1"], ["王焊", b.id_number, "91", "2"], ["赵焊", c.id_number, "90", "3"]]
    result, found, _issues = _run(tmp_path, world.staff, good, event=event.code)
    assert result.written and result.created == 3 and not found
    assert sorted(Result.objects.filter(contestant__event=event).values_list("rank", flat=True)) == [1, 2, 3]


def test_the_import_takes_the_one_record_paths_permission_and_state(world, make_event, contestant, tmp_path):
    event = make_event()
    a = contestant(event, "李焊")
    row = [["李焊", a.id_number, "98", "1"]]
    result, _f, _i = _run(tmp_path, world.hr, row, event=event.code)  # an enterprise is not the organizer
    assert result.outcome == "refused" and result.refusal_code == "unknown_event"
    result, _f, _i = _run(tmp_path, world.staff, row, event="")
    assert result.outcome == "refused" and result.refusal_code == "event_required"
    result, _f, _i = _run(tmp_path, world.staff, row, event=event.code, mode="partial")
    assert result.outcome == "refused" and result.refusal_code == "strict_only"
    services.result_record(actor=world.staff, event=event, id_number=a.id_number, score="98", rank=1)
    services.results_review(actor=world.province, event=event)
    result, found, _i = _run(tmp_path, world.staff, row, event=event.code)
    assert not result.written and (2, "", "results_state") in found


def test_the_event_page_offers_the_template_and_the_import(world, make_event, contestant, api):
    event = make_event()
    contestant(event, "李焊")
    page = api(world.staff).get(f"/competitions/{event.pk}/").content.decode()
    assert "/imports/template/competition_results.xlsx" in page and "kinds=competition_results" in page
    template = api(world.staff).get("/imports/template/competition_results.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert importer_for("competition_results").template_headers() == HEADER


# ---- ties at rank 1 ----------------------------------------------------------------------------------------------


def test_two_individuals_at_rank_1_are_refused_a_team_shares_it(world, make_event, contestant):
    event = make_event()
    a, b = contestant(event, "李焊", level="grade3"), contestant(event, "王焊", level="grade3")
    for c in (a, b):
        services.result_record(actor=world.staff, event=event, id_number=c.id_number, score="95", rank=1)
    with pytest.raises(DomainError) as exc:
        services.results_review(actor=world.province, event=event)
    assert _code(exc) == "tied_first" and "李焊" in str(exc.value) and "王焊" in str(exc.value)

    team_event = make_event(name="广东省焊工职业技能大赛（团体）")
    members = []
    for name in ("甲焊", "乙焊"):
        number = id18("440106")
        make_person(name=name, id_number=number)
        services.contestant_register(actor=world.staff, event=team_event, id_number=number, name=name,
                                     team_name="省一队")  # fmt: skip
        services.result_record(actor=world.staff, event=team_event, id_number=number, score="95", rank=1)
        members.append(number)
    assert services.results_review(actor=world.province, event=team_event).results_stage == ResultsStage.REVIEWED


def test_a_restatement_of_final_results_may_not_tie_rank_1(world, make_event, contestant):
    event = make_event()
    a, b = contestant(event, "李焊", level="grade3"), contestant(event, "王焊", level="grade3")
    services.result_record(actor=world.staff, event=event, id_number=a.id_number, score="95", rank=1)
    second = services.result_record(actor=world.staff, event=event, id_number=b.id_number, score="94", rank=2)
    services.results_review(actor=world.province, event=event)
    services.results_publish(actor=world.province2, event=event)
    services.results_finalize(actor=world.province, event=event, today=LATER)
    with pytest.raises(DomainError) as exc:
        services.result_restate(actor=world.province, result=second, score="95", rank=1, reason="复核", today=LATER)
    assert _code(exc) == "tied_first"
    assert Award.objects.filter(status=AwardStatus.ACTIVE, promoted_level_id="grade2").count() == 1


@given(st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙"]), st.sampled_from(["A", "B", "#1", "#2"])), max_size=6))
def test_tied_first_names_everyone_exactly_when_more_than_one_team_is_first(firsts):
    found = tied_first(firsts)
    teams = {t for _n, t in firsts}
    assert (found == [n for n, _t in firsts]) if len(teams) > 1 else found == []


# ---- objections --------------------------------------------------------------------------------------------------


def _published(world, make_event, contestant):
    event = make_event()
    a, b = contestant(event, "李焊", level="grade3"), contestant(event, "王焊", level="grade3")
    services.result_record(actor=world.staff, event=event, id_number=a.id_number, score="95", rank=1)
    services.result_record(actor=world.staff, event=event, id_number=b.id_number, score="94", rank=2)
    services.results_review(actor=world.province, event=event)
    return services.results_publish(actor=world.province2, event=event)


def test_an_objection_is_raised_on_the_public_page_and_decided_before_finalizing(world, make_event, contestant, api,
                                                                                client, make_user):  # fmt: skip
    event = _published(world, make_event, contestant)
    public = f"/public/competitions/{event.code}/"
    assert "提出异议须先登录" in client.get(public).content.decode()
    worker = make_user()  # anyone signed in
    page = api(worker).get(public).content.decode()
    assert "提交异议" in page
    second = Result.objects.get(contestant__event=event, rank=2)
    short = api(worker).post(f"/competitions/objections/{event.code}/", {"obj-reason": "不服", "obj-result": ""})
    assert short.status_code == 422 and "请写明异议的事实和理由" in short.content.decode()
    done = api(worker).post(f"/competitions/objections/{event.code}/", {
        "obj-reason": "第二名实操用时计算有误，应为第一", "obj-result": str(second.pk), "obj-name": "王焊",
    })  # fmt: skip
    assert done.status_code == 302
    objection = event.objections.get()
    assert objection.result_id == second.pk and objection.status == ObjectionStatus.OPEN

    with pytest.raises(DomainError) as exc:
        services.results_finalize(actor=world.province, event=event, today=LATER)
    assert _code(exc) == "objection_open"
    with pytest.raises(PermissionDenied):
        services.objection_decide(actor=world.staff, objection=objection, upheld=False, decision="不成立")
    page = api(world.province).get(f"/competitions/{event.pk}/").content.decode()
    assert "第二名实操用时计算有误" in page and "提交处理结果" in page
    response = api(world.province).post(f"/competitions/{event.pk}/decide/", {
        "dec-objection": str(objection.pk), "dec-outcome": "upheld", "dec-decision": "经复核用时有误，名次更正",
        "dec-score": "94", "dec-rank": "1",
    })  # fmt: skip
    assert response.status_code == 302
    objection.refresh_from_db()
    second.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and objection.decided_by_id == world.province.pk
    assert second.rank == 1 and second.restate_reason.startswith("异议成立")
    with pytest.raises(DomainError) as exc:
        services.objection_decide(actor=world.province, objection=objection, upheld=False, decision="再议一次")
    assert _code(exc) == "objection_closed"
    # the correction made two individuals first: confirmed only once the tie is broken
    with pytest.raises(DomainError) as exc:
        services.results_finalize(actor=world.province, event=event, today=LATER)
    assert _code(exc) == "tied_first"
    first = Result.objects.get(contestant__event=event, contestant__name="李焊")
    services.result_restate(actor=world.province, result=first, score="95", rank=2, reason="异议成立后重排名次")
    with pytest.raises(DomainError) as exc:  # a higher score after a lower one
        services.results_finalize(actor=world.province, event=event, today=LATER)
    assert _code(exc) == "rank_contradicts_score"
    services.result_restate(actor=world.province, result=first, score="93", rank=2, reason="异议成立后重新计分")
    awards = services.results_finalize(actor=world.province, event=event, today=LATER)
    assert {a.rank for a in awards} == {1, 2}


def test_objections_only_during_the_period_and_dismissal_lets_it_run(world, make_event, contestant, make_user):
    event = _published(world, make_event, contestant)
    worker = make_user()
    with pytest.raises(DomainError) as exc:
        services.objection_raise(actor=worker, event=event, reason="名次有误，请复核", today=event.objection_until
                                 + dt.timedelta(days=1))  # fmt: skip
    assert _code(exc) == "objection_period_over"
    with pytest.raises(DomainError) as exc:
        services.objection_raise(actor=worker, event=event, reason="x" * 501)
    assert _code(exc) == "reason_required" and exc.value.fields[0].field == "reason"
    objection = services.objection_raise(actor=worker, event=event, reason="名次有误，请复核")
    with pytest.raises(DomainError) as exc:
        services.objection_decide(actor=world.province, objection=objection, upheld=False, decision="")
    assert _code(exc) == "reason_required" and exc.value.fields[0].field == "decision"
    services.objection_decide(actor=world.province, objection=objection, upheld=False, decision="经核查，计分无误")
    assert services.results_finalize(actor=world.province, event=event, today=LATER)
    with pytest.raises(DomainError) as exc:  # after 确认
        services.objection_raise(actor=worker, event=event, reason="名次有误，请复核")
    assert _code(exc) == "objection_period_over"


def test_the_same_objection_submitted_twice_is_one_objection_to_decide(world, make_event, contestant, make_user, api):
    event = _published(world, make_event, contestant)
    worker = make_user()
    second = Result.objects.get(contestant__event=event, rank=2)
    body = {"reason": "第二名实操用时计算有误，应为第一", "result": str(second.pk)}
    first = api(worker).post(f"/api/v1/competitions/{event.pk}/objections", body, content_type="application/json")
    again = api(worker).post(f"/api/v1/competitions/{event.pk}/objections", body, content_type="application/json")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    page = {"obj-reason": body["reason"], "obj-result": str(second.pk)}
    assert api(worker).post(f"/competitions/objections/{event.code}/", page).status_code == 302
    assert event.objections.count() == 1
    services.objection_raise(actor=worker, event=event, reason="另一理由：第一名超时未扣分")  # a different objection
    services.objection_raise(actor=make_user(), event=event, reason=body["reason"], result=second)  # another person
    assert event.objections.count() == 3
