"""The audit events complaints writes — 投诉举报的收到、受理、办理、答复、办结、重新办理、查看联系方式，立案和派出检查任务.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    COMPLAINT = "complaints.complaint"


class Event(AuditEvent):
    COMPLAINT_RECEIVE = "complaint.receive", Object.COMPLAINT
    COMPLAINT_ACKNOWLEDGE = "complaint.acknowledge", Object.COMPLAINT
    COMPLAINT_NOTE = "complaint.note", Object.COMPLAINT
    COMPLAINT_REPLY = "complaint.reply", Object.COMPLAINT
    COMPLAINT_CLOSE = "complaint.close", Object.COMPLAINT
    COMPLAINT_REOPEN = "complaint.reopen", Object.COMPLAINT
    COMPLAINT_REVEAL = "complaint.reveal", Object.COMPLAINT
    COMPLAINT_LINK_CASE = "complaint.link_case", Object.COMPLAINT
    COMPLAINT_OPEN_CASE = "complaint.open_case", Object.COMPLAINT
    COMPLAINT_OPEN_TASK = "complaint.open_task", Object.COMPLAINT
