"""Creating and running jobs. Handlers register by kind; the runner (django-tasks, database backend) executes them.

A handler receives the job and a ``progress(done, total)`` callback and returns a JSON-able result. Handlers are
idempotent and safe to retry: a job that failed can be re-queued and runs from the start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from jineng.common.errors import DomainError, InvalidState, NotFound
from jineng.common.jobs.models import Job, JobStatus
from jineng.common.masking import scrub_text

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
Handler = Callable[[Job, Progress], dict[str, Any]]

_HANDLERS: dict[str, Handler] = {}
_QUEUE_PERMISSIONS: dict[str, str | None] = {}
ParamsCheck = Callable[[dict[str, Any]], None]
_PARAMS_CHECKS: dict[str, ParamsCheck] = {}


# Follow-ups run after any job succeeds (a higher app reacts to a lower one's job without being imported by it —
# supervision queues an incremental scan after an import, ADR 0007). A follow-up that fails is logged, never fails
# the job that already succeeded.
FollowUp = Callable[[Job], None]
_FOLLOW_UPS: dict[str, FollowUp] = {}


def on_job_succeeded(name: str, follow_up: FollowUp) -> None:
    """Register (or replace) a named follow-up ``follow_up(job)`` run after every job that succeeds."""
    _FOLLOW_UPS[name] = follow_up


def register_job_kind(
    kind: str, *, queue_permission: str | None = None, check_params: ParamsCheck | None = None
) -> Callable[[Handler], Handler]:
    """Register a job kind's handler. ``queue_permission``: the function a user needs to queue it by hand
    (``POST /api/v1/jobs``); ``None`` (the default) — only its own workflow queues it (an import, a schedule).
    ``check_params``: validates the parameters when the job is queued (raises ``ValidationFailed`` naming the
    parameter), so a bad parameter is a 422 at once, not a failed job with a Python error."""

    def decorate(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        _QUEUE_PERMISSIONS[kind] = queue_permission
        if check_params is not None:
            _PARAMS_CHECKS[kind] = check_params
        return handler

    return decorate


def job_queue_permission(kind: str) -> str | None:
    """The function needed to queue ``kind`` by hand, or None when no one may (see ``register_job_kind``)."""
    return _QUEUE_PERMISSIONS.get(kind)


def job_kinds() -> list[str]:
    return sorted(_HANDLERS)


def job_create(*, kind: str, actor: Any, params: dict[str, Any] | None = None, region_code: str = "") -> Job:
    """Record a job and queue it for the runner once the transaction commits."""
    if kind not in _HANDLERS:
        raise DomainError(code="unknown_job_kind", message=f"未知的作业类型：{kind}", status=422)
    if kind in _PARAMS_CHECKS:
        _PARAMS_CHECKS[kind](params or {})
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        created_by=actor if getattr(actor, "pk", None) else None,
        region_code=region_code,
    )
    job_id = str(job.id)
    transaction.on_commit(lambda: run_job.enqueue(job_id))
    return job


def job_retry(*, job: Job, actor: Any) -> Job:
    # The status is checked in the UPDATE itself, so two retries of one failed job queue it once.
    requeued = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, error="", progress_done=0, result=None, finished_at=None
    )
    if not requeued:
        raise InvalidState("只有失败的作业可以重试。", code="job_not_failed")
    job_id = str(job.id)
    transaction.on_commit(lambda: run_job.enqueue(job_id))
    job.refresh_from_db()
    return job


def job_execute(job_id: str) -> Job:
    """Claim the job (queued → running) and run its handler; the claim is atomic so one runner runs it."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound("作业不存在。")
    if not claimed:
        return job
    handler = _HANDLERS.get(job.kind)
    if handler is None:
        # A job recorded before its kind was removed or renamed must not stay "running" for ever.
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=f"未知的作业类型：{job.kind}", finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job

    def progress(done: int, total: int | None = None) -> None:
        fields: dict[str, Any] = {"progress_done": done}
        if total is not None:
            fields["progress_total"] = total
        Job.objects.filter(pk=job.pk).update(**fields)

    try:
        result = handler(job, progress)
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        message = scrub_text(str(exc.message) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}")
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=message[:4000], finished_at=timezone.now())
    else:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result=result, finished_at=timezone.now())
        for name, follow_up in list(_FOLLOW_UPS.items()):
            try:
                follow_up(job)
            except Exception:
                log.exception("follow-up %s of job %s (%s) failed", name, job.pk, job.kind)
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: str) -> None:
    job_execute(job_id)


@register_job_kind("audit.checkpoint", queue_permission="audit.verify")
def _audit_checkpoint_job(job: Job, progress: Progress) -> dict[str, Any]:
    from jineng.common.audit.services import audit_checkpoint

    cp = audit_checkpoint()
    progress(1, 1)
    return {"seq": cp.seq if cp else 0}


@register_job_kind("audit.verify", queue_permission="audit.verify")
def _audit_verify_job(job: Job, progress: Progress) -> dict[str, Any]:
    from jineng.common.audit.services import audit_verify

    result = audit_verify()
    progress(result.checked, result.checked)
    return {"ok": result.ok, "checked": result.checked, "problem": result.problem, "seq": result.seq}
