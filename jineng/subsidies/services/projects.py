"""项目制培训的结算拨付 — a training project's settlement paid through the claims and the ledger.

Training settles a project (``training.services.projects.project_settle``: by an official other than the one who
created it) on the trainees who finished its classes: the lower of the budget and price × finished. The hook
registered here (``apps.py``) turns that amount, inside the settlement's transaction, into one 职业培训补贴 claim per
trainee who finished (the amount split to the fen, the sum exactly the settlement), made by the settling official for
the provider and paid to the provider's account. Each claim waits in the review queue (待审核), where a person other
than the settler approves it (the claims' four eyes), then goes into a payment batch and is confirmed by the bank's
return like any claim — the ledger posts each paid line once (``ledger_posted_once``).

So an approved settlement counts where any training subsidy counts: one person-time of 补贴性职业技能培训 per trainee
(``api.subsidized_training_claims``: a training claim of a finished enrollment), at the class's region, dated by the
trainee's 结业日期. A trainee who already has a live training claim (the provider claimed them one by one) is not paid
twice: the settlement is refused naming the claim (``duplicate_claim``). No training policy in force in the
project's region: refused (``no_policy``) — the fund and channel come from it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jineng.accounts.api import Actor
from jineng.common.errors import Conflict
from jineng.rules.subsidy import format_fen
from jineng.subsidies.catalog import LIVE_STATUSES, ApplicantKind, EventKind, SubsidyType
from jineng.subsidies.errors import Code
from jineng.subsidies.models import Claim
from jineng.subsidies.services.claims import ClaimInput, insert_computed
from jineng.subsidies.services.policies import policy_for, rules_of
from jineng.subsidies.services.support import lock_person, step_record
from jineng.training.api import project_finished_enrollments


def split_fen(total_fen: int, parts: int) -> list[int]:
    """``total_fen`` in ``parts`` shares differing by at most one fen, summing exactly to it."""
    if parts <= 0:
        return []
    base, extra = divmod(total_fen, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def settlement_claims(*, actor: Actor, project: Any, payee_bank: str, payee_account: str) -> list[Claim]:
    """The settlement's claims (see the module); nothing when it settled at 0."""
    if project.settled_fen <= 0:
        return []
    enrollments = list(project_finished_enrollments(project).select_related("training_class").order_by("pk"))
    if not enrollments:
        return []
    on = timezone.localdate()
    version = policy_for(SubsidyType.TRAINING, project.region_id, on)
    policy = rules_of(version)
    live = (
        Claim.objects.filter(subsidy_type=SubsidyType.TRAINING, enrollment_id__in=[e.pk for e in enrollments],
                             status__in=LIVE_STATUSES).only("number", "person_name").first()
    )  # fmt: skip
    if live is not None:
        raise Conflict(f"学员 {live.person_name} 已有在办或已拨付的培训补贴申请 {live.number}，不能在项目结算中重复拨付。",
                       code=Code.DUPLICATE_CLAIM)  # fmt: skip
    data = ClaimInput(subsidy_type=SubsidyType.TRAINING, event_ref="", applicant_kind=ApplicantKind.PROVIDER,
                      applicant_org_id=project.organization_id, payee_bank=payee_bank, payee_account=payee_account)  # fmt: skip
    shares = split_fen(project.settled_fen, len(enrollments))
    made: list[Claim] = []
    for enrollment, amount in zip(enrollments, shares, strict=True):
        if amount <= 0:
            continue
        lock_person(enrollment.person_id)
        line = {
            "code": "project_settlement",
            "outcome": "info",
            "message": f"项目制培训 {project.code}（合同 {project.contract_number}）结算 "
            f"{format_fen(project.settled_fen)}，结业 {len(enrollments)} 人，本人 {format_fen(amount)}",
            "figures": {"project": project.code, "settled_fen": project.settled_fen, "trainees": len(enrollments),
                        "share_fen": amount},
        }  # fmt: skip
        cls = enrollment.training_class
        claim = insert_computed(
            actor=actor, data=data, person_id=enrollment.person_id, region_code=cls.region_id, version=version,
            org=project.organization, event_kind=EventKind.ENROLLMENT, event_ref=str(enrollment.pk),
            event_key=f"enrollment:{enrollment.pk}", event_date=enrollment.completed_on or cls.end_date,
            event_label=f"项目制培训 {project.code} {cls.code} {cls.name}", amount_fen=amount, lines=[line],
            fund_source=policy.fund_source, channel="bank_account", enrollment_id=enrollment.pk, payee_kind="provider",
        )  # fmt: skip
        step_record(claim=claim, step="submit", actor=actor, outcome=claim.decision,
                    data={"amount_fen": amount, "project": project.code})  # fmt: skip
        made.append(claim)
    return made


def settlement_hook(*, actor: Actor, project: Any, payee_bank: str = "", payee_account: str = "") -> None:
    settlement_claims(actor=actor, project=project, payee_bank=payee_bank, payee_account=payee_account)
