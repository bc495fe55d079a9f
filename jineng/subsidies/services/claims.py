"""Claims (补贴申请): gathering the facts, applying the policy version in force, and writing the claim with its
explained decision lines.

``claim_check`` evaluates without writing (what the applicant sees before submitting); ``claim_submit`` does the
same under the person's lock and writes the claim — or, when a check fails, refuses it with every line and writes
nothing. Limits are counted over the person's live claims in ALL regions.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.accounts.api import Actor, Organization, can, require
from jineng.common.crypto import encrypt
from jineng.common.errors import Conflict, NotFound, PermissionDenied, invalid
from jineng.common.ids import uuid_or_none
from jineng.common.masking import mask_bank_account
from jineng.providers.api import SANCTION_CLAIM, require_not_sanctioned
from jineng.refdata.api import add_workdays, region_validate
from jineng.registry.api import Person, person_attribute, person_summary
from jineng.rules.subsidy import (
    APPROVE,
    REJECT,
    ClaimFacts,
    Decision,
    PersonHistory,
    PolicyRules,
    PriorClaim,
    add_months,
    evaluate,
    format_fen,
)
from jineng.rules.subsidy.advance import payable_after_advance
from jineng.subsidies import facts as fx
from jineng.subsidies.catalog import (
    LIVE_STATUSES,
    ApplicantKind,
    Attribution,
    ClaimStatus,
    EventKind,
    SubsidyType,
    type_spec,
)
from jineng.subsidies.errors import ClaimRefused
from jineng.subsidies.models import Claim, PolicyVersion
from jineng.subsidies.money import amount_checked
from jineng.subsidies.services.policies import policy_for, rules_of
from jineng.subsidies.services.support import (
    OFFICIAL_EDIT,
    REVEAL,
    actor_person_id,
    is_org_staff,
    labels_for,
    lock_person,
    next_number,
    setting_int,
    step_record,
    today,
    user_or_none,
)
from jineng.subsidies.settings_specs import MAX_CLAIM
from jineng.training import api as training_api

ACCOUNT_CONTEXT = "subsidies.payee_account"
_DIGITS = re.compile(r"^\d{8,30}$")


@dataclass(frozen=True)
class ClaimInput:
    """What an applicant submits: the subsidy type, the qualifying event, and the payee's account."""

    subsidy_type: str
    event_ref: str
    applicant_kind: str
    applicant_org_id: Any = None
    insurance_region: str = ""  # 参保地, for the skill-upgrade subsidies
    months: int = 0  # 以工代训: months claimed
    insured_months_declared: int | None = None
    payee_bank: str = ""
    payee_account: str = ""
    note: str = ""


@dataclass
class Prepared:
    """A claim evaluated but not written."""

    data: ClaimInput
    event: fx.EventFacts
    person: Person
    region_code: str
    version: PolicyVersion
    policy: PolicyRules
    facts: ClaimFacts
    history: PersonHistory
    decision: Decision
    applicant_org: Organization | None
    payee_org: Organization | None
    inputs: dict[str, Any] = field(default_factory=dict)


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def prior_claims(person_id: Any, *, exclude: list[Any] | None = None) -> tuple[PriorClaim, ...]:
    """The person's claims that count, in every region (never filtered by scope: limits are national)."""
    qs = Claim.objects.filter(person_id=person_id, status__in=LIVE_STATUSES)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    return tuple(
        PriorClaim(
            id=str(c.pk),
            subsidy_type=c.subsidy_type,
            event_year=c.event_date.year,
            event_keys=tuple(c.event_keys),
            occupation=c.occupation_code,
            level=c.level_code,
            level_rank=c.level_rank,
            counters=tuple(c.counters),
            exclusion_groups=tuple(c.exclusion_groups),
            region=c.region_id,
            number=c.number,
        )
        for c in qs.order_by("created_at")
    )


def _setting_keys(policy: PolicyRules) -> set[str]:
    keys: set[str] = set()
    for rule in (*policy.eligibility, *policy.adjustments, *policy.limits):
        key = getattr(rule, "setting", "")
        if key:
            keys.add(key)
    return keys


def _region_for(
    spec_attr: str, data: ClaimInput, event: fx.EventFacts, person: Person, org: Organization | None
) -> str:
    if spec_attr == Attribution.CLASS_REGION:
        return event.region_code
    if spec_attr == Attribution.ENTERPRISE_REGION:
        if event.region_code:
            return event.region_code
        if org is None:
            raise invalid(field="applicant_org", code="required", message="请选择申请单位。")
        return str(org.region_id)
    code = data.insurance_region or person.residence_region_id or ""
    if not code:
        raise invalid(field="insurance_region", code="required", message="请填写参保地（行政区划代码）。")
    return region_validate(code, field="insurance_region").code


