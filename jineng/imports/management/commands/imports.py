"""``jineng imports purge-sources [--today YYYY-MM-DD]`` — delete import source files past their retention period.

Each region keeps uploaded import sources for ``imports.source_retention_days`` (default 90); the job records, their
counts and masked reports stay. Prints what was removed (job, region, date, size, SHA-256). Scheduled as the job
kind ``imports.sources_purge``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jineng.imports.services import import_sources_purge


class Command(BaseCommand):
    help = "Import files: purge-sources (delete uploaded sources past the region's retention period, with a report)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["purge-sources"])
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        report = import_sources_purge(actor="imports purge-sources", today=options["today"])
        for item in report["files"]:
            self.stdout.write(
                f"  {item['region']} {item['created_on']} {item['kind']:<14} {item['size']:>12} B  "
                f"sha256 {item['sha256'][:16]}…  job {item['job']}"
            )
        self.stdout.write(self.style.SUCCESS(f"removed {report['removed']} source files, {report['bytes']} bytes"))
