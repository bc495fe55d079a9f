"""项目制培训: a project bought from a provider, its classes, settled on the trainees who finished — within budget,
by another official; bad input named by field; scope by the buying region and the provider."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.rules.projects import settle
from jineng.training.models import EmploymentOutcome, Enrollment, EnrollmentStatus, TrainingProject
from jineng.training.services import projects
from jineng.training.tests.conftest import monday_after, week_sessions

_TODAY = dt.date.today()  # the test classes start some weeks from today; the project's period wraps them
ACCOUNT = "6217003320001234567"


def data(world: SimpleNamespace, **kw: Any) -> projects.ProjectInput:
    base: dict[str, Any] = dict(name="天河区电子商务直播一县一项目", region="440106",
                                organization_id=world.provider.organization_id, contract_number="TH-GM-2026-07",
                                theme="数字经济", budget_fen=30_000_000, price_per_trainee_fen=150_000,
                                target_trainees=200, target_employment_percent=60,
                                start_date=_TODAY, end_date=_TODAY + dt.timedelta(days=365))  # fmt: skip
    base.update(kw)
    return projects.ProjectInput(**base)


def test_a_project_takes_its_providers_classes_and_is_settled_by_another_official(world, make_class):
    project = projects.project_create(actor=world.county, data=data(world))
    assert project.code.startswith(f"XM{_TODAY.year}440106") and project.status == "contracted"
    cls = make_class("approved")
    projects.project_add_class(actor=world.county, project=project, training_class=cls)
    cls.refresh_from_db()
    assert cls.project_id == project.pk and cls.training_form == "project"
    enrollments = list(Enrollment.objects.filter(training_class=cls))
    assert enrollments
    Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(status=EnrollmentStatus.FINISHED)
    e = enrollments[0]
    EmploymentOutcome.objects.create(enrollment=e, person_id=e.person_id, region_id="440106",
                                     organization_id=cls.organization_id, status="employed",
                                     started_on=dt.date(2026, 6, 1), source="callback")  # fmt: skip
    with pytest.raises(DomainError) as exc:
        projects.project_settle(actor=world.county, project=project, payee_bank="建设银行", payee_account=ACCOUNT)
    assert exc.value.status == 403  # who created it does not settle it
    # the money is paid through subsidies' claims (its tests: subsidies/tests/test_project_settlement.py)
    project = projects.project_settle(actor=world.city, project=project, payee_bank="建设银行", payee_account=ACCOUNT)
    n = len(enrollments)
    assert (project.settled_trainees, project.settled_employed, project.settled_fen) == (n, 1, n * 150_000)
    with pytest.raises(DomainError) as exc:
        later = make_class("approved", sessions=week_sessions(monday_after(world.start, 3), world.teacher2))
        projects.project_add_class(actor=world.county, project=project, training_class=later)
    assert exc.value.code == "project_closed"


def test_only_the_contracted_providers_classes(world, make_class):
    project = projects.project_create(actor=world.county, data=data(world))
    other = make_class("approved", provider=world.other, staff=world.other_staff)
    with pytest.raises(DomainError) as exc:
        projects.project_add_class(actor=world.county, project=project, training_class=other)
    assert exc.value.fields[0].code == "not_project_provider"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"name": " "}, "name", "required"),
        ({"contract_number": ""}, "contract_number", "required"),
        ({"organization_id": None}, "organization", "not_a_provider"),
        ({"budget_fen": 0}, "budget_fen", "out_of_range"),
        ({"budget_fen": "100"}, "budget_fen", "out_of_range"),
        ({"price_per_trainee_fen": 10**9}, "price_per_trainee_fen", "out_of_range"),
        ({"target_trainees": 0}, "target_trainees", "out_of_range"),
        ({"target_employment_percent": 101}, "target_employment_percent", "out_of_range"),
        ({"end_date": _TODAY - dt.timedelta(days=1)}, "end_date", "bad_range"),
        ({"start_date": dt.date(1, 1, 1)}, "start_date", "bad_date"),
        ({"start_date": dt.date(1999, 12, 31)}, "start_date", "bad_date"),
        ({"end_date": dt.date(9999, 12, 31)}, "end_date", "bad_date"),
        ({"start_date": dt.date(9999, 1, 1), "end_date": dt.date(9999, 12, 31)}, "start_date", "bad_date"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, change, field, code):
    with pytest.raises(DomainError) as exc:
        projects.project_create(actor=world.county, data=data(world, **change))
    assert exc.value.fields[0].field == field and exc.value.fields[0].code == code
    assert not TrainingProject.objects.exists()


def test_an_official_of_another_region_may_not_buy_here_nor_see_it(world, make_user, api):
    outsider = make_user("county_official", region="440303", username="luohu")
    with pytest.raises(DomainError):
        projects.project_create(actor=outsider, data=data(world))
    project = projects.project_create(actor=world.county, data=data(world))
    assert api(outsider).get(f"/api/v1/training-projects/{project.pk}").status_code == 404
    assert api(world.staff).get(f"/api/v1/training-projects/{project.pk}").status_code == 200  # the provider's own
    assert api(world.city).get("/api/v1/training-projects").json()["count"] == 1


def test_the_pages_list_create_and_show_a_project(world, client):
    client.force_login(world.county)
    assert client.get("/training/projects/").status_code == 200
    bad = client.post("/training/projects/new/", {"name": "x", "region": "440106", "contract_number": "C1",
                                                  "organization": str(world.provider.organization_id),
                                                  "budget_yuan": "abc", "price_yuan": "1500", "target_trainees": "10",
                                                  "start_date": "2026-03-01", "end_date": "2026-12-31"})  # fmt: skip
    assert bad.status_code == 200 and "项目预算" in bad.content.decode()
    ok = client.post("/training/projects/new/", {"name": "x", "region": "440106", "contract_number": "C1",
                                                 "organization": str(world.provider.organization_id),
                                                 "budget_yuan": "300000", "price_yuan": "1500",
                                                 "target_trainees": "10", "start_date": "2026-03-01",
                                                 "end_date": "2026-12-31"})  # fmt: skip
    project = TrainingProject.objects.get()
    assert ok.status_code == 302 and project.budget_fen == 30_000_000
    assert project.code in client.get(f"/training/projects/{project.pk}/").content.decode()


@given(budget=st.integers(1, 10**10), price=st.integers(1, 10**7), finished=st.integers(0, 10**5),
       employed_share=st.integers(0, 100), target=st.integers(0, 100))  # fmt: skip
def test_the_settlement_is_price_times_finished_never_above_the_budget(budget, price, finished, employed_share,
                                                                      target):  # fmt: skip
    employed = finished * employed_share // 100
    s = settle(budget_fen=budget, price_fen=price, finished=finished, employed=employed, target_percent=target)
    assert s.amount_fen == min(budget, price * finished) and 0 <= s.amount_fen <= budget
    assert s.capped == (price * finished > budget)
    assert s.target_met == (s.employment_percent >= target)


def test_the_public_employment_page_shows_counts_per_county_and_hides_small_ones(world, make_class, client):
    from django.utils import timezone

    from jineng.training.models import TrainingClass
    from jineng.training.selectors import PUBLIC_MIN_CELL, public_employment

    cls = make_class("approved")
    year = timezone.localdate().year
    TrainingClass.objects.filter(pk=cls.pk).update(start_date=dt.date(year, 6, 1), end_date=dt.date(year, 6, 30))
    cls.refresh_from_db()
    enrollments = list(Enrollment.objects.filter(training_class=cls))
    Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(status=EnrollmentStatus.FINISHED)
    rows = public_employment(year)
    assert [r["region"] for r in rows] == ["440106"]
    if len(enrollments) < PUBLIC_MIN_CELL:
        assert rows[0]["finished"] is None and rows[0]["rate"] is None  # too few to publish
    page = client.get(f"/public/employment/?year={cls.end_date.year}&region=440000")
    assert page.status_code == 200 and "天河区" in page.content.decode()
    assert all(e.person.name not in page.content.decode() for e in enrollments)
    assert client.get("/public/employment/?year=abcd&region=%3Cx%3E").status_code == 200


def test_a_county_without_any_registered_outcome_says_not_registered_not_zero_percent(
    world, make_class, trainee, client
):
    """Issue 15: /public/employment/ showed 0 % for counties where nobody had recorded where the trainees went."""
    from django.utils import timezone

    from jineng.training.selectors import PUBLIC_MIN_CELL, public_employment
    from jineng.training.services.outcomes import employment_outcome_record
    from jineng.training.services.rosters import enrollments_add

    cls = make_class("approved")
    enrollments_add(actor=world.staff, training_class=cls, rows=[trainee() for _ in range(PUBLIC_MIN_CELL)],
                    now=world.now)  # fmt: skip
    year = timezone.localdate().year
    Enrollment.objects.filter(training_class=cls).update(status=EnrollmentStatus.FINISHED)
    type(cls).objects.filter(pk=cls.pk).update(start_date=dt.date(year, 1, 5), end_date=dt.date(year, 1, 31))
    cls.refresh_from_db()
    [row] = public_employment(year)
    assert row["finished"] == PUBLIC_MIN_CELL + 1 and row["unregistered"]
    assert row["employed"] is None and row["rate"] is None
    page = client.get(f"/public/employment/?year={year}").content.decode()
    assert "未登记" in page and "0%" not in page

    first = Enrollment.objects.filter(training_class=cls).order_by("created_at").first()
    employment_outcome_record(actor=world.staff, enrollment=first, status="employed", started_on=cls.start_date,
                              source="provider", employer_name="广州某某有限公司")  # fmt: skip
    [row] = public_employment(year)
    assert not row["unregistered"] and row["employed"] == 1
    assert row["rate"] == 100 // (PUBLIC_MIN_CELL + 1)
    assert "未登记" not in client.get(f"/public/employment/?year={year}").content.decode()


def test_a_class_outside_the_projects_period_is_refused_and_not_paid_for(world, make_class):
    """The walk: a 2026 project listed classes of 2022 and paid for their trainees."""
    cls = make_class("approved")
    before = data(
        world, start_date=cls.start_date + dt.timedelta(days=1), end_date=cls.end_date + dt.timedelta(days=60)
    )
    early = projects.project_create(actor=world.county, data=before)
    with pytest.raises(DomainError) as exc:
        projects.project_add_class(actor=world.county, project=early, training_class=cls)
    assert exc.value.fields[0].code == "outside_project_period"
    short = projects.project_create(
        actor=world.county, data=data(world, start_date=cls.start_date, end_date=cls.end_date - dt.timedelta(days=1))
    )
    with pytest.raises(DomainError) as exc:
        projects.project_add_class(actor=world.county, project=short, training_class=cls)
    assert exc.value.fields[0].code == "outside_project_period"
    cls.refresh_from_db()
    assert cls.project_id is None
    # A class linked before the rule (as in the old demo) earns nothing at settlement.
    Enrollment.objects.filter(training_class=cls).update(status=EnrollmentStatus.FINISHED)
    type(cls).objects.filter(pk=cls.pk).update(project=early)
    early = projects.project_settle(actor=world.city, project=early)
    assert (early.settled_trainees, early.settled_fen) == (0, 0)


def test_a_class_within_the_period_exactly_is_linked(world, make_class):
    cls = make_class("approved")
    project = projects.project_create(
        actor=world.county, data=data(world, start_date=cls.start_date, end_date=cls.end_date)
    )
    projects.project_add_class(actor=world.county, project=project, training_class=cls)
    assert projects.project_figures(project)["classes"] == 1


@pytest.mark.parametrize("org", ["广州市职业技能评价中心", "not-a-uuid", "0" * 40])
def test_an_organization_that_is_not_an_id_is_refused_on_its_field_not_a_server_error(world, org):
    with pytest.raises(DomainError) as refused:
        projects.project_create(actor=world.county, data=data(world, organization_id=org))
    assert refused.value.code == "not_a_provider" and [f.field for f in refused.value.fields] == ["organization"]
    assert not TrainingProject.objects.exists()
