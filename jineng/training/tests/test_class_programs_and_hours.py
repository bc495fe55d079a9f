"""A class application offers only the provider's own programs and its schedule must cover the program's 学时.

The walk of the demo found the class form offering every program of the country (other providers' occupations,
other kinds) and a 15-学时 schedule accepted for an 80-学时 program. The schedule is checked by the service, so
every path refuses it: the page, the API, and the revision of a draft.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError
from jineng.training.models import ClassSession, TrainingClass
from jineng.training.services import classes
from jineng.training.tests.conftest import week_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_program(world):
    """An 80-学时 program of the provider's scope, listed province-wide."""
    from jineng.providers.services.programs import ProgramData, catalog_list, program_create

    program = program_create(
        actor=world.province,
        data=ProgramData(code="GD-80H", name="计算机程序设计员（四级）80学时", occupation="4-04-05-01",
                         level="grade4", training_kind="employment", hours_theory=40, hours_practice=40,
                         delivery="offline", subsidy_category="A", region="440000"),
    )  # fmt: skip
    catalog_list(actor=world.province, region_code="440000", valid_from=world.today - dt.timedelta(days=30),
                 program=program)  # fmt: skip
    return program


@pytest.fixture
def foreign_program(world):
    """A listed program outside the provider's scope (电工: another provider's occupation)."""
    from jineng.providers.services.programs import ProgramData, catalog_list, program_create

    program = program_create(
        actor=world.province,
        data=ProgramData(code="GD-DG", name="电工（四级）就业技能培训", occupation="6-31-01-03", level="grade4",
                         training_kind="employment", hours_theory=1, hours_practice=1, delivery="offline",
                         subsidy_category="A", region="440000"),
    )  # fmt: skip
    catalog_list(actor=world.province, region_code="440000", valid_from=world.today - dt.timedelta(days=30),
                 program=program)  # fmt: skip
    return program


def _input(world, **overrides):
    values = dict(name="Python 班", program=world.program.pk, venue_name="天河实训基地", region="440106",
                  planned_size=30, sessions=week_sessions(world.start, world.teacher))  # fmt: skip
    values.update(overrides)
    return classes.ClassInput(**values)


def _counts():
    return TrainingClass.objects.count(), ClassSession.objects.count(), AuditEntry.objects.count()


# ---- the provider's own programs ----------------------------------------------------------------------------------


def test_the_providers_programs_are_those_listed_inside_its_scope(world, foreign_program):
    from jineng.providers.api import programs_for_provider, provider_offers_program

    offered = set(programs_for_provider(world.provider, world.today))
    assert world.program in offered and foreign_program not in offered
    assert provider_offers_program(world.provider, world.program, world.today)
    assert not provider_offers_program(world.provider, foreign_program, world.today)


def test_a_program_outside_the_providers_scope_is_refused_by_the_service(world, foreign_program):
    before = _counts()
    with pytest.raises(DomainError) as exc:
        classes.class_create(actor=world.staff, provider=world.provider,
                             data=_input(world, program=foreign_program.pk), now=world.now)  # fmt: skip
    assert exc.value.code == "outside_scope"
    assert _counts() == before


def test_the_class_form_offers_only_the_providers_programs_and_its_counties(world, client, foreign_program):
    client.force_login(world.staff)
    page = client.get("/training/classes/new/").content.decode()
    assert world.program.code in page
    assert foreign_program.code not in page
    # The venue county is picked by name among the provider's city's counties, not typed as a code.
    assert '<select name="region"' in page and "天河区" in page and "越秀区" in page
    assert "福田区" not in page  # Shenzhen: not the provider's city
    # A posted program of another scope is refused by the form (not a choice) and nothing is written.
    before = _counts()
    response = client.post("/training/classes/new/", {"name": "越界班", "program": str(foreign_program.pk),
                                                      "training_form": "regular", "planned_size": "20",
                                                      "venue_name": "天河实训基地", "region": "440106",
                                                      "teacher": str(world.teacher.pk), "sessions": "x"})  # fmt: skip
    assert response.status_code == 200 and _counts() == before


def test_the_providers_programs_page(world, client, foreign_program):
    client.force_login(world.staff)
    page = client.get("/providers/programs/mine/")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.program.code in html and foreign_program.code not in html
    assert f"/training/classes/new/?program={world.program.pk}" in html
    # The sidebar leads there.
    assert "/providers/programs/mine/" in client.get("/").content.decode()
    # An official has no provider of their own: refused.
    client.force_login(world.county)
    assert client.get("/providers/programs/mine/").status_code == 403


