"""The evaluator's day of issue 15: the session page says when scoring opens and why it cannot be done yet; the
workbench lists the sessions to prepare (the roster due ``exam.roster_days_before`` days before the exam), the
results to enter and the certificates to issue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jineng.certificates import services
from jineng.certificates.tests.conftest import make_person

pytestmark = pytest.mark.django_db


def _in_days(days: int) -> dt.datetime:
    return timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=days)


def test_before_the_exam_the_page_says_when_scoring_opens(world, make_session, client):
    session = make_session(starts_at=_in_days(10))
    services.candidate_add(actor=world.staff, session=session, person=make_person(name="李四"))
    client.force_login(world.staff)
    body = client.get(f"/evaluation/sessions/{session.pk}/").content.decode()
    opens = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
    assert 'id="scoring-hint"' in body and f"成绩录入在开考后开放（开考时间 {opens}）" in body
    assert "开考后可录入" in body and "disabled" in body  # the save button is shown, disabled, with the reason
    assert 'name="theory_score"' not in body


def test_after_the_start_the_scores_are_entered_and_the_hint_is_gone(world, make_session, client):
    session = make_session()  # started two hours ago
    services.candidate_add(actor=world.staff, session=session, person=make_person(name="李四"))
    client.force_login(world.staff)
    body = client.get(f"/evaluation/sessions/{session.pk}/").content.decode()
    assert 'name="theory_score"' in body and "scoring-hint" not in body


def test_an_upcoming_session_without_roster_is_a_to_do_due_before_the_exam(world, make_session, client):
    from jineng.refdata.api import setting_value
    from jineng.web.todos import todos_for

    session = make_session(starts_at=_in_days(12))
    days = int(setting_value("exam.roster_days_before", session.venue_region_id, session.exam_date))
    (todo,) = [t for t in todos_for(world.staff) if t.kind == "考前准备"]
    assert todo.due == session.exam_date - dt.timedelta(days=days)
    assert "考生" in todo.detail and "考评员" in todo.detail and session.code in todo.title
    client.force_login(world.staff)
    assert session.code in client.get("/").content.decode()
    # Officials see sessions but do not run them: not their to-do.
    assert not [t for t in todos_for(world.city) if t.kind == "考前准备"]
    # Once candidates and an examiner are on the roster, nothing waits.
    services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    services.candidate_add(actor=world.staff, session=session, person=make_person(name="王五"))
    assert not [t for t in todos_for(world.staff) if t.kind == "考前准备"]


def test_passed_candidates_without_certificates_are_a_to_do_until_issued(world, make_session):
    from jineng.web.todos import todos_for

    session = make_session()
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    candidate = services.candidate_add(actor=world.staff, session=session, person=make_person(name="李四"))
    assert [t.kind for t in todos_for(world.staff)] == ["成绩录入"]
    services.result_record(actor=world.staff, session=session, data=services.ResultData(
        candidate_id=candidate.pk, examiner_id=booking.pk, theory_score=80, practical_score=75))  # fmt: skip
    services.session_close(actor=world.staff, session=session)
    (todo,) = todos_for(world.staff)
    assert todo.kind == "待发证" and "1 名合格考生待发证" in todo.detail
    services.certificates_issue(actor=world.staff, session=session)
    assert todos_for(world.staff) == []


def test_confirming_results_asks_first_and_the_closed_page_lists_each_candidate_once(world, make_session, client):
    """Issue 15: 确认成绩 acted at once, and the closed session's page listed every candidate twice (考生与成绩 and
    谁考评了谁)."""
    session = make_session()
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    candidate = services.candidate_add(actor=world.staff, session=session, person=make_person(name="李四"))
    services.result_record(actor=world.staff, session=session, data=services.ResultData(
        candidate_id=candidate.pk, examiner_id=booking.pk, theory_score=80, practical_score=75))  # fmt: skip
    client.force_login(world.staff)
    confirm = client.post(f"/evaluation/sessions/{session.pk}/close/")
    assert confirm.status_code == 200 and "确认后成绩不能再修改" in confirm.content.decode()
    session.refresh_from_db()
    assert session.status == "scheduled"
    client.post(f"/evaluation/sessions/{session.pk}/close/", {"confirm": "yes"})
    session.refresh_from_db()
    assert session.status == "closed"
    body = client.get(f"/evaluation/sessions/{session.pk}/").content.decode()
    assert body.count("李四") == 1 and "谁考评了谁" not in body and 'id="by-examiner"' in body
