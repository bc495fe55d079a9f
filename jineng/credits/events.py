"""The audit events of the skill credit bank — 学分规则、学分记入、互认和转换. Labelled in
``jineng/web/audit_labels.py``."""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    RULE_SET = "credits.rule_set"
    ACCOUNT = "credits.account"  # a person's account: object id = the person
    RECOGNITION = "credits.recognition"
    CONVERSION = "credits.conversion"
    ISSUER = "credits.trusted_issuer"
    IMPORT = "credits.transcript_import"


class Event(AuditEvent):
    CREDITS_RULES_PUBLISH = "credits.rules_publish", Object.RULE_SET
    CREDITS_RULES_DRAFT = "credits.rules_draft", Object.RULE_SET
    CREDITS_RULES_RETURN = "credits.rules_send_back", Object.RULE_SET
    CREDITS_DERIVE = "credits.derive", Object.ACCOUNT
    CREDITS_RECOGNITION_REQUEST = "credits.recognition_request", Object.RECOGNITION
    CREDITS_RECOGNITION_DECIDE = "credits.recognition_decide", Object.RECOGNITION
    CREDITS_CONVERSION_REQUEST = "credits.conversion_request", Object.CONVERSION
    CREDITS_CONVERT = "credits.convert", Object.CONVERSION  # the approval: the credits are spent
    CREDITS_CONVERSION_REJECT = "credits.conversion_reject", Object.CONVERSION
    CREDITS_CONVERSION_CONSENT = "credits.conversion_consent", Object.CONVERSION  # the person, online
    CREDITS_ISSUER_ADD = "credits.issuer_add", Object.ISSUER
    CREDITS_ISSUER_DEACTIVATE = "credits.issuer_deactivate", Object.ISSUER
    CREDITS_TRANSCRIPT_IMPORT = "credits.transcript_import", Object.IMPORT
