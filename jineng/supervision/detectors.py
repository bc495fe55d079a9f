"""The anomaly rules as scans over the records — set-based queries (GROUP BY … HAVING, EXISTS) that find the few
candidate keys, then the pure rules (``jineng.rules.supervision``) decide on the candidates' rows.

Each detector takes the ``Context`` (thresholds, and ``since`` for an incremental pass: only keys touched by records
created from then on) and yields ``Hit``s; the scan (``services.scan_run``) turns hits into cases. Records are read
through the other apps' ``api`` modules (their models, for counting), never written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncSecond
from django.utils import timezone

from jineng.certificates.api import Candidate, CandidateResult
from jineng.common.masking import mask_name
from jineng.refdata.api import region_common_ancestor, setting_value, setting_value_max
from jineng.registry.api import BankAccount, EmploymentRecord, Person
from jineng.rules import supervision as R
from jineng.subsidies.api import LIVE_STATUSES, Claim, ClaimStatus
from jineng.training.api import AttendanceEvent, ClassSession, ClassStatus, Enrollment, EnrollmentStatus

# Enrollments that are (or were) a real place in a class: a dropped or transferred-out one is not.
COUNTED = (EnrollmentStatus.ENROLLED, EnrollmentStatus.FINISHED, EnrollmentStatus.POSTPONED)
# Classes that take place (or took place): a draft, a refused or a withdrawn class holds nobody.
HELD = (ClassStatus.SUBMITTED, ClassStatus.APPROVED, ClassStatus.RUNNING, ClassStatus.COMPLETED)
EVIDENCE_CAP = 200  # evidence rows kept on one case (the count is kept in facts)


@dataclass
class Hit:
    rule: str
    keys: list[Any]  # what the case is about (its fingerprint)
    region: str
    summary: str
    evidence: list[dict[str, Any]]
    facts: dict[str, Any] = field(default_factory=dict)
    provider: Any = None  # accounts.Organization id
    person_count: int = 0


@dataclass
class Context:
    province: str
    since: dt.datetime | None = None
    on: dt.date = field(default_factory=lambda: timezone.localdate())

    def threshold(self, t: R.Threshold) -> int:
        return int(setting_value(t.key, self.province, self.on))


def _ev(kind: str, pk: Any, label: str = "") -> dict[str, Any]:
    return {"kind": kind, "id": str(pk), "label": label}


def _person_regions(person_ids: list[Any]) -> dict[str, str]:
    rows = Person.objects.filter(pk__in=person_ids).values_list("pk", "residence_region_id", "hukou_region_id")
    return {str(pk): (res or huk or "") for pk, res, huk in rows}


def _region_of(codes: list[str], ctx: Context) -> str:
    known = [c for c in codes if c]
    return region_common_ancestor(sorted(set(known))) if known else ctx.province


# ---- shared phone / bank account -----------------------------------------------------------------------------------


def _shared(
    ctx: Context, rule: str, rows: Any, key_field: str, person_field: str, new_q: Q, label: str
) -> Iterator[Hit]:
    min_persons = ctx.threshold(R.MIN_PERSONS)
    candidates = rows.exclude(**{key_field: ""}).values(key_field).annotate(n=Count(person_field, distinct=True))
    candidates = candidates.filter(n__gte=min_persons)
    if ctx.since is not None:
        touched = rows.filter(new_q).values(key_field)
        candidates = candidates.filter(**{f"{key_field}__in": touched})
    keys = [row[key_field] for row in candidates]
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        pairs = list(rows.filter(**{f"{key_field}__in": part}).values_list(key_field, person_field))
        for cluster in R.clusters(pairs, min_persons):
            members = [str(m) for m in cluster.members]
            people = dict(Person.objects.filter(pk__in=members).values_list("pk", "name"))
            regions = _person_regions(members)
            evidence = [_ev("person", pk, mask_name(people.get(pk) or people.get(_uuid(pk)) or ""))
                        for pk in members[:EVIDENCE_CAP]]  # fmt: skip
            yield Hit(
                rule, [cluster.key], _region_of(list(regions.values()), ctx),
                f"{len(members)} 人共用同一{label}", evidence,
                {"persons": len(members), "key_hash_prefix": str(cluster.key)[:8]}, person_count=len(members),
            )  # fmt: skip


def _uuid(pk: str) -> Any:
    import uuid

    return uuid.UUID(pk)


def shared_phone(ctx: Context) -> Iterator[Hit]:
    rows = Person.objects.filter(status="active")
    # a person registered, or whose phone changed, since the watermark
    since = Q(created_at__gte=ctx.since) | Q(updated_at__gte=ctx.since) if ctx.since else Q()
    yield from _shared(ctx, "shared_phone", rows, "phone_hash", "id", since, "手机号")


def shared_bank_account(ctx: Context) -> Iterator[Hit]:
    rows = BankAccount.objects.filter(is_active=True, person__status="active")
    since = Q(created_at__gte=ctx.since) | Q(updated_at__gte=ctx.since) if ctx.since else Q()
    for hit in _shared(ctx, "shared_bank_account", rows, "account_hash", "person_id", since, "银行账户"):
        accounts = BankAccount.objects.filter(account_hash=hit.keys[0], is_active=True).values_list("pk", flat=True)
        hit.evidence += [_ev("bank_account", pk) for pk in list(accounts)[:EVIDENCE_CAP]]
        yield hit


# ---- enrollments ---------------------------------------------------------------------------------------------------


def _enrollments(ctx: Context) -> Any:
    qs = Enrollment.objects.filter(status__in=COUNTED)
    if ctx.since is not None:
        qs = qs.filter(Q(created_at__gte=ctx.since) | Q(updated_at__gte=ctx.since))
    return qs


def ghost_trainee(ctx: Context) -> Iterator[Hit]:
    # The status on the enrollment date; with no record dated before it, the earliest the registry holds (a student's
    # status is often recorded after the fact — docs/supervision.md, the known false positives).
    records = EmploymentRecord.objects.filter(person=OuterRef("person_id"))
    status = Coalesce(
        Subquery(records.filter(started_on__lte=OuterRef("enrolled_on")).order_by("-started_on", "-created_at")
                 .values("status")[:1]),
        Subquery(records.order_by("started_on", "created_at").values("status")[:1]),
    )  # fmt: skip
    # Set-based prefilter before the per-row status: only persons the registry ever recorded as retired or a student,
    # or as employed when enrolled as unemployed, can be ghosts.
    ghostly = EmploymentRecord.objects.filter(status__in=list(R.GHOST_STATUSES)).values("person_id")
    employed = EmploymentRecord.objects.filter(status="employed").values("person_id")
    enrollments = Enrollment.objects.filter(status__in=COUNTED)
    if ctx.since is not None:
        # new or changed enrollments, and the enrollments of persons the registry recorded a status for since (a
        # retirement imported after the person enrolled makes an old enrollment a ghost's)
        restated = EmploymentRecord.objects.filter(created_at__gte=ctx.since).values("person_id")
        enrollments = enrollments.filter(Q(created_at__gte=ctx.since) | Q(updated_at__gte=ctx.since)
                                         | Q(person_id__in=restated))  # fmt: skip
    rows = (
        enrollments
        .filter(Q(person_id__in=ghostly) | Q(person_id__in=employed, groups__icontains="unemployed"))
        .annotate(employment=status)
        .order_by()  # the enrollments' default order joins their classes: not needed here
        .filter(Q(employment__in=list(R.GHOST_STATUSES)) | Q(employment="employed", groups__icontains="unemployed"))
        .values_list("pk", "person_id", "person_name", "region_id", "organization_id", "training_class_id",
                     "employment", "groups")
    )  # fmt: skip
    for pk, person, name, region, org, klass, employment, groups in rows.iterator(chunk_size=2000):
        groups = groups or []
        if employment == "student" and ("graduating_student" in groups or "labor_preparatory" in groups):
            continue  # 毕业年度在校生 and 劳动预备制 may train
        reason = R.ghost_reason(status=employment, deceased=False, claimed_unemployed="unemployed" in groups)
        if reason is None:
            continue
        yield Hit("ghost_trainee", [pk], region, f"{reason}参加培训",
                  [_ev("enrollment", pk), _ev("person", person, mask_name(name)), _ev("class", klass)],
                  {"reason": reason, "employment_status": employment}, provider=org, person_count=1)  # fmt: skip


def double_booking(ctx: Context) -> Iterator[Hit]:
    # Candidates by counting rather than by a correlated EXISTS over overlapping classes: PostgreSQL planned that one
    # as a nested loop over every enrollment and class (minutes on the demo, before the tables are analysed). A person
    # with two or more counted enrollments is a candidate; the rule (overlapping_pairs) decides which overlap, and an
    # incremental scan keeps the persons one of whose overlapping bookings changed since the last scan.
    mine = Enrollment.objects.filter(status__in=COUNTED)
    several = mine.values("person_id").annotate(n=Count("id")).filter(n__gte=2).values("person_id")
    changed: set[Any] | None = None
    if ctx.since is not None:
        changed = set(_enrollments(ctx).filter(person_id__in=several).values_list("pk", flat=True))
        if not changed:
            return
        several = _enrollments(ctx).filter(person_id__in=several).values("person_id")
    rows = (
        mine.filter(person_id__in=several)
        .values_list("pk", "person_id", "person_name", "training_class_id", "training_class__start_date",
                     "training_class__end_date", "region_id", "organization_id")
        .order_by("person_id")
    )  # fmt: skip
    by_person: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows.iterator(chunk_size=2000):
        by_person.setdefault(row[1], []).append(row)
    for person, items in by_person.items():
        meta = {r[0]: r for r in items}
        pairs = R.overlapping_pairs([R.Booking(r[0], r[3], r[4], r[5]) for r in items])
        if changed is not None and not any(a.enrollment in changed or b.enrollment in changed for a, b in pairs):
            continue
        for a, b in pairs:
            ra, rb = meta[a.enrollment], meta[b.enrollment]
            yield Hit(
                "double_booking", [a.enrollment, b.enrollment], _region_of([ra[6], rb[6]], ctx),
                f"同一人同时在两个班参训（{max(a.start, b.start)}–{min(a.end, b.end)} 重叠）",
                [_ev("person", person, mask_name(ra[2])), _ev("enrollment", a.enrollment), _ev("enrollment", b.enrollment),
                 _ev("class", a.klass), _ev("class", b.klass)],
                {"overlap_from": str(max(a.start, b.start)), "overlap_to": str(min(a.end, b.end))},
                provider=ra[7] if ra[7] == rb[7] else None, person_count=1,
            )  # fmt: skip


def far_attendance(ctx: Context) -> Iterator[Hit]:
    km = ctx.threshold(R.FAR_KM)
    degrees = km / 111.2  # distance ≤ 111.2 km × (|Δlat| + |Δlon|): a prefilter that loses no far check-in
    qs = AttendanceEvent.objects.filter(latitude__isnull=False, longitude__isnull=False,
                                        training_class__venue_latitude__isnull=False,
                                        training_class__venue_longitude__isnull=False)  # fmt: skip
    if ctx.since is not None:
        qs = qs.filter(received_at__gte=ctx.since)
    dlat = F("latitude") - F("training_class__venue_latitude")
    dlon = F("longitude") - F("training_class__venue_longitude")
    qs = qs.annotate(dlat=dlat, dlon=dlon).filter(
        Q(dlat__gt=degrees / 2) | Q(dlat__lt=-degrees / 2) | Q(dlon__gt=degrees / 2) | Q(dlon__lt=-degrees / 2)
    )
    rows = qs.values_list("enrollment_id", "pk", "latitude", "longitude", "training_class__venue_latitude",
                          "training_class__venue_longitude", "region_id", "organization_id", "person_id",
                          "training_class_id").order_by("enrollment_id", "occurred_at")  # fmt: skip
    current: Any = None
    far: list[tuple[Any, ...]] = []

    def emit() -> Iterator[Hit]:
        if not far:
            return
        first = far[0]
        worst = max(d for *_, d in far)
        yield Hit(
            "far_attendance", [first[0]], first[6], f"{len(far)} 次打卡距培训场地超过 {km} 公里（最远 {worst:.1f} 公里）",
            [_ev("enrollment", first[0]), _ev("person", first[8]), _ev("class", first[9])]
            + [_ev("attendance", r[1], f"{r[-1]:.1f} km") for r in far[:EVIDENCE_CAP]],
            {"events": len(far), "max_km": round(worst, 1), "threshold_km": km,
             "venue": [float(first[4]), float(first[5])],
             "points": [[float(r[2]), float(r[3])] for r in far[:50]]},
            provider=first[7], person_count=1,
        )  # fmt: skip

    for row in rows.iterator(chunk_size=5000):
        d = R.great_circle_km(*(float(v or 0) for v in row[2:6]))
        if row[0] != current:
            yield from emit()
            current, far = row[0], []
        if d > km:
            far.append((*row, d))
    yield from emit()


def completion_too_fast(ctx: Context) -> Iterator[Hit]:
    per_day = int(setting_value("hours.per_day_max", ctx.province, ctx.on))
    qs = _enrollments(ctx).filter(credited_hours__gt=0).values_list(
        "pk", "person_id", "person_name", "credited_hours", "training_class__start_date", "training_class__end_date",
        "region_id", "organization_id", "training_class_id",
    )  # fmt: skip
    # Set-based prefilter: the class's span in days is compared in Python (date arithmetic differs per database).
    for pk, person, name, hours, start, end, region, org, klass in qs.iterator(chunk_size=5000):
        if R.completion_too_fast(credited_hours=hours, start=start, end=end, per_day_max=per_day):
            yield Hit("completion_too_fast", [pk], region,
                      f"认定 {hours} 学时，超过 {(end - start).days + 1} 天最多可计的 {((end - start).days + 1) * per_day} 学时",
                      [_ev("enrollment", pk), _ev("person", person, mask_name(name)), _ev("class", klass)],
                      {"credited_hours": hours, "days": (end - start).days + 1, "per_day_max": per_day},
                      provider=org, person_count=1)  # fmt: skip


def _checkins(ctx: Context) -> Any:
    qs = AttendanceEvent.objects.filter(kind="in")
    if ctx.since is not None:
        qs = qs.filter(received_at__gte=ctx.since)
    return qs


def batch_signing(ctx: Context) -> Iterator[Hit]:
    """Check-ins of one class within the same second by many trainees (a queue at a gate spreads over seconds)."""
    n = ctx.threshold(R.BATCH_MIN)
    groups = (
        _checkins(ctx).annotate(second=TruncSecond("occurred_at")).values("training_class_id", "second")
        .annotate(persons=Count("person_id", distinct=True)).filter(persons__gte=n)
        .values_list("training_class_id", "second", "persons")
    )  # fmt: skip
    for klass, at, persons in groups:
        window = Q(occurred_at__gte=at, occurred_at__lt=at + dt.timedelta(seconds=1))
        events = list(AttendanceEvent.objects.filter(window, training_class_id=klass, kind="in")
                      .values_list("pk", "person_id", "region_id", "organization_id")[:EVIDENCE_CAP])  # fmt: skip
        yield Hit("batch_signing", [klass, at.isoformat()], events[0][2], f"{persons} 名学员在同一时刻签到",
                  [_ev("class", klass)] + [_ev("attendance", e[0]) for e in events]
                  + [_ev("person", e[1]) for e in events], {"persons": persons, "at": at.isoformat()},
                  provider=events[0][3], person_count=persons)  # fmt: skip


def device_many_trainees(ctx: Context) -> Iterator[Hit]:
    """One device checking in many trainees of more than one provider: a venue's terminal serves one provider's
    classes, a phone carried from provider to provider by an agent does not."""
    n = ctx.threshold(R.DEVICE_MIN)
    groups = (
        _checkins(ctx).exclude(device_id="").values("device_id")
        .annotate(persons=Count("person_id", distinct=True), providers=Count("organization_id", distinct=True))
        .filter(persons__gte=n, providers__gte=2).values_list("device_id", "persons")
    )  # fmt: skip
    for device, persons in groups:
        events = list(AttendanceEvent.objects.filter(device_id=device, kind="in")
                      .values_list("pk", "person_id", "region_id", "organization_id")[:EVIDENCE_CAP])  # fmt: skip
        regions = sorted({e[2] for e in events})
        yield Hit("device_many_trainees", [device], _region_of(regions, ctx), f"同一设备为 {persons} 名学员打卡",
                  [_ev("attendance", e[0]) for e in events] + [_ev("person", p) for p in sorted({e[1] for e in events})],
                  {"persons": persons, "device": device}, provider=events[0][3], person_count=persons)  # fmt: skip


def teacher_two_places(ctx: Context) -> Iterator[Hit]:
    # Sessions of classes that were held or are to be held: a draft, refused or withdrawn class's plan puts nobody
    # anywhere (its sessions keep their teacher but are not cancelled one by one).
    live = ClassSession.objects.filter(cancelled_at__isnull=True, teacher_person__isnull=False,
                                       training_class__status__in=HELD)  # fmt: skip
    clash = live.filter(teacher_person_id=OuterRef("teacher_person_id"), starts_at__lt=OuterRef("ends_at"),
                        ends_at__gt=OuterRef("starts_at")).exclude(training_class_id=OuterRef("training_class_id"))  # fmt: skip
    rows = (live.filter(Exists(clash)).values_list("teacher_person_id", "pk", "training_class_id", "starts_at",
                                                   "ends_at", "region_id", "organization_id").order_by("teacher_person_id", "starts_at"))  # fmt: skip
    by_teacher: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_teacher.setdefault(row[0], []).append(row)
    # One case per teacher and pair of classes, with every clashing pair of sessions as its evidence.
    pairs: dict[tuple[Any, Any, Any], list[tuple[tuple[Any, ...], tuple[Any, ...]]]] = {}
    for teacher, items in by_teacher.items():
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if b[3] >= a[4]:
                    break
                if a[2] != b[2] and R.intervals_overlap(a[3], a[4], b[3], b[4]):
                    first, second = sorted([a, b], key=lambda r: str(r[2]))
                    pairs.setdefault((teacher, first[2], second[2]), []).append((first, second))
    for (teacher, class_a, class_b), clashes in pairs.items():
        a, b = clashes[0]
        sessions = sorted({str(x[1]) for pair in clashes for x in pair})
        yield Hit("teacher_two_places", [teacher, class_a, class_b], _region_of([a[5], b[5]], ctx),
                  f"同一教师在两个班的 {len(clashes)} 个课次时间重叠",
                  [_ev("person", teacher), _ev("class", class_a), _ev("class", class_b)]
                  + [_ev("session", pk) for pk in sessions[:EVIDENCE_CAP]],
                  {"sessions": len(clashes), "from": min(max(x[3], y[3]) for x, y in clashes).isoformat(),
                   "to": max(min(x[4], y[4]) for x, y in clashes).isoformat()},
                  provider=a[6] if a[6] == b[6] else None)  # fmt: skip


def pass_rate_outlier(ctx: Context) -> Iterator[Hit]:
    """Each provider's share of passed completions among its finished enrollments, against the other providers of
    its city (the county of the class venue's parent), by a one-sample binomial z-test."""
    z_crit = ctx.threshold(R.Z_CRIT) / 100
    min_n = ctx.threshold(R.MIN_TRIALS)
    rows = (
        Enrollment.objects.filter(status=EnrollmentStatus.FINISHED)
        .values("organization_id", "training_class__region__parent_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(result="passed")))
    )
    units = [R.RateUnit(r["organization_id"], r["training_class__region__parent_id"], r["passed"], r["n"])
             for r in rows]  # fmt: skip
    yield from _outliers(units, z_crit, min_n, "结业合格率", "本市其他机构合计", "provider")
    # 评价机构: candidates who sat (passed or failed; the absent did not sit) per evaluation organization and the city
    # of the exam venue, against the city's other evaluation organizations.
    exams = (
        Candidate.objects.filter(result__in=[CandidateResult.PASSED, CandidateResult.FAILED])
        .values("session__organization_id", "session__venue_region__parent_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(result=CandidateResult.PASSED))).order_by()
    )  # fmt: skip
    units = [R.RateUnit(r["session__organization_id"], r["session__venue_region__parent_id"], r["passed"], r["n"])
             for r in exams]  # fmt: skip
    yield from _outliers(units, z_crit, min_n, "考核合格率", "本市其他评价机构合计", "evaluator")


def _outliers(units: list[R.RateUnit], z_crit: float, min_n: int, what: str, others: str,
              kind: str) -> Iterator[Hit]:  # fmt: skip
    for out in R.rate_outliers(units, z_crit=z_crit, min_trials=min_n):
        if out.z <= 0:
            continue  # an unusually low pass rate is a quality matter, not fraud: only the high side is a case
        yield Hit("pass_rate_outlier", [out.unit, out.group], str(out.group),
                  f"{what} {out.rate:.1%}，{others} {out.pooled:.1%}（z = {out.z:.1f}）",
                  [_ev("organization", out.unit)],
                  {"rate": round(out.rate, 4), "pooled": round(out.pooled, 4), "z": round(out.z, 2),
                   "z_crit": z_crit, "kind": kind}, provider=out.unit)  # fmt: skip


def claim_low_attendance(ctx: Context) -> Iterator[Hit]:
    # Set-based prefilter: no claim whose rate reaches the highest minimum any region ever set can be a hit; the
    # few below it are checked against the minimum in force at their region on their class's start.
    ceiling = int(setting_value_max("attendance.min_rate_percent")) * 100
    claims = Claim.objects.filter(status__in=LIVE_STATUSES, enrollment__isnull=False,
                                  enrollment__attendance_rate_bp__lt=ceiling)  # fmt: skip
    if ctx.since is not None:
        # new claims, and claims whose enrollment's attendance was restated since
        claims = claims.filter(Q(created_at__gte=ctx.since) | Q(enrollment__updated_at__gte=ctx.since))
    rows = claims.values_list("pk", "number", "person_id", "enrollment_id", "enrollment__attendance_rate_bp",
                            "enrollment__training_class__start_date", "region_id", "enrollment__organization_id",
                            "person_name")  # fmt: skip
    minimums: dict[tuple[str, Any], int] = {}  # the rate in force at the class start, read once per region and day
    for pk, number, person, enrollment, rate_bp, start, region, org, name in rows.iterator(chunk_size=5000):
        if (region, start) not in minimums:
            minimums[region, start] = int(setting_value("attendance.min_rate_percent", region, start)) * 100
        minimum = minimums[region, start]
        if rate_bp < minimum:
            yield Hit("claim_low_attendance", [pk], region,
                      f"出勤率 {rate_bp / 100:.1f}% 低于 {minimum // 100}% 却申领补贴（{number}）",
                      [_ev("claim", pk, number), _ev("enrollment", enrollment), _ev("person", person, mask_name(name))],
                      {"attendance_percent": rate_bp / 100, "minimum_percent": minimum // 100},
                      provider=org, person_count=1)  # fmt: skip


def double_subsidy(ctx: Context) -> Iterator[Hit]:
    paid_like = Claim.objects.filter(status__in=LIVE_STATUSES).exclude(status=ClaimStatus.SUPERSEDED)
    # A tranche (the employment-linked share of a claim, ``parent``) is the same subsidy, not a second one; a
    # training and an evaluation subsidy of one level are two subsidies the policies grant together.
    paid_like = paid_like.exclude(occupation_code="").exclude(level_code="").filter(parent__isnull=True)
    same = paid_like.filter(person_id=OuterRef("person_id"), subsidy_type=OuterRef("subsidy_type"),
                            occupation_code=OuterRef("occupation_code"),
                            level_code=OuterRef("level_code")).exclude(pk=OuterRef("pk"))  # fmt: skip
    repeated = paid_like.filter(Exists(same))
    if ctx.since is not None:
        repeated = repeated.filter(person_id__in=paid_like.filter(created_at__gte=ctx.since).values("person_id"))
    rows = repeated.values_list("person_id", "subsidy_type", "occupation_code", "level_code", "pk", "number",
                                "region_id", "person_name").order_by("person_id", "subsidy_type", "occupation_code",
                                                                     "level_code", "number")  # fmt: skip
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for row in rows.iterator(chunk_size=5000):  # one query: every repeated claim, grouped here
        groups.setdefault(row[:4], []).append(row[4:])
    for (person, _type, occupation, level), claims in groups.items():
        yield Hit("double_subsidy", [c[0] for c in claims], _region_of([c[2] for c in claims], ctx),
                  f"同一职业等级（{occupation} {level}）补贴 {len(claims)} 次",
                  [_ev("person", person, mask_name(claims[0][3]))] + [_ev("claim", c[0], c[1]) for c in claims],
                  {"claims": len(claims), "types": [_type]}, person_count=1)  # fmt: skip


def complaint(ctx: Context) -> Iterator[Hit]:
    """Cases of a complaint are opened by the complaints desk (``supervision.api.case_open_from_complaint``)."""
    yield from ()


DETECTORS: dict[str, Callable[[Context], Iterator[Hit]]] = {
    "shared_phone": shared_phone,
    "shared_bank_account": shared_bank_account,
    "ghost_trainee": ghost_trainee,
    "double_booking": double_booking,
    "far_attendance": far_attendance,
    "completion_too_fast": completion_too_fast,
    "batch_signing": batch_signing,
    "device_many_trainees": device_many_trainees,
    "teacher_two_places": teacher_two_places,
    "pass_rate_outlier": pass_rate_outlier,
    "claim_low_attendance": claim_low_attendance,
    "double_subsidy": double_subsidy,
    R.COMPLAINT: complaint,
}
assert set(DETECTORS) == set(R.RULES), "every rule has one detector"
