"""就业挂钩 — employment after training: employer, date, source. Recorded on the person's employment history in the
registry (through ``registry.api.employment_add``) and linked to the enrollment, for indicators and subsidies."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from jineng.accounts.api import Actor, actor_user
from jineng.common.audit.services import audit_event
from jineng.common.codes import credit_code_problem
from jineng.common.errors import Conflict, FieldError, ValidationFailed
from jineng.registry import api as registry
from jineng.training.events import Event
from jineng.training.models import EmploymentOutcome, Enrollment, EnrollmentStatus, OutcomeSource
from jineng.training.services.support import require_class_manager

OUTCOME_STATUSES = ("employed", "self_employed", "flexible")


def employment_outcome_record(
    *,
    actor: Actor,
    enrollment: Enrollment,
    status: str,
    started_on: dt.date,
    source: str,
    employer_name: str = "",
    employer_credit_code: str = "",
) -> EmploymentOutcome:
    """Record that a trainee found work after the class (started on or after the class's start)."""
    tc = enrollment.training_class
    require_class_manager(actor, tc)
    errors: list[FieldError] = []
    employer_name = " ".join((employer_name or "").split())
    employer_credit_code = (employer_credit_code or "").strip().upper()
    if status not in OUTCOME_STATUSES:
        errors.append(FieldError("status", "bad_choice", "就业形式只能是就业、自主创业或灵活就业。"))
    if source not in OutcomeSource.values:
        errors.append(FieldError("source", "bad_choice", f"未知的信息来源：{source}"))
    if status == "employed" and not employer_name:
        errors.append(FieldError("employer_name", "required", "请填写用人单位。"))
    if employer_credit_code and credit_code_problem(employer_credit_code):
        errors.append(FieldError("employer_credit_code", "bad_credit_code", "统一社会信用代码不正确。"))
    if started_on < tc.start_date:
        errors.append(FieldError("started_on", "before_training", "就业日期早于培训开始日期，不属于培训后就业。"))
    if enrollment.status not in (EnrollmentStatus.ENROLLED, EnrollmentStatus.FINISHED):
        errors.append(FieldError("enrollment", "enrollment_not_active", "该学员已退训、转班或延期。"))
    if errors:
        raise ValidationFailed("就业信息不正确。", errors)
    label = OutcomeSource(source).label
    with transaction.atomic():
        person = registry.Person.objects.get(pk=enrollment.person_id)
        record = registry.employment_add(
            actor=actor,
            person=person,
            status=status,
            started_on=started_on,
            employer_name=employer_name,
            employer_credit_code=employer_credit_code,
            source=f"培训后就业（{label}）",
        )
        try:
            with transaction.atomic():
                outcome = EmploymentOutcome.objects.create(
                    enrollment=enrollment,
                    person_id=enrollment.person_id,
                    region_id=enrollment.region_id,
                    organization_id=enrollment.organization_id,
                    status=status,
                    employer_name=employer_name,
                    employer_credit_code=employer_credit_code,
                    started_on=started_on,
                    source=source,
                    employment_record_id=record.pk,
                    recorded_by=actor_user(actor),
                )
        except IntegrityError:
            raise Conflict("该就业情况已登记。", code="outcome_exists") from None
        audit_event(
            Event.ENROLLMENT_EMPLOYMENT_OUTCOME,
            actor=actor,
            object_id=enrollment.pk,
            region_code=enrollment.region_id,
            after={"status": status, "employer": employer_name, "started_on": started_on, "source": source},
        )
    return outcome
