"""企业新型学徒制: plan checks (listed school, years, hours), apprentices who are employees, two mentors with a cap,
yearly progress, evaluation on the archive."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import DomainError
from jineng.registry.api import archive_entries
from jineng.registry.models import Person, PersonFact
from jineng.training.models import ApprenticeshipStatus
from jineng.training.services import apprenticeships as appr
from jineng.training.tests.conftest import id_number

pytestmark = pytest.mark.django_db


def _plan_input(world, enterprise, **overrides):
    start = world.today + dt.timedelta(days=7)
    data = dict(
        enterprise=enterprise.pk, school=world.provider.pk, occupation="4-04-05-01", level="grade4",
        start_date=start, end_date=start.replace(year=start.year + 2) - dt.timedelta(days=1),
        hours_per_year=600, concentrated_hours_per_year=160,
    )  # fmt: skip
    data.update(overrides)
    return appr.ApprenticeshipInput(**data)


def test_a_plan_with_apprentices_progress_and_evaluation(world, firm):
    enterprise, hr, mentor, employee = firm
    plan = appr.apprenticeship_create(actor=hr, data=_plan_input(world, enterprise))
    assert plan.region_id == "440106" and plan.code.startswith("XT440106")
    number = employee("梁学徒")
    apprentice = appr.apprentice_add(actor=hr, apprenticeship=plan, id_number=number, name="梁学徒",
                                     enterprise_mentor=mentor.pk, school_mentor=world.teacher.pk)  # fmt: skip
    assert apprentice.employment_record_id is not None
    assert PersonFact.objects.filter(person_id=apprentice.person_id, kind="training.apprentice").exists()
    appr.apprentice_progress(actor=hr, apprentice=apprentice, year_no=1, hours_done=620, concentrated_hours=170,
                             online_hours=60, assessment="良好")  # fmt: skip
    with pytest.raises(DomainError) as exc:
        appr.apprentice_progress(actor=hr, apprentice=apprentice, year_no=3, hours_done=600, concentrated_hours=160)
    assert exc.value.fields[0].code == "outside_plan"
    with pytest.raises(DomainError) as exc:
        appr.apprentice_progress(actor=hr, apprentice=apprentice, year_no=2, hours_done=600, concentrated_hours=160,
                                 online_hours=100)  # fmt: skip
    assert exc.value.fields[0].code == "online_hours_over_half"
    done = appr.apprentice_evaluate(actor=hr, apprentice=apprentice, result="passed", note="达到四级水平")
    assert done.status == ApprenticeshipStatus.COMPLETED and done.result == "passed"
    plan.refresh_from_db()
    assert plan.status == ApprenticeshipStatus.COMPLETED
    titles = [e.title for e in archive_entries(Person.objects.get(pk=apprentice.person_id))]
    assert "企业新型学徒制" in titles and "学徒考核：考核合格" in titles


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"end_date": "3y+1"}, "plan_too_long"),
        ({"end_date": "6m"}, "plan_too_short"),
        ({"hours_per_year": 500}, "too_few_hours"),
    ],
)
def test_plan_limits_come_from_the_settings(world, firm, overrides, code):
    enterprise, hr, *_ = firm
    start = world.today + dt.timedelta(days=7)
    ends = {"3y+1": start.replace(year=start.year + 3) + dt.timedelta(days=1), "6m": start + dt.timedelta(days=180)}
    values = {k: ends.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    with pytest.raises(DomainError) as exc:
        appr.apprenticeship_create(actor=hr, data=_plan_input(world, enterprise, **values))
    assert code in [f.code for f in exc.value.fields]


def test_a_school_not_listed_for_apprenticeships_is_refused(world, firm):
    enterprise, hr, *_ = firm
    with pytest.raises(DomainError) as exc:
        appr.apprenticeship_create(actor=hr, data=_plan_input(world, enterprise, occupation="4-10-01-06"))
    assert exc.value.code == "outside_scope"


def test_an_apprentice_must_be_an_employee_and_mentors_have_a_cap(world, firm):
    from jineng.refdata.api import setting_set
    from jineng.registry.api import person_create

    enterprise, hr, mentor, employee = firm
    plan = appr.apprenticeship_create(actor=hr, data=_plan_input(world, enterprise))
    outsider = id_number()
    person_create(actor=None, name="路人甲", id_number=outsider, residence_region="440106", check_permission=False)
    with pytest.raises(DomainError) as exc:
        appr.apprentice_add(actor=hr, apprenticeship=plan, id_number=outsider, name="路人甲",
                            enterprise_mentor=mentor.pk, school_mentor=world.teacher.pk)  # fmt: skip
    assert exc.value.code == "not_an_employee"
    setting_set(actor=world.city, key="apprenticeship.mentor_max_apprentices", region_code="440100", value=1,
                valid_from=world.today, reason="试点")  # fmt: skip
    appr.apprentice_add(actor=hr, apprenticeship=plan, id_number=employee("甲徒"), name="甲徒",
                        enterprise_mentor=mentor.pk, school_mentor=world.teacher.pk)  # fmt: skip
    with pytest.raises(DomainError) as exc:
        appr.apprentice_add(actor=hr, apprenticeship=plan, id_number=employee("乙徒"), name="乙徒",
                            enterprise_mentor=mentor.pk, school_mentor=world.teacher2.pk)  # fmt: skip
    assert exc.value.code == "mentor_full"
    with pytest.raises(DomainError) as exc:
        appr.apprentice_add(actor=hr, apprenticeship=plan, id_number=employee("丙徒"), name="丙徒",
                            enterprise_mentor=world.teacher.pk, school_mentor=world.teacher2.pk)  # fmt: skip
    assert exc.value.code == "mentor_not_available"  # a school's teacher is not the enterprise's mentor


def test_another_enterprise_cannot_act_on_the_plan(world, firm, make_user):
    from jineng.common.errors import PermissionDenied

    enterprise, hr, *_ = firm
    with pytest.raises(PermissionDenied):
        appr.apprenticeship_create(actor=world.other_staff, data=_plan_input(world, enterprise))
