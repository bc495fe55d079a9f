"""Reads of the subsidies app: claims in scope and in queues, the public 公示 list, batches, accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from jineng.accounts.api import Organization, principal_for, visible
from jineng.common.masking import mask_name
from jineng.common.numbers import int_or_none
from jineng.refdata.api import region_ancestors, region_subtree
from jineng.rules.certificates import display_number
from jineng.subsidies import facts as fx
from jineng.subsidies.catalog import TYPES, ClaimStatus, EventKind
from jineng.subsidies.models import (
    BaseGrant,
    Claim,
    ClaimHold,
    GrantLine,
    GrantStatus,
    LineState,
    PaymentLine,
    PolicyStatus,
    PolicyVersion,
    RecoveryOrder,
    RecoveryStatus,
    Voucher,
)
from jineng.subsidies.services.support import PAY, VIEW, today


def with_recovering(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """Each claim annotated ``recovering``: an approved recovery order on it still owes (追回中) — one EXISTS in the
    list's own query, so a page of clawed-back claims costs no query per row (``presenters.claim_status``)."""
    owing = RecoveryOrder.objects.filter(claim=OuterRef("pk"), status=RecoveryStatus.OPEN)
    return qs.annotate(recovering=Exists(owing))


def claim_recovering(claim: Claim) -> bool:
    """Whether ``claim`` is being recovered: its ``recovering`` annotation, else one query (a single claim)."""
    annotated = getattr(claim, "recovering", None)
    if annotated is not None:
        return bool(annotated)
    if claim.status != ClaimStatus.CLAWED_BACK:
        return False
    return RecoveryOrder.objects.filter(claim_id=claim.pk, status=RecoveryStatus.OPEN).exists()


def claims_visible(user: Any, permission: str = VIEW) -> QuerySet[Claim]:
    qs = visible(Claim, user, permission).select_related("region", "applicant_org", "policy_version")
    return with_recovering(qs)


def own_claims(user: Any) -> QuerySet[Claim]:
    """The claims a worker, provider or enterprise applicant sees as theirs."""
    p = principal_for(user)
    qs = Claim.objects.none()
    if p.person_id:
        qs = qs | Claim.objects.filter(person_id=p.person_id)
    orgs = p.orgs_with("org.view")
    if orgs:
        qs = qs | Claim.objects.filter(applicant_org_id__in=orgs)
    if p.user_id:
        qs = qs | Claim.objects.filter(applicant_user_id=p.user_id)
    return with_recovering(qs.distinct().select_related("region", "applicant_org"))


