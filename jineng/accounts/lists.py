"""导出 — exporting a main list (``common.listing.ListSpec``) to xlsx for a user: permission, scope, masking, audit.

- Only a user holding the spec's export permission (``records.export`` by default) exports; the rows are those the
  spec's ``rows`` gives the user (their region scope), filtered and sorted exactly as the page.
- Cells are masked; the full ID number or phone only when the user asks for it with a reason (``reveal_reason``)
  and holds the spec's reveal permission — then only the rows within that permission's scope are exported.
- Every export writes an audit entry (list, filters, sort, rows, whether revealed, the reason).
- Up to ``export.async_rows`` rows (per-region setting of the user's home region, default 5,000) the file is made at
  once; above it the export runs as a job (``list.export``) with progress, and its file is downloaded from the job
  page by the user who asked for it (``export_file``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from jineng.accounts.events import Event
from jineng.accounts.scope import Actor, home_region, principal_for, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from jineng.common.jobs.models import Job, JobStatus
from jineng.common.jobs.services import Progress, job_create, register_job_kind
from jineng.common.listing import ListSpec, list_spec, sort_key, sorted_rows, write_xlsx
from jineng.common.web.lists import PER_PAGE

EXPORT_JOB_KIND = "list.export"
EXPORT_ASYNC_ROWS = "export.async_rows"
REASON_MIN = 2


@dataclass(frozen=True)
class ExportOutcome:
    """Either the file (``content``) made at once, or the job that makes it."""

    filename: str
    rows: int
    content: bytes | None = None
    job: Job | None = None


def export_threshold(user: Any) -> int:
    """Rows above which an export runs as a job: the setting of the user's home region (national default)."""
    from jineng.refdata.api import setting_value

    region = home_region(user) or "000000"
    try:
        return max(1, int(setting_value(EXPORT_ASYNC_ROWS, region, timezone.localdate())))
    except Exception:  # noqa: BLE001 — a region without the setting row still exports, at the default
        return 5000


def _reason(reveal_reason: str) -> str:
    return " ".join((reveal_reason or "").split())[:200]


def _rows(spec: ListSpec, user: Any, params: dict[str, str], sort: str, reveal: bool) -> Any:
    qs = sorted_rows(spec, user, params, sort)
    if reveal and spec.reveal_rows is not None:
        qs = qs.filter(pk__in=spec.reveal_rows(user, params).values("pk"))
    return qs


def _filename(spec: ListSpec) -> str:
    return f"{spec.name.replace('.', '-')}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def list_export(
    *, actor: Actor, spec: ListSpec, params: dict[str, str], sort: str, reveal_reason: str = ""
) -> ExportOutcome:
    """Export the list as ``actor`` sees it (see the module docstring). Raises PermissionDenied / ValidationFailed."""
    require(actor, spec.export_permission)
    sort = sort_key(spec, sort)
    reason = _reason(reveal_reason)
    reveal = bool(reveal_reason)
    if reveal:
        if not spec.revealable:
            raise ValidationFailed(
                "此列表没有可查看完整信息的列。",
                [FieldError("reveal_reason", "not_revealable", "此列表只导出脱敏数据。")],
            )
        if len(reason) < REASON_MIN:
            raise ValidationFailed(
                "请填写导出完整信息的原因。",
                [FieldError("reveal_reason", "reason_required", "导出完整信息须填写原因。")],
            )
        if not principal_for(actor).has(spec.reveal_permission):
            raise PermissionDenied("您没有查看完整信息的权限，只能导出脱敏数据。")
    qs = _rows(spec, actor, params, sort, reveal)
    count = qs.count()
    filename = _filename(spec)
    audit = {
        "list": spec.name,
        "filters": {k: v for k, v in params.items() if v},
        "sort": sort,
        "rows": count,
        "revealed": reveal,
    }
    region = home_region(actor) or ""
    if count > export_threshold(actor):
        with transaction.atomic():
            job = job_create(
                kind=EXPORT_JOB_KIND,
                actor=actor,
                region_code=region[:6],
                params={
                    "list": spec.name,
                    "module": spec.rows.__module__,
                    "filters": params,
                    "sort": sort,
                    "reveal": reveal,
                    "filename": filename,
                },
            )
            audit_event(Event.LIST_EXPORT, actor=actor, object_id=spec.name,
                        region_code=region, after={**audit, "mode": "job", "job": str(job.id)}, reason=reason)  # fmt: skip
        return ExportOutcome(filename=filename, rows=count, job=job)
    out, written = write_xlsx(spec, qs.iterator(chunk_size=500), reveal=reveal)
    audit_event(Event.LIST_EXPORT, actor=actor, object_id=spec.name,
                region_code=region, after={**audit, "rows": written, "mode": "direct"}, reason=reason)  # fmt: skip
    return ExportOutcome(filename=filename, rows=written, content=out.getvalue())


