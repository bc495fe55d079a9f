"""``jineng files status|encrypt`` — stored files at rest (see docs/registry.md, "Files at rest").

``encrypt`` is the one-time upgrade step: every file stored before encryption (import sources, reports,
attachments) is encrypted in place under a fresh data key wrapped by the active key; files already encrypted are
left alone, so running it again is harmless. ``jineng keys rotate`` re-wraps the file keys after a key change.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jineng.common.audit.services import audit_event
from jineng.common.events import Event
from jineng.common.storage import file_encrypt_in_place, file_usage, stored_files


class Command(BaseCommand):
    help = "Stored files at rest: status (files per wrapping key, plaintext ones), encrypt (migrate plaintext files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "encrypt"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            for label, count in file_usage().items():
                self.stdout.write(f"  {label:<30} {count}")
            return
        encrypted = sum(1 for name in list(stored_files()) if file_encrypt_in_place(name))
        audit_event(
            Event.FILES_ENCRYPT,
            actor="files encrypt",
            object_id="default",
            after={"encrypted": encrypted},
        )
        self.stdout.write(self.style.SUCCESS(f"encrypted {encrypted} plaintext files in place"))
