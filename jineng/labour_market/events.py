"""The audit events the labour market writes — 需求监测、急需紧缺职业目录.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``. Imports are audited by the import framework (one entry per batch).
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    CATALOG = "labour_market.shortage_catalog"
    VACANCY = "labour_market.vacancy"
    JOB_SEEKER = "labour_market.job_seeker"
    WAGE_RECORD = "labour_market.wage_record"


class Event(AuditEvent):
    CATALOG_DRAFT = "labour_market.catalog_draft", Object.CATALOG
    CATALOG_EDIT = "labour_market.catalog_edit", Object.CATALOG
    CATALOG_APPROVE = "labour_market.catalog_approve", Object.CATALOG
    CATALOG_PUBLISH = "labour_market.catalog_publish", Object.CATALOG
    VACANCY_CREATE = "labour_market.vacancy_create", Object.VACANCY
    JOB_SEEKER_CREATE = "labour_market.job_seeker_create", Object.JOB_SEEKER
    WAGE_RECORD_CREATE = "labour_market.wage_record_create", Object.WAGE_RECORD
