"""培训补贴：按班级批量申请 — from a completed class, the provider's staff pick the completed enrollments
(checkboxes, all by default) and submit one training-subsidy claim per enrollment through the existing claim
service (``claims.claim_submit``: every check, its lock and its audit); the page shows each row's result. Each claim
is its own transaction, so a refused row writes nothing and does not stop the others.

The payee account is picked among the accounts the provider's earlier claims were paid to (shown masked, the number
itself never leaves the server: the chosen one is decrypted here and handed to the service), or typed anew. A
trainee whose claim was refused (不予通过) shows 已驳回 with the reason and may be claimed again (the service's checks
decide whether the rules still allow it, e.g. the claim period)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jineng.accounts.api import current_user, get_visible, principal_for
from jineng.common.crypto import decrypt
from jineng.common.errors import DomainError, PermissionDenied
from jineng.subsidies.catalog import ApplicantKind, ClaimStatus, SubsidyType
from jineng.subsidies.models import Claim
from jineng.subsidies.services import claims as claim_services
from jineng.training import api as training

# A claim in these states no longer holds its enrollment: the enrollment may be claimed again.
RECLAIMABLE = {ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN, ClaimStatus.SUPERSEDED}


def payee_accounts(organization_id: Any, limit: int = 5) -> list[Claim]:
    """本机构收款账号 — the distinct bank accounts (bank, masked number) of the organization's earlier claims, the
    most recently used first; each represented by its latest claim (whose encrypted number is reused)."""
    seen: dict[tuple[str, str], Claim] = {}
    qs = (
        Claim.objects.filter(payee_org_id=organization_id, payee_channel="bank_account")
        .exclude(payee_account_enc="")
        .only("pk", "number", "payee_bank", "payee_account_masked", "payee_account_enc", "created_at")
        .order_by("-created_at")
    )
    for claim in qs[:200]:
        seen.setdefault((claim.payee_bank, claim.payee_account_masked), claim)
        if len(seen) >= limit:
            break
    return list(seen.values())


def _rows(tc: Any) -> list[dict[str, Any]]:
    enrollments = list(
        training.Enrollment.objects.filter(training_class=tc, status=training.EnrollmentStatus.FINISHED).order_by(
            "person_name", "id"
        )
    )
    latest: dict[Any, Claim] = {}
    for claim in Claim.objects.filter(enrollment_id__in=[e.pk for e in enrollments]).order_by("created_at"):
        latest[claim.enrollment_id] = claim
    rows = []
    for e in enrollments:
        claim = latest.get(e.pk)
        open_claim = claim if claim is not None and claim.status not in RECLAIMABLE else None
        closed = claim if claim is not None and claim.status in RECLAIMABLE else None
        rows.append({"e": e, "claim": open_claim, "closed": closed, "passed": e.result == training.EnrollmentResult.PASSED,
                     "selectable": open_claim is None and e.result == training.EnrollmentResult.PASSED})  # fmt: skip
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def class_claims(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    tc = get_visible(training.TrainingClass.objects.select_related("provider__organization"), user, class_id)
    if str(tc.organization_id) not in {str(o) for o in principal_for(user).orgs_with("org.edit")}:
        raise PermissionDenied(_("只有本班培训机构的工作人员可以申请本班的培训补贴。"))
    if tc.status != training.ClassStatus.COMPLETED:
        raise PermissionDenied(_("培训班结业后才能申请培训补贴。"))
    results: list[dict[str, Any]] = []
    posted: dict[str, Any] = {}
    accounts = payee_accounts(tc.organization_id)
    if request.method == "POST":
        chosen = set(request.POST.getlist("enrollment"))
        payee_from = request.POST.get("payee_from") or ("new" if not accounts else str(accounts[0].pk))
        posted = {"payee_bank": request.POST.get("payee_bank", ""), "chosen": chosen, "payee_from": payee_from}
        known = next((a for a in accounts if str(a.pk) == payee_from), None)
        if known is not None:  # a registered account: its number is decrypted here, never sent to the browser
            bank, account = known.payee_bank, decrypt(known.payee_account_enc, context=claim_services.ACCOUNT_CONTEXT)
        else:
            bank, account = request.POST.get("payee_bank", ""), request.POST.get("payee_account", "")
        by_id = {str(r["e"].pk): r for r in _rows(tc)}
        for enrollment_id in [i for i in by_id if i in chosen]:
            row = by_id[enrollment_id]
            if not row["selectable"]:
                continue
            data = claim_services.ClaimInput(
                subsidy_type=SubsidyType.TRAINING, event_ref=enrollment_id, applicant_kind=ApplicantKind.PROVIDER,
                applicant_org_id=tc.organization_id, payee_bank=bank, payee_account=account,
                note=request.POST.get("note", ""),
            )  # fmt: skip
            try:
                claim = claim_services.claim_submit(actor=user, data=data)
            except DomainError as exc:
                reasons = [f.message for f in exc.fields if f.message] or [exc.message]
                results.append({"e": row["e"], "ok": False, "reasons": reasons})
            else:
                results.append({"e": row["e"], "ok": True, "claim": claim})
        if not chosen:
            results.append({"e": None, "ok": False, "reasons": [_("请至少选择一名学员。")]})
    rows = _rows(tc)
    return render(request, "subsidies/class_claims.html", {
        "tc": tc, "rows": rows, "results": results, "posted": posted,
        "submitted": [r for r in results if r["ok"]], "refused": [r for r in results if not r["ok"]],
        "selectable": sum(1 for r in rows if r["selectable"]), "accounts": accounts,
        "payee_from": posted.get("payee_from") or (str(accounts[0].pk) if accounts else "new"),
    })  # fmt: skip
