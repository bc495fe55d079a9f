"""培训补贴：按班级批量申请 — from a completed class, the provider's staff pick the completed enrollments
(checkboxes, all by default) and submit one training-subsidy claim per enrollment through the existing claim
service (``claims.claim_submit``: every check, its lock and its audit); the page shows each row's result. Each claim
is its own transaction, so a refused row writes nothing and does not stop the others."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jineng.accounts.api import current_user, get_visible, principal_for
from jineng.common.errors import DomainError, PermissionDenied
from jineng.subsidies import claims as claim_services
from jineng.subsidies.catalog import ApplicantKind, ClaimStatus, SubsidyType
from jineng.subsidies.models import Claim
from jineng.training import api as training

# A claim in these states no longer holds its enrollment: the enrollment may be claimed again.
RECLAIMABLE = {ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN, ClaimStatus.SUPERSEDED}


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
        rows.append({"e": e, "claim": open_claim, "passed": e.result == training.EnrollmentResult.PASSED,
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
    if request.method == "POST":
        chosen = set(request.POST.getlist("enrollment"))
        posted = {"payee_bank": request.POST.get("payee_bank", ""), "chosen": chosen}
        by_id = {str(r["e"].pk): r for r in _rows(tc)}
        for enrollment_id in [i for i in by_id if i in chosen]:
            row = by_id[enrollment_id]
            if not row["selectable"]:
                continue
            data = claim_services.ClaimInput(
                subsidy_type=SubsidyType.TRAINING, event_ref=enrollment_id, applicant_kind=ApplicantKind.PROVIDER,
                applicant_org_id=tc.organization_id, payee_bank=request.POST.get("payee_bank", ""),
                payee_account=request.POST.get("payee_account", ""), note=request.POST.get("note", ""),
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
        "selectable": sum(1 for r in rows if r["selectable"]),
    })  # fmt: skip
