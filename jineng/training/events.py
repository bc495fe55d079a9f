"""The audit events training writes — 培训班、名册、考勤、结业、学徒制、就业回访.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    TRAINING_CLASS = "training.class"
    ENROLLMENT = "training.enrollment"
    ATTENDANCE = "training.attendance"
    APPRENTICESHIP = "training.apprenticeship"
    APPRENTICE = "training.apprentice"
    PROJECT = "training.project"
    JOIN_REQUEST = "training.join_request"


class Event(AuditEvent):
    CLASS_CREATE = "class.create", Object.TRAINING_CLASS
    CLASS_UPDATE = "class.update", Object.TRAINING_CLASS
    CLASS_SUBMITTED = "class.submitted", Object.TRAINING_CLASS
    CLASS_APPROVED = "class.approved", Object.TRAINING_CLASS
    CLASS_REJECTED = "class.rejected", Object.TRAINING_CLASS
    CLASS_RUNNING = "class.running", Object.TRAINING_CLASS
    CLASS_COMPLETED = "class.completed", Object.TRAINING_CLASS
    CLASS_CANCELLED = "class.cancelled", Object.TRAINING_CLASS
    ENROLLMENT_ADD = "enrollment.add", Object.ENROLLMENT
    ENROLLMENT_LATE_ADDITION = "enrollment.late_addition", Object.ENROLLMENT
    ENROLLMENT_DROPOUT = "enrollment.dropout", Object.ENROLLMENT
    ENROLLMENT_TRANSFER = "enrollment.transfer", Object.ENROLLMENT
    ENROLLMENT_POSTPONEMENT = "enrollment.postponement", Object.ENROLLMENT
    ENROLLMENT_COMPLETE = "enrollment.complete", Object.ENROLLMENT
    ENROLLMENT_EMPLOYMENT_OUTCOME = "enrollment.employment_outcome", Object.ENROLLMENT
    ATTENDANCE_RECORD = "attendance.record", Object.ATTENDANCE
    APPRENTICESHIP_CREATE = "apprenticeship.create", Object.APPRENTICESHIP
    APPRENTICE_ADD = "apprentice.add", Object.APPRENTICE
    APPRENTICE_PROGRESS = "apprentice.progress", Object.APPRENTICE
    APPRENTICE_EVALUATE = "apprentice.evaluate", Object.APPRENTICE
    APPRENTICE_TERMINATE = "apprentice.terminate", Object.APPRENTICE
    PROJECT_CREATE = "project.create", Object.PROJECT
    PROJECT_CLASS_ADD = "project.class_add", Object.PROJECT
    PROJECT_SETTLE = "project.settle", Object.PROJECT
    JOIN_REQUEST_CREATE = "join_request.create", Object.JOIN_REQUEST
    JOIN_REQUEST_ACCEPT = "join_request.accept", Object.JOIN_REQUEST
    JOIN_REQUEST_REFUSE = "join_request.refuse", Object.JOIN_REQUEST
    JOIN_REQUEST_WITHDRAW = "join_request.withdraw", Object.JOIN_REQUEST
