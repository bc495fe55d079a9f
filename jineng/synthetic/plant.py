"""The anomalies the cohort plan does not inject, planted after the load — so that every supervision rule is scored
against a ground truth (bench ``supervision_scan``, docs/supervision.md).

The cohort plan (``plan.py``) injects five patterns as it generates the rows. The others are about details a cohort
does not model (a device id shared across providers, a teacher's timetable, a claim's attendance), so they are
planted by altering a few records once the load is finished, each pattern in a handful of places:

- ``completion_too_fast`` — an enrollment credited three times the hours its class's days can hold;
- ``batch_signing`` — up to twelve trainees (at least the rule's default threshold, 10) of one class whose first
  check-ins are moved to the same second (none in a province whose classes are all smaller);
- ``device_many_trainees`` — one device id on a check-in of three trainees of each of two providers;
- ``claim_low_attendance`` — a live claim whose enrollment's attendance is restated to 10 %;
- ``teacher_two_places`` — one person teaching a session of each of two classes of different providers, at the
  same time;
- ``pass_rate_outlier`` — every finished trainee of one provider passed, where the city's other providers' pooled
  rate makes that a clear outlier (planted only where the stated test would see it: z ≥ 2 × its critical value).

Deterministic and idempotent: the places are chosen by a stable order of records the planting does not change (ids,
counts), so ``planted_records`` finds the same places before and after, and planting twice writes the same values.
``double_subsidy`` is not planted: the generator's second trainings already repeat an occupation and level; its
truth is read from the claims the load wrote (a check of the rule's grouping, not an independent truth).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Min, Q

from jineng.rules import supervision as R

PLANTED = ("completion_too_fast", "batch_signing", "device_many_trainees", "claim_low_attendance",
           "teacher_two_places", "pass_rate_outlier")  # fmt: skip
PLACES = 3  # places per pattern (fewer when the data set has fewer candidates)
BATCH = 12  # trainees signed in the same second (the rule's default threshold is 10)
DEVICE_PER_PROVIDER = 3  # trainees per provider on one device (2 providers: 6 ≥ the default threshold 5)
LOW_RATE_BP = 1000  # the restated attendance of a planted claim: 10 %
TOO_FAST = 3  # credited hours = 3 × days × the daily cap


def _spread(items: list[Any], k: int, seed: int) -> list[Any]:
    """``k`` items spread over the list (offset by the seed), stable for a stable list."""
    if not items:
        return []
    k = min(k, len(items))
    step = len(items) / k
    offset = seed % max(1, int(step))
    return [items[min(len(items) - 1, int(i * step) + offset)] for i in range(k)]


def _enrollments(seed: int) -> list[dict[str, Any]]:
    from jineng.training.api import Enrollment

    rows = list(Enrollment.objects.filter(credited_hours__gt=0, status__in=["enrolled", "finished"])
                .order_by("pk").values_list("pk", "training_class__start_date", "training_class__end_date")[:50_000])  # fmt: skip
    return [{"pattern": "completion_too_fast", "enrollment_id": str(pk),
             "days": (end - start).days + 1} for pk, start, end in _spread(rows, PLACES, seed)]  # fmt: skip


def _claims(seed: int, taken: set[str]) -> list[dict[str, Any]]:
    from jineng.subsidies.api import LIVE_STATUSES, Claim

    rows = [r for r in Claim.objects.filter(status__in=LIVE_STATUSES, enrollment__isnull=False, parent__isnull=True)
            .order_by("number").values_list("pk", "enrollment_id")[:50_000] if str(r[1]) not in taken]  # fmt: skip
    return [{"pattern": "claim_low_attendance", "claim_id": str(pk), "enrollment_id": str(enr)}
            for pk, enr in _spread(rows, PLACES, seed + 1)]  # fmt: skip


def _batches(seed: int) -> list[dict[str, Any]]:
    from jineng.training.api import AttendanceEvent

    classes = list(AttendanceEvent.objects.filter(kind="in").values("training_class_id")
                   .annotate(n=Count("person_id", distinct=True)).filter(n__gte=R.BATCH_MIN.default)
                   .order_by("training_class_id").values_list("training_class_id", flat=True)[:20_000])  # fmt: skip
    out = []
    for klass in _spread(classes, PLACES, seed + 2):
        persons = list(AttendanceEvent.objects.filter(training_class_id=klass, kind="in").order_by("person_id")
                       .values_list("person_id", flat=True).distinct()[:BATCH])  # fmt: skip
        events = []
        for person in persons:
            first = (AttendanceEvent.objects.filter(training_class_id=klass, kind="in", person_id=person)
                     .order_by("occurred_at", "pk").values_list("pk", "occurred_at").first())  # fmt: skip
            if first is not None:
                events.append(first)
        at = min(t for _pk, t in events).replace(microsecond=0)
        out.append({"pattern": "batch_signing", "class_id": str(klass), "at": at.isoformat(),
                    "attendance_ids": sorted(str(pk) for pk, _t in events)})  # fmt: skip
    return out


def _devices(seed: int) -> list[dict[str, Any]]:
    from jineng.training.api import AttendanceEvent

    providers = list(AttendanceEvent.objects.filter(kind="in").values_list("organization_id", flat=True)
                     .distinct().order_by("organization_id")[:5_000])  # fmt: skip
    chosen = _spread(providers, 2 * PLACES, seed + 3)
    out = []
    for i in range(0, len(chosen) - 1, 2):
        events = []
        for org in chosen[i : i + 2]:
            persons = list(AttendanceEvent.objects.filter(organization_id=org, kind="in").order_by("person_id")
                           .values_list("person_id", flat=True).distinct()[:DEVICE_PER_PROVIDER])  # fmt: skip
            for person in persons:
                first = (AttendanceEvent.objects.filter(organization_id=org, kind="in", person_id=person)
                         .order_by("pk").values_list("pk", flat=True).first())  # fmt: skip
                events.append(str(first))
        out.append({"pattern": "device_many_trainees", "device_id": f"PLANT-DEVICE-{seed % 1000:03d}-{i // 2}",
                    "attendance_ids": sorted(events)})  # fmt: skip
    return out


def _teachers(seed: int) -> list[dict[str, Any]]:
    from jineng.registry.api import Person
    from jineng.training.api import ClassSession, ClassStatus, TrainingClass

    held = [ClassStatus.APPROVED, ClassStatus.RUNNING, ClassStatus.COMPLETED]
    classes = list(TrainingClass.objects.filter(status__in=held, sessions__isnull=False).distinct().order_by("pk")
                   .values_list("pk", "organization_id")[:20_000])  # fmt: skip
    picks = _spread(classes, 2 * PLACES, seed + 4)
    teachers = _spread(list(Person.objects.order_by("pk").values_list("pk", flat=True)[:20_000]), PLACES, seed + 5)
    out = []
    for i, teacher in enumerate(teachers):
        pair = picks[2 * i : 2 * i + 2]
        if len(pair) < 2 or pair[0][1] == pair[1][1]:
            continue  # two classes of one provider: a merged class, not two places
        sessions = [ClassSession.objects.filter(training_class_id=c).order_by("pk").values_list("pk", flat=True)
                    .first() for c, _org in pair]  # fmt: skip
        out.append(
            {
                "pattern": "teacher_two_places",
                "person_id": str(teacher),
                "class_ids": sorted(str(c) for c, _org in pair),
                "session_ids": [str(s) for s in sessions],
            }
        )
    return out


def _outlier(seed: int) -> list[dict[str, Any]]:
    """The provider whose finished trainees all passing is the clearest outlier against its city's others."""
    from jineng.training.api import Enrollment

    rows = list(Enrollment.objects.filter(status="finished")
                .values("organization_id", "training_class__region__parent_id")
                .annotate(n=Count("pk"), passed=Count("pk", filter=Q(result="passed"))).order_by())  # fmt: skip
    best: tuple[float, Any, Any] | None = None
    for r in rows:
        others = [o for o in rows if o["training_class__region__parent_id"] == r["training_class__region__parent_id"]
                  and o["organization_id"] != r["organization_id"]]  # fmt: skip
        n = sum(o["n"] for o in others)
        if n < 30 or r["n"] < 30:
            continue
        z = R.binomial_z(r["n"], r["n"], sum(o["passed"] for o in others) / n)
        if z >= 2 * R.Z_CRIT.default / 100 and (best is None or z > best[0]):
            best = (z, r["organization_id"], r["training_class__region__parent_id"])
    if best is None:
        return []
    return [{"pattern": "pass_rate_outlier", "organization_id": str(best[1]), "city": str(best[2])}]


