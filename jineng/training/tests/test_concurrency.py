"""Concurrency on PostgreSQL: simultaneous enrollments cannot overfill a class (the class row is locked while its
roster is checked and written), and a device re-sending the same batch at the same moment stores each event once
(the unique constraint on device + event id decides).

SQLite has a single writer, so these races cannot happen there: the tests skip on SQLite and run in the PostgreSQL
pass (``scripts/with-postgres.sh``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from jineng.training.models import AttendanceEvent, Enrollment

APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "jineng.common",
    "jineng.accounts",
    "jineng.registry",
    "jineng.providers",
    "jineng.training",
]


@pytest.fixture
def postgres_with_refdata() -> None:
    """Skip on SQLite before anything is built; make sure the reference data is there (an earlier transactional
    test may have flushed it; refdata is outside this test's available apps, so what is loaded here stays)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer, so these calls cannot race (runs in the PostgreSQL pass)")
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import Occupation, Region
    from jineng.refdata.regions import region_cache_clear

    if not Region.objects.filter(code="440106").exists() or not Occupation.objects.filter(code="4-04-05-01").exists():
        load_all(["regions", "levels", "occupations"])
    region_cache_clear()


def _race(n: int, work: Callable[[int], object]) -> list[object]:
    start = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except BaseException as exc:  # reported by the caller
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, available_apps=APPS)
def test_simultaneous_enrollments_and_attendance_batches(postgres_with_refdata, world, make_class, trainee, class_now):
    """One test for both races: the world is costly to build in a transactional test."""
    from jineng.common.errors import DomainError
    from jineng.training.services.attendance import AttendanceInput, attendance_record
    from jineng.training.services.rosters import enrollments_add
    from jineng.training.tests.conftest import week_sessions

    # Six simultaneous enrollments for the two places left in a class of three (filed with one trainee, as every
    # class must be since class.min_trainees): two succeed, four are refused as full.
    tc = make_class("approved", planned_size=3, sessions=week_sessions(world.start, world.teacher))
    assert Enrollment.objects.filter(training_class=tc, status="enrolled").count() == 1
    rows = [trainee() for _ in range(6)]

    def enroll(i: int) -> object:
        try:
            return len(enrollments_add(actor=world.staff, training_class=tc, rows=[rows[i]], now=world.now).created)
        except DomainError as exc:
            return exc.fields[0].code if exc.fields else exc.code

    results = _race(len(rows), enroll)
    assert sorted(map(str, results)) == ["1", "1", "class_full", "class_full", "class_full", "class_full"], results
    assert Enrollment.objects.filter(training_class=tc, status="enrolled").count() == 3

    # The same batch sent four times at once: each event stored once.
    today_class, start, end, (e1, e2), _rows = class_now
    events = [
        AttendanceInput(event_id=f"{n}-{kind}", enrollment=str(e.pk), kind=kind, at=start if kind == "in" else end,
                        method="face")
        for n, e in enumerate((e1, e2)) for kind in ("in", "out")
    ]  # fmt: skip
    batches = _race(4, lambda i: attendance_record(actor=world.staff, device="FACE-01", events=events))
    assert not [r for r in batches if isinstance(r, BaseException)], batches
    assert AttendanceEvent.objects.filter(device_id="FACE-01").count() == 4
    e1.refresh_from_db()
    assert e1.credited_hours == 4
