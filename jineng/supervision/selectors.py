"""Every read of supervision: the case list's filters (page and API alike), a case's evidence, scans, and the
provider risk scores — all through ``accounts.api.visible`` (a case is seen by officials and inspectors whose scope
covers its region, ``supervision.view``; providers hold no such grant, so never see cases about themselves)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jineng.accounts.api import Organization, visible
from jineng.common.ids import uuid_or_none
from jineng.refdata.api import region_subtree, setting_value
from jineng.rules import supervision as R
from jineng.supervision.data import CaseComplaint
from jineng.supervision.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Scan,
)

VIEW = "supervision.view"


def cases_visible(user: Any) -> QuerySet[Case]:
    return visible(Case, user, VIEW).select_related("region", "provider", "assignee")


# The complaints a case came from (投诉举报 on the case page). Complaints sits above supervision (the layers), so it
# hands its reader over from its AppConfig (``api.register_case_complaints``, ADR 0007): reader(user, case_number).
CaseComplaintsReader = Callable[[Any, str], list[CaseComplaint]]
_complaints_reader: list[CaseComplaintsReader] = []


def register_case_complaints(reader: CaseComplaintsReader) -> None:
    _complaints_reader[:] = [reader]


def case_complaints(user: Any, case: Case) -> list[CaseComplaint]:
    """The complaints linked to ``case`` as ``user`` may read them (none while no reader is registered)."""
    return _complaints_reader[0](user, case.number) if _complaints_reader else []


def case_filter(qs: QuerySet[Case], *, rule: str = "", status: str = "", severity: str = "", region: str = "",
                provider: str = "", q: str = "") -> QuerySet[Case]:  # fmt: skip
    """线索列表 — by rule, status (``open``: new or investigating), severity, region (and below), provider, number."""
    if rule:
        qs = qs.filter(rule=rule)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    if provider:
        pk = uuid_or_none(provider)
        qs = qs.filter(provider_id=pk) if pk else qs.none()
    if q:
        qs = qs.filter(Q(number__icontains=q[:40]) | Q(summary__icontains=q[:40]))
    return qs


def scans_visible(user: Any) -> QuerySet[Scan]:
    return visible(Scan, user, VIEW)


def case_counts_by_rule(qs: QuerySet[Case]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row in qs.values("rule").annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES))):
        out[row["rule"]] = {"total": row["total"], "open": row["open"]}
    return out


@dataclass(frozen=True)
class ProviderRisk:
    """An organization's risk (a training provider's or an evaluation organization's — ``kind``)."""

    provider_id: Any
    provider_name: str
    region: str
    risk: R.RiskScore
    cases: int
    open_cases: int
    kind: str = "provider"


RISK_KINDS = ("provider", "evaluator")  # the ranked lists: 培训机构, 评价机构
OUTLIER = "pass_rate_outlier"


def _risk_of(rows: list[dict[str, Any]], z: float, z_crit: float) -> R.RiskScore:
    """The explained score from an organization's cases (rows of rule, status, severity, n): the statistical rule
    counts through its |z| only; a complaint's case counts in the complaints component until it is found untrue —
    while open there only (an unchecked allegation is not also an open case), once confirmed as a confirmed case
    too."""

    def counted(r: dict[str, Any]) -> bool:
        return bool(r["rule"] != OUTLIER)

    confirmed = sum(r["n"] for r in rows if counted(r) and r["status"] in (CaseStatus.CONFIRMED, CaseStatus.CLOSED))
    decided = confirmed + sum(r["n"] for r in rows if counted(r) and r["status"] == CaseStatus.DISMISSED)
    weight = {s.value: w for s, w in R.SEVERITY_WEIGHT.items()}
    open_weighted = sum(r["n"] * weight[r["severity"]] for r in rows if counted(r) and r["rule"] != R.COMPLAINT
                        and r["status"] in OPEN_STATUSES)  # fmt: skip
    complaints = sum(r["n"] for r in rows if r["rule"] == R.COMPLAINT and r["status"] != CaseStatus.DISMISSED)
    return R.risk_score(confirmed=confirmed, open_weighted=open_weighted, decided=decided, outlier_z=z,
                        z_crit=z_crit, complaints=complaints)  # fmt: skip


def provider_risks(user: Any, *, region: str = "", kind: str = "") -> list[ProviderRisk]:
    """机构风险排名 — the organizations with cases in the user's scope (of ``kind``: ``provider`` 培训机构,
    ``evaluator`` 评价机构; every kind when empty), ranked by their explained risk score."""
    qs = cases_visible(user).filter(provider__isnull=False)
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    if kind:
        qs = qs.filter(provider__kind=kind)
    rows = list(qs.values("provider_id", "rule", "status", "severity").annotate(n=Count("pk")).order_by())
    z_by: dict[Any, float] = {}
    for pk, facts in qs.filter(rule=OUTLIER).exclude(status=CaseStatus.DISMISSED).values_list("provider_id", "facts"):
        z_by[pk] = max(z_by.get(pk, 0.0), abs(float((facts or {}).get("z", 0.0))))
    by_provider: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        by_provider.setdefault(r["provider_id"], []).append(r)
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=list(by_provider)).select_related("region")}
    z_crit = int(setting_value(R.Z_CRIT.key, region or "440000", _today())) / 100
    out = []
    for pk, prow in by_provider.items():
        org = orgs.get(pk)
        out.append(ProviderRisk(
            pk, org.name if org else str(pk), getattr(org, "region_id", "") or "",
            _risk_of(prow, z_by.get(pk, 0.0), z_crit),
            sum(r["n"] for r in prow), sum(r["n"] for r in prow if r["status"] in OPEN_STATUSES),
            getattr(org, "kind", "") or "",
        ))  # fmt: skip
    return sorted(out, key=lambda p: (-p.risk.score, p.provider_name))


