"""``jineng idempotency purge`` — delete idempotency keys older than the retention (≥ 24 hours)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Purge expired idempotency keys of the money-moving API (purge)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["purge"])

    def handle(self, *args: Any, **options: Any) -> None:
        from jineng.subsidies.idempotency import purge_expired, retention

        deleted = purge_expired()
        self.stdout.write(f"deleted {deleted} idempotency key(s) older than {retention()}")
