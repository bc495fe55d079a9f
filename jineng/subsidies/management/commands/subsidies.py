"""``jineng subsidies close-publicity`` — approve the claims whose 公示 ended without an open objection;
``jineng subsidies expire-vouchers`` — mark vouchers past their validity as expired. Run daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Daily subsidy housekeeping: close-publicity, expire-vouchers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["close-publicity", "expire-vouchers"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "close-publicity":
            from jineng.subsidies.services.review import publicity_close_due

            self.stdout.write(str(publicity_close_due(actor="system")))
        else:
            from jineng.subsidies.services.vouchers import vouchers_expire

            self.stdout.write(f"expired {vouchers_expire()} voucher(s)")
