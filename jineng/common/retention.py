"""保存期限 — data past its retention period is deleted or anonymized by one job, with a report.

Each kind of data with a retention period is a *rule*: a function that finds what is due on a date and, unless it is
a dry run, deletes or anonymizes it, item by item, each in its own transaction (a failure leaves that item as it was
and the run goes on). Apps register their rules (``register_retention_rule``); ``retention_run`` runs them all, writes
one audit entry per rule with its counts, and returns the report. It runs as the job kind ``retention.run`` and as
``jineng retention run [--dry-run]`` (daily, from cron or the job runner).

Kernel rules here: attachments past ``retain_until`` (the file is deleted, the metadata row stays with its digest,
marked ``expired``) and expired sign-in sessions. The registry adds retired persons (crypto-shredding,
``jineng/registry/services/retention.py``). The audit trail has no rule: it is kept (网络安全法 第二十一条: ≥ 6 months; the
chain is append-only).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.common.audit.services import audit_event
from jineng.common.events import Event
from jineng.common.jobs.services import Progress, register_job_kind

log = logging.getLogger(__name__)


@dataclass
class RuleOutcome:
    """What one rule found due and what it did (``done`` stays 0 on a dry run)."""

    rule: str
    label: str
    action: str  # "delete" | "anonymize"
    due: int = 0
    done: int = 0
    failed: int = 0
    pending: int = 0  # due but not handled this run (e.g. a service not installed), reported, retried next run
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "label": self.label,
            "action": self.action,
            "due": self.due,
            "done": self.done,
            "failed": self.failed,
            "pending": self.pending,
            "notes": self.notes[:20],
        }


RuleFn = Callable[..., RuleOutcome]  # (*, today: date, actor: Any, dry_run: bool) -> RuleOutcome


@dataclass(frozen=True)
class RetentionRule:
    name: str
    label: str
    run: RuleFn


_RULES: dict[str, RetentionRule] = {}


def register_retention_rule(name: str, label: str) -> Callable[[RuleFn], RuleFn]:
    def decorate(fn: RuleFn) -> RuleFn:
        _RULES[name] = RetentionRule(name=name, label=label, run=fn)
        return fn

    return decorate


def retention_rules() -> list[RetentionRule]:
    return [_RULES[k] for k in sorted(_RULES)]


@dataclass
class RetentionReport:
    today: dt.date
    dry_run: bool
    outcomes: list[RuleOutcome]

    @property
    def ok(self) -> bool:
        return not any(o.failed for o in self.outcomes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "ok": self.ok,
            "rules": [o.as_dict() for o in self.outcomes],
        }

    def lines(self) -> list[str]:
        head = f"保存期限清理 {self.today.isoformat()}" + ("（试运行，未作任何修改）" if self.dry_run else "")
        rows = [head]
        for o in self.outcomes:
            verb = "删除" if o.action == "delete" else "匿名化"
            rows.append(
                f"  {o.label}（{o.rule}）：到期 {o.due}，已{verb} {o.done}，失败 {o.failed}，待处理 {o.pending}"
                + (f" — {'；'.join(o.notes[:3])}" if o.notes else "")
            )
        return rows


def retention_run(
    *, actor: Any, dry_run: bool = False, today: dt.date | None = None, only: list[str] | None = None
) -> RetentionReport:
    """Run every registered rule (or ``only`` those named); audit each rule's counts; return the report."""
    today = today or timezone.localdate()
    outcomes: list[RuleOutcome] = []
    for rule in retention_rules():
        if only and rule.name not in only:
            continue
        try:
            outcome = rule.run(today=today, actor=actor, dry_run=dry_run)
        except Exception as exc:  # one broken rule must not stop the others; it is reported and audited
            log.exception("retention rule %s failed", rule.name)
            outcome = RuleOutcome(
                rule.name, rule.label, "delete", failed=1, notes=[f"规则执行失败：{type(exc).__name__}"]
            )
        outcomes.append(outcome)
        if not dry_run:
            with transaction.atomic():
                audit_event(
                    Event.RETENTION_RUN,
                    actor=actor,
                    object_id=rule.name,
                    after=outcome.as_dict(),
                )
    return RetentionReport(today=today, dry_run=dry_run, outcomes=outcomes)


@register_job_kind("retention.run", queue_permission="admin.access")
def _retention_job(job: Any, progress: Progress) -> dict[str, Any]:
    params = job.params or {}
    report = retention_run(actor=job.created_by or "retention-job", dry_run=bool(params.get("dry_run")))
    progress(len(report.outcomes), len(report.outcomes))
    return report.as_dict()


# ---- kernel rules ----------------------------------------------------------------------------------------------------


@register_retention_rule("attachments", "附件（保存期限届满）")
def attachments_past_retention(*, today: dt.date, actor: Any, dry_run: bool) -> RuleOutcome:
    """Attachments whose ``retain_until`` has passed: the stored file is deleted; the row stays (kind, size, digest,
    dates) marked ``expired`` so that records pointing at it still say what was there."""
    from jineng.common.attachments.models import Attachment

    outcome = RuleOutcome("attachments", "附件（保存期限届满）", "delete")
    due = Attachment.objects.filter(retain_until__lt=today).exclude(status="expired")
    outcome.due = due.count()
    if dry_run:
        return outcome
    for att in due.iterator(chunk_size=500):
        try:
            if att.file and att.file.name:
                att.file.storage.delete(att.file.name)  # first the file: a crash after it leaves the row due again
            with transaction.atomic():
                Attachment.objects.filter(pk=att.pk).update(
                    file="", status="expired", status_reason=f"保存期限至 {att.retain_until:%Y-%m-%d} 届满，文件已删除"
                )
                audit_event(
                    Event.ATTACHMENT_EXPIRE,
                    actor=actor,
                    object_id=att.pk,
                    region_code=att.region_code,
                    before={"kind": att.kind, "sha256": att.sha256, "retain_until": att.retain_until},
                    reason="保存期限届满",
                )
            outcome.done += 1
        except Exception as exc:  # the next run retries it
            log.exception("attachment %s could not be expired", att.pk)
            outcome.failed += 1
            outcome.notes.append(f"附件 {att.pk}：{type(exc).__name__}")
    return outcome


@register_retention_rule("sessions", "已过期的登录会话")
def expired_sessions(*, today: dt.date, actor: Any, dry_run: bool) -> RuleOutcome:
    from django.contrib.sessions.models import Session

    outcome = RuleOutcome("sessions", "已过期的登录会话", "delete")
    due = Session.objects.filter(expire_date__lt=timezone.now())
    outcome.due = due.count()
    if not dry_run:
        outcome.done, _ = due.delete()
    return outcome
