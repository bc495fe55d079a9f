"""更正申请 (PIPL 第46条) — a person asks for a record about them to be corrected; the request goes to the region that
owns the record (an archive entry's region: the class's county, the claim's region …; the basic data: the residence
county), whose official answers it: corrected, or declined with the reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, principal_for, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import InvalidState, PermissionDenied, invalid
from jineng.refdata.api import region_validate
from jineng.registry.events import Event
from jineng.registry.models import CorrectionRequest, CorrectionStatus, Person

TEXT_MIN, TEXT_MAX = 5, 1000
ANSWER_MIN, ANSWER_MAX = 2, 1000


def correction_request_create(
    *, actor: Actor, person: Person, region_code: str, about: str, text: str, source: str = "", ref: str = ""
) -> CorrectionRequest:
    if str(principal_for(actor).person_id or "") != str(person.pk):
        raise PermissionDenied("只能为本人的记录申请更正。")
    text = (text or "").strip()
    if len(text) < TEXT_MIN:
        raise invalid(field="text", code="too_short", message=f"请写明需要更正的内容（至少 {TEXT_MIN} 字）。")
    if len(text) > TEXT_MAX:
        raise invalid(field="text", code="too_long", message=f"更正内容不能超过 {TEXT_MAX} 字。")
    about = " ".join((about or "").split())[:300]
    if not about:
        raise invalid(field="about", code="required", message="请选择需要更正的记录。")
    region = region_validate(region_code, field="about")
    with transaction.atomic():
        req = CorrectionRequest.objects.create(person=person, region=region, about=about, text=text,
                                               source=(source or "")[:40], ref=(ref or "")[:64])  # fmt: skip
        audit_event(Event.CORRECTION_REQUEST, actor=actor, object_id=req.pk, region_code=region.code,
                    after={"about": about, "source": req.source, "ref": req.ref})  # fmt: skip
    return req


def correction_answer(
    *, actor: Actor, correction: CorrectionRequest, corrected: bool, answer: str
) -> CorrectionRequest:
    """The owning region's official answers: 已更正 (after correcting the record where it is kept) or 不予更正."""
    require(actor, "registry.edit", region_code=correction.region_id)
    answer = (answer or "").strip()
    if len(answer) < ANSWER_MIN:
        raise invalid(field="answer", code="required", message="请填写处理意见。")
    if len(answer) > ANSWER_MAX:
        raise invalid(field="answer", code="too_long", message=f"处理意见不能超过 {ANSWER_MAX} 字。")
    with transaction.atomic():
        locked: CorrectionRequest = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if locked.status != CorrectionStatus.OPEN:
            raise InvalidState(f"该更正申请已是“{locked.get_status_display()}”。", code="correction_answered")
        locked.status = CorrectionStatus.CORRECTED if corrected else CorrectionStatus.DECLINED
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.answered_by = actor_user(actor)
        locked.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
        audit_event(Event.CORRECTION_ANSWER, actor=actor, object_id=locked.pk, region_code=locked.region_id,
                    after={"status": locked.status})  # fmt: skip
    return locked


def corrections_of(person_id: Any) -> Any:
    return CorrectionRequest.objects.filter(person_id=person_id).select_related("region").order_by("-created_at")
