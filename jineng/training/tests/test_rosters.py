"""花名册: every row checked (real-name ID, name match, overlap by sessions, capacity, eligibility, pledge), strict
batches write nothing on a refusal, partial ones write the valid rows; amendments with reasons and audit."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError, PermissionDenied
from jineng.registry.models import Person, PersonFact
from jineng.training import rosters
from jineng.training.models import AmendmentKind, Enrollment, EnrollmentAmendment, EnrollmentStatus
from jineng.training.tests.conftest import at, id_number, week_sessions

pytestmark = pytest.mark.django_db


def _counts():
    return Enrollment.objects.count(), Person.objects.count(), AuditEntry.objects.count()


def _refusal_codes(exc: DomainError) -> list[str]:
    return [f.code for f in exc.fields]


def test_rows_enroll_new_and_known_persons_with_their_groups_snapshotted(world, make_class, trainee):
    tc = make_class("approved")
    from jineng.registry.api import MembershipInput, person_create

    number = id_number()
    known = person_create(actor=None, name="陈知名", id_number=number, residence_region="440104",
                          groups=[MembershipInput(group="veteran", valid_from=dt.date(2020, 1, 1))],
                          check_permission=False)  # fmt: skip
    rows = [trainee("周新人", groups=["unemployed"]), trainee("陈知名", id_number=number, groups=[])]
    result = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, now=world.now)
    assert len(result.created) == 2 and result.refused == []
    new, old = result.created
    assert "unemployed" in new.groups and old.person_id == known.pk and "veteran" in old.groups
    assert old.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert old.pledge_signed_at == world.now and old.eligibility["eligible"] is True
    assert Person.objects.filter(name="周新人").count() == 1  # registered through the registry
    # Each enrollment attributes its person to the venue's county (visible to the county's officials).
    assert PersonFact.objects.filter(person_id=known.pk, region_id="440106", kind="training.enrollment").exists()
    assert AuditEntry.objects.filter(action="enrollment.add").count() == 1


def test_a_known_number_under_another_name_is_refused_and_nothing_written(world, make_class, trainee):
    tc = make_class("approved")
    first = trainee("林正确")
    rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[first], now=world.now)
    other = make_class("approved", sessions=week_sessions(world.start + dt.timedelta(days=21), world.teacher2))
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(
            actor=world.staff, training_class=other, rows=[trainee("林冒名", id_number=first.id_number)], now=world.now
        )
    assert exc.value.code == "rows_refused"
    assert _refusal_codes(exc.value) == ["id_name_mismatch"]
    assert "其他姓名" in exc.value.fields[0].message
    assert _counts() == before


def test_an_invalid_id_number_is_refused_with_the_registrys_code(world, make_class, trainee):
    tc = make_class("approved")
    bad = trainee("错号码", id_number="440106199005170000")
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[bad], now=world.now)
    assert exc.value.fields[0].field == "id_number"
    assert exc.value.fields[0].code.startswith("id_")


def test_overlapping_sessions_refuse_but_an_evening_class_in_the_same_weeks_does_not(world, make_class, trainee):
    day_class = make_class("approved")  # 9–12 all week
    row = trainee("吴重叠")
    rosters.enrollments_add(actor=world.staff, training_class=day_class, rows=[row], now=world.now)
    evening = make_class("approved", sessions=week_sessions(world.start, world.teacher2, hours=(19, 21)))
    ok = rosters.enrollments_add(actor=world.staff, training_class=evening, rows=[trainee("吴重叠", id_number=row.id_number)],
                                 now=world.now)  # fmt: skip
    assert len(ok.created) == 1
    t3 = world.teacher_factory("孙老师", world.provider)
    clash = make_class(
        "approved", sessions=week_sessions(world.start + dt.timedelta(days=2), t3, days=1, hours=(11, 13))
    )
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(
            actor=world.staff, training_class=clash, rows=[trainee("吴重叠", id_number=row.id_number)], now=world.now
        )
    assert _refusal_codes(exc.value) == ["overlapping_enrollment"]
    assert day_class.code in exc.value.fields[0].message
    assert _counts() == before


def test_a_dropout_frees_the_person_for_an_overlapping_class(world, make_class, trainee):
    a = make_class("approved")
    row = trainee("郑退训")
    e = rosters.enrollments_add(actor=world.staff, training_class=a, rows=[row], now=world.now).created[0]
    rosters.enrollment_drop(actor=world.staff, enrollment=e, reason="个人原因", now=world.now)
    t3 = world.teacher_factory("钱老师", world.provider)
    b = make_class("approved", sessions=week_sessions(world.start, t3))
    assert rosters.enrollments_add(
        actor=world.staff, training_class=b, rows=[trainee("郑退训", id_number=row.id_number)], now=world.now
    ).created


def test_over_capacity_is_refused_row_by_row(world, make_class, trainee):
    tc = make_class("approved", planned_size=2)
    rows = [trainee() for _ in range(3)]
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, now=world.now)
    assert [(f.row, f.code) for f in exc.value.fields] == [(rows[2].row, "class_full")]
    assert "名额已满" in exc.value.fields[0].message
    assert _counts() == before
    partial = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, mode="partial", now=world.now)
    assert len(partial.created) == 2 and [r.code for r in partial.refused] == ["class_full"]
    assert Enrollment.objects.filter(training_class=tc, status="enrolled").count() == 2


def test_an_ineligible_person_is_refused_with_the_groups_that_qualify(world, make_class, trainee):
    tc = make_class("approved")  # subsidy category A: key groups only
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(
            actor=world.staff, training_class=tc, rows=[trainee("冯在职", groups=[])], now=world.now
        )
    assert _refusal_codes(exc.value) == ["ineligible_groups"]
    assert "失业人员" in exc.value.fields[0].message
    assert _counts() == before
    unsubsidized = make_class(
        "approved", subsidy_category="none", sessions=week_sessions(world.start + dt.timedelta(days=21), world.teacher2)
    )
    ok = rosters.enrollments_add(actor=world.staff, training_class=unsubsidized, rows=[trainee("冯在职", groups=[])],
                                 now=world.now)  # fmt: skip
    assert len(ok.created) == 1


def test_a_trainee_must_pledge(world, make_class, trainee):
    tc = make_class("approved")
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[trainee(pledge=False)], now=world.now)
    assert _refusal_codes(exc.value) == ["trainee_pledge_required"]


def test_the_same_person_twice_in_one_roster_and_twice_in_a_class(world, make_class, trainee):
    tc = make_class("approved")
    row = trainee("何重复")
    twin = trainee("何重复", id_number=row.id_number)
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[row, twin], now=world.now)
    assert _refusal_codes(exc.value) == ["duplicate_in_roster"]
    rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[row], now=world.now)
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[twin], now=world.now)
    assert _refusal_codes(exc.value) == ["already_enrolled"]


def test_late_additions_need_a_reason_and_close_after_the_window(world, make_class, trainee):
    tc = make_class("running")
    day2 = at(world.start + dt.timedelta(days=1), 8)
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[trainee()], now=day2)
    assert exc.value.code == "reason_required"
    late = rosters.enrollments_add(
        actor=world.staff, training_class=tc, rows=[trainee()], reason="第二天报到", now=day2
    )
    e = late.created[0]
    assert e.late_addition is True
    assert EnrollmentAmendment.objects.get(enrollment=e).kind == AmendmentKind.LATE_ADDITION
    after_window = at(world.start + dt.timedelta(days=4), 8)  # class.late_addition_days = 3
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(
            actor=world.staff, training_class=tc, rows=[trainee()], reason="太晚了", now=after_window
        )
    assert exc.value.code == "late_addition_closed"
    assert _counts() == before


def test_amendments_are_recorded_with_reasons_and_audited(world, make_class, trainee):
    tc = make_class("approved")
    e1, e2, e3 = rosters.enrollments_add(
        actor=world.staff, training_class=tc, rows=[trainee(), trainee(), trainee()], now=world.now
    ).created
    with pytest.raises(DomainError) as exc:
        rosters.enrollment_drop(actor=world.staff, enrollment=e1, reason="", now=world.now)
    assert exc.value.code == "reason_required"
    dropped = rosters.enrollment_drop(actor=world.staff, enrollment=e1, reason="找到工作", now=world.now)
    assert dropped.status == EnrollmentStatus.DROPPED and dropped.end_reason == "找到工作"
    postponed = rosters.enrollment_postpone(actor=world.staff, enrollment=e2, reason="家中有事", now=world.now)
    assert postponed.status == EnrollmentStatus.POSTPONED
    target = make_class("approved", sessions=week_sessions(world.start + dt.timedelta(days=21), world.teacher2))
    moved = rosters.enrollment_transfer(actor=world.staff, enrollment=e3, target_class=target, reason="调整班次",
                                        now=world.now)  # fmt: skip
    assert moved.training_class_id == target.pk and moved.transferred_from_id == e3.pk
    e3.refresh_from_db()
    assert e3.status == EnrollmentStatus.TRANSFERRED
    kinds = sorted(EnrollmentAmendment.objects.filter(enrollment__training_class=tc).values_list("kind", flat=True))
    assert kinds == ["dropout", "postponement", "transfer"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"enrollment.dropout", "enrollment.postponement", "enrollment.transfer"} <= actions
    with pytest.raises(DomainError) as exc:
        rosters.enrollment_drop(actor=world.staff, enrollment=e1, reason="再次退训", now=world.now)
    assert exc.value.code == "enrollment_not_active"


def test_another_providers_staff_cannot_touch_the_roster(world, make_class, trainee):
    tc = make_class("approved")
    before = _counts()
    with pytest.raises(PermissionDenied):
        rosters.enrollments_add(actor=world.other_staff, training_class=tc, rows=[trainee()], now=world.now)
    assert _counts() == before


def test_the_overlap_check_is_two_queries_whatever_the_roster_size(
    world, make_class, trainee, django_assert_max_num_queries
):
    tc = make_class("approved")
    person_ids = [
        e.person_id
        for e in rosters.enrollments_add(
            actor=world.staff, training_class=tc, rows=[trainee() for _ in range(20)], now=world.now
        ).created
    ]
    other = make_class("approved", sessions=week_sessions(world.start, world.teacher2, hours=(19, 21)))
    with django_assert_max_num_queries(2):
        assert rosters.overlapping_enrollments(other, person_ids) == {}
