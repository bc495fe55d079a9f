"""Supervision API: the rules, the cases in the caller's scope with their evidence, scans (a full scan as a job) and a
provider's risk. Thin: validate, call one service or selector, answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StrictBool, StringConstraints

from jineng.accounts.api import Organization, can, current_user, get_visible, require
from jineng.common.errors import NotFound
from jineng.common.ids import is_uuid
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.common.rest.types import FEN_MAX
from jineng.rules import supervision as R
from jineng.supervision import selectors, services
from jineng.supervision.models import Case, Sanction, ScanKind

router = Router(tags=["supervision 监管"])


# A rule's code, as in jineng.rules.supervision.RULES (bounded like every string the API takes).
RuleCode = Annotated[str, StringConstraints(max_length=40)]


class RuleOut(Schema):
    code: str
    name: str
    name_en: str
    severity: str
    reads: str
    why: str
    false_positives: str
    thresholds: list[dict[str, Any]]


class EvidenceOut(Schema):
    kind: str
    id: str
    label: str = ""


class CaseOut(Schema):
    id: str
    number: str
    rule: str
    rule_name: str
    severity: str
    status: str
    status_label: str
    region: str
    provider: str | None = None
    summary: str
    person_count: int
    evidence: list[EvidenceOut]
    facts: dict[str, Any]
    claims_held: int
    created_at: str
    decided_at: str | None = None
    decision_reason: str = ""


class CaseFilters(Schema):
    rule: str = Field("", max_length=40)
    status: str = Field("", max_length=20)
    severity: str = Field("", max_length=10)
    region: str = Field("", max_length=6)
    provider: str = Field("", max_length=36)


class ScanIn(Schema):
    kind: Literal["full", "incremental"] = "full"
    rules: list[RuleCode] | None = Field(None, max_length=len(R.RULES))
    region: str | None = Field(None, max_length=6)


class ScanOut(Schema):
    id: str
    status: str
    kind: str
    region: str
    progress_done: int
    progress_total: int
    rules_done: list[str]
    found: dict[str, Any]
    error: str = ""
    created_at: str
    finished_at: str | None = None


class CaseDecisionIn(Schema):
    to: Literal["investigating", "confirmed", "dismissed", "closed"]
    reason: str = Field("", max_length=2000)
    hold_claims: StrictBool = False  # 0/1 are not a yes/no (schemathesis ST201)


class RiskComponentOut(Schema):
    code: str
    label: str
    value: float
    points: float
    weight: float


class RiskOut(Schema):
    provider: str
    name: str
    kind: str = Field("provider", description="provider 培训机构 | evaluator 评价机构")
    region: str = ""
    score: float
    cases: int
    open_cases: int
    components: list[RiskComponentOut]


class RiskFilters(Schema):
    kind: Literal["provider", "evaluator"] = "provider"
    region: str = Field("", max_length=6)


def risk_dict(risk: selectors.ProviderRisk) -> dict[str, Any]:
    return {"provider": str(risk.provider_id), "name": risk.provider_name, "kind": risk.kind, "region": risk.region,
            "score": risk.risk.score, "cases": risk.cases, "open_cases": risk.open_cases,
            "components": [c.__dict__ for c in risk.risk.components]}  # fmt: skip


def case_dict(case: Case) -> dict[str, Any]:
    return {
        "id": str(case.pk), "number": case.number, "rule": case.rule, "rule_name": R.RULES[case.rule].name,
        "severity": case.severity, "status": case.status, "status_label": str(case.get_status_display()),
        "region": case.region_id, "provider": str(case.provider_id) if case.provider_id else None,
        "summary": case.summary, "person_count": case.person_count, "evidence": case.evidence, "facts": case.facts,
        "claims_held": case.claims_held, "created_at": case.created_at.isoformat(),
        "decided_at": case.decided_at.isoformat() if case.decided_at else None,
        "decision_reason": case.decision_reason,
    }  # fmt: skip


def scan_dict(scan: Any) -> dict[str, Any]:
    return {
        "id": str(scan.pk), "status": scan.status, "kind": scan.kind, "region": scan.region_id,
        "progress_done": scan.progress_done, "progress_total": scan.progress_total, "rules_done": scan.rules_done,
        "found": scan.found, "error": scan.error, "created_at": scan.created_at.isoformat(),
        "finished_at": scan.finished_at.isoformat() if scan.finished_at else None,
    }  # fmt: skip


@router.get("/supervision/rules", response=list[RuleOut], summary="监管规则 The anomaly rules")
def rule_list(request: HttpRequest) -> Any:
    require(current_user(request), selectors.VIEW)
    return [
        {"code": r.code, "name": r.name, "name_en": r.name_en, "severity": r.severity.value, "reads": r.reads,
         "why": r.why, "false_positives": r.false_positives,
         "thresholds": [{"key": t.key, "label": t.label, "default": t.default, "minimum": t.minimum,
                         "maximum": t.maximum, "unit": t.unit} for t in r.thresholds]}
        for r in R.RULES.values()
    ]  # fmt: skip


@router.get("/supervision/cases", response=page_of(CaseOut), summary="监管线索 Cases in the caller's scope")
def case_list(request: HttpRequest, filters: Query[CaseFilters], paging: Query[Paging]) -> Any:
    user = current_user(request)
    require(user, selectors.VIEW)
    qs = selectors.case_filter(selectors.cases_visible(user), **filters.dict())
    return page_items(qs.order_by("-created_at", "number"), paging, lambda c: CaseOut(**case_dict(c)).dict())


@router.get("/supervision/cases/{case_id}", response=CaseOut, summary="线索详情 One case with its evidence")
def case_detail(request: HttpRequest, case_id: str) -> Any:
    return case_dict(get_visible(selectors.cases_visible(current_user(request)), current_user(request), case_id,
                                 selectors.VIEW))  # fmt: skip


@router.post("/supervision/cases/{case_id}/decisions", response=CaseOut, summary="核查决定 Move a case on")
def case_decide(request: HttpRequest, case_id: str, payload: CaseDecisionIn) -> Any:
    user = current_user(request)
    case = get_visible(selectors.cases_visible(user), user, case_id, selectors.VIEW)
    return case_dict(services.case_transition(actor=user, case=case, to=payload.to, reason=payload.reason,
                                              hold_claims=payload.hold_claims))  # fmt: skip


@router.post("/supervision/scans", response={202: ScanOut}, summary="开始扫描 Start a scan (a job)")
def scan_start(request: HttpRequest, payload: ScanIn) -> Any:
    user = current_user(request)
    scan = services.scan_create(
        actor=user, kind=ScanKind(payload.kind), rules=payload.rules, region_code=payload.region
    )
    return 202, scan_dict(scan)


@router.get("/supervision/scans/{scan_id}", response=ScanOut, summary="扫描进度 A scan's status and progress")
def scan_detail(request: HttpRequest, scan_id: str) -> Any:
    user = current_user(request)
    return scan_dict(get_visible(selectors.scans_visible(user), user, scan_id, selectors.VIEW))


@router.get("/supervision/providers/{provider_id}/risk", response=RiskOut,
            summary="机构风险分 A provider's (or an evaluation organization's) risk")  # fmt: skip
def provider_risk(request: HttpRequest, provider_id: str) -> Any:
    user = current_user(request)
    require(user, selectors.VIEW)
    org = selectors.provider_organization(provider_id) if is_uuid(provider_id) else None
    if org is None or not can(user, selectors.VIEW, region_code=org.region_id):
        raise NotFound("机构不存在。")
    return risk_dict(selectors.organization_risk_or_zero(user, org))


@router.get("/supervision/risks", response=page_of(RiskOut),
            summary="机构风险排名 Training providers or evaluation organizations ranked by risk, in scope")  # fmt: skip
def risk_ranking(request: HttpRequest, filters: Query[RiskFilters], paging: Query[Paging]) -> Any:
    user = current_user(request)
    require(user, selectors.VIEW)
    ranked = selectors.provider_risks(user, region=filters.region, kind=filters.kind)
    return page_items(ranked, paging, risk_dict)


# ---- sanctions (处罚决定) and clawback (追回), ADR 0027 ------------------------------------------------------------


class SanctionOut(Schema):
    id: str
    number: str
    organization: str
    organization_name: str
    credit_code: str
    region: str
    kind: str
    kind_label: str
    case: str | None = None
    reason: str
    document_number: str
    decided_on: str
    starts_on: str
    ends_on: str | None = None
    years: int | None = None
    status: str
    in_force: bool
    lifted_on: str | None = None
    lift_reason: str = ""
    decided_by_name: str = ""
    approved_by_name: str = ""


class SanctionIn(Schema):
    organization: str = Field(max_length=36)
    kind: Literal["talk", "rectify", "suspend", "delist", "blacklist", "revoke"]
    reason: str = Field(max_length=2000)
    starts_on: dt.date | None = None
    days: int | None = Field(None, ge=1, le=366)
    years: int | None = Field(None, ge=1, le=10)
    document_number: str = Field("", max_length=60)
    case: str | None = Field(None, max_length=36)


class LiftIn(Schema):
    reason: str = Field(max_length=2000)


class SanctionDecisionIn(Schema):
    approve: StrictBool
    reason: str = Field("", max_length=2000)


class SanctionFilters(Schema):
    kind: str = Field("", max_length=10)
    status: str = Field("", max_length=10)
    q: str = Field("", max_length=60)


def _whole_number(value: Any) -> Any:
    """JSON 586.0 is the integer 586 (JSON Schema's integer); 1.5, "100" and true stay refused by the strict int."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


class CaseRecoverIn(Schema):
    reason: str = Field(max_length=2000)
    due_date: dt.date
    # strict: JSON true/1.5/"100" is not an amount (lax parsing took ``true`` as a 1-fen order)
    amounts: (
        dict[
            Annotated[str, StringConstraints(max_length=36)],
            Annotated[int, BeforeValidator(_whole_number), Field(gt=0, le=FEN_MAX, strict=True)],
        ]
        | None
    ) = Field(None, max_length=500)


class RecoveryOrderBrief(Schema):
    id: str
    number: str
    claim: str
    claim_number: str
    amount_fen: int
    recovered_fen: int
    due_date: str
    status: str


class BlacklistOut(Schema):
    number: str
    organization_name: str
    credit_code: str
    region: str
    reason: str
    document_number: str
    starts_on: str
    ends_on: str | None = None


def sanction_dict(s: Sanction) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": str(s.pk), "number": s.number, "organization": str(s.organization_id),
        "organization_name": s.organization_name, "credit_code": s.credit_code, "region": s.region_id,
        "kind": s.kind, "kind_label": str(s.get_kind_display()), "case": str(s.case_id) if s.case_id else None,
        "reason": s.reason, "document_number": s.document_number, "decided_on": s.decided_on.isoformat(),
        "starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat() if s.ends_on else None,
        "years": s.years, "status": s.status,
        "in_force": s.status == "active" and s.starts_on <= today and (s.ends_on is None or today <= s.ends_on),
        "lifted_on": s.lifted_on.isoformat() if s.lifted_on else None, "lift_reason": s.lift_reason,
        "decided_by_name": s.decided_by_name, "approved_by_name": s.approved_by_name,
    }  # fmt: skip


