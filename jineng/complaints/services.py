"""Every write of complaints: the public's submission and reopening (by tracking code), and the handler's steps
(受理, 办理记录, 答复, 办结), the reveal of the complainant's contact.

A complaint is routed to the region owning its object: the listed organization's region, else the region the
complainant named. Its deadlines are the region's settings (``complaints.ack_workdays``,
``complaints.answer_workdays``) counted in working days on the region's calendar. The tracking code is drawn at
random (60 bits, Crockford base 32, typed as ``XXXX-XXXX-XXXX``); only its keyed hash is stored, so the code is
shown once and nobody — not the handler either — can read it back from the database.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jineng.accounts.api import PERMISSIONS, Actor, Grant, Organization, actor_user, require
from jineng.common.attachments.services import attachment_store
from jineng.common.audit.services import audit_event
from jineng.common.crypto import blind_index, decrypt, encrypt
from jineng.common.errors import InvalidState, NotFound, PermissionDenied, invalid
from jineng.common.masking import mask_name, mask_phone
from jineng.common.serials import serial_reserve
from jineng.complaints.errors import Code
from jineng.complaints.events import Event, Object
from jineng.complaints.models import (
    CODE_CONTEXT,
    CONTACT_CONTEXT,
    OPEN_STATUSES,
    Category,
    Complaint,
    ComplaintCounter,
    ComplaintStep,
    ObjectKind,
    Status,
    StepKind,
)
from jineng.complaints.settings_specs import ACK_WORKDAYS, ANSWER_WORKDAYS
from jineng.refdata.api import COUNTRY_CODE, Region, add_workdays, region_validate, setting_value
from jineng.rules.contact import normalize_phone

HANDLE = "complaints.handle"
REVEAL = "registry.reveal"
CONTENT_MAX = 2000
TEXT_MAX = 2000
NAME_MAX = 40
OBJECT_MAX = 200
CLASS_MAX = 60
MAX_FILES = 3
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
CODE_LENGTH = 12
ORG_KINDS = {ObjectKind.PROVIDER: "provider", ObjectKind.TRAINING_CLASS: "provider", ObjectKind.EVALUATOR: "evaluator"}
# Characters that show as nothing but are not Unicode whitespace (str.split/strip keep them): the Hangul fillers and
# the blank Braille pattern. Format characters (category Cf: zero-width space and joiners, BOM, soft hyphen, the
# bidirectional marks) are dropped as well.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible_text(text: str) -> str:
    """The text without its invisible characters (format characters, fillers) and outer whitespace: what the length
    checks count, and what is stored. Text of only such characters is empty."""
    kept = "".join(ch for ch in (text or "") if ch not in INVISIBLE and unicodedata.category(ch) != "Cf")
    return kept.strip()


def one_line(text: str) -> str:
    """``visible_text`` with inner whitespace runs as one space (names, references)."""
    return " ".join(visible_text(text).split())


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    stream: IO[bytes]


@dataclass
class ComplaintIn:
    object_kind: str
    object_name: str
    category: str
    content: str
    region: str = ""
    class_ref: str = ""
    anonymous: bool = True
    name: str = ""
    phone: str = ""
    files: list[Upload] = field(default_factory=list)


# ---- the tracking code -----------------------------------------------------------------------------------------


def code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_normalize(text: str) -> str:
    """What a person typed, as the code's 12 characters: case, spaces and hyphens ignored; O read as 0, I and L as
    1 (Crockford). Empty when it cannot be a code."""
    raw = "".join((text or "")[:40].upper().split()).replace("-", "")
    raw = raw.translate(str.maketrans("OIL", "011"))
    return raw if len(raw) == CODE_LENGTH and all(c in ALPHABET for c in raw) else ""


def code_hash(code: str) -> str:
    return blind_index(code_normalize(code), context=CODE_CONTEXT)


def complaint_by_code(code: str) -> Complaint:
    """The complaint of a tracking code; ``bad_code`` (404) for a malformed or unknown code alike."""
    raw = code_normalize(code)
    found: Complaint | None = (
        Complaint.objects.filter(code_hash=blind_index(raw, context=CODE_CONTEXT)).first() if raw else None
    )
    if found is None:
        raise NotFound(_("查询码不正确，请核对后重新输入（12 位字母数字，如 ABCD-1234-WXYZ）。"), code=Code.BAD_CODE)
    return found


# ---- routing and deadlines -------------------------------------------------------------------------------------


def deadline(key: str, region: str, start: dt.date) -> dt.date:
    return add_workdays(start, int(setting_value(key, region, start)), region)


def _match_organization(kind: str, name: str) -> Organization | None:
    """The listed organization the name names (exactly, once), of the kind the object is; else None."""
    org_kind = ORG_KINDS.get(ObjectKind(kind))
    if not org_kind or not name:
        return None
    found = list(Organization.objects.filter(kind=org_kind, name=name)[:2])
    return found[0] if len(found) == 1 else None


def handled_provinces() -> set[str]:
    """The provinces this deployment serves: those of the regions (below the country) where an official holding
    ``complaints.handle`` has an active grant. A complaint elsewhere would reach nobody."""
    functions = [f for f, perms in PERMISSIONS.items() if HANDLE in perms]
    now = timezone.now()
    codes = (Grant.objects.filter(function__in=functions, region__isnull=False, revoked_at__isnull=True,
                                  valid_from__lte=now)
             .exclude(valid_until__lt=now).exclude(region_id=COUNTRY_CODE)
             .values_list("region_id", flat=True).distinct())  # fmt: skip
    return {f"{code[:2]}0000" for code in codes}


def _require_handled(region: str) -> None:
    provinces = handled_provinces()
    if f"{region[:2]}0000" not in provinces:
        names = "、".join(Region.objects.filter(code__in=provinces).order_by("code").values_list("name", flat=True))
        message = _("本平台只受理%(regions)s的投诉举报；该地区（%(region)s）请向当地人社部门反映。")
        raise invalid(field="region", code=Code.REGION_OUTSIDE,
                      message=message % {"regions": names or _("本省"), "region": region})  # fmt: skip


def _validate(data: ComplaintIn) -> tuple[str, Organization | None, str, str]:
    """(content, organization, region code, phone) — or the first field that is wrong."""
    if data.object_kind not in ObjectKind.values:
        raise invalid(field="object_kind", code=Code.BAD_CHOICE, message=_("请选择投诉举报的对象类别。"))
    if data.category not in Category.values:
        raise invalid(field="category", code=Code.BAD_CHOICE, message=_("请选择问题类别。"))
    name = one_line(data.object_name)
    if not name:
        raise invalid(field="object_name", code=Code.OBJECT_REQUIRED, message=_("请填写被投诉举报的机构或班级名称。"))
    if len(name) > OBJECT_MAX:
        raise invalid(
            field="object_name",
            code=Code.CONTENT_TOO_LONG,
            message=_("对象名称不能超过 %(n)s 字。") % {"n": OBJECT_MAX},
        )
    if len(one_line(data.class_ref)) > CLASS_MAX:
        raise invalid(
            field="class_ref",
            code=Code.CONTENT_TOO_LONG,
            message=_("班级编号或名称不能超过 %(n)s 字。") % {"n": CLASS_MAX},
        )
    content = visible_text(data.content)
    if not content:
        raise invalid(field="content", code=Code.CONTENT_REQUIRED, message=_("请填写投诉举报的内容（发生了什么）。"))
    if len(content) > CONTENT_MAX:
        raise invalid(field="content", code=Code.CONTENT_TOO_LONG,
                      message=_("内容不能超过 %(n)s 字（现有 %(len)s 字）。") % {"n": CONTENT_MAX, "len": len(content)})  # fmt: skip
    org = _match_organization(data.object_kind, name)
    region = org.region_id if org is not None else (data.region or "").strip()
    if not region:
        raise invalid(field="region", code=Code.REGION_REQUIRED,
                      message=_("未在目录中找到该名称，请选择对象所在的地区（区县）。"))  # fmt: skip
    region = region_validate(region).code
    _require_handled(region)
    phone = ""
    if not data.anonymous:
        if not one_line(data.name) and not (data.phone or "").strip():
            raise invalid(
                field="phone", code=Code.CONTACT_REQUIRED, message=_("实名投诉请留下姓名或联系电话，或选择匿名。")
            )
        if len(one_line(data.name)) > NAME_MAX:
            raise invalid(
                field="name", code=Code.CONTENT_TOO_LONG, message=_("姓名不能超过 %(n)s 字。") % {"n": NAME_MAX}
            )
        normalized = normalize_phone((data.phone or "")[:40])
        if not isinstance(normalized, str):
            raise invalid(field="phone", code=Code.BAD_PHONE, message=normalized.message)
        phone = normalized
    if len(data.files) > MAX_FILES:
        raise invalid(field="files", code=Code.TOO_MANY_FILES, message=_("附件最多 %(n)s 个。") % {"n": MAX_FILES})
    return content, org, region, phone


# ---- the public's writes ---------------------------------------------------------------------------------------


def complaint_submit(*, data: ComplaintIn) -> tuple[Complaint, str]:
    """投诉举报 — record a complaint from the public; returns it and its tracking code (shown once)."""
    content, org, region, phone = _validate(data)
    today = timezone.localdate()
    name = "" if data.anonymous else one_line(data.name)
    code = code_new()
    stored: list[Any] = []
    try:
        complaint = _submit_rows(data, content, org, region, phone, name, code, today, stored)
    except Exception:
        # The rows are rolled back; the files written for them go too (a file store is not transactional).
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return complaint, code


def _submit_rows(data: ComplaintIn, content: str, org: Organization | None, region: str, phone: str, name: str,
                 code: str, today: dt.date, stored: list[Any]) -> Complaint:  # fmt: skip
    with transaction.atomic():
        year = today.year
        number = f"TS{year}{serial_reserve(ComplaintCounter, year=year):06d}"
        complaint = Complaint.objects.create(
            number=number, code_hash=code_hash(code), region_id=region, object_kind=data.object_kind,
            organization=org, object_name=one_line(data.object_name), class_ref=one_line(data.class_ref),
            category=data.category, content=content, anonymous=data.anonymous,
            name_enc=encrypt(name, context=CONTACT_CONTEXT) if name else "", name_masked=mask_name(name),
            phone_enc=encrypt(phone, context=CONTACT_CONTEXT) if phone else "", phone_masked=mask_phone(phone),
            received_on=today, ack_due=deadline(ACK_WORKDAYS, region, today),
            answer_due=deadline(ANSWER_WORKDAYS, region, today),
        )  # fmt: skip
        for upload in data.files:
            stored.append(attachment_store(actor=None, kind="complaint", filename=upload.filename[:255],
                             content_type=upload.content_type, stream=upload.stream, region_code=region,
                             object_type=Object.COMPLAINT.value, object_id=str(complaint.pk)))  # fmt: skip
        _step(complaint, StepKind.RECEIVE, None, "")
        audit_event(Event.COMPLAINT_RECEIVE, actor=None, object_id=complaint.pk, region_code=region,
                    after={"number": number, "object_kind": data.object_kind, "anonymous": data.anonymous,
                           "files": len(data.files)})  # fmt: skip
    return complaint


def complaint_reopen(*, code: str, reason: str) -> Complaint:
    """重新办理 — the complainant, with the code, asks once for the complaint to be handled again after its answer."""
    reason = visible_text(reason)
    if not reason:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("请说明对答复不满意的理由。"))
    if len(reason) > TEXT_MAX:
        raise invalid(
            field="reason", code=Code.CONTENT_TOO_LONG, message=_("理由不能超过 %(n)s 字。") % {"n": TEXT_MAX}
        )
    with transaction.atomic():
        complaint: Complaint = Complaint.objects.select_for_update().get(pk=complaint_by_code(code).pk)
        if complaint.reopened_at is not None:
            raise InvalidState(_("该投诉举报已重新办理过一次，不能再次申请。"), code=Code.REOPEN_USED)
        if complaint.status not in (Status.ANSWERED, Status.CLOSED):
            raise InvalidState(_("答复之后才能申请重新办理。"), code=Code.NOT_ANSWERED)
        today = timezone.localdate()
        complaint.status = Status.ACKNOWLEDGED
        complaint.reopened_at, complaint.reopen_reason = timezone.now(), reason
        complaint.answer_due = deadline(ANSWER_WORKDAYS, complaint.region_id, today)
        complaint.closed_at = None
        complaint.save()
        _step(complaint, StepKind.REOPEN, None, reason)
        audit_event(Event.COMPLAINT_REOPEN, actor=None, object_id=complaint.pk, region_code=complaint.region_id,
                    after={"answer_due": complaint.answer_due.isoformat()})  # fmt: skip
    return complaint


# ---- the handler's writes --------------------------------------------------------------------------------------


def _step(complaint: Complaint, kind: str, actor: Actor | None, text: str) -> ComplaintStep:
    user = actor_user(actor) if actor is not None else None
    name = (getattr(user, "display_name", "") or getattr(user, "username", "")) if user else "投诉举报人"
    return ComplaintStep.objects.create(complaint=complaint, kind=kind, text=text, actor=user, actor_name=name[:150],
                                        at=timezone.now())  # fmt: skip


def _text(text: str, *, required: bool, what: str) -> str:
    text = visible_text(text)
    if required and not text:
        raise invalid(field="text", code=Code.TEXT_REQUIRED, message=_("请填写%(what)s。") % {"what": what})
    if len(text) > TEXT_MAX:
        raise invalid(
            field="text",
            code=Code.CONTENT_TOO_LONG,
            message=_("%(what)s不能超过 %(n)s 字。") % {"what": what, "n": TEXT_MAX},
        )
    return text


def _locked(actor: Actor, complaint: Complaint) -> Complaint:
    locked: Complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    require(actor, HANDLE, region_code=locked.region_id)
    return locked


def complaint_acknowledge(*, actor: Actor, complaint: Complaint, text: str = "") -> Complaint:
    """受理 — the handler takes the complaint up (and becomes its 承办人)."""
    text = _text(text, required=False, what=_("受理意见"))
    with transaction.atomic():
        c = _locked(actor, complaint)
        if c.status != Status.RECEIVED:
            raise InvalidState(_("只有「已收到」的投诉举报可以受理。"), code=Code.COMPLAINT_STATE)
        c.status, c.acknowledged_at, c.handler = Status.ACKNOWLEDGED, timezone.now(), actor_user(actor)
        c.save()
        _step(c, StepKind.ACKNOWLEDGE, actor, text)
        audit_event(Event.COMPLAINT_ACKNOWLEDGE, actor=actor, object_id=c.pk, region_code=c.region_id)
    return c


def complaint_note(*, actor: Actor, complaint: Complaint, text: str) -> ComplaintStep:
    """办理记录 — an internal note (a call made, a visit, what was found); never shown to the complainant."""
    text = _text(text, required=True, what=_("办理记录"))
    with transaction.atomic():
        c = _locked(actor, complaint)
        if c.status == Status.CLOSED:
            raise InvalidState(_("已办结的投诉举报不能再添加办理记录。"), code=Code.COMPLAINT_STATE)
        step = _step(c, StepKind.NOTE, actor, text)
        audit_event(Event.COMPLAINT_NOTE, actor=actor, object_id=c.pk, region_code=c.region_id)
    return step


def complaint_reply(*, actor: Actor, complaint: Complaint, text: str) -> Complaint:
    """答复 — the answer the complainant reads with the code. A complaint not yet acknowledged is acknowledged too."""
    text = _text(text, required=True, what=_("答复意见"))
    with transaction.atomic():
        c = _locked(actor, complaint)
        if c.status not in OPEN_STATUSES:
            raise InvalidState(_("该投诉举报已答复或已办结。"), code=Code.COMPLAINT_STATE)
        now = timezone.now()
        if c.status == Status.RECEIVED:
            c.acknowledged_at = now
            _step(c, StepKind.ACKNOWLEDGE, actor, "")
        c.status, c.reply, c.answered_at = Status.ANSWERED, text, now
        c.handler = c.handler or actor_user(actor)
        c.save()
        _step(c, StepKind.REPLY, actor, text)
        audit_event(Event.COMPLAINT_REPLY, actor=actor, object_id=c.pk, region_code=c.region_id,
                    after={"late": timezone.localdate() > c.answer_due})  # fmt: skip
    return c


def complaint_close(*, actor: Actor, complaint: Complaint, text: str = "") -> Complaint:
    """办结 — after the answer; a reopened complaint may be closed again after its new answer."""
    text = _text(text, required=False, what=_("办结说明"))
    with transaction.atomic():
        c = _locked(actor, complaint)
        if c.status != Status.ANSWERED:
            raise InvalidState(_("答复之后才能办结。"), code=Code.NOT_ANSWERED)
        c.status, c.closed_at = Status.CLOSED, timezone.now()
        c.save()
        _step(c, StepKind.CLOSE, actor, text)
        audit_event(Event.COMPLAINT_CLOSE, actor=actor, object_id=c.pk, region_code=c.region_id)
    return c


def complaint_link_case(*, actor: Actor, complaint: Complaint, text: str) -> Complaint:
    """转监管线索 — record the supervision case (线索, ``XS…``) the complaint is examined in: a case the handler can
    see, in the complaint's region or above it (read through ``supervision.api``). Cases are opened by the
    supervision app (its scans and rules); a complaint links to one."""
    from jineng.refdata.api import region_ancestors, region_is_within
    from jineng.supervision.api import cases_visible

    number = "".join((text or "").split()).upper()[:40]
    if not number:
        raise invalid(field="text", code=Code.TEXT_REQUIRED, message=_("请填写监管线索编号（XS 开头）。"))
    with transaction.atomic():
        c = _locked(actor, complaint)
        case = cases_visible(actor_user(actor)).filter(number=number).first()
        related = case is not None and (case.region_id in region_ancestors(c.region_id)
                                        or region_is_within(case.region_id, c.region_id))  # fmt: skip
        if case is None or not related:
            raise invalid(field="text", code=Code.UNKNOWN_CASE,
                          message=_("找不到您可查看的、本地区的监管线索：%(number)s") % {"number": number})  # fmt: skip
        _record_case(actor, c, case.number, Event.COMPLAINT_LINK_CASE)
    return c


def _record_case(actor: Actor, c: Complaint, number: str, event: Event) -> None:
    """The complaint keeps the case's number (the case page lists its complaints by it), a step and an audit entry."""
    c.case_ref = number
    c.save(update_fields=["case_ref", "updated_at"])
    _step(c, StepKind.CASE, actor, number)
    audit_event(event, actor=actor, object_id=c.pk, region_code=c.region_id, after={"case": number})


