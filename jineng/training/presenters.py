"""The masked dictionaries the API returns (and pages may reuse)."""

from __future__ import annotations

from typing import Any

from jineng.training.models import (
    Apprentice,
    Apprenticeship,
    AttendanceEvent,
    ClassSession,
    ClassTransition,
    CompletionCertificate,
    EmploymentOutcome,
    Enrollment,
    TrainingClass,
)


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def class_dict(c: TrainingClass) -> dict[str, Any]:
    enrolled = getattr(c, "enrolled", None)
    if enrolled is None:
        enrolled = c.enrollments.filter(status="enrolled").count()
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "provider_id": c.provider_id,
        "provider_name": c.provider.organization.name,
        "program_id": c.program_id,
        "program_name": c.program.name,
        "occupation": c.occupation.code if c.occupation is not None else None,
        "level": c.level_id,
        "training_kind": c.training_kind,
        "training_form": c.training_form,
        "subsidy_category": c.subsidy_category,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "planned_size": c.planned_size,
        "enrolled": enrolled,
        "venue_name": c.venue_name,
        "venue_address": c.venue_address,
        "venue_latitude": _float(c.venue_latitude),
        "venue_longitude": _float(c.venue_longitude),
        "region": c.region_id,
        "submitted_at": c.submitted_at,
        "review_due": c.review_due,
        "reviewed_at": c.reviewed_at,
        "review_opinion": c.review_opinion,
        "rejection_reasons": list(c.rejection_reasons or []),
        "provider_pledge_at": c.provider_pledge_at,
        "started_at": c.started_at,
        "completed_on": c.completed_on,
        "cancel_reason": c.cancel_reason,
    }


def session_dict(s: ClassSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "mode": s.mode,
        "topic": s.topic,
        "teacher_role_id": s.teacher_id,
        "teacher_name": s.teacher_person.name if s.teacher_person is not None else "",
        "cancelled": s.cancelled_at is not None,
    }


def transition_dict(t: ClassTransition) -> dict[str, Any]:
    return {"source": t.source, "target": t.target, "at": t.at, "actor": t.actor_name, "reason": t.reason}


def class_detail_dict(c: TrainingClass) -> dict[str, Any]:
    sessions = c.sessions.filter(cancelled_at__isnull=True).select_related("teacher_person").order_by("starts_at")
    return {
        **class_dict(c),
        "sessions": [session_dict(s) for s in sessions],
        "transitions": [transition_dict(t) for t in c.transitions.order_by("at")],
    }


def enrollment_dict(e: Enrollment) -> dict[str, Any]:
    return {
        "id": e.pk,
        "class_id": e.training_class_id,
        "class_code": e.training_class.code,
        "person_id": e.person_id,
        "name": e.person_name,
        "id_number": e.id_number_masked,
        "status": e.status,
        "source": e.source,
        "enrolled_on": e.enrolled_on,
        "late_addition": e.late_addition,
        "groups": list(e.groups or []),
        "pledge_signed_at": e.pledge_signed_at,
        "credited_hours": e.credited_hours,
        "creditable_hours": e.creditable_hours,
        "attendance_rate": e.attendance_rate_bp / 100,
        "result": e.result,
        "completed_on": e.completed_on,
        "region": e.region_id,
    }


def attendance_dict(a: AttendanceEvent) -> dict[str, Any]:
    return {
        "id": a.pk,
        "enrollment_id": a.enrollment_id,
        "class_id": a.training_class_id,
        "session_id": a.session_id,
        "kind": a.kind,
        "occurred_at": a.occurred_at,
        "received_at": a.received_at,
        "method": a.method,
        "latitude": _float(a.latitude),
        "longitude": _float(a.longitude),
        "device_id": a.device_id,
        "event_id": a.event_id,
    }


def certificate_dict(c: CompletionCertificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "serial": c.serial,
        "enrollment_id": c.enrollment_id,
        "person_id": c.person_id,
        "name": c.person_name,
        "id_number": c.id_number_masked,
        "program_name": c.program_name,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "provider_name": c.provider_name,
        "credited_hours": c.credited_hours,
        "issued_on": c.issued_on,
        "region": c.region_id,
    }


def outcome_dict(o: EmploymentOutcome) -> dict[str, Any]:
    return {
        "id": o.pk,
        "enrollment_id": o.enrollment_id,
        "person_id": o.person_id,
        "status": o.status,
        "employer_name": o.employer_name,
        "employer_credit_code": o.employer_credit_code,
        "started_on": o.started_on,
        "source": o.source,
        "employment_record_id": o.employment_record_id,
        "region": o.region_id,
    }


def apprenticeship_dict(a: Apprenticeship) -> dict[str, Any]:
    count = getattr(a, "apprentice_count", None)
    return {
        "id": a.pk,
        "code": a.code,
        "enterprise_id": a.enterprise_id,
        "enterprise_name": a.enterprise_org.name,
        "school_id": a.school_id,
        "school_name": a.school_org.name,
        "occupation": a.occupation.code,
        "level": a.level_id,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "hours_per_year": a.hours_per_year,
        "concentrated_hours_per_year": a.concentrated_hours_per_year,
        "status": a.status,
        "region": a.region_id,
        "apprentices": count if count is not None else a.apprentices.count(),
    }


def apprentice_dict(a: Apprentice) -> dict[str, Any]:
    return {
        "id": a.pk,
        "apprenticeship_id": a.apprenticeship_id,
        "person_id": a.person_id,
        "name": a.person.name,
        "enterprise_mentor_id": a.enterprise_mentor_id,
        "school_mentor_id": a.school_mentor_id,
        "status": a.status,
        "joined_on": a.joined_on,
        "result": a.result,
        "evaluated_on": a.evaluated_on,
        "progress": [
            {
                "year_no": p.year_no,
                "hours_done": p.hours_done,
                "concentrated_hours": p.concentrated_hours,
                "online_hours": p.online_hours,
                "assessment": p.assessment,
            }
            for p in a.progress.all()
        ],
        "region": a.region_id,
    }


def project_dict(p: Any) -> dict[str, Any]:
    """项目制培训项目 with its classes and its running (or settled) figures."""
    from jineng.training.services.projects import project_figures

    figures = project_figures(p)
    return {
        "id": p.pk, "code": p.code, "name": p.name, "region": p.region_id, "provider": p.organization.name,
        "contract_number": p.contract_number, "theme": p.theme, "budget_fen": p.budget_fen,
        "price_per_trainee_fen": p.price_per_trainee_fen, "target_trainees": p.target_trainees,
        "target_employment_percent": p.target_employment_percent, "start_date": p.start_date,
        "end_date": p.end_date, "status": p.status, "status_label": p.get_status_display(),
        "classes": list(p.classes.order_by("code").values_list("code", flat=True)),
        "finished": figures["finished"], "employed": figures["employed"], "settled_trainees": p.settled_trainees,
        "settled_employed": p.settled_employed, "settled_fen": p.settled_fen, "settled_at": p.settled_at,
    }  # fmt: skip
