"""The audit events supervision writes — 监管扫描与线索.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    SCAN = "supervision.scan"
    CASE = "supervision.case"
    SANCTION = "supervision.sanction"


class Event(AuditEvent):
    SCAN_START = "supervision.scan_start", Object.SCAN
    SCAN_FINISH = "supervision.scan_finish", Object.SCAN
    CASE_TRANSITION = "supervision.case_transition", Object.CASE
    CASE_ASSIGN = "supervision.case_assign", Object.CASE
    CASE_RECOVER = "supervision.case_recover", Object.CASE
    SANCTION_DECIDE = "supervision.sanction_decide", Object.SANCTION
    SANCTION_LIFT = "supervision.sanction_lift", Object.SANCTION
    SANCTION_APPROVE = "supervision.sanction_approve", Object.SANCTION
    SANCTION_REJECT = "supervision.sanction_reject", Object.SANCTION
