"""The audit events inspections writes — 双随机、一公开.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    POOL_MEMBER = "inspections.pool_member"
    DRAW = "inspections.draw"
    TASK = "inspections.task"
    FINDING = "inspections.finding"


class Event(AuditEvent):
    POOL_ADD = "inspections.pool_add", Object.POOL_MEMBER
    POOL_REMOVE = "inspections.pool_remove", Object.POOL_MEMBER
    DRAW_COMMIT = "inspections.draw_commit", Object.DRAW
    DRAW_FREEZE = "inspections.draw_freeze", Object.DRAW
    DRAW_RUN = "inspections.draw_run", Object.DRAW
    DRAW_SUPERSEDE = "inspections.draw_supersede", Object.DRAW
    TASK_CREATE = "inspections.task_create", Object.TASK
    TASK_CHECKLIST = "inspections.task_checklist", Object.TASK
    TASK_CLOSE = "inspections.task_close", Object.TASK
    TASK_PUBLISH = "inspections.task_publish", Object.TASK
    CALLBACK_REVEAL = "inspections.reveal", Object.TASK  # 查看回访电话
    CALLBACK_RECORD = "inspections.record", Object.TASK  # 记录回访结果
    FINDING_RECORD = "inspections.finding_record", Object.FINDING
    FINDING_ANSWER = "inspections.finding_answer", Object.FINDING
    FINDING_FOLLOW_UP = "inspections.finding_follow_up", Object.FINDING
