"""Supervision API: the rules, the cases in the caller's scope with their evidence, scans (a full scan as a job) and a
provider's risk. Thin: validate, call one service or selector, answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from jineng.accounts.api import can, current_user, get_visible, require
from jineng.common.errors import NotFound
from jineng.common.ids import is_uuid
from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.rules import supervision as R
from jineng.supervision import selectors, services
from jineng.supervision.models import Case, ScanKind

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
    hold_claims: bool = False


class RiskComponentOut(Schema):
    code: str
    label: str
    value: float
    points: float
    weight: float


class RiskOut(Schema):
    provider: str
    name: str
    score: float
    cases: int
    open_cases: int
    components: list[RiskComponentOut]


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


@router.get("/supervision/providers/{provider_id}/risk", response=RiskOut, summary="机构风险分 A provider's risk")
def provider_risk(request: HttpRequest, provider_id: str) -> Any:
    user = current_user(request)
    require(user, selectors.VIEW)
    org = selectors.provider_organization(provider_id) if is_uuid(provider_id) else None
    if org is None or not can(user, selectors.VIEW, region_code=org.region_id):
        raise NotFound("机构不存在。")
    risk = selectors.provider_risk(user, org.pk) or selectors.ProviderRisk(org.pk, org.name, org.region_id,
                                                                           selectors.zero_risk(), 0, 0)  # fmt: skip
    return {"provider": str(org.pk), "name": org.name, "score": risk.risk.score, "cases": risk.cases,
            "open_cases": risk.open_cases,
            "components": [c.__dict__ for c in risk.risk.components]}  # fmt: skip