@router.get("/supervision/sanctions", response=page_of(SanctionOut), summary="处罚决定 Sanctions in scope")
def sanction_list(request: HttpRequest, filters: Query[SanctionFilters], paging: Query[Paging]) -> Any:
    user = current_user(request)
    require(user, selectors.VIEW)
    qs = selectors.sanction_filter(selectors.sanctions_visible(user), **filters.dict())
    return page_items(qs.order_by("-decided_on", "number"), paging, sanction_dict)


@router.get("/supervision/sanctions/{sanction_id}", response=SanctionOut, summary="处罚决定详情 One sanction")
def sanction_detail(request: HttpRequest, sanction_id: str) -> Any:
    user = current_user(request)
    return sanction_dict(get_visible(selectors.sanctions_visible(user), user, sanction_id, selectors.VIEW))


@router.post("/supervision/sanctions", response={201: SanctionOut},
             summary="作出处罚决定（同一机构、类型、生效日重复提交不重复记录）Decide a sanction")  # fmt: skip
def sanction_create(request: HttpRequest, payload: SanctionIn) -> Any:
    user = current_user(request)
    org = get_visible(Organization, user, payload.organization, selectors.VIEW) if is_uuid(payload.organization) \
        else None  # fmt: skip
    if org is None:
        raise NotFound("机构不存在。")
    case = get_visible(selectors.cases_visible(user), user, payload.case, selectors.VIEW) if payload.case else None
    s = services.sanction_decide(actor=user, organization=org, kind=payload.kind, reason=payload.reason,
                                 starts_on=payload.starts_on, days=payload.days, years=payload.years,
                                 document_number=payload.document_number, case=case)  # fmt: skip
    return Status(201, sanction_dict(s))


