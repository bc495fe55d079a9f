"""Input and output schemas of the providers API."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema

from jineng.common.rest.schemas import InputSchema
from jineng.common.rest.types import DecimalLatitude, DecimalLongitude, Year

# ---- shared pieces ---------------------------------------------------------------------------------------------


class CodeName(Schema):
    code: str
    name: str


class ScopeIn(InputSchema):
    occupation: str = Field("", description="职业代码，如 4-04-05-01（创业培训可空）")
    level: str = Field("", description="技能等级代码，如 grade4（空=不分等级）")
    training_kind: str = Field(..., description="培训类型：employment、upgrading、entrepreneurship …")


class ScopeOut(Schema):
    occupation: CodeName | None
    level: CodeName | None
    training_kind: str
    training_kind_label: str


class LicenceItemIn(InputSchema):
    occupation: str
    max_level: str = ""


class LicenceIn(InputSchema):
    number: str = ""
    issuer: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    items: list[LicenceItemIn] = []


class LicenceItemOut(Schema):
    occupation: CodeName
    max_level: CodeName | None


class LicenceOut(Schema):
    number: str
    issuer: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    items: list[LicenceItemOut]


class ListingSummary(Schema):
    id: uuid.UUID
    status: str
    status_label: str
    state_today: str
    valid_from: dt.date
    valid_until: dt.date
    capacity_per_year: int


# ---- organizations -----------------------------------------------------------------------------------------------


class ProfileFields(InputSchema):
    provider_type: str = ""
    evaluator_type: str = ""
    is_above_scale: bool = False
    size: str = ""
    employees: int | None = None
    industry_tags: list[str] = Field([], description="taxonomy/code，如 guangdong-clusters/automotive")
    legal_representative: str = ""
    address: str = ""
    latitude: DecimalLatitude | None = None
    longitude: DecimalLongitude | None = None
    contact_name: str = ""
    contact_phone: str = Field("", description="只写：保存后仅以脱敏形式返回")
    email: str = ""
    website: str = ""


class ProfileIn(ProfileFields):
    kind: str = Field(..., description="provider / enterprise / evaluator")
    name: str
    credit_code: str = Field(..., description="统一社会信用代码（GB 32100，校验位核验）")
    region: str = Field(..., description="注册地行政区划代码（6位）")
    licence: LicenceIn | None = None


class ProfileUpdateIn(ProfileFields):
    name: str | None = None


class RegisterIn(ProfileIn):
    admin_username: str
    admin_password: str
    admin_display_name: str = ""
    admin_email: str = ""


class ProfileOut(Schema):
    id: uuid.UUID
    organization_id: uuid.UUID
    kind: str
    name: str
    credit_code: str
    region: str
    region_name: str
    provider_type: str
    provider_type_label: str
    evaluator_type: str
    is_above_scale: bool
    size: str
    employees: int | None
    industry_tags: list[str]
    legal_representative: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    contact_phone: str = Field(..., description="脱敏")
    email: str
    website: str
    licence: LicenceOut
    listing: ListingSummary | None
    source: str
    created_at: dt.datetime


class StaffIn(InputSchema):
    username: str
    password: str
    display_name: str = ""
    email: str = ""
    admin: bool = False


class StaffOut(Schema):
    id: uuid.UUID
    username: str
    display_name: str
    admin: bool


class ProviderReasonIn(InputSchema):
    reason: str


# ---- the provider catalog --------------------------------------------------------------------------------------


class ApplicationIn(InputSchema):
    profile_id: uuid.UUID
    kind: str = "new"
    capacity_per_year: int
    description: str = ""
    scope: list[ScopeIn]


class ApplicationUpdateIn(InputSchema):
    capacity_per_year: int
    description: str = ""
    scope: list[ScopeIn]


class ApplicationOut(Schema):
    id: uuid.UUID
    profile_id: uuid.UUID
    organization_name: str
    kind: str
    status: str
    status_label: str
    region: str
    capacity_per_year: int
    description: str
    scope: list[ScopeOut]
    submitted_at: dt.datetime | None
    review_due: dt.date | None
    reviewed_at: dt.datetime | None
    review_opinion: str
    approval_due: dt.date | None
    decided_at: dt.datetime | None
    decision_opinion: str
    listing_id: uuid.UUID | None
    created_at: dt.datetime


class ReviewIn(InputSchema):
    passed: bool
    opinion: str = ""


class DecideIn(InputSchema):
    approved: bool
    opinion: str = ""
    document_number: str = ""


class ListingDecisionIn(InputSchema):
    reason: str
    effective_date: dt.date | None = None
    document_number: str = ""


class EventOut(Schema):
    kind: str
    kind_label: str
    effective_date: dt.date
    valid_until: dt.date | None
    reason: str
    document_number: str
    deciding_office: str


class EventInternalOut(EventOut):
    decided_by: str
    decided_at: dt.datetime


class ListingBase(Schema):
    id: uuid.UUID
    profile_id: uuid.UUID
    name: str
    credit_code: str
    provider_type: str
    provider_type_label: str
    region: str
    region_name: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    status: str
    status_label: str
    state_today: str = Field(..., description="listed / suspended / exited / expired / not_listed（按今日生效的决定）")
    valid_from: dt.date
    valid_until: dt.date
    capacity_per_year: int
    scope: list[ScopeOut]


class ListingOut(ListingBase):
    history: list[EventInternalOut]


_SANCTION_MARK = (
    "目录标注：在执行期内的黑名单或吊销许可（处罚类型及决定编号），无则为空 — a 黑名单 / 吊销许可 in force "
    "today (docs/sanctions.md), empty when none"
)


class PublicListingOut(ListingBase):
    sanction: str = Field("", description=_SANCTION_MARK)
    history: list[EventOut]


class PublicListingRow(ListingBase):
    sanction: str = Field("", description=_SANCTION_MARK)


class PublicEvaluatorOut(Schema):
    """评价机构名录（公开）: the name, kind and region of an evaluation organization, nothing else."""

    name: str
    evaluator_type: str
    evaluator_type_label: str
    region: str
    region_name: str


# ---- programs ----------------------------------------------------------------------------------------------------


class ProgramIn(InputSchema):
    code: str
    name: str
    occupation: str = ""
    level: str = ""
    training_kind: str
    hours_theory: int
    hours_practice: int
    delivery: str = Field(..., description="offline / online / blended")
    subsidy_category: str = Field(..., description="A / B / C / special / none")
    region: str
    syllabus: str = ""
    industry_tags: list[str] = []


class ProgramOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    occupation: CodeName | None
    level: CodeName | None
    training_kind: str
    training_kind_label: str
    hours_theory: int
    hours_practice: int
    hours_total: int
    syllabus: str
    delivery: str
    delivery_label: str
    subsidy_category: str
    industry_tags: list[str]
    brands: list[str]
    region: str
    retired: bool


class CatalogListingIn(InputSchema):
    region: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    document_number: str = ""


class CatalogListingOut(Schema):
    id: uuid.UUID
    program_id: uuid.UUID | None
    resource_id: uuid.UUID | None
    region: str
    region_name: str
    valid_from: dt.date
    valid_until: dt.date | None
    status: str
    document_number: str
    withdraw_reason: str


class PublicProgramOut(ProgramOut):
    listing: CatalogListingOut


class ResourceIn(InputSchema):
    platform_id: uuid.UUID
    code: str
    title: str
    resource_type: str
    occupation: str = ""
    level: str = ""
    training_kind: str
    hours: int
    url: str = ""


class ResourceOut(Schema):
    id: uuid.UUID
    platform_id: uuid.UUID
    platform_name: str
    code: str
    title: str
    resource_type: str
    occupation: CodeName | None
    level: CodeName | None
    training_kind: str
    hours: int
    url: str
    region: str


# ---- teachers' pool ----------------------------------------------------------------------------------------------


class RoleIn(InputSchema):
    person_id: uuid.UUID | None = Field(None, description="实名人员库的人员编号；或填写证件号码与姓名")
    id_number: str = Field("", description="证件号码（只写，不会返回）")
    name: str = ""
    role: str = Field(..., description="teacher / examiner / expert / inspector")
    region: str = ""
    organization_id: uuid.UUID | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    employer_name: str = ""
    title: str = ""
    teacher_qualification: str = ""
    is_integrated: bool = False
    specialities: list[str] = []
    served_regions: list[str] = []


class QualificationIn(InputSchema):
    kind: str
    certificate_kind: str = ""
    occupation: str = ""
    level: str = ""
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None


class AffiliationIn(InputSchema):
    profile_id: uuid.UUID
    kind: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class RoleStatusIn(InputSchema):
    status: str
    reason: str


class QualificationOut(Schema):
    kind: str
    certificate_kind: str | None
    occupation: CodeName | None
    level: CodeName | None
    number: str
    issuer: str
    issued_on: dt.date | None


class AffiliationOut(Schema):
    id: uuid.UUID
    profile_id: uuid.UUID
    organization_name: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None


class RoleOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    role: str
    role_label: str
    region: str
    organization_id: uuid.UUID | None
    employer_name: str
    title: str
    teacher_qualification: str
    is_integrated: bool
    specialities: list[CodeName]
    served_regions: list[str]
    valid_from: dt.date
    valid_until: dt.date | None
    status: str
    status_reason: str
    qualifications: list[QualificationOut]
    affiliations: list[AffiliationOut]


# ---- bases -------------------------------------------------------------------------------------------------------


class BaseIn(InputSchema):
    kind: str
    name: str
    level: str
    approval_year: Year
    region: str
    host_id: uuid.UUID | None = None
    host_name: str = ""
    approval_document: str = ""
    master_person_id: uuid.UUID | None = None
    occupations: list[str] = []


class BaseRevokeIn(InputSchema):
    year: Year
    reason: str


class BaseOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    name: str
    level: str
    level_label: str
    approval_year: Year
    approval_document: str
    region: str
    host_id: uuid.UUID | None
    host_name: str
    master_name: str
    revoked_year: int | None
    revoke_reason: str


class BasesCountOut(Schema):
    kind: str
    level: str
    region: str
    as_of_year: int
    count: int


# ---- brands, standards and textbooks -------------------------------------------------------------------------------


class BrandIn(InputSchema):
    code: str
    name: str
    region: str
    recognized_year: Year | None = None
    recognition: str = ""


class BrandRecognizeIn(InputSchema):
    year: Year
    recognition: str = ""


class BrandRetireIn(InputSchema):
    year: Year
    reason: str


class BrandOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    region: str
    region_name: str
    recognized_year: int | None
    recognition: str
    retired_year: int | None
    retire_reason: str
    programs: int


class ProgramBrandsIn(InputSchema):
    brands: list[uuid.UUID]


class StandardIn(InputSchema):
    kind: str
    title: str
    developer: str
    region: str
    occupation: str = ""
    level: str = ""
    year: Year | None = None
    status: str = "developing"
    document_number: str = ""


class StandardPublishIn(InputSchema):
    year: Year
    document_number: str = ""


class StandardWithdrawIn(InputSchema):
    reason: str


class StandardOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    title: str
    developer: str
    occupation: str
    occupation_name: str
    level: str
    level_name: str
    year: int | None
    status: str
    status_label: str
    document_number: str
    region: str
