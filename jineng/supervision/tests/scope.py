"""Scope cases of supervision's URLs, registered into tests/scope_cases.py by ``register_supervision_cases``: a case
attributed to a region shows in the lists and details of the officials and inspectors over it only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _case(region: str) -> Any:
    from jineng.supervision.models import Case

    n = uuid4().hex[:12]
    return Case.objects.create(number=f"XSP{n}", rule="shared_phone", fingerprint=uuid4().hex + uuid4().hex,
                               severity="high", region_id=region, summary=f"探针线索{n}",
                               evidence=[{"kind": "person", "id": str(uuid4()), "label": ""}])  # fmt: skip


def _scan(region: str) -> Any:
    from jineng.supervision.models import Scan

    return Scan.objects.create(region_id=region, rules=["shared_phone"], progress_total=1)


def register_supervision_cases(register: Callable[[str, Any], None], ScopeCase: Any, Exempt: Any) -> None:  # noqa: N803
    view = "supervision.view"
    register("api:case_list", ScopeCase("list", _case, lambda c: "/api/v1/supervision/cases?page_size=500", view))
    register("api:case_detail", ScopeCase("detail", _case, lambda c: f"/api/v1/supervision/cases/{c.pk}", view))
    register("api:scan_detail", ScopeCase("detail", _scan, lambda s: f"/api/v1/supervision/scans/{s.pk}", view))
    register("supervision:cases", ScopeCase("list", _case, lambda c: "/supervision/", view, lambda c: c.number))
    register("supervision:case", ScopeCase("detail", _case, lambda c: f"/supervision/cases/{c.pk}/", view))
    register("api:provider_risk",
             ScopeCase("detail", _org, lambda o: f"/api/v1/supervision/providers/{o.pk}/risk", view))  # fmt: skip
    register("supervision:risk", ScopeCase("list", _provider_case, lambda c: "/supervision/risk/", view,
                                           lambda c: c.provider.name))  # fmt: skip
    register("api:risk_ranking", ScopeCase("list", _provider_case,
                                           lambda c: "/api/v1/supervision/risks?page_size=500", view,
                                           lambda c: str(c.provider_id)))  # fmt: skip
    register("api:rule_list", Exempt("the rules' definitions: no regional records"))
    register("supervision:rules", Exempt("the rules' definitions: no regional records"))
    register("api:case_decide", Exempt("POST only (a decision); the case is fetched with get_visible (404 outside)"))
    register("api:scan_start", Exempt("POST only; requires supervision.scan over the region"))
    register("supervision:case_decide", Exempt("POST only; the case is fetched with get_visible (404 outside)"))
    register("supervision:scans", Exempt("start times and rule counts only (no regional records), through visible()"))
    register("api:sanction_list", ScopeCase("list", _sanction, lambda s: "/api/v1/supervision/sanctions?page_size=500",
                                            view))  # fmt: skip
    register("api:sanction_detail",
             ScopeCase("detail", _sanction, lambda s: f"/api/v1/supervision/sanctions/{s.pk}", view))  # fmt: skip
    register("supervision:sanctions",
             ScopeCase("list", _sanction, lambda s: "/supervision/sanctions/", view, lambda s: s.number))  # fmt: skip
    register("supervision:sanction",
             ScopeCase("detail", _sanction, lambda s: f"/supervision/sanctions/{s.pk}/", view))  # fmt: skip
    write = "write; scope-checked in the service (require) after get_visible, tested in jineng/supervision/tests"
    for name in ("api:sanction_create", "api:sanction_lift", "api:case_recover", "supervision:sanction_lift",
                 "supervision:case_recover", "api:sanction_decision", "supervision:sanction_decision"):  # fmt: skip
        register(name, Exempt(write))
    public = "the public 黑名单 (信息公开): organizations only, no personal data; tested in jineng/supervision/tests"
    register("api:public_blacklist", Exempt(public))
    register("supervision_public:blacklist", Exempt(public))


def _sanction(region: str) -> Any:
    import datetime as dt

    from jineng.supervision.models import Sanction

    org = _org(region)
    return Sanction.objects.create(number=f"CFP{uuid4().hex[:12]}", organization=org, organization_name=org.name,
                                   credit_code=org.credit_code, region_id=region, kind="talk", reason="探针",
                                   decided_on=dt.date(2026, 12, 1), starts_on=dt.date(2026, 12, 1))  # fmt: skip


def _org(region: str) -> Any:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char

    first17 = f"52{region}{uuid4().int % 10**9:09d}"
    return Organization.objects.create(kind="provider", name=f"探针机构{uuid4().hex[:8]}", region_id=region,
                                       credit_code=first17 + credit_code_check_char(first17))  # fmt: skip


def _provider_case(region: str) -> Any:
    case = _case(region)
    case.provider = _org(region)
    case.save(update_fields=["provider"])
    return case
