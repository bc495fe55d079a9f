"""Coded errors of the training app (stable codes, Chinese messages). Mapped to HTTP and pages in one place."""

from __future__ import annotations

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