def _check_applicant(actor: Actor, data: ClaimInput, event: fx.EventFacts, org: Organization | None) -> None:
    """Who may claim: the person themselves (or an official entering it for them), the class's provider for its
    trainees, the employing enterprise for its staff and apprentices."""
    spec = type_spec(data.subsidy_type)
    if data.applicant_kind not in spec.applicants:
        raise invalid(
            field="applicant_kind",
            code="applicant_not_allowed",
            message=f"{SubsidyType(data.subsidy_type).label}不能由该类申请人申请。",
        )
    if data.applicant_kind == ApplicantKind.PERSON:
        if str(actor_person_id(actor) or "") == str(event.person_id):
            return
        if event.region_code and can(actor, OFFICIAL_EDIT, region_code=event.region_code):
            return
        if data.insurance_region and can(actor, OFFICIAL_EDIT, region_code=data.insurance_region):
            return
        raise PermissionDenied("只能为本人申请，或由经办机构代为录入。")
    if org is None:
        raise invalid(field="applicant_org", code="required", message="请选择申请单位。")
    if not is_org_staff(actor, org.pk):
        raise PermissionDenied("您不是该单位的经办人员。")
    if data.applicant_kind == ApplicantKind.PROVIDER and str(event.organization_id) != str(org.pk):
        raise PermissionDenied("只能为本机构培训的学员申请。")
    if data.applicant_kind == ApplicantKind.ENTERPRISE and org.kind != "enterprise":
        raise invalid(field="applicant_org", code="not_enterprise", message="申请单位应为企业。")


# The subsidies a 项目制 project's settlement pays for its trainees (refused when claimed one by one).
PAID_BY_PROJECT = (SubsidyType.TRAINING, SubsidyType.WORK_FOR_TRAINING)


def enrollment_project_code(enrollment_id: Any) -> str | None:
    """The code of the 项目制 project whose class the enrollment is in (paid by the project's settlement), if any."""
    pk = uuid_or_none(enrollment_id)
    if pk is None:
        return None
    row = (
        training_api.Enrollment.objects.filter(pk=pk, training_class__project__isnull=False)
        .values_list("training_class__project__code", flat=True).first()
    )  # fmt: skip
    return row


