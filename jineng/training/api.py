"""What other apps may use of training.

Certificates (evaluation, 评价) ask:

- ``completed_enrollments_for_evaluation(...)`` — enrollments that completed with a pass in a class of a program
  with an occupation and a level: ``CompletedEnrollment(enrollment_id, person_id, occupation_id, occupation_code,
  level, class_id, class_code, provider_id, provider_organization_id, completion_date, region_code,
  training_kind, credited_hours)``; ``completed_enrollment(enrollment_id)`` for one;
- ``class_teachers(class_id)`` — the teachers of a class (``ClassTeacher(person_id, role_id)``), and
  ``trainees_taught_by(teacher_person_id, person_ids)`` — which of those persons the teacher taught (the
  conflict of interest of an examiner examining their own trainees).

Learning (the xAPI record store) asks ``online_enrollment(enrollment_id)`` — what an online learner account maps
to (``OnlineEnrollment``: class window, first offline session, scope) — and records the online 学时 it derived with
``online_hours_record(enrollment_id, hours)``: they join the class's attendance crediting and completion
(``rules.training.with_online``: within the online share of the creditable 学时).

The site shell's to-do list asks ``review_queue(user)`` — classes awaiting the user's review (开班审核).

Subsidies and indicators ask ``employment_outcomes_of(enrollment_ids)`` and read the models below (always through
``accounts.api.visible``). Subsidies' apprenticeship subsidy (企业新型学徒制) asks ``apprentice_get(apprentice_id)``,
``apprentice_progress(apprentice_id, year_no)`` and ``apprentice_progress_of_organization(organization_id)``.

Subsidies pays a 项目制 project's settlement: it registers ``register_settlement_hook(hook)`` (called inside
``project_settle``'s transaction) and reads ``project_finished_enrollments(project)`` and ``TrainingProject``.

Models are returned (not ``data`` dataclasses) where the caller chains queryset methods or follows relations the
way it builds its own frozen facts (``subsidies/facts.py``); a caller never writes through them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from jineng.common.ids import uuid_or_none
from jineng.common.masking import mask_name
from jineng.refdata.api import region_subtree
from jineng.training.eligibility import EnrollmentGroups, register_enrollment_groups_source
from jineng.training.models import (
    Apprentice,
    ApprenticeProgress,
    AttendanceEvent,
    ClassSession,
    ClassStatus,
    CompletionCertificate,
    EmploymentOutcome,
    Enrollment,
    EnrollmentResult,
    EnrollmentStatus,
    JoinRequest,
    JoinRequestStatus,
    SessionMode,
    TrainingClass,
    TrainingForm,
    TrainingProject,
)
from jineng.training.selectors import (
    classes_visible,
    filing_deadline,
    joinable_classes,
    near_region,
    review_queue,
    roster_closes_on,
)
from jineng.training.subsidy_port import SubsidyEstimate, SubsidyPort, register_subsidy_port


@dataclass(frozen=True)
class CompletedEnrollment:
    """A passed, completed enrollment: what an evaluation (鉴定/认定) needs to admit the trainee."""

    enrollment_id: Any
    person_id: Any
    occupation_id: int
    occupation_code: str
    level: str  # SkillLevel code
    class_id: Any
    class_code: str
    provider_id: Any  # providers.OrganizationProfile
    provider_organization_id: Any  # accounts.Organization
    completion_date: dt.date
    region_code: str  # the class venue's county (attribution)
    training_kind: str
    credited_hours: int


@dataclass(frozen=True)
class OnlineEnrollment:
    """An enrollment as the online 学时 rule needs it."""

    enrollment_id: Any
    class_id: Any
    class_code: str
    class_name: str
    status: str  # EnrollmentStatus
    region_code: str
    organization_id: Any  # the class's provider (accounts.Organization)
    person_id: Any
    person_name_masked: str
    start_date: dt.date
    end_date: dt.date
    first_offline_start: dt.datetime | None  # theory online before practice offline
    online_hours: int
    credited_hours: int
    creditable_hours: int


def online_enrollment(enrollment_id: Any) -> OnlineEnrollment | None:
    """The enrollment an online learner account maps to, or None (unknown or malformed id)."""
    pk = uuid_or_none(enrollment_id)
    e = Enrollment.objects.filter(pk=pk).select_related("training_class").first() if pk else None
    if e is None:
        return None
    from jineng.training.services.attendance import credits_for

    tc = e.training_class
    credit = credits_for([e.pk])[e.pk]  # creditable 学时 as scheduled now (the stored total may predate the sessions)
    first_offline = (
        ClassSession.objects.filter(training_class=tc, cancelled_at__isnull=True, mode=SessionMode.OFFLINE)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return OnlineEnrollment(
        enrollment_id=e.pk, class_id=tc.pk, class_code=tc.code, class_name=tc.name, status=e.status,
        region_code=e.region_id, organization_id=tc.organization_id, person_id=e.person_id,
        person_name_masked=mask_name(e.person_name),
        start_date=tc.start_date, end_date=tc.end_date, first_offline_start=first_offline,
        online_hours=e.online_hours, credited_hours=credit.credited_hours, creditable_hours=credit.creditable_hours,
    )  # fmt: skip


def online_hours_record(enrollment_id: Any, hours: int) -> int:
    """Record the enrollment's online 学时 (derived by learning from its statements) and recompute its crediting;
    returns the credited 学时 now. A finished enrollment keeps its completion (its 学时 are settled)."""
    from jineng.training.services.attendance import attendance_recompute

    if hours < 0:
        raise ValueError("online hours must not be negative")
    updated = Enrollment.objects.filter(pk=enrollment_id).exclude(status=EnrollmentStatus.FINISHED)
    if not updated.update(online_hours=hours):
        return 0
    return attendance_recompute([enrollment_id])[enrollment_id].credited_hours


@dataclass(frozen=True)
class ClassTeacher:
    person_id: Any  # registry person
    role_id: Any  # providers.PoolRole


_FIELDS = (
    "id", "person_id", "training_class__occupation_id", "training_class__occupation__code", "training_class__level_id",
    "training_class_id", "training_class__code", "training_class__provider_id", "training_class__organization_id",
    "completed_on", "region_id", "training_class__training_kind", "credited_hours",
)  # fmt: skip


def _completed(row: tuple[Any, ...]) -> CompletedEnrollment:
    return CompletedEnrollment(*row)


def completed_enrollments_queryset(
    *,
    person_ids: Iterable[Any] | None = None,
    occupation: Any = None,
    level: str | None = None,
    region_code: str | None = None,
    completed_since: dt.date | None = None,
    completed_until: dt.date | None = None,
) -> QuerySet[Enrollment]:
    """Passed, completed enrollments of classes with an occupation and a level (filters optional). ``occupation``
    is an Occupation, its id, or its code; ``region_code`` keeps that region's subtree."""
    qs = Enrollment.objects.filter(
        status=EnrollmentStatus.FINISHED,
        result=EnrollmentResult.PASSED,
        training_class__status=ClassStatus.COMPLETED,
        training_class__occupation__isnull=False,
        training_class__level__isnull=False,
    )
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    if occupation is not None:
        if isinstance(occupation, str) and not occupation.isdigit():
            qs = qs.filter(training_class__occupation__code=occupation)
        else:
            qs = qs.filter(training_class__occupation_id=getattr(occupation, "pk", occupation))
    if level:
        qs = qs.filter(training_class__level_id=level)
    if region_code:
        qs = qs.filter(region_id__in=region_subtree(region_code))
    if completed_since:
        qs = qs.filter(completed_on__gte=completed_since)
    if completed_until:
        qs = qs.filter(completed_on__lte=completed_until)
    return qs.order_by("completed_on", "id")


