"""The audit events common writes — 附件、存储文件、数据密钥和保存期限.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    ATTACHMENT = "common.attachment"
    STORED_FILES = "common.stored_files"
    KEYRING = "common.keyring"
    RETENTION_RULE = "common.retention_rule"


class Event(AuditEvent):
    ATTACHMENT_CREATE = "attachment.create", Object.ATTACHMENT
    ATTACHMENT_EXPIRE = "attachment.expire", Object.ATTACHMENT
    ATTACHMENT_DOWNLOAD = "attachment.download", Object.ATTACHMENT
    FILES_ENCRYPT = "files.encrypt", Object.STORED_FILES
    KEYS_ROTATE = "keys.rotate", Object.KEYRING
    RETENTION_RUN = "retention.run", Object.RETENTION_RULE
