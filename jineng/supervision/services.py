"""Every write of supervision: starting and running scans, and the decisions on a case (线索).

A scan runs its rules one at a time; each rule's cases are written in ONE transaction together with the rule's
mark in ``Scan.rules_done``, so a scan that fails half-way leaves the rules it finished and no half-written case, and
a re-run (``scan_run`` again) continues with the rules not done. A case is identified by its rule and what it is
about (``fingerprint``): a re-run finds the same case and refreshes its evidence while it is still new, never
duplicates it; a case already decided is left as decided.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jineng.accounts.api import Actor, actor_user, can, home_region, principal_for, require, visible
from jineng.common.audit.services import audit_event
from jineng.common.errors import InvalidState, invalid
from jineng.common.ids import uuid_or_none
from jineng.common.serials import serial_reserve
from jineng.providers.api import SANCTION_CLAIM, SANCTION_CLASS, SANCTION_LISTING, listing_exit_for_sanction
from jineng.refdata.api import region_ancestors
from jineng.rules import supervision as R
from jineng.subsidies.api import claims_hold, claims_paid_among, claims_release, recovery_orders_create
from jineng.supervision.detectors import DETECTORS, Context, Hit
from jineng.supervision.errors import Code
from jineng.supervision.events import Event
from jineng.supervision.models import (
    OPEN_STATUSES,
    Case,
    CaseCounter,
    CaseStatus,
    CaseStep,
    Sanction,
    SanctionCounter,
    SanctionKind,
    SanctionStatus,
    Scan,
    ScanKind,
    ScanStatus,
)

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
    since = scan_watermark() if kind == ScanKind.INCREMENTAL else None
    with transaction.atomic():
        scan = Scan.objects.create(kind=kind, region_id=region, rules=chosen, progress_total=len(chosen), since=since,
                                   created_by=actor_user(actor))  # fmt: skip
        job = job_create(kind=JOB_KIND, actor=actor, params={"scan": str(scan.pk)}, region_code=region)
        Scan.objects.filter(pk=scan.pk).update(job_id=job.pk)
        scan.job_id = job.pk
        audit_event(Event.SCAN_START, actor=actor, object_id=scan.pk, region_code=region,
                    after={"kind": kind, "rules": chosen})  # fmt: skip
    return scan


# An incremental pass reads the records created (or changed) from the last finished scan's start, less this margin:
# a record written in a transaction that committed after that scan had read its table (an import's chunk, a batch of
# check-ins) carries an earlier timestamp than the commit, and would otherwise fall between two passes. Reading a few
# minutes twice costs little: the cases are found again by their fingerprint, never duplicated.
WATERMARK_OVERLAP = dt.timedelta(minutes=10)
# The imports after which an incremental pass is queued (``incremental_after_job``): persons (phones, bank
# accounts, employment), rosters (enrollments), attendance (check-ins), and the other records the rules read.
AFTER_IMPORTS = frozenset({"import.persons", "import.roster", "import.attendance", "import.teachers",
                           "import.certificates"})  # fmt: skip


def scan_watermark() -> dt.datetime | None:
    """水位线 — where the next incremental pass starts: the start of the last finished scan (full or incremental)
    less ``WATERMARK_OVERLAP``; None (everything) when no scan has finished yet."""
    last = Scan.objects.filter(status=ScanStatus.DONE, started_at__isnull=False).order_by("-started_at").first()
    return last.started_at - WATERMARK_OVERLAP if last and last.started_at else None


def scan_incremental_queue(*, region_code: str = "", actor: Actor = "system", run_now: bool = False) -> Scan | None:
    """增量扫描 — queue (or with ``run_now`` run at once) a pass of every rule over the records new since the last
    scan's watermark: the system's own workflow (after an import, from cron), not an official's request, so no
    permission is asked. Nothing when no scan ever finished (the first scan of a province is a full one, started by
    an official); the queued incremental scan when one waits already (a burst of imports queues one pass, not one
    each)."""
    from jineng.common.jobs.services import job_create

    since = scan_watermark()
    if since is None:
        return None
    # a queued pass has not read anything yet: it will see this import too (a running one may have read past it)
    pending = Scan.objects.filter(kind=ScanKind.INCREMENTAL, status=ScanStatus.QUEUED)
    if not run_now and (found := pending.order_by("-created_at").first()) is not None:
        return found
    last = Scan.objects.filter(status=ScanStatus.DONE).order_by("-started_at").first()
    region = region_code or (last.region_id if last else "440000")
    chosen = list(R.RULES)
    with transaction.atomic():
        scan = Scan.objects.create(kind=ScanKind.INCREMENTAL, region_id=region, rules=chosen,
                                   progress_total=len(chosen), since=since, created_by=actor_user(actor))  # fmt: skip
        audit_event(Event.SCAN_START, actor=actor, object_id=scan.pk, region_code=region,
                    after={"kind": ScanKind.INCREMENTAL, "since": since.isoformat()})  # fmt: skip
        if not run_now:
            job = job_create(kind=JOB_KIND, actor=actor, params={"scan": str(scan.pk)}, region_code=region)
            Scan.objects.filter(pk=scan.pk).update(job_id=job.pk)
            scan.job_id = job.pk
    return scan_run(scan) if run_now else scan


def incremental_after_job(job: Any) -> None:
    """The job system's follow-up (``common.jobs.on_job_succeeded``): an import of records the rules read queues an
    incremental pass, so what it brought in is scanned within minutes of its end."""
    if job.kind in AFTER_IMPORTS:
        scan_incremental_queue()


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
            held = claims_hold(actor=actor, claim_ids=_claims_behind(case, actor), ref=ref,
                               reason=f"线索 {case.number} 属实：{reason}")  # fmt: skip
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


def _claims_behind(case: Case, actor: Actor) -> list[str]:
    """The claims of a case's evidence (named, or paying for its enrollments and persons) that lie in the case
    official's scope: a person of the evidence may have claims in another city, which this official does not
    decide — a hold or a recovery never reaches them (the cases of that city do)."""
    from jineng.subsidies.api import LIVE_STATUSES, Claim

    named = [e["id"] for e in case.evidence if e.get("kind") == "claim"]
    enrollments = [e["id"] for e in case.evidence if e.get("kind") == "enrollment"]
    persons = [e["id"] for e in case.evidence if e.get("kind") == "person"]
    qs = visible(Claim.objects.filter(status__in=LIVE_STATUSES), actor, INSPECT)
    ids = set(qs.filter(pk__in=[i for i in (uuid_or_none(n) for n in named) if i]).values_list("pk", flat=True))
    if enrollments:
        ids |= set(qs.filter(enrollment_id__in=enrollments).values_list("pk", flat=True))
    if case.rule in ("shared_phone", "shared_bank_account", "ghost_trainee") and persons:
        ids |= set(qs.filter(person_id__in=persons).values_list("pk", flat=True))
    return sorted(str(pk) for pk in ids)


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


# ---- sanctions (处罚决定, ADR 0027) ---------------------------------------------------------------------------------

# What each sanction in force forbids (the actions of ``providers.api``'s sanctions hook). 约谈 and 整改 are recorded
# decisions without an automatic effect; 移出目录 acts once, through the catalog's exit service.
BLOCKS: dict[str, frozenset[str]] = {
    SanctionKind.SUSPEND: frozenset({SANCTION_CLASS, SANCTION_CLAIM}),
    SanctionKind.BLACKLIST: frozenset({SANCTION_LISTING, SANCTION_CLASS, SANCTION_CLAIM}),
    SanctionKind.REVOKE: frozenset({SANCTION_LISTING, SANCTION_CLASS, SANCTION_CLAIM}),
}
ACTION_LABELS = {SANCTION_LISTING: gettext_lazy("申请纳入培训机构目录"), SANCTION_CLASS: gettext_lazy("申请开班"),
                 SANCTION_CLAIM: gettext_lazy("申请补贴")}  # fmt: skip
# 适用对象 — which kinds apply to which kind of organization: a training provider can be taken up the whole ladder;
# an enterprise or an evaluation organization is not a catalog provider (no listing to exit, no public 培训机构黑名单):
# 约谈 and 整改 only; their own regulators act on the rest.
APPLICABLE: dict[str, frozenset[str]] = {
    "provider": frozenset(SanctionKind.values),
    "enterprise": frozenset({SanctionKind.TALK, SanctionKind.RECTIFY}),
    "evaluator": frozenset({SanctionKind.TALK, SanctionKind.RECTIFY}),
}
# 黑名单 and 吊销许可 need a 文号 and a second person's approval before they are in force and public
NEEDS_APPROVAL = (SanctionKind.BLACKLIST, SanctionKind.REVOKE)
# 文号: issuer's characters, the year in 〔〕 (or [] / （）), the serial and 号 — e.g. 粤人社罚〔2026〕7号
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,30}[〔\[（(][12]\d{3}[〕\]）)]第?\d{1,6}号")
# decided by the province (the effect reaches the whole province): 移出目录, 黑名单, 吊销许可
PROVINCIAL = (SanctionKind.DELIST, SanctionKind.BLACKLIST, SanctionKind.REVOKE)
MAX_SUSPEND_DAYS = 366
MAX_RECTIFY_DAYS = 366
MAX_BLACKLIST_YEARS = 10
# Province-level authority (省级经办 only, ``accounts.roles``): an inspector's grant may reach the whole province, but
# it does not carry the province's power to decide or lift 移出目录, 黑名单 and 吊销许可.
DECIDE_PROVINCIAL = "supervision.sanction_province"


def sanction_scope(kind: str, region_code: str) -> str:
    """The region whose official decides (and lifts) a sanction of ``kind`` on an organization of ``region_code``."""
    return _province(region_code) if kind in PROVINCIAL else region_code


def sanction_require(actor: Actor, kind: str, region_code: str) -> None:
    """Who may decide or lift a sanction of ``kind`` on an organization of ``region_code``: ``supervision.inspect``
    over the region, and for 移出目录, 黑名单 and 吊销许可 also province-level authority over its province."""
    scope = sanction_scope(kind, region_code)
    require(actor, INSPECT, region_code=scope)
    if kind in PROVINCIAL:
        require(actor, DECIDE_PROVINCIAL, region_code=scope)


def sanction_may(actor: Actor, kind: str, region_code: str) -> bool:
    """Whether ``sanction_require`` lets ``actor`` through (to offer or hide a kind, a lift; the service checks)."""
    scope = sanction_scope(kind, region_code)
    return can(actor, INSPECT, region_code=scope) and (
        kind not in PROVINCIAL or can(actor, DECIDE_PROVINCIAL, region_code=scope)
    )


def sanction_kinds_for(actor: Actor) -> list[str]:
    """The kinds ``actor`` may decide somewhere: the provincial ones only with province-level authority."""
    p = principal_for(actor)
    if not (p.superuser or p.has(INSPECT)):
        return []
    provincial = p.superuser or p.has(DECIDE_PROVINCIAL)
    return [k for k in SanctionKind.values if provincial or k not in PROVINCIAL]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def sanction_ends_on(kind: str, starts_on: dt.date, *, days: int | None, years: int | None) -> dt.date | None:
    """The last day a sanction is in force: 停业整顿 and 整改 ``days`` long, 黑名单 ``years`` long; the others have
    no end (约谈 acts once, 移出目录 and 吊销许可 hold until a new decision)."""
    if kind == SanctionKind.BLACKLIST:
        if years is None or not 1 <= years <= MAX_BLACKLIST_YEARS:
            raise invalid(field="years", code=Code.BAD_DURATION,
                          message=_("列入黑名单的年限应为 1–%(n)s 年。") % {"n": MAX_BLACKLIST_YEARS})  # fmt: skip
        return _add_years(starts_on, years) - dt.timedelta(days=1)
    if kind in (SanctionKind.SUSPEND, SanctionKind.RECTIFY):
        bound = MAX_SUSPEND_DAYS if kind == SanctionKind.SUSPEND else MAX_RECTIFY_DAYS
        if days is None or not 1 <= days <= bound:
            raise invalid(field="days", code=Code.BAD_DURATION, message=_("%(what)s期限应为 1–%(n)s 天。") % {
                "what": SanctionKind(kind).label, "n": bound})  # fmt: skip
        return starts_on + dt.timedelta(days=days - 1)
    return None


def sanction_kinds_applicable(org_kind: str) -> list[str]:
    """The kinds of the ladder that apply to an organization of ``org_kind`` (docs/sanctions.md «适用对象»)."""
    allowed = APPLICABLE.get(org_kind, frozenset())
    return [k for k in SanctionKind.values if k in allowed]


def document_number_clean(text: str, *, required: bool) -> str:
    """A 文号 (decision document number) such as 粤人社罚〔2026〕7号: issuer, year in 〔〕, serial, 号; bounded."""
    text = "".join((text or "").split())
    if not text:
        if required:
            raise invalid(field="document_number", code=Code.DOCUMENT_NUMBER,
                          message=_("列入黑名单和吊销许可须填写决定文号（如 粤人社罚〔2026〕7号）。"))  # fmt: skip
        return ""
    if len(text) > 60 or not DOCUMENT_NUMBER.fullmatch(text):
        raise invalid(field="document_number", code=Code.DOCUMENT_NUMBER,
                      message=_("文号格式应为 机关代字〔年份〕序号号，如 粤人社罚〔2026〕7号（不超过 60 字）。"))  # fmt: skip
    return text


def _org_kind_refusal(organization: Any, kind: str) -> None:
    if kind in APPLICABLE.get(organization.kind, frozenset()):
        return
    labels = "、".join(str(SanctionKind(k).label) for k in sanction_kinds_applicable(organization.kind)) or "—"
    raise invalid(field="kind", code=Code.KIND_NOT_APPLICABLE,
                  message=_("「%(kind)s」不适用于%(org_kind)s（%(name)s）；可作出：%(allowed)s。") % {
                      "kind": SanctionKind(kind).label, "org_kind": organization.get_kind_display(),
                      "name": organization.name, "allowed": labels})  # fmt: skip


def sanction_decide(
    *, actor: Actor, organization: Any, kind: str, reason: str, starts_on: dt.date | None = None,
    days: int | None = None, years: int | None = None, document_number: str = "", case: Case | None = None,
) -> Sanction:  # fmt: skip
    """处罚决定 — one step of the ladder against an organization, with its reason, dates and duration. 约谈, 整改
    and 停业整顿 by an official or inspector over the organization's region; 移出目录, 黑名单 and 吊销许可 over its
    province (移出目录 also needs ``catalog.approve``: the catalog's own exit service records it). Only the kinds that
    apply to the organization's kind (``APPLICABLE``). 黑名单 and 吊销许可 need a 文号 and wait (待复核, not in force,
    not public) for a second person's ``sanction_approve``. A retried decision (same organization, kind and start)
    answers the decision pending or in force."""
    if kind not in SanctionKind.values:
        raise invalid(field="kind", code=Code.BAD_CHOICE, message=_("处罚类型不正确。"))
    reason = (reason or "").strip()
    if not reason:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("请填写处罚的事实与理由。"))
    if len(reason) > 2000:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("事实与理由不能超过 2000 字。"))
    _org_kind_refusal(organization, kind)
    today = timezone.localdate()
    start = starts_on or today
    if not today - dt.timedelta(days=366) <= start <= today + dt.timedelta(days=366):
        raise invalid(field="starts_on", code=Code.BAD_DURATION, message=_("生效日期应在一年之内。"))
    ends = sanction_ends_on(kind, start, days=days, years=years)
    document_number = document_number_clean(document_number, required=kind in NEEDS_APPROVAL)
    region = organization.region_id
    sanction_require(actor, kind, region)
    if case is not None and case.status not in (CaseStatus.CONFIRMED, CaseStatus.CLOSED):
        raise InvalidState(_("只有核查属实的线索可以作出处罚。"), code=Code.BAD_TRANSITION)
    with transaction.atomic():
        same: Sanction | None = Sanction.objects.filter(
            organization=organization, kind=kind, starts_on=start,
            status__in=[SanctionStatus.ACTIVE, SanctionStatus.PENDING]).first()  # fmt: skip
        if same is not None:
            return same
        if kind == SanctionKind.DELIST:
            exited = listing_exit_for_sanction(actor=actor, organization_id=organization.pk,
                                               reason=reason, document_number=document_number)  # fmt: skip
            if not exited:
                raise InvalidState(_("%(name)s不在培训机构目录内，无需移出。") % {"name": organization.name},
                                   code=Code.NOT_LISTED)  # fmt: skip
        year = today.year
        number = f"CF{year}{serial_reserve(SanctionCounter, year=year):06d}"
        sanction = Sanction.objects.create(
            number=number, organization=organization, organization_name=organization.name[:200],
            credit_code=organization.credit_code or "", region_id=region, kind=kind, case=case, reason=reason,
            document_number=document_number, decided_on=today, starts_on=start, ends_on=ends,
            years=years if kind == SanctionKind.BLACKLIST else None, decided_by=actor_user(actor),
            decided_by_name=_actor_name(actor),
            status=SanctionStatus.PENDING if kind in NEEDS_APPROVAL else SanctionStatus.ACTIVE,
        )  # fmt: skip
        audit_event(Event.SANCTION_DECIDE, actor=actor, object_id=sanction.pk, region_code=region, reason=reason,
                    after={"number": number, "organization": organization.name, "kind": kind, "starts_on": start,
                           "ends_on": ends, "case": case.number if case else None,
                           "status": sanction.status})  # fmt: skip
    return sanction


def _actor_name(actor: Actor) -> str:
    return str(getattr(actor, "display_name", "") or actor or "system")[:150]


def sanction_approve(*, actor: Actor, sanction: Sanction, approve: bool = True, reason: str = "") -> Sanction:
    """复核 — a person other than its decider, who could have decided it, approves a pending 黑名单 / 吊销许可 (it is
    in force and public from then; 吊销许可 exits the catalog listing) or rejects it with a reason (复核未通过)."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("不同意时请填写理由。"))
    if len(reason) > 2000:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("复核意见不能超过 2000 字。"))
    sanction_require(actor, sanction.kind, sanction.region_id)
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
        wanted = SanctionStatus.ACTIVE if approve else SanctionStatus.REJECTED
        if sanction.status != SanctionStatus.PENDING:
            if sanction.status == wanted and sanction.approved_by_id is not None:
                return sanction  # a retried decision
            raise InvalidState(_("处罚决定%(status)s，无需复核。") % {"status": sanction.get_status_display()},
                               code=Code.BAD_TRANSITION)  # fmt: skip
        user = actor_user(actor)
        if user is None or user.pk == sanction.decided_by_id:
            raise InvalidState(_("作出决定的人不能复核自己的决定（须由另一人复核）。"), code=Code.SAME_PERSON)
        sanction.status = wanted
        sanction.approved_by, sanction.approved_by_name = user, _actor_name(actor)
        sanction.approved_at = timezone.now()
        if not approve:
            sanction.lift_reason = reason
        if approve and sanction.kind == SanctionKind.REVOKE:
            listing_exit_for_sanction(actor=actor, organization_id=sanction.organization_id,
                                      reason=sanction.reason, document_number=sanction.document_number)  # fmt: skip
        sanction.save()
        audit_event(Event.SANCTION_APPROVE if approve else Event.SANCTION_REJECT, actor=actor,
                    object_id=sanction.pk, region_code=sanction.region_id, reason=reason,
                    before={"status": SanctionStatus.PENDING},
                    after={"number": sanction.number, "status": sanction.status})  # fmt: skip
    return sanction