def completed_enrollments_for_evaluation(**filters: Any) -> list[CompletedEnrollment]:
    """The same as ``completed_enrollments_queryset`` as frozen records (one query)."""
    return [_completed(row) for row in completed_enrollments_queryset(**filters).values_list(*_FIELDS)]


def completed_enrollment(enrollment_id: Any) -> CompletedEnrollment | None:
    try:
        row = completed_enrollments_queryset().filter(pk=enrollment_id).values_list(*_FIELDS).first()
    except (ValueError, TypeError):
        return None
    except Exception as exc:  # a malformed UUID raises ValidationError from the field
        if type(exc).__name__ == "ValidationError":
            return None
        raise
    return _completed(row) if row else None


def class_teachers(class_id: Any) -> list[ClassTeacher]:
    """The pool teachers who teach (taught) a session of the class."""
    rows = (
        ClassSession.objects.filter(training_class_id=class_id, cancelled_at__isnull=True, teacher__isnull=False)
        .order_by()
        .values_list("teacher_person_id", "teacher_id")
        .distinct()
    )
    return [ClassTeacher(person_id=p, role_id=r) for p, r in rows]


def trainees_taught_by(teacher_person_id: Any, person_ids: Iterable[Any]) -> set[Any]:
    """Those of ``person_ids`` who were on the roster (not dropped out) of a class in which the teacher taught a
    session — an examiner who taught a candidate must not examine them."""
    classes = ClassSession.objects.filter(teacher_person_id=teacher_person_id, cancelled_at__isnull=True).values(
        "training_class_id"
    )
    return set(
        Enrollment.objects.filter(training_class_id__in=classes, person_id__in=list(person_ids))
        .exclude(status=EnrollmentStatus.DROPPED)
        .values_list("person_id", flat=True)
    )


