"""Every write of supervision: starting and running scans, and the decisions on a case (线索).

A scan runs its rules one at a time; each rule's cases are written in ONE transaction together with the rule's
mark in ``Scan.rules_done``, so a scan that fails half-way leaves the rules it finished and no half-written case, and
a re-run (``scan_run`` again) continues with the rules not done. A case is identified by its rule and what it is
about (``fingerprint``): a re-run finds the same case and refreshes its evidence while it is still new, never
duplicates it; a case already decided is left as decided.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, home_region, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import InvalidState, invalid
from jineng.common.serials import serial_reserve
from jineng.refdata.api import region_ancestors
from jineng.rules import supervision as R
from jineng.subsidies.api import claims_hold, claims_release
from jineng.supervision.detectors import DETECTORS, Context, Hit
from jineng.supervision.errors import Code
from jineng.supervision.events import Event
from jineng.supervision.models import OPEN_STATUSES, Case, CaseCounter, CaseStatus, CaseStep, Scan, ScanKind, ScanStatus

SCAN = "supervision.scan"
INSPECT = "supervision.inspect"
VIEW = "supervision.view"
JOB_KIND = "supervision.scan"
WRITE_BATCH = 500


def _province(region_code: str) -> str:
    chain = region_ancestors(region_code)
    return chain[-2] if len(chain) >= 2 else chain[0]


def scan_create(*, actor: Actor, kind: str = ScanKind.FULL, rules: list[str] | None = None,
                region_code: str | None = None) -> Scan:  # fmt: skip
    """Record a scan and queue its job. ``rules``: a subset of the rule codes (all by default)."""
    from jineng.common.jobs.services import job_create

    region = region_code or home_region(actor) or ""
    if not region:
        raise invalid(field="region", code=Code.BAD_CHOICE, message="请选择扫描的地区。")
    require(actor, SCAN, region_code=region)
    if kind not in ScanKind.values:
        raise invalid(field="kind", code=Code.BAD_CHOICE, message="扫描方式须为 full 或 incremental。")
    chosen = list(rules or R.RULES)
    unknown = [r for r in chosen if r not in R.RULES]
    if unknown:
        raise invalid(field="rules", code=Code.UNKNOWN_RULE, message=f"未知的规则：{'、'.join(unknown[:5])}")
    since = None
    if kind == ScanKind.INCREMENTAL:
        last = Scan.objects.filter(status=ScanStatus.DONE).order_by("-started_at").first()
        since = last.started_at if last else None
    with transaction.atomic():
        scan = Scan.objects.create(kind=kind, region_id=region, rules=chosen, progress_total=len(chosen), since=since,
                                   created_by=actor_user(actor))  # fmt: skip
        job = job_create(kind=JOB_KIND, actor=actor, params={"scan": str(scan.pk)}, region_code=region)
        Scan.objects.filter(pk=scan.pk).update(job_id=job.pk)
        scan.job_id = job.pk
        audit_event(Event.SCAN_START, actor=actor, object_id=scan.pk, region_code=region,
                    after={"kind": kind, "rules": chosen})  # fmt: skip
    return scan


def scan_run(scan: Scan, progress: Any = None) -> Scan:
    """Run (or resume) the scan: each rule not done yet, its cases and its mark committed together."""
    Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING, started_at=scan.started_at or timezone.now(),
                                           error="")  # fmt: skip
    scan.refresh_from_db()
    ctx = Context(province=_province(scan.region_id), since=scan.since)
    try:
        for code in scan.rules:
            if code in scan.rules_done:
                continue
            started = time.perf_counter()
            with transaction.atomic():
                counts: dict[str, float] = dict(_write_hits(scan, DETECTORS[code](ctx)))
                counts["seconds"] = round(time.perf_counter() - started, 3)
                scan.rules_done = [*scan.rules_done, code]
                scan.found = {**scan.found, code: counts}
                scan.progress_done = len(scan.rules_done)
                scan.save(update_fields=["rules_done", "found", "progress_done"])
            if progress is not None:
                progress(scan.progress_done, scan.progress_total)
    except Exception as exc:
        Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
                                               finished_at=timezone.now())  # fmt: skip
        raise
    with transaction.atomic():
        Scan.objects.filter(pk=scan.pk).update(status=ScanStatus.DONE, finished_at=timezone.now())
        audit_event(Event.SCAN_FINISH, actor="system", object_id=scan.pk, region_code=scan.region_id,
                    after={"found": scan.found})  # fmt: skip
    scan.refresh_from_db()
    return scan


def _write_hits(scan: Scan, hits: Any) -> dict[str, int]:
    counts = {"hits": 0, "new": 0, "updated": 0}
    batch: list[Hit] = []
    for hit in hits:
        batch.append(hit)
        if len(batch) >= WRITE_BATCH:
            _write_batch(scan, batch, counts)
            batch = []
    if batch:
        _write_batch(scan, batch, counts)
    return counts


def _write_batch(scan: Scan, hits: list[Hit], counts: dict[str, int]) -> None:
    by_print = {R.case_fingerprint(h.rule, h.keys): h for h in hits}
    existing = {c.fingerprint: c for c in Case.objects.filter(fingerprint__in=list(by_print))}
    counts["hits"] += len(by_print)
    fresh = [fp for fp in by_print if fp not in existing]
    year = timezone.localdate().year
    first = serial_reserve(CaseCounter, count=len(fresh), year=year) if fresh else 0
    new_cases = []
    for i, fp in enumerate(fresh):
        h = by_print[fp]
        new_cases.append(Case(
            number=f"XS{year}{first + i:07d}", rule=h.rule, fingerprint=fp, severity=R.RULES[h.rule].severity,
            region_id=h.region, provider_id=h.provider, summary=h.summary[:300], evidence=h.evidence, facts=h.facts,
            person_count=h.person_count, first_scan=scan, last_seen_scan=scan,
        ))  # fmt: skip
    Case.objects.bulk_create(new_cases)
    counts["new"] += len(new_cases)
    seen, refreshed = [], []
    now = timezone.now()
    for fp, case in existing.items():
        h = by_print[fp]
        case.last_seen_scan, case.updated_at = scan, now
        if case.status == CaseStatus.NEW and (case.evidence != h.evidence or case.facts != h.facts):
            case.evidence, case.facts, case.summary = h.evidence, h.facts, h.summary[:300]
            case.person_count = h.person_count
            refreshed.append(case)
        else:
            seen.append(case)
    # Two statements per batch, not one per case: the cases seen again, and the still-new cases refreshed.
    Case.objects.bulk_update(seen, ["last_seen_scan", "updated_at"])
    Case.objects.bulk_update(refreshed, ["last_seen_scan", "updated_at", "evidence", "facts", "summary",
                                         "person_count"])  # fmt: skip
    counts["updated"] += len(refreshed)


def case_transition(*, actor: Actor, case: Case, to: str, reason: str = "", hold_claims: bool = False) -> Case:
    """核查决定 — move a case along 新线索 → 核查中 → 属实 / 不属实 → 已处理, with a reason (required for every
    decision but taking it up). Confirming with ``hold_claims`` puts the live claims in its evidence on hold
    (subsidies' 止付, through ``subsidies.api``); closing or dismissing releases them."""
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message="核查结论不能超过 2000 字。")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        require(actor, INSPECT, region_code=case.region_id)
        if not R.transition_allowed(case.status, to):
            raise InvalidState(f"线索当前为「{CaseStatus(case.status).label}」，不能改为「{to}」。",
                               code=Code.BAD_TRANSITION)  # fmt: skip
        if to != CaseStatus.INVESTIGATING and not reason:
            raise invalid(field="reason", code=Code.REASON_REQUIRED, message="请填写核查结论或理由。")
        before = case.status
        case.status = to
        if to in (CaseStatus.CONFIRMED, CaseStatus.DISMISSED):
            case.decided_at, case.decision_reason = timezone.now(), reason
        if to == CaseStatus.INVESTIGATING and case.assignee_id is None:
            case.assignee = actor_user(actor)
        ref = f"supervision.case:{case.pk}"
        if to == CaseStatus.CONFIRMED and hold_claims:
            claim_ids = [e["id"] for e in case.evidence if e.get("kind") == "claim"]
            claim_ids += _claims_behind(case)
            held = claims_hold(actor=actor, claim_ids=claim_ids, ref=ref, reason=f"线索 {case.number} 属实：{reason}")
            case.claims_held = len(held)
        elif to in (CaseStatus.DISMISSED, CaseStatus.CLOSED) and case.claims_held:
            claims_release(actor=actor, ref=ref, reason=f"线索 {case.number}：{reason}")
            case.claims_held = 0
        case.save()
        CaseStep.objects.create(case=case, region_id=case.region_id, from_status=before, to_status=to, reason=reason,
                                actor=actor_user(actor), actor_name=str(actor or "system")[:150],
                                at=timezone.now())  # fmt: skip
        audit_event(Event.CASE_TRANSITION, actor=actor, object_id=case.pk, region_code=case.region_id,
                    before={"status": before}, after={"status": to, "claims_held": case.claims_held},
                    reason=reason)  # fmt: skip
    return case


