"""The audit events imports writes — 批量导入.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    IMPORT_JOB = "imports.import_job"


class Event(AuditEvent):
    IMPORT_CREATE = "import.create", Object.IMPORT_JOB
    IMPORT_RUN = "import.run", Object.IMPORT_JOB
    IMPORT_SOURCES_PURGE = "import.sources_purge", Object.IMPORT_JOB