# ---- the schedule covers the program's 学时 --------------------------------------------------------------------------


def test_a_schedule_short_of_the_programs_hours_is_refused_by_the_service(world, long_program):
    # Five 3-hour mornings: 5 × ⌊180 / 45⌋ = 20 学时, short of 80.
    before = _counts()
    with pytest.raises(DomainError) as exc:
        classes.class_create(actor=world.staff, provider=world.provider,
                             data=_input(world, program=long_program.pk), now=world.now)  # fmt: skip
    (error,) = exc.value.fields
    assert (error.field, error.code) == ("sessions", "hours_short")
    assert "20 学时" in error.message and "80 学时" in error.message and long_program.name in error.message
    assert _counts() == before


def test_a_schedule_that_covers_the_programs_hours_is_accepted(world, long_program):
    # Twenty days of 9:00–15:00: 8 学时 a day, counted at most 7 a day → 140 学时.
    sessions = [
        classes.SessionInput(starts_at=s.starts_at, ends_at=s.ends_at.replace(hour=15), teacher=world.teacher.pk)
        for week in range(4)
        for s in week_sessions(world.start + dt.timedelta(weeks=week), world.teacher)
    ]
    assert classes.planned_hours(sessions, "440106", world.start) == 140
    tc = classes.class_create(actor=world.staff, provider=world.provider,
                              data=_input(world, program=long_program.pk, sessions=sessions), now=world.now)  # fmt: skip
    assert tc.sessions.count() == 20


def test_the_daily_cap_counts_in_the_planned_hours(world, long_program):
    # Twelve hours in one day count as 7 (hours.per_day_max): a long day cannot stand in for a course.
    day = world.start
    sessions = [classes.SessionInput(starts_at=s.starts_at.replace(hour=8), ends_at=s.ends_at.replace(hour=20),
                                     teacher=world.teacher.pk) for s in week_sessions(day, world.teacher, days=1)]  # fmt: skip
    assert classes.planned_hours(sessions, "440106", day) == 7


def test_revising_a_draft_to_a_short_schedule_is_refused(world, long_program):
    tc = classes.class_create(actor=world.staff, provider=world.provider, data=_input(world), now=world.now)
    before = _counts()
    with pytest.raises(DomainError) as exc:
        classes.class_update(actor=world.staff, training_class=tc, data=_input(world, program=long_program.pk),
                             now=world.now)  # fmt: skip
    assert exc.value.fields[0].code == "hours_short"
    assert _counts() == before
    tc.refresh_from_db()
    assert tc.program_id == world.program.pk


def test_the_api_refuses_a_short_schedule_on_create_and_update(world, api, long_program):
    from jineng.training.tests.test_api import _class_json

    c = api(world.staff)
    before = _counts()
    response = c.post("/api/v1/classes", _class_json(world, program=str(long_program.pk)),
                      content_type="application/json")  # fmt: skip
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["fields"][0]["code"] == "hours_short" and "80 学时" in body["fields"][0]["message"]
    assert _counts() == before
    created = c.post("/api/v1/classes", _class_json(world), content_type="application/json").json()
    before = _counts()
    response = c.put(f"/api/v1/classes/{created['id']}", _class_json(world, program=str(long_program.pk)),
                     content_type="application/json")  # fmt: skip
    assert response.status_code == 422 and response.json()["fields"][0]["code"] == "hours_short"
    assert _counts() == before


def test_the_class_form_shows_the_hours_error_on_the_schedule(world, client, long_program):
    from django.utils import timezone

    client.force_login(world.staff)
    lines = "\n".join(
        f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(s.ends_at):%H:%M} 线下"
        for s in week_sessions(world.start, world.teacher)
    )
    before = _counts()
    response = client.post("/training/classes/new/", {
        "name": "学时不足的班", "program": str(long_program.pk), "training_form": "regular", "planned_size": "20",
        "venue_name": "天河实训基地", "region": "440106", "teacher": str(world.teacher.pk), "sessions": lines,
    })  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "课程安排合计 20 学时，少于培训项目" in html and "规定的 80 学时" in html
    assert _counts() == before
