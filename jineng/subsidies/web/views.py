"""Pages: applicants (their claims and the explained decision lines), reviewers (queues with deadlines and batch
actions), finance (batches, bank file, returns, ledger, reconciliation), policies, vouchers, and the public 公示
list. Thin: parse a form, call one service, render; a domain error becomes a message on the page."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jineng.accounts.api import (
    Organization,
    can,
    current_user,
    export_http,
    get_visible,
    list_page,
    principal_for,
    require,
    visible,
    wants_export,
)
from jineng.common.attachments.services import EVIDENCE_KINDS, KINDS
from jineng.common.crypto import decrypt
from jineng.common.errors import DomainError, InvalidState, NotFound, PermissionDenied
from jineng.common.ids import uuid_or_none
from jineng.common.masking import mask_name
from jineng.common.web.lists import page
from jineng.common.web.reveal import reveal_response
from jineng.providers.api import Program
from jineng.rules.subsidy import REJECT
from jineng.subsidies import presenters
from jineng.subsidies.catalog import (
    LIVE_STATUSES,
    REVIEW_QUEUES,
    TYPES,
    ApplicantKind,
    ClaimStatus,
    FundSource,
    SubsidyType,
)
from jineng.subsidies.idempotency import run_idempotent
from jineng.subsidies.labels import decision_label, ledger_role_label, money
from jineng.subsidies.lists import CLAIMS_MINE, CLAIMS_REVIEW, PAYMENT_BATCHES, VOUCHER_ISSUES, review_queue_of
from jineng.subsidies.models import (
    AllocationReversal,
    Claim,
    Debt,
    FundAccount,
    LedgerTransaction,
    Objection,
    PayeeChange,
    PaymentBatch,
    PolicyStatus,
    PolicyVersion,
    RecoveryOrder,
    RecoveryReceipt,
    RecoveryStatus,
    RequestStatus,
    Voucher,
    VoucherIssue,
    VoucherKind,
)
from jineng.subsidies.money import yuan_to_fen
from jineng.subsidies.policy_table import rule_rows
from jineng.subsidies.selectors import (
    awaiting_payment,
    claim_event_choices,
    claims_visible,
    grant_lines_of,
    grants_payable,
    policies_for_user,
    publicity_item,
    publicity_list,
    queue,
    recoveries_visible,
    recovery_filter,
    step_refusal,
    vouchers_of_person,
)
from jineng.subsidies.services import advances, evidence, payments, policies, recovery, review, vouchers
from jineng.subsidies.services import claims as claim_services
from jineng.subsidies.services import ledger as ledger_services
from jineng.subsidies.services.support import LEDGER, PAY, POLICY_EDIT, REVEAL, REVIEW, VIEW, today
from jineng.subsidies.web.class_claims import payee_accounts


def _int(value: Any, default: int | None = 0) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _error(request: HttpRequest, exc: DomainError) -> None:
    detail = "；".join(f.message for f in exc.fields[:6] if f.message not in exc.message)
    messages.error(request, f"{exc.message}{'；' + detail if detail else ''}")


# ---- applicants ------------------------------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My claims (worker) or my organization's claims (provider, enterprise), with my vouchers."""
    if wants_export(request):
        return export_http(request, CLAIMS_MINE)
    user = current_user(request)
    p = principal_for(user)
    listing = list_page(request, CLAIMS_MINE)
    my_vouchers = list(vouchers_of_person(p.person_id)) if p.person_id else []
    return render(request, "subsidies/mine.html", {
        **listing, "statuses": ClaimStatus.choices, "status": listing["filters"]["status"],
        "vouchers": my_vouchers, "today": today(),
    })  # fmt: skip


@login_required
def my_vouchers(request: HttpRequest) -> HttpResponse:
    """我的培训券 — the vouchers issued to the signed-in worker (also listed under 我的补贴)."""
    p = principal_for(current_user(request))
    if not p.has("self.view"):
        raise PermissionDenied()
    my = list(vouchers_of_person(p.person_id).select_related("used_organization", "used_program")) if p.person_id \
        else []  # fmt: skip
    claims = {c.event_ref: c for c in Claim.objects.filter(event_kind="voucher", event_ref__in=[str(v.pk) for v in my])}
    for v in my:
        v.claim = claims.get(str(v.pk))  # type: ignore[attr-defined]  # the settlement (核销) claim it made
    from jineng.registry.api import Person

    person = Person.objects.filter(pk=p.person_id).first() if p.person_id else None
    open_issues = vouchers.issues_open_to(person) if person is not None else []
    return render(request, "subsidies/my_vouchers.html", {"vouchers": my, "open_issues": open_issues})


@login_required
@require_POST
def voucher_apply(request: HttpRequest, issue_id: uuid.UUID) -> HttpResponse:
    """申领 — the worker applies for a voucher of an open issue they are eligible for (the service checks)."""
    user = current_user(request)
    p = principal_for(user)
    if not p.has("self.view") or not p.person_id:
        raise PermissionDenied()
    issue = VoucherIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        raise NotFound()
    try:
        v = vouchers.voucher_apply(actor=user, issue=issue)
        messages.success(request, _("已领取培训券 %(c)s，可在报名培训时使用。") % {"c": v.code})
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:my_vouchers")


