"""Region scope of every model of this app (jineng.accounts.scope).

Region = the class venue's county (ADR 0004; an apprenticeship: the enterprise's region), copied onto every row when
written; organization = the provider's organization (an apprenticeship: the enterprise's); person = the trainee, so a
worker sees their own enrollments, attendance, certificates, outcomes and apprenticeships.
"""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.training import models as m

    by_row = ScopeSpec(region="region_id", organization="organization_id")
    by_row_person = ScopeSpec(region="region_id", organization="organization_id", person="person_id")
    register_scope(m.TrainingClass, by_row)
    register_scope(m.ClassSession, by_row)
    register_scope(m.ClassTransition, by_row)
    register_scope(m.Enrollment, by_row_person)
    register_scope(m.EnrollmentAmendment, by_row_person)
    register_scope(m.AttendanceEvent, by_row_person)
    register_scope(m.CompletionCertificate, by_row_person)
    register_scope(m.EmploymentOutcome, by_row_person)
    register_scope(m.Apprenticeship, ScopeSpec(region="region_id", organization="enterprise_org_id"))
    register_scope(m.TrainingProject, ScopeSpec(region="region_id", organization="organization_id"))
    register_scope(m.Apprentice, by_row_person)
    register_scope(m.ApprenticeProgress, by_row_person)
    register_scope(m.JoinRequest, by_row_person)