def employment_outcomes_of(enrollment_ids: Iterable[Any]) -> QuerySet[EmploymentOutcome]:
    return EmploymentOutcome.objects.filter(enrollment_id__in=list(enrollment_ids))


def certificates_of(person_id: Any) -> QuerySet[CompletionCertificate]:
    return CompletionCertificate.objects.filter(person_id=person_id, revoked_at__isnull=True)


def classes_of_provider(organization_id: Any, statuses: Iterable[str] | None = None) -> QuerySet[TrainingClass]:
    qs = TrainingClass.objects.filter(organization_id=organization_id)
    return qs.filter(status__in=list(statuses)) if statuses is not None else qs


def enrollments_of(person_id: Any) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(Q(person_id=person_id)).select_related("training_class")


def apprentice_get(apprentice_id: Any) -> Apprentice | None:
    """The apprentice (学徒) with its apprenticeship's occupation and level, or None."""
    return (
        Apprentice.objects.filter(pk=apprentice_id)
        .select_related("apprenticeship__occupation", "apprenticeship__level", "person")
        .first()
    )


def apprentice_progress(apprentice_id: Any, year_no: int) -> ApprenticeProgress | None:
    """The progress recorded for one plan year of an apprentice, or None."""
    return ApprenticeProgress.objects.filter(apprentice_id=apprentice_id, year_no=year_no).first()


def apprentice_progress_of_organization(organization_id: Any) -> QuerySet[ApprenticeProgress]:
    """Every recorded plan year of the enterprise's apprentices."""
    return ApprenticeProgress.objects.filter(apprentice__organization_id=organization_id).select_related(
        "apprentice__apprenticeship", "apprentice__person"
    )


def apprenticeship_years(plan: Any) -> int:
    """How many plan years (培养年度) an apprenticeship runs: 1 for up to a year, 2 for up to two …"""
    from jineng.training.services.apprenticeships import plan_years

    return plan_years(plan)


def apprenticeship_year_start(plan: Any, year_no: int) -> dt.date:
    """The day plan year ``year_no`` (培养年度, from 1) of an apprenticeship begins: its start date plus N-1 years."""
    from jineng.training.services.apprenticeships import _add_years

    return _add_years(plan.start_date, year_no - 1)


