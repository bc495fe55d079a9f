"""Dicts the API and pages show. No ID number ever; candidates' and holders' names are shown to those in scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from jineng.certificates.models import Candidate, Certificate, EvaluatorFiling, ExamSession, SessionExaminer
from jineng.certificates.selectors import roster_due, session_stats
from jineng.rules.certificates import display_number


def base_url(request: HttpRequest | None) -> str:
    """The public origin credentials and QR codes point at: ``JINENG_PUBLIC_BASE_URL``, else the request's host."""
    configured = str(getattr(settings, "JINENG_PUBLIC_BASE_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    if request is None:
        return "http://localhost:8000"
    return request.build_absolute_uri("/").rstrip("/")


def certificate_dict(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "number_display": display_number(c.number),
        "status": c.status,
        "kind": c.kind_id,
        "kind_name": c.kind.name,
        "holder_name": c.holder_name,
        "person_id": c.person_id,
        "occupation": c.occupation.code if c.occupation else None,
        "occupation_name": c.occupation_name,
        "level": c.level_id,
        "level_name": c.level.label if c.level else "",
        "issuer_id": c.issuer_id,
        "issuer_name": c.issuer_name,
        "issued_on": c.issued_on,
        "region": c.region_id,
        "source": c.source,
        "revoked_at": c.revoked_at,
        "revoke_reason": c.revoke_reason,
        "session_id": c.candidate.session_id if c.candidate_id and c.candidate else None,
    }


def certificate_detail_dict(c: Certificate) -> dict[str, Any]:
    data = certificate_dict(c)
    data["corrections"] = [
        {"at": k.created_at, "changes": k.changes, "reason": k.reason} for k in c.corrections.order_by("created_at")
    ]
    return data


def filing_dict(f: EvaluatorFiling) -> dict[str, Any]:
    return {
        "id": f.pk,
        "organization_id": f.organization_id,
        "organization_name": f.organization.name,
        "route": f.route,
        "route_name": f.get_route_display(),
        "occupation": f.occupation.code,
        "occupation_name": f.occupation.name,
        "level": f.level_id,
        "level_name": f.level.label if f.level else "",
        "region": f.region_id,
        "valid_from": f.valid_from,
        "valid_until": f.valid_until,
        "document_number": f.document_number,
        "revoked": f.revoked_at is not None,
        "revoke_reason": f.revoke_reason,
    }


def session_dict(s: ExamSession) -> dict[str, Any]:
    stats = session_stats(s)
    return {
        "id": s.pk,
        "code": s.code,
        "organization_id": s.organization_id,
        "organization_name": s.organization.name,
        "route": s.route,
        "certificate_kind": s.certificate_kind_id,
        "occupation": s.occupation.code,
        "occupation_name": s.occupation.name,
        "level": s.level_id,
        "level_name": s.level.label if s.level else "",
        "venue_region": s.venue_region_id,
        "venue_region_name": s.venue_region.name,
        "venue_address": s.venue_address,
        "starts_at": s.starts_at,
        "exam_date": s.exam_date,
        "duration_minutes": s.duration_minutes,
        "terminals": list(s.terminals or []),
        "status": s.status,
        "roster_due": roster_due(s),
        "roster_reopened": s.roster_reopened_at is not None,
        "roster_reopen_reason": s.roster_reopen_reason,
        "candidates": stats.candidates,
        "sat": stats.sat,
        "passed": stats.passed,
        "pass_rate": stats.pass_rate,
        "certificates": stats.certificates,
    }


def examiner_dict(b: SessionExaminer) -> dict[str, Any]:
    return {"id": b.pk, "pool_role_id": b.pool_role_id, "person_id": b.person_id, "name": b.person.name}


def candidate_dict(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "person_id": c.person_id,
        "name": c.person.name,
        "source": c.source,
        "training_class_id": c.training_class_id,
        "theory_score": c.theory_score,
        "practical_score": c.practical_score,
        "result": c.result,
        "examiner_id": c.examiner_id,
        "examiner_name": c.examiner.person.name if c.examiner_id and c.examiner else "",
        "terminal": c.terminal,
        "recorded_at": c.recorded_at,
    }