def awaiting_payment(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    """Approved claims with no pending or paid payment line and no open hold (止付) — what a new batch may take."""
    live = PaymentLine.objects.filter(claim=OuterRef("pk"), state__in=[LineState.PENDING, LineState.PAID])
    held = ClaimHold.objects.filter(claim=OuterRef("pk"), released_at__isnull=True)
    return qs.filter(status=ClaimStatus.APPROVED).exclude(Exists(live)).exclude(Exists(held))


def claim_filter(
    qs: QuerySet[Claim], *, status: str = "", subsidy_type: str = "", region: str = "", q: str = ""
) -> QuerySet[Claim]:
    """补贴申请列表 — by status (``approved``: approved and not yet in a payment batch), subsidy type, region (and
    below), the claim number."""
    if status == "approved":
        qs = awaiting_payment(qs)
    elif status:
        qs = qs.filter(status=status)
    if subsidy_type:
        qs = qs.filter(subsidy_type=subsidy_type)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    q = (q or "").strip()
    if q:
        qs = qs.filter(number=q)
    return qs


# Four eyes (review.SameReviewer): whoever did an earlier step of a claim may not do the step its status waits for.
EARLIER_STEPS: dict[str, tuple[str, ...]] = {
    ClaimStatus.ACCEPTED: ("accepted_by",),
    ClaimStatus.FIRST_PASSED: ("accepted_by", "first_reviewer"),
    ClaimStatus.PUBLICITY: ("accepted_by", "first_reviewer", "second_reviewer"),
}


def queue(user: Any, status: str) -> QuerySet[Claim]:
    """The claims waiting at ``status`` that this user may take the next step of: a claim whose earlier step they
    took waits for someone else and is left out of their queue."""
    qs = claims_visible(user, "records.review").filter(status=status)
    for field in EARLIER_STEPS.get(status, ()):
        qs = qs.exclude(**{field: user})
    return qs.order_by("review_due", "created_at")


def step_refusal(user: Any, claim: Claim, on: dt.date | None = None) -> str:
    """Why this user may not take the step the claim waits for (empty when they may): shown beside the disabled
    button instead of offering a step the service refuses."""
    pk = getattr(user, "pk", None)
    if pk is not None and any(getattr(claim, f + "_id") == pk for f in EARLIER_STEPS.get(claim.status, ())):
        return str(_("您办理过本申请的上一环节，本环节须由另一名审核人员办理（前后环节须由不同人员办理）。"))
    if claim.status == ClaimStatus.PUBLICITY and claim.publicity_end and (on or today()) <= claim.publicity_end:
        return str(_("公示期至 %(d)s，期满后方可审批通过。") % {"d": claim.publicity_end})
    return ""


def publicity_list(*, on: dt.date | None = None, region: str = "") -> QuerySet[Claim]:
    """Claims being announced (公示) today — a public list, names masked by the presenter."""
    day = on or today()
    qs = Claim.objects.filter(status=ClaimStatus.PUBLICITY, publicity_start__lte=day, publicity_end__gte=day)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    return qs.select_related("region").order_by("publicity_end", "number")


# What a public page may say of the event: the kind of event and its non-personal parts. The stored label is for
# staff and carries the person's name (学徒: "XT… 莫俊杰 第1年度"), a voucher code ("培训券 PX…") or a certificate
# number — none of which a public list may show next to a masked name.
def public_event_label(c: Claim) -> str:
    if c.event_kind == EventKind.CERTIFICATE:  # "证书 <number>": the number finds the holder on the verification page
        return str(EventKind.CERTIFICATE.label)
    tokens = (c.event_label or "").split()
    if c.event_kind == EventKind.VOUCHER and len(tokens) > 1:  # "培训券 <code> <program>"
        del tokens[1]
    names = [n for n in (c.person_name, c.payee_name if c.payee_kind == "person" else "") if n]
    kept = []
    for t in tokens:
        for n in names:
            t = t.replace(n, "")
        if t:
            kept.append(t)
    return " ".join(kept) or (str(EventKind(c.event_kind).label) if c.event_kind in EventKind.values else "")


def publicity_item(c: Claim) -> dict[str, Any]:
    return {
        "number": c.number,
        "name": mask_name(c.person_name),
        "subsidy_type": c.subsidy_type,
        "subsidy_type_label": c.get_subsidy_type_display(),
        "item": public_event_label(c),
        "region": c.region_id,
        "region_name": c.region.name,
        "amount_fen": c.amount_fen,
        "payee": mask_name(c.payee_name) if c.payee_kind == "person" else c.payee_name,
        "publicity_start": c.publicity_start,
        "publicity_end": c.publicity_end,
    }


def policies_for_user(user: Any) -> QuerySet[PolicyVersion]:
    """The versions in the user's regions, and the published ones of the regions above them (they apply there)."""
    p = principal_for(user)
    above: set[str] = set()
    for code in p.region_perms:
        above |= set(region_ancestors(code))
    mine = visible(PolicyVersion, user, VIEW)
    inherited = PolicyVersion.objects.filter(region_id__in=above, status=PolicyStatus.PUBLISHED)
    return (mine | inherited).distinct().select_related("region")


def vouchers_of_person(person_id: Any) -> QuerySet[Voucher]:
    return Voucher.objects.filter(person_id=person_id).select_related("issue")


def claim_event_choices(user: Any, subsidy_type: str) -> list[tuple[str, str]]:
    """What the user may claim for: their own trainings/certificates, their provider's trainees, their enterprise's
    hires and apprentices — ``(event ref, label)`` for the claim form."""
    spec = TYPES.get(subsidy_type)
    if spec is None:
        return []
    p = principal_for(user)
    out: list[tuple[str, str]] = []
    if spec.event == "enrollment":
        if p.person_id:
            out += [(e.ref, e.label) for e in fx.enrollments_of(p.person_id) if e.training and e.training.completed]
        for org_id in p.orgs_with("org.edit"):
            out += fx.completed_enrollments_of_org(org_id)
    elif spec.event == "certificate" and p.person_id:
        out += [
            (r.fact.id, f"{display_number(r.fact.number)}（{r.fact.issued_on:%Y-%m-%d}）")
            for r in fx.certificate_choices(p.person_id)
        ]
    elif spec.event == "employment":
        # Only the hires the rules of their date would take (hire_offer_refusal): issue 15.
        for org in Organization.objects.filter(pk__in=p.orgs_with("org.edit")):
            out += [(str(r.pk), fx.hire_label(r)) for r in fx.hire_records_of_org(org.credit_code)
                    if not hire_offer_refusal(r, str(org.region_id))]  # fmt: skip
    elif spec.event == "apprentice_year":
        for org_id in p.orgs_with("org.edit"):
            out += fx.apprentices_of_org(org_id)
    return out


# ---- one-off grants to bases and studios (一次性补助) ----------------------------------------------------------------


def grants_visible(user: Any, permission: str = VIEW) -> QuerySet[BaseGrant]:
    """The grants in the user's scope: by the base's region, the host organization (its staff) and the requester."""
    return visible(BaseGrant, user, permission).select_related("region")


def grants_payable(user: Any) -> QuerySet[BaseGrant]:
    """待拨付的补助 — approved (or failed and not re-batched) grants of bases in the regions where the user pays
    (``finance.pay`` over a region; never through an organization or as the one who asked: a host's staff does not
    batch its own grant)."""
    p = principal_for(user)
    qs = BaseGrant.objects.filter(status__in=[GrantStatus.APPROVED, GrantStatus.PAYMENT_FAILED])
    if not p.superuser:
        qs = qs.filter(region_id__in=region_subtree(p.regions_with(PAY)))
    return qs.select_related("region").order_by("created_at")


def grant_filter(
    qs: QuerySet[BaseGrant], *, status: str = "", kind: str = "", year: str = "", q: str = ""
) -> QuerySet[BaseGrant]:
    """一次性补助列表 — by status, base kind, year (four digits) and part of the base's name or the grant number."""
    if status in GrantStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(base_kind=kind)
    if (year_no := int_or_none(year or "", max_digits=4)) is not None and year_no >= 1000:
        qs = qs.filter(year=year_no)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(base_name__icontains=q) | Q(number=q.upper()))
    return qs