def _claim_input(request: HttpRequest, accounts: list[Claim] | None = None) -> claim_services.ClaimInput:
    post = request.POST
    bank, account = post.get("payee_bank", ""), post.get("payee_account", "")
    known = next((a for a in accounts or [] if str(a.pk) == post.get("payee_from", "")), None)
    if known is not None:  # the organization's account on file: decrypted here, its number never sent to the browser
        bank, account = known.payee_bank, decrypt(known.payee_account_enc, context=claim_services.ACCOUNT_CONTEXT)
    return claim_services.ClaimInput(
        subsidy_type=post.get("subsidy_type", ""),
        event_ref=post.get("event_ref", "").strip(),
        applicant_kind=post.get("applicant_kind", ""),
        applicant_org_id=uuid_or_none(post.get("applicant_org")),
        insurance_region=post.get("insurance_region", "").strip(),
        months=_int(post.get("months")) or 0,
        insured_months_declared=_int(post.get("insured_months"), None),
        payee_bank=bank,
        payee_account=account,
        note=post.get("note", ""),
    )


def _applicant_kinds(user: Any, orgs: list[Organization]) -> list[str]:
    """Who this user may apply as: themself (a registered person) and their provider's or enterprise's staff."""
    p = principal_for(user)
    kinds = [ApplicantKind.PERSON.value] if p.person_id else []
    for kind in (ApplicantKind.PROVIDER, ApplicantKind.ENTERPRISE):
        if any(o.kind == kind for o in orgs):
            kinds.append(kind.value)
    return kinds


def _open_to_person(subsidy_type: str, region_code: str | None, on: Any) -> bool:
    """Whether the policy in force for the person's region pays the person (a training subsidy of Guangdong is paid
    to the provider: a worker cannot file it)."""
    if not region_code:
        return False
    try:
        version = policies.policy_for(subsidy_type, region_code, on)
    except DomainError:
        return False
    return policies.rules_of(version).payee == "person"


def _claim_types(user: Any, kinds: list[str]) -> list[str]:
    """The subsidy types this user can file: an organization's types by its kind; an individual's only where the
    region's policy in force pays the individual."""
    person = None
    if ApplicantKind.PERSON in kinds:
        from jineng.registry.api import Person

        person = Person.objects.filter(pk=principal_for(user).person_id).first()
    out = []
    for code, spec in TYPES.items():
        org_side = any(k in spec.applicants for k in kinds if k != ApplicantKind.PERSON)
        person_side = (
            person is not None
            and ApplicantKind.PERSON in spec.applicants
            and _open_to_person(code, person.residence_region_id, today())
        )
        if org_side or person_side:
            out.append(str(code))
    return out


def _claimed_refs(subsidy_type: str, refs: list[str]) -> set[str]:
    keys = {f"{TYPES[subsidy_type].event}:{r}": r for r in refs}
    live = Claim.objects.filter(subsidy_type=subsidy_type, event_key__in=keys, status__in=LIVE_STATUSES)
    return {keys[k] for k in live.values_list("event_key", flat=True)}


def _open_events(user: Any, subsidy_type: str) -> list[tuple[str, str, bool]]:
    """The events the user may claim for under this type, newest first: those not claimed yet, then the claimed ones
    (``True``: the form groups them apart, not to be chosen)."""
    events = claim_event_choices(user, subsidy_type)
    claimed = _claimed_refs(subsidy_type, [ref for ref, _label in events])
    fresh = [(ref, label, False) for ref, label in events if ref not in claimed]
    done = [(ref, _("%(label)s（已申请）") % {"label": label}, True) for ref, label in events if ref in claimed]
    return fresh + done


# How many unclaimed events of each type an individual's form pre-checks to choose where it starts.
PRECHECK_EVENTS = 5


def _passes(user: Any, data: claim_services.ClaimInput) -> bool:
    try:
        prepared = claim_services.claim_check(actor=user, data=data)
    except DomainError:
        return False
    return prepared.decision.outcome != REJECT


def _claim_defaults(user: Any, types: list[str], kinds: list[str], orgs: list[Organization]) -> dict[str, str]:
    """What the form starts with. An individual: the first type and event (their certificate, their completed
    training) that passes the checks — 生活费补贴 for a trainee outside its groups, or a certificate already paid by
    the other 技能提升补贴, would only be refused. An organization: the first type with an event not yet claimed.
    Applying as whom the user is; the person's region as the insurance region."""
    p = principal_for(user)
    region = ""
    if p.person_id:
        from jineng.registry.api import Person

        person = Person.objects.filter(pk=p.person_id).first()
        region = (person.residence_region_id or "") if person else ""

    def fresh(subsidy_type: str) -> list[str]:
        refs = [ref for ref, _label in claim_event_choices(user, subsidy_type)]
        claimed = _claimed_refs(subsidy_type, refs)
        return [ref for ref in refs if ref not in claimed]

    chosen, event, defaults_note = "", "", ""
    if kinds == [ApplicantKind.PERSON.value]:
        for t in types:
            for ref in fresh(t)[:PRECHECK_EVENTS]:
                data = claim_services.ClaimInput(subsidy_type=t, event_ref=ref, applicant_kind="person",
                                                 insurance_region=region)  # fmt: skip
                if _passes(user, data):
                    chosen, event = t, ref
                    break
            if chosen:
                break
        if not chosen:
            defaults_note = "nothing_passes"
    if not chosen:
        chosen = next((t for t in types if fresh(t)), types[0] if types else "")
    spec = TYPES.get(chosen)
    kind = next((k for k in kinds if spec and k in spec.applicants), "")
    defaults = {"subsidy_type": chosen, "applicant_kind": kind, "insurance_region": region, "note_key": defaults_note}
    if event:
        defaults["event_ref"] = event
    if kind and kind != ApplicantKind.PERSON:
        org = next((o for o in orgs if o.kind == kind), None)
        defaults["applicant_org"] = str(org.pk) if org else ""
    return defaults


