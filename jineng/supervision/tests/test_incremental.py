"""增量扫描 — a pass over the records new since the last scan's watermark: it finds what they brought, the same case
as a full scan would (never a duplicate), leaves records older than the watermark alone, and is queued by the job
system after an import (and by ``jineng supervision scan --incremental`` from cron)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jineng.rules.idcard import check_character

pytestmark = pytest.mark.django_db

PHONE = "13926001234"


def _person(seq: int, phone: str = PHONE):
    from jineng.registry.api import person_create

    body = f"440106{dt.date(1980, 1, 1) + dt.timedelta(days=seq * 97):%Y%m%d}{300 + seq:03d}"
    return person_create(actor="seed", name="测试" + "甲乙丙丁戊己庚辛壬癸"[seq % 10] + "子丑寅卯辰巳午未申酉"[seq // 10 % 10], id_number=body + check_character(body), phone=phone,
                         residence_region="440106", source="manual", check_permission=False)  # fmt: skip


def _persons_of(case) -> set[str]:
    return {e["id"] for e in case.evidence if e["kind"] == "person"}


def test_an_incremental_pass_finds_the_new_records_once_and_leaves_the_old_alone(make_user):
    from jineng.registry.api import Person
    from jineng.supervision.models import Case, ScanKind, ScanStatus
    from jineng.supervision.services import WATERMARK_OVERLAP, scan_create, scan_incremental_queue, scan_run

    official = make_user("province_official", region="440000")
    assert scan_incremental_queue(run_now=True) is None  # nothing to increment from: a full scan comes first
    # Four persons of one phone, older than any scan: below the threshold (5), no case.
    old = [_person(i) for i in range(4)]
    Person.objects.filter(pk__in=[p.pk for p in old]).update(created_at=timezone.now() - dt.timedelta(days=3),
                                                               updated_at=timezone.now() - dt.timedelta(days=3))  # fmt: skip
    full = scan_run(scan_create(actor=official))
    assert full.status == ScanStatus.DONE and not Case.objects.exists()

    first = scan_incremental_queue(run_now=True)
    assert first.kind == ScanKind.INCREMENTAL and first.status == ScanStatus.DONE
    assert first.since == full.started_at - WATERMARK_OVERLAP
    assert not Case.objects.exists()  # nothing new

    # A fifth person with that phone registers: the pass reads the key it touched, with every person behind it.
    fifth = _person(4)
    second = scan_incremental_queue(run_now=True)
    assert second.since == first.started_at - WATERMARK_OVERLAP
    case = Case.objects.get(rule="shared_phone")
    assert _persons_of(case) == {str(p.pk) for p in [*old, fifth]}
    assert second.found["shared_phone"]["new"] == 1

    # Again (the overlap reads the fifth person twice): the same case, nothing new.
    third = scan_incremental_queue(run_now=True)
    assert Case.objects.count() == 1 and sum(v["new"] for v in third.found.values()) == 0
    # A sixth joins: the still-new case gets the sixth in its evidence, no second case.
    sixth = _person(5)
    scan_incremental_queue(run_now=True)
    case.refresh_from_db()
    assert Case.objects.count() == 1 and str(sixth.pk) in _persons_of(case) and case.person_count == 6
    # A full scan agrees with the passes: the same single case.
    again = scan_run(scan_create(actor=official))
    assert Case.objects.count() == 1 and sum(v["new"] for v in again.found.values()) == 0


def test_old_records_alone_are_not_read_by_an_incremental_pass(make_user):
    from jineng.registry.api import Person
    from jineng.supervision.models import Case
    from jineng.supervision.services import scan_create, scan_incremental_queue, scan_run

    official = make_user("province_official", region="440000")
    scan_run(scan_create(actor=official, rules=["shared_phone"]))
    five = [_person(10 + i, phone="13926005555") for i in range(5)]
    Person.objects.filter(pk__in=[p.pk for p in five]).update(created_at=timezone.now() - dt.timedelta(days=3),
                                                                updated_at=timezone.now() - dt.timedelta(days=3))  # fmt: skip
    scan_incremental_queue(run_now=True)
    assert not Case.objects.exists()  # written before the watermark: left to the full scan
    scan_run(scan_create(actor=official))
    assert Case.objects.filter(rule="shared_phone").count() == 1


def test_an_import_queues_one_incremental_pass_that_the_worker_runs(
    make_user, monkeypatch, django_capture_on_commit_callbacks
):
    from jineng.common.jobs.models import JobStatus
    from jineng.common.jobs.services import job_create, register_job_kind
    from jineng.supervision import services
    from jineng.supervision.models import Case, Scan, ScanKind, ScanStatus

    official = make_user("province_official", region="440000")
    services.scan_run(services.scan_create(actor=official))

    @register_job_kind("import.test_persons")
    def fake_import(job, progress):
        for i in range(5):
            _person(20 + i, phone="13926007777")
        return {"rows": 5}

    monkeypatch.setattr(services, "AFTER_IMPORTS", services.AFTER_IMPORTS | {"import.test_persons"})
    with django_capture_on_commit_callbacks(execute=True):  # the test settings' worker runs a job at once
        job = job_create(kind="import.test_persons", actor=official)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    passes = Scan.objects.filter(kind=ScanKind.INCREMENTAL)
    assert passes.count() == 1 and passes.get().status == ScanStatus.DONE and passes.get().job_id
    assert Case.objects.filter(rule="shared_phone").count() == 1
    # a job of another kind (or a scan's own job) queues nothing
    services.incremental_after_job(type("J", (), {"kind": "supervision.scan"})())
    assert passes.count() == 1


def test_a_queued_pass_takes_the_next_import_too():
    from jineng.supervision.models import Scan, ScanKind, ScanStatus
    from jineng.supervision.services import scan_incremental_queue

    done = Scan.objects.create(region_id="440000", status=ScanStatus.DONE, started_at=timezone.now())
    queued = Scan.objects.create(region_id="440000", kind=ScanKind.INCREMENTAL, status=ScanStatus.QUEUED)
    assert scan_incremental_queue() == queued  # not a second job
    assert done.pk != queued.pk


def test_the_command_runs_a_full_scan_then_incremental_passes(make_user):
    from jineng.supervision.models import Case, Scan, ScanKind

    out = StringIO()
    with pytest.raises(Exception, match="full scan first"):
        call_command("supervision", "scan", "--incremental", stdout=out)
    call_command("supervision", "scan", stdout=out)
    assert "(full)" in out.getvalue() and "done" in out.getvalue()
    for i in range(5):
        _person(30 + i, phone="13926008888")
    call_command("supervision", "scan", "--incremental", stdout=out)
    assert Scan.objects.filter(kind=ScanKind.INCREMENTAL, status="done").count() == 1
    assert Case.objects.filter(rule="shared_phone").count() == 1 and "1 new" in out.getvalue()
