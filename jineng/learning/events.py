"""The audit events the learning app writes — LRS credentials of the online platforms.

Statements themselves are not audited one by one: the store is their own trail (each carries its ``authority``
and ``stored`` time and is never changed, only voided by another statement).
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    CREDENTIAL = "learning.credential"
    LEARNER_ACCOUNT = "learning.learneraccount"
    RESOURCE_RATING = "learning.resourcerating"


class Event(AuditEvent):
    CREDENTIAL_CREATE = "lrs_credential.create", Object.CREDENTIAL
    CREDENTIAL_REVOKE = "lrs_credential.revoke", Object.CREDENTIAL
    LEARNER_MAP = "lrs_learner.map", Object.LEARNER_ACCOUNT
    ONLINE_SYNC = "lrs_learner.online_sync", Object.LEARNER_ACCOUNT
    RESOURCE_RATE = "resource_rating.rate", Object.RESOURCE_RATING
