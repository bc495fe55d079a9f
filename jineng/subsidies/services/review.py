"""The review workflow (审核流程): 受理 → 初审 → 复审 → 公示 → 审批通过 (→ 拨付, payments.py).

- Each step is one atomic function: it locks the claim, checks the status and the actor, changes, records the step
  and its audit entry in the same transaction.
- The official of one step cannot act on the next (受理人 ≠ 初审人 ≠ 复审人), and the applicant never reviews.
- Four eyes on the final approval (``subsidy.four_eyes.review_approve``, default on): whoever accepted or first
  reviewed the claim cannot approve it either (复审人 never can).
- 初审 needs the system's decision to be "approve": missing evidence is verified first (``claim_verify``).
- 公示 lasts ``claim.publicity_workdays`` working days; an objection raised in it must be resolved before the claim
  is approved; an upheld objection rejects the claim.
- Returns for correction (退回补正) and rejections (不予通过) carry a reason; a returned claim comes back as a new
  version (``claims.claim_resubmit``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, require
from jineng.common.errors import Conflict, InvalidState, PermissionDenied, invalid
from jineng.refdata.api import add_workdays
from jineng.subsidies import facts as fx
from jineng.subsidies.catalog import ClaimStatus, EventKind
from jineng.subsidies.errors import Code, SameReviewer
from jineng.subsidies.models import Claim, Objection, ObjectionStatus
from jineng.subsidies.money import forbid_same
from jineng.subsidies.services.claims import reevaluate
from jineng.subsidies.services.support import (
    REVIEW,
    actor_name,
    lock_person,
    reason_required,
    setting_int,
    step_record,
    today,
    user_or_none,
)
from jineng.subsidies.settings_specs import FOUR_EYES_REVIEW_APPROVE

RETURNABLE = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.FIRST_PASSED)
REJECTABLE = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.FIRST_PASSED, ClaimStatus.PUBLICITY)


def _locked(claim: Claim, *expected: str) -> Claim:
    fresh: Claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if fresh.status not in expected:
        raise InvalidState(
            f"申请 {fresh.number} 当前状态为「{fresh.get_status_display()}」，不能办理此环节。",
            code="claim_wrong_status",
        )
    return fresh


def _same(user: Any, other_id: Any) -> bool:
    return other_id is not None and getattr(user, "pk", None) == other_id


def advance_still_due(claim: Claim) -> bool:
    """An advance (学徒制补贴预支) is passed on only while its apprentice is in training: once the plan ended — 中途终止
    or assessed — nothing is advanced any more (a paid one is recovered, ``advances.advance_recover``)."""
    if claim.event_kind != EventKind.APPRENTICE_ADVANCE:
        return True
    state = fx.apprentice_state(claim.event_ref.rpartition(":")[0])
    return state is not None and state.status == "active"


def _advance_check(claim: Claim) -> None:
    if not advance_still_due(claim):
        raise Conflict(f"申请 {claim.number} 是学徒制补贴预支，该学徒已结束培养（中途终止或已考核），不能审核通过，"
                       "请作不予通过处理。", code=Code.APPRENTICE_NOT_ACTIVE)  # fmt: skip


def _reviewer(actor: Actor, claim: Claim) -> None:
    require(actor, REVIEW, region_code=claim.region_id)
    if _same(actor, claim.applicant_user_id):
        raise PermissionDenied("申请人不能审核本人提交的申请。", code="applicant_reviews")


def claim_accept(*, actor: Actor, claim: Claim, reason: str = "") -> Claim:
    """受理."""
    _reviewer(actor, claim)
    with transaction.atomic():
        claim = _locked(claim, ClaimStatus.SUBMITTED)
        claim.status = ClaimStatus.ACCEPTED
        claim.accepted_by = user_or_none(actor)
        claim.accepted_at = timezone.now()
        claim.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
        step_record(claim=claim, step="accept", actor=actor, outcome="accepted", from_status=ClaimStatus.SUBMITTED,
                    reason=reason)  # fmt: skip
    return claim


def claim_verify(*, actor: Actor, claim: Claim, insured_months: int | None = None, reason: str = "") -> Claim:
    """核实材料 — record evidence the system could not find (参保缴费月数) and re-run every check."""
    _reviewer(actor, claim)
    if insured_months is not None and insured_months < 0:
        raise invalid(field="insured_months", code="negative", message="参保月数不能为负数。")
    with transaction.atomic():
        lock_person(claim.person_id)
        claim = _locked(claim, ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)
        verified: dict[str, Any] = {"by": actor_name(actor), "on": today().isoformat()}
        if insured_months is not None:
            verified["insured_months"] = insured_months
        decision = reevaluate(claim, actor=actor, verified=verified)
        step_record(claim=claim, step="verify", actor=actor, outcome=decision.outcome, from_status=claim.status,
                    reason=reason, data={k: v for k, v in verified.items() if k != "by"} | {"amount_fen": claim.amount_fen})  # fmt: skip
    return claim


def claim_first_review(*, actor: Actor, claim: Claim, reason: str = "") -> Claim:
    """初审通过."""
    _reviewer(actor, claim)
    with transaction.atomic():
        claim = _locked(claim, ClaimStatus.ACCEPTED)
        if _same(actor, claim.accepted_by_id):
            raise SameReviewer("初审")
        _advance_check(claim)
        if claim.decision != "approve":
            raise Conflict("系统判定尚未符合条件（需补充或核实材料），请先核实后再审核。", code="claim_not_eligible")
        claim.status = ClaimStatus.FIRST_PASSED
        claim.first_reviewer = user_or_none(actor)
        claim.first_reviewed_at = timezone.now()
        claim.save(update_fields=["status", "first_reviewer", "first_reviewed_at", "updated_at"])
        step_record(claim=claim, step="first_review", actor=actor, outcome="passed", from_status=ClaimStatus.ACCEPTED,
                    reason=reason)  # fmt: skip
    return claim


def claim_second_review(*, actor: Actor, claim: Claim, reason: str = "", on: dt.date | None = None) -> Claim:
    """复审通过 → 公示 for ``claim.publicity_workdays`` working days."""
    _reviewer(actor, claim)
    start = on or today()
    with transaction.atomic():
        claim = _locked(claim, ClaimStatus.FIRST_PASSED)
        if _same(actor, claim.first_reviewer_id) or _same(actor, claim.accepted_by_id):
            raise SameReviewer("复审")
        _advance_check(claim)
        days = setting_int("claim.publicity_workdays", claim.region_id, start)
        claim.status = ClaimStatus.PUBLICITY
        claim.second_reviewer = user_or_none(actor)
        claim.second_reviewed_at = timezone.now()
        claim.publicity_start = start
        claim.publicity_end = add_workdays(start, days, claim.region_id)
        claim.save(update_fields=["status", "second_reviewer", "second_reviewed_at", "publicity_start",
                                  "publicity_end", "updated_at"])  # fmt: skip
        step_record(claim=claim, step="second_review", actor=actor, outcome="passed",
                    from_status=ClaimStatus.FIRST_PASSED, reason=reason,
                    data={"publicity_start": start.isoformat(), "publicity_end": claim.publicity_end.isoformat(),
                          "workdays": days})  # fmt: skip
    return claim


def claim_return(*, actor: Actor, claim: Claim, reason: str) -> Claim:
    """退回补正 — back to the applicant with the reason; they resubmit a new version."""
    reason = reason_required(reason)
    _reviewer(actor, claim)
    with transaction.atomic():
        claim = _locked(claim, *RETURNABLE)
        before = claim.status
        claim.status = ClaimStatus.RETURNED
        claim.closing_reason = reason
        claim.save(update_fields=["status", "closing_reason", "updated_at"])
        step_record(claim=claim, step="return", actor=actor, outcome="returned", from_status=before, reason=reason)
    return claim


def claim_reject(*, actor: Actor, claim: Claim, reason: str) -> Claim:
    """不予通过."""
    reason = reason_required(reason)
    _reviewer(actor, claim)
    with transaction.atomic():
        claim = _locked(claim, *REJECTABLE)
        before = claim.status
        claim.status = ClaimStatus.REJECTED
        claim.closing_reason = reason
        claim.save(update_fields=["status", "closing_reason", "updated_at"])
        step_record(claim=claim, step="reject", actor=actor, outcome="rejected", from_status=before, reason=reason)
    return claim


def claim_withdraw(*, actor: Actor, claim: Claim, reason: str = "") -> Claim:
    """撤回 — the applicant withdraws a claim not yet approved."""
    if not _same(actor, claim.applicant_user_id):
        raise PermissionDenied("只有申请人可以撤回申请。")
    with transaction.atomic():
        claim = _locked(claim, ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.RETURNED)
        before = claim.status
        claim.status = ClaimStatus.WITHDRAWN
        claim.save(update_fields=["status", "updated_at"])
        step_record(claim=claim, step="withdraw", actor=actor, outcome="withdrawn", from_status=before, reason=reason)
    return claim


# ---- 公示 ----------------------------------------------------------------------------------------------------------


def objection_raise(*, actor: Actor, claim: Claim, reason: str, name: str = "") -> Objection:
    """提出异议 — anyone signed in may object to a claim while it is announced."""
    reason = reason_required(reason)
    user = actor_user(actor)
    if user is None:
        raise PermissionDenied("请先登录后提出异议。", code="not_authenticated")
    with transaction.atomic():
        claim = _locked(claim, ClaimStatus.PUBLICITY)
        objection = Objection.objects.create(
            claim=claim, region_id=claim.region_id, reason=reason, raised_by=user, raised_by_name=(name or "")[:100]
        )
        step_record(claim=claim, step="objection", actor=actor, outcome="open", from_status=claim.status,
                    reason=reason, data={"objection": str(objection.pk)})  # fmt: skip
    return objection


def objection_resolve(*, actor: Actor, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """处理异议 — an upheld objection rejects the claim; a dismissed one lets the announcement run to its end."""
    resolution = reason_required(resolution, "resolution")
    claim = objection.claim
    _reviewer(actor, claim)
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != ObjectionStatus.OPEN:
            raise InvalidState("该异议已处理。", code="objection_closed")
        claim = _locked(claim, ClaimStatus.PUBLICITY)
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.resolution = resolution
        objection.resolved_by = user_or_none(actor)
        objection.resolved_at = timezone.now()
        objection.save()
        if upheld:
            claim.status = ClaimStatus.REJECTED
            claim.closing_reason = f"公示异议成立：{resolution}"
            claim.save(update_fields=["status", "closing_reason", "updated_at"])
        step_record(claim=claim, step="objection_resolve", actor=actor, outcome=objection.status,
                    from_status=ClaimStatus.PUBLICITY, reason=resolution,
                    data={"objection": str(objection.pk)})  # fmt: skip
    return objection


def claim_publicity_close(*, actor: Actor, claim: Claim, on: dt.date | None = None) -> Claim:
    """公示期满 → 审批通过 (待拨付): only after the last day of the announcement and with no open objection."""
    day = on or today()
    if getattr(actor, "pk", None):
        _reviewer(actor, claim)
    with transaction.atomic():
        claim = _locked(claim, ClaimStatus.PUBLICITY)
        if getattr(actor, "pk", None) and _same(actor, claim.second_reviewer_id):
            raise SameReviewer("公示结束审批")
        _advance_check(claim)
        forbid_same(actor, [claim.accepted_by_id, claim.first_reviewer_id], pair_key=FOUR_EYES_REVIEW_APPROVE,
                    region_code=claim.region_id,
                    message=f"申请 {claim.number} 的受理人或初审人不能审批通过（须由另一人审批）。")  # fmt: skip
        assert claim.publicity_end is not None
        if day <= claim.publicity_end:
            raise Conflict(f"公示期至 {claim.publicity_end}，期满后方可审批通过。", code="publicity_running")
        open_objections = claim.objections.filter(status=ObjectionStatus.OPEN).count()
        if open_objections:
            raise Conflict(f"公示期间有 {open_objections} 条异议尚未处理，处理后方可审批。", code="objection_open")
        claim.status = ClaimStatus.APPROVED
        claim.approved_at = timezone.now()
        claim.approved_by = user_or_none(actor)
        claim.payment_due = add_workdays(
            day, setting_int("claim.payment_workdays", claim.region_id, day), claim.region_id
        )
        claim.save(update_fields=["status", "approved_at", "approved_by", "payment_due", "updated_at"])
        step_record(claim=claim, step="approve", actor=actor, outcome="approved", from_status=ClaimStatus.PUBLICITY,
                    data={"payment_due": claim.payment_due.isoformat()})  # fmt: skip
    return claim


def publicity_close_due(*, actor: Actor = "system", on: dt.date | None = None) -> dict[str, int]:
    """Approve every claim whose announcement ended without an open objection (run daily as a job)."""
    day = on or today()
    done = held = ended = 0
    for claim in Claim.objects.filter(status=ClaimStatus.PUBLICITY, publicity_end__lt=day).order_by("publicity_end"):
        if claim.objections.filter(status=ObjectionStatus.OPEN).exists():
            held += 1
            continue
        if not advance_still_due(claim):
            ended += 1  # the apprentice left: a reviewer refuses it (不予通过), the job does not approve it
            continue
        claim_publicity_close(actor=actor, claim=claim, on=day)
        done += 1
    return {"approved": done, "held_by_objections": held, "advances_of_ended_apprentices": ended}