def prepare(*, actor: Actor, data: ClaimInput, on: dt.date | None = None, exclude: list[Any] | None = None) -> Prepared:
    """Gather every fact, find the policy version in force and evaluate it. Writes nothing."""
    spec = type_spec(data.subsidy_type)
    now = on or today()
    event = fx.event_facts(spec.event, data.event_ref)
    if event is None:
        raise NotFound("未找到申请事项（培训、证书、学徒年度或就业记录）。", code="event_not_found")
    person = Person.objects.filter(pk=event.person_id).first()
    if person is None:
        raise NotFound("人员不存在。")
    org = Organization.objects.filter(pk=data.applicant_org_id).first() if data.applicant_org_id else None
    _check_applicant(actor, data, event, org)
    if event.kind == EventKind.ENROLLMENT and data.subsidy_type in PAID_BY_PROJECT:
        project = enrollment_project_code(event.ref)
        if project is not None:
            raise Conflict(f"该学员所在班级属于项目制培训项目 {project}，培训费用由项目结算拨付，不能另行申请培训补贴。",
                           code="project_class")  # fmt: skip
    if event.event_date > now:
        raise invalid(
            field="event_ref", code="event_in_future", message=f"资格事件日期 {event.event_date} 晚于申请日期。"
        )
    region_code = _region_for(spec.attribution, data, event, person, org)
    version = policy_for(data.subsidy_type, region_code, event.event_date)
    policy = rules_of(version)
    settings = {key: setting_int(key, region_code, event.event_date) for key in sorted(_setting_keys(policy))}
    employed: bool | None = None
    if event.kind == "employment":
        employed = bool(
            org is not None and event.employer_credit_code and event.employer_credit_code == org.credit_code
        )
        if employed and (event.extra.get("contract_months") is None or event.extra.get("insured_from") is None):
            # 劳动关系 is a labour contract and social insurance by the applicant (issue 15: a hire recorded with the
            # employer's credit code alone passed): without them it waits for evidence (劳动合同或参保记录).
            employed = None
    elif event.kind == "apprentice_year":
        employed = org is not None and str(event.employer_organization_id) == str(org.pk)
    units, units_declared = 1, None
    if event.kind == "employment":
        declared = max(int(data.months or 0), 0)
        units = min(declared, months_between(event.event_date, now))
        units_declared = declared if declared > units else None
    enrollment_id = event.ref if event.kind == "enrollment" else event.extra.get("enrollment_id") or None
    facts = ClaimFacts(
        subsidy_type=data.subsidy_type,
        event_date=event.event_date,
        applied_on=now,
        today=now,
        event_keys=event.keys,
        occupation=event.occupation,
        level=event.level,
        level_rank=event.level_rank,
        person=fx.person_facts(person, event.event_date),
        certificate=event.certificate,
        training=event.training,
        insured_months=None,
        units=units,
        units_declared=units_declared,
        hours=event.hours,
        concentrated_hours=event.concentrated_hours,
        employed_by_applicant=employed,
        employment_dates=fx.employment_after(person.pk, enrollment_id, event.event_date),
        shortage=fx.shortage_for(policy, event),
        settings=settings,
        labels=labels_for(occupation=event.occupation),
    )
    history = PersonHistory(
        claims=prior_claims(person.pk, exclude=exclude), certificates=tuple(fx.certificates_of(person.pk))
    )
    decision = evaluate(policy, facts, history)
    payee_org = None
    if policy.payee == "provider":
        payee_org = Organization.objects.filter(pk=event.organization_id).first() or org
    elif policy.payee == "enterprise":
        payee_org = org
    inputs = {
        "policy_version": str(version.pk),
        "event": {"kind": event.kind, "ref": event.ref, "label": event.label, "date": event.event_date},
        "facts": {k: v for k, v in asdict(facts).items() if k != "labels"},
        "history": {
            "claims": [c.number or c.id for c in history.claims],
            "certificates": [c.number for c in history.certificates],
        },
        "declared": {"months": data.months, "insured_months": data.insured_months_declared, "note": data.note},
    }
    return Prepared(
        data=data,
        event=event,
        person=person,
        region_code=region_code,
        version=version,
        policy=policy,
        facts=facts,
        history=history,
        decision=decision,
        applicant_org=org,
        payee_org=payee_org,
        inputs=_json(inputs),
    )


def claim_check(*, actor: Actor, data: ClaimInput) -> Prepared:
    prepared = prepare(actor=actor, data=data)
    _bounded(prepared.decision.amount_fen, prepared.region_code)
    return prepared


def _payee(prepared: Prepared) -> dict[str, Any]:
    data, policy = prepared.data, prepared.policy
    account = re.sub(r"[\s-]", "", data.payee_account or "")
    if not _DIGITS.match(account):
        raise invalid(
            field="payee_account",
            code="bank_account_bad_format",
            message="收款账号（银行卡或社会保障卡金融账户）应为8–30位数字。",
        )
    name = prepared.person.name if policy.payee == "person" else (prepared.payee_org.name if prepared.payee_org else "")
    if not name:
        raise invalid(field="applicant_org", code="payee_unknown", message="无法确定收款单位。")
    if policy.channel == "bank_account" and not data.payee_bank.strip():
        raise invalid(field="payee_bank", code="required", message="请填写开户银行。")
    return {
        "payee_kind": policy.payee,
        "payee_channel": policy.channel,
        "payee_name": name,
        "payee_bank": data.payee_bank.strip()[:100] or "社会保障卡",
        "payee_account_enc": encrypt(account, context=ACCOUNT_CONTEXT),
        "payee_account_masked": mask_bank_account(account),
        "payee_org": prepared.payee_org,
    }


def enrollment_of(keys: Iterable[str]) -> uuid.UUID | None:
    """The enrollment (培训报名) named by a claim's ``enrollment:<id>`` event key, if any."""
    for key in keys:
        kind, _, ref = str(key).partition(":")
        if kind == "enrollment":
            try:
                return uuid.UUID(ref.split("#", 1)[0])
            except ValueError:
                return None
    return None


