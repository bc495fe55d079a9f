"""Training API: classes and their workflow, sessions, rosters and amendments, attendance batches from devices,
completion and certificates, employment outcomes, apprenticeships. Thin: parse, find the record in scope (404
outside), call one service, present. Every list is paginated ``{count, page, page_size, items}``."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from jineng.accounts.api import current_user, get_visible
from jineng.common.listing import sort_queryset
from jineng.common.rest.pagination import page_items, page_of
from jineng.training import presenters, selectors
from jineng.training.lists import CLASSES
from jineng.training.models import Apprentice, Enrollment, TrainingClass, TrainingProject
from jineng.training.rest import schemas as s
from jineng.training.services import apprenticeships as appr
from jineng.training.services import attendance, classes, completion, outcomes, projects, rosters

router = Router(tags=["training 培训过程"])


def _class(request: HttpRequest, class_id: uuid.UUID) -> TrainingClass:
    return selectors.class_get(request.user, class_id)


def _enrollment(request: HttpRequest, enrollment_id: uuid.UUID) -> Enrollment:
    return get_visible(selectors.enrollments_visible(request.user), request.user, enrollment_id)


def _class_input(payload: s.TrainingClassIn) -> classes.ClassInput:
    return classes.ClassInput(
        name=payload.name,
        program=payload.program,
        venue_name=payload.venue_name,
        venue_address=payload.venue_address,
        venue_latitude=payload.venue_latitude,
        venue_longitude=payload.venue_longitude,
        region=payload.region,
        planned_size=payload.planned_size,
        subsidy_category=payload.subsidy_category,
        training_form=payload.training_form,
        start_date=payload.start_date,
        end_date=payload.end_date,
        teaching_plan_attachment_id=payload.teaching_plan_attachment_id,
        sessions=[
            classes.SessionInput(
                starts_at=x.starts_at, ends_at=x.ends_at, mode=x.mode, teacher=x.teacher, topic=x.topic
            )
            for x in payload.sessions
        ],
    )


def _detail(request: HttpRequest, tc: TrainingClass) -> dict[str, Any]:
    return presenters.class_detail_dict(_class(request, tc.pk))


# ---- classes -------------------------------------------------------------------------------------------------------

ClassPage = page_of(s.TrainingClassOut)


@router.get("/classes", response=ClassPage, summary="培训班列表 Classes in scope")
def class_list(
    request: HttpRequest,
    paging: Query[s.TrainingPaging],
    status: str = "",
    region: str = "",
    q: str = "",
    provider: str = "",
    sort: str = "",
) -> Any:
    """``sort``: ``code``, ``name``, ``provider``, ``start_date``, ``enrolled`` or ``status``, ``-`` before it for
    descending; any other value gives the default (newest start first). As xlsx: ``/exports/training.classes``."""
    qs = selectors.class_filter(
        selectors.classes_visible(request.user), status=status, region=region, q=q, provider=provider
    )
    return page_items(sort_queryset(qs, CLASSES, sort), paging, presenters.class_dict)


@router.post("/classes", response={201: s.TrainingClassDetailOut}, summary="开班申请（草稿） Apply for a class")
def class_create_view(request: HttpRequest, payload: s.TrainingClassIn) -> Any:
    tc = classes.class_create(actor=current_user(request), provider=payload.provider, data=_class_input(payload))
    return Status(201, _detail(request, tc))


@router.get("/class-review-queue", response=ClassPage, summary="待审核开班申请（按期限） Review queue")
def class_review_queue(request: HttpRequest, paging: Query[s.TrainingPaging]) -> Any:
    return page_items(selectors.review_queue(request.user), paging, presenters.class_dict)


@router.get("/classes/{uuid:class_id}", response=s.TrainingClassDetailOut, summary="培训班详情 A class")
def class_detail(request: HttpRequest, class_id: uuid.UUID) -> Any:
    return presenters.class_detail_dict(_class(request, class_id))


@router.put("/classes/{uuid:class_id}", response=s.TrainingClassDetailOut, summary="修改开班申请 Revise a draft")
def class_update_view(request: HttpRequest, class_id: uuid.UUID, payload: s.TrainingClassIn) -> Any:
    tc = classes.class_update(actor=current_user(request), training_class=_class(request, class_id),
                              data=_class_input(payload))  # fmt: skip
    return _detail(request, tc)


@router.post("/classes/{uuid:class_id}/submit", response=s.TrainingClassDetailOut, summary="提交（机构承诺） Submit")
def class_submit_view(request: HttpRequest, class_id: uuid.UUID, payload: s.ClassSubmitIn) -> Any:
    tc = classes.class_submit(
        actor=current_user(request),
        training_class=_class(request, class_id),
        pledge=payload.pledge,
        pledge_attachment_id=payload.pledge_attachment_id,
    )
    return _detail(request, tc)


@router.post("/classes/{uuid:class_id}/review", response=s.TrainingClassDetailOut, summary="审核 Approve or refuse")
def class_review_view(request: HttpRequest, class_id: uuid.UUID, payload: s.ClassReviewIn) -> Any:
    tc = classes.class_review(
        actor=current_user(request),
        training_class=_class(request, class_id),
        approved=payload.approved,
        opinion=payload.opinion,
        reasons=payload.reasons,
    )
    return _detail(request, tc)


@router.post("/classes/{uuid:class_id}/start", response=s.TrainingClassDetailOut, summary="开课 Start")
def class_start_view(request: HttpRequest, class_id: uuid.UUID) -> Any:
    return _detail(request, classes.class_start(actor=current_user(request), training_class=_class(request, class_id)))


@router.post("/classes/{uuid:class_id}/cancel", response=s.TrainingClassDetailOut, summary="撤销 Cancel")
def class_cancel_view(request: HttpRequest, class_id: uuid.UUID, payload: s.TrainingReasonIn) -> Any:
    tc = classes.class_cancel(actor=current_user(request), training_class=_class(request, class_id),
                              reason=payload.reason)  # fmt: skip
    return _detail(request, tc)


@router.post("/classes/{uuid:class_id}/completion", response=s.TrainingClassDetailOut, summary="结业 Complete")
def class_complete_view(request: HttpRequest, class_id: uuid.UUID, payload: s.CompletionIn) -> Any:
    tc = completion.class_complete(
        actor=current_user(request),
        training_class=_class(request, class_id),
        results={r.enrollment: r.result for r in payload.results},
    )
    return _detail(request, tc)


SessionPage = page_of(s.ClassSessionOut)


@router.get("/classes/{uuid:class_id}/sessions", response=SessionPage, summary="课程安排 Sessions")
def class_sessions(request: HttpRequest, class_id: uuid.UUID, paging: Query[s.TrainingPaging]) -> Any:
    tc = _class(request, class_id)
    qs = tc.sessions.filter(cancelled_at__isnull=True).select_related("teacher_person").order_by("starts_at")
    return page_items(qs, paging, presenters.session_dict)


# ---- enrollments ---------------------------------------------------------------------------------------------------

EnrollmentPage = page_of(s.EnrollmentOut)


@router.get("/classes/{uuid:class_id}/enrollments", response=EnrollmentPage, summary="花名册 A class's roster")
def class_enrollments(
    request: HttpRequest, class_id: uuid.UUID, paging: Query[s.TrainingPaging], status: str = ""
) -> Any:
    qs = selectors.class_enrollments(request.user, _class(request, class_id))
    return page_items(qs.filter(status=status) if status else qs, paging, presenters.enrollment_dict)


@router.post(
    "/classes/{uuid:class_id}/enrollments",
    response={201: s.EnrollmentBatchOut},
    summary="报名（批量） Enroll trainees",
)
def enrollments_create(request: HttpRequest, class_id: uuid.UUID, payload: s.EnrollmentBatchIn) -> Any:
    rows = [
        rosters.RosterRow(name=r.name, id_number=r.id_number, row=i, doc_type=r.doc_type, phone=r.phone,
                          groups=list(r.groups), residence_region=r.residence_region, pledge=r.pledge)
        for i, r in enumerate(payload.rows)
    ]  # fmt: skip
    result = rosters.enrollments_add(
        actor=current_user(request),
        training_class=_class(request, class_id),
        rows=rows,
        mode="partial" if payload.mode == "partial" else "strict",
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "created": [presenters.enrollment_dict(e) for e in result.created],
            "refused": [r.__dict__ for r in result.refused],
        },
    )


@router.get("/enrollments", response=EnrollmentPage, summary="名册记录 Enrollments in scope (workers: their own)")
def enrollment_list(request: HttpRequest, paging: Query[s.TrainingPaging], status: str = "", result: str = "") -> Any:
    qs = selectors.enrollments_visible(request.user)
    if status:
        qs = qs.filter(status=status)
    if result:
        qs = qs.filter(result=result)
    return page_items(qs.order_by("-enrolled_on", "id"), paging, presenters.enrollment_dict)


@router.get("/enrollments/{uuid:enrollment_id}", response=s.EnrollmentOut, summary="名册记录 An enrollment")
def enrollment_detail(request: HttpRequest, enrollment_id: uuid.UUID) -> Any:
    return presenters.enrollment_dict(_enrollment(request, enrollment_id))


@router.post("/enrollments/{uuid:enrollment_id}/dropout", response=s.EnrollmentOut, summary="退训 Drop out")
def enrollment_dropout(request: HttpRequest, enrollment_id: uuid.UUID, payload: s.TrainingReasonIn) -> Any:
    e = rosters.enrollment_drop(actor=current_user(request), enrollment=_enrollment(request, enrollment_id),
                                reason=payload.reason)  # fmt: skip
    return presenters.enrollment_dict(e)


@router.post("/enrollments/{uuid:enrollment_id}/postponement", response=s.EnrollmentOut, summary="延期 Postpone")
def enrollment_postponement(request: HttpRequest, enrollment_id: uuid.UUID, payload: s.TrainingReasonIn) -> Any:
    e = rosters.enrollment_postpone(actor=current_user(request), enrollment=_enrollment(request, enrollment_id),
                                    reason=payload.reason)  # fmt: skip
    return presenters.enrollment_dict(e)


@router.post("/enrollments/{uuid:enrollment_id}/transfer", response={201: s.EnrollmentOut}, summary="转班 Transfer")
def enrollment_transfer(request: HttpRequest, enrollment_id: uuid.UUID, payload: s.EnrollmentTransferIn) -> Any:
    e = rosters.enrollment_transfer(
        actor=current_user(request),
        enrollment=_enrollment(request, enrollment_id),
        target_class=_class(request, payload.target_class),
        reason=payload.reason,
    )
    return Status(201, presenters.enrollment_dict(e))


# ---- attendance ----------------------------------------------------------------------------------------------------

AttendancePage = page_of(s.AttendanceOut)


@router.post("/attendance", response=s.AttendanceBatchOut, summary="考勤上报（批量，按设备+事件编号幂等） Attendance")
def attendance_batch(request: HttpRequest, payload: s.AttendanceBatchIn) -> Any:
    result = attendance.attendance_record(
        actor=current_user(request),
        device=payload.device,
        events=[
            attendance.AttendanceInput(event_id=e.event_id, enrollment=e.enrollment, kind=e.kind, at=e.at,
                                       method=e.method, latitude=e.latitude, longitude=e.longitude, device=e.device)
            for e in payload.events
        ],
    )  # fmt: skip
    return {
        "accepted": result.count("accepted"),
        "duplicates": result.count("duplicate"),
        "refused": result.count("refused"),
        "results": [o.__dict__ for o in result.outcomes],
    }


@router.get("/attendance", response=AttendancePage, summary="考勤记录 Attendance events in scope")
def attendance_list(
    request: HttpRequest,
    paging: Query[s.TrainingPaging],
    class_id: uuid.UUID | None = None,
    enrollment: uuid.UUID | None = None,
) -> Any:
    qs = selectors.attendance_visible(request.user)
    if class_id:
        qs = qs.filter(training_class_id=class_id)
    if enrollment:
        qs = qs.filter(enrollment_id=enrollment)
    return page_items(qs.order_by("-occurred_at", "id"), paging, presenters.attendance_dict)


# ---- completion certificates ---------------------------------------------------------------------------------------

CertificatePage = page_of(s.CompletionCertificateOut)


@router.get("/completion-certificates", response=CertificatePage, summary="培训合格证书 Completion certificates")
def completion_certificate_list(request: HttpRequest, paging: Query[s.TrainingPaging], serial: str = "") -> Any:
    qs = selectors.certificates_visible(request.user)
    if serial:
        qs = qs.filter(serial=serial.strip())
    return page_items(qs.order_by("-issued_on", "serial"), paging, presenters.certificate_dict)


@router.get(
    "/completion-certificates/{uuid:certificate_id}",
    response=s.CompletionCertificateOut,
    summary="培训合格证书 A certificate",
)
def completion_certificate_detail(request: HttpRequest, certificate_id: uuid.UUID) -> Any:
    return presenters.certificate_dict(get_visible(selectors.certificates_visible(request.user), request.user,
                                                   certificate_id))  # fmt: skip


# ---- employment outcomes -------------------------------------------------------------------------------------------

OutcomePage = page_of(s.EmploymentOutcomeOut)


@router.post(
    "/enrollments/{uuid:enrollment_id}/employment-outcomes",
    response={201: s.EmploymentOutcomeOut},
    summary="培训后就业 Record an employment outcome",
)
def employment_outcome_create(request: HttpRequest, enrollment_id: uuid.UUID, payload: s.EmploymentOutcomeIn) -> Any:
    outcome = outcomes.employment_outcome_record(
        actor=current_user(request),
        enrollment=_enrollment(request, enrollment_id),
        status=payload.status,
        started_on=payload.started_on,
        source=payload.source,
        employer_name=payload.employer_name,
        employer_credit_code=payload.employer_credit_code,
    )
    return Status(201, presenters.outcome_dict(outcome))


@router.get("/employment-outcomes", response=OutcomePage, summary="培训后就业情况 Employment outcomes in scope")
def employment_outcome_list(request: HttpRequest, paging: Query[s.TrainingPaging]) -> Any:
    return page_items(
        selectors.outcomes_visible(request.user).order_by("-started_on", "id"), paging, presenters.outcome_dict
    )


# ---- apprenticeships -----------------------------------------------------------------------------------------------

ApprenticeshipPage = page_of(s.ApprenticeshipOut)
ApprenticePage = page_of(s.ApprenticeOut)


@router.get("/apprenticeships", response=ApprenticeshipPage, summary="企业新型学徒制 Apprenticeship plans")
def apprenticeship_list(request: HttpRequest, paging: Query[s.TrainingPaging]) -> Any:
    qs = selectors.apprenticeships_visible(request.user).order_by("-start_date", "code")
    return page_items(qs, paging, presenters.apprenticeship_dict)


@router.post("/apprenticeships", response={201: s.ApprenticeshipOut}, summary="学徒制培养计划 Create a plan")
def apprenticeship_create_view(request: HttpRequest, payload: s.ApprenticeshipIn) -> Any:
    plan = appr.apprenticeship_create(
        actor=current_user(request),
        data=appr.ApprenticeshipInput(**payload.dict()),
    )
    return Status(201, presenters.apprenticeship_dict(plan))


@router.get("/apprenticeships/{uuid:plan_id}", response=s.ApprenticeshipOut, summary="学徒制培养计划 A plan")
def apprenticeship_detail(request: HttpRequest, plan_id: uuid.UUID) -> Any:
    qs = selectors.apprenticeships_visible(request.user)
    return presenters.apprenticeship_dict(get_visible(qs, request.user, plan_id))


@router.get("/apprentices", response=ApprenticePage, summary="学徒 Apprentices in scope")
def apprentice_list(
    request: HttpRequest, paging: Query[s.TrainingPaging], apprenticeship: uuid.UUID | None = None
) -> Any:
    qs = selectors.apprentices_visible(request.user)
    if apprenticeship:
        qs = qs.filter(apprenticeship_id=apprenticeship)
    return page_items(qs.order_by("joined_on", "id"), paging, presenters.apprentice_dict)


@router.post(
    "/apprenticeships/{uuid:plan_id}/apprentices", response={201: s.ApprenticeOut}, summary="学徒 Add an apprentice"
)
def apprentice_create(request: HttpRequest, plan_id: uuid.UUID, payload: s.ApprenticeIn) -> Any:
    plan = get_visible(selectors.apprenticeships_visible(request.user), request.user, plan_id)
    apprentice = appr.apprentice_add(
        actor=current_user(request),
        apprenticeship=plan,
        id_number=payload.id_number,
        name=payload.name,
        enterprise_mentor=payload.enterprise_mentor,
        school_mentor=payload.school_mentor,
        joined_on=payload.joined_on,
    )
    return Status(201, presenters.apprentice_dict(apprentice))


def _apprentice(request: HttpRequest, apprentice_id: uuid.UUID) -> Apprentice:
    return get_visible(selectors.apprentices_visible(request.user), request.user, apprentice_id)


@router.post("/apprentices/{uuid:apprentice_id}/progress", response=s.ApprenticeOut, summary="年度进度 Yearly progress")
def apprentice_progress_view(request: HttpRequest, apprentice_id: uuid.UUID, payload: s.ApprenticeProgressIn) -> Any:
    apprentice = _apprentice(request, apprentice_id)
    appr.apprentice_progress(actor=current_user(request), apprentice=apprentice, **payload.dict())
    return presenters.apprentice_dict(_apprentice(request, apprentice_id))


@router.post("/apprentices/{uuid:apprentice_id}/evaluation", response=s.ApprenticeOut, summary="考核评价 Evaluate")
def apprentice_evaluation(request: HttpRequest, apprentice_id: uuid.UUID, payload: s.ApprenticeEvaluationIn) -> Any:
    appr.apprentice_evaluate(actor=current_user(request), apprentice=_apprentice(request, apprentice_id),
                             result=payload.result, note=payload.note)  # fmt: skip
    return presenters.apprentice_dict(_apprentice(request, apprentice_id))


@router.post("/apprentices/{uuid:apprentice_id}/termination", response=s.ApprenticeOut,
             summary="中途终止 End an apprenticeship early")  # fmt: skip
def apprentice_termination(request: HttpRequest, apprentice_id: uuid.UUID, payload: s.ApprenticeTerminationIn) -> Any:
    appr.apprentice_terminate(actor=current_user(request), apprentice=_apprentice(request, apprentice_id),
                              reason=payload.reason)  # fmt: skip
    return presenters.apprentice_dict(_apprentice(request, apprentice_id))


# ---- 项目制培训 projects -----------------------------------------------------------------------------------------


def _project(request: HttpRequest, project_id: uuid.UUID, permission: str = "records.view") -> TrainingProject:
    found: TrainingProject = get_visible(selectors.projects_visible(request.user, permission), request.user,
                                         project_id, permission)  # fmt: skip
    return found


@router.get("/training-projects", response=page_of(s.ProjectOut), summary="项目制培训项目 Training projects")
def project_list(request: HttpRequest, paging: Query[s.TrainingPaging], status: str = "", q: str = "") -> Any:
    qs = selectors.project_filter(selectors.projects_visible(request.user), status=status, q=q)
    return page_items(qs.order_by("-start_date", "code"), paging, presenters.project_dict)


@router.get("/training-projects/{uuid:project_id}", response=s.ProjectOut, summary="项目详情 One project")
def project_detail(request: HttpRequest, project_id: uuid.UUID) -> Any:
    return presenters.project_dict(_project(request, project_id))


@router.post("/training-projects", response={201: s.ProjectOut}, summary="立项 Create a project")
def project_create_view(request: HttpRequest, payload: s.ProjectIn) -> Any:
    data = payload.dict()
    project = projects.project_create(actor=current_user(request), data=projects.ProjectInput(
        organization_id=data.pop("organization"), **data))  # fmt: skip
    return Status(201, presenters.project_dict(project))


@router.post("/training-projects/{uuid:project_id}/classes", response=s.ProjectOut, summary="纳入班级 Add a class")
def project_class_view(request: HttpRequest, project_id: uuid.UUID, payload: s.ProjectClassIn) -> Any:
    project = _project(request, project_id, "records.review")
    cls = selectors.class_get(request.user, payload.training_class)
    projects.project_add_class(actor=current_user(request), project=project, training_class=cls)
    return presenters.project_dict(_project(request, project_id))


@router.post("/training-projects/{uuid:project_id}/settlement", response=s.ProjectOut,
             summary="结算（按结业学员生成培训补贴申请，待另一人审核后拨付） Settle")  # fmt: skip
def project_settle_view(request: HttpRequest, project_id: uuid.UUID, payload: s.ProjectSettlementIn) -> Any:
    project = projects.project_settle(actor=current_user(request), project=_project(request, project_id,
                                      "records.review"), payee_bank=payload.payee_bank,
                                      payee_account=payload.payee_account)  # fmt: skip
    return presenters.project_dict(project)
