"""The import sources' retention (``imports.source_retention_days``) as a rule of the one retention job
(``jineng retention run``, jineng/common/retention.py): it calls ``import_sources_purge``, which keeps the job record
and deletes the uploaded file."""

from __future__ import annotations

import datetime as dt

from jineng.accounts.api import Actor
from jineng.common.retention import RuleOutcome, register_retention_rule

RULE, LABEL = "import_sources", "导入源文件（保存期限届满）"


@register_retention_rule(RULE, LABEL)
def import_sources_past_retention(*, today: dt.date, actor: Actor, dry_run: bool) -> RuleOutcome:
    from jineng.imports.services import import_sources_purge

    outcome = RuleOutcome(RULE, LABEL, "delete")
    if dry_run:
        outcome.notes.append("试运行不统计导入源文件（import_sources_purge 无试运行）")
        return outcome
    report = import_sources_purge(actor=actor, today=today)
    outcome.due = outcome.done = int(report["removed"])
    if report["removed"]:
        outcome.notes.append(f"{report['bytes']} 字节")
    return outcome
