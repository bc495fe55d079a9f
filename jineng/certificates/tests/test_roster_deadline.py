"""鉴定花名册提前报送: candidates are added until ``exam.roster_days_before`` days before the exam (7 by default,
per region), later only when an official of the venue's region reopens the roster with a reason. The clock is moved
with time-machine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jineng.certificates import services
from jineng.certificates.errors import SessionState
from jineng.certificates.models import Candidate

from .conftest import make_person

pytestmark = pytest.mark.django_db

# Days near today (a far clock would expire the test users' passwords): the exam in 20 days, due 7 days before.
TODAY = dt.date.today()
EXAM_DAY = TODAY + dt.timedelta(days=20)


def day(before_exam: int) -> dt.date:
    return EXAM_DAY - dt.timedelta(days=before_exam)


@pytest.fixture
def session(world: Any, make_session: Any) -> Any:
    starts = timezone.make_aware(dt.datetime.combine(EXAM_DAY, dt.time(9, 0)))
    return make_session(starts_at=starts, roster_open=False)


def _on(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime.combine(day, dt.time(16, 0), tzinfo=timezone.get_current_timezone()), tick=False
    )


def test_candidates_are_added_until_the_due_day(world, session):
    with _on(day(7)):  # the due day itself: still open
        services.candidate_add(actor=world.staff, session=session, person=make_person(name="甲"))
    with _on(day(6)), pytest.raises(SessionState) as exc:
        services.candidate_add(actor=world.staff, session=session, person=make_person(name="乙"))
    assert exc.value.code == "roster_closed"
    assert day(7).isoformat() in exc.value.message
    assert Candidate.objects.filter(session=session).count() == 1


def test_the_regions_setting_moves_the_deadline(world, session):
    from jineng.refdata.api import setting_set

    setting_set(actor=world.province, key="exam.roster_days_before", region_code="440000", value=3,
                valid_from=TODAY, reason="省定报送时限")  # fmt: skip
    with _on(day(3)):  # 3 days before: open under the province's setting
        services.candidate_add(actor=world.staff, session=session, person=make_person(name="丙"))
    with _on(day(2)), pytest.raises(SessionState):
        services.candidate_add(actor=world.staff, session=session, person=make_person(name="丁"))


def test_an_official_reopens_the_roster_with_a_reason(world, session):
    from jineng.common.audit.models import AuditEntry
    from jineng.common.errors import PermissionDenied, ValidationFailed

    with _on(day(2)):
        with pytest.raises(PermissionDenied):  # the evaluation organization cannot lift its own deadline
            services.session_roster_reopen(actor=world.staff, session=session, reason="考生漏报")
        with pytest.raises(PermissionDenied):  # nor an official of another city
            services.session_roster_reopen(actor=world.shenzhen, session=session, reason="考生漏报")
        with pytest.raises(ValidationFailed):
            services.session_roster_reopen(actor=world.city, session=session, reason="")
        session.refresh_from_db()
        assert session.roster_reopened_at is None
        reopened = services.session_roster_reopen(actor=world.city, session=session, reason="考生漏报，经核实补报")
        services.candidate_add(actor=world.staff, session=reopened, person=make_person(name="戊"))
    assert reopened.roster_reopened_by == world.city
    entry = AuditEntry.objects.get(action="exam.roster_reopen")
    assert entry.reason == "考生漏报，经核实补报"


def test_the_api_refuses_a_late_candidate_with_a_coded_409(client, world, session):
    person = make_person(name="己")
    with _on(day(5)):
        client.force_login(world.staff)
        response = client.post(f"/api/v1/exam-sessions/{session.pk}/candidates",
                               data={"person_id": str(person.pk)}, content_type="application/json")  # fmt: skip
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "roster_closed"
    assert not Candidate.objects.filter(session=session).exists()
