"""Reads: every list goes through ``accounts.api.visible`` (region = the venue's county, organization = the
provider's, person = the trainee). Out-of-scope details answer 404 through ``get_visible``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jineng.accounts.api import get_visible, visible
from jineng.common.ids import is_uuid
from jineng.refdata.api import region_subtree
from jineng.training.models import (
    Apprentice,
    Apprenticeship,
    AttendanceEvent,
    ClassSession,
    ClassStatus,
    CompletionCertificate,
    EmploymentOutcome,
    Enrollment,
    EnrollmentResult,
    EnrollmentStatus,
    JoinRequest,
    ProjectStatus,
    TrainingClass,
    TrainingProject,
)

VIEW = "records.view"


def classes_visible(user: Any, permission: str = VIEW) -> QuerySet[TrainingClass]:
    return (
        visible(TrainingClass, user, permission)
        .select_related("provider__organization", "program", "occupation", "level", "region")
        .annotate(
            enrolled=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)),
            # A completed class's roster is its finished enrollments (its 在训 count is 0 once it is completed).
            finished=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.FINISHED)),
            passed=Count(
                "enrollments",
                filter=Q(enrollments__status=EnrollmentStatus.FINISHED, enrollments__result=EnrollmentResult.PASSED),
            ),
        )
    )


def class_filter(
    qs: QuerySet[TrainingClass], *, status: str = "", region: str = "", q: str = "", provider: str = ""
) -> QuerySet[TrainingClass]:
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region.strip()))
    if q:
        q = q.strip()
        qs = qs.filter(Q(code=q) | Q(name__icontains=q) | Q(provider__organization__name__icontains=q))
    if provider:
        qs = qs.filter(Q(provider_id=provider) | Q(organization_id=provider)) if is_uuid(provider) else qs.none()
    return qs


def class_get(user: Any, class_id: Any, permission: str = VIEW) -> TrainingClass:
    return get_visible(classes_visible(user, permission), user, class_id, permission)


def review_queue(user: Any) -> QuerySet[TrainingClass]:
    """Submitted classes this user may review (``records.review`` over the venue's county), the nearest deadline
    first."""
    return (
        classes_visible(user, "records.review")
        .filter(status=ClassStatus.SUBMITTED)
        .order_by("review_due", "submitted_at")
    )


def enrollments_visible(user: Any) -> QuerySet[Enrollment]:
    return visible(Enrollment, user, VIEW).select_related("training_class")


def class_enrollments(user: Any, training_class: TrainingClass) -> QuerySet[Enrollment]:
    return enrollments_visible(user).filter(training_class=training_class).order_by("created_at")


def attendance_visible(user: Any) -> QuerySet[AttendanceEvent]:
    return visible(AttendanceEvent, user, VIEW)


def certificates_visible(user: Any) -> QuerySet[CompletionCertificate]:
    return visible(CompletionCertificate, user, VIEW)


def outcomes_visible(user: Any) -> QuerySet[EmploymentOutcome]:
    return visible(EmploymentOutcome, user, VIEW)


def apprenticeships_visible(user: Any) -> QuerySet[Apprenticeship]:
    return (
        visible(Apprenticeship, user, VIEW)
        .select_related("enterprise_org", "school_org", "occupation", "level")
        .annotate(apprentice_count=Count("apprentices"))
    )


def apprentices_visible(user: Any) -> QuerySet[Apprentice]:
    return visible(Apprentice, user, VIEW).select_related("person").prefetch_related("progress")


def my_enrollments(user: Any) -> QuerySet[Enrollment]:
    """A worker's own classes (their person's enrollments), newest first."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Enrollment.objects.none()
    return (
        Enrollment.objects.filter(person_id=person_id)
        .select_related("training_class__program", "training_class__provider__organization")
        .order_by("-enrolled_on")
    )


def filing_deadline(training_class: TrainingClass, today: dt.date | None = None) -> dt.date:
    """The last day the class may still be submitted: ``class.file_before_start_workdays`` working days before its
    start (the check ``classes.class_submit`` makes: ``add_workdays(today, lead) <= start``)."""
    from jineng.refdata.api import is_workday, setting_value

    on = today or timezone.localdate()
    lead = int(setting_value("class.file_before_start_workdays", training_class.region_id, on))
    day, counted = training_class.start_date, 0
    while counted < lead:
        if is_workday(day, training_class.region_id):
            counted += 1
        day -= dt.timedelta(days=1)
    return day


def roster_closes_on(training_class: TrainingClass) -> dt.date:
    """The last day trainees may be added: the start date plus ``class.late_addition_days`` (补录)."""
    from jineng.refdata.api import setting_value

    days = int(setting_value("class.late_addition_days", training_class.region_id, training_class.start_date))
    return training_class.start_date + dt.timedelta(days=days)


# ---- 项目制培训 projects -----------------------------------------------------------------------------------------