@router.post("/supervision/sanctions/{sanction_id}/lift", response=SanctionOut, summary="解除处罚 Lift a sanction")
def sanction_lift(request: HttpRequest, sanction_id: str, payload: LiftIn) -> Any:
    user = current_user(request)
    s = get_visible(selectors.sanctions_visible(user), user, sanction_id, selectors.VIEW)
    return sanction_dict(services.sanction_lift(actor=user, sanction=s, reason=payload.reason))


@router.post("/supervision/sanctions/{sanction_id}/decision", response=SanctionOut,
             summary="复核黑名单、吊销许可（另一人）Approve or reject a pending sanction")  # fmt: skip
def sanction_decision(request: HttpRequest, sanction_id: str, payload: SanctionDecisionIn) -> Any:
    user = current_user(request)
    s = get_visible(selectors.sanctions_visible(user), user, sanction_id, selectors.VIEW)
    return sanction_dict(services.sanction_approve(actor=user, sanction=s, approve=payload.approve,
                                                   reason=payload.reason))  # fmt: skip


@router.post("/supervision/cases/{case_id}/recoveries", response={201: list[RecoveryOrderBrief]},
             summary="追回（幂等）Order the recovery of a confirmed case's paid claims")  # fmt: skip
def case_recover(request: HttpRequest, case_id: str, payload: CaseRecoverIn) -> Any:
    user = current_user(request)
    case = get_visible(selectors.cases_visible(user), user, case_id, selectors.VIEW)
    orders = services.case_recover(actor=user, case=case, reason=payload.reason, due_date=payload.due_date,
                                   amounts=payload.amounts)  # fmt: skip
    return Status(201, [recovery_brief(o) for o in orders])


def recovery_brief(o: Any) -> dict[str, Any]:
    return {"id": str(o.pk), "number": o.number, "claim": str(o.claim_id), "claim_number": o.claim.number,
            "amount_fen": o.amount_fen, "recovered_fen": o.recovered_fen, "due_date": o.due_date.isoformat(),
            "status": o.status}  # fmt: skip


public_router = Router(auth=None, tags=["public 公开"])


@public_router.get(
    "/blacklist", response=page_of(BlacklistOut), summary="黑名单（公开）Organizations blacklisted today"
)
def public_blacklist(request: HttpRequest, paging: Query[Paging], q: str = "") -> Any:
    return page_items(selectors.blacklist_public(q=q[:60]), paging, lambda s: {
        "number": s.number, "organization_name": s.organization_name, "credit_code": s.credit_code,
        "region": s.region_id, "reason": s.public_reason, "document_number": s.document_number,
        "starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat() if s.ends_on else None,
    })  # fmt: skip
