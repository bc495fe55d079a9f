"""API of complaints: the handler's list and detail (scope ``complaints.handle``), the steps (受理, 办理记录, 答复,
办结) and the audited reveal of the contact; the public status check and reopening by tracking code (posted, never
in a URL; rate-limited per address). Complaints are filed through the public form (its spam checks), not the API."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from jineng.accounts.api import current_user, get_visible
from jineng.certificates.api import TooManyRequests, rate_limit_hit
from jineng.common.errors import NotFound
from jineng.common.middleware import client_address
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.complaints import selectors, services
from jineng.complaints.models import Complaint, Status
from jineng.complaints.rest import schemas as s

router = Router(tags=["complaints 投诉举报"])
public_router = Router(auth=None, tags=["public 公开"])
ComplaintPage = page_of(s.ComplaintOut)


def complaint_dict(c: Complaint) -> dict[str, Any]:
    return {
        "id": str(c.pk), "number": c.number, "region": c.region_id, "region_name": c.region.name,
        "object_kind": c.object_kind, "object_name": c.object_name,
        "organization_id": str(c.organization_id) if c.organization_id else None, "class_ref": c.class_ref,
        "category": c.category, "status": c.status, "status_label": str(Status(c.status).label),
        "received_on": c.received_on, "ack_due": c.ack_due, "answer_due": c.answer_due,
        **selectors.flags(c, timezone.localdate()), "reopened": c.reopened_at is not None, "anonymous": c.anonymous,
        "contact_name": c.name_masked, "contact_phone": c.phone_masked, "case": c.case_ref,
    }  # fmt: skip


def _detail(c: Complaint) -> dict[str, Any]:
    steps = [{"kind": st.kind, "text": st.text, "actor": st.actor_name, "at": st.at} for st in c.steps.all()]
    return {**complaint_dict(c), "content": c.content, "reply": c.reply, "reopen_reason": c.reopen_reason,
            "steps": steps}  # fmt: skip


def _get(request: HttpRequest, complaint_id: uuid.UUID) -> Complaint:
    found: Complaint = get_visible(Complaint.objects.select_related("region"), request.user, complaint_id,
                                   selectors.HANDLE)  # fmt: skip
    return found


@router.get("/complaints", response=ComplaintPage, summary="投诉举报 Complaints in scope")
def complaint_list(request: HttpRequest, paging: Query[Paging], status: str = "", overdue: str = "",
                   q: str = "") -> dict[str, Any]:  # fmt: skip
    qs = selectors.complaints_visible(request.user, status=status[:14], overdue=overdue[:8], q=q[:60])
    return page_items(qs, paging, complaint_dict)


@router.get("/complaints/{complaint_id}", response=s.ComplaintDetailOut, summary="投诉举报详情 A complaint")
def complaint_detail(request: HttpRequest, complaint_id: uuid.UUID) -> dict[str, Any]:
    return _detail(_get(request, complaint_id))


ACTIONS: dict[str, Callable[..., Complaint]] = {"acknowledge": services.complaint_acknowledge, "reply": services.complaint_reply,
           "close": services.complaint_close, "case": services.complaint_link_case,
           "open_case": services.complaint_open_case}  # fmt: skip


@router.post("/complaints/{complaint_id}/notes", response=s.ComplaintDetailOut, summary="办理记录 Add a note")
def complaint_note(request: HttpRequest, complaint_id: uuid.UUID, payload: s.ComplaintTextIn) -> dict[str, Any]:
    c = _get(request, complaint_id)
    services.complaint_note(actor=current_user(request), complaint=c, text=payload.text)
    return _detail(_get(request, complaint_id))


@router.post("/complaints/{complaint_id}/reveal", response=s.ComplaintRevealOut, summary="查看完整联系方式（记入审计）")
def complaint_reveal(request: HttpRequest, complaint_id: uuid.UUID, payload: s.ComplaintRevealIn) -> dict[str, Any]:
    c = _get(request, complaint_id)
    return {"value": services.complaint_reveal(actor=current_user(request), complaint=c, field=payload.field,
                                               reason=payload.reason)}  # fmt: skip


@router.post("/complaints/{complaint_id}/task", response=s.ComplaintDetailOut,
             summary="派出检查任务 An inspection task from the complaint's case")  # fmt: skip
def complaint_task(request: HttpRequest, complaint_id: uuid.UUID, payload: s.ComplaintTaskIn) -> dict[str, Any]:
    c = _get(request, complaint_id)
    services.complaint_open_task(actor=current_user(request), complaint=c, inspector_ids=payload.inspectors)
    return _detail(_get(request, complaint_id))


@router.post("/complaints/{complaint_id}/{action}", response=s.ComplaintDetailOut,
             summary="受理 / 答复 / 办结 / 关联监管线索 / 立案 acknowledge | reply | close | case | open_case")  # fmt: skip
def complaint_action(
    request: HttpRequest, complaint_id: uuid.UUID, action: str, payload: s.ComplaintTextIn
) -> dict[str, Any]:
    c = _get(request, complaint_id)
    if action not in ACTIONS:
        raise NotFound(_("没有这项操作（acknowledge、reply、close、case、open_case）。"))
    ACTIONS[action](actor=current_user(request), complaint=c, text=payload.text)
    return _detail(_get(request, complaint_id))


def _limit(request: HttpRequest) -> None:
    rate = str(getattr(settings, "JINENG_COMPLAINT_STATUS_RATE", "") or "30/minute")
    decision = rate_limit_hit("complaints.status", selectors.rate_key(client_address(request)), rate=rate)
    if not decision.allowed:
        raise TooManyRequests(decision.retry_after, decision.rate)


@public_router.post("/complaints/status", response=s.ComplaintStatusOut,
                    summary="投诉举报办理进度（凭查询码）Status by tracking code")  # fmt: skip
def public_complaint_status(request: HttpRequest, payload: s.ComplaintCodeIn) -> dict[str, Any]:
    _limit(request)
    return selectors.public_status(services.complaint_by_code(payload.code))


@public_router.post("/complaints/reopen", response=s.ComplaintStatusOut,
                    summary="申请重新办理（凭查询码，一次）Reopen once by tracking code")  # fmt: skip
def public_complaint_reopen(request: HttpRequest, payload: s.ComplaintReopenIn) -> dict[str, Any]:
    _limit(request)
    return selectors.public_status(services.complaint_reopen(code=payload.code, reason=payload.reason))