@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    """Apply: choose the subsidy and the training/certificate/hire; 预审 shows every check; 提交 submits. Only the
    types this user can file are offered, starting with one they have something to claim for."""
    user = current_user(request)
    p = principal_for(user)
    orgs = list(Organization.objects.filter(pk__in=p.orgs_with("org.edit")))
    kinds = _applicant_kinds(user, orgs)
    types = _claim_types(user, kinds)
    defaults = _claim_defaults(user, types, kinds, orgs)
    requested = request.POST.get("subsidy_type") or request.GET.get("type") or ""
    subsidy_type = requested if requested in types else defaults["subsidy_type"]
    if subsidy_type != defaults["subsidy_type"]:
        defaults.pop("event_ref", None)
        spec_kinds = TYPES[subsidy_type].applicants
        defaults["applicant_kind"] = next((k for k in kinds if k in spec_kinds), "")
        org = next((o for o in orgs if o.kind == defaults["applicant_kind"]), None)
        defaults["applicant_org"] = str(org.pk) if org else ""
    posted: dict[str, Any] = dict(defaults)
    for name in ("event_ref", "applicant_kind", "applicant_org", "insurance_region"):
        if request.GET.get(name):
            posted[name] = request.GET[name]
    if request.method == "POST":
        posted = request.POST
    allowed_kinds = [k for k in kinds if subsidy_type in TYPES and k in TYPES[subsidy_type].applicants]
    context: dict[str, Any] = {
        "types": [(t, SubsidyType(t).label) for t in types], "subsidy_type": subsidy_type,
        "events": _open_events(user, subsidy_type) if subsidy_type else [],
        "orgs": [o for o in orgs if o.kind in allowed_kinds],
        "applicant_kinds": [(k, ApplicantKind(k).label) for k in allowed_kinds], "posted": posted,
        "check": None, "nothing_passes": defaults.get("note_key") == "nothing_passes",
    }  # fmt: skip
    # An organization's accounts on file (the accounts its earlier claims were paid to, masked): offered as the payee,
    # a new one typed otherwise (issue 15: the enterprise's 以工代训 form offered none).
    org_id = str(posted.get("applicant_org") or "")
    on_file = org_id in {str(o.pk) for o in context["orgs"]} and posted.get("applicant_kind") != ApplicantKind.PERSON
    accounts = payee_accounts(org_id) if on_file else []
    context["accounts"] = accounts
    context["payee_from"] = posted.get("payee_from") or (str(accounts[0].pk) if accounts else "new")
    if request.method == "POST":
        data = _claim_input(request, accounts)
        try:
            if request.POST.get("op") == "submit":
                claim = claim_services.claim_submit(actor=user, data=data)
                messages.success(request, _("申请已提交：%(n)s") % {"n": claim.number})
                return redirect("subsidies:claim", claim.pk)
            context["check"] = _check_view(claim_services.claim_check(actor=user, data=data))
        except DomainError as exc:
            _error(request, exc)
            lines = exc.extra.get("lines") if exc.extra else None
            if lines:
                context["check"] = {"lines": [presenters.line_view(x) for x in lines], "refused": True}
            elif request.POST.get("op") == "submit":
                # a refused submission (a bad account, a missing bank …) keeps its 预审 beside what was typed
                try:
                    context["check"] = _check_view(claim_services.claim_check(actor=user, data=data))
                except DomainError:
                    pass
    return render(request, "subsidies/claim_new.html", context)


def _check_view(prepared: Any) -> dict[str, Any]:
    return {
        "decision": prepared.decision, "decision_label": decision_label(prepared.decision.outcome),
        "lines": [presenters.line_view(x.as_dict()) for x in prepared.decision.lines],
        "policy": prepared.version, "region": _region_name(prepared.region_code),
        "amount": money(prepared.decision.amount_fen), "payable": money(prepared.decision.payable_fen),
        "rejected": prepared.decision.outcome == REJECT,  # nothing 核定 beside a refusal
    }  # fmt: skip


def _region_name(code: str) -> str:
    """A region by its name on a page (issue 15: 预审 showed the bare code 440106)."""
    from jineng.refdata.api import Region

    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def _claim_for(request: HttpRequest, claim_id: Any) -> Claim:
    user = current_user(request)
    claim: Claim = get_visible(claims_visible(user), user, claim_id)
    return claim


