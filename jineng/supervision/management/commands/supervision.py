"""``jineng supervision scan [--incremental] [--region CODE] [--queue]`` — run a supervision scan now (from cron: an
incremental pass every few minutes, ``*/5 * * * * jineng supervision scan --incremental``), or queue it for the job
worker. An incremental pass reads what is new since the last finished scan's watermark; with no finished scan yet
there is nothing to increment from and a full scan is needed first. Idempotent: a case is found again, never
duplicated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Supervision scans: scan [--incremental] [--region CODE] [--queue]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan"])
        parser.add_argument("--incremental", action="store_true", help="only the records new since the last scan")
        parser.add_argument("--region", default="", help="the scan's region (default: the last scan's, or 440000)")
        parser.add_argument("--queue", action="store_true", help="queue the scan for the job worker, do not run it")

    def handle(self, *args: Any, **options: Any) -> None:
        from jineng.refdata.api import Region
        from jineng.rules.supervision import RULES
        from jineng.supervision.models import Scan, ScanKind
        from jineng.supervision.services import scan_incremental_queue, scan_run

        region = (options["region"] or "").strip()[:6]
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"unknown region {region!r}")
        if options["incremental"]:
            scan = scan_incremental_queue(region_code=region, actor="supervision-scan", run_now=not options["queue"])
            if scan is None:
                raise CommandError("no scan has finished yet: run a full scan first (jineng supervision scan)")
        else:
            scan = Scan.objects.create(kind=ScanKind.FULL, region_id=region or "440000", rules=list(RULES),
                                       progress_total=len(RULES))  # fmt: skip
            if options["queue"]:
                from jineng.common.jobs.services import job_create
                from jineng.supervision.services import JOB_KIND

                job = job_create(kind=JOB_KIND, actor="supervision-scan", params={"scan": str(scan.pk)},
                                 region_code=scan.region_id)  # fmt: skip
                Scan.objects.filter(pk=scan.pk).update(job_id=job.pk)
            else:
                scan = scan_run(scan)
        found = scan.found or {}
        hits = sum(int(v.get("hits", 0)) for v in found.values())
        new = sum(int(v.get("new", 0)) for v in found.values())
        since = f" since {scan.since.isoformat()}" if scan.since else ""
        self.stdout.write(f"scan {scan.pk} ({scan.kind}{since}): {scan.status}; {hits} case(s) found, {new} new")
