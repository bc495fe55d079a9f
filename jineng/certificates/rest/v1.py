"""Evaluation and certificates API: filings, pass rules, exam sessions (examiners, candidates, results, closing,
issuing), supervision, certificates (list, detail, credential, PDF, revoke, correct). Thin: parse, find the record
in scope (404 outside), call one service, present."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from jineng.accounts.api import Organization, get_visible, principal_for
from jineng.certificates import credentials, presenters, selectors, services
from jineng.certificates.events import Event
from jineng.certificates.models import PassRule
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, NotFound, ValidationFailed
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.common.rest.schemas import InputSchema
from jineng.common.rest.types import BoundedDate, DecimalScore, Year
from jineng.refdata.api import region_subtree
from jineng.registry.api import person_resolve

router = Router(tags=["certificates 评价与证书"])


# ---- schemas ------------------------------------------------------------------------------------------------------


class FilingIn(InputSchema):
    organization_id: uuid.UUID
    route: str
    occupation: str
    level: str = ""
    valid_from: dt.date
    valid_until: dt.date | None = None
    document_number: str = ""


class FilingOut(Schema):
    id: uuid.UUID
    organization_id: uuid.UUID
    organization_name: str
    route: str
    route_name: str
    occupation: str
    occupation_name: str
    level: str | None
    level_name: str
    region: str
    valid_from: dt.date
    valid_until: dt.date | None
    document_number: str
    revoked: bool
    revoke_reason: str


class CertificateReasonIn(InputSchema):
    reason: str


class PassRuleIn(InputSchema):
    region: str
    valid_from: dt.date
    occupation: str = ""
    level: str = ""
    theory_max: DecimalScore = Field(Decimal(100), json_schema_extra={"default": 100})
    practical_max: DecimalScore = Field(Decimal(100), json_schema_extra={"default": 100})
    theory_pass: DecimalScore = Field(Decimal(60), json_schema_extra={"default": 60})
    practical_pass: DecimalScore = Field(Decimal(60), json_schema_extra={"default": 60})


class PassRuleOut(Schema):
    id: uuid.UUID
    region: str
    occupation: str | None
    level: str | None
    theory_max: Decimal
    practical_max: Decimal
    theory_pass: Decimal
    practical_pass: Decimal
    valid_from: dt.date


class SessionIn(InputSchema):
    organization_id: uuid.UUID | None = None
    occupation: str
    level: str = ""
    certificate_kind: str = ""
    venue_region: str
    venue_address: str
    starts_at: dt.datetime
    duration_minutes: int = Field(..., ge=1, le=1440)
    terminals: list[str] = []


class SessionOut(Schema):
    id: uuid.UUID
    code: str
    organization_id: uuid.UUID
    organization_name: str
    route: str
    certificate_kind: str
    occupation: str
    occupation_name: str
    level: str | None
    level_name: str
    venue_region: str
    venue_region_name: str
    venue_address: str
    starts_at: dt.datetime
    exam_date: dt.date
    duration_minutes: int
    terminals: list[str]
    status: str
    candidates: int
    sat: int
    passed: int
    pass_rate: Decimal | None
    certificates: int


class ExaminerOut(Schema):
    id: uuid.UUID
    pool_role_id: uuid.UUID
    person_id: uuid.UUID
    name: str


class CandidateOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    name: str
    source: str
    training_class_id: uuid.UUID | None
    theory_score: Decimal | None
    practical_score: Decimal | None
    result: str
    examiner_id: uuid.UUID | None
    examiner_name: str
    terminal: str
    recorded_at: dt.datetime | None


class SessionDetailOut(SessionOut):
    examiners: list[ExaminerOut]
    candidate_list: list[CandidateOut]


class ExaminerIn(InputSchema):
    pool_role_id: uuid.UUID


class CandidateIn(InputSchema):
    id_number: str = ""
    doc_type: str | None = None
    person_id: uuid.UUID | None = None


class FromClassIn(InputSchema):
    training_class_id: uuid.UUID


class ResultIn(InputSchema):
    candidate_id: uuid.UUID
    examiner_id: uuid.UUID | None = None
    theory_score: DecimalScore | None = None
    practical_score: DecimalScore | None = None
    absent: bool = False
    terminal: str = ""


class MatrixCell(Schema):
    candidate_id: uuid.UUID
    name: str
    result: str
    result_label: str
    theory_score: Decimal | None
    practical_score: Decimal | None


class MatrixRow(Schema):
    examiner_id: uuid.UUID
    examiner: str
    pool_role: uuid.UUID
    candidates: list[MatrixCell]
    passed: int


class SupervisionOut(Schema):
    session: SessionOut
    examiners: list[MatrixRow]
    without_examiner: list[str]


class OrgSummary(Schema):
    organization: str
    sessions: int
    sat: int
    passed: int
    pass_rate: Decimal | None
    certificates: int


class AvailableExaminer(Schema):
    pool_role_id: uuid.UUID
    name: str
    employer_name: str
    title: str


class IssueIn(InputSchema):
    issued_on: dt.date | None = None


class CertificateOut(Schema):
    id: uuid.UUID
    number: str
    number_display: str
    status: str
    kind: str
    kind_name: str
    holder_name: str
    person_id: uuid.UUID
    occupation: str | None
    occupation_name: str
    level: str | None
    level_name: str
    issuer_id: uuid.UUID | None
    issuer_name: str
    issued_on: dt.date
    region: str
    source: str
    revoked_at: dt.datetime | None
    revoke_reason: str
    session_id: uuid.UUID | None


class CorrectionOut(Schema):
    at: dt.datetime
    changes: dict[str, Any]
    reason: str


class CertificateDetailOut(CertificateOut):
    corrections: list[CorrectionOut]


class CorrectIn(InputSchema):
    reason: str
    holder_name: str | None = None
    occupation: str | None = None
    level: str | None = None
    issued_on: dt.date | None = None


FilingPage = page_of(FilingOut)
SessionPage = page_of(SessionOut)
CertificatePage = page_of(CertificateOut)
PassRulePage = page_of(PassRuleOut)


def _rule_dict(r: PassRule) -> dict[str, Any]:
    return {"id": r.pk, "region": r.region_id, "occupation": r.occupation.code if r.occupation else None,
            "level": r.level_id, "theory_max": r.theory_max, "practical_max": r.practical_max,
            "theory_pass": r.theory_pass, "practical_pass": r.practical_pass, "valid_from": r.valid_from}  # fmt: skip


# ---- filings and pass rules -----------------------------------------------------------------------------------


@router.get("/evaluation/filings", response=FilingPage, summary="评价机构备案 Filed scopes of evaluation organizations")
def filing_list(request: HttpRequest, paging: Query[Paging], organization_id: uuid.UUID | None = None) -> Any:
    qs = selectors.filings_visible(request.user)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return page_items(qs, paging, presenters.filing_dict)


@router.post("/evaluation/filings", response={201: FilingOut}, summary="备案 File an organization's scope")
def filing_create_view(request: HttpRequest, payload: FilingIn) -> Any:
    organization = get_visible(Organization, request.user, payload.organization_id, "records.review")
    filing = services.filing_create(
        actor=request.user, organization=organization, route=payload.route, occupation_code=payload.occupation,
        level_code=payload.level, valid_from=payload.valid_from, valid_until=payload.valid_until,
        document_number=payload.document_number,
    )  # fmt: skip
    return Status(201, presenters.filing_dict(filing))


@router.post("/evaluation/filings/{uuid:filing_id}/revoke", response=FilingOut, summary="撤销备案")
def filing_revoke_view(request: HttpRequest, filing_id: uuid.UUID, payload: CertificateReasonIn) -> Any:
    filing = get_visible(selectors.filings_visible(request.user), request.user, filing_id, "records.review")
    return presenters.filing_dict(services.filing_revoke(actor=request.user, filing=filing, reason=payload.reason))


@router.get("/evaluation/pass-rules", response=PassRulePage, summary="合格标准 Pass rules (public standards)")
def pass_rule_list(request: HttpRequest, paging: Query[Paging], region: str = "") -> Any:
    qs = PassRule.objects.select_related("occupation").order_by("region_id", "-valid_from")
    if region:
        qs = qs.filter(region_id=region)
    return page_items(qs, paging, _rule_dict)


@router.post("/evaluation/pass-rules", response={201: PassRuleOut}, summary="设定合格标准 Set a pass rule")
def pass_rule_create(request: HttpRequest, payload: PassRuleIn) -> Any:
    rule = services.pass_rule_set(
        actor=request.user, region_code=payload.region, valid_from=payload.valid_from,
        occupation_code=payload.occupation, level_code=payload.level, theory_max=payload.theory_max,
        practical_max=payload.practical_max, theory_pass=payload.theory_pass, practical_pass=payload.practical_pass,
    )  # fmt: skip
    return Status(201, _rule_dict(rule))


# ---- sessions -----------------------------------------------------------------------------------------------------


def _own_organization(request: HttpRequest, organization_id: uuid.UUID | None) -> Organization:
    if organization_id is not None:
        return get_visible(Organization, request.user, organization_id, "org.edit")
    orgs = principal_for(request.user).orgs_with("org.edit")
    if len(orgs) != 1:
        raise ValidationFailed(
            "请指定评价机构。", [FieldError("organization_id", "organization_required", "请指定评价机构。")]
        )
    organization = Organization.objects.filter(pk=orgs[0]).first()
    if organization is None:
        raise NotFound()
    return organization


def _session_detail(session: Any) -> dict[str, Any]:
    data = presenters.session_dict(session)
    data["examiners"] = [presenters.examiner_dict(b) for b in selectors.session_examiners(session)]
    data["candidate_list"] = [presenters.candidate_dict(c) for c in selectors.session_candidates(session)]
    return data


@router.get("/exam-sessions", response=SessionPage, summary="考试场次 Exam sessions in scope")
def session_list(
    request: HttpRequest, paging: Query[Paging], region: str = "", status: str = "", occupation: str = ""
) -> Any:
    qs = selectors.sessions_visible(request.user)
    if region:
        qs = qs.filter(venue_region_id__in=region_subtree(region))
    if status:
        qs = qs.filter(status=status)
    if occupation:
        qs = qs.filter(occupation__code=occupation)
    return page_items(qs, paging, presenters.session_dict)


@router.post("/exam-sessions", response={201: SessionDetailOut}, summary="安排考试场次 Schedule a session")
def session_create_view(request: HttpRequest, payload: SessionIn) -> Any:
    organization = _own_organization(request, payload.organization_id)
    session = services.session_create(
        actor=request.user,
        organization=organization,
        data=services.SessionData(
            occupation_code=payload.occupation, level_code=payload.level, venue_region=payload.venue_region,
            venue_address=payload.venue_address, starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes, terminals=list(payload.terminals),
            certificate_kind=payload.certificate_kind,
        ),
    )  # fmt: skip
    return Status(201, _session_detail(session))


@router.get("/exam-sessions/{uuid:session_id}", response=SessionDetailOut, summary="场次详情 A session")
def session_detail(request: HttpRequest, session_id: uuid.UUID) -> Any:
    return _session_detail(selectors.session_get(request.user, session_id))


@router.get(
    "/exam-sessions/{uuid:session_id}/supervision", response=SupervisionOut, summary="场次监管：合格率、谁考评了谁"
)
def session_supervision(request: HttpRequest, session_id: uuid.UUID) -> Any:
    session = selectors.session_get(request.user, session_id)
    return {"session": presenters.session_dict(session), **selectors.examiner_matrix(session)}


@router.get(
    "/exam-sessions/{uuid:session_id}/available-examiners",
    response=list[AvailableExaminer],
    summary="可选考评员 Pool examiners available for a session",
)
def session_available_examiners(request: HttpRequest, session_id: uuid.UUID) -> Any:
    session = selectors.session_get(request.user, session_id, "org.edit")
    return [
        {"pool_role_id": r.pk, "name": r.person.name, "employer_name": r.employer_name, "title": r.title}
        for r in selectors.examiners_available(session)
    ]


@router.post("/exam-sessions/{uuid:session_id}/examiners", response={201: ExaminerOut}, summary="安排考评员")
def session_examiner_add(request: HttpRequest, session_id: uuid.UUID, payload: ExaminerIn) -> Any:
    session = selectors.session_get(request.user, session_id)
    booking = services.examiner_add(actor=request.user, session=session, pool_role_id=payload.pool_role_id)
    return Status(201, presenters.examiner_dict(booking))


@router.post(
    "/exam-sessions/{uuid:session_id}/candidates", response={201: CandidateOut}, summary="个人报名 Add a candidate"
)
def session_candidate_add(request: HttpRequest, session_id: uuid.UUID, payload: CandidateIn) -> Any:
    """The candidate by document number (in the body, never in a URL) or by registry person id."""
    session = selectors.session_get(request.user, session_id)
    person = None
    if payload.id_number:
        person = person_resolve(payload.id_number, payload.doc_type)
    elif payload.person_id:
        from jineng.registry.api import Person

        person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationFailed(
            "该人员未在实名制人员库登记。",
            [FieldError("id_number", "person_not_registered", "请先在实名制人员库登记该人员。")],
            code="person_not_registered",
        )
    candidate = services.candidate_add(actor=request.user, session=session, person=person)
    return Status(201, presenters.candidate_dict(candidate))


@router.post(
    "/exam-sessions/{uuid:session_id}/candidates/from-class",
    response={201: list[CandidateOut]},
    summary="结业学员报考 Add a completed class's trainees",
)
def session_candidates_from_class(request: HttpRequest, session_id: uuid.UUID, payload: FromClassIn) -> Any:
    session = selectors.session_get(request.user, session_id)
    added = services.candidates_add_from_class(
        actor=request.user, session=session, training_class_id=payload.training_class_id
    )
    return Status(201, [presenters.candidate_dict(c) for c in added])


@router.post("/exam-sessions/{uuid:session_id}/results", response=CandidateOut, summary="录入成绩 Record a result")
def session_result_record(request: HttpRequest, session_id: uuid.UUID, payload: ResultIn) -> Any:
    session = selectors.session_get(request.user, session_id)
    candidate = services.result_record(
        actor=request.user,
        session=session,
        data=services.ResultData(
            candidate_id=payload.candidate_id, examiner_id=payload.examiner_id, theory_score=payload.theory_score,
            practical_score=payload.practical_score, absent=payload.absent, terminal=payload.terminal,
        ),
    )  # fmt: skip
    return presenters.candidate_dict(candidate)


@router.post("/exam-sessions/{uuid:session_id}/cancel", response=SessionOut, summary="取消场次 Cancel a session")
def session_cancel_view(request: HttpRequest, session_id: uuid.UUID, payload: CertificateReasonIn) -> Any:
    session = selectors.session_get(request.user, session_id)
    return presenters.session_dict(services.session_cancel(actor=request.user, session=session, reason=payload.reason))


@router.post("/exam-sessions/{uuid:session_id}/close", response=SessionOut, summary="确认成绩 Close the results")
def session_close_view(request: HttpRequest, session_id: uuid.UUID) -> Any:
    session = selectors.session_get(request.user, session_id)
    return presenters.session_dict(services.session_close(actor=request.user, session=session))


@router.post(
    "/exam-sessions/{uuid:session_id}/certificates",
    response={201: list[CertificateOut]},
    summary="发证 Issue certificates to those who passed",
)
def session_certificates_issue(request: HttpRequest, session_id: uuid.UUID, payload: IssueIn) -> Any:
    session = selectors.session_get(request.user, session_id)
    issued = services.certificates_issue(actor=request.user, session=session, issued_on=payload.issued_on)
    return Status(201, [presenters.certificate_dict(c) for c in issued])


@router.get("/evaluation/supervision", response=list[OrgSummary], summary="评价监管 Pass rates per organization")
def supervision(request: HttpRequest, region: str = "", since: BoundedDate | None = None) -> Any:
    return selectors.supervision_summary(request.user, region=region, since=since)


# ---- certificates ---------------------------------------------------------------------------------------------


@router.get("/certificates", response=CertificatePage, summary="证书 Certificates in scope")
def certificate_list(
    request: HttpRequest,
    paging: Query[Paging],
    q: str = "",
    region: str = "",
    status: str = "",
    kind: str = "",
    occupation: str = "",
    year: Year | None = None,
) -> Any:
    qs = selectors.certificate_filter(
        selectors.certificates_visible(request.user), q=q, region=region, status=status, kind=kind,
        occupation=occupation, year=year,
    ).select_related("candidate")  # fmt: skip
    return page_items(qs, paging, presenters.certificate_dict)


@router.get("/certificates/{number}", response=CertificateDetailOut, summary="证书详情 A certificate")
def certificate_detail(request: HttpRequest, number: str) -> Any:
    return presenters.certificate_detail_dict(selectors.certificate_get(request.user, number))


@router.get(
    "/certificates/{number}/credential",
    response={200: str},
    summary="可验证凭证 The certificate as a W3C Verifiable Credential (application/vc+jwt)",
    openapi_extra={"responses": {200: {"description": "compact JWS", "content": {"application/vc+jwt": {}}}}},
)
def certificate_credential(request: HttpRequest, number: str, download: bool = False) -> HttpResponse:
    certificate = selectors.certificate_get(request.user, number)
    token = credentials.credential_for(certificate, presenters.base_url(request))
    response = HttpResponse(token, content_type=credentials.MEDIA_TYPE)
    if download:
        response["Content-Disposition"] = f'attachment; filename="{certificate.number}.jwt"'
    return response


@router.get("/certificates/{number}/pdf", summary="证书 PDF（含验证二维码）")
def certificate_pdf(request: HttpRequest, number: str) -> HttpResponse:
    from jineng.certificates.pdf import certificate_pdf_bytes

    certificate = selectors.certificate_get(request.user, number)
    audit_event(Event.CERTIFICATE_PDF,
        actor=request.user, object_id=certificate.pk, region_code=certificate.region_id,
    )  # fmt: skip
    response = HttpResponse(certificate_pdf_bytes(certificate, presenters.base_url(request)),
                            content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@router.post("/certificates/{number}/revoke", response=CertificateOut, summary="撤销证书 Revoke, with a reason")
def certificate_revoke_view(request: HttpRequest, number: str, payload: CertificateReasonIn) -> Any:
    certificate = selectors.certificate_get(request.user, number)
    return presenters.certificate_dict(
        services.certificate_revoke(actor=request.user, certificate=certificate, reason=payload.reason)
    )


@router.post("/certificates/{number}/correct", response=CertificateDetailOut, summary="更正证书 Correct, with a reason")
def certificate_correct_view(request: HttpRequest, number: str, payload: CorrectIn) -> Any:
    certificate = selectors.certificate_get(request.user, number)
    changes = payload.dict(exclude_unset=True, exclude={"reason"})
    changes = {k: v for k, v in changes.items() if v is not None}
    certificate = services.certificate_correct(
        actor=request.user, certificate=certificate, changes=changes, reason=payload.reason
    )
    return presenters.certificate_detail_dict(certificate)
