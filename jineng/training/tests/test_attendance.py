"""考勤: batches from devices, idempotent by (device, event id); refusals with codes; 学时 credited per session
with the daily cap; set-based validation (a fixed number of queries per batch)."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.training.models import AttendanceEvent, Enrollment
from jineng.training.services import rosters
from jineng.training.services.attendance import AttendanceInput, attendance_record
from jineng.training.tests.conftest import at, week_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(world, make_class, trainee):
    tc = make_class("running")
    enrollments = rosters.enrollments_add(
        actor=world.staff, training_class=tc, rows=[trainee() for _ in range(3)], now=world.now
    ).created
    return tc, enrollments


def punch(e, kind, moment, event_id, **kw):
    return AttendanceInput(event_id=event_id, enrollment=str(e.pk), kind=kind, at=moment, method="face", **kw)


def day(world, n, hour, minute=0):
    return at(world.start + dt.timedelta(days=n), hour, minute)


def test_a_full_session_credits_its_hours_and_the_rate_follows(world, running):
    tc, (e, *_rest) = running
    result = attendance_record(
        actor=world.staff,
        device="FACE-01",
        events=[punch(e, "in", day(world, 0, 8, 55), "1", latitude=23.12, longitude=113.36),
                punch(e, "out", day(world, 0, 12, 2), "2")],
        now=day(world, 0, 12, 5),
    )  # fmt: skip
    assert [o.status for o in result.outcomes] == ["accepted", "accepted"]
    e.refresh_from_db()
    assert e.credited_hours == 4  # 180 minutes in 45-minute 学时
    assert e.creditable_hours == 20  # 5 sessions × 4
    assert e.attendance_rate_bp == 2000
    stored = AttendanceEvent.objects.get(device_id="FACE-01", event_id="1")
    assert stored.session_id is not None and stored.region_id == "440106" and float(stored.latitude) == 23.12


def test_a_duplicate_event_is_acknowledged_not_stored_twice(world, running):
    tc, (e, *_rest) = running
    first = attendance_record(actor=world.staff, device="FACE-01", events=[punch(e, "in", day(world, 0, 9), "42")],
                              now=day(world, 0, 9, 1))  # fmt: skip
    assert first.outcomes[0].status == "accepted"
    again = attendance_record(
        actor=world.staff,
        device="FACE-01",
        events=[punch(e, "in", day(world, 0, 9), "42"), punch(e, "in", day(world, 0, 9), "43"),
                punch(e, "in", day(world, 0, 9), "43")],
        now=day(world, 0, 9, 2),
    )  # fmt: skip
    assert [(o.status, o.code) for o in again.outcomes] == [
        ("duplicate", "duplicate_event"),
        ("accepted", ""),
        ("duplicate", "duplicate_event"),
    ]
    assert AttendanceEvent.objects.filter(device_id="FACE-01", event_id="42").count() == 1
    assert AttendanceEvent.objects.filter(device_id="FACE-01", event_id="43").count() == 1
    # The same event id from another device is another event.
    other = attendance_record(actor=world.staff, device="QR-02", events=[punch(e, "in", day(world, 0, 9), "42")],
                              now=day(world, 0, 9, 3))  # fmt: skip
    assert other.outcomes[0].status == "accepted"


def test_refusals_carry_codes_and_nothing_is_stored_for_them(world, running, make_class, trainee):
    tc, (e, dropped, _e3) = running
    rosters.enrollment_drop(actor=world.staff, enrollment=dropped, reason="退训", now=day(world, 0, 8))
    other_class = make_class(
        "approved", provider=world.other, staff=world.other_staff,
        sessions=week_sessions(world.start + dt.timedelta(days=21), world.teacher),
    )  # fmt: skip
    stranger = rosters.enrollments_add(actor=world.other_staff, training_class=other_class, rows=[trainee()],
                                       now=world.now).created[0]  # fmt: skip
    now = day(world, 1, 16)
    events = [
        punch(e, "in", day(world, 1, 9), "ok"),
        AttendanceInput(event_id="u1", enrollment="00000000-0000-0000-0000-000000000000", kind="in",
                        at=day(world, 1, 9), method="face"),
        AttendanceInput(event_id="u2", enrollment="not-a-uuid", kind="in", at=day(world, 1, 9), method="face"),
        punch(stranger, "in", day(world, 1, 9), "u3"),  # another provider's trainee
        punch(dropped, "in", day(world, 1, 9), "gone"),
        punch(e, "in", day(world, -1, 9), "early"),  # the day before the class
        punch(e, "in", day(world, 1, 15), "gap"),  # within the class dates, outside every session
        punch(e, "in", day(world, 1, 17), "future"),
        AttendanceInput(event_id="bad", enrollment=str(e.pk), kind="sideways", at=day(world, 1, 9), method="face"),
    ]  # fmt: skip
    result = attendance_record(actor=world.staff, device="FACE-01", events=events, now=now)
    assert [(o.event_id, o.status, o.code) for o in result.outcomes] == [
        ("ok", "accepted", ""),
        ("u1", "refused", "unknown_enrollment"),
        ("u2", "refused", "unknown_enrollment"),
        ("u3", "refused", "unknown_enrollment"),
        ("gone", "refused", "enrollment_not_active"),
        ("early", "refused", "outside_class_dates"),
        ("gap", "refused", "outside_sessions"),
        ("future", "refused", "event_in_future"),
        ("bad", "refused", "bad_event"),
    ]
    assert all(o.message for o in result.outcomes if o.status == "refused")
    assert list(AttendanceEvent.objects.values_list("event_id", flat=True)) == ["ok"]


def test_a_sync_later_than_the_cutoff_is_refused(world, running):
    tc, (e, *_rest) = running
    late = day(world, 0, 9) + dt.timedelta(hours=73)  # attendance.late_sync_cutoff_hours = 72
    result = attendance_record(actor=world.staff, device="D", events=[punch(e, "in", day(world, 0, 9), "x")], now=late)
    assert result.outcomes[0].code == "late_sync"
    assert "72" in result.outcomes[0].message
    assert not AttendanceEvent.objects.exists()
    in_time = attendance_record(actor=world.staff, device="D", events=[punch(e, "in", day(world, 0, 9), "x")],
                                now=late - dt.timedelta(hours=2))  # fmt: skip
    assert in_time.outcomes[0].status == "accepted"


def test_attendance_for_a_class_not_yet_approved_is_refused(world, make_class, trainee):
    tc = make_class("submitted")
    e = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[trainee()], now=world.now).created[0]
    result = attendance_record(actor=world.staff, device="D", events=[punch(e, "in", day(world, 0, 9), "x")],
                               now=day(world, 0, 10))  # fmt: skip
    assert result.outcomes[0].code == "class_not_running"


def test_the_daily_cap_limits_a_long_day(world, make_class, trainee):
    sessions = week_sessions(world.start, world.teacher, days=1, hours=(8, 12)) + week_sessions(
        world.start, world.teacher, days=1, hours=(13, 17)
    )
    tc = make_class("running", sessions=sessions)
    e = rosters.enrollments_add(actor=world.staff, training_class=tc, rows=[trainee()], now=world.now).created[0]
    events = [
        punch(e, "in", day(world, 0, 8), "a"),
        punch(e, "out", day(world, 0, 12), "b"),
        punch(e, "in", day(world, 0, 13), "c"),
        punch(e, "out", day(world, 0, 17), "d"),
    ]
    attendance_record(actor=world.staff, device="D", events=events, now=day(world, 0, 18))
    e.refresh_from_db()
    assert e.credited_hours == 7  # 5 + 5 would be 10; hours.per_day_max = 7
    assert e.creditable_hours == 7 and e.attendance_rate_bp == 10000


def test_a_batch_is_validated_with_a_fixed_number_of_queries(world, running, django_assert_max_num_queries):
    tc, enrollments = running

    def batch(prefix):
        return [punch(e, kind, day(world, d, 9 if kind == "in" else 12), f"{prefix}-{e.pk}-{d}-{kind}")
                for e in enrollments for d in range(3) for kind in ("in", "out")]  # fmt: skip

    attendance_record(actor=world.staff, device="D", events=batch("warm"), now=day(world, 2, 13))
    with django_assert_max_num_queries(12):
        result = attendance_record(actor=world.staff, device="D", events=batch("n"), dry_run=True,
                                   now=day(world, 2, 13))  # fmt: skip
    assert result.count("accepted") == len(enrollments) * 6


def test_enrollments_credit_only_their_own_sessions(world, running):
    tc, (e, *_rest) = running
    # A check-in on Monday and a check-out on Tuesday is not two days of presence.
    attendance_record(
        actor=world.staff, device="D",
        events=[punch(e, "in", day(world, 0, 9), "m"), punch(e, "out", day(world, 1, 12), "t")],
        now=day(world, 1, 13),
    )  # fmt: skip
    e = Enrollment.objects.get(pk=e.pk)
    assert e.credited_hours == 0


@pytest.mark.parametrize("alike_max", [8, 1])  # one UPDATE per distinct credit, or the bulk update
def test_each_trainee_keeps_their_own_credit_when_a_batch_credits_them_differently(world, running, monkeypatch,
                                                                                    alike_max):  # fmt: skip
    from jineng.training.services import attendance

    monkeypatch.setattr(attendance, "ALIKE_UPDATES_MAX", alike_max)
    tc, (a, b, c) = running
    # a: the whole morning, b: an hour and a half, c: the whole morning too; so two distinct credits.
    events = [punch(a, "in", day(world, 0, 8, 55), "a1"), punch(a, "out", day(world, 0, 12, 2), "a2"),
              punch(b, "in", day(world, 0, 9), "b1"), punch(b, "out", day(world, 0, 10, 30), "b2"),
              punch(c, "in", day(world, 0, 8, 58), "c1"), punch(c, "out", day(world, 0, 12, 1), "c2")]  # fmt: skip
    attendance_record(actor=world.staff, device="D", events=events, now=day(world, 0, 12, 5))
    got = {e.pk: (e.credited_hours, e.creditable_hours, e.attendance_rate_bp)
           for e in Enrollment.objects.filter(pk__in=[a.pk, b.pk, c.pk])}  # fmt: skip
    assert got == {a.pk: (4, 20, 2000), b.pk: (2, 20, 1000), c.pk: (4, 20, 2000)}
    assert Enrollment.objects.filter(pk__in=[a.pk, b.pk, c.pk], attendance_updated_at=day(world, 0, 12, 5)).count() == 3
