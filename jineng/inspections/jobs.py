"""The daily publication as a job kind (``inspections.publish_due``), beside the command ``jineng inspections
publish-due``: a system administrator may queue it by hand (``POST /api/v1/jobs``); it is idempotent."""

from __future__ import annotations

from typing import Any

from jineng.common.jobs.services import Progress, register_job_kind


def register() -> None:
    @register_job_kind("inspections.publish_due", queue_permission="admin.access")
    def _publish_due(job: Any, progress: Progress) -> dict[str, Any]:
        from jineng.inspections.services import publish_due

        return publish_due(actor=job.created_by or "system")
