"""Coded errors of the providers app (stable codes; Chinese messages)."""

from __future__ import annotations

from enum import StrEnum

from jineng.common.errors import InvalidState


class TransitionRefused(InvalidState):
    """A workflow step out of order (审核 before 提交, 审批 before 审核 …): 409 with a stable code."""

    def __init__(self, message: str, code: str = "transition_refused"):
        super().__init__(message, code=code)


class ProviderNotListed(InvalidState):
    """The provider is not listed (never, expired, exited) for what was asked: 409 ``provider_not_listed``."""

    def __init__(self, message: str = "该培训机构不在培训机构目录内。", code: str = "provider_not_listed"):
        super().__init__(message, code=code)


class ProviderSuspended(InvalidState):
    """The provider's listing is suspended (停业整顿): it may not open classes. 409 ``provider_suspended``."""

    def __init__(self, message: str = "该培训机构已被暂停（停业整顿），不能开展补贴性培训。"):
        super().__init__(message, code="provider_suspended")


class ProgramNotListed(InvalidState):
    def __init__(self, message: str = "该培训项目不在本地区培训项目目录内。"):
        super().__init__(message, code="program_not_listed")


class TeacherNotAvailable(InvalidState):
    def __init__(self, message: str, code: str = "teacher_not_available"):
        super().__init__(message, code=code)


class Code(StrEnum):
    """Every error code providers answers with: stable, matched on by clients; the message says it in Chinese."""

    AFFILIATION_ENDED = "affiliation_ended"
    ALREADY_LISTED = "already_listed"
    APPLICATION_CLOSED = "application_closed"
    APPLICATION_NOT_DRAFT = "application_not_draft"
    APPLICATION_NOT_REVIEWED = "application_not_reviewed"
    APPLICATION_NOT_SUBMITTED = "application_not_submitted"
    APPROVER_IS_REVIEWER = "approver_is_reviewer"
    BAD_CHOICE = "bad_choice"
    BAD_NUMBER = "bad_number"
    BAD_PERIOD = "bad_period"
    BASE_REVOKED = "base_revoked"
    ORGANIZATION_SANCTIONED = "organization_sanctioned"
    BEFORE_APPROVAL = "before_approval"
    BEFORE_LISTING = "before_listing"
    CANNOT_REVOKE_SELF = "cannot_revoke_self"
    DUPLICATE = "duplicate"
    DUPLICATE_AFFILIATION = "duplicate_affiliation"
    DUPLICATE_BASE = "duplicate_base"
    DUPLICATE_CODE = "duplicate_code"
    DUPLICATE_ROLE = "duplicate_role"
    IN_FUTURE = "in_future"
    INCOMPLETE_COORDINATES = "incomplete_coordinates"
    LICENCE_EXPIRED = "licence_expired"
    LICENCE_EXPIRES_FIRST = "licence_expires_first"
    LICENCE_NOT_YET_VALID = "licence_not_yet_valid"
    LICENCE_REQUIRED = "licence_required"
    LISTING_EXPIRED = "listing_expired"
    LISTING_TRANSITION_REFUSED = "listing_transition_refused"
    LISTING_WITHDRAWN = "listing_withdrawn"
    MERGED_PERSON = "merged_person"
    NAME_MISMATCH = "name_mismatch"
    NO_CHANGE = "no_change"
    NO_HOURS = "no_hours"
    NOT_A_PLATFORM = "not_a_platform"
    NOT_A_PROVIDER = "not_a_provider"
    NOT_A_STUDIO = "not_a_studio"
    NOT_A_TEACHER = "not_a_teacher"
    NOT_LISTED = "not_listed"
    NOT_STAFF = "not_staff"
    OPEN_APPLICATION_EXISTS = "open_application_exists"
    OUT_OF_RANGE = "out_of_range"
    PERSON_LOOKUP_UNAVAILABLE = "person_lookup_unavailable"
    PERSON_NOT_REGISTERED = "person_not_registered"
    PLATFORM_NOT_LISTED = "platform_not_listed"
    PROFILE_EXISTS = "profile_exists"
    PROGRAM_NOT_LISTED = "program_not_listed"
    PROGRAM_RETIRED = "program_retired"
    PROVIDER_NOT_LISTED = "provider_not_listed"
    PROVIDER_SUSPENDED = "provider_suspended"
    REQUIRED = "required"
    RETIRED = "retired"
    REVIEWER_IS_SUBMITTER = "reviewer_is_submitter"
    ROLE_RETIRED = "role_retired"
    SCOPE_OUTSIDE_LICENCE = "scope_outside_licence"
    TEACHER_INACTIVE = "teacher_inactive"
    TEACHER_NOT_AFFILIATED = "teacher_not_affiliated"
    TEACHER_NOT_AVAILABLE = "teacher_not_available"
    TEACHER_OUT_OF_TERM = "teacher_out_of_term"
    TOO_LONG = "too_long"
    TRANSITION_REFUSED = "transition_refused"
    UNKNOWN_ORGANIZATION = "unknown_organization"
    UNKNOWN_PERSON = "unknown_person"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_TEACHER = "unknown_teacher"
    WEAK_PASSWORD = "weak_password"
    BEFORE_RECOGNITION = "before_recognition"
    BRAND_OUTSIDE_REGION = "brand_outside_region"
    BRAND_RECOGNIZED = "brand_recognized"
    BRAND_RETIRED = "brand_retired"
    DUPLICATE_BRAND = "duplicate_brand"
    DUPLICATE_STANDARD = "duplicate_standard"
    STANDARD_NOT_DEVELOPING = "standard_not_developing"
    STANDARD_WITHDRAWN = "standard_withdrawn"
    UNKNOWN_BRAND = "unknown_brand"