SUMMARY_MAX = 300
INSPECT = "supervision.inspect"


def case_summary_default(c: Complaint) -> str:
    """The summary a new case starts from: the kind of problem (in the page's language) and the object — not the
    complainant, not the text (the handler adds what the inspectors need)."""
    where = f"（{c.class_ref}）" if c.class_ref else ""
    return f"{Category(c.category).label}：{c.object_name}{where}"[:SUMMARY_MAX]


def complaint_open_case(*, actor: Actor, complaint: Complaint, text: str = "") -> Complaint:
    """立案 — open a NEW supervision case (线索, rule ``complaint``) from the complaint, in its region and about its
    catalog organization, with the summary the handler gives (``case_summary_default`` when none); the complaint
    records the case's number (a case links back to its complaints by it). Through ``supervision.api`` only."""
    from jineng.supervision.api import case_open_from_complaint

    summary = one_line(text)
    if len(summary) > SUMMARY_MAX:
        raise invalid(
            field="text", code=Code.CONTENT_TOO_LONG, message=_("线索摘要不能超过 %(n)s 字。") % {"n": SUMMARY_MAX}
        )
    with transaction.atomic():
        c = _locked(actor, complaint)
        if c.status == Status.CLOSED:
            raise InvalidState(_("已办结的投诉举报不能再立案。"), code=Code.COMPLAINT_STATE)
        if c.case_ref:
            raise InvalidState(_("该投诉举报已关联监管线索 %(case)s。") % {"case": c.case_ref}, code=Code.CASE_EXISTS)
        case = case_open_from_complaint(
            actor=actor, complaint_id=c.pk, region_code=c.region_id, summary=summary or case_summary_default(c),
            organization=c.organization, severity="high" if c.category == Category.FAKE_TRAINING else "medium",
        )  # fmt: skip
        _record_case(actor, c, case.number, Event.COMPLAINT_OPEN_CASE)
    return c