def _advance_deducted(prepared: Prepared) -> tuple[int, list[dict[str, Any]]]:
    """企业新型学徒制 — the advance already approved or paid for this apprentice year (``services/advances.py``),
    deducted from what the year's claim pays now; refused while the advance is still under review."""
    if prepared.event.kind != EventKind.APPRENTICE_YEAR or prepared.decision.outcome == REJECT:
        return prepared.decision.payable_fen, []
    advance = (
        Claim.objects.filter(subsidy_type=SubsidyType.APPRENTICESHIP,
                             event_key=f"{EventKind.APPRENTICE_ADVANCE}:{prepared.event.ref}", status__in=LIVE_STATUSES)
        .only("number", "status", "amount_fen").first()
    )  # fmt: skip
    if advance is None:
        return prepared.decision.payable_fen, []
    if advance.status not in (ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID):
        raise Conflict(f"该学徒本年度的预支申请 {advance.number} 尚未办结，请办结后再申请年度补贴。",
                       code="advance_pending")  # fmt: skip
    payable = payable_after_advance(prepared.decision.payable_fen, advance.amount_fen)
    line = {"code": "advance_deducted", "outcome": "info",
            "message": f"已预支 {format_fen(advance.amount_fen)}（{advance.number}），本次拨付 {format_fen(payable)}",
            "figures": {"advance_fen": advance.amount_fen, "payable_fen": payable}}  # fmt: skip
    return payable, [line]


def _fields(prepared: Prepared) -> dict[str, Any]:
    d = prepared.decision
    summary = person_summary(prepared.person)
    payable, advance_lines = _advance_deducted(prepared)
    return {
        "subsidy_type": prepared.data.subsidy_type,
        "person": prepared.person,
        "person_name": prepared.person.name,
        "id_number_masked": str(summary.get("id_number") or summary.get("id_number_masked") or "")[:32],
        "applicant_kind": prepared.data.applicant_kind,
        "applicant_org": prepared.applicant_org,
        "region_id": prepared.region_code,
        "policy_version": prepared.version,
        "event_kind": prepared.event.kind,
        "event_ref": prepared.event.ref,
        "event_key": prepared.event.keys[0],
        "event_keys": list(prepared.event.keys),
        "enrollment_id": enrollment_of(prepared.event.keys),
        "event_date": prepared.event.event_date,
        "event_label": prepared.event.label[:300],
        "occupation_code": prepared.event.occupation,
        "level_code": prepared.event.level,
        "level_rank": prepared.event.level_rank,
        "counters": list(prepared.policy.counters),
        "exclusion_groups": list(prepared.policy.exclusion_groups),
        "applied_on": prepared.facts.applied_on,
        "inputs": prepared.inputs,
        "lines": [line.as_dict() for line in d.lines] + advance_lines,
        "decision": d.outcome,
        "amount_fen": d.amount_fen,
        "payable_fen": payable,
        "deferred_fen": d.deferred_fen,
        "fund_source": prepared.policy.fund_source,
    }


def _bounded(amount_fen: int, region_code: str) -> None:
    """A claim's amount within the region's bound (``claim.max_amount_fen``), whatever the policy computed."""
    amount_checked(amount_fen, field="amount_fen", label="核定补贴金额", key=MAX_CLAIM, region_code=region_code,
                   allow_zero=True)  # fmt: skip


def _insert(prepared: Prepared, actor: Actor, **extra: Any) -> Claim:
    now = timezone.now()
    region = prepared.region_code
    _bounded(prepared.decision.amount_fen, region)
    # a sanction in force (停业整顿, 黑名单, 吊销许可) on the training provider, the applicant or the payee refuses it
    orgs = [prepared.event.organization_id, getattr(prepared.applicant_org, "pk", None),
            getattr(prepared.payee_org, "pk", None)]  # fmt: skip
    require_not_sanctioned(orgs, SANCTION_CLAIM, timezone.localdate(now))
    claim = Claim(
        number=next_number(f"BT{now:%Y}{region}"),
        applicant_user=user_or_none(actor),
        status=ClaimStatus.SUBMITTED,
        submitted_at=now,
        review_due=add_workdays(
            timezone.localdate(now), setting_int("claim.review_workdays", region, timezone.localdate(now)), region
        ),
        **_fields(prepared),
        **_payee(prepared),
        **extra,
    )
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except IntegrityError:
        # The partial unique index (one live claim per type and event) caught a concurrent duplicate.
        raise Conflict("同一培训（证书）已有在办或已拨付的本类补贴申请。", code="duplicate_claim") from None
    person_attribute(person_id=prepared.person.pk, region_code=region, kind="subsidy.claim", ref=str(claim.pk),
                     occurred_on=prepared.event.event_date)  # fmt: skip
    return claim


