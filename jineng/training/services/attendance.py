"""考勤 — check-in/out events from providers' devices, in batches, idempotent by (device, event id), and the
学时 they credit.

A batch is validated as a set (one query each for known event ids, enrollments, sessions) and stored with one bulk
insert; the unique constraint on (device, event id) makes a repeated event — in the same batch, a later batch, or a
concurrent one — an acknowledged duplicate, never a second row. Refusals, each with a code: ``unknown_enrollment``
(absent, or not of the caller's organization), ``enrollment_not_active``, ``class_not_running``,
``event_in_future``, ``late_sync`` (later than ``attendance.late_sync_cutoff_hours`` after the event),
``outside_class_dates``, ``outside_sessions`` (not within ``attendance.window_minutes`` of a session).

Crediting (``rules.training.credit_hours``): the punches of each session are paired into presence intervals and
clipped to the session; 学时 are whole ``hours.minutes_per_hour`` units, at most ``hours.per_day_max`` a day.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, principal_for
from jineng.common.audit.services import audit_event
from jineng.common.ids import uuid_or_none
from jineng.rules.training import (
    Credit,
    HoursRules,
    Interval,
    Punch,
    ScheduledSession,
    credit_hours,
    presence_intervals,
    with_online,
)
from jineng.training.events import Event
from jineng.training.models import (
    AttendanceEvent,
    AttendanceKind,
    AttendanceMethod,
    ClassSession,
    ClassStatus,
    Enrollment,
    EnrollmentStatus,
    TrainingClass,
)
from jineng.training.services.support import ORG_EDIT, local_date, now_or, setting

ACCEPTING_STATUSES = (ClassStatus.APPROVED, ClassStatus.RUNNING)
CLOCK_SKEW = dt.timedelta(minutes=5)
# attendance_recompute writes one UPDATE per distinct credit up to this many, else one bulk_update.
ALIKE_UPDATES_MAX = 8


@dataclass
class AttendanceInput:
    event_id: str
    enrollment: Any
    kind: str
    at: dt.datetime
    method: str
    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None
    device: str = ""  # default: the batch's device


@dataclass(frozen=True)
class EventOutcome:
    index: int
    event_id: str
    status: str  # accepted | duplicate | refused
    code: str = ""
    message: str = ""


@dataclass
class BatchResult:
    outcomes: list[EventOutcome]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


MESSAGES = {
    "bad_event": "考勤记录不完整或格式不正确。",
    "unknown_enrollment": "学员名册中没有该记录（或不属于本机构）。",
    "enrollment_not_active": "该学员已不在训（退训、转班、延期或已结业）。",
    "class_not_running": "该培训班不在培训期间（未批准、已结业或已撤销）。",
    "event_in_future": "打卡时间晚于当前时间。",
    "late_sync": "离线考勤超过补传时限，不再接收。",
    "outside_class_dates": "打卡时间不在开班日期与结业日期之间。",
    "outside_sessions": "打卡时间不在任何课次的时间范围内。",
}


def _refused(index: int, event_id: str, code: str, extra: str = "") -> EventOutcome:
    return EventOutcome(index, event_id, "refused", code, MESSAGES[code] + extra)


def _coordinate(value: Any, bound: int) -> Decimal | None | bool:
    """The coordinate, None when absent, False when malformed or out of range."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        return False
    return number if -bound <= number <= bound else False


def _writable_enrollments(actor: Actor, ids: set[uuid.UUID]) -> dict[uuid.UUID, Enrollment]:
    """The enrollments a device of the caller's organization may report (``org.edit`` on the class's provider)."""
    p = principal_for(actor)
    qs = Enrollment.objects.filter(pk__in=ids).select_related("training_class")
    if not p.superuser:
        qs = qs.filter(organization_id__in=p.orgs_with(ORG_EDIT))
    return {e.pk: e for e in qs.only(
        "id", "status", "person_id", "region_id", "organization_id", "training_class_id",
        "training_class__status", "training_class__start_date", "training_class__end_date",
        "training_class__region_id", "training_class__code",
    )}  # fmt: skip


