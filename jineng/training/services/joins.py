"""报名申请 — a worker asks to join an upcoming class, and the provider accepts the request into the roster or
refuses it with a reason.

The request is checked as the roster import checks a row (``rosters.roster_check``: not already in the class, no
overlapping class, the groups the policy in force admits, the class's capacity) when it is made — so the worker hears
the reason at once — and again when the provider accepts it, through ``rosters.enrollments_add`` itself. A voucher the
worker attaches is checked when asked and used (使用) when accepted, in the same transaction (``subsidy_port``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, principal_for
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, InvalidState, PermissionDenied, invalid
from jineng.registry import api as registry
from jineng.training import subsidy_port
from jineng.training.events import Event
from jineng.training.models import ClassStatus, EnrollmentSource, JoinRequest, JoinRequestStatus, TrainingClass
from jineng.training.services.rosters import RosterRow, enrollments_add, roster_check
from jineng.training.services.support import local_date, now_or, require_class_manager

# Classes a worker may ask to join: on the roster's way to the start (a draft or a refused class is not public).
JOINABLE_STATUSES = (ClassStatus.SUBMITTED, ClassStatus.APPROVED)
NOTE_MAX = 200
REASON_MAX = 300


def _person_of(actor: Actor) -> Any:
    person_id = principal_for(actor).person_id
    person = registry.Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise PermissionDenied("您的账号没有关联实名档案，不能报名。", code="no_person")
    return person


def _row(person: Any) -> RosterRow:
    return RosterRow(name=person.name, id_number="", person=person, pledge=True, row=1)


def _require_joinable(training_class: TrainingClass, today: dt.date) -> None:
    if training_class.status not in JOINABLE_STATUSES:
        raise InvalidState(
            f"培训班当前状态为“{training_class.get_status_display()}”，不接受报名。", code="class_not_joinable"
        )
    if training_class.start_date < today:
        raise InvalidState(f"培训班已于 {training_class.start_date} 开班，不再接受报名。", code="class_started")


def join_request_create(
    *,
    actor: Actor,
    training_class: TrainingClass,
    pledge: bool,
    voucher_code: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> JoinRequest:
    """The signed-in worker asks to join ``training_class`` (their pledge signed), with a voucher of theirs or none."""
    now = now_or(now)
    today = local_date(now)
    person = _person_of(actor)
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise invalid(field="note", code="too_long", message=f"留言不能超过 {NOTE_MAX} 字。")
    if not pledge:
        raise invalid(field="pledge", code="trainee_pledge_required",
                      message="请确认参训承诺（身份真实、本人参训）。")  # fmt: skip
    code = (voucher_code or "").strip().upper()[:20]
    _require_joinable(training_class, today)
    if JoinRequest.objects.filter(
        training_class=training_class, person=person, status=JoinRequestStatus.PENDING
    ).exists():
        raise Conflict("您已申请报名该培训班，请等待培训机构处理。", code="join_request_pending")
    _accepted, refused = roster_check(training_class=training_class, rows=[_row(person)], today=today)
    if refused:
        raise invalid(field=refused[0].field or "class", code=refused[0].code, message=refused[0].message)
    if code:
        subsidy_port.voucher_check(person.pk, code, training_class)
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                training_class=training_class, person=person, region_id=training_class.region_id,
                organization_id=training_class.organization_id, person_name=person.name, note=note,
                voucher_code=code,
            )  # fmt: skip
            audit_event(Event.JOIN_REQUEST_CREATE, actor=actor, object_id=request.pk,
                        region_code=training_class.region_id,
                        after={"class": training_class.code, "voucher": code})  # fmt: skip
    except IntegrityError:
        raise Conflict("您已申请报名该培训班，请等待培训机构处理。", code="join_request_pending") from None
    return request


def _locked_pending(join_request: JoinRequest) -> JoinRequest:
    locked: JoinRequest = (
        JoinRequest.objects.select_for_update().select_related("training_class", "person").get(pk=join_request.pk)
    )
    if locked.status != JoinRequestStatus.PENDING:
        raise InvalidState(f"该报名申请已是“{locked.get_status_display()}”。", code="join_request_decided")
    return locked


def join_request_accept(*, actor: Actor, join_request: JoinRequest, now: dt.datetime | None = None) -> JoinRequest:
    """接收入班 — the provider's staff (or an official over the class's county) add the worker to the roster with the
    roster's own checks; the attached voucher is used at the same time. Either both happen or neither."""
    now = now_or(now)
    require_class_manager(actor, join_request.training_class)
    with transaction.atomic():
        locked = _locked_pending(join_request)
        result = enrollments_add(actor=actor, training_class=locked.training_class, rows=[_row(locked.person)],
                                 source=EnrollmentSource.REQUEST, now=now)  # fmt: skip
        if locked.voucher_code:
            subsidy_port.voucher_use(actor, locked.person_id, locked.voucher_code, locked.training_class)
        locked.status = JoinRequestStatus.ACCEPTED
        locked.enrollment = result.created[0]
        locked.decided_at = now
        locked.decided_by = actor_user(actor)
        locked.save(update_fields=["status", "enrollment", "decided_at", "decided_by", "updated_at"])
        audit_event(Event.JOIN_REQUEST_ACCEPT, actor=actor, object_id=locked.pk, region_code=locked.region_id,
                    after={"class": locked.training_class.code, "enrollment": str(locked.enrollment_id),
                           "voucher": locked.voucher_code})  # fmt: skip
    return locked


def join_request_refuse(
    *, actor: Actor, join_request: JoinRequest, reason: str, now: dt.datetime | None = None
) -> JoinRequest:
    """不予接收 — with the reason the worker reads."""
    now = now_or(now)
    require_class_manager(actor, join_request.training_class)
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise invalid(field="reason", code="reason_required", message="请填写不接收的原因。")
    if len(reason) > REASON_MAX:
        raise invalid(field="reason", code="too_long", message=f"原因不能超过 {REASON_MAX} 字。")
    with transaction.atomic():
        locked = _locked_pending(join_request)
        locked.status = JoinRequestStatus.REFUSED
        locked.refusal_reason = reason
        locked.decided_at = now
        locked.decided_by = actor_user(actor)
        locked.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by", "updated_at"])
        audit_event(Event.JOIN_REQUEST_REFUSE, actor=actor, object_id=locked.pk, region_code=locked.region_id,
                    after={"class": locked.training_class.code, "reason": reason})  # fmt: skip
    return locked


def join_request_withdraw(*, actor: Actor, join_request: JoinRequest) -> JoinRequest:
    """The worker withdraws their own pending request."""
    if str(principal_for(actor).person_id or "") != str(join_request.person_id):
        raise PermissionDenied("只能撤回本人的报名申请。")
    with transaction.atomic():
        locked = _locked_pending(join_request)
        locked.status = JoinRequestStatus.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        audit_event(Event.JOIN_REQUEST_WITHDRAW, actor=actor, object_id=locked.pk, region_code=locked.region_id,
                    after={"class": locked.training_class.code})  # fmt: skip
    return locked