def insert_computed(
    *,
    actor: Actor,
    data: ClaimInput,
    person_id: Any,
    region_code: str,
    version: PolicyVersion,
    org: Organization,
    event_kind: str,
    event_ref: str,
    event_key: str,
    event_date: dt.date,
    event_label: str,
    amount_fen: int,
    lines: list[dict[str, Any]],
    fund_source: str,
    channel: str,
    enrollment_id: Any = None,
    payee_kind: str = "enterprise",
) -> Claim:
    """A claim whose amount a service computed itself, outside the policy engine (the apprenticeship advance, a
    项目制 settlement's share of a trainee): the organization is paid on its bank account; it counts toward no limit
    (no counters). Call inside a transaction."""
    person = Person.objects.get(pk=person_id)
    _bounded(amount_fen, region_code)
    require_not_sanctioned([org.pk], SANCTION_CLAIM)
    account = re.sub(r"[\s-]", "", data.payee_account or "")
    if not _DIGITS.match(account):
        raise invalid(field="payee_account", code="bank_account_bad_format",
                      message="收款账号（银行卡或社会保障卡金融账户）应为8–30位数字。")  # fmt: skip
    if not (data.payee_bank or "").strip():
        raise invalid(field="payee_bank", code="required", message="请填写开户银行。")
    now = timezone.now()
    summary = person_summary(person)
    claim = Claim(
        number=next_number(f"BT{now:%Y}{region_code}"), applicant_user=user_or_none(actor),
        status=ClaimStatus.SUBMITTED, submitted_at=now,
        review_due=add_workdays(timezone.localdate(now), setting_int("claim.review_workdays", region_code,
                                                                     timezone.localdate(now)), region_code),
        subsidy_type=data.subsidy_type, person=person, person_name=person.name,
        id_number_masked=str(summary.get("id_number") or summary.get("id_number_masked") or "")[:32],
        applicant_kind=data.applicant_kind, applicant_org=org, region_id=region_code, policy_version=version,
        event_kind=event_kind, event_ref=event_ref, event_key=event_key, event_keys=[event_key],
        event_date=event_date, event_label=event_label[:300], applied_on=timezone.localdate(now),
        inputs=_json({"policy_version": str(version.pk), "event": {"kind": event_kind, "ref": event_ref}}),
        lines=lines, decision=APPROVE, amount_fen=amount_fen, payable_fen=amount_fen, fund_source=fund_source,
        payee_kind=payee_kind, payee_channel=channel, enrollment_id=enrollment_id, payee_name=org.name, payee_bank=data.payee_bank.strip()[:100],
        payee_account_enc=encrypt(account, context=ACCOUNT_CONTEXT), payee_account_masked=mask_bank_account(account),
        payee_org=org,
    )  # fmt: skip
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except IntegrityError:
        raise Conflict("同一事项已有在办或已拨付的本类补贴申请。", code="duplicate_claim") from None
    person_attribute(person_id=person.pk, region_code=region_code, kind="subsidy.claim", ref=str(claim.pk),
                     occurred_on=event_date)  # fmt: skip
    return claim


def claim_submit(*, actor: Actor, data: ClaimInput, on: dt.date | None = None) -> Claim:
    """Submit (提交申请): evaluate under the person's lock; refused with every line when a check fails."""
    preview = prepare(actor=actor, data=data, on=on)
    with transaction.atomic():
        lock_person(preview.person.pk)
        prepared = prepare(actor=actor, data=data, on=on)  # again, now that the person's claims cannot change
        if prepared.decision.outcome == REJECT:
            raise ClaimRefused([line.as_dict() for line in prepared.decision.lines])
        claim = _insert(prepared, actor)
        step_record(claim=claim, step="submit", actor=actor, outcome=claim.decision,
                    data={"amount_fen": claim.amount_fen, "policy_version": str(claim.policy_version_id)})  # fmt: skip
    return claim


def claim_input_of(claim: Claim, **changes: Any) -> ClaimInput:
    declared = (claim.inputs or {}).get("declared", {})
    base = ClaimInput(
        subsidy_type=claim.subsidy_type,
        event_ref=claim.event_ref,
        applicant_kind=claim.applicant_kind,
        applicant_org_id=claim.applicant_org_id,
        insurance_region=claim.region_id
        if type_spec(claim.subsidy_type).attribution == Attribution.INSURANCE_REGION
        else "",
        months=int(declared.get("months") or 0),
        insured_months_declared=declared.get("insured_months"),
        payee_bank=claim.payee_bank,
        payee_account="",
        note=str(declared.get("note") or ""),
    )
    return ClaimInput(**(asdict(base) | changes))


