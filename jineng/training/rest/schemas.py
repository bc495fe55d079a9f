"""Input and output schemas of the training API. Personal data leaves only masked (ID numbers, names as stored on the
roster for the class's own staff and officials)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from jineng.common.rest.pagination import Paging
from jineng.common.rest.schemas import InputSchema
from jineng.common.rest.types import Latitude, Longitude

TrainingPaging = Paging


# ---- classes -------------------------------------------------------------------------------------------------------


class ClassSessionIn(InputSchema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str = "offline"
    teacher: uuid.UUID | None = Field(None, description="师资库教师角色 id（须为本机构任教教师）")
    topic: str = ""


class TrainingClassIn(InputSchema):
    provider: uuid.UUID = Field(description="培训机构档案 id（或其组织 id）")
    program: uuid.UUID
    name: str
    venue_name: str
    venue_address: str = ""
    venue_latitude: Latitude | None = None
    venue_longitude: Longitude | None = None
    region: str = Field(description="培训场地所在县（市、区）行政区划代码")
    planned_size: int
    subsidy_category: str = ""
    training_form: str = "regular"
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    teaching_plan_attachment_id: uuid.UUID | None = None
    sessions: list[ClassSessionIn]


class ClassSessionOut(Schema):
    id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str
    topic: str
    teacher_role_id: uuid.UUID | None
    teacher_name: str
    cancelled: bool


class ClassTransitionOut(Schema):
    source: str
    target: str
    at: dt.datetime
    actor: str
    reason: str


class TrainingClassOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    status: str
    status_label: str
    provider_id: uuid.UUID
    provider_name: str
    program_id: uuid.UUID
    program_name: str
    occupation: str | None
    level: str | None
    training_kind: str
    training_form: str
    subsidy_category: str
    start_date: dt.date
    end_date: dt.date
    planned_size: int
    enrolled: int
    venue_name: str
    venue_address: str
    venue_latitude: float | None
    venue_longitude: float | None
    region: str
    submitted_at: dt.datetime | None
    review_due: dt.date | None
    reviewed_at: dt.datetime | None
    review_opinion: str
    rejection_reasons: list[str]
    provider_pledge_at: dt.datetime | None
    started_at: dt.datetime | None
    completed_on: dt.date | None
    cancel_reason: str


class TrainingClassDetailOut(TrainingClassOut):
    sessions: list[ClassSessionOut]
    transitions: list[ClassTransitionOut]


class ClassSubmitIn(InputSchema):
    pledge: bool = Field(description="机构承诺：培训真实开展、名册与考勤真实")
    pledge_attachment_id: uuid.UUID | None = None


class ClassReviewIn(InputSchema):
    approved: bool
    opinion: str = ""
    reasons: list[str] = []


class TrainingReasonIn(InputSchema):
    reason: str


class CompletionResultIn(InputSchema):
    enrollment: uuid.UUID
    result: str = Field(description="passed | failed | absent")


class CompletionIn(InputSchema):
    results: list[CompletionResultIn] = []


# ---- enrollments ---------------------------------------------------------------------------------------------------


class EnrollmentRowIn(InputSchema):
    name: str
    id_number: str
    doc_type: str | None = None
    phone: str = ""
    groups: list[str] = Field([], description="新登记人员的人员类别（已登记人员以实名制人员库为准）")
    residence_region: str | None = None
    pledge: bool = Field(description="学员已签署参训承诺")


class EnrollmentBatchIn(InputSchema):
    rows: list[EnrollmentRowIn]
    mode: str = Field("strict", description="strict：有一行不符合则全部不写入；partial：写入符合的行")
    reason: str = Field("", description="开班后补录的原因")


class EnrollmentOut(Schema):
    id: uuid.UUID
    class_id: uuid.UUID
    class_code: str
    person_id: uuid.UUID
    name: str
    id_number: str
    status: str
    source: str
    enrolled_on: dt.date
    late_addition: bool
    groups: list[str]
    pledge_signed_at: dt.datetime | None
    credited_hours: int
    creditable_hours: int
    attendance_rate: float
    result: str
    completed_on: dt.date | None
    region: str


class RosterRefusalOut(Schema):
    row: int
    field: str
    code: str
    message: str


class EnrollmentBatchOut(Schema):
    created: list[EnrollmentOut]
    refused: list[RosterRefusalOut]


class EnrollmentTransferIn(InputSchema):
    target_class: uuid.UUID
    reason: str


# ---- attendance ----------------------------------------------------------------------------------------------------


class AttendanceEventIn(InputSchema):
    event_id: str = Field(description="设备上的事件编号，与设备编号一起唯一")
    enrollment: str = Field(description="名册记录 id")
    kind: str = Field(description="in（签到）| out（签退）")
    at: dt.datetime
    method: str = Field(description="face | qr | card | manual")
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    device: str = Field("", description="默认为批次的设备编号")


class AttendanceBatchIn(InputSchema):
    device: str
    events: list[AttendanceEventIn]


class AttendanceResultOut(Schema):
    index: int
    event_id: str
    status: str
    code: str
    message: str


class AttendanceBatchOut(Schema):
    accepted: int
    duplicates: int
    refused: int
    results: list[AttendanceResultOut]


class AttendanceOut(Schema):
    id: uuid.UUID
    enrollment_id: uuid.UUID
    class_id: uuid.UUID
    session_id: uuid.UUID | None
    kind: str
    occurred_at: dt.datetime
    received_at: dt.datetime
    method: str
    latitude: float | None
    longitude: float | None
    device_id: str
    event_id: str


# ---- completion ----------------------------------------------------------------------------------------------------


class CompletionCertificateOut(Schema):
    id: uuid.UUID
    serial: str
    enrollment_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    id_number: str
    program_name: str
    start_date: dt.date
    end_date: dt.date
    provider_name: str
    credited_hours: int
    issued_on: dt.date
    region: str


# ---- employment follow-up ------------------------------------------------------------------------------------------


class EmploymentOutcomeIn(InputSchema):
    status: str = Field("employed", description="employed | self_employed | flexible")
    employer_name: str = ""
    employer_credit_code: str = ""
    started_on: dt.date
    source: str = Field(description="provider | social_insurance | callback | self")


class EmploymentOutcomeOut(Schema):
    id: uuid.UUID
    enrollment_id: uuid.UUID
    person_id: uuid.UUID
    status: str
    employer_name: str
    employer_credit_code: str
    started_on: dt.date
    source: str
    employment_record_id: uuid.UUID | None
    region: str


# ---- apprenticeships -----------------------------------------------------------------------------------------------


class ApprenticeshipIn(InputSchema):
    enterprise: uuid.UUID
    school: uuid.UUID
    occupation: str
    level: str
    start_date: dt.date
    end_date: dt.date
    hours_per_year: int
    concentrated_hours_per_year: int


class ApprenticeshipOut(Schema):
    id: uuid.UUID
    code: str
    enterprise_id: uuid.UUID
    enterprise_name: str
    school_id: uuid.UUID
    school_name: str
    occupation: str
    level: str
    start_date: dt.date
    end_date: dt.date
    hours_per_year: int
    concentrated_hours_per_year: int
    status: str
    region: str
    apprentices: int


class ApprenticeIn(InputSchema):
    name: str
    id_number: str
    enterprise_mentor: uuid.UUID
    school_mentor: uuid.UUID
    joined_on: dt.date | None = None


class ApprenticeProgressOut(Schema):
    year_no: int
    hours_done: int
    concentrated_hours: int
    online_hours: int
    assessment: str


class ApprenticeOut(Schema):
    id: uuid.UUID
    apprenticeship_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    enterprise_mentor_id: uuid.UUID
    school_mentor_id: uuid.UUID
    status: str
    joined_on: dt.date
    result: str
    evaluated_on: dt.date | None
    progress: list[ApprenticeProgressOut]
    region: str


class ApprenticeProgressIn(InputSchema):
    year_no: int
    hours_done: int
    concentrated_hours: int
    online_hours: int = 0
    assessment: str = ""


class ApprenticeEvaluationIn(InputSchema):
    result: str = Field(description="passed | failed")
    note: str = ""


class ApprenticeTerminationIn(InputSchema):
    reason: str = Field(max_length=2000, description="终止原因（离职、解除劳动合同 …）")


def as_float(value: Any) -> float | None:
    return float(value) if value is not None else None


class ProjectIn(InputSchema):
    name: str = Field(max_length=200)
    region: str = Field(max_length=12)
    organization: str = Field(max_length=40)
    contract_number: str = Field(max_length=60)
    theme: str = Field("", max_length=200)
    budget_fen: int = Field(gt=0, le=10_000_000_000)
    price_per_trainee_fen: int = Field(gt=0, le=10_000_000)
    target_trainees: int = Field(gt=0, le=100_000)
    target_employment_percent: int = Field(0, ge=0, le=100)
    start_date: dt.date
    end_date: dt.date


class ProjectClassIn(InputSchema):
    training_class: str = Field(max_length=40)


class ProjectSettlementIn(InputSchema):
    payee_bank: str = Field(max_length=100, description="开户银行：结算款拨付到承接机构的账户")
    payee_account: str = Field(max_length=40, description="收款账号（8–30 位数字）")


class ProjectOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    region: str
    provider: str
    contract_number: str
    theme: str
    budget_fen: int
    price_per_trainee_fen: int
    target_trainees: int
    target_employment_percent: int
    start_date: dt.date
    end_date: dt.date
    status: str
    status_label: str
    classes: list[str]
    finished: int
    employed: int
    settled_trainees: int
    settled_employed: int
    settled_fen: int
    settled_at: dt.datetime | None
