"""API over the kernel's tables: the audit trail, jobs, attachments, per-region settings and the calendar."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params import functions as param
from pydantic import BeforeValidator, Field

from jineng.accounts.api import (
    XLSX_TYPE,
    Organization,
    export_file,
    get_visible,
    list_export,
    require,
    visible,
)
from jineng.common.attachments.services import KINDS, attachment_open, attachment_store
from jineng.common.audit.events import object_type_spellings
from jineng.common.errors import DomainError, FieldError, NotFound, PermissionDenied, ValidationFailed
from jineng.common.jobs.models import Job
from jineng.common.jobs.services import job_create, job_kinds, job_queue_permission
from jineng.common.listing import list_params, list_spec
from jineng.common.models import AuditEntry
from jineng.common.rest.pagination import PageNumber
from jineng.common.rest.schemas import InputSchema
from jineng.common.rest.types import CODE_MAX, INT_MAX, BoundedDate, Workdays, blank_is_none
from jineng.refdata.api import (
    RegionSetting,
    add_workdays,
    is_workday,
    region_validate,
    setting_edit_permission,
    setting_set,
    setting_value,
)
from jineng.refdata.settings_registry import SPECS
from jineng.web.attachment_access import attachment_readable, attachments_readable

router = Router()


class AuditOut(Schema):
    id: uuid.UUID
    seq: int
    at: dt.datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    region_code: str
    before: Any = None
    after: Any = None
    reason: str
    address: str


@router.get("/audit", response=list[AuditOut], tags=["audit 审计"], summary="审计日志 Audit entries in scope")
@paginate(PageNumber)
def audit_list(
    request: HttpRequest, object_type: str | None = None, object_id: str | None = None, action: str | None = None
) -> Any:
    require(request.user, "audit.view")
    qs = visible(AuditEntry, request.user, "audit.view")
    if object_type:
        qs = qs.filter(object_type__in=object_type_spellings(object_type))
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-seq")


@router.get("/audit/{entry_id}", response=AuditOut, tags=["audit 审计"], summary="审计条目 One audit entry")
def audit_detail(request: HttpRequest, entry_id: uuid.UUID) -> Any:
    return get_visible(AuditEntry, request.user, entry_id, "audit.view")


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    progress_done: int
    progress_total: int | None
    percent: int | None
    result: Any = None
    error: str
    region_code: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class JobIn(InputSchema):
    kind: str
    params: dict[str, Any] = {}


@router.get("/jobs", response=list[JobOut], tags=["jobs 作业"], summary="作业列表 Jobs in scope")
@paginate(PageNumber)
def job_list(request: HttpRequest, status: str | None = None) -> Any:
    qs = visible(Job, request.user, "jobs.view")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


@router.get(
    "/exports/{list_name}",
    response={202: JobOut},
    tags=["exports 导出"],
    summary="导出列表 A list as xlsx (masked, in scope, audited; large ones as a job)",
    openapi_extra={"responses": {200: {"description": "the xlsx file", "content": {XLSX_TYPE: {}}}}},
)
def list_export_view(request: HttpRequest, list_name: str, sort: str = "", reveal_reason: str = "") -> Any:
    """The rows of a main list as its page shows them: the list's own filters as query parameters (the same names as
    on the page, e.g. ``name``, ``region``, ``group`` for ``registry.persons``), ``sort`` = a sortable key, or ``-key``
    for descending (anything else: the default order). Personal data is masked; ``reveal_reason`` asks for the full
    ID numbers and phones (needs ``registry.reveal``; recorded). Up to ``export.async_rows`` rows (per-region
    setting, default 5,000) the answer is the file; above it 202 with the export job — its result is downloaded from
    ``/jobs/{id}/download`` by the same user. Lists:"""
    spec = list_spec(list_name)
    if spec is None or not spec.columns:
        raise NotFound("没有这个可导出的列表。")
    outcome = list_export(actor=request.user, spec=spec, params=list_params(spec, request.GET), sort=sort,
                          reveal_reason=reveal_reason)  # fmt: skip
    if outcome.job is not None:
        return Status(202, outcome.job)
    response = HttpResponse(outcome.content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(outcome.filename)}"
    return response


@router.get("/jobs/{job_id}/download", tags=["jobs 作业"], summary="导出文件 The file of a finished export job")
def job_download(request: HttpRequest, job_id: uuid.UUID) -> Any:
    job = get_visible(Job, request.user, job_id, "jobs.view")
    stream, filename = export_file(actor=request.user, job=job)
    response = FileResponse(stream, content_type=XLSX_TYPE, as_attachment=True, filename=filename)
    return response


@router.get("/jobs/{job_id}", response=JobOut, tags=["jobs 作业"], summary="作业详情 A job's status and result")
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> Any:
    return get_visible(Job, request.user, job_id, "jobs.view")


@router.post("/jobs", response={202: JobOut}, tags=["jobs 作业"], summary="提交作业 Queue a maintenance job")
def job_submit(request: HttpRequest, payload: JobIn) -> Any:
    # Each kind names the function that may queue it by hand; kinds queued only by their own workflow (an import's
    # rows, a schedule) are refused — any job viewer (a provider's staff too) could queue them before.
    if payload.kind not in job_kinds():
        raise DomainError(code="unknown_job_kind", message=f"未知的作业类型：{payload.kind}", status=422)
    permission = job_queue_permission(payload.kind)
    if permission is None:
        raise PermissionDenied()
    require(request.user, permission)  # the kind's own function: the audit administrator queues audit jobs
    return Status(202, job_create(kind=payload.kind, actor=request.user, params=payload.params))


class AttachmentOut(Schema):
    id: uuid.UUID
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    region_code: str
    organization_id: uuid.UUID | None
    retain_until: dt.date
    created_at: dt.datetime


@router.get(
    "/attachments", response=list[AttachmentOut], tags=["attachments 附件"], summary="附件列表 Attachments in scope"
)
@paginate(PageNumber)
def attachment_list(request: HttpRequest, kind: str | None = None) -> Any:
    qs = attachments_readable(request.user).filter(status="active")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at")


@router.get(
    "/attachments/{att_id}", response=AttachmentOut, tags=["attachments 附件"], summary="附件详情 An attachment"
)
def attachment_detail(request: HttpRequest, att_id: uuid.UUID) -> Any:
    return get_visible(attachments_readable(request.user), request.user, att_id, "attachments.view")


@router.get("/attachments/{att_id}/download", tags=["attachments 附件"], summary="下载附件 Download an attachment")
def attachment_download(request: HttpRequest, att_id: uuid.UUID) -> Any:
    att = attachment_readable(request.user, att_id)
    response = FileResponse(
        attachment_open(actor=request.user, attachment=att),
        content_type=att.content_type,
        as_attachment=True,
        filename=att.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/attachments", response={201: AttachmentOut}, tags=["attachments 附件"], summary="上传附件 Upload an attachment"
)
def attachment_upload(
    request: HttpRequest,
    kind: Annotated[str, param.Form(max_length=CODE_MAX)],
    file: File[UploadedFile],
    region: Annotated[str, param.Form(max_length=CODE_MAX)] = "",
    organization: Annotated[uuid.UUID | None, BeforeValidator(blank_is_none), param.Form(None)] = None,
) -> Any:
    """An official uploads for a region; an organization's staff upload for their organization, and the file is
    attributed to the organization's region."""
    org_id = None
    if organization is not None:
        org = get_visible(Organization, request.user, organization, "attachments.upload")
        try:
            require(request.user, "attachments.upload", organization_id=org.pk)
        except PermissionDenied:
            require(request.user, "attachments.upload", region_code=org.region_id)
        region_code, org_id = org.region_id, org.pk
    elif region:
        region_code = region_validate(region).code
        require(request.user, "attachments.upload", region_code=region_code)
    else:
        raise ValidationFailed(
            "请指定行政区划或所属组织。", [FieldError("region", "required", "请指定行政区划代码或所属组织。")]
        )
    att = attachment_store(
        actor=request.user,
        kind=kind,
        filename=file.name or "upload",
        content_type=file.content_type or "application/octet-stream",
        stream=file,
        region_code=region_code,
        organization_id=org_id,
    )
    return Status(201, att)


