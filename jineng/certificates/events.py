"""The audit events certificates writes — 评价机构备案、考试场次、证书和电子凭证.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import Any

from django.db import transaction

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    FILING = "certificates.filing"
    PASS_RULE = "certificates.pass_rule"
    SESSION = "certificates.session"
    CANDIDATE = "certificates.candidate"
    CERTIFICATE = "certificates.certificate"
    ISSUER_KEY = "certificates.issuer_key"


class Event(AuditEvent):
    EVALUATION_FILING_CREATE = "evaluation.filing_create", Object.FILING
    EVALUATION_FILING_REVOKE = "evaluation.filing_revoke", Object.FILING
    EVALUATION_PASS_RULE_SET = "evaluation.pass_rule_set", Object.PASS_RULE
    EXAM_SESSION_CREATE = "exam.session_create", Object.SESSION
    EXAM_EXAMINER_ADD = "exam.examiner_add", Object.SESSION
    EXAM_CANDIDATE_ADD = "exam.candidate_add", Object.SESSION
    EXAM_ROSTER_REOPEN = "exam.roster_reopen", Object.SESSION
    EXAM_SESSION_CLOSE = "exam.session_close", Object.SESSION
    EXAM_SESSION_CANCEL = "exam.session_cancel", Object.SESSION
    EXAM_RESULT_RECORD = "exam.result_record", Object.CANDIDATE
    CERTIFICATE_ISSUE = "certificate.issue", Object.CERTIFICATE
    CERTIFICATE_IMPORT = "certificate.import", Object.CERTIFICATE
    CERTIFICATE_AWARD = "certificate.award", Object.CERTIFICATE
    CERTIFICATE_REVOKE = "certificate.revoke", Object.CERTIFICATE
    CERTIFICATE_CORRECT = "certificate.correct", Object.CERTIFICATE
    CERTIFICATE_PDF = "certificate.pdf", Object.CERTIFICATE
    CREDENTIALS_KEY_CREATE = "credentials.key_create", Object.ISSUER_KEY
    CREDENTIALS_KEY_ROTATE = "credentials.key_rotate", Object.ISSUER_KEY


# ---- hooks (ADR 0007): other apps re-derive what they hold from certificates when it changes -----------------------------

_changed_handlers: list[Callable[[Any], None]] = []


def on_certificate_changed(handler: Callable[[Any], None]) -> None:
    """Call ``handler(person_id)`` after the commit of a change to a person's certificates (a revocation)."""
    _changed_handlers.append(handler)


def certificate_changed(person_id: Any) -> None:
    """Emitted by the services inside the transaction; the handlers run once it commits."""
    for handler in _changed_handlers:
        transaction.on_commit(partial(handler, person_id))
