"""花名册: every row checked (real-name ID, name match, overlap by sessions, capacity, eligibility, pledge), strict
batches write nothing on a refusal, partial ones write the valid rows; amendments with reasons and audit."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError, PermissionDenied
from jineng.registry.models import Person, PersonFact
from jineng.training.models import AmendmentKind, Enrollment, EnrollmentAmendment, EnrollmentStatus
from jineng.training.services import rosters
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
    # One audit entry for the batch (and one for the trainee the class was filed with).
    assert AuditEntry.objects.filter(action="enrollment.add").count() == 2


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
    tc = make_class("approved", planned_size=3)  # one place taken by the trainee the class was filed with
    rows = [trainee() for _ in range(3)]
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, now=world.now)
    assert [(f.row, f.code) for f in exc.value.fields] == [(rows[2].row, "class_full")]
    assert "名额已满" in exc.value.fields[0].message
    assert _counts() == before
    partial = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, mode="partial", now=world.now)
    assert len(partial.created) == 2 and [r.code for r in partial.refused] == ["class_full"]
    assert Enrollment.objects.filter(training_class=tc, status="enrolled").count() == 3  # with the filed trainee


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


# ---- the batch path: one file of new and registered persons, checked and written as a set ---------------------------


def test_a_batch_of_new_and_registered_persons_keeps_every_rows_reason(world, make_class, trainee):
    """New and registered persons in one batch; an overlapping class, a wrong name, an ineligible group, the full
    class: each row refused with its own reason (row and field), the others written in partial mode, and the
    new persons registered through the registry — documents findable by number, groups, attribution, one audit."""
    from jineng.registry.api import MembershipInput, person_create, person_resolve

    tc = make_class("approved", planned_size=5)  # 4 places: one is the trainee the class was filed with
    known_number, busy_number = id_number(), id_number()
    known = person_create(actor=None, name="陈已登记", id_number=known_number, residence_region="440104",
                          groups=[MembershipInput(group="veteran", valid_from=dt.date(2020, 1, 1))],
                          check_permission=False)  # fmt: skip
    busy = trainee("吴在别班", id_number=busy_number)
    day_class = make_class("approved", sessions=week_sessions(world.start, world.teacher2))
    rosters.enrollments_add(actor=world.staff, training_class=day_class, rows=[busy], now=world.now)
    rows = [
        trainee("周新一", groups=["unemployed", "unemployed"], phone="13800138001"),  # 1 new
        trainee("陈已登记", id_number=known_number, groups=[]),  # 2 registered, a veteran
        trainee("吴在别班", id_number=busy_number),  # 3 in an overlapping class
        trainee("冒名者", id_number=known_number),  # 4 a known number under another name (and a repeat)
        trainee("冯无类别", groups=[]),  # 5 not eligible for category A
        trainee("周新二", groups=["rural_labor"]),  # 6 new
        trainee("周新三"),  # 7 new
        trainee("周新四"),  # 8 the class is full (4 places)
    ]
    for n, row in enumerate(rows, start=1):
        row.row = n
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, now=world.now)
    assert [(f.row, f.field, f.code) for f in exc.value.fields] == [
        (3, "id_number", "overlapping_enrollment"),
        (4, "id_number", "duplicate_in_roster"),
        (5, "groups", "ineligible_groups"),
        (8, "", "class_full"),
    ]
    messages = {f.row: f.message for f in exc.value.fields}
    assert day_class.code in messages[3] and messages[4] == "与第 2 行是同一人。" and "名额已满" in messages[8]
    assert _counts() == before  # strict: nothing written, nobody registered

    result = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, mode="partial", now=world.now)
    assert [r.row for r in result.refused] == [3, 4, 5, 8]
    assert sorted(e.person_name for e in result.created) == ["周新一", "周新三", "周新二", "陈已登记"]
    assert Enrollment.objects.filter(training_class=tc, status="enrolled").count() == 5  # with the filed trainee
    enrolled = {e.person_name: e for e in result.created}
    assert enrolled["陈已登记"].person_id == known.pk and "veteran" in enrolled["陈已登记"].groups
    assert Person.objects.count() == before[1] + 3  # the three new persons, once each
    for row in rows[0], rows[5], rows[6]:
        person = person_resolve(row.id_number)
        assert person is not None and person.name == row.name and person.source == "api"
        assert enrolled[row.name].person_id == person.pk
        assert enrolled[row.name].id_number_masked == row.id_number[:4] + "*" * 10 + row.id_number[-4:]
        assert PersonFact.objects.filter(person=person, region_id="440106", kind="registry.registered").exists()
        assert PersonFact.objects.filter(person=person, region_id="440106", kind="training.enrollment",
                                         ref=str(enrolled[row.name].pk)).exists()  # fmt: skip
    new_one = person_resolve(rows[0].id_number)
    assert list(new_one.memberships.values_list("group", "source")) == [("unemployed", "花名册")]
    assert new_one.phone_masked == "138****8001" and new_one.residence_region_id == "440106"
    assert "rural_labor" in enrolled["周新二"].groups
    # One audit entry for the batch's registrations and one for its enrollments (after busy's own two, and the two
    # of the trainee each of the two classes was filed with).
    # A registration of one person is logged as person.create (the walk's "Bulk add" for one trainee): 陈已登记's own,
    # busy's, and the trainee each class was filed with; the batch's three new persons are one person.create_bulk.
    assert AuditEntry.objects.filter(action__in=["person.create_bulk", "person.create"]).count() == 5
    assert AuditEntry.objects.filter(action="person.create_bulk").count() == 1
    assert AuditEntry.objects.filter(action="enrollment.add").count() == 4


def test_the_same_new_number_twice_in_one_file_is_one_person(world, make_class, trainee):
    tc = make_class("approved")
    first = trainee("何同号")
    rows = [first, trainee("何同号", id_number=first.id_number), trainee("何另名", id_number=first.id_number)]
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, now=world.now)
    assert [(f.row, f.code) for f in exc.value.fields] == [(rows[1].row, "duplicate_in_roster"),
                                                           (rows[2].row, "duplicate_in_roster")]  # fmt: skip
    assert f"与第 {first.row} 行是同一人。" == exc.value.fields[0].message
    result = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, mode="partial", now=world.now)
    assert len(result.created) == 1
    assert Person.objects.filter(name="何同号").count() == 1 and not Person.objects.filter(name="何另名").exists()


def test_what_the_registry_would_refuse_of_a_new_person_is_that_rows_error(world, make_class, trainee):
    """A bad phone, a residence code that does not exist, a graduate without a graduation year: the row is refused
    with the registry's reason and field before anything is written; the other rows are not affected."""
    tc = make_class("approved")
    elsewhere = trainee("郑居住地")
    elsewhere.residence_region = "449999"
    rows = [
        trainee("郑号码错", phone="1380013"),
        elsewhere,
        trainee("郑毕业生", groups=["college_graduate"]),
        trainee("郑姓名9"),
        trainee("郑正常"),
    ]
    for n, row in enumerate(rows, start=1):
        row.row = n
    before = _counts()
    with pytest.raises(DomainError) as exc:
        rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, now=world.now)
    got = [(f.row, f.field, f.code) for f in exc.value.fields]
    assert got[0][:2] == (rows[0].row, "phone") and got[0][2].startswith("phone_")
    assert got[1:] == [
        (rows[1].row, "residence_region", "unknown_region"),
        (rows[2].row, "graduation_year", "graduation_year_required"),
        (rows[3].row, "name", "name_bad_format"),
    ]
    assert exc.value.fields[2].message == "高校毕业生须填写毕业年度。"
    assert _counts() == before
    result = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=rows, mode="partial", now=world.now)
    assert [e.person_name for e in result.created] == ["郑正常"]


def test_the_check_takes_the_same_queries_for_ten_rows_or_forty(world, make_class, trainee):
    """Set-based: the check resolves a batch's numbers, groups, roster, overlaps and residence codes in a fixed
    number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from jineng.refdata.api import Region
    from jineng.registry.api import MembershipInput, person_create

    tc = make_class("approved", planned_size=45)
    codes = list(
        Region.objects.filter(code__startswith="44", valid_to__isnull=True)
        .exclude(code__endswith="00")
        .order_by("code")
        .values_list("code", flat=True)[:20]
    )
    assert len(codes) == 20

    def checked(n: int) -> int:
        rows = [trainee(groups=["unemployed"]) for _ in range(n)]
        for i, row in enumerate(rows):
            row.residence_region = codes[i % len(codes)]  # 10 distinct codes, then 20
        for row in rows[::2]:  # half of them registered already
            person_create(actor=None, name=row.name, id_number=row.id_number, residence_region="440106",
                          groups=[MembershipInput(group="unemployed")], check_permission=False)  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            accepted, refused = rosters.roster_check(training_class=tc, rows=rows, today=timezone.localdate())
        assert len(accepted) == n and refused == []
        return len(queries)

    assert checked(10) == checked(40)
