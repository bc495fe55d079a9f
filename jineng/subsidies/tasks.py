"""Jobs of the subsidies app: close 公示 periods that ended, expire vouchers, purge old idempotency keys."""

from __future__ import annotations

from typing import Any

from jineng.common.jobs.services import Progress, register_job_kind


def register() -> None:
    @register_job_kind("subsidies.publicity_close", queue_permission="admin.access")
    def _publicity(job: Any, progress: Progress) -> dict[str, Any]:
        from jineng.subsidies.services.review import publicity_close_due

        return publicity_close_due(actor=job.created_by or "system")

    @register_job_kind("subsidies.vouchers_expire", queue_permission="admin.access")
    def _expire(job: Any, progress: Progress) -> dict[str, Any]:
        from jineng.subsidies.services.vouchers import vouchers_expire

        return {"expired": vouchers_expire()}

    @register_job_kind("subsidies.idempotency_purge", queue_permission="admin.access")
    def _purge(job: Any, progress: Progress) -> dict[str, Any]:
        from jineng.subsidies.idempotency import purge_expired

        return {"deleted": purge_expired()}