def complaint_case(actor: Actor, c: Complaint) -> Any:
    """The supervision case the complaint is linked to, when the actor sees it; else None."""
    from jineng.supervision.api import cases_visible

    return cases_visible(actor_user(actor)).filter(number=c.case_ref).first() if c.case_ref else None


def complaint_open_task(*, actor: Actor, complaint: Complaint, inspector_ids: list[str]) -> Any:
    """派出检查任务 — a new inspection task on the complaint's catalog organization, from its case (opened here first
    when it has none), by inspectors of the pool the task may take (``inspections.api.inspectors_for``: no conflict
    of interest). Needs ``supervision.inspect`` over the region (checked by inspections); through the inspections
    and supervision apps' api.py only."""
    from jineng.inspections.api import inspectors_for, task_from_case

    require(actor, HANDLE, region_code=complaint.region_id)
    if complaint.organization_id is None:
        raise invalid(field="inspectors", code=Code.NO_ORGANIZATION,
                      message=_("投诉举报的对象不是目录中的机构，无法派出检查任务；请立案后由监管核查。"))  # fmt: skip
    wanted = {str(i)[:40] for i in inspector_ids[:10] if str(i).strip()}
    if not wanted:
        raise invalid(field="inspectors", code=Code.TEXT_REQUIRED, message=_("请至少选择一名检查人员。"))
    pool = {str(u.pk): u for u in inspectors_for(complaint.region_id, complaint.organization_id)}
    if not wanted <= set(pool):
        raise invalid(field="inspectors", code=Code.BAD_CHOICE,
                      message=_("所选人员不在本地区检查人员名录库中，或与被检查机构有利害关系须回避。"))  # fmt: skip
    with transaction.atomic():
        c = complaint if complaint.case_ref else complaint_open_case(actor=actor, complaint=complaint)
        case = complaint_case(actor, c)
        if case is None or case.provider_id != c.organization_id:
            raise invalid(field="inspectors", code=Code.UNKNOWN_CASE,
                          message=_("关联的监管线索不涉及该机构，请在监管线索中派出检查任务。"))  # fmt: skip
        task = task_from_case(actor=actor, case_id=case.pk, inspectors=[pool[i] for i in sorted(wanted)])
        c = _locked(actor, c)
        _step(c, StepKind.TASK, actor, task.number)
        audit_event(Event.COMPLAINT_OPEN_TASK, actor=actor, object_id=c.pk, region_code=c.region_id,
                    after={"case": case.number, "task": task.number})  # fmt: skip
    return task


