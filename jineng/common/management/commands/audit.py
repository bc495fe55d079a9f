"""``jineng audit verify`` — recompute the hash chain; ``jineng audit checkpoint`` — sign the current head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.common.audit.services import audit_checkpoint, audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (verify) or write a signed checkpoint of its head (checkpoint)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            cp = audit_checkpoint()
            self.stdout.write(f"checkpoint at seq {cp.seq}" if cp else "audit trail is empty")
            return
        result = audit_verify()
        if not result.ok:
            raise CommandError(str(result))
        self.stdout.write(self.style.SUCCESS(str(result)))
