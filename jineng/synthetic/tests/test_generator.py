"""The synthetic province: deterministic, valid ID numbers, calibrated shares, the platform's rules, labeled
anomalies, resumable — on SQLite (executemany) and on PostgreSQL (COPY, bulk mode) alike."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pytest
from django.db import connection

from jineng.common.crypto import blind_index
from jineng.rules.idcard import ParsedId, validate_id_number
from jineng.synthetic import plan as plan_module
from jineng.synthetic.calibration import DEFAULT
from jineng.synthetic.people import permute
from jineng.synthetic.runner import Interrupted, build_plan, seed_province

pytestmark = pytest.mark.django_db


def _regions():
    from jineng.refdata.models import Region

    return set(Region.objects.values_list("code", flat=True))


def test_the_same_seed_gives_the_same_persons_and_another_seed_others():
    first = build_plan(seed=7, persons=10_000, anomalies=False)
    again = build_plan(seed=7, persons=10_000, anomalies=False)
    other = build_plan(seed=8, persons=10_000, anomalies=False)
    idx = np.arange(200, dtype=np.int64)

    def hashed(plan):
        return [
            blind_index(str(n), context="registry.identity_document.number") for n in plan.pop.persons(idx)["id_number"]
        ]

    assert hashed(first) == hashed(again)
    assert list(first.person_ids(idx)) == list(again.person_ids(idx))
    assert len(set(hashed(first)) & set(hashed(other))) < 5


def test_the_permutation_is_a_bijection():
    for n in (1, 2, 7, 1000, 12_345):
        assert sorted(permute(3, np.arange(n), n).tolist()) == list(range(n))


def test_every_id_number_is_valid_unique_and_issued_in_a_real_county():
    known = _regions()
    plan = build_plan(seed=11, persons=10_000_000, anomalies=False)
    idx = np.unique(np.random.default_rng(1).integers(0, 10_000_000, 20_000))
    people = plan.pop.persons(idx)
    numbers = [str(n) for n in people["id_number"]]
    assert len(set(numbers)) == len(numbers)
    for number, male, born in zip(numbers, people["male"], people["birth_date"], strict=True):
        parsed = validate_id_number(number, region_known=known.__contains__, today=dt.date(2026, 11, 22))
        assert isinstance(parsed, ParsedId), (number, parsed)
        assert parsed.sex.value == ("male" if male else "female")
        assert str(parsed.birth_date) == str(born)
    residences = {str(r) for r in people["residence"]}
    assert all(r.startswith("44") and r in known for r in residences)


def test_group_shares_follow_the_calibration():
    plan = build_plan(seed=5, persons=10_000_000, anomalies=False)
    idx = np.random.default_rng(2).choice(10_000_000, 200_000, replace=False)
    groups = plan.pop.persons(idx)["group"]
    everyone = DEFAULT.groups + DEFAULT.ghost_groups
    total = sum(share for _g, share, _y, _m in everyone)
    for k, (_code, share, _years, _male) in enumerate(everyone):
        expected = share / total
        got = float(np.mean(groups == k))
        assert abs(got - expected) < max(0.004, 4 * math.sqrt(expected * (1 - expected) / len(idx))), (_code, got)
    people = plan.pop.persons(idx[:50_000])
    male_share = float(np.mean(people["male"]))
    assert 0.5 < male_share < 0.6


def _count(model):
    return model.objects.count()


def test_tiny_province_resumes_after_an_interruption_and_follows_the_platforms_rules(tmp_path):
    from jineng.registry.models import IdentityDocument, Person
    from jineng.synthetic.models import SeedChunk
    from jineng.training.models import AttendanceEvent, CompletionCertificate, Enrollment, SerialCounter, TrainingClass
    from jineng.training.services.attendance import credits_for

    with pytest.raises(Interrupted):
        seed_province(scale="tiny", seed=3, persons=600, progress=False, stop_after=4)
    assert SeedChunk.objects.count() == 4
    assert Person.objects.count() == sum(c.rows for c in SeedChunk.objects.filter(stage="persons"))
    result = seed_province(scale="tiny", seed=3, persons=600, progress=False)
    assert result.skipped_chunks == 4
    plan = build_plan(seed=3, persons=600, anomalies=False)
    expected = sum(len(plan.cohort(m).enr["key"]) for m in range(plan_module.MONTHS))
    assert Person.objects.count() == 600 == IdentityDocument.objects.count()
    assert Enrollment.objects.count() == expected
    assert AttendanceEvent.objects.count() > 2 * expected
    # Rerunning a finished run writes nothing.
    again = seed_province(scale="tiny", seed=3, persons=600, progress=False)
    assert again.rows == {} and Person.objects.count() == 600
    # Stored 学时 and rates are what the platform's crediting computes from the events.
    sample = list(
        Enrollment.objects.filter(status="finished").values_list("id", "credited_hours", "attendance_rate_bp")[:40]
    )
    credits = credits_for([pk for pk, _h, _r in sample])
    for pk, hours, rate in sample:
        assert credits[pk].credited_hours == hours and credits[pk].rate_basis_points == rate
    passed = Enrollment.objects.filter(result="passed")
    assert passed.exists() and CompletionCertificate.objects.count() == passed.count()
    assert all(e.attendance_rate_bp >= 8000 for e in passed)
    # The services continue numbering after the generated classes.
    code = TrainingClass.objects.order_by("-code").values_list("code", flat=True).first()
    counter = SerialCounter.objects.get(prefix="class-" + code[1:7], year=int(code[7:11]))
    assert counter.last >= int(code[11:])


def test_anomalies_ground_truth_matches_what_was_injected(tmp_path, monkeypatch):
    from jineng.registry.models import BankAccount, EmploymentRecord, Person
    from jineng.training.models import AttendanceEvent, Enrollment, TrainingClass

    monkeypatch.setattr(plan_module, "DOUBLE_RATE", 0.01)
    monkeypatch.setattr(plan_module, "FAR_RATE", 0.01)
    path = tmp_path / "truth.jsonl"
    result = seed_province(scale="tiny", seed=9, persons=1500, anomalies=True, ground_truth=path, progress=False)
    assert result.ground_truth == str(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    patterns = {r["pattern"] for r in records}
    injected = {"shared_phone", "shared_bank", "ghost", "double_booking", "far_attendance"}
    from jineng.synthetic.plant import PLANTED

    assert injected <= patterns and patterns - injected <= {*PLANTED, "double_subsidy"}
    _planted_as_recorded([r for r in records if r["pattern"] in PLANTED])
    for r in records:
        if r["pattern"] not in injected:
            continue
        if r["pattern"] == "shared_phone":
            hashes = set(Person.objects.filter(pk__in=r["person_ids"]).values_list("phone_hash", flat=True))
            assert len(r["person_ids"]) >= 5 and len(hashes) == 1
        elif r["pattern"] == "shared_bank":
            accounts = BankAccount.objects.filter(pk__in=r["bank_account_ids"])
            assert accounts.count() == len(r["person_ids"]) >= 5
            assert len(set(accounts.values_list("account_hash", flat=True))) == 1
            assert set(map(str, accounts.values_list("person_id", flat=True))) == set(r["person_ids"])
        elif r["pattern"] == "ghost":
            enrollment = Enrollment.objects.get(pk=r["enrollment_id"])
            assert str(enrollment.person_id) == r["person_id"]
            status = EmploymentRecord.objects.get(person_id=r["person_id"]).status
            assert status == {"retiree": "retired", "student": "student"}[r["group"]]
        elif r["pattern"] == "double_booking":
            first, second = (Enrollment.objects.get(pk=pk) for pk in r["enrollment_ids"])
            assert first.person_id == second.person_id and str(first.person_id) == r["person_id"]
            a, b = (TrainingClass.objects.get(pk=pk) for pk in r["class_ids"])
            assert a.pk != b.pk and a.start_date <= b.end_date and b.start_date <= a.end_date
        elif r["pattern"] == "far_attendance":
            enrollment = Enrollment.objects.select_related("training_class").get(pk=r["enrollment_id"])
            events = AttendanceEvent.objects.filter(enrollment=enrollment)
            assert events.count() == r["events"] > 0
            venue = enrollment.training_class
            for e in events:
                assert abs(float(e.latitude) - float(venue.venue_latitude)) > 0.4  # ≥ 45 km north or south
    # Nothing else looks like an injected anomaly: ghosts are only the ground truth's.
    ghosts = {r["enrollment_id"] for r in records if r["pattern"] == "ghost"}
    retired = EmploymentRecord.objects.values("person_id")
    assert {str(pk) for pk in Enrollment.objects.filter(person_id__in=retired).values_list("id", flat=True)} == ghosts


def _planted_as_recorded(records: list[dict[str, Any]]) -> None:
    """Each planted pattern is in the records as its ground truth says, and planting again changes nothing."""
    from jineng.subsidies.models import Claim
    from jineng.synthetic.plant import plant
    from jineng.training.models import AttendanceEvent, ClassSession, Enrollment

    kinds = {r["pattern"] for r in records}
    assert {"completion_too_fast", "claim_low_attendance", "device_many_trainees", "teacher_two_places"} <= kinds
    for r in records:
        p = r["pattern"]
        if p == "completion_too_fast":
            assert Enrollment.objects.get(pk=r["enrollment_id"]).credited_hours > r["days"] * 8
        elif p == "claim_low_attendance":
            claim = Claim.objects.get(pk=r["claim_id"])
            assert str(claim.enrollment_id) == r["enrollment_id"] and claim.enrollment.attendance_rate_bp == 1000
        elif p == "batch_signing":
            times = set(
                AttendanceEvent.objects.filter(pk__in=r["attendance_ids"]).values_list("occurred_at", flat=True)
            )
            assert len(times) == 1 and len(r["attendance_ids"]) >= 10
        elif p == "device_many_trainees":
            events = AttendanceEvent.objects.filter(device_id=r["device_id"])
            assert sorted(str(pk) for pk in events.values_list("pk", flat=True)) == r["attendance_ids"]
            assert events.values("organization_id").distinct().count() == 2
        elif p == "teacher_two_places":
            a, b = (ClassSession.objects.get(pk=pk) for pk in r["session_ids"])
            assert str(a.teacher_person_id) == str(b.teacher_person_id) == r["person_id"]
            assert (a.starts_at, a.ends_at) == (b.starts_at, b.ends_at) and a.training_class_id != b.training_class_id
    plan = build_plan(seed=9, persons=1500, anomalies=True)
    assert plant(plan) == records  # idempotent: the same places, the same values


# The written apps only: the flush after a transactional test leaves the reference data alone.
WRITTEN_APPS = ["jineng.common", "jineng.accounts", "jineng.registry", "jineng.providers", "jineng.training",
                "jineng.certificates", "jineng.synthetic"]  # fmt: skip


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="bulk mode is PostgreSQL's (COPY, index rebuild): the PostgreSQL pass"
)
@pytest.mark.django_db(transaction=True, available_apps=WRITTEN_APPS)
def test_bulk_mode_drops_and_recreates_every_index_and_constraint():
    from jineng.synthetic.bulkload import secondary_ddl
    from jineng.synthetic.models import SeedRun
    from jineng.training.models import Enrollment

    before = secondary_ddl()
    seed_province(scale="tiny", seed=21, persons=400, progress=False, bulk=True)
    assert sorted(d["name"] for d in secondary_ddl()) == sorted(d["name"] for d in before)
    assert SeedRun.objects.get().dropped == []
    assert Enrollment.objects.exists()


def test_the_seed_command_builds_a_scale_through_the_bulk_generator():
    from io import StringIO

    from django.core.management import call_command

    from jineng.registry.models import Person
    from jineng.training.models import Enrollment

    out = StringIO()
    call_command("seed", "--scale", "tiny", "--persons", "300", "--seed", "4", "--no-progress", stdout=out)
    assert Person.objects.count() == 300
    assert Enrollment.objects.exists()
    assert "TODO" not in out.getvalue()


def test_refuses_to_start_without_the_disk_it_needs(monkeypatch):
    from django.core.management import CommandError, call_command

    from jineng.registry.models import Person
    from jineng.synthetic import runner

    monkeypatch.setattr(runner, "free_bytes", lambda using="default": (10_000, "/data"))
    with pytest.raises(CommandError, match="磁盘空间不足"):
        call_command("seed", "--scale", "small", "--no-progress")
    assert not Person.objects.exists()


def test_demo_persons_are_registered_through_the_registry_service_in_guangzhou_and_shenzhen():
    from jineng.common.models import AuditEntry
    from jineng.registry.models import Person
    from jineng.synthetic.demo import demo_person_numbers, seed_demo_persons

    assert seed_demo_persons(count=25) == 25
    assert Person.objects.count() == 25
    assert all(code[:4] in ("4401", "4403") for code in Person.objects.values_list("residence_region_id", flat=True))
    assert AuditEntry.objects.filter(object_type__startswith="registry").count() >= 25
    assert seed_demo_persons(count=25) == 0  # idempotent
    assert len(set(demo_person_numbers(count=25))) == 25


def test_the_demo_persons_names_are_unique_and_stable():
    """Issue 15: Faker's common names gave seven pairs among the demo's 400 persons; the demo's drawn names are now
    unique, avoid the hand-picked names of the other demo modules, and are the same on every run of a seed."""
    from jineng.synthetic.calibration import DEMO
    from jineng.synthetic.demo import DEMO_PERSONS, HAND_PICKED_NAMES, unique_names

    people = build_plan(seed=2026, persons=DEMO_PERSONS, anomalies=False, cal=DEMO).pop.persons(
        np.arange(DEMO_PERSONS, dtype=np.int64)
    )
    drawn = [str(n) for n in people["name"]]
    numbers = [str(n) for n in people["id_number"]]
    assert len(set(drawn)) < len(drawn)  # the generator alone repeats names
    names = unique_names(drawn, numbers, seed=2026)
    assert len(set(names)) == len(names) and not set(names) & HAND_PICKED_NAMES
    assert names == unique_names(drawn, numbers, seed=2026)
    changed = [(a, b) for a, b in zip(drawn, names, strict=True) if a != b]
    assert changed and all(a[0] == b[0] and 2 <= len(b) <= 4 for a, b in changed)  # the surname kept
