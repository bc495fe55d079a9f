"""Stages (初赛 → 复赛 → 决赛): results per stage, advancement by top N or a score line proposed by one person and
confirmed by another, only those who advance get a result in the next stage; the final's results drive awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.competitions import services
from jineng.competitions.models import Award, Contestant, StageStatus
from jineng.competitions.services import StageData
from jineng.competitions.tests.conftest import TODAY

LATER = TODAY + dt.timedelta(days=services.OBJECTION_DAYS + 30)
TWO = [StageData("preliminary", "top_n", 2), StageData("final")]


def _err(fn, *args, **kw) -> DomainError:
    with pytest.raises(DomainError) as exc:
        fn(*args, **kw)
    return exc.value


@pytest.fixture
def staged(world, make_event, contestant):
    """An approved province 一类 event with 初赛 (top 2) → 决赛 and three contestants, one holding 三级/高级工."""
    event = make_event(approve=False)
    services.event_stages_set(actor=world.staff, event=event, stages=TWO)
    services.event_file(actor=world.staff, event=event)
    services.event_decide(actor=world.province, event=event, approve=True, document_number="粤人社函〔2026〕9号")
    a, b, c = contestant(event, "甲焊", level="grade3"), contestant(event, "乙焊"), contestant(event, "丙焊")
    first = services.stages_of(event)[0]
    for who, score, rank in ((a, "88", 2), (b, "92", 1), (c, "70", 3)):
        services.stage_result_record(actor=world.staff, stage=first, id_number=who.id_number, score=score, rank=rank)
    return SimpleNamespace(event=event, first=first, a=a, b=b, c=c)


@pytest.mark.django_db
def test_the_final_takes_only_those_who_advanced_and_its_results_drive_awards(world, staged):
    event, first = staged.event, staged.first
    # before the advancement is confirmed, no result of the final
    err = _err(services.result_record, actor=world.staff, event=event, id_number=staged.a.id_number, score=90, rank=1)
    assert err.code == "stage_state" and "初赛晋级名单尚未确认" in err.message
    services.stage_advance_propose(actor=world.staff, stage=first)
    err = _err(services.stage_advance_decide, actor=world.staff, stage=first, approve=True)
    assert err.status == 403  # the organizer does not confirm: an official of the event's region does
    services.stage_advance_decide(actor=world.province, stage=first, approve=True)
    first.refresh_from_db()
    assert first.status == StageStatus.CLOSED and first.confirmed_by_id == world.province.pk
    out = Contestant.objects.get(event=event, person=staged.c.person)
    assert out.eliminated_in_id == first.pk
    err = _err(services.result_record, actor=world.staff, event=event, id_number=staged.c.id_number, score=99, rank=1)
    assert (err.code, err.fields[0].field) == ("not_advanced", "id_number") and "丙焊未晋级决赛" in err.message
    # the final: 甲 (third in nothing, second in the 初赛) wins it and gets the award, not 乙 who won the 初赛
    services.result_record(actor=world.staff, event=event, id_number=staged.a.id_number, score="95", rank=1)
    services.result_record(actor=world.staff, event=event, id_number=staged.b.id_number, score="90", rank=2)
    services.results_review(actor=world.province, event=event)
    services.results_publish(actor=world.province2, event=event)
    awards = services.results_finalize(actor=world.province, event=event, today=LATER)
    winner = Award.objects.get(event=event, rank=1)
    assert winner.person_id == staged.a.person.pk and winner.promoted_level.code == "grade2"
    assert {a.person_id for a in awards} <= {staged.a.person.pk, staged.b.person.pk}


@pytest.mark.django_db
def test_the_proposer_does_not_confirm_and_a_returned_list_is_proposed_again(world, staged):
    first = staged.first
    services.stage_advance_propose(actor=world.province, stage=first)
    err = _err(services.stage_advance_decide, actor=world.province, stage=first, approve=True)
    assert err.code == "same_person"
    assert _err(services.stage_advance_decide, actor=world.province2, stage=first, approve=False,
                reason="").code == "reason_required"  # fmt: skip
    # while proposed, no more results of the stage
    err = _err(services.stage_result_record, actor=world.staff, stage=first, id_number=staged.c.id_number,
               score="99", rank=1)  # fmt: skip
    assert err.code == "stage_state"
    services.stage_advance_decide(actor=world.province2, stage=first, approve=False, reason="丙焊成绩待复核")
    first.refresh_from_db()
    assert first.status == StageStatus.OPEN and first.return_reason == "丙焊成绩待复核"
    assert not first.results.filter(advanced=True).exists()
    services.stage_advance_propose(actor=world.staff, stage=first)
    assert set(first.results.filter(advanced=True).values_list("contestant__name", flat=True)) == {"甲焊", "乙焊"}


@pytest.mark.django_db
def test_a_score_line_advances_every_score_at_or_above_it_and_nobody_advancing_is_refused(
    world, make_event, contestant
):
    event = make_event()
    services.event_stages_set(actor=world.staff, event=event, stages=[
        StageData("preliminary", "score_line", "80"), StageData("semifinal", "top_n", 1), StageData("final")])  # fmt: skip
    people = [contestant(event, n) for n in ("一号", "二号", "三号")]
    first, semi, _final = services.stages_of(event)
    for who, score, rank in zip(people, ("80", "95", "79.99"), (2, 1, 3), strict=True):
        services.stage_result_record(actor=world.staff, stage=first, id_number=who.id_number, score=score, rank=rank)
    err = _err(services.stage_result_record, actor=world.staff, stage=semi, id_number=people[0].id_number,
               score="1", rank=1)  # fmt: skip
    assert err.code == "stage_state"  # the 复赛 waits for the 初赛's advancement
    services.stage_advance_propose(actor=world.staff, stage=first)
    assert set(first.results.filter(advanced=True).values_list("score", flat=True)) == {Decimal("80"), Decimal("95")}
    services.stage_advance_decide(actor=world.province, stage=first, approve=True)
    # registration closed once the 初赛 has results; the stages no longer change
    assert _err(services.event_stages_set, actor=world.staff, event=event, stages=TWO).code == "stage_state"
    assert _err(services.stage_advance_propose, actor=world.staff, stage=first).code == "stage_state"
    services.stage_result_record(actor=world.staff, stage=semi, id_number=people[1].id_number, score="60", rank=1)
    semi.advance_value = Decimal(0)  # a stage whose rule leaves nobody (top 0 cannot be set; forced here)
    semi.save()
    err = _err(services.stage_advance_propose, actor=world.staff, stage=semi)
    assert err.code == "nobody_advances"


@pytest.mark.django_db
def test_registration_closes_once_a_stage_has_results(world, staged, make_user):
    from jineng.registry.tests.factories import id18, make_person

    number = id18("440106")
    make_person(region="440106", name="迟到", id_number=number)
    err = _err(services.contestant_register, actor=world.staff, event=staged.event, id_number=number, name="迟到")
    assert err.code == "event_state" and "报名已截止" in err.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stages", "field", "code"),
    [
        ([StageData("final")], "stages", "bad_stages"),
        ([StageData("final"), StageData("preliminary", "top_n", 3)], "stages", "bad_stages"),
        ([StageData("semifinal", "top_n", 3), StageData("preliminary", "top_n", 3), StageData("final")], "stages",
         "bad_stages"),
        ([StageData("preliminary", "top_n", 3), StageData("preliminary", "top_n", 3), StageData("final")], "stages",
         "bad_stages"),
        ([StageData("quarter", "top_n", 3), StageData("final")], "stages", "bad_stages"),
        ([StageData("preliminary", "", 3), StageData("final")], "stages[0].advance_mode", "bad_advance"),
        ([StageData("preliminary", "top_n", 0), StageData("final")], "stages[0].advance_value", "bad_advance"),
        ([StageData("preliminary", "top_n", "2.5"), StageData("final")], "stages[0].advance_value", "bad_advance"),
        ([StageData("preliminary", "top_n", 10001), StageData("final")], "stages[0].advance_value", "bad_advance"),
        ([StageData("preliminary", "top_n", None), StageData("final")], "stages[0].advance_value", "bad_advance"),
        ([StageData("preliminary", "score_line", "1000.01"), StageData("final")], "stages[0].advance_value",
         "bad_advance"),
        ([StageData("preliminary", "score_line", "-1"), StageData("final")], "stages[0].advance_value",
         "bad_advance"),
        ([StageData("preliminary", "score_line", "abc"), StageData("final")], "stages[0].advance_value",
         "bad_advance"),
        ([StageData("preliminary", "top_n", 4), StageData("semifinal", "score_line", "60.001"), StageData("final")],
         "stages[1].advance_value", "bad_advance"),
    ],
)  # fmt: skip
def test_bad_stages_are_refused_and_named(world, make_event, stages, field, code):
    event = make_event(approve=False)
    err = _err(services.event_stages_set, actor=world.staff, event=event, stages=stages)
    assert (err.code, err.fields[0].field) == (code, field)


@pytest.mark.django_db
def test_only_the_organizer_sets_stages_and_not_while_filed(world, make_event):
    event = make_event(approve=False)
    assert _err(services.event_stages_set, actor=world.hr, event=event, stages=TWO).status == 403
    services.event_file(actor=world.staff, event=event)
    assert _err(services.event_stages_set, actor=world.staff, event=event, stages=TWO).code == "stage_state"


@given(
    scores=st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=12),
    n=st.integers(min_value=1, max_value=12),
    line=st.decimals(min_value=0, max_value=100, places=2),
)
def test_whoever_scores_above_someone_who_advances_advances_too(scores, n, line):
    """Ranks that follow the scores (equal scores share a rank): under top N and under a score line, advancing is
    upward closed — nobody is left behind a lower score that advanced; top N takes at least N when there are N."""
    ordered = sorted(scores, reverse=True)
    rows = [SimpleNamespace(score=s, rank=1 + sum(1 for o in ordered if o > s)) for s in ordered]
    for stage in (SimpleNamespace(advance_mode="top_n", advance_value=Decimal(n)),
                  SimpleNamespace(advance_mode="score_line", advance_value=line)):  # fmt: skip
        chosen = services.advancing(stage, rows)  # type: ignore[arg-type]
        low = min((r.score for r in chosen), default=None)
        assert all(r in chosen for r in rows if low is not None and r.score >= low)
        if stage.advance_mode == "top_n":
            assert len(chosen) >= min(n, len(rows))
        else:
            assert all(r.score >= line for r in chosen) and all(r.score < line for r in rows if r not in chosen)
