"""Imports API: ``POST /api/v1/imports/`` (multipart: kind, mode, region, file; ``target`` = the class of a roster or
attendance file) queues a job; poll
``GET /api/v1/imports/{id}``; download the row report from ``GET /api/v1/imports/{id}/report``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params import functions as param

from jineng.accounts.api import get_visible, visible
from jineng.common.rest.pagination import PageNumber
from jineng.common.rest.types import CODE_MAX
from jineng.imports.models import ImportJob
from jineng.imports.services import import_create, import_report_bytes, import_status

router = Router(tags=["imports 导入"])


class ImportIssueOut(Schema):
    row: int | None
    column: str
    value: str
    code: str
    message: str
    severity: str


class ImportOut(Schema):
    id: uuid.UUID
    kind: str
    mode: str
    filename: str
    status: str
    progress_done: int
    progress_total: int | None
    percent: int | None
    outcome: str
    exit_code: int | None
    summary: dict[str, Any]
    errors: list[ImportIssueOut]
    error: str
    region: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    report_url: str
    finished: bool


def _create(
    request: HttpRequest, kind: str, mode: str, region: str | None, file: UploadedFile, target: str | None = None
) -> Any:
    from jineng.imports.framework import importer_for

    declared = importer_for(kind).options
    record = import_create(
        actor=request.user,
        kind=kind,
        source=file,
        filename=file.name or "upload",
        mode=mode,
        region_code=region,
        options={declared[0][0]: target} if declared and target else None,
    )
    record.refresh_from_db()
    return 202, import_status(record)


@router.post("/imports/", response={202: ImportOut}, summary="上传导入文件 Upload a file to import")
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Annotated[str, param.Form(max_length=CODE_MAX)] = "persons",
    mode: Annotated[str, param.Form(max_length=CODE_MAX)] = "strict",
    region: Annotated[str | None, param.Form(max_length=CODE_MAX)] = None,
    target: Annotated[str | None, param.Form(max_length=CODE_MAX)] = None,
) -> Any:
    return _create(request, kind, mode, region, file, target)


@router.post("/imports", response={202: ImportOut}, summary="上传导入文件（无尾斜杠）", include_in_schema=False)
def import_upload_noslash(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Annotated[str, param.Form(max_length=CODE_MAX)] = "persons",
    mode: Annotated[str, param.Form(max_length=CODE_MAX)] = "strict",
    region: Annotated[str | None, param.Form(max_length=CODE_MAX)] = None,
    target: Annotated[str | None, param.Form(max_length=CODE_MAX)] = None,
) -> Any:
    return _create(request, kind, mode, region, file, target)


@router.get("/imports/", response=list[ImportOut], summary="导入作业列表 Import jobs in scope")
@paginate(PageNumber)
def import_list(request: HttpRequest) -> Any:
    qs = visible(ImportJob, request.user, "jobs.view").select_related("job").order_by("-created_at")
    return _Statuses(qs)


class _Statuses:
    """The paginator slices the queryset; only the page's records become status dicts."""

    def __init__(self, qs: Any):
        self.qs = qs

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [import_status(r) for r in self.qs[item]]


@router.get("/imports/{uuid:import_id}", response=ImportOut, summary="导入作业 Status, counts, first errors")
def import_detail(request: HttpRequest, import_id: uuid.UUID) -> Any:
    return import_status(get_visible(ImportJob.objects.select_related("job"), request.user, import_id, "jobs.view"))


@router.get("/imports/{uuid:import_id}/report", summary="导入报告 The row-by-row report (.xlsx)")
def import_report(request: HttpRequest, import_id: uuid.UUID) -> Any:
    record = get_visible(ImportJob, request.user, import_id, "jobs.view")
    response = HttpResponse(
        import_report_bytes(record),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="import-report-{record.pk}.xlsx"'
    return response