def provider_risk(user: Any, provider_id: Any) -> ProviderRisk | None:
    """One organization's risk from the cases the user may see (None when the user sees none of its cases)."""
    found = [p for p in provider_risks(user) if str(p.provider_id) == str(provider_id)]
    return found[0] if found else None


def organization_risk_or_zero(user: Any, org: Organization) -> ProviderRisk:
    """An organization's risk as ``user`` sees it — a zero score (every component shown) when it has no case."""
    return provider_risk(user, org.pk) or ProviderRisk(org.pk, org.name, org.region_id, zero_risk(), 0, 0,
                                                       org.kind)  # fmt: skip


def organization_panel(user: Any, organization_id: Any, *, limit: int = 10) -> dict[str, Any] | None:
    """监管信息 — what an organization's page shows an official about it: its risk (each component) and its latest
    cases; None for anyone who may not see supervision over the organization's region (its own staff, the public, an
    official of another region) — the caller then shows nothing."""
    from jineng.accounts.api import can

    pk = uuid_or_none(organization_id)
    org = provider_organization(pk) if pk else None
    if org is None or not can(user, VIEW, region_code=org.region_id):
        return None
    cases = list(cases_visible(user).filter(provider=org).order_by("-created_at")[:limit])
    return {"organization": org, "risk": organization_risk_or_zero(user, org), "cases": cases}


def provider_organization(provider_id: Any) -> Organization | None:
    """The organization of a provider, given its organization id or its profile's (机构档案) id."""
    from jineng.providers.api import OrganizationProfile

    org = Organization.objects.filter(pk=provider_id).first()
    if org is None:
        profile = OrganizationProfile.objects.filter(pk=provider_id).select_related("organization").first()
        org = profile.organization if profile else None
    return org


def zero_risk() -> R.RiskScore:
    return R.risk_score(confirmed=0, open_weighted=0, decided=0, outlier_z=0.0, z_crit=1.0)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


# ---- sanctions (处罚决定) ---------------------------------------------------------------------------------------------


def sanctions_visible(user: Any) -> QuerySet[Sanction]:
    """The sanctions decided on organizations of the user's regions (``supervision.view``)."""
    return visible(Sanction, user, VIEW).select_related("region", "organization", "case")


def sanctions_to_approve(user: Any) -> list[Sanction]:
    """待复核 — the pending 黑名单 / 吊销许可 of the user's regions that ``user`` may approve (the province-level
    authority over the organization's province) and did not decide: the second person's to-do, oldest first."""
    from jineng.supervision.services import sanction_may

    uid = getattr(user, "pk", None)
    pending = sanctions_visible(user).filter(status=SanctionStatus.PENDING).order_by("created_at")
    return [s for s in pending[:200] if s.decided_by_id != uid and sanction_may(user, s.kind, s.region_id)]


def sanction_filter(qs: QuerySet[Sanction], *, kind: str = "", status: str = "", q: str = "",
                    on: dt.date | None = None) -> QuerySet[Sanction]:  # fmt: skip
    """处罚决定列表 — by kind, status (``in_force``: active and within its dates on ``on``), organization name,
    credit code or decision number."""
    if kind in SanctionKind.values:
        qs = qs.filter(kind=kind)
    if status == "in_force":
        qs = in_force(qs, on or timezone.localdate())
    elif status in SanctionStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()[:60]
    if q:
        qs = qs.filter(Q(organization_name__icontains=q) | Q(credit_code=q.upper()) | Q(number=q.upper()))
    return qs


def in_force(qs: QuerySet[Sanction], on: dt.date) -> QuerySet[Sanction]:
    return qs.filter(status=SanctionStatus.ACTIVE, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def blacklist_public(*, q: str = "", on: dt.date | None = None) -> QuerySet[Sanction]:
    """黑名单（公开）— every blacklisting in force today, across the province: the organization, its credit code,
    the decision's number, reason and dates. Public: no personal data is held on a sanction."""
    qs = in_force(Sanction.objects.filter(kind=SanctionKind.BLACKLIST), on or timezone.localdate())
    q = (q or "").strip()[:60]
    if q:
        qs = qs.filter(Q(organization_name__icontains=q) | Q(credit_code=q.upper()))
    return qs.select_related("region").order_by("-starts_on", "number")


def organization_by_credit_code(user: Any, credit_code: str) -> Organization | None:
    """An organization of the user's regions by its credit code (the sanction form names it so)."""
    code = (credit_code or "").strip().upper()[:18]
    if len(code) != 18:
        return None
    org: Organization | None = visible(Organization, user, VIEW).filter(credit_code=code).first()
    return org


def sanctionable_organizations(user: Any, *, chosen: str = "", limit: int = 300) -> list[Organization]:
    """The organizations the sanction form offers: those of the user's regions (providers first, then enterprises
    and evaluation organizations, by name), at most ``limit``; the ``chosen`` one (from a case) always among them."""
    qs = visible(Organization, user, VIEW).select_related("region")
    kind_order = {"provider": 0, "enterprise": 1, "evaluator": 2}
    out = sorted(qs.order_by("name")[:limit], key=lambda o: (kind_order.get(o.kind, 9), o.name))
    pk = uuid_or_none(chosen)
    if pk and all(o.pk != pk for o in out):
        extra = qs.filter(pk=pk).first()
        if extra is not None:
            out.insert(0, extra)
    return out
