"""结业: results from attendance (or the provider's, never a pass below the minimum), certificates with serial
numbers, the hand-off to evaluation (training.api), the archive, employment follow-up."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import DomainError
from jineng.registry.api import archive_entries, employment_on
from jineng.registry.models import Person
from jineng.training import api as training_api
from jineng.training.models import ClassStatus, CompletionCertificate, Enrollment, EnrollmentStatus
from jineng.training.services import outcomes, rosters
from jineng.training.services.attendance import AttendanceInput, attendance_record
from jineng.training.services.completion import class_complete
from jineng.training.tests.conftest import FILED, at

pytestmark = pytest.mark.django_db


def attend(world, enrollment, days, device="FACE-01"):
    """Check in and out of each morning session of ``days``, synced the same day."""
    for d in days:
        start = world.start + dt.timedelta(days=d)
        events = [
            AttendanceInput(event_id=f"{enrollment.pk}-{d}-in", enrollment=str(enrollment.pk), kind="in",
                            at=at(start, 8, 58), method="face"),
            AttendanceInput(event_id=f"{enrollment.pk}-{d}-out", enrollment=str(enrollment.pk), kind="out",
                            at=at(start, 12, 1), method="face"),
        ]  # fmt: skip
        result = attendance_record(actor=world.staff, device=device, events=events, now=at(start, 13))
        assert result.count("accepted") == 2


@pytest.fixture
def finished(world, make_class, trainee):
    """A running class of five mornings: one trainee came every day, one on three days, one never."""
    tc = make_class("running")
    full, some, none = rosters.enrollments_add(
        actor=world.staff, training_class=tc, rows=[trainee("全勤甲"), trainee("部分乙"), trainee("缺勤丙")],
        now=world.now,
    ).created  # fmt: skip
    attend(world, full, range(5))
    attend(world, some, range(3))
    return tc, full, some, none


AFTER = dt.timedelta(days=4, hours=13)


def test_completion_results_follow_attendance_and_certificates_are_issued(world, finished):
    tc, full, some, none = finished
    now = at(world.start, 0) + AFTER
    tc = class_complete(actor=world.staff, training_class=tc, now=now)
    assert tc.status == ClassStatus.COMPLETED and tc.completed_on == now.date()
    results = dict(Enrollment.objects.filter(training_class=tc).values_list("person_name", "result"))
    # 60 % < 80 %; the trainee the class was filed with never came
    assert results == {"全勤甲": "passed", "部分乙": "failed", "缺勤丙": "absent", FILED: "absent"}
    assert set(Enrollment.objects.filter(training_class=tc).values_list("status", flat=True)) == {"finished"}
    cert = CompletionCertificate.objects.get()
    assert cert.enrollment_id == full.pk and cert.person_name == "全勤甲"
    assert cert.serial == f"PX440106{now.year}000001"
    assert cert.program_name == world.program.name and cert.provider_name == world.provider.organization.name
    assert cert.start_date == tc.start_date and cert.end_date == tc.end_date and cert.issued_on == now.date()
    assert "*" in cert.id_number_masked and cert.credited_hours == 20


def test_a_pass_below_the_minimum_rate_is_refused_and_nothing_changes(world, finished):
    tc, full, some, none = finished
    now = at(world.start, 0) + AFTER
    with pytest.raises(DomainError) as exc:
        class_complete(actor=world.staff, training_class=tc, results={some.pk: "passed"}, now=now)
    assert exc.value.fields[0].code == "attendance_below_minimum"
    assert "80%" in exc.value.fields[0].message
    tc.refresh_from_db()
    assert tc.status == ClassStatus.RUNNING
    assert not CompletionCertificate.objects.exists()
    assert not Enrollment.objects.filter(training_class=tc).exclude(result="").exists()


def test_the_provider_may_fail_a_trainee_who_attended(world, finished):
    tc, full, some, none = finished
    class_complete(actor=world.staff, training_class=tc, results={full.pk: "failed"}, now=at(world.start, 0) + AFTER)
    assert Enrollment.objects.get(pk=full.pk).result == "failed"
    assert not CompletionCertificate.objects.exists()


def test_completion_waits_for_the_last_session(world, finished):
    tc, *_ = finished
    with pytest.raises(DomainError) as exc:
        class_complete(actor=world.staff, training_class=tc, now=at(world.start + dt.timedelta(days=4), 10))
    assert exc.value.code == "sessions_not_finished"


def test_the_minimum_rate_is_a_regional_setting(world, finished):
    from jineng.refdata.api import setting_set

    setting_set(actor=world.city, key="attendance.min_rate_percent", region_code="440100", value=60,
                valid_from=world.today, reason="本市调整")  # fmt: skip
    tc, full, some, none = finished
    class_complete(actor=world.staff, training_class=tc, now=at(world.start, 0) + AFTER)
    assert Enrollment.objects.get(pk=some.pk).result == "passed"


def test_evaluation_hand_off_lists_completed_passes_with_their_teachers(world, finished):
    tc, full, some, none = finished
    tc = class_complete(actor=world.staff, training_class=tc, now=at(world.start, 0) + AFTER)
    done = training_api.completed_enrollments_for_evaluation(occupation="4-04-05-01", level="grade4")
    assert [(c.enrollment_id, c.person_id) for c in done] == [(full.pk, full.person_id)]
    record = done[0]
    assert record.class_id == tc.pk and record.provider_id == world.provider.pk
    assert record.provider_organization_id == world.provider.organization_id
    assert record.completion_date == tc.completed_on and record.region_code == "440106"
    assert record.level == "grade4" and record.occupation_code == "4-04-05-01"
    assert training_api.completed_enrollment(full.pk) == record
    assert training_api.completed_enrollment(some.pk) is None
    assert training_api.completed_enrollments_for_evaluation(region_code="440104") == []
    assert training_api.class_teachers(tc.pk) == [
        training_api.ClassTeacher(person_id=world.teacher.person_id, role_id=world.teacher.pk)
    ]
    assert training_api.trainees_taught_by(world.teacher.person_id, [full.person_id, some.person_id]) == {
        full.person_id,
        some.person_id,
    }
    assert training_api.trainees_taught_by(world.teacher2.person_id, [full.person_id]) == set()


def test_outcomes_land_on_the_lifelong_archive(world, finished):
    tc, full, some, none = finished
    class_complete(actor=world.staff, training_class=tc, now=at(world.start, 0) + AFTER)
    entries = archive_entries(Person.objects.get(pk=full.person_id))
    titles = [e.title for e in entries if e.kind == "training"]
    assert "参加培训" in titles and "结业：合格" in titles and "培训合格证书" in titles
    absent = [e.title for e in archive_entries(Person.objects.get(pk=none.person_id)) if e.kind == "training"]
    assert "结业：缺考/未参训" in absent


def test_employment_after_training_is_on_the_person_and_linked_to_the_enrollment(world, finished):
    tc, full, some, none = finished
    class_complete(actor=world.staff, training_class=tc, now=at(world.start, 0) + AFTER)
    full = Enrollment.objects.select_related("training_class").get(pk=full.pk)
    started = tc.end_date + dt.timedelta(days=10)
    outcome = outcomes.employment_outcome_record(
        actor=world.staff, enrollment=full, status="employed", started_on=started, source="provider",
        employer_name="广州某软件有限公司",
    )  # fmt: skip
    assert outcome.enrollment_id == full.pk and outcome.region_id == "440106"
    job = employment_on(full.person_id, started)
    assert job is not None and job.pk == outcome.employment_record_id and job.employer_name == "广州某软件有限公司"
    assert list(training_api.employment_outcomes_of([full.pk])) == [outcome]
    with pytest.raises(DomainError) as exc:
        outcomes.employment_outcome_record(
            actor=world.staff, enrollment=full, status="employed", started_on=tc.start_date - dt.timedelta(days=30),
            source="provider", employer_name="早就在职",
        )  # fmt: skip
    assert exc.value.fields[0].code == "before_training"
    assert "培训后就业" in [e.title for e in archive_entries(Person.objects.get(pk=full.person_id))]


def test_a_completed_class_takes_no_more_attendance_or_roster_changes(world, finished, trainee):
    tc, full, *_ = finished
    now = at(world.start, 0) + AFTER
    class_complete(actor=world.staff, training_class=tc, now=now)
    result = attendance_record(
        actor=world.staff, device="D",
        events=[AttendanceInput(event_id="late", enrollment=str(full.pk), kind="in", at=at(world.start, 9),
                                method="face")],
        now=now,
    )  # fmt: skip
    assert result.outcomes[0].code == "enrollment_not_active"
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[trainee()], reason="补录", now=now)
    assert exc.value.code == "roster_closed"
    assert Enrollment.objects.get(pk=full.pk).status == EnrollmentStatus.FINISHED