def grant_lines_of(batch_id: Any) -> QuerySet[GrantLine]:
    return GrantLine.objects.filter(batch_id=batch_id).select_related("grant").order_by("seq")


def hire_offer_refusal(record: Any, region_code: str, on: dt.date | None = None) -> str:
    """Why a hire is not offered for 以工代训 (empty: it is offered). It follows the rules of the version in force on
    the hire's date, the way the claim's checks will: a version must be in force then (the measure's period), the
    person must have been in one of its groups on that day, and a ``deadline`` rule must not have passed. Issue 15:
    apprentices hired in 2024 with no such group were offered for 以工代训."""
    from jineng.registry.api import Group, person_groups_on
    from jineng.rules.subsidy import add_months
    from jineng.rules.subsidy.policy import ApplyWithin, EligibleGroup
    from jineng.subsidies.errors import NoPolicy
    from jineng.subsidies.services.policies import policy_for, rules_of
    from jineng.subsidies.services.support import setting_int

    hired = record.started_on
    try:
        version = policy_for("work_for_training", region_code, hired)
    except NoPolicy:
        return _("招用日期 %(day)s 不在以工代训补贴政策的执行期内") % {"day": hired.isoformat()}
    rules = rules_of(version).eligibility
    groups = {g for rule in rules if isinstance(rule, EligibleGroup) for g in rule.groups}
    if groups and not groups & set(person_groups_on(record.person, hired)):
        names = "、".join(str(Group(g).label) if g in Group.values else g for g in sorted(groups))
        return _("招用时不属于以工代训补贴对象（%(groups)s）") % {"groups": names}
    day = on or today()
    for rule in rules:
        if isinstance(rule, ApplyWithin):
            limit = setting_int(rule.setting, region_code, hired) if rule.setting else rule.default
            last = hired + dt.timedelta(days=limit) if rule.unit == "days" else add_months(hired, limit)
            if day > last:
                return _("已超过申领时限（%(day)s 前）") % {"day": last.isoformat()}
    return ""


def recoveries_visible(user: Any, permission: str = VIEW) -> QuerySet[RecoveryOrder]:
    """The recovery orders (追回单) in the user's scope: by the claim's attributed region."""
    return visible(RecoveryOrder, user, permission).select_related("claim", "region").prefetch_related("receipts")


def recovery_filter(qs: QuerySet[RecoveryOrder], *, status: str = "", q: str = "") -> QuerySet[RecoveryOrder]:
    """追回单列表 — by status and an order or claim number (or the payee's name)."""
    if status in RecoveryStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()[:40]
    if q:
        qs = qs.filter(Q(number=q.upper()) | Q(claim__number=q.upper()) | Q(claim__payee_name__icontains=q))
    return qs
