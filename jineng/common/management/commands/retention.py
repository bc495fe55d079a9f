"""``jineng retention run [--dry-run] [--rule NAME …]`` — delete or anonymize data past its retention period
(jineng/common/retention.py); ``jineng retention list`` — the rules. Exits non-zero when an item failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.common.retention import retention_rules, retention_run


class Command(BaseCommand):
    help = "Delete or anonymize data past its retention period, with a report (run), or list the rules (list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run", "list"])
        parser.add_argument("--dry-run", action="store_true", help="report what is due; change nothing")
        parser.add_argument("--rule", action="append", default=[], help="run only this rule (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        rules = retention_rules()
        if options["action"] == "list":
            for rule in rules:
                self.stdout.write(f"{rule.name}\t{rule.label}")
            return
        unknown = set(options["rule"]) - {r.name for r in rules}
        if unknown:
            raise CommandError(f"unknown rule(s): {', '.join(sorted(unknown))} (未知的规则)")
        report = retention_run(actor="retention-command", dry_run=options["dry_run"], only=options["rule"] or None)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("some items could not be removed; they stay due and are retried next run")
