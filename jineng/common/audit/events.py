"""The base of every app's audit events (``<app>/events.py``).

An app lists the events it writes as members of an ``AuditEvent`` subclass: the member's value is the action code
stored in the trail (``claim.accept``), its ``object_type`` the type of record it is about, spelled ``app.model``
(``subsidies.claim``). Services write them through ``audit_event`` (``jineng.common.audit.services``), so an action
or an object type is spelled once, in its app's ``events.py``, and a typo fails at import rather than in the trail.

Entries written before these enums spelled some object types without the app (``organization``, ``user``):
``LEGACY_OBJECT_TYPES`` maps them to today's spelling for the pages that read the trail. The trail itself is
append-only and hash-linked, so old rows are never rewritten.
"""

from __future__ import annotations

from enum import StrEnum


class AuditEvent(StrEnum):
    """An audit action with the object type it is about. Members: ``NAME = "area.verb", "app.model"``."""

    object_type: str

    def __new__(cls, action: str, object_type: str = "") -> AuditEvent:
        member = str.__new__(cls, action)
        member._value_ = action
        member.object_type = str(object_type)
        return member


# Object types as older entries spell them → the ``app.model`` spelling written today.
LEGACY_OBJECT_TYPES: dict[str, str] = {
    "api_token": "accounts.api_token",
    "attachment": "common.attachment",
    "catalog_listing": "providers.catalog_listing",
    "crypto.keyring": "common.keyring",
    "digital_resource": "providers.digital_resource",
    "grant": "accounts.grant",
    "list": "common.list",
    "org_profile": "providers.organization_profile",
    "organization": "accounts.organization",
    "plan": "refdata.plan",
    "pool_role": "providers.pool_role",
    "program": "providers.program",
    "provider_application": "providers.provider_application",
    "provider_listing": "providers.provider_listing",
    "region_setting": "refdata.region_setting",
    "retention_rule": "common.retention_rule",
    "training_base": "providers.training_base",
    "user": "accounts.user",
}


def object_type_now(object_type: str) -> str:
    """The ``app.model`` spelling of an object type as any entry, old or new, stores it."""
    return LEGACY_OBJECT_TYPES.get(object_type, object_type)


def object_type_spellings(object_type: str) -> list[str]:
    """Every spelling entries may store for one object type: today's and any older one (for exact filters)."""
    now = object_type_now(object_type)
    return [now, *(old for old, new in LEGACY_OBJECT_TYPES.items() if new == now)]