class AttachmentKindOut(Schema):
    code: str
    label: str
    content_types: list[str]
    max_bytes: int
    retain_years: int


@router.get(
    "/attachment-kinds",
    response=list[AttachmentKindOut],
    tags=["attachments 附件"],
    summary="附件类型 Attachment kinds",
)
def attachment_kinds(request: HttpRequest) -> Any:
    return [vars(k) | {"content_types": list(k.content_types)} for k in KINDS.values()]


class SettingValueOut(Schema):
    key: str
    label: str
    unit: str
    value: Any
    default: Any


@router.get(
    "/settings",
    response=list[SettingValueOut],
    tags=["settings 参数"],
    summary="地区参数 Settings in force for a region",
)
def settings_effective(request: HttpRequest, region: str, on: dt.date | None = None) -> Any:
    code = region_validate(region).code
    require(request.user, "settings.view", region_code=code)
    day = on or timezone.localdate()
    return [
        {"key": s.key, "label": s.label, "unit": s.unit, "value": setting_value(s.key, code, day), "default": s.default}
        for s in SPECS.values()
    ]


class SettingRecordOut(Schema):
    id: int
    key: str
    region: str
    value: Any
    valid_from: dt.date
    valid_to: dt.date | None
    reason: str

    @staticmethod
    def resolve_region(obj: RegionSetting) -> str:
        return obj.region_id


