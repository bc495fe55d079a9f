"""The masked dictionaries the API and pages show (never an unmasked ID number or account)."""

from __future__ import annotations

from typing import Any

from jineng.rules.subsidy import format_fen
from jineng.rules.subsidy.ledger import ROLE_LABELS
from jineng.subsidies.labels import (
    check_label,
    check_message,
    check_outcome_label,
    claim_status_label,
    decision_label,
    step_label,
    step_outcome_label,
)
from jineng.subsidies.models import (
    BaseGrant,
    Claim,
    FundAccount,
    GrantLine,
    Objection,
    PaymentBatch,
    PaymentLine,
    PolicyVersion,
    Voucher,
    VoucherIssue,
)
from jineng.subsidies.selectors import claim_recovering
from jineng.subsidies.services.ledger import account_balances


def claim_status(c: Claim) -> str:
    """The status label of a claim — 追回中 while recovered money is still owed; a list's claims carry the
    ``recovering`` annotation (``selectors.with_recovering``), a single claim asks once."""
    return claim_status_label(c.status, recovering=claim_recovering(c))


def claim_summary(c: Claim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "subsidy_type": c.subsidy_type,
        "subsidy_type_label": c.get_subsidy_type_display(),
        "status": c.status,
        "status_label": claim_status(c),
        "person_name": c.person_name,
        "id_number": c.id_number_masked,
        "applicant_kind": c.applicant_kind,
        "applicant_org": c.applicant_org.name if c.applicant_org_id and c.applicant_org else "",
        "region": c.region_id,
        "event_kind": c.event_kind,
        "event_label": c.event_label,
        "event_date": c.event_date,
        "applied_on": c.applied_on,
        "decision": c.decision,
        "decision_label": decision_label(c.decision),
        "amount_fen": c.amount_fen,
        "payable_fen": c.payable_fen,
        "deferred_fen": c.deferred_fen,
        "amount": format_fen(c.amount_fen),
        "fund_source": c.fund_source,
        "payee_kind": c.payee_kind,
        "payee_name": c.payee_name,
        "payee_account": c.payee_account_masked,
        "review_due": c.review_due,
        "publicity_start": c.publicity_start,
        "publicity_end": c.publicity_end,
        "payment_due": c.payment_due,
        "version_no": c.version_no,
        "policy_version": c.policy_version_id,
        "created_at": c.created_at,
    }


def line_view(line: dict[str, Any]) -> dict[str, Any]:
    return {
        **line,
        "message": check_message(line),
        "label": check_label(line.get("code", "")),
        "outcome_label": check_outcome_label(line.get("outcome", "")),
    }


def claim_detail(c: Claim) -> dict[str, Any]:
    data = claim_summary(c)
    data |= {
        "lines": [line_view(line) for line in c.lines],
        "inputs": c.inputs,
        "closing_reason": c.closing_reason,
        "previous": c.previous.number if c.previous_id and c.previous else "",
        "policy_title": c.policy_version.title,
        "steps": [
            {
                "step": s.step,
                "step_label": step_label(s.step),
                "outcome": s.outcome,
                "outcome_label": step_outcome_label(s.outcome),
                "actor": s.actor_name,
                "at": s.at,
                "reason": s.reason,
                "from_status": s.from_status,
                "to_status": s.to_status,
            }  # fmt: skip
            for s in c.steps.all()
        ],
        "objections": [objection_view(o) for o in c.objections.all()],
        "payments": [line_out(p) for p in c.payment_lines.select_related("batch").all()],
    }
    return data


def objection_view(o: Objection) -> dict[str, Any]:
    return {
        "id": o.pk,
        "claim": o.claim_id,
        "reason": o.reason,
        "status": o.status,
        "status_label": o.get_status_display(),
        "resolution": o.resolution,
        "created_at": o.created_at,
        "resolved_at": o.resolved_at,
    }


def line_out(p: PaymentLine) -> dict[str, Any]:
    return {
        "id": p.pk,
        "batch": p.batch.number,
        "seq": p.seq,
        "claim": p.claim_id,
        "claim_number": p.claim.number,
        "amount_fen": p.amount_fen,
        "payee_name": p.payee_name,
        "payee_bank": p.payee_bank,
        "payee_account": p.payee_account_masked,
        "fund_account": str(p.fund_account_id),
        "state": p.state,
        "state_label": p.get_state_display(),
        "failure_reason": p.failure_reason,
        "bank_reference": p.bank_reference,
        "confirmed_at": p.confirmed_at,
    }


def batch_out(b: PaymentBatch, *, lines: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": b.pk,
        "number": b.number,
        "region": b.region_id,
        "status": b.status,
        "status_label": b.get_status_display(),
        "line_count": b.line_count,
        "total_fen": b.total_fen,
        "total": format_fen(b.total_fen),
        "note": b.note,
        "created_at": b.created_at,
        "exported_at": b.exported_at,
        "settled_at": b.settled_at,
    }
    if lines:
        data["lines"] = [line_out(p) for p in b.lines.select_related("claim", "batch").order_by("seq")]
        data["grant_lines"] = [grant_line_out(g) for g in b.grant_lines.select_related("grant").order_by("seq")]
    return data