def sanction_lift(*, actor: Actor, sanction: Sanction, reason: str, lifted_on: dt.date | None = None) -> Sanction:
    """解除 — lifting is a decision too: a reason, by one who could have decided it. Its effects end from
    ``lifted_on`` (today). A lifted 移出目录 does not relist: the provider applies to the catalog again. A pending
    decision is not lifted: it is approved or rejected (``sanction_approve``)."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("请填写解除理由。"))
    if len(reason) > 2000:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("解除理由不能超过 2000 字。"))
    region = sanction.region_id
    sanction_require(actor, sanction.kind, region)
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
        if sanction.status == SanctionStatus.LIFTED:
            return sanction  # a retried lift
        if sanction.status != SanctionStatus.ACTIVE:
            raise InvalidState(_("处罚决定%(status)s，不能解除。") % {"status": sanction.get_status_display()},
                               code=Code.BAD_TRANSITION)  # fmt: skip
        sanction.status = SanctionStatus.LIFTED
        sanction.lifted_on = lifted_on or timezone.localdate()
        sanction.lift_reason = reason
        sanction.lifted_by = actor_user(actor)
        sanction.lifted_by_name = _actor_name(actor)
        sanction.save()
        audit_event(Event.SANCTION_LIFT, actor=actor, object_id=sanction.pk, region_code=region, reason=reason,
                    before={"status": SanctionStatus.ACTIVE},
                    after={"number": sanction.number, "status": sanction.status, "lifted_on": sanction.lifted_on})  # fmt: skip
    return sanction


def sanction_check(organization_id: Any, action: str, on: dt.date) -> str | None:
    """The sanctions hook (registered in ``apps.py``): the reason a sanction in force on ``on`` forbids ``action``."""
    kinds = [k for k, actions in BLOCKS.items() if action in actions]
    if not kinds:
        return None
    found = (
        Sanction.objects.filter(organization_id=organization_id, kind__in=kinds, status=SanctionStatus.ACTIVE,
                                starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("starts_on")
        .first()
    )  # fmt: skip
    if found is None:
        return card_refusal(organization_id, on) if action == SANCTION_CLAIM else None
    until = _("至 %(d)s") % {"d": f"{found.ends_on:%Y-%m-%d}"} if found.ends_on else _("至解除之日")
    return _("%(name)s因%(kind)s（%(number)s，%(start)s 起%(until)s），不能%(action)s。") % {
        "name": found.organization_name, "kind": found.get_kind_display(), "number": found.number,
        "start": f"{found.starts_on:%Y-%m-%d}", "until": until, "action": ACTION_LABELS.get(action, action)}  # fmt: skip


def sanction_marks(organization_ids: list[Any], on: dt.date) -> dict[str, str]:
    """The catalog's mark hook: organization id → the label of a 黑名单 / 吊销许可 in force on ``on`` (the public
    catalog marks such a listing; docs/sanctions.md «目录标注»)."""
    rows = (
        Sanction.objects.filter(organization_id__in=list(organization_ids), status=SanctionStatus.ACTIVE,
                                kind__in=NEEDS_APPROVAL, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("starts_on")
        .values_list("organization_id", "kind", "number")
    )  # fmt: skip
    return {str(org): f"{SanctionKind(kind).label}（{number}）" for org, kind, number in rows}


def provider_cards(organization_id: Any, year: int | None = None, *, period: tuple[dt.date, dt.date] | None = None,
                   ) -> list[tuple[Any, int, str | None]]:  # fmt: skip
    """The card of each class of the provider held in the period — ``year`` (calendar) or ``period`` (first, last
    day): running or completed, started in it —: (class id, its attendance rate in basis points — the mean of its
    counted enrollments —, ``yellow`` / ``red`` / None)."""
    from django.db.models import Avg

    from jineng.training.api import ClassStatus, Enrollment, EnrollmentStatus

    first, last = period or (dt.date(year or timezone.localdate().year, 1, 1),
                             dt.date(year or timezone.localdate().year, 12, 31))  # fmt: skip
    rows = (
        Enrollment.objects.filter(training_class__organization_id=organization_id,
                                  training_class__status__in=[ClassStatus.RUNNING, ClassStatus.COMPLETED],
                                  training_class__start_date__gte=first, training_class__start_date__lte=last,
                                  status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.FINISHED])
        .values("training_class_id").annotate(rate=Avg("attendance_rate_bp")).order_by("training_class_id")
    )  # fmt: skip
    return [(r["training_class_id"], int(r["rate"] or 0), R.card_for(int(r["rate"] or 0))) for r in rows]


def card_refusal(organization_id: Any, on: dt.date) -> str | None:
    """黄红牌 — where the provider's region turns the card rule on (``supervision.card_rule``), 2 red or 3 yellow
    cards in the period refuse its claims: the calendar year of ``on`` or, where ``supervision.card_period`` is 1,
    the 12 months ending on ``on``."""
    from jineng.accounts.api import Organization
    from jineng.refdata.api import setting_value

    org = Organization.objects.filter(pk=organization_id).only("region_id", "name", "kind").first()
    if org is None or org.kind != "provider" or not int(setting_value(R.CARD_RULE.key, org.region_id, on)):
        return None
    rolling = bool(int(setting_value(R.CARD_PERIOD.key, org.region_id, on)))
    first, last = R.card_period(on, rolling)
    cards = [card for _c, _r, card in provider_cards(organization_id, period=(first, last))]
    if not R.cards_block_subsidies(cards):
        return None
    period = (_("%(first)s 至 %(last)s（滚动 12 个月）") if rolling else _("%(year)s 年")) % {
        "first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}", "year": on.year}  # fmt: skip
    return _("%(name)s%(period)s已有红牌 %(red)s 张、黄牌 %(yellow)s 张（出勤率低于 80%% 为红牌、低于 90%% 为黄牌），"
             "按本地区黄红牌规则不能申请补贴。") % {"name": org.name, "period": period, "red": cards.count("red"),
                                                  "yellow": cards.count("yellow")}  # fmt: skip


# ---- clawback (追回: a confirmed case's paid claims) ----------------------------------------------------------------


def case_recoverable(*, actor: Actor, case: Case) -> bool:
    """Whether the case has paid claims behind it in the official's scope — the 追回 form is offered only then."""
    return bool(claims_paid_among(_claims_behind(case, actor)))