class SettingIn(InputSchema):
    key: str
    region: str
    value: Any
    valid_from: dt.date
    valid_to: dt.date | None = None
    reason: str


@router.get(
    "/settings/versions",
    response=list[SettingRecordOut],
    tags=["settings 参数"],
    summary="参数版本 Setting versions in scope",
)
@paginate(PageNumber)
def setting_versions(request: HttpRequest, key: str | None = None) -> Any:
    qs = visible(RegionSetting, request.user, "settings.view")
    if key:
        qs = qs.filter(key=key)
    return qs.order_by("key", "region_id", "-valid_from")


@router.get(
    "/settings/versions/{setting_id}", response=SettingRecordOut, tags=["settings 参数"], summary="参数版本详情"
)
def setting_version_detail(request: HttpRequest, setting_id: Annotated[int, Field(ge=1, le=INT_MAX)]) -> Any:
    return get_visible(RegionSetting, request.user, setting_id, "settings.view")


@router.post(
    "/settings", response={201: SettingRecordOut}, tags=["settings 参数"], summary="设置参数 Set a value from a date"
)
def settings_set(request: HttpRequest, payload: SettingIn) -> Any:
    if payload.key not in SPECS:  # a 422 on the field, not a 404 for the whole request
        raise ValidationFailed("参数不正确。", [FieldError("key", "unknown_setting", f"未知的参数：{payload.key}")])
    code = region_validate(payload.region).code
    require(request.user, setting_edit_permission(payload.key), region_code=code)
    record = setting_set(
        actor=request.user,
        key=payload.key,
        region_code=code,
        value=payload.value,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        reason=payload.reason,
    )
    return Status(201, record)


class WorkdayOut(Schema):
    region: str
    start: dt.date
    workdays: int
    due: dt.date
    start_is_workday: bool


@router.get(
    "/calendar/due",
    response=WorkdayOut,
    auth=None,
    tags=["settings 参数"],
    summary="工作日计算 Date N working days after a start",
)
def calendar_due(request: HttpRequest, region: str, start: BoundedDate, workdays: Workdays) -> Any:
    code = region_validate(region).code
    if workdays < 0 or workdays > 366:
        raise ValidationFailed(
            "工作日数须在 0–366 之间。", [FieldError("workdays", "out_of_range", "工作日数须在 0–366 之间。")]
        )
    return {
        "region": code,
        "start": start,
        "workdays": workdays,
        "due": add_workdays(start, workdays, code),
        "start_is_workday": is_workday(start, code),
    }
