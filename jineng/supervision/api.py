"""What other apps (the site shell) may use of supervision: the open cases a user sees (home card, to-do list), a
case's summary in the reader's language (made from its stored facts), the pending 黑名单 / 吊销许可 a user may
approve (``sanctions_to_approve``: the second person's to-do), the organization risk ranking (what risk-weighted
random inspections draw with; ``provider_risks(user, region=, kind=)``), an organization's supervision block for its
page (``organization_panel`` / ``organization_panel_html``: risk and cases, to officials in scope only); the case a
complaint opens (``case_open_from_complaint``: the complaints desk refers a complaint that needs checking as a new
线索); ``Case`` — for counting (the synthetic province's scoring reads what each case is about);
``register_case_complaints(reader)`` — complaints (a higher app) hands over from its AppConfig what a case page lists
under 投诉举报 (``complaints.api.case_complaints``, ADR 0007), each a ``supervision.data.CaseComplaint``."""

from __future__ import annotations

from typing import Any

from jineng.supervision.models import Case
from jineng.supervision.selectors import (
    ProviderRisk,
    cases_visible,
    organization_panel,
    provider_risk,
    provider_risks,
    register_case_complaints,
    sanctions_to_approve,
)
from jineng.supervision.web.labels import case_summary


def organization_panel_html(user: Any, organization_id: Any) -> str:
    """监管信息 — the block an organization's page (a training provider's, an evaluation organization's) shows: its
    risk score with each component and its latest cases, as ``user`` may see them; "" for anyone without
    ``supervision.view`` over the organization's region (its own staff, an official of another region): the page
    then shows nothing. For the providers page's panel hook (it cannot import supervision, a higher layer)."""
    from django.template.loader import render_to_string

    from jineng.rules import supervision as R
    from jineng.supervision.web import labels
    from jineng.supervision.web.views import rule_name

    panel = organization_panel(user, organization_id)
    if panel is None:
        return ""
    rows = [{"case": c, "rule_name": rule_name(R.RULES[c.rule]) if c.rule in R.RULES else c.rule,
             "summary": case_summary(c), "status": labels.status_label(c.status)} for c in panel["cases"]]  # fmt: skip
    return render_to_string("supervision/_organization_panel.html", {"panel": {
        **panel, "cases": rows, "components": labels.risk_components(panel["risk"].risk)}})  # fmt: skip


def case_open_from_complaint(*, actor: Any, complaint_id: Any, region_code: str, summary: str,
                             organization: Any = None, severity: str = "medium") -> Any:  # fmt: skip
    """立案 — a new case (rule ``complaint``, 新线索) in the complaint's region, about its organization when it is one
    of the catalog's, for the inspectors and officials there to decide like any case. The caller (complaints)
    checks its own permission and the text; the actor must see cases in the region (``supervision.view``). One case
    per complaint: asked again, the same case is answered (``created`` False)."""
    from django.db import transaction
    from django.utils import timezone

    from jineng.accounts.api import actor_user, require
    from jineng.common.audit.services import audit_event
    from jineng.common.serials import serial_reserve
    from jineng.rules import supervision as R
    from jineng.supervision.events import Event
    from jineng.supervision.models import Case, CaseCounter, CaseStatus, CaseStep

    require(actor, "supervision.view", region_code=region_code)
    fingerprint = R.case_fingerprint(R.COMPLAINT, [str(complaint_id)])
    with transaction.atomic():
        found: Case | None = Case.objects.select_for_update().filter(fingerprint=fingerprint).first()
        if found is not None:
            return found
        year = timezone.localdate().year
        evidence = ([{"kind": "organization", "id": str(organization.pk), "label": organization.name}]
                    if organization is not None else [])  # fmt: skip
        case = Case.objects.create(
            number=f"XS{year}{serial_reserve(CaseCounter, year=year):07d}", rule=R.COMPLAINT, fingerprint=fingerprint,
            severity=severity if severity in ("high", "medium", "low") else "medium", region_id=region_code,
            provider=organization, summary=summary[:300], evidence=evidence, facts={},
        )  # fmt: skip
        CaseStep.objects.create(case=case, region_id=region_code, from_status="", to_status=CaseStatus.NEW,
                                reason="由投诉举报立案", actor=actor_user(actor),
                                actor_name=str(actor or "system")[:150], at=timezone.now())  # fmt: skip
        audit_event(Event.CASE_TRANSITION, actor=actor, object_id=case.pk, region_code=region_code,
                    before={"status": ""}, after={"status": CaseStatus.NEW, "from": "complaint"},
                    reason="由投诉举报立案")  # fmt: skip
    return case


__all__ = [
    "Case",
    "ProviderRisk",
    "case_open_from_complaint",
    "case_summary",
    "cases_visible",
    "organization_panel",
    "organization_panel_html",
    "provider_risk",
    "provider_risks",
    "register_case_complaints",
    "sanctions_to_approve",
]