def account_out(a: FundAccount) -> dict[str, Any]:
    balances = account_balances(a)
    return {
        "id": a.pk,
        "fund_source": a.fund_source,
        "fund_source_label": a.get_fund_source_display(),
        "region": a.region_id,
        "balances": balances,
        "balance_labels": {ROLE_LABELS[k]: format_fen(v) for k, v in balances.items()},
    }


def policy_out(v: PolicyVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "region": v.region_id,
        "subsidy_type": v.subsidy_type,
        "subsidy_type_label": v.get_subsidy_type_display(),
        "version_no": v.version_no,
        "title": v.title,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "status": v.status,
        "rules": v.rules,
        "citation": v.citation,
        "source_url": v.source_url,
        "note": v.note,
        "published_at": v.published_at,
    }


def issue_out(i: VoucherIssue, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "id": i.pk,
        "region": i.region_id,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "title": i.title,
        "content": i.content,
        "face_value_fen": i.face_value_fen,
        "discount_percent": i.discount_percent,
        "providers": i.providers,
        "programs": i.programs,
        "groups": i.groups,
        "valid_from": i.valid_from,
        "valid_until": i.valid_until,
        "quantity": i.quantity,
        "fund_source": i.fund_source,
        "status": i.status,
        "counts": counts or {"issued": 0, "claimed": 0, "used": 0, "redeemed": 0},
    }


def voucher_out(v: Voucher) -> dict[str, Any]:
    return {
        "id": v.pk,
        "code": v.code,
        "issue": v.issue_id,
        "issue_title": v.issue.title,
        "kind": v.issue.kind,
        "person_name": v.person_name,
        "region": v.region_id,
        "state": v.state,
        "state_label": v.get_state_display(),
        "valid_until": v.issue.valid_until,
        "value_fen": v.value_fen,
        "used_at": v.used_at,
        "redeemed_at": v.redeemed_at,
    }


def _who(user: Any, fallback: str = "") -> str:
    if user is None:
        return fallback
    return str(getattr(user, "display_name", "") or user.username)


def payee_change_out(c: Any) -> dict[str, Any]:
    """A payee change request: the new account only masked (the full number stays encrypted)."""
    return {
        "id": c.pk, "claim": c.claim_id, "claim_number": c.claim.number, "status": c.status,
        "status_label": str(c.get_status_display()), "payee_bank": c.payee_bank,
        "payee_account_masked": c.payee_account_masked, "previous_account_masked": c.previous_account_masked,
        "reason": c.reason, "requested_by": c.requested_by_name, "decided_by": _who(c.decided_by),
        "decided_at": c.decided_at, "decision_reason": c.decision_reason, "created_at": c.created_at,
    }  # fmt: skip


def reversal_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk, "allocation": r.allocation_id, "region": r.region_id, "amount_fen": r.amount_fen,
        "status": r.status, "status_label": str(r.get_status_display()), "reason": r.reason,
        "requested_by": r.requested_by_name, "decided_by": _who(r.decided_by), "decided_at": r.decided_at,
        "decision_reason": r.decision_reason, "reversal": r.reversal_id, "created_at": r.created_at,
    }  # fmt: skip


def grant_out(g: BaseGrant) -> dict[str, Any]:
    """一次性补助 — the account masked."""
    return {
        "id": g.pk, "number": g.number, "base": g.base_id, "base_name": g.base_name, "base_kind": g.base_kind,
        "base_level": g.base_level, "region": g.region_id, "year": g.year, "amount_fen": g.amount_fen,
        "amount": format_fen(g.amount_fen), "fund_source": g.fund_source, "basis": g.basis,
        "payee_name": g.payee_name, "payee_bank": g.payee_bank, "payee_account_masked": g.payee_account_masked,
        "payee_check": g.payee_check, "payee_confirmed_by_name": g.payee_confirmed_by_name,
        "payee_confirm_reason": g.payee_confirm_reason, "status": g.status, "status_label": g.get_status_display(), "requested_by_name": g.requested_by_name,
        "reviewed_by_name": g.reviewed_by_name, "reviewed_at": g.reviewed_at, "review_reason": g.review_reason,
        "paid_at": g.paid_at, "created_at": g.created_at,
    }  # fmt: skip


def grant_line_out(line: GrantLine) -> dict[str, Any]:
    return {
        "id": line.pk, "seq": line.seq, "grant": line.grant_id, "grant_number": line.grant.number,
        "base_name": line.grant.base_name, "amount_fen": line.amount_fen, "payee_name": line.payee_name,
        "payee_account_masked": line.payee_account_masked, "state": line.state,
        "bank_reference": line.bank_reference, "failure_reason": line.failure_reason,
    }  # fmt: skip


def grant_batch_out(b: PaymentBatch) -> dict[str, Any]:
    return {
        "id": b.pk, "number": b.number, "region": b.region_id, "status": b.status, "line_count": b.line_count,
        "total_fen": b.total_fen,
        "lines": [grant_line_out(line) for line in b.grant_lines.select_related("grant").order_by("seq")],
    }  # fmt: skip
