"""``jineng portal_publish`` — publish a new version of every open dataset whose rows changed (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jineng.portal.publishing import datasets_publish


class Command(BaseCommand):
    help = "Publish a new version of each open dataset whose rows changed since its last version (发布开放数据新版本)."

    def handle(self, *args: Any, **options: Any) -> None:
        for version, created in datasets_publish(actor=None):
            state = "new" if created else "unchanged"
            self.stdout.write(f"{version.dataset}\tv{version.number}\t{version.row_count} rows\t{state}")
