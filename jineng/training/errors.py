"""Coded errors of the training app (stable codes, Chinese messages). Mapped to HTTP and pages in one place."""

from __future__ import annotations

from enum import StrEnum

from jineng.common.errors import FieldError, InvalidState, ValidationFailed


class TransitionRefused(InvalidState):
    """A class state change out of order (approve a draft, complete an approved class …): 409."""

    def __init__(self, message: str, code: str = "transition_refused"):
        super().__init__(message, code=code)


class TeacherBusy(InvalidState):
    """The teacher already teaches an overlapping session of another class: 409 ``teacher_busy``."""

    def __init__(self, message: str):
        super().__init__(message, code="teacher_busy")


class RowsRefused(ValidationFailed):
    """A batch (roster rows) with refused rows: 422 ``rows_refused``; each field error carries its row index,
    the field, a stable code and the reason. Nothing was written."""

    def __init__(self, fields: list[FieldError], message: str = "名单中有不符合条件的人员，未写入任何记录。"):
        super().__init__(message, fields, code="rows_refused")


class Code(StrEnum):
    """Every error code training answers with: stable, matched on by clients; the message says it in Chinese."""

    ALREADY_APPRENTICE = "already_apprentice"
    ALREADY_ENROLLED = "already_enrolled"
    APPRENTICESHIP_CLOSED = "apprenticeship_closed"
    APPRENTICE_NOT_ACTIVE = "apprentice_not_active"
    ATTENDANCE_BELOW_MINIMUM = "attendance_below_minimum"
    BAD_CHOICE = "bad_choice"
    BAD_COORDINATE = "bad_coordinate"
    BAD_CREDIT_CODE = "bad_credit_code"
    BAD_DATE_RANGE = "bad_date_range"
    BAD_EVENT = "bad_event"
    BAD_HOURS = "bad_hours"
    BAD_TIME = "bad_time"
    BEFORE_TRAINING = "before_training"
    CLASS_CLOSED = "class_closed"
    CLASS_FULL = "class_full"
    CLASS_NOT_EDITABLE = "class_not_editable"
    CLASS_NOT_RUNNING = "class_not_running"
    CLASS_NOT_STARTED_YET = "class_not_started_yet"
    CLASS_TOO_LARGE = "class_too_large"
    DUPLICATE_IN_ROSTER = "duplicate_in_roster"
    ENROLLMENT_NOT_ACTIVE = "enrollment_not_active"
    EVENT_IN_FUTURE = "event_in_future"
    FILED_TOO_LATE = "filed_too_late"
    FILE_REQUIRED = "file_required"
    HOURS_SHORT = "hours_short"
    ID_NAME_MISMATCH = "id_name_mismatch"
    LATE_ADDITION_CLOSED = "late_addition_closed"
    LATE_SYNC = "late_sync"
    MENTOR_FULL = "mentor_full"
    MENTOR_NOT_AVAILABLE = "mentor_not_available"
    NAME_REQUIRED = "name_required"
    NOT_AN_EMPLOYEE = "not_an_employee"
    NOT_AN_ENTERPRISE = "not_an_enterprise"
    NOT_IN_CLASS = "not_in_class"
    ONLINE_HOURS_OVER_HALF = "online_hours_over_half"
    ORGANIZATION_UNKNOWN = "organization_unknown"
    OTHER_PROVIDER = "other_provider"
    OUTCOME_EXISTS = "outcome_exists"
    OUTSIDE_CLASS_DATES = "outside_class_dates"
    OUTSIDE_PLAN = "outside_plan"
    OUTSIDE_SESSIONS = "outside_sessions"
    OVERLAPPING_ENROLLMENT = "overlapping_enrollment"
    PERSON_UNKNOWN = "person_unknown"
    PLANNED_SIZE_BELOW_ROSTER = "planned_size_below_roster"
    PLAN_TOO_LONG = "plan_too_long"
    PLAN_TOO_SHORT = "plan_too_short"
    PLEDGE_REQUIRED = "pledge_required"
    PROGRAM_UNKNOWN = "program_unknown"
    PROGRESS_REQUIRED = "progress_required"
    PROVIDER_UNKNOWN = "provider_unknown"
    REASONS_REQUIRED = "reasons_required"
    REASON_REQUIRED = "reason_required"
    REGION_CHANGE_REFUSED = "region_change_refused"
    REQUIRED = "required"
    ROSTER_CLOSED = "roster_closed"
    ROWS_REFUSED = "rows_refused"
    SAME_CLASS = "same_class"
    SESSIONS_NOT_FINISHED = "sessions_not_finished"
    SESSIONS_OVERLAP = "sessions_overlap"
    SESSIONS_REQUIRED = "sessions_required"
    SESSION_ENDS_BEFORE_START = "session_ends_before_start"
    SESSION_OUTSIDE_CLASS_DATES = "session_outside_class_dates"
    SUBSIDY_CATEGORY_MISMATCH = "subsidy_category_mismatch"
    TARGET_REQUIRED = "target_required"
    TEACHER_BUSY = "teacher_busy"
    TEACHER_REQUIRED = "teacher_required"
    TOO_FEW_HOURS = "too_few_hours"
    TOO_FEW_TRAINEES = "too_few_trainees"
    TRAINEE_PLEDGE_REQUIRED = "trainee_pledge_required"
    TRANSITION_REFUSED = "transition_refused"
    UNKNOWN_ENROLLMENT = "unknown_enrollment"
    UNKNOWN_GROUP = "unknown_group"
    UNKNOWN_TEACHER = "unknown_teacher"
    VENUE_REGION_NOT_COUNTY = "venue_region_not_county"
    # 项目制培训 projects
    NOT_A_PROVIDER = "not_a_provider"
    PROJECT_CLOSED = "project_closed"
    NOT_PROJECT_PROVIDER = "not_project_provider"
    OUTSIDE_PROJECT_REGION = "outside_project_region"
    OUTSIDE_PROJECT_PERIOD = "outside_project_period"
    CLASS_IN_OTHER_PROJECT = "class_in_other_project"
    OUT_OF_RANGE = "out_of_range"
    BAD_RANGE = "bad_range"
    BAD_DATE = "bad_date"