REVEALABLE = {"name": "姓名", "phone": "联系电话"}


def complaint_reveal(*, actor: Actor, complaint: Complaint, field: str, reason: str) -> str:
    """查看完整联系方式 — the complainant's name or phone for a stated reason; needs ``complaints.handle`` and
    ``registry.reveal`` over the complaint's region, and writes an audit entry (as ``registry``'s person reveal)."""
    reason = " ".join((reason or "").split())
    if field not in REVEALABLE:
        raise invalid(field="field", code=Code.BAD_CHOICE, message=_("只能查看姓名或联系电话。"))
    if len(reason) < 2:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("查看完整信息须填写原因。"))
    require(actor, HANDLE, region_code=complaint.region_id)
    try:
        require(actor, REVEAL, region_code=complaint.region_id)
    except PermissionDenied:
        raise PermissionDenied(_("您没有查看完整个人信息的权限。"), code="reveal_not_permitted") from None
    token = complaint.name_enc if field == "name" else complaint.phone_enc
    value = decrypt(token, context=CONTACT_CONTEXT) if token else ""
    masked = complaint.name_masked if field == "name" else complaint.phone_masked
    audit_event(Event.COMPLAINT_REVEAL, actor=actor, object_id=complaint.pk, region_code=complaint.region_id,
                after={"field": field, "value": masked}, reason=reason)  # fmt: skip
    return value


def complaint_attachments(complaint: Complaint) -> Any:
    from jineng.common.attachments.services import attachments_about

    return attachments_about(Object.COMPLAINT.value, [complaint.pk])
