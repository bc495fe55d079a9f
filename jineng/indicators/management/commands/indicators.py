"""``jineng indicators …`` — the indicator jobs from the command line.

- ``recompute [--plan P] [--year Y] [--engine sql|duckdb]`` — full recompute of the roll-ups (set-based, one GROUP
  BY per definition; only year Y's cells with ``--year``), then restatements of closed years; with ``--plan`` and
  ``--year`` it prints the plan region's figures after;
- ``refresh`` — one freshness run (the cells changed records touch);
- ``schedule`` — start the freshness chain on the database worker (it re-queues itself every 30 s);
- ``close-year YEAR --plan P [--note N]`` — freeze the year's figures.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.common.errors import DomainError


class Command(BaseCommand):
    help = "Indicator roll-ups: recompute, refresh, schedule the freshness job, close a year."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("recompute", help="full recompute of the roll-ups")
        rec.add_argument("--plan")
        rec.add_argument("--year", type=int)
        rec.add_argument("--engine", choices=["sql", "duckdb"], default="sql")
        sub.add_parser("refresh", help="one freshness run")
        sub.add_parser("schedule", help="start the freshness chain on the task worker")
        close = sub.add_parser("close-year", help="freeze a year's figures")
        close.add_argument("year", type=int)
        close.add_argument("--plan", required=True)
        close.add_argument("--note", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _recompute(self, options: dict[str, Any]) -> None:
        from jineng.indicators.rollups import recompute_all
        from jineng.indicators.services import restatements_check_all

        started = time.perf_counter()
        results = recompute_all(plan_code=options["plan"], engine=options["engine"], year=options["year"])
        for r in results:
            self.stdout.write(json.dumps(r, ensure_ascii=False))
        restated = restatements_check_all(reason="全量重算（命令）")
        self.stdout.write(f"recomputed {len(results)} definitions in {time.perf_counter() - started:.2f}s; "
                          f"{restated} restatements")  # fmt: skip
        if options["year"] and options["plan"]:
            from jineng.indicators.api import indicator_items

            for item in indicator_items(options["plan"], None, options["year"]):
                self.stdout.write(f"{item['code']}: {item['actual']} / {item['target']} {item['no_data_reason'] or ''}")

    def _refresh(self, options: dict[str, Any]) -> None:
        from jineng.indicators.freshness import refresh

        self.stdout.write(json.dumps(refresh(), ensure_ascii=False))

    def _schedule(self, options: dict[str, Any]) -> None:
        from jineng.indicators.freshness import ensure_chain

        started = ensure_chain(force=True)
        self.stdout.write("freshness chain queued" if started else "freshness chain not started")

    def _close_year(self, options: dict[str, Any]) -> None:
        from jineng.indicators.services import year_close

        close = year_close(actor=None, plan_code=options["plan"], year=options["year"], note=options["note"],
                           check_permission=False)  # fmt: skip
        self.stdout.write(f"closed {options['plan']} {options['year']}: {close.figures.count()} figures frozen")