def planted_records(plan: Any) -> list[dict[str, Any]]:
    """Where each pattern is (or will be) planted in the loaded data set, with the ids of its records."""
    seed = int(plan.seed)
    records = _enrollments(seed)
    records += _claims(seed, {r["enrollment_id"] for r in records})
    records += _batches(seed) + _devices(seed) + _teachers(seed) + _outlier(seed)
    return records


def plant(plan: Any) -> list[dict[str, Any]]:
    """Plant the patterns (idempotent) and answer their ground truth records."""
    from django.db import transaction

    from jineng.training.api import AttendanceEvent, ClassSession, Enrollment

    records = planted_records(plan)
    with transaction.atomic():
        for r in records:
            p = r["pattern"]
            if p == "completion_too_fast":
                Enrollment.objects.filter(pk=r["enrollment_id"]).update(credited_hours=TOO_FAST * r["days"] * 8)
            elif p == "claim_low_attendance":
                Enrollment.objects.filter(pk=r["enrollment_id"]).update(attendance_rate_bp=LOW_RATE_BP)
            elif p == "batch_signing":
                AttendanceEvent.objects.filter(pk__in=r["attendance_ids"]).update(
                    occurred_at=dt.datetime.fromisoformat(r["at"])
                )
            elif p == "device_many_trainees":
                AttendanceEvent.objects.filter(pk__in=r["attendance_ids"]).update(device_id=r["device_id"])
            elif p == "teacher_two_places":
                first, second = r["session_ids"]
                times = ClassSession.objects.filter(pk=first).aggregate(s=Min("starts_at"), e=Min("ends_at"))
                ClassSession.objects.filter(pk__in=[first, second]).update(teacher_person_id=r["person_id"],
                                                                           cancelled_at=None)  # fmt: skip
                ClassSession.objects.filter(pk=second).update(starts_at=times["s"], ends_at=times["e"])
            elif p == "pass_rate_outlier":
                Enrollment.objects.filter(status="finished", organization_id=r["organization_id"],
                                          training_class__region__parent_id=r["city"]).update(result="passed")  # fmt: skip
    return records


def double_subsidy_records() -> list[dict[str, Any]]:
    """The repeated subsidies the load wrote (the second trainings of one occupation and level): read from the
    claims, as the rule defines them."""
    from jineng.subsidies.api import LIVE_STATUSES, Claim

    rows = (Claim.objects.filter(status__in=LIVE_STATUSES, parent__isnull=True).exclude(status="superseded")
            .exclude(occupation_code="").exclude(level_code="")
            .values_list("person_id", "subsidy_type", "occupation_code", "level_code", "pk"))  # fmt: skip
    groups: dict[tuple[Any, ...], list[str]] = {}
    for *key, pk in rows.iterator(chunk_size=5000):
        groups.setdefault(tuple(key), []).append(str(pk))
    return [{"pattern": "double_subsidy", "claim_ids": sorted(ids)} for ids in groups.values() if len(ids) >= 2]
