"""The audit events registry writes — 人员档案.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    PERSON = "registry.person"
    CORRECTION = "registry.correction"


class Event(AuditEvent):
    PERSON_CREATE = "person.create", Object.PERSON
    PERSON_CREATE_LEGACY = "person.create_legacy", Object.PERSON
    PERSON_CREATE_BULK = "person.create_bulk", Object.PERSON
    PERSON_IMPORT = "person.import", Object.PERSON
    PERSON_UPDATE = "person.update", Object.PERSON
    PERSON_REVEAL = "person.reveal", Object.PERSON
    PERSON_ARCHIVE_EXPORT = "person.archive_export", Object.PERSON
    PERSON_MEMBERSHIP_ADD = "person.membership_add", Object.PERSON
    PERSON_EMPLOYMENT_ADD = "person.employment_add", Object.PERSON
    PERSON_DOCUMENT_ADD = "person.document_add", Object.PERSON
    PERSON_DOCUMENT_VERIFY = "person.document_verify", Object.PERSON
    PERSON_BANK_ACCOUNT_ADD = "person.bank_account_add", Object.PERSON
    PERSON_MERGE = "person.merge", Object.PERSON
    PERSON_CRYPTO_SHRED = "person.crypto_shred", Object.PERSON
    CORRECTION_REQUEST = "correction.request", Object.CORRECTION
    CORRECTION_ANSWER = "correction.answer", Object.CORRECTION
