"""The scan as a job kind (``supervision.scan``): the job worker runs ``services.scan_run``; a retried job resumes
the scan with the rules not done."""

from __future__ import annotations

from typing import Any

from jineng.common.jobs.models import Job
from jineng.common.jobs.services import Progress, register_job_kind


@register_job_kind("supervision.scan")
def scan_job(job: Job, progress: Progress) -> dict[str, Any]:
    from jineng.supervision.models import Scan
    from jineng.supervision.services import scan_run

    scan = scan_run(Scan.objects.get(pk=job.params["scan"]), progress)
    return {"scan": str(scan.pk), "found": scan.found}