def reevaluate(claim: Claim, *, actor: Actor, verified: dict[str, Any] | None = None) -> Decision:
    """Re-run the checks of a claim in review with verified evidence (参保月数 …), under the person's lock; the
    claim keeps its policy version. Returns the new decision (stored on the claim)."""
    from jineng.subsidies.services.policies import rules_of as _rules

    inputs = dict(claim.inputs or {})
    verified = {**(inputs.get("verified") or {}), **(verified or {})}
    facts_data = dict(inputs.get("facts") or {})
    policy = _rules(claim.policy_version)
    event = fx.event_facts(claim.event_kind, claim.event_ref)
    if event is None:
        raise NotFound("申请事项已不存在。", code="event_not_found")
    person = claim.person
    enrollment_id = event.ref if event.kind == "enrollment" else event.extra.get("enrollment_id") or None
    facts = ClaimFacts(
        subsidy_type=claim.subsidy_type,
        event_date=event.event_date,
        applied_on=claim.applied_on,
        today=today(),
        event_keys=event.keys,
        occupation=event.occupation,
        level=event.level,
        level_rank=event.level_rank,
        person=fx.person_facts(person, event.event_date),
        certificate=event.certificate,
        training=event.training,
        insured_months=verified.get("insured_months"),
        units=int(facts_data.get("units") or 1),
        units_declared=facts_data.get("units_declared"),
        hours=event.hours,
        concentrated_hours=event.concentrated_hours,
        employed_by_applicant=facts_data.get("employed_by_applicant"),
        employment_dates=fx.employment_after(person.pk, enrollment_id, event.event_date),
        shortage=fx.shortage_for(policy, event),
        settings={k: int(v) for k, v in (facts_data.get("settings") or {}).items()},
        labels=labels_for(occupation=event.occupation),
    )
    history = PersonHistory(
        claims=prior_claims(person.pk, exclude=[claim.pk]), certificates=tuple(fx.certificates_of(person.pk))
    )
    decision = evaluate(policy, facts, history)
    _bounded(decision.amount_fen, claim.region_id)
    inputs["facts"] = _json({k: v for k, v in asdict(facts).items() if k != "labels"})
    inputs["verified"] = _json(verified)
    claim.inputs = inputs
    claim.lines = [line.as_dict() for line in decision.lines]
    claim.decision = decision.outcome
    claim.amount_fen, claim.payable_fen, claim.deferred_fen = (
        decision.amount_fen,
        decision.payable_fen,
        decision.deferred_fen,
    )
    claim.save(update_fields=["inputs", "lines", "decision", "amount_fen", "payable_fen", "deferred_fen", "updated_at"])
    return decision


def claim_resubmit(*, actor: Actor, claim: Claim, data: ClaimInput) -> Claim:
    """补正后重新提交 — a returned claim comes back as a new version; the old one is superseded."""
    if data.event_ref != claim.event_ref or data.subsidy_type != claim.subsidy_type:
        raise invalid(field="event_ref", code="event_changed", message="补正不能更换申请事项或补贴类型，请另行申请。")
    preview = prepare(actor=actor, data=data, exclude=[claim.pk])
    with transaction.atomic():
        lock_person(preview.person.pk)
        old = Claim.objects.select_for_update().get(pk=claim.pk)
        if old.status != ClaimStatus.RETURNED:
            raise Conflict("只有被退回补正的申请可以重新提交。", code="claim_not_returned")
        prepared = prepare(actor=actor, data=data, exclude=[old.pk])
        if prepared.decision.outcome == REJECT:
            raise ClaimRefused([line.as_dict() for line in prepared.decision.lines])
        old.status = ClaimStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        step_record(claim=old, step="superseded", actor=actor, from_status=ClaimStatus.RETURNED)
        new = _insert(prepared, actor, previous=old, version_no=old.version_no + 1, parent=old.parent)
        step_record(claim=new, step="resubmit", actor=actor, outcome=new.decision,
                    data={"previous": old.number, "amount_fen": new.amount_fen})  # fmt: skip
    return new


