"""The audit events providers writes — 机构档案、目录、培训项目、师资与考评员、基地.

Each member is an action code with the object type it is about (see ``jineng.common.audit.events``); services
record them with ``audit_event(Event.X, actor=…, object_id=…)``; the audit page labels them in
``jineng/web/audit_labels.py``.
"""

from __future__ import annotations

from enum import StrEnum

from jineng.common.audit.events import AuditEvent


class Object(StrEnum):
    """The object types, spelled ``app.model``."""

    ORGANIZATION = "accounts.organization"
    ORGANIZATION_PROFILE = "providers.organization_profile"
    PROVIDER_APPLICATION = "providers.provider_application"
    PROVIDER_LISTING = "providers.provider_listing"
    PROGRAM = "providers.program"
    DIGITAL_RESOURCE = "providers.digital_resource"
    CATALOG_LISTING = "providers.catalog_listing"
    POOL_ROLE = "providers.pool_role"
    TRAINING_BASE = "providers.training_base"


class Event(AuditEvent):
    ORG_PROFILE_CREATE = "org_profile.create", Object.ORGANIZATION_PROFILE
    ORG_PROFILE_UPDATE = "org_profile.update", Object.ORGANIZATION_PROFILE
    ORG_PROFILE_LICENCE = "org_profile.licence", Object.ORGANIZATION_PROFILE
    ORG_ADMIN_GRANT = "org_admin.grant", Object.ORGANIZATION
    ORG_ADMIN_REVOKE = "org_admin.revoke", Object.ORGANIZATION
    ORG_STAFF_CREATE = "org_staff.create", Object.ORGANIZATION
    ORG_STAFF_REVOKE = "org_staff.revoke", Object.ORGANIZATION
    PROVIDER_APP_CREATE = "provider_app.create", Object.PROVIDER_APPLICATION
    PROVIDER_APP_UPDATE = "provider_app.update", Object.PROVIDER_APPLICATION
    PROVIDER_APP_SUBMIT = "provider_app.submit", Object.PROVIDER_APPLICATION
    PROVIDER_APP_WITHDRAW = "provider_app.withdraw", Object.PROVIDER_APPLICATION
    PROVIDER_APP_REVIEW = "provider_app.review", Object.PROVIDER_APPLICATION
    PROVIDER_APP_DECIDE = "provider_app.decide", Object.PROVIDER_APPLICATION
    PROVIDER_LISTING_LISTED = "provider_listing.listed", Object.PROVIDER_LISTING
    PROVIDER_LISTING_RENEWED = "provider_listing.renewed", Object.PROVIDER_LISTING
    PROVIDER_LISTING_EXTENDED = "provider_listing.extended", Object.PROVIDER_LISTING
    PROVIDER_LISTING_SUSPENDED = "provider_listing.suspended", Object.PROVIDER_LISTING
    PROVIDER_LISTING_RESUMED = "provider_listing.resumed", Object.PROVIDER_LISTING
    PROVIDER_LISTING_EXITED = "provider_listing.exited", Object.PROVIDER_LISTING
    PROVIDER_LISTING_WITHDRAWN = "provider_listing.withdrawn", Object.PROVIDER_LISTING
    PROGRAM_CREATE = "program.create", Object.PROGRAM
    PROGRAM_UPDATE = "program.update", Object.PROGRAM
    PROGRAM_RETIRE = "program.retire", Object.PROGRAM
    RESOURCE_CREATE = "resource.create", Object.DIGITAL_RESOURCE
    CATALOG_LISTING_CREATE = "catalog_listing.create", Object.CATALOG_LISTING
    CATALOG_LISTING_WITHDRAW = "catalog_listing.withdraw", Object.CATALOG_LISTING
    POOL_ROLE_ADD = "pool_role.add", Object.POOL_ROLE
    POOL_ROLE_STATUS = "pool_role.status", Object.POOL_ROLE
    POOL_ROLE_QUALIFICATION = "pool_role.qualification", Object.POOL_ROLE
    POOL_ROLE_AFFILIATE = "pool_role.affiliate", Object.POOL_ROLE
    POOL_ROLE_AFFILIATION_END = "pool_role.affiliation_end", Object.POOL_ROLE
    TRAINING_BASE_CREATE = "training_base.create", Object.TRAINING_BASE
    TRAINING_BASE_REVOKE = "training_base.revoke", Object.TRAINING_BASE