def _spec_of(params: dict[str, Any]) -> ListSpec:
    spec = list_spec(str(params.get("list", "")))
    module = str(params.get("module", ""))
    if spec is None and module.startswith("jineng."):
        importlib.import_module(module)  # the job runs in a process that has not loaded the page's module
        spec = list_spec(str(params.get("list", "")))
    if spec is None:
        raise NotFound("导出的列表不存在。")
    return spec


@register_job_kind(EXPORT_JOB_KIND)  # queue_permission None: only list_export queues it
def _export_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Make the file of a large export, as the user who asked for it sees the list (their scope at run time)."""
    spec = _spec_of(job.params)
    user = job.created_by
    if user is None:
        raise PermissionDenied()
    require(user, spec.export_permission)
    reveal = bool(job.params.get("reveal"))
    if reveal and not principal_for(user).has(spec.reveal_permission):
        raise PermissionDenied("您没有查看完整信息的权限，只能导出脱敏数据。")
    params = {k: str(v) for k, v in dict(job.params.get("filters") or {}).items()}
    qs = _rows(spec, user, params, str(job.params.get("sort", "")), reveal)
    total = qs.count()
    progress(0, total)
    out, written = write_xlsx(spec, qs.iterator(chunk_size=500), reveal=reveal, progress=lambda n: progress(n, total))
    name = default_storage.save(f"exports/{job.pk}.xlsx", ContentFile(out.getvalue()))
    progress(written, total)
    return {"file": name, "filename": str(job.params.get("filename") or f"{job.pk}.xlsx"), "rows": written}


def export_file(*, actor: Actor, job: Job) -> tuple[IO[bytes], str]:
    """The file of a finished export job, for the user who asked for it only; the download is audited."""
    if job.kind != EXPORT_JOB_KIND or job.created_by_id != getattr(actor, "pk", None):
        raise NotFound()
    if job.status != JobStatus.SUCCEEDED or not (job.result or {}).get("file"):
        raise NotFound("导出文件尚未生成。")
    result: dict[str, Any] = dict(job.result or {})
    audit_event(Event.LIST_EXPORT_DOWNLOAD, actor=actor, object_id=job.pk,
                region_code=job.region_code, after={"list": job.params.get("list"), "rows": result.get("rows")})  # fmt: skip
    return default_storage.open(str(result["file"]), "rb"), str(result.get("filename") or f"{job.pk}.xlsx")


# ---- pages ---------------------------------------------------------------------------------------------------------

EXPORT_PARAM = "export"
REVEAL_PARAM = "reveal_reason"


def wants_export(request: Any) -> bool:
    return bool(request.GET.get(EXPORT_PARAM) == "xlsx")


def export_http(request: Any, spec: ListSpec) -> HttpResponse:
    """A list page's ``?export=xlsx``: the file at once, or the export job's page (its progress, then the link)."""
    from urllib.parse import quote

    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from jineng.common.listing import SORT_PARAM, list_params

    outcome = list_export(
        actor=request.user,
        spec=spec,
        params=list_params(spec, request.GET),
        sort=request.GET.get(SORT_PARAM, ""),
        reveal_reason=request.GET.get(REVEAL_PARAM, ""),
    )
    if outcome.job is not None:
        messages.info(request, _("导出共 %(n)s 条，已转为后台作业；完成后在此下载。") % {"n": outcome.rows})
        return redirect("web:job_detail", outcome.job.pk)
    response = HttpResponse(outcome.content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(outcome.filename)}"
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_page(request: Any, spec: ListSpec, per_page: int = PER_PAGE) -> dict[str, Any]:
    """The context every list page shares: the page of sorted rows, the filters, the sort, what may be exported."""
    from jineng.common.listing import list_request
    from jineng.common.web.lists import page

    filters, sort, qs = list_request(spec, request.GET, request.user)
    p = principal_for(request.user)
    can_export = bool(spec.columns) and p.has(spec.export_permission)
    return {
        "page_obj": page(request, qs, per_page),
        "filters": filters,
        "sort": sort,
        "can_export": can_export,
        "can_reveal_export": can_export and spec.revealable and p.has(spec.reveal_permission),
    }
