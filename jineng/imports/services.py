"""Creating and running import jobs (upload page, API and command line all come here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, home_region, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import DomainError, FieldError, ValidationFailed
from jineng.common.jobs.models import Job, JobStatus
from jineng.common.jobs.services import Progress, job_create, job_execute, register_job_kind
from jineng.imports.events import Event
from jineng.imports.framework import Context, Importer, importer_for, on_register, run_import
from jineng.imports.models import ImportJob, ImportMode, ImportOutcome
from jineng.imports.report import ReportWriter
from jineng.refdata.api import region_validate, setting_value

log = logging.getLogger(__name__)

JOB_PREFIX = "import."


def _chunks(source: Any) -> Iterable[bytes]:
    if hasattr(source, "chunks"):
        yield from source.chunks()
        return
    while True:
        chunk = source.read(1 << 20)
        if not chunk:
            return
        yield chunk


def import_create(
    *,
    actor: Actor,
    kind: str,
    source: IO[bytes] | Any,
    filename: str,
    mode: str = ImportMode.STRICT,
    region_code: str | None = None,
    run_now: bool = False,
    options: dict[str, str] | None = None,
) -> ImportJob:
    """Store the uploaded file and queue (or, for the command line, run) its import job."""
    importer = importer_for(kind)
    options = {k: str(v).strip() for k, v in (options or {}).items() if v is not None and str(v).strip()}
    for name, label in importer.options:
        if name not in options:
            raise ValidationFailed(
                f"请填写{label}。", [FieldError(name, "required", f"导入{importer.label}须填写{label}。")]
            )
    if mode not in ImportMode.values:
        raise ValidationFailed("导入模式不正确。", [FieldError("mode", "bad_choice", "模式只能是 strict 或 partial。")])
    region = region_validate(region_code, field="region").code if region_code else (home_region(actor) or None)
    # The region the rows are attributed to must be one the importer's grants reach — 000000 (the country) too:
    # only a national grant may name it. Without a region each row is checked on its own (its residence …).
    if region:
        require(actor, importer.permission, region_code=region)
    else:
        require(actor, importer.permission)
    if region == "000000":
        region = None
    digest = hashlib.sha256()
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as spool:
        for chunk in _chunks(source):
            digest.update(chunk)
            size += len(chunk)
            spool.write(chunk)
        spool.seek(0)
        with transaction.atomic():
            params = {"kind": kind, "filename": filename, "mode": mode, "options": options}
            user = actor_user(actor)
            if run_now:
                job = Job.objects.create(
                    kind=JOB_PREFIX + kind, params=params, created_by=user, region_code=region or ""
                )
            else:
                job = job_create(kind=JOB_PREFIX + kind, actor=actor, params=params, region_code=region or "")
            record = ImportJob(
                job=job,
                kind=kind,
                mode=mode,
                filename=Path(filename or "upload").name[:200],
                size=size,
                sha256=digest.hexdigest(),
                region_id=region,
                created_by=user,
            )
            record.file.save(f"{record.id}{Path(filename).suffix.lower()[:8]}", File(spool), save=False)
            record.save()
            audit_event(
                Event.IMPORT_CREATE,
                actor=actor,
                object_id=record.pk,
                region_code=region or "",
                after={"kind": kind, "mode": mode, "filename": record.filename, "size": size, "sha256": record.sha256},
            )
    if run_now:
        job_execute(str(job.pk))
        record.refresh_from_db()
    return record


class _LocalCopy:
    """The stored upload, decrypted as it streams, in a private temporary file for the readers (which need a
    path); the stored file itself is encrypted at rest (``jineng.common.storage``) and is never read directly.
    The copy is removed as soon as the run ends."""

    def __init__(self, record: ImportJob):
        self.record = record
        self.tmp: Any = None

    def __enter__(self) -> Path:
        if not self.record.file:
            raise DomainError(
                code="import_source_purged", message="导入源文件已按保存期限删除，无法重新执行。", status=409
            )
        self.tmp = tempfile.NamedTemporaryFile(suffix=Path(self.record.filename).suffix, delete=False)  # noqa: SIM115
        with self.record.file.open("rb") as src:
            shutil.copyfileobj(src, self.tmp, 1 << 20)
        self.tmp.close()
        return Path(self.tmp.name)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            Path(self.tmp.name).unlink(missing_ok=True)


def import_execute(record: ImportJob, progress: Progress) -> dict[str, Any]:
    """Run one import job: check, write, report. Idempotent: a retried job re-imports without duplicates."""
    importer = importer_for(record.kind)
    actor = record.created_by or "system"
    ctx = Context(
        actor=actor,
        mode=record.mode,
        region_code=record.region_id or "",
        today=timezone.localdate(),
        options=dict((record.job.params or {}).get("options") or {}),
    )
    report = ReportWriter({c.key: c.label for c in importer.columns})
    with _LocalCopy(record) as path:
        result = run_import(
            importer=importer, path=path, ctx=ctx, filename=record.filename, progress=progress, on_issue=report.add
        )
    if result.outcome == ImportOutcome.REFUSED:
        report.add_refusal(result.refusal_code, result.message)
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    report.save(buffer)
    buffer.seek(0)
    record.report.save(f"{record.id}-report.xlsx", File(buffer), save=False)
    buffer.close()
    record.outcome = result.outcome
    record.exit_code = result.exit_code
    record.summary = result.as_dict()
    record.errors_sample = report.sample
    record.save(update_fields=["outcome", "exit_code", "summary", "errors_sample", "report"])
    audit_event(
        Event.IMPORT_RUN,
        actor=actor,
        object_id=record.pk,
        region_code=record.region_id or "",
        after={k: v for k, v in result.as_dict().items() if k != "message"} | {"kind": record.kind},
    )
    if result.outcome == ImportOutcome.REFUSED:
        raise DomainError(code=result.refusal_code, message=result.message, status=422)
    return result.as_dict()


def _register_job(importer: Importer) -> None:
    @register_job_kind(JOB_PREFIX + importer.kind)
    def _run(job: Job, progress: Progress) -> dict[str, Any]:
        record = ImportJob.objects.select_related("created_by").get(job=job)
        return import_execute(record, progress)


on_register(_register_job)


def import_report_bytes(record: ImportJob) -> bytes:
    if not record.report:
        return b""
    with record.report.open("rb") as fh:
        return bytes(fh.read())


def import_status(record: ImportJob) -> dict[str, Any]:
    job = record.job
    return {
        "id": record.pk,
        "kind": record.kind,
        "mode": record.mode,
        "filename": record.filename,
        "status": job.status,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "percent": job.percent,
        "outcome": record.outcome,
        "exit_code": record.exit_code,
        "summary": record.summary,
        "errors": record.errors_sample,
        "error": job.error,
        "region": record.region_id,
        "created_at": record.created_at,
        "finished_at": job.finished_at,
        "report_url": f"/api/v1/imports/{record.pk}/report" if record.report else "",
        "finished": job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED),
    }


RETENTION_SETTING = "imports.source_retention_days"


def import_sources_purge(*, actor: Actor = "system", today: dt.date | None = None) -> dict[str, Any]:
    """保存期限 — delete the uploaded source files of finished imports older than their region's retention period
    (``imports.source_retention_days``, default 90 days; the national value for jobs without a region).

    The job record stays — its counts, the file's name, size and SHA-256, the masked report — so what was
    imported remains provable; only the source (full ID numbers, phones) goes. Each file is removed after the
    record's change commits. Returns the report: how many files and bytes, and which jobs, by region."""
    today = today or timezone.localdate()
    days_of: dict[str, int] = {}
    removed: dict[str, list[dict[str, Any]]] = {}
    finished = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
    candidates = (
        ImportJob.objects.exclude(file="")
        .filter(job__status__in=finished)
        .only("id", "file", "region_id", "created_at", "size", "sha256", "kind")
        .order_by("created_at")
    )
    for record in candidates.iterator(chunk_size=500):
        region = record.region_id or "000000"
        if region not in days_of:
            days_of[region] = max(int(setting_value(RETENTION_SETTING, region, today)), 0)
        if timezone.localdate(record.created_at) > today - dt.timedelta(days=days_of[region]):
            continue
        name = record.file.name
        storage = record.file.storage
        with transaction.atomic():
            if ImportJob.objects.filter(pk=record.pk, file=name).update(file="") == 0:
                continue  # purged meanwhile by another run
            transaction.on_commit(partial(storage.delete, name))
        removed.setdefault(region, []).append(
            {"job": str(record.pk), "kind": record.kind, "created_on": timezone.localdate(record.created_at).isoformat(),
             "size": record.size, "sha256": record.sha256}
        )  # fmt: skip
    for region, rows in removed.items():
        audit_event(
            Event.IMPORT_SOURCES_PURGE,
            actor=actor,
            region_code="" if region == "000000" else region,
            rows=rows,
            after={"removed": len(rows), "bytes": sum(r["size"] for r in rows), "retention_days": days_of[region]},
        )
    files = [row | {"region": region} for region, rows in removed.items() for row in rows]
    return {"removed": len(files), "bytes": sum(f["size"] for f in files), "files": files}


@register_job_kind("imports.sources_purge", queue_permission="admin.access")
def _purge_job(job: Job, progress: Progress) -> dict[str, Any]:
    report = import_sources_purge(actor=job.created_by or "system")
    return {"removed": report["removed"], "bytes": report["bytes"]}
