"""证明材料 — files an applicant attaches to a subsidy claim (ID scans, contracts, invoices, photos), stored by the
attachment service (kinds, types, size limits, encryption at rest, retention) and shown to the reviewers on the
claim page.

Who: the applicant (the worker who applied, or the staff of the applicant organization). When: while the claim
waits for acceptance or has been returned for correction (退回补正) — a claim under review keeps the evidence it was
accepted with.
"""

from __future__ import annotations

from typing import IO

from jineng.accounts.api import Actor, principal_for
from jineng.common.attachments.models import Attachment
from jineng.common.attachments.services import EVIDENCE_KINDS, attachment_store, attachments_about
from jineng.common.errors import FieldError, InvalidState, PermissionDenied, ValidationFailed
from jineng.subsidies.catalog import ClaimStatus
from jineng.subsidies.events import Object
from jineng.subsidies.models import Claim

CLAIM_OBJECT = Object.CLAIM.value
EVIDENCE_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.RETURNED)


def is_applicant(actor: Actor, claim: Claim) -> bool:
    if claim.applicant_user_id is not None and claim.applicant_user_id == getattr(actor, "pk", None):
        return True
    orgs = {str(o) for o in principal_for(actor).orgs_with("org.edit")}
    return claim.applicant_org_id is not None and str(claim.applicant_org_id) in orgs


def claim_evidence_add(
    *, actor: Actor, claim: Claim, kind: str, filename: str, content_type: str, stream: IO[bytes]
) -> Attachment:
    """Attach one file to the claim (the applicant, while it waits for acceptance or for correction)."""
    if not is_applicant(actor, claim):
        raise PermissionDenied("只有申请人可以上传申请材料。")
    if kind not in EVIDENCE_KINDS:
        raise ValidationFailed(
            "材料类型不正确。", [FieldError("kind", "bad_choice", "只能上传证明材料、合同、发票或照片。")]
        )
    if claim.status not in EVIDENCE_STATUSES:
        raise InvalidState("只有待受理或退回补正的申请可以上传材料。", code="claim_not_open")
    return attachment_store(
        actor=actor,
        kind=kind,
        filename=filename,
        content_type=content_type,
        stream=stream,
        region_code=claim.region_id,
        organization_id=claim.applicant_org_id,
        object_type=CLAIM_OBJECT,
        object_id=str(claim.pk),
    )


def claim_evidence(claim: Claim) -> list[Attachment]:
    """The files of this claim and of its earlier versions (a corrected claim keeps what was filed before)."""
    ids = [claim.pk]
    previous = claim.previous_id
    while previous is not None and len(ids) < 50:
        ids.append(previous)
        previous = Claim.objects.filter(pk=previous).values_list("previous_id", flat=True).first()
    return list(attachments_about(CLAIM_OBJECT, ids))
