"""``jineng inspections publish-due [--on YYYY-MM-DD]`` — publish (一公开) the result of every inspected task whose
publish deadline has passed. Idempotent; run daily from cron (docs/operations.md), or queue the job kind
``inspections.publish_due``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Daily inspections housekeeping: publish-due (publish results past their publish deadline)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["publish-due"])
        parser.add_argument("--on", default="", help="the day to run as (YYYY-MM-DD; default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        from jineng.inspections.services import publish_due

        on = None
        if options["on"]:
            try:
                on = dt.date.fromisoformat(options["on"][:10])
            except ValueError:
                raise CommandError("--on must be a date, YYYY-MM-DD") from None
        out = publish_due(actor="inspections-publish-due", on=on)
        self.stdout.write(f"published {out['published']} result(s); "
                          f"{out['overdue_not_inspected']} task(s) past the deadline not yet inspected")  # fmt: skip