def case_recover(*, actor: Actor, case: Case, reason: str, due_date: Any,
                 amounts: dict[str, int] | None = None) -> list[Any]:  # fmt: skip
    """追回 — a case confirmed as fraud orders the recovery of the paid claims behind it that lie in the official's
    scope (subsidies' 追回单, approved there by a second person). Idempotent: a claim already ordered is not again."""
    require(actor, INSPECT, region_code=case.region_id)
    if case.status not in (CaseStatus.CONFIRMED, CaseStatus.CLOSED):
        raise InvalidState(_("只有核查属实的线索可以追回补贴。"), code=Code.BAD_TRANSITION)
    with transaction.atomic():
        claim_ids = _claims_behind(case, actor)
        paid = [str(c.pk) for c in claims_paid_among(claim_ids)]
        ordered = recovery_orders_create(actor=actor, claim_ids=claim_ids, ref=f"supervision.case:{case.pk}",
                                         reason=f"线索 {case.number} 属实：{reason}", due_date=due_date,
                                         amounts=amounts)  # fmt: skip
        if not paid and not ordered:
            raise InvalidState(_("该线索没有可追回的已拨付补贴。"), code=Code.NOTHING_TO_RECOVER)
        audit_event(Event.CASE_RECOVER, actor=actor, object_id=case.pk, region_code=case.region_id, reason=reason,
                    after={"orders": [o.number for o in ordered]})  # fmt: skip
    return ordered