def _claims_behind(case: Case) -> list[str]:
    """The claims paying for the enrollments and persons of a case's evidence."""
    from jineng.subsidies.api import LIVE_STATUSES, Claim

    enrollments = [e["id"] for e in case.evidence if e.get("kind") == "enrollment"]
    persons = [e["id"] for e in case.evidence if e.get("kind") == "person"]
    qs = Claim.objects.filter(status__in=LIVE_STATUSES)
    ids = set(qs.filter(enrollment_id__in=enrollments).values_list("pk", flat=True)) if enrollments else set()
    if case.rule in ("shared_phone", "shared_bank_account", "ghost_trainee") and persons:
        ids |= set(qs.filter(person_id__in=persons).values_list("pk", flat=True))
    return [str(pk) for pk in ids]


def case_assign(*, actor: Actor, case: Case, assignee: Any) -> Case:
    """分派 — give an open case to an inspector or official who may decide it in its region."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        require(actor, INSPECT, region_code=case.region_id)
        require(assignee, INSPECT, region_code=case.region_id)
        if case.status not in OPEN_STATUSES:
            raise InvalidState("已核结的线索不能再分派。", code=Code.BAD_TRANSITION)
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        audit_event(Event.CASE_ASSIGN, actor=actor, object_id=case.pk, region_code=case.region_id,
                    after={"assignee": getattr(assignee, "username", "")})  # fmt: skip
    return case
