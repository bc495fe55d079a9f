"""结业 — results per enrollment, completion certificates (培训合格证书), the class's last transition.

A running class completes once its last session has ended. Each active enrollment's 学时 are recomputed; its result
is the provider's (passed / failed / absent) or, when not given, follows from attendance: ``passed`` needs the rate
``attendance.min_rate_percent`` — a ``passed`` below it is refused. Passed trainees receive a certificate with a
serial number (证书序列号) unique per county and year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from jineng.accounts.api import Actor
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError
from jineng.providers.api import profile_of, program_get
from jineng.rules.training import completion_result
from jineng.training.errors import RowsRefused, TransitionRefused
from jineng.training.events import Event
from jineng.training.models import (
    ClassSession,
    ClassStatus,
    CompletionCertificate,
    Enrollment,
    EnrollmentResult,
    EnrollmentStatus,
    TrainingClass,
)
from jineng.training.services.attendance import attendance_recompute
from jineng.training.services.support import (
    local_date,
    lock_class,
    next_serial,
    now_or,
    require_class_manager,
    setting,
    transition,
)


def certificate_serials(region_code: str, year: int, count: int) -> list[str]:
    """证书序列号: PX + county + year + a six-digit number of the county's yearly series."""
    first = next_serial("certificate-" + region_code, year, count)
    return [f"PX{region_code}{year}{n:06d}" for n in range(first, first + count)]


def class_complete(
    *,
    actor: Actor,
    training_class: TrainingClass,
    results: dict[Any, str] | None = None,
    now: dt.datetime | None = None,
) -> TrainingClass:
    """结业 — record every active enrollment's result, issue certificates to those who passed, close the class."""
    now = now_or(now)
    today = local_date(now)
    results = {str(k): v for k, v in (results or {}).items()}
    with transaction.atomic():
        locked = lock_class(training_class)
        require_class_manager(actor, locked)
        if locked.status != ClassStatus.RUNNING:
            raise TransitionRefused(
                f"培训班当前状态为“{locked.get_status_display()}”，不能结业（须在培训中）。", code="transition_refused"
            )
        last_end = (
            ClassSession.objects.filter(training_class=locked, cancelled_at__isnull=True)
            .order_by("-ends_at")
            .values_list("ends_at", flat=True)
            .first()
        )
        if last_end is not None and now < last_end:
            raise TransitionRefused("最后一个课次尚未结束，不能结业。", code="sessions_not_finished")
        enrollments = list(
            Enrollment.objects.select_for_update().filter(training_class=locked, status=EnrollmentStatus.ENROLLED)
        )
        known = {str(e.pk) for e in enrollments}
        errors = [
            FieldError(f"results[{k}]", "unknown_enrollment", "该学员不在本班在训名册中。")
            for k in results
            if k not in known
        ]
        errors += [
            FieldError(f"results[{k}]", "bad_choice", f"结业结果只能是合格、不合格或缺考：{v}")
            for k, v in results.items()
            if v not in EnrollmentResult.values
        ]
        if errors:
            raise RowsRefused(errors, "结业结果不正确，未做任何变更。")
        credits = attendance_recompute([e.pk for e in enrollments], now=now)
        min_rate = setting("attendance.min_rate_percent", locked.region_id, locked.start_date)
        refused = []
        for e in enrollments:
            credit = credits[e.pk]
            result = results.get(str(e.pk)) or completion_result(credit, min_rate)
            if result == EnrollmentResult.PASSED and not credit.meets(min_rate):
                refused.append(
                    FieldError(f"results[{e.pk}]", "attendance_below_minimum",
                               f"{e.person_name} 的出勤率 {credit.rate_basis_points / 100:.2f}% 低于结业要求 {min_rate}%，"
                               "不能评为合格。")
                )  # fmt: skip
            e.result = result
            e.credited_hours = credit.credited_hours
            e.creditable_hours = credit.creditable_hours
            e.attendance_rate_bp = credit.rate_basis_points
        if refused:
            raise RowsRefused(refused, "部分学员的结业结果与出勤不符，未做任何变更。")
        for e in enrollments:
            e.status = EnrollmentStatus.FINISHED
            e.completed_on = today
            e.ended_at = now
        Enrollment.objects.bulk_update(
            enrollments,
            [
                "result",
                "status",
                "completed_on",
                "ended_at",
                "credited_hours",
                "creditable_hours",
                "attendance_rate_bp",
            ],
        )
        certificates = _issue_certificates(locked, [e for e in enrollments if e.result == EnrollmentResult.PASSED],
                                           today)  # fmt: skip
        tally = {r: sum(1 for e in enrollments if e.result == r) for r in EnrollmentResult.values}
        transition(locked, ClassStatus.COMPLETED, actor=actor, now=now,
                   after={"results": tally, "certificates": len(certificates)})  # fmt: skip
        locked.completed_at = now
        locked.completed_on = today
        locked.save()
        if enrollments:
            audit_event(Event.ENROLLMENT_COMPLETE,
                actor=actor,
                region_code=locked.region_id,
                rows=[{"enrollment": str(e.pk), "result": e.result, "hours": e.credited_hours,
                       "rate_bp": e.attendance_rate_bp} for e in enrollments],
                after={"class": locked.code, **tally},
            )  # fmt: skip
    return locked


def _issue_certificates(locked: TrainingClass, passed: list[Enrollment], today: dt.date) -> list[CompletionCertificate]:
    if not passed:
        return []
    program = program_get(locked.program_id)
    profile = profile_of(locked.provider_id)
    serials = certificate_serials(locked.region_id, today.year, len(passed))
    certificates = [
        CompletionCertificate(
            serial=serial,
            enrollment=e,
            person_id=e.person_id,
            region_id=locked.region_id,
            organization_id=locked.organization_id,
            person_name=e.person_name,
            id_number_masked=e.id_number_masked,
            program_name=program.name if program else "",
            start_date=locked.start_date,
            end_date=locked.end_date,
            provider_name=profile.organization.name if profile else "",
            credited_hours=e.credited_hours,
            issued_on=today,
        )
        for e, serial in zip(passed, serials, strict=True)
    ]
    CompletionCertificate.objects.bulk_create(certificates)
    return certificates