def projects_visible(user: Any, permission: str = VIEW) -> QuerySet[TrainingProject]:
    """The projects in scope: by the buying region, and the contracted provider's own."""
    return visible(TrainingProject, user, permission).select_related("organization", "region")


def project_filter(qs: QuerySet[TrainingProject], *, status: str = "", q: str = "") -> QuerySet[TrainingProject]:
    """项目制培训列表 — by status and part of the name, theme or the whole code."""
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(theme__icontains=q) | Q(code=q.upper()))
    return qs


# ---- 就业情况 (public, aggregated) -----------------------------------------------------------------------------------

# A county with fewer finished trainees than this shows no figures on the public page (small counts identify people).
PUBLIC_MIN_CELL = 5


def public_employment(year: int, region: str = "") -> list[dict[str, Any]]:
    """就业情况 — per county (the class venue's) of ``region`` and below: trainees who finished a class ending in
    ``year``, those of them with an employment outcome, and the rate (rounded down). Counts only; a county below
    ``PUBLIC_MIN_CELL`` finished trainees shows none. A county where no outcome is registered at all says so
    (``unregistered``: 未登记) rather than a rate of 0 % — nobody recorded where its trainees went."""
    finished = Enrollment.objects.filter(status="finished", training_class__end_date__year=year)
    if region:
        finished = finished.filter(training_class__region_id__in=region_subtree(region))
    rows = (
        finished.values("training_class__region_id", "training_class__region__name")
        .annotate(
            finished=Count("pk", distinct=True),
            employed=Count("pk", distinct=True, filter=Q(employment_outcomes__isnull=False)),
        )
        .order_by("training_class__region_id")
    )
    out = []
    for r in rows[:500]:
        shown = r["finished"] >= PUBLIC_MIN_CELL
        unregistered = shown and not r["employed"]
        out.append({
            "region": r["training_class__region_id"], "name": r["training_class__region__name"],
            "finished": r["finished"] if shown else None,
            "employed": r["employed"] if shown and not unregistered else None,
            "rate": r["employed"] * 100 // r["finished"] if shown and r["finished"] and not unregistered else None,
            "unregistered": unregistered,
        })  # fmt: skip
    return out


def last_session_end(training_class: TrainingClass) -> dt.datetime | None:
    """When the class's last (not cancelled) session ends: 结业 is open from then on (completion.class_complete)."""
    return (
        ClassSession.objects.filter(training_class=training_class, cancelled_at__isnull=True)
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )


def may_complete(training_class: TrainingClass, now: dt.datetime | None = None) -> bool:
    """结业 may be offered: the class is running and its last session has ended."""
    if training_class.status != ClassStatus.RUNNING:
        return False
    last = last_session_end(training_class)
    return last is None or (now or timezone.now()) >= last


# ---- 找培训、报名申请 (the worker's side, the provider's side) ---------------------------------------------------------

JOINABLE = (ClassStatus.SUBMITTED, ClassStatus.APPROVED)


def joinable_classes(
    *, today: dt.date, region: str = "", occupation: str = "", start_from: dt.date | None = None
) -> QuerySet[TrainingClass]:
    """Upcoming classes a worker may ask to join — public information (class, provider, venue, dates), nearest first;
    ``region`` (a region code: its whole subtree), ``occupation`` (a code or part of the name), ``start_from``."""
    qs = (
        TrainingClass.objects.filter(status__in=JOINABLE, start_date__gte=max(today, start_from or today))
        .select_related("provider__organization", "program", "occupation", "level", "region")
        .annotate(enrolled=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)))
    )
    if region:
        qs = qs.filter(region_id__in=region_subtree(region.strip()))
    if occupation:
        occupation = occupation.strip()
        qs = qs.filter(Q(occupation__code=occupation) | Q(occupation__name__icontains=occupation)
                       | Q(program__name__icontains=occupation))  # fmt: skip
    ordered: QuerySet[TrainingClass] = qs.order_by("start_date", "code")
    return ordered


def near_region(residence_region: Any) -> str:
    """Where 'near me' starts for a worker living in ``residence_region``: their city (a county's parent)."""
    if residence_region is None:
        return ""
    if residence_region.level == "county" and residence_region.parent_id:
        return str(residence_region.parent_id)
    return str(residence_region.code)


def my_join_requests(person_id: Any) -> QuerySet[JoinRequest]:
    if person_id is None:
        return JoinRequest.objects.none()
    return (
        JoinRequest.objects.filter(person_id=person_id)
        .select_related("training_class__provider__organization", "training_class__program")
        .order_by("-created_at")
    )


def join_requests_visible(user: Any, status: str = "") -> QuerySet[JoinRequest]:
    """The requests to the classes of the user's organizations (and, for officials, of their region)."""
    qs = visible(JoinRequest, user, "org.view").select_related(
        "training_class__program", "training_class__provider__organization"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("training_class__start_date", "created_at")