class _Settings:
    """Per-region settings read once per batch."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str, dt.date], int] = {}

    def get(self, key: str, region: str, on: dt.date) -> int:
        k = (key, region, on)
        if k not in self.cache:
            self.cache[k] = setting(key, region, on)
        return self.cache[k]


def _match_session(sessions: list[tuple[Any, dt.datetime, dt.datetime]], at: dt.datetime, window: dt.timedelta) -> Any:
    """The session whose interval holds ``at``; else the nearest one whose window (± ``window``) holds it."""
    best = None
    best_gap: dt.timedelta | None = None
    for pk, start, end in sessions:
        if start <= at <= end:
            return pk
        if start - window <= at <= end + window:
            gap = start - at if at < start else at - end
            if best_gap is None or gap < best_gap:
                best, best_gap = pk, gap
    return best


def attendance_record(
    *,
    actor: Actor,
    device: str,
    events: list[AttendanceInput],
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> BatchResult:
    """POST /api/v1/attendance — validate the batch as a set, store the accepted events in one insert, update the
    credited 学时 of the enrollments they touch. Nothing about one event stops the others. ``dry_run``: validate
    only (the import's check pass)."""
    now = now_or(now)
    outcomes: dict[int, EventOutcome] = {}
    keyed: list[tuple[int, AttendanceInput, str, uuid.UUID]] = []
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(events):
        dev = (e.device or device or "").strip()
        eid = (e.event_id or "").strip()
        enrollment_id = uuid_or_none(e.enrollment)
        lat, lon = _coordinate(e.latitude, 90), _coordinate(e.longitude, 180)
        if (
            not dev or len(dev) > 64 or not eid or len(eid) > 64
            or e.kind not in AttendanceKind.values or e.method not in AttendanceMethod.values
            or e.at is None or timezone.is_naive(e.at) or lat is False or lon is False
        ):  # fmt: skip
            outcomes[i] = _refused(i, eid, "bad_event")
            continue
        if (dev, eid) in seen:
            outcomes[i] = EventOutcome(i, eid, "duplicate", "duplicate_event", "重复上报的考勤记录，已确认接收。")
            continue
        seen.add((dev, eid))
        if enrollment_id is None:
            outcomes[i] = _refused(i, eid, "unknown_enrollment")
            continue
        keyed.append((i, e, dev, enrollment_id))
    # Known (device, event id) pairs: acknowledged, not stored again.
    by_device: dict[str, list[str]] = {}
    for _i, e, dev, _eid in keyed:
        by_device.setdefault(dev, []).append(e.event_id.strip())
    known: set[tuple[str, str]] = set()
    if by_device:
        q = Q()
        for dev, ids in by_device.items():
            q |= Q(device_id=dev, event_id__in=ids)
        known = set(AttendanceEvent.objects.filter(q).values_list("device_id", "event_id"))
    enrollments = _writable_enrollments(actor, {eid for *_rest, eid in keyed})
    class_ids = {e.training_class_id for e in enrollments.values()}
    sessions: dict[Any, list[tuple[Any, dt.datetime, dt.datetime]]] = {}
    for pk, class_id, start, end in ClassSession.objects.filter(
        training_class_id__in=class_ids, cancelled_at__isnull=True
    ).values_list("id", "training_class_id", "starts_at", "ends_at"):
        sessions.setdefault(class_id, []).append((pk, start, end))
    settings_cache = _Settings()
    user = actor_user(actor)
    rows: list[AttendanceEvent] = []
    for i, e, dev, enrollment_id in keyed:
        eid = e.event_id.strip()
        if (dev, eid) in known:
            outcomes[i] = EventOutcome(i, eid, "duplicate", "duplicate_event", "重复上报的考勤记录，已确认接收。")
            continue
        enrollment = enrollments.get(enrollment_id)
        if enrollment is None:
            outcomes[i] = _refused(i, eid, "unknown_enrollment")
            continue
        tc: TrainingClass = enrollment.training_class
        if enrollment.status != EnrollmentStatus.ENROLLED:
            outcomes[i] = _refused(i, eid, "enrollment_not_active")
            continue
        if tc.status not in ACCEPTING_STATUSES:
            outcomes[i] = _refused(i, eid, "class_not_running")
            continue
        if e.at > now + CLOCK_SKEW:
            outcomes[i] = _refused(i, eid, "event_in_future")
            continue
        cutoff = settings_cache.get("attendance.late_sync_cutoff_hours", tc.region_id, local_date(e.at))
        if now - e.at > dt.timedelta(hours=cutoff):
            outcomes[i] = _refused(i, eid, "late_sync", f"（时限 {cutoff} 小时）")
            continue
        day = local_date(e.at)
        if not tc.start_date <= day <= tc.end_date:
            outcomes[i] = _refused(
                i, eid, "outside_class_dates", f"（{tc.start_date:%Y-%m-%d} 至 {tc.end_date:%Y-%m-%d}）"
            )
            continue
        window = dt.timedelta(minutes=settings_cache.get("attendance.window_minutes", tc.region_id, tc.start_date))
        session_id = _match_session(sessions.get(tc.pk, []), e.at, window)
        if session_id is None:
            outcomes[i] = _refused(i, eid, "outside_sessions")
            continue
        lat, lon = _coordinate(e.latitude, 90), _coordinate(e.longitude, 180)
        rows.append(
            AttendanceEvent(
                enrollment_id=enrollment.pk, training_class_id=tc.pk, session_id=session_id,
                person_id=enrollment.person_id, region_id=enrollment.region_id,
                organization_id=enrollment.organization_id, kind=e.kind, occurred_at=e.at, received_at=now,
                method=e.method, latitude=lat or None, longitude=lon or None, device_id=dev, event_id=eid,
                submitted_by=user,
            )
        )  # fmt: skip
        outcomes[i] = EventOutcome(i, eid, "accepted")
    with transaction.atomic():
        if rows and not dry_run:
            # A concurrent batch carrying the same (device, event id) loses quietly: the constraint keeps one row.
            AttendanceEvent.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
            attendance_recompute({r.enrollment_id for r in rows}, now=now)
            by_region: dict[str, list[AttendanceEvent]] = {}
            for r in rows:
                by_region.setdefault(r.region_id, []).append(r)
            for region, items in by_region.items():
                audit_event(Event.ATTENDANCE_RECORD,
                    actor=actor,
                    region_code=region,
                    rows=[{"device": r.device_id, "event": r.event_id, "enrollment": str(r.enrollment_id),
                           "kind": r.kind, "at": r.occurred_at.isoformat(), "method": r.method} for r in items],
                    after={"accepted": len(items)},
                )  # fmt: skip
    return BatchResult([outcomes[i] for i in sorted(outcomes)])


# ---- crediting ---------------------------------------------------------------------------------------------------


def hours_rules(region_code: str, on: dt.date) -> HoursRules:
    return HoursRules(
        minutes_per_hour=setting("hours.minutes_per_hour", region_code, on),
        per_day_max=setting("hours.per_day_max", region_code, on),
    )


def credits_for(enrollment_ids: Iterable[Any]) -> dict[Any, Credit]:
    """The credit of each enrollment from its events (three queries whatever the number of enrollments)."""
    ids = list(enrollment_ids)
    if not ids:
        return {}
    meta: dict[Any, tuple[Any, str, dt.date]] = {}
    online: dict[Any, int] = {}
    for pk, class_id, region, start, online_hours in Enrollment.objects.filter(pk__in=ids).values_list(
        "id", "training_class_id", "training_class__region_id", "training_class__start_date", "online_hours"
    ):
        meta[pk] = (class_id, region, start)
        online[pk] = online_hours
    sessions: dict[Any, list[ScheduledSession]] = {}
    session_interval: dict[Any, Interval] = {}
    for pk, class_id, start, end in ClassSession.objects.filter(
        training_class_id__in={m[0] for m in meta.values()}, cancelled_at__isnull=True
    ).values_list("id", "training_class_id", "starts_at", "ends_at"):
        interval = Interval(start, end)
        session_interval[pk] = interval
        sessions.setdefault(class_id, []).append(ScheduledSession(str(pk), interval, local_date(start)))
    punches: dict[tuple[Any, Any], list[Punch]] = {}
    for enrollment_id, session_id, kind, at in AttendanceEvent.objects.filter(
        enrollment_id__in=ids, session__isnull=False
    ).values_list("enrollment_id", "session_id", "kind", "occurred_at"):
        punches.setdefault((enrollment_id, session_id), []).append(Punch(at, kind))
    by_enrollment: dict[Any, list[Interval]] = {}
    for (enrollment_id, session_id), items in punches.items():
        window = session_interval.get(session_id)
        if window is None:
            continue
        for p in presence_intervals(items):
            start, end = max(p.start, window.start), min(p.end, window.end)
            if end > start:
                by_enrollment.setdefault(enrollment_id, []).append(Interval(start, end))
    rules_cache: dict[tuple[str, dt.date], HoursRules] = {}
    out: dict[Any, Credit] = {}
    for pk, (class_id, region, start) in meta.items():
        if (region, start) not in rules_cache:
            rules_cache[(region, start)] = hours_rules(region, start)
        offline = credit_hours(sessions.get(class_id, []), by_enrollment.get(pk, []), rules_cache[(region, start)])
        out[pk] = with_online(offline, online[pk])
    return out


def attendance_recompute(enrollment_ids: Iterable[Any], *, now: dt.datetime | None = None) -> dict[Any, Credit]:
    """Store each enrollment's credited and creditable 学时 and its rate (one update per distinct credit, or one
    bulk update when they differ widely)."""
    now = now_or(now)
    credits = credits_for(enrollment_ids)
    # Trainees of a class mostly attend the same sessions, so their credits are alike: one plain UPDATE per distinct
    # credit is much cheaper than bulk_update's CASE over every row (a device's batch touches one class or a few).
    alike: dict[tuple[int, int, int], list[Any]] = {}
    for pk, credit in credits.items():
        alike.setdefault((credit.credited_hours, credit.creditable_hours, credit.rate_basis_points), []).append(pk)
    if len(alike) <= ALIKE_UPDATES_MAX:
        for (credited, creditable, rate), pks in alike.items():
            for i in range(0, len(pks), 500):
                Enrollment.objects.filter(pk__in=pks[i : i + 500]).update(
                    credited_hours=credited, creditable_hours=creditable, attendance_rate_bp=rate,
                    attendance_updated_at=now,
                )  # fmt: skip
        return credits
    updates = []
    for pk, credit in credits.items():
        updates.append(
            Enrollment(
                pk=pk,
                credited_hours=credit.credited_hours,
                creditable_hours=credit.creditable_hours,
                attendance_rate_bp=credit.rate_basis_points,
                attendance_updated_at=now,
            )
        )
    Enrollment.objects.bulk_update(
        updates, ["credited_hours", "creditable_hours", "attendance_rate_bp", "attendance_updated_at"], batch_size=500
    )
    return credits
