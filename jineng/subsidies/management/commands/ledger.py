"""``jineng ledger reconcile`` — check that the fund ledger reconciles with the payments; exits non-zero on a
mismatch (every problem is printed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.rules.subsidy import format_fen
from jineng.rules.subsidy.ledger import ROLE_LABELS


class Command(BaseCommand):
    help = "Reconcile the fund ledger with the payment lines (reconcile)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reconcile"])

    def handle(self, *args: Any, **options: Any) -> None:
        from jineng.subsidies.services.ledger import reconcile

        report = reconcile()
        for a in report.accounts:
            balances = "，".join(f"{ROLE_LABELS[k]} {format_fen(v)}" for k, v in a.balances.items())
            self.stdout.write(f"{a.account}: {balances}; 已支付 {format_fen(a.paid_fen)}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"ledger does not reconcile: {len(report.problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS(f"ledger reconciles: {len(report.accounts)} fund account(s)"))
