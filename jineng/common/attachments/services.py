"""Storing attachments: a closed set of kinds, each with allowed types, a size limit and a retention period."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jineng.common.attachments.models import Attachment
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, ValidationFailed
from jineng.common.events import Event

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MAGIC = {
    PDF: [b"%PDF-"],
    JPEG: [b"\xff\xd8\xff"],
    PNG: [b"\x89PNG\r\n\x1a\n"],
    XLSX: [b"PK\x03\x04"],
    DOCX: [b"PK\x03\x04"],
}


@dataclass(frozen=True)
class AttachmentKind:
    code: str
    label: str
    content_types: tuple[str, ...]
    max_bytes: int
    retain_years: int
    # The permission a reader needs (over the attachment's region) besides ``attachments.view``; "" for none.
    reader_permission: str = ""


MB = 1024 * 1024
KINDS: dict[str, AttachmentKind] = {
    k.code: k
    for k in [
        AttachmentKind("teaching_plan", "教学计划", (PDF, DOCX), 20 * MB, 5),
        AttachmentKind("assessment_plan", "考核方案", (PDF, DOCX), 20 * MB, 10),
        AttachmentKind("pledge", "承诺书", (PDF, JPEG, PNG), 10 * MB, 10),
        AttachmentKind("invoice", "发票", (PDF, JPEG, PNG), 10 * MB, 10),
        AttachmentKind("contract", "合同", (PDF,), 20 * MB, 10),
        AttachmentKind("photo", "照片", (JPEG, PNG), 5 * MB, 5),
        AttachmentKind("spreadsheet", "表格", (XLSX, CSV), 50 * MB, 5),
        AttachmentKind("evidence", "证明材料", (PDF, JPEG, PNG), 20 * MB, 10),
        # 投诉举报材料: what a member of the public attaches to a complaint (jineng.complaints): smaller, images or PDF.
        # Read by the complaint's handler only (jineng/web/attachment_access.py).
        AttachmentKind("complaint", "投诉举报材料", (PDF, JPEG, PNG), 5 * MB, 5, reader_permission="complaints.handle"),
    ]
}


# 证明材料 — the kinds a workflow accepts as evidence (class application, claim, roster change): ID scans and other
# proofs ("evidence"), contracts, invoices, photos. Their types and limits are those of ``KINDS``.
EVIDENCE_KINDS = ("evidence", "contract", "invoice", "photo")


def attachments_about(object_type: str, object_ids: Iterable[Any]) -> QuerySet[Attachment]:
    """The active attachments filed about these objects, oldest first."""
    ids = [str(i) for i in object_ids]
    return Attachment.objects.filter(object_type=object_type, object_id__in=ids, status="active").order_by("created_at")


def retention_until(stored_on: date, years: int) -> date:
    """The day the retention period ends: the same calendar day ``years`` later, never earlier (保存期限).

    29 February, in a year without one, becomes 1 March so that the period is never cut short.
    """
    try:
        return stored_on.replace(year=stored_on.year + years)
    except ValueError:
        return date(stored_on.year + years, 3, 1)


def attachment_store(
    *,
    actor: Any,
    kind: str,
    filename: str,
    content_type: str,
    stream: IO[bytes],
    region_code: str,
    organization_id: Any = None,
    object_type: str = "",
    object_id: str = "",
) -> Attachment:
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationFailed("附件类型不正确。", [FieldError("kind", "unknown_kind", f"未知的附件类型：{kind}")])
    data = stream.read(spec.max_bytes + 1)
    if len(data) > spec.max_bytes:
        raise ValidationFailed(
            "附件过大。",
            [FieldError("file", "too_large", f"{spec.label}不得超过 {spec.max_bytes // MB} MB。")],
        )
    if not data:
        raise ValidationFailed("附件为空。", [FieldError("file", "empty", "文件为空。")])
    if content_type not in spec.content_types:
        raise ValidationFailed(
            "附件格式不正确。",
            [FieldError("file", "type_not_allowed", f"{spec.label}只接受：{', '.join(spec.content_types)}。")],
        )
    magics = MAGIC.get(content_type)
    if magics and not any(data.startswith(m) for m in magics):
        raise ValidationFailed(
            "附件内容与类型不符。", [FieldError("file", "content_mismatch", "文件内容与声明的格式不符。")]
        )
    retain_until = retention_until(timezone.localdate(), spec.retain_years)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        att = Attachment(
            kind=kind,
            filename=filename[:255],
            content_type=content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=actor,
            region_code=region_code,
            organization_id=organization_id,
            object_type=object_type,
            object_id=object_id,
            retain_until=retain_until,
        )
        att.file.save(f"{att.id}", ContentFile(data), save=False)
        att.save(force_insert=True)
        audit_event(
            Event.ATTACHMENT_CREATE,
            actor=actor,
            object_id=att.id,
            region_code=region_code,
            after={
                "kind": kind,
                "filename": att.filename,
                "size": att.size,
                "sha256": digest,
                "object_type": object_type,
                "object_id": object_id,
            },  # fmt: skip
        )
    return att


def active_attachments() -> QuerySet[Attachment]:
    """Attachments that may still be downloaded (not expired or shredded by retention)."""
    return Attachment.objects.filter(status="active")


def attachment_open(*, actor: Any, attachment: Attachment) -> IO[bytes]:
    """The decrypted file of an attachment the caller was allowed to see, opened for reading; every download (page
    or API) is audited here (``attachment.download``) — the API's downloads went unrecorded."""
    audit_event(Event.ATTACHMENT_DOWNLOAD, actor=actor, object_id=attachment.pk,
                region_code=attachment.region_code, after={"kind": attachment.kind, "about": attachment.object_type})  # fmt: skip
    return attachment.file.open("rb")  # type: ignore[no-any-return]


def attachments_shred(
    *, ids: list[Any] | None = None, object_type: str = "", object_ids: list[str] | None = None
) -> int:
    """Delete the stored files of attachments (by id, or about these objects) for a deletion owed under PIPL:
    the rows stay (``status`` ``shredded``, filename cleared), the files go from storage after commit."""
    from django.db.models import Q

    query = Q(pk__in=list(ids or []))
    if object_type and object_ids:
        query |= Q(object_type=object_type, object_id__in=object_ids)
    count = 0
    for att in Attachment.objects.select_for_update().filter(query).exclude(status="shredded"):
        name, storage = att.file.name, att.file.storage
        Attachment.objects.filter(pk=att.pk).update(
            status="shredded", status_reason="个人信息已删除", filename="已删除", file=""
        )
        if name:
            transaction.on_commit(partial(storage.delete, name))
        count += 1
    return count