def claim_release_employment_share(*, actor: Actor, claim: Claim) -> Claim:
    """就业挂钩部分 — once employment is proven, the deferred share becomes a claim of its own (same event, its own
    review and payment)."""
    require(actor, "records.review", region_code=claim.region_id)
    with transaction.atomic():
        lock_person(claim.person_id)
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.deferred_fen <= 0 or claim.status not in (
            ClaimStatus.APPROVED,
            ClaimStatus.IN_PAYMENT,
            ClaimStatus.PAID,
        ):
            raise Conflict("该申请没有待拨付的就业挂钩部分。", code="no_deferred_share")
        if claim.tranches.filter(status__in=LIVE_STATUSES).exists():
            raise Conflict("就业挂钩部分已另行申请。", code="share_already_claimed")
        share = rules_of(claim.policy_version).employment_share
        if share is None:
            raise Conflict("该政策没有就业挂钩部分。", code="no_deferred_share")
        require_not_sanctioned([claim.applicant_org_id, claim.payee_org_id], SANCTION_CLAIM)
        enrollment_id = claim.event_ref if claim.event_kind == "enrollment" else None
        window_end = add_months(claim.event_date, share.within_months)
        employed = [d for d in fx.employment_after(claim.person_id, enrollment_id, claim.event_date) if d <= window_end]
        if not employed:
            raise Conflict(f"{window_end} 前尚无就业记录，不能拨付就业挂钩部分。", code="employment_not_proven")
        line = {
            "code": "employment_share",
            "outcome": "pass",
            "message": f"已于 {employed[0]:%Y-%m-%d} 实现就业，拨付就业挂钩部分",
            "figures": {"employed_on": employed[0].isoformat(), "share_fen": claim.deferred_fen},
        }
        tranche = Claim(
            number=next_number(f"BT{timezone.now():%Y}{claim.region_id}"),
            subsidy_type=claim.subsidy_type,
            person_id=claim.person_id,
            person_name=claim.person_name,
            id_number_masked=claim.id_number_masked,
            applicant_kind=claim.applicant_kind,
            applicant_org=claim.applicant_org,
            applicant_user=user_or_none(actor),
            region_id=claim.region_id,
            policy_version=claim.policy_version,
            event_kind=claim.event_kind,
            event_ref=claim.event_ref,
            event_key=f"{claim.event_key}#employment",
            event_keys=[f"{claim.event_key}#employment"],
            enrollment_id=claim.enrollment_id,
            event_date=claim.event_date,
            event_label=f"{claim.event_label}（就业挂钩部分）"[:300],
            occupation_code=claim.occupation_code,
            level_code=claim.level_code,
            level_rank=claim.level_rank,
            applied_on=today(),
            inputs={"parent": claim.number, "employed_on": employed[0].isoformat()},
            lines=[line],
            decision="approve",
            amount_fen=claim.deferred_fen,
            payable_fen=claim.deferred_fen,
            payee_kind=claim.payee_kind,
            payee_channel=claim.payee_channel,
            payee_name=claim.payee_name,
            payee_bank=claim.payee_bank,
            payee_account_enc=claim.payee_account_enc,
            payee_account_masked=claim.payee_account_masked,
            payee_org=claim.payee_org,
            fund_source=claim.fund_source,
            parent=claim,
            status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.now(),
            review_due=add_workdays(
                today(), setting_int("claim.review_workdays", claim.region_id, today()), claim.region_id
            ),
        )
        tranche.save(force_insert=True)
        step_record(claim=tranche, step="submit", actor=actor, outcome="approve", data={"parent": claim.number})
    return tranche