@login_required
def claim_detail(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    claim = _claim_for(request, claim_id)
    fresh = Claim.objects.select_related("region", "applicant_org", "policy_version", "previous").get(pk=claim.pk)
    reviewer = can(user, REVIEW, region_code=claim.region_id) and claim.applicant_user_id != user.pk
    applicant = claim.applicant_user_id == user.pk or (
        claim.applicant_org_id is not None
        and str(claim.applicant_org_id) in {str(o) for o in principal_for(user).orgs_with("org.edit")}
    )
    return render(request, "subsidies/claim_detail.html", {
        "claim": fresh, "data": presenters.claim_detail(fresh), "reviewer": reviewer, "applicant": applicant,
        "today": today(), "S": ClaimStatus, "payer": can(user, PAY), "refusal": step_refusal(user, fresh),
        "open_objections": fresh.objections.filter(status="open"),
        "payee_changes": fresh.payee_changes.select_related("decided_by").order_by("-created_at")[:10],
        "next_version": getattr(fresh, "next_version", None),
        "evidence": [EvidenceRow(a) for a in evidence.claim_evidence(fresh)],
        "can_add_evidence": applicant and fresh.status in evidence.EVIDENCE_STATUSES, "evidence_about": _("补贴申请"),
        "evidence_kinds": [(k, KINDS[k].label) for k in EVIDENCE_KINDS],
        "evidence_url": reverse("subsidies:claim_evidence", args=[fresh.pk]),
        "to_repay": advances.advances_due_recovery(Claim.objects.filter(pk=fresh.pk)),
        "person_masked": mask_name(fresh.person_name),
        "payee_shown": mask_name(fresh.payee_name) if fresh.payee_kind == "person" else fresh.payee_name,
        "may_reveal_name": can(user, REVEAL, region_code=fresh.region_id),
    })  # fmt: skip


@login_required
@require_POST
def claim_person_reveal(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    """查看完整姓名 — with ``registry.reveal`` over the claim's region and a reason (audited); never cached."""
    claim = _claim_for(request, claim_id)
    return reveal_response(request, "subsidies/_payee_reveal.html", lambda reason: claim_services.claim_person_reveal(
        actor=current_user(request), claim=claim, reason=reason))  # fmt: skip


class EvidenceRow:
    """A claim's file as the shared evidence table shows it (a claim's files are about the claim itself)."""

    enrollment = None

    def __init__(self, attachment: Any):
        self.attachment = attachment


@login_required
@require_POST
def claim_evidence_upload(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    """上传申请材料 — ID scans, contracts, invoices, photos, while the claim waits for acceptance or correction."""
    claim = _claim_for(request, claim_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidState(_("请选择要上传的文件。"), code="file_required")
        evidence.claim_evidence_add(
            actor=current_user(request), claim=claim, kind=request.POST.get("kind", ""),
            filename=upload.name or "upload", content_type=upload.content_type or "", stream=upload,
        )  # fmt: skip
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("材料已上传。"))
    return redirect(reverse("subsidies:claim", args=[claim.pk]) + "#evidence")


def _pending_change(claim: Claim) -> PayeeChange:
    change: PayeeChange | None = PayeeChange.objects.filter(claim=claim, status=RequestStatus.PENDING).first()
    if change is None:
        raise InvalidState("该申请没有待审核的收款信息变更。", code="no_pending_change")
    return change


ACTIONS: dict[str, Callable[[Any, Claim, Any], Any]] = {
    "accept": lambda u, c, p: review.claim_accept(actor=u, claim=c, reason=p.get("reason", "")),
    "verify": lambda u, c, p: review.claim_verify(actor=u, claim=c, insured_months=_int(p.get("insured_months"), None),
                                                  reason=p.get("reason", "")),
    "first_review": lambda u, c, p: review.claim_first_review(actor=u, claim=c, reason=p.get("reason", "")),
    "second_review": lambda u, c, p: review.claim_second_review(actor=u, claim=c, reason=p.get("reason", "")),
    "approve": lambda u, c, p: review.claim_publicity_close(actor=u, claim=c),
    "return": lambda u, c, p: review.claim_return(actor=u, claim=c, reason=p.get("reason", "")),
    "reject": lambda u, c, p: review.claim_reject(actor=u, claim=c, reason=p.get("reason", "")),
    "withdraw": lambda u, c, p: review.claim_withdraw(actor=u, claim=c, reason=p.get("reason", "")),
    "payee": lambda u, c, p: payments.payee_change_request(actor=u, claim=c, payee_bank=p.get("payee_bank", ""),
                                                           payee_account=p.get("payee_account", ""), reason=p.get("reason", "")),
    "payee_approve": lambda u, c, p: payments.payee_change_decide(actor=u, change=_pending_change(c), approve=True,
                                                                  reason=p.get("reason", "")),
    "payee_reject": lambda u, c, p: payments.payee_change_decide(actor=u, change=_pending_change(c), approve=False,
                                                                 reason=p.get("reason", "")),
    "employment_share": lambda u, c, p: claim_services.claim_release_employment_share(actor=u, claim=c),
    "clawback": lambda u, c, p: recovery.claim_recovery_order(actor=u, claim=c, reason=p.get("reason", ""),
                                                              ref=f"subsidies.claim:{c.pk}"),
}  # fmt: skip


@login_required
@require_POST
def claim_action(request: HttpRequest, claim_id: uuid.UUID, action: str) -> HttpResponse:
    user = current_user(request)
    claim = _claim_for(request, claim_id)
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound()
    try:
        result = handler(user, claim, request.POST)
        if isinstance(result, RecoveryOrder):
            messages.success(request, _("已下达追回单 %(number)s，应追回 %(amount)s，须由另一人复核后记入资金台账。")
                             % {"number": result.number, "amount": money(result.amount_fen)})  # fmt: skip
            return redirect("subsidies:recovery", result.pk)
        messages.success(request, _("已办理。"))
        if isinstance(result, Claim) and result.pk != claim.pk:
            return redirect("subsidies:claim", result.pk)
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:claim", claim.pk)


@login_required
def claim_resubmit(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    claim = _claim_for(request, claim_id)
    if request.method == "POST":
        data = claim_services.claim_input_of(
            claim, payee_bank=request.POST.get("payee_bank", claim.payee_bank),
            payee_account=request.POST.get("payee_account", ""), months=_int(request.POST.get("months")) or 0,
            insured_months_declared=_int(request.POST.get("insured_months"), None), note=request.POST.get("note", ""),
        )  # fmt: skip
        try:
            new = claim_services.claim_resubmit(actor=user, claim=claim, data=data)
            messages.success(request, _("已重新提交：%(n)s（第 %(v)s 版）") % {"n": new.number, "v": new.version_no})
            return redirect("subsidies:claim", new.pk)
        except DomainError as exc:
            _error(request, exc)
    return render(
        request, "subsidies/claim_resubmit.html", {"claim": claim, "declared": (claim.inputs or {}).get("declared", {})}
    )


# ---- reviewers -------------------------------------------------------------------------------------------------------


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not principal_for(user).has(REVIEW):
        raise PermissionDenied()
    if wants_export(request):
        return export_http(request, CLAIMS_REVIEW)
    counts = {s: queue(user, s).count() for s in REVIEW_QUEUES}
    if not request.GET.get("queue"):  # open on the first step with work waiting (复审 for a 复审 reviewer)
        first = next((k for k in REVIEW_QUEUES if counts[k]), None)
        if first is not None and first != review_queue_of({}):
            return redirect(reverse("subsidies:review") + f"?queue={first}")
    listing = list_page(request, CLAIMS_REVIEW)
    status = review_queue_of(listing["filters"])
    objections = visible(Objection, user, REVIEW).filter(status="open").select_related("claim")
    return render(request, "subsidies/review_queue.html", {
        **listing, "queue": status, "queues": [(k, v, counts[k]) for k, v in REVIEW_QUEUES.items()],
        "today": today(), "objections": objections[:50],
    })  # fmt: skip


BULK: dict[str, Callable[..., Claim]] = {
    "accept": review.claim_accept,
    "first_review": review.claim_first_review,
    "second_review": review.claim_second_review,
}


@login_required
@require_POST
def review_bulk(request: HttpRequest) -> HttpResponse:
    """批量办理 — the same step for the selected claims; each is checked on its own, failures are listed."""
    user = current_user(request)
    action = request.POST.get("action", "")
    back = reverse("subsidies:review") + f"?queue={request.POST.get('queue', '')}"
    if action == "approve":
        step: Any = lambda actor, claim, reason: review.claim_publicity_close(actor=actor, claim=claim)  # noqa: E731
    elif action in BULK:
        fn = BULK[action]
        step = lambda actor, claim, reason: fn(actor=actor, claim=claim, reason=reason)  # noqa: E731
    else:
        messages.error(request, _("请选择批量操作。"))
        return redirect(back)
    done, failed = 0, []
    for claim in claims_visible(user, REVIEW).filter(
        pk__in=[i for i in request.POST.getlist("claim") if uuid_or_none(i)]
    ):
        try:
            step(user, claim, request.POST.get("reason", ""))
            done += 1
        except DomainError as exc:
            failed.append(f"{claim.number}：{exc.message}")
    messages.success(request, _("已办理 %(n)d 件。") % {"n": done})
    for text in failed[:20]:
        messages.error(request, text)
    return redirect(back)


@login_required
@require_POST
def objection_raise(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    claim = Claim.objects.filter(number=request.POST.get("number", "").strip(), status=ClaimStatus.PUBLICITY).first()
    if claim is None:
        messages.error(request, _("没有处于公示期的该项申请。"))
        return redirect("publicity:list")
    try:
        review.objection_raise(
            actor=user, claim=claim, reason=request.POST.get("reason", ""), name=request.POST.get("name", "")
        )
        messages.success(request, _("异议已提交，经办机构将在公示期内核查处理。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("publicity:list")


@login_required
@require_POST
def objection_resolve(request: HttpRequest, objection_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    objection: Objection = get_visible(Objection, user, objection_id, REVIEW)
    try:
        review.objection_resolve(actor=user, objection=objection, upheld=request.POST.get("upheld") == "1",
                                 resolution=request.POST.get("resolution", ""))  # fmt: skip
        messages.success(request, _("异议已处理。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:claim", objection.claim_id)


# ---- finance ---------------------------------------------------------------------------------------------------------


@login_required
def payments_home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not principal_for(user).has(PAY):
        raise PermissionDenied()
    if request.method == "GET" and wants_export(request):
        return export_http(request, PAYMENT_BATCHES)
    if request.method == "POST":
        ids = [i for i in request.POST.getlist("claim") if uuid_or_none(i)]
        note = str(request.POST.get("note", ""))
        body: dict[str, Any] = {"claim_ids": ids, "note": note}

        def effect() -> tuple[int, Any]:
            batch = payments.batch_create(actor=user, claim_ids=list(ids), note=note)
            return 201, {"id": str(batch.pk), "number": batch.number}

        try:
            status, payload, _replayed = run_idempotent(
                user=user, endpoint="payment-batches.create", key=request.POST.get("idempotency_key", ""), body=body,
                effect=effect,
            )  # fmt: skip
            if status == 201:
                messages.success(request, _("已生成拨付批次 %(n)s。") % {"n": payload["number"]})
                return redirect("subsidies:batch", payload["id"])
            messages.error(request, str(payload.get("message", "")))
        except DomainError as exc:
            _error(request, exc)
    pending = awaiting_payment(claims_visible(user, PAY)).order_by("payment_due", "approved_at")
    failed = claims_visible(user, PAY).filter(status=ClaimStatus.PAYMENT_FAILED)
    return render(request, "subsidies/payments.html", {
        "pending": pending[:500], "pending_total": money(sum(c.payable_fen for c in pending[:500])),
        "failed": failed[:200], **list_page(request, PAYMENT_BATCHES), "idempotency_key": uuid.uuid4().hex,
        "today": today(), "grants": list(grants_payable(user)[:200]),
    })  # fmt: skip


def _batch_for(request: HttpRequest, batch_id: Any) -> PaymentBatch:
    batch: PaymentBatch = get_visible(PaymentBatch, current_user(request), batch_id, PAY)
    return batch


@login_required
def batch_detail(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    return render(
        request,
        "subsidies/batch_detail.html",
        {
            "batch": batch,
            "data": presenters.batch_out(batch, lines=True),
            "grant_lines": list(grant_lines_of(batch.pk)),
            # lines are confirmed from the bank's return: only once the bank file went out (the service refuses too)
            "confirmable": batch.status != "created",
        },
    )


@login_required
def batch_file(request: HttpRequest, batch_id: uuid.UUID, fmt: str) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    content, filename, mime = payments.bank_file(actor=current_user(request), batch=batch, fmt=fmt)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def batch_confirm(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    """Confirm lines by hand (a return received on paper): each selected line paid, or failed with a reason."""
    user = current_user(request)
    batch = _batch_for(request, batch_id)
    result = request.POST.get("result", "")
    rows = [
        payments.ReturnRow(
            row=n,
            line_id=line_id,
            claim_number="",
            result=result,
            reason=request.POST.get("reason", ""),
            bank_reference=request.POST.get("bank_reference", ""),
        )  # fmt: skip
        for n, line_id in enumerate(request.POST.getlist("line"), start=1)
    ]
    if len(rows) > 1 and request.POST.get("bank_reference", "").strip():
        # the bank's return gives each payment its own reference: one is never stamped on several lines
        messages.error(request, _("银行流水号每笔一个：填写流水号时一次只能确认一条明细（多条请上传回盘文件）。"))
        return redirect("subsidies:batch", batch.pk)
    try:
        outcome = payments.returns_apply(actor=user, rows=rows, batch=batch, references_required=True)
        messages.success(
            request, _("已确认：支付成功 %(p)d 条，失败 %(f)d 条。") % {"p": outcome["paid"], "f": outcome["failed"]}
        )
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:batch", batch.pk)


@login_required
def ledger_home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(user, LEDGER)
    if request.method == "POST":
        try:
            ledger_services.allocation_create(actor=user, fund_source=request.POST.get("fund_source", ""),
                                              region_code=request.POST.get("region", ""),
                                              amount_fen=yuan_to_fen(request.POST.get("amount", ""), field="amount"),
                                              memo=request.POST.get("memo", ""))  # fmt: skip
            messages.success(request, _("资金已拨入。"))
            return redirect("subsidies:ledger")
        except DomainError as exc:
            _error(request, exc)
    accounts = visible(FundAccount, user, LEDGER).order_by("region_id", "fund_source")
    codes = list(accounts.values_list("region_id", flat=True).distinct())
    report = ledger_services.reconcile(region_codes=codes)
    rows = [
        {
            "account": a.account,
            "balances": {ledger_role_label(k): money(v) for k, v in a.balances.items()},
            "paid": money(a.paid_fen),
            "clawed": money(a.clawed_fen),
            "allocated": money(a.allocated_fen),
            "reversed": money(a.reversed_fen),
        }  # fmt: skip
        for a in report.accounts
    ]
    txns = visible(LedgerTransaction, user, LEDGER).select_related("fund_account__region").order_by("-created_at")
    debts = visible(Debt, user, PAY).select_related("claim", "recovery_order").order_by("-created_at")[:100]
    reversals = visible(AllocationReversal, user, LEDGER).select_related("allocation", "decided_by")
    live = set(
        reversals.filter(status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]).values_list(
            "allocation_id", flat=True
        )
    )
    return render(request, "subsidies/ledger.html", {
        "rows": rows, "report": report, "page_obj": page(request, txns), "funds": FundSource.choices,
        "debts": debts, "posted": request.POST, "reversals": reversals.order_by("-created_at")[:50],
        "reversible": live,
    })  # fmt: skip


@login_required
@require_POST
def reversal_request(request: HttpRequest, transaction_id: uuid.UUID) -> HttpResponse:
    """申请冲销 — a mistaken allocation, with the reason; another person approves it."""
    user = current_user(request)
    allocation: LedgerTransaction = get_visible(LedgerTransaction, user, transaction_id, LEDGER)
    try:
        ledger_services.reversal_request(actor=user, allocation=allocation, reason=request.POST.get("reason", ""))
        messages.success(request, _("冲销申请已提交，须由另一人审核后记账。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:ledger")


@login_required
@require_POST
def reversal_decide(request: HttpRequest, reversal_id: uuid.UUID, decision: str) -> HttpResponse:
    user = current_user(request)
    item: AllocationReversal = get_visible(AllocationReversal, user, reversal_id, LEDGER)
    if decision not in ("approve", "reject"):
        raise NotFound()
    try:
        ledger_services.reversal_decide(actor=user, request=item, approve=decision == "approve",
                                        reason=request.POST.get("reason", ""))  # fmt: skip
        messages.success(request, _("已冲销并记账。") if decision == "approve" else _("已驳回冲销申请。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:ledger")


@login_required
@require_POST
def debt_recover(request: HttpRequest, debt_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    debt: Debt = get_visible(Debt, user, debt_id, PAY)
    try:
        receipt = recovery.debt_receipt_record(
            actor=user, debt=debt, amount_fen=yuan_to_fen(request.POST.get("amount", ""), field="amount"),
            key=request.POST.get("key", "")[:200], received_on=request.POST.get("received_on", "")[:20] or None,
            memo=request.POST.get("memo", "")[:300],
        )  # fmt: skip
    except DomainError as exc:
        _error(request, exc)
        return redirect("subsidies:ledger")
    messages.success(request, _("已登记到账，须由另一人确认后入账。"))
    return redirect("subsidies:recovery", receipt.order_id)


# ---- policies ----------------------------------------------------------------------------------------------------


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    qs = policies_for_user(user).order_by("subsidy_type", "region_id", "-valid_from", "-version_no")
    return render(
        request,
        "subsidies/policy_list.html",
        {"page_obj": page(request, qs), "can_edit": principal_for(user).has(POLICY_EDIT)},
    )


def _policy_for(request: HttpRequest, policy_id: Any) -> PolicyVersion:
    version: PolicyVersion | None = policies_for_user(current_user(request)).filter(pk=policy_id).first()
    if version is None:
        raise NotFound()
    return version


@login_required
def policy_detail(request: HttpRequest, policy_id: uuid.UUID) -> HttpResponse:
    import json

    user = current_user(request)
    version = _policy_for(request, policy_id)
    editable = version.status == PolicyStatus.DRAFT and can(user, POLICY_EDIT, region_code=version.region_id)
    rules_text = request.POST.get("rules") or json.dumps(version.rules, ensure_ascii=False, indent=2)
    if request.method == "POST" and editable:
        try:
            if request.POST.get("op") == "publish":
                policies.policy_publish(actor=user, version=version)
                messages.success(request, _("已发布。"))
            elif request.POST.get("op") == "discard":
                policies.policy_discard(
                    actor=user, version=version, reason=request.POST.get("reason", "") or "作废草稿"
                )
                messages.success(request, _("草稿已作废。"))
            else:
                policies.policy_draft_update(actor=user, version=version, changes=_policy_changes(request, rules_text))
                messages.success(request, _("草稿已保存。"))
            return redirect("subsidies:policy", version.pk)
        except DomainError as exc:
            _error(request, exc)
        except ValueError as exc:
            messages.error(request, _("规则不是有效的 JSON：%(e)s") % {"e": exc})
    return render(request, "subsidies/policy_detail.html", {
        "v": version, "editable": editable, "rules_text": rules_text, "rule_rows": rule_rows(version.rules),
        "can_copy": can(user, POLICY_EDIT, region_code=version.region_id),
    })  # fmt: skip


def _policy_changes(request: HttpRequest, rules_text: str) -> dict[str, Any]:
    import datetime as dt
    import json

    post = request.POST
    changes: dict[str, Any] = {"rules": json.loads(rules_text)}
    for name in ("title", "citation", "source_url", "note"):
        if name in post:
            changes[name] = post.get(name, "")
    for name in ("valid_from", "valid_to"):
        if name in post:
            value = post.get(name, "").strip()
            changes[name] = dt.date.fromisoformat(value) if value else None
    return changes


@login_required
@require_POST
def policy_copy(request: HttpRequest, policy_id: uuid.UUID) -> HttpResponse:
    """新建版本 — a draft copied from a version, starting tomorrow, to edit and publish."""
    import datetime as dt

    user = current_user(request)
    base = _policy_for(request, policy_id)
    region = request.POST.get("region", "") or base.region_id
    try:
        draft = policies.policy_draft_create(
            actor=user, region_code=region, subsidy_type=base.subsidy_type, title=base.title,
            valid_from=today() + dt.timedelta(days=1), rules=base.rules, citation=base.citation,
            source_url=base.source_url, note="", based_on=base,
        )  # fmt: skip
        return redirect("subsidies:policy", draft.pk)
    except DomainError as exc:
        _error(request, exc)
        return redirect("subsidies:policy", base.pk)


# ---- vouchers ----------------------------------------------------------------------------------------------------


@login_required
def voucher_home(request: HttpRequest) -> HttpResponse:
    import datetime as dt

    user = current_user(request)
    p = principal_for(user)
    if request.method == "POST" and request.POST.get("op") == "create":
        post = request.POST
        try:
            data = vouchers.IssueData(
                region_code=post.get("region", ""), kind=post.get("kind", ""), title=post.get("title", ""),
                content=post.get("content", ""), face_value_fen=yuan_to_fen(post.get("face_value", "0") or "0", field="face_value", label="面值"),
                discount_percent=_int(post.get("discount_percent")) or 0,
                groups=post.getlist("groups"), valid_from=dt.date.fromisoformat(post.get("valid_from", "")),
                valid_until=dt.date.fromisoformat(post.get("valid_until", "")), quantity=_int(post.get("quantity")) or 0,
                fund_source=post.get("fund_source", FundSource.EMPLOYMENT_FUND),
                providers=[x for x in post.get("providers", "").split() if uuid_or_none(x)],
                programs=[x for x in post.get("programs", "").split() if uuid_or_none(x)],
            )  # fmt: skip
            issue = vouchers.voucher_issue_create(actor=user, data=data)
            messages.success(request, _("已新建发放批次。"))
            return redirect("subsidies:voucher_issue", issue.pk)
        except DomainError as exc:
            _error(request, exc)
        except ValueError:
            messages.error(request, _("日期格式不正确（YYYY-MM-DD）。"))
    elif request.method == "POST" and request.POST.get("op") == "use":
        org_id, program_id = uuid_or_none(request.POST.get("organization")), uuid_or_none(request.POST.get("program"))
        org = Organization.objects.filter(pk=org_id).first() if org_id else None
        program = Program.objects.filter(pk=program_id).first() if program_id else None
        try:
            if org is None or program is None:
                raise NotFound("机构或培训项目不存在。")
            v = vouchers.voucher_use(actor=user, code=request.POST.get("code", ""),
                                     holder_id_number=request.POST.get("holder_id_number", ""), organization=org,
                                     program=program, fee_fen=yuan_to_fen(request.POST.get("fee", "0") or "0", field="fee", label="培训费"))  # fmt: skip
            messages.success(request, _("培训券 %(c)s 已使用。") % {"c": v.code})
        except DomainError as exc:
            _error(request, exc)
        return redirect("subsidies:vouchers")
    if request.method == "GET" and wants_export(request):
        return export_http(request, VOUCHER_ISSUES)
    listing = list_page(request, VOUCHER_ISSUES)
    counts = vouchers.issue_counts([i.pk for i in listing["page_obj"]])
    from jineng.registry.api import Group

    return render(request, "subsidies/vouchers.html", {
        **listing, "counts": counts, "kinds": VoucherKind.choices, "groups": Group.choices,
        "funds": FundSource.choices, "can_issue": p.has("registry.edit"),
        "orgs": Organization.objects.filter(pk__in=p.orgs_with("org.edit")),
        "programs": Program.objects.filter(retired_at__isnull=True).order_by("code")[:200] if p.orgs_with("org.edit") else [],
        "mine": vouchers_of_person(p.person_id) if p.person_id else [], "posted": request.POST,
    })  # fmt: skip


@login_required
def voucher_issue(request: HttpRequest, issue_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    issue: VoucherIssue = get_visible(VoucherIssue, user, issue_id)
    if request.method == "POST":
        try:
            if request.POST.get("op") == "issue_group":
                n = vouchers.vouchers_issue_to_group(actor=user, issue=issue)
                messages.success(request, _("已发放 %(n)d 张。") % {"n": n})
            elif request.POST.get("op") == "redeem":
                v: Voucher = get_visible(Voucher, user, request.POST.get("voucher"), REVIEW)
                vouchers.voucher_redeem(actor=user, voucher=v)
                messages.success(request, _("已核销。"))
        except DomainError as exc:
            _error(request, exc)
        return redirect("subsidies:voucher_issue", issue.pk)
    qs = visible(Voucher, user).filter(issue=issue).order_by("-created_at")
    return render(request, "subsidies/voucher_issue.html", {
        "issue": issue, "counts": vouchers.issue_counts([issue.pk])[issue.pk], "page_obj": page(request, qs),
    })  # fmt: skip


@login_required
@require_POST
def voucher_claim(request: HttpRequest, voucher_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    v: Voucher = get_visible(Voucher, user, voucher_id, "self.view")
    try:
        vouchers.voucher_claim(actor=user, voucher=v)
        messages.success(request, _("已领用。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:mine")


# ---- public --------------------------------------------------------------------------------------------------------


def publicity(request: HttpRequest) -> HttpResponse:
    """补贴公示 — no login; names masked."""
    region = request.GET.get("region", "").strip()
    items = [publicity_item(c) for c in publicity_list(region=region)[:1000]]
    for item in items:
        item["amount"] = money(item["amount_fen"])
    return render(request, "subsidies/publicity.html", {"items": items, "region": region, "today": today()})


# ---- recovery orders (追回单, ADR 0027) ------------------------------------------------------------------------------


@login_required
def recovery_list(request: HttpRequest) -> HttpResponse:
    """追回单 — ordered by case officials, approved and their money confirmed by a second finance officer."""
    user = current_user(request)
    status, q = request.GET.get("status", "")[:12], request.GET.get("q", "")[:40]
    qs = recovery_filter(recoveries_visible(user), status=status, q=q).order_by("-created_at")
    return render(request, "subsidies/recoveries.html", {
        "page": page(request, qs), "status": status, "q": q, "statuses": RecoveryStatus.choices,
    })  # fmt: skip


@login_required
def recovery_detail(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    order: RecoveryOrder = get_visible(recoveries_visible(user), user, order_id, VIEW)
    return render(request, "subsidies/recovery_detail.html", {
        "order": order, "receipts": order.receipts.all(), "may_pay": can(user, PAY, region_code=order.region_id),
        "today": today(),
    })  # fmt: skip


@login_required
@require_POST
def recovery_decide(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    order: RecoveryOrder = get_visible(recoveries_visible(user), user, order_id, VIEW)
    approve = request.POST.get("decision") == "approve"
    try:
        recovery.recovery_order_decide(actor=user, order=order, approve=approve,
                                       reason=request.POST.get("reason", "")[:2000])  # fmt: skip
        messages.success(request, _("追回单已复核通过，补贴已认定追回并记账。") if approve else _("追回单已驳回。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:recovery", order_id=order.pk)


@login_required
@require_POST
def recovery_receipt_new(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    order: RecoveryOrder = get_visible(recoveries_visible(user), user, order_id, VIEW)
    try:
        recovery.recovery_receipt_record(
            actor=user, order=order, amount_fen=yuan_to_fen(request.POST.get("amount", ""), field="amount",
                                                            label=_("到账金额")),
            key=request.POST.get("key", "")[:80], received_on=request.POST.get("received_on", "")[:10] or None,
            memo=request.POST.get("memo", "")[:300],
        )  # fmt: skip
        messages.success(request, _("已登记到账，须由另一人确认后入账。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:recovery", order_id=order.pk)


@login_required
@require_POST
def recovery_receipt_decide(request: HttpRequest, receipt_id: uuid.UUID, decision: str) -> HttpResponse:
    user = current_user(request)
    receipt: RecoveryReceipt = get_visible(RecoveryReceipt, user, receipt_id, VIEW)
    if decision not in ("confirm", "reject"):
        raise NotFound()
    try:
        recovery.recovery_receipt_confirm(actor=user, receipt=receipt, approve=decision == "confirm",
                                          reason=request.POST.get("reason", "")[:2000])  # fmt: skip
        messages.success(request, _("已确认到账并记账。") if decision == "confirm" else _("已驳回该到账登记。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("subsidies:recovery", order_id=receipt.order_id)
