"""The audit events refdata writes — 地区参数.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    REGION_SETTING = "refdata.region_setting"
    PLAN = "refdata.plan"


class Event(AuditEvent):
    SETTING_SET = "setting.set", Object.REGION_SETTING
