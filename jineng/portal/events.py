"""The audit events the portal writes — 发布开放数据集的新版本."""

from __future__ import annotations

from jineng.common.audit.events import AuditEvent


class Event(AuditEvent):
    DATASET_PUBLISHED = "portal.dataset_published", "portal.dataset_version"
