"""开班: application, the state machine, and every refusal (suspended provider, unlisted program, busy teacher,
over size, filed too late), each with its code and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError, PermissionDenied
from jineng.training.models import ClassSession, ClassStatus, ClassTransition, TrainingClass
from jineng.training.services import classes
from jineng.training.tests.conftest import at, file_roster, id_number, week_sessions

pytestmark = pytest.mark.django_db


def _input(world, **overrides):
    data = dict(
        name="Python 程序设计就业技能培训班",
        program=world.program.pk,
        venue_name="天河实训基地",
        region="440106",
        planned_size=30,
        sessions=week_sessions(world.start, world.teacher),
        venue_latitude=23.12,
        venue_longitude=113.36,
    )
    data.update(overrides)
    return classes.ClassInput(**data)


def _nothing_written(before_classes: int, before_audit: int) -> None:
    assert TrainingClass.objects.count() == before_classes
    assert AuditEntry.objects.count() == before_audit


def test_a_class_goes_through_the_state_machine_with_every_transition_kept_and_audited(world, make_class):
    tc = make_class("draft")
    assert tc.status == ClassStatus.DRAFT
    assert tc.region_id == "440106" and tc.organization_id == world.provider.organization_id
    assert tc.code.startswith(f"K440106{world.start.year}")
    assert tc.start_date == world.start and tc.end_date == world.start + dt.timedelta(days=4)
    assert tc.sessions.count() == 5
    file_roster(world, tc)
    tc = classes.class_submit(actor=world.staff, training_class=tc, pledge=True, now=world.now)
    assert tc.status == ClassStatus.SUBMITTED
    assert tc.provider_pledge_at == world.now and "承诺" in tc.provider_pledge_text
    assert tc.review_due is not None and tc.review_due > world.today
    tc = classes.class_review(actor=world.county, training_class=tc, approved=True, opinion="同意", now=world.now)
    assert tc.status == ClassStatus.APPROVED
    first = tc.sessions.order_by("starts_at").first()
    tc = classes.class_start(actor=world.staff, training_class=tc, now=first.starts_at)
    assert tc.status == ClassStatus.RUNNING
    path = list(ClassTransition.objects.filter(training_class=tc).values_list("source", "target"))
    assert path == [("draft", "submitted"), ("submitted", "approved"), ("approved", "running")]
    actions = set(AuditEntry.objects.filter(object_id=str(tc.pk)).values_list("action", flat=True))
    assert {"class.create", "class.submitted", "class.approved", "class.running"} <= actions


def test_refusal_needs_reasons_and_a_refused_class_can_be_resubmitted(world, make_class):
    tc = make_class("submitted")
    with pytest.raises(DomainError) as exc:
        classes.class_review(actor=world.county, training_class=tc, approved=False, reasons=[], now=world.now)
    assert exc.value.code == "reasons_required"
    tc = classes.class_review(
        actor=world.county, training_class=tc, approved=False, reasons=["教学计划不完整"], now=world.now
    )
    assert tc.status == ClassStatus.REJECTED and tc.rejection_reasons == ["教学计划不完整"]
    tc = classes.class_submit(actor=world.staff, training_class=tc, pledge=True, now=world.now)
    assert tc.status == ClassStatus.SUBMITTED and tc.rejection_reasons == []


def test_transitions_out_of_order_are_refused(world, make_class):
    tc = make_class("draft")
    with pytest.raises(DomainError) as exc:
        classes.class_review(actor=world.county, training_class=tc, approved=True, now=world.now)
    assert exc.value.code == "transition_refused"
    with pytest.raises(DomainError) as exc:
        classes.class_start(actor=world.staff, training_class=tc, now=world.now)
    assert exc.value.code == "transition_refused"
    approved = make_class("approved", sessions=week_sessions(world.start + dt.timedelta(days=14), world.teacher2))
    with pytest.raises(DomainError) as exc:
        classes.class_start(actor=world.staff, training_class=approved, now=world.now)
    assert exc.value.code == "class_not_started_yet"


def test_only_the_regions_official_reviews(world, make_class, make_user):
    tc = make_class("submitted")
    for user in (world.staff, make_user("county_official", region="440104")):
        with pytest.raises(PermissionDenied):
            classes.class_review(actor=user, training_class=tc, approved=True, now=world.now)
    tc.refresh_from_db()
    assert tc.status == ClassStatus.SUBMITTED


def test_a_class_of_another_provider_cannot_be_applied_for_by_its_staff(world):
    with pytest.raises(PermissionDenied):
        classes.class_create(actor=world.other_staff, provider=world.provider, data=_input(world), now=world.now)


def test_a_suspended_provider_is_refused(world):
    from jineng.providers.services.catalog import listing_suspend

    listing_suspend(actor=world.city, listing=world.provider.listing, effective_date=world.today, reason="整改")
    before = TrainingClass.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        classes.class_create(actor=world.staff, provider=world.provider, data=_input(world), now=world.now)
    assert exc.value.code == "provider_suspended"
    assert "暂停" in exc.value.message
    _nothing_written(*before)


def test_an_unlisted_program_is_refused(world):
    from jineng.providers.models import Program

    unlisted = Program.objects.create(
        code="GD-UNLISTED",
        name="未入目录项目",
        occupation=world.program.occupation,
        level=world.program.level,
        training_kind="employment",
        hours_theory=10,
        hours_practice=10,
        delivery="offline",
        subsidy_category="A",
        region_id="440000",
    )
    before = TrainingClass.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        classes.class_create(
            actor=world.staff, provider=world.provider, data=_input(world, program=unlisted.pk), now=world.now
        )
    assert exc.value.code == "program_not_listed"
    _nothing_written(*before)


def test_a_teacher_already_teaching_an_overlapping_session_elsewhere_is_refused(world, make_class):
    make_class("submitted", provider=world.other, staff=world.other_staff)  # 王老师 teaches there 9–12 all week
    evening = week_sessions(world.start, world.teacher, hours=(19, 21))
    ok = classes.class_create(
        actor=world.staff, provider=world.provider, data=_input(world, sessions=evening), now=world.now
    )
    assert ok.status == ClassStatus.DRAFT  # the evening class does not overlap
    overlapping = week_sessions(world.start, world.teacher, days=1, hours=(11, 13))
    before = TrainingClass.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        classes.class_create(
            actor=world.staff, provider=world.provider, data=_input(world, sessions=overlapping), now=world.now
        )
    assert exc.value.code == "teacher_busy"
    assert "时间重叠" in exc.value.message
    _nothing_written(*before)


def test_a_teacher_not_in_the_providers_pool_is_refused(world):
    stranger = world.teacher_factory("赵老师")  # in the pool, affiliated with no provider
    with pytest.raises(DomainError) as exc:
        classes.class_create(
            actor=world.staff,
            provider=world.provider,
            data=_input(world, sessions=week_sessions(world.start, stranger)),
            now=world.now,
        )
    assert exc.value.code == "teacher_not_affiliated"


def test_a_class_larger_than_the_regions_maximum_is_refused(world):
    from jineng.refdata.api import setting_set

    setting_set(actor=world.city, key="class.max_trainees", region_code="440100", value=20, valid_from=world.today,
                reason="本市每班不超过20人")  # fmt: skip
    with pytest.raises(DomainError) as exc:
        classes.class_create(
            actor=world.staff, provider=world.provider, data=_input(world, planned_size=21), now=world.now
        )
    assert exc.value.fields[0].code == "class_too_large"
    assert "20" in exc.value.fields[0].message


def test_filing_later_than_the_working_day_limit_is_refused(world):
    soon = world.today + dt.timedelta(days=3)
    tc = classes.class_create(
        actor=world.staff,
        provider=world.provider,
        data=_input(world, sessions=week_sessions(soon, world.teacher, days=1)),
        now=world.now,
    )
    with pytest.raises(DomainError) as exc:
        classes.class_submit(actor=world.staff, training_class=tc, pledge=True, now=world.now)
    assert exc.value.code == "filed_too_late"
    tc.refresh_from_db()
    assert tc.status == ClassStatus.DRAFT and tc.submitted_at is None


def test_a_class_with_no_trainees_or_fewer_than_the_regions_minimum_cannot_be_submitted(world, make_class):
    """A strict roster import that refused every row left an empty class, which was submitted and approved: the
    roster is filed with the class — none enrolled (or fewer than ``class.min_trainees``) is refused."""
    from jineng.refdata.api import setting_set
    from jineng.training.services.rosters import RosterRow, enrollments_add

    tc = make_class("draft")
    with pytest.raises(DomainError) as exc:
        classes.class_submit(actor=world.staff, training_class=tc, pledge=True, now=world.now)
    assert exc.value.code == "too_few_trainees" and "花名册" in exc.value.message
    assert exc.value.fields[0].field == "roster"
    tc.refresh_from_db()
    assert tc.status == ClassStatus.DRAFT and tc.submitted_at is None
    # A county that requires at least two trainees: one is not enough, two are.
    setting_set(actor=world.city, key="class.min_trainees", region_code="440106", value=2,
                valid_from=world.today - dt.timedelta(days=1), reason="每班不少于2人")  # fmt: skip
    file_roster(world, tc)
    with pytest.raises(DomainError) as exc:
        classes.class_submit(actor=world.staff, training_class=tc, pledge=True, now=world.now)
    assert exc.value.code == "too_few_trainees" and "少于开班最少人数 2 人" in exc.value.message
    row = RosterRow(name="第二学员", id_number=id_number(), row=1, groups=["unemployed"], residence_region="440106",
                    pledge=True)  # fmt: skip
    enrollments_add(actor=world.staff, training_class=tc, rows=[row], now=world.now)
    tc = classes.class_submit(actor=world.staff, training_class=tc, pledge=True, now=world.now)
    assert tc.status == ClassStatus.SUBMITTED


def test_submission_needs_the_providers_pledge(world, make_class):
    tc = make_class("draft")
    with pytest.raises(DomainError) as exc:
        classes.class_submit(actor=world.staff, training_class=tc, pledge=False, now=world.now)
    assert exc.value.code == "pledge_required"


def test_the_venue_must_be_a_county(world):
    with pytest.raises(DomainError) as exc:
        classes.class_create(actor=world.staff, provider=world.provider, data=_input(world, region="440100"),
                             now=world.now)  # fmt: skip
    assert exc.value.code == "venue_region_not_county"


def test_an_online_class_is_reviewed_within_the_online_limit(world):
    sessions = week_sessions(world.start, world.teacher2)
    for s in sessions:
        s.mode = "online"
    tc = classes.class_create(
        actor=world.staff, provider=world.provider, data=_input(world, sessions=sessions), now=world.now
    )
    assert classes.review_workdays(tc, world.today) == 3


def test_cancellation_by_the_provider_before_running_and_by_the_official_while_running(world, make_class):
    tc = make_class("approved")
    tc = classes.class_cancel(actor=world.staff, training_class=tc, reason="报名人数不足", now=world.now)
    assert tc.status == ClassStatus.CANCELLED and tc.cancel_reason == "报名人数不足"
    running = make_class("running", sessions=week_sessions(world.start + dt.timedelta(days=14), world.teacher))
    with pytest.raises(PermissionDenied):
        classes.class_cancel(actor=world.staff, training_class=running, reason="不想办了", now=world.now)
    running = classes.class_cancel(actor=world.county, training_class=running, reason="抽查发现虚假培训", now=world.now)
    assert running.status == ClassStatus.CANCELLED
    with pytest.raises(DomainError) as exc:
        classes.class_cancel(actor=world.county, training_class=running, reason="再次撤销", now=world.now)
    assert exc.value.code == "transition_refused"


def test_a_cancelled_class_frees_its_teacher(world, make_class):
    tc = make_class("submitted", provider=world.other, staff=world.other_staff)
    classes.class_cancel(actor=world.other_staff, training_class=tc, reason="取消", now=world.now)
    same_time = classes.class_create(actor=world.staff, provider=world.provider, data=_input(world), now=world.now)
    assert ClassSession.objects.filter(training_class=same_time).count() == 5


def test_session_times_are_checked(world):
    bad = week_sessions(world.start, world.teacher, days=1)
    bad[0].ends_at = bad[0].starts_at - dt.timedelta(hours=1)
    with pytest.raises(DomainError) as exc:
        classes.class_create(actor=world.staff, provider=world.provider, data=_input(world, sessions=bad),
                             now=world.now)  # fmt: skip
    assert exc.value.fields[0].code == "session_ends_before_start"
    twice = week_sessions(world.start, world.teacher, days=1) + week_sessions(world.start, world.teacher2, days=1)
    with pytest.raises(DomainError) as exc:
        classes.class_create(actor=world.staff, provider=world.provider, data=_input(world, sessions=twice),
                             now=world.now)  # fmt: skip
    assert exc.value.fields[0].code == "sessions_overlap"
    assert at(world.start, 9) == twice[0].starts_at


def test_an_official_may_not_cancel_a_providers_unsubmitted_draft(world, make_class, api):
    draft = make_class("draft")
    with pytest.raises(PermissionDenied):
        classes.class_cancel(actor=world.county, training_class=draft, reason="看着不合适", now=world.now)
    draft.refresh_from_db()
    assert draft.status == ClassStatus.DRAFT and draft.cancel_reason == ""
    # nor does the page offer it; the provider's own staff still may
    html = api(world.county).get(f"/training/classes/{draft.pk}/").content.decode()
    assert f"/training/classes/{draft.pk}/cancel/" not in html
    tc = classes.class_cancel(actor=world.staff, training_class=draft, reason="重新编排课程", now=world.now)
    assert tc.status == ClassStatus.CANCELLED


def test_a_revised_schedule_that_makes_a_trainee_overlap_another_class_is_refused(world, make_class, trainee):
    from jineng.training.services import rosters

    day_class = make_class("approved")  # 王老师, 9–12 all week
    row = trainee("吴重叠")
    rosters.enrollments_add(actor=world.staff, training_class=day_class, rows=[row], now=world.now)
    draft = make_class("draft", sessions=week_sessions(world.start, world.teacher2, hours=(19, 21)))
    rosters.enrollments_add(actor=world.staff, training_class=draft, rows=[trainee("吴重叠", id_number=row.id_number)],
                            now=world.now)  # fmt: skip
    schedule = sorted(draft.sessions.filter(cancelled_at__isnull=True).values_list("starts_at", flat=True))
    before = TrainingClass.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        classes.class_update(actor=world.staff, training_class=draft,
                             data=_input(world, sessions=week_sessions(world.start, world.teacher2)), now=world.now)  # fmt: skip
    assert exc.value.code == "overlapping_enrollment" and exc.value.fields[0].field == "sessions"
    assert day_class.code in exc.value.message
    assert sorted(draft.sessions.filter(cancelled_at__isnull=True).values_list("starts_at", flat=True)) == schedule
    _nothing_written(*before)
    # A schedule that still keeps clear of the other class is taken.
    later = week_sessions(world.start, world.teacher2, hours=(18, 21))
    classes.class_update(actor=world.staff, training_class=draft, data=_input(world, sessions=later), now=world.now)
    assert draft.sessions.filter(cancelled_at__isnull=True).count() == 5


def test_a_revision_planning_fewer_places_than_the_roster_holds_is_refused(world, make_class, trainee):
    from jineng.training.services import rosters

    draft = make_class("draft")
    rosters.enrollments_add(actor=world.staff, training_class=draft, rows=[trainee(), trainee()], now=world.now)
    before = TrainingClass.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        classes.class_update(actor=world.staff, training_class=draft, data=_input(world, planned_size=1), now=world.now)
    assert exc.value.code == "planned_size_below_roster" and exc.value.fields[0].field == "planned_size"
    assert "2 人" in exc.value.message
    draft.refresh_from_db()
    assert draft.planned_size == 30
    _nothing_written(*before)
    classes.class_update(actor=world.staff, training_class=draft, data=_input(world, planned_size=2), now=world.now)
    draft.refresh_from_db()
    assert draft.planned_size == 2