def claim_create_for_voucher(*, actor: Any, voucher: Any) -> Claim | None:
    """培训券核销 → 补贴申请: the redeemed voucher's value becomes a 职业培训补贴 claim paid to the provider where it
    was used, so it goes through review, the payment batches and the ledger, and counts in the plan indicators.

    Called in the redemption's transaction. Never paid twice: one live claim per voucher (``voucher:<id>``), and
    where the holder trained at that provider in a class of that program, the claim names the enrollment — a
    training-subsidy claim of the same enrollment then fails the duplicate check, and a redemption after one is
    refused. A voucher without value (签到券) makes no claim."""
    if voucher.value_fen <= 0:
        return None
    org = voucher.used_organization
    on = timezone.localdate(voucher.redeemed_at) if voucher.redeemed_at else today()
    require_not_sanctioned([org.pk], SANCTION_CLAIM, on)
    lock_person(voucher.person_id)
    enrollment = (
        training_api.enrollments_of(voucher.person_id)
        .filter(training_class__program_id=voucher.used_program_id, training_class__organization_id=org.pk)
        .exclude(status=training_api.EnrollmentStatus.DROPPED)
        .order_by("-enrolled_on")
        .first()
    )
    if enrollment is not None:
        paid = Claim.objects.filter(
            subsidy_type=SubsidyType.TRAINING, enrollment_id=enrollment.pk, status__in=LIVE_STATUSES
        ).first()
        if paid is not None:
            raise Conflict(
                f"该学员在本机构的培训已申领职业培训补贴（申请 {paid.number}），培训券不能重复结算。",
                code="voucher_already_subsidized",
            )
    region = str(enrollment.region_id) if enrollment is not None else str(org.region_id)
    version = policy_for(SubsidyType.TRAINING, region, on)
    policy = rules_of(version)
    _bounded(voucher.value_fen, region)
    person = Person.objects.get(pk=voucher.person_id)
    summary = person_summary(person)
    keys = [f"voucher:{voucher.pk}"] + ([f"enrollment:{enrollment.pk}"] if enrollment is not None else [])
    program = voucher.used_program
    line = {
        "code": "voucher_redeemed",
        "outcome": "pass",
        "message": f"培训券 {voucher.code} 已核销，按券面结算 {voucher.value_fen / 100:.2f} 元",
        "figures": {"voucher": voucher.code, "value_fen": voucher.value_fen},
    }
    claim = Claim(
        number=next_number(f"BT{timezone.now():%Y}{region}"),
        subsidy_type=SubsidyType.TRAINING,
        person=person,
        person_name=person.name,
        id_number_masked=str(summary.get("id_number") or summary.get("id_number_masked") or "")[:32],
        applicant_kind=ApplicantKind.PROVIDER,
        applicant_org=org,
        applicant_user=user_or_none(actor),
        region_id=region,
        policy_version=version,
        event_kind=EventKind.VOUCHER,
        event_ref=str(voucher.pk),
        event_key=keys[0],
        event_keys=keys,
        enrollment_id=enrollment.pk if enrollment is not None else None,
        event_date=on,
        event_label=f"培训券 {voucher.code} {program.name if program else ''}".strip()[:300],
        occupation_code=str(program.occupation.code if program and program.occupation_id else ""),
        level_code=str(program.level_id or "") if program else "",
        counters=list(policy.counters),
        exclusion_groups=list(policy.exclusion_groups),
        applied_on=on,
        inputs={"voucher": {"code": voucher.code, "issue": str(voucher.issue_id), "value_fen": voucher.value_fen}},
        lines=[line],
        decision="approve",
        amount_fen=voucher.value_fen,
        payable_fen=voucher.value_fen,
        # The provider's account is not on the voucher: it is entered as a payee change when the payment fails.
        payee_kind=ApplicantKind.PROVIDER,
        payee_channel="bank_account",
        payee_name=org.name,
        payee_org=org,
        fund_source=voucher.issue.fund_source,
        status=ClaimStatus.SUBMITTED,
        submitted_at=timezone.now(),
        review_due=add_workdays(today(), setting_int("claim.review_workdays", region, today()), region),
    )
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except IntegrityError:
        raise Conflict("该培训券已有在办或已拨付的补贴申请。", code="duplicate_claim") from None
    person_attribute(person_id=person.pk, region_code=region, kind="subsidy.claim", ref=str(claim.pk), occurred_on=on)
    step_record(claim=claim, step="submit", actor=actor, outcome="approve",
                data={"amount_fen": claim.amount_fen, "voucher": voucher.code})  # fmt: skip
    return claim


def claim_person_reveal(*, actor: Actor, claim: Claim, reason: str) -> str:
    """查看完整姓名 — pages show a claim's person masked (张*三); ``registry.reveal`` over the claim's region and a
    reason show the full name, audited (the masked name and the reason), as the registry's reveal."""
    from jineng.common.audit.services import audit_event
    from jineng.common.masking import mask_name
    from jineng.subsidies.errors import Code
    from jineng.subsidies.events import Event

    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message="查看完整姓名须填写原因。")
    if len(reason) > 200:
        raise invalid(field="reason", code=Code.TOO_LONG, message="原因最多 200 个字符。")
    try:
        require(actor, REVEAL, region_code=claim.region_id)
    except PermissionDenied:
        raise PermissionDenied("您没有查看完整个人信息的权限。", code=Code.REVEAL_NOT_PERMITTED) from None
    audit_event(Event.CLAIM_PERSON_REVEAL, actor=actor, object_id=claim.pk, region_code=claim.region_id,
                reason=reason, after={"field": "person_name", "value": mask_name(claim.person_name)})  # fmt: skip
    return claim.person_name