def apprentice_end_early(*, actor: Any, apprentice_id: Any, reason: str) -> Apprentice:
    """中途终止 of one apprentice, as the plan page does it (``services.apprenticeships.apprentice_terminate``)."""
    from jineng.training.services.apprenticeships import apprentice_terminate

    return apprentice_terminate(actor=actor, apprentice=Apprentice.objects.get(pk=apprentice_id), reason=reason)


def active_apprentices_of_organizations(organization_ids: Any) -> QuerySet[Apprentice]:
    """The enterprises' apprentices still in training (培养中), with their plan and person."""
    return (
        Apprentice.objects.filter(organization_id__in=list(organization_ids), status="active")
        .select_related("apprenticeship", "person")
        .order_by("apprenticeship__code", "person__name")
    )


def join_requests_pending(organization_ids: Iterable[Any]) -> QuerySet[JoinRequest]:
    """Workers' requests to join the organizations' classes, waiting for the provider (the nearest start first)."""
    return (
        JoinRequest.objects.filter(organization_id__in=list(organization_ids), status=JoinRequestStatus.PENDING)
        .select_related("training_class")
        .order_by("training_class__start_date", "created_at")
    )


def join_requests_of(person_id: Any) -> QuerySet[JoinRequest]:
    """A worker's own join requests, newest first."""
    return JoinRequest.objects.filter(person_id=person_id).select_related("training_class").order_by("-created_at")


def class_planned_hours(training_class: TrainingClass) -> int:
    """The 学时 the class's schedule credits with full presence (what a worker completing it would be credited)."""
    from jineng.training.services.classes import planned_hours

    sessions = list(ClassSession.objects.filter(training_class=training_class, cancelled_at__isnull=True))
    return planned_hours(sessions, training_class.region_id, training_class.start_date)


__all__ = [
    "class_planned_hours",
    "joinable_classes",
    "near_region",
    "join_requests_pending",
    "join_requests_of",
    "JoinRequest",
    "JoinRequestStatus",
    "SubsidyEstimate",
    "SubsidyPort",
    "register_subsidy_port",
    "active_apprentices_of_organizations",
    "apprenticeship_year_start",
    "EnrollmentGroups",
    "register_enrollment_groups_source",
    "Apprentice",
    "ApprenticeProgress",
    "AttendanceEvent",
    "ClassSession",
    "ClassStatus",
    "ClassTeacher",
    "CompletedEnrollment",
    "CompletionCertificate",
    "EmploymentOutcome",
    "Enrollment",
    "EnrollmentResult",
    "EnrollmentStatus",
    "TrainingClass",
    "TrainingForm",
    "apprentice_get",
    "apprentice_progress",
    "apprentice_progress_of_organization",
    "apprenticeship_years",
    "apprentice_end_early",
    "certificates_of",
    "class_teachers",
    "classes_of_provider",
    "classes_visible",
    "completed_enrollment",
    "completed_enrollments_for_evaluation",
    "completed_enrollments_queryset",
    "employment_outcomes_of",
    "enrollments_of",
    "filing_deadline",
    "review_queue",
    "roster_closes_on",
    "trainees_taught_by",
    "OnlineEnrollment",
    "online_enrollment",
    "online_hours_record",
    "TrainingProject",
    "project_finished_enrollments",
    "register_settlement_hook",
]


def project_finished_enrollments(project: TrainingProject) -> QuerySet[Enrollment]:
    """The enrollments a 项目制 settlement pays for (finished, in its classes held within its period)."""
    from jineng.training.services.projects import project_finished_enrollments as finished

    result: QuerySet[Enrollment] = finished(project)
    return result


def register_settlement_hook(hook: Any) -> None:
    """``hook(actor=, project=, payee_bank=, payee_account=)`` — what pays a settlement (subsidies' claims)."""
    from jineng.training.services.projects import register_settlement_hook as register

    register(hook)
