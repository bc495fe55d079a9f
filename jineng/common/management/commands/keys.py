"""``jineng keys status|rotate|generate`` — the personal-data keys (see docs/registry.md).

Rotation without downtime: add the new key to JINENG_DATA_KEYS and make it JINENG_DATA_KEY_ACTIVE (new writes use
it at once; old values stay readable), run ``jineng keys rotate`` (batches of short transactions), check that
``jineng keys status`` shows nothing under the old key, then remove the old key from JINENG_DATA_KEYS.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.common.audit.services import audit_event
from jineng.common.crypto import (
    DecryptionError,
    active_prefix,
    encrypted_fields,
    generate_key,
    key_usage,
    keyring,
    rotate_field,
)
from jineng.common.events import Event
from jineng.common.storage import file_rewrap, file_usage, stored_files


class Command(BaseCommand):
    help = "Personal-data keys: status (values per key), rotate (re-encrypt under the active key), generate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "rotate", "generate"])
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate":
            self.stdout.write(f"JINENG_DATA_KEYS=k{_stamp()}:{generate_key()}")
            self.stdout.write(f"JINENG_DATA_KEY_ACTIVE=k{_stamp()}")
            self.stdout.write(f"JINENG_DATA_HASH_KEY={generate_key()}  # once; never rotate it with the data keys")
            return
        ring = keyring()
        self.stdout.write(
            f"active: {active_prefix(ring).rstrip(':')}  keys: {', '.join(ring.keys)}"
            + ("  (DEVELOPMENT key derived from SECRET_KEY)" if ring.dev else "")
        )
        fields = encrypted_fields()
        if not fields:
            raise CommandError("no encrypted fields are registered")
        if action == "status":
            for spec in fields:
                usage = key_usage(spec)
                label = f"{spec.model._meta.label}.{spec.field}"
                self.stdout.write(f"  {label:<45} " + (", ".join(f"{k}={n}" for k, n in sorted(usage.items())) or "—"))
            self.stdout.write(
                f"  {'stored files':<45} " + (", ".join(f"{k}={n}" for k, n in file_usage().items()) or "—")
            )
            return
        total = 0
        for spec in fields:
            n = rotate_field(spec, batch_size=options["batch_size"])
            total += n
            self.stdout.write(f"  {spec.model._meta.label}.{spec.field}: {n} re-encrypted")
        # Stored files: each file's own data key is re-wrapped under the active key (the body is unchanged).
        files, unreadable = 0, 0
        for name in list(stored_files()):
            try:
                files += file_rewrap(name)
            except DecryptionError:
                unreadable += 1  # wrapped by a key no longer in the keyring: reported, never overwritten
                self.stderr.write(f"  cannot re-wrap {name}: its key is not in JINENG_DATA_KEYS")
        self.stdout.write(
            f"  stored files: {files} file keys re-wrapped" + (f", {unreadable} unreadable" if unreadable else "")
        )
        audit_event(
            Event.KEYS_ROTATE,
            actor="keys rotate",
            object_id=ring.active,
            after={"rotated": total, "files_rewrapped": files, "active": active_prefix(ring)},
        )
        self.stdout.write(self.style.SUCCESS(f"rotated {total} values to {active_prefix(ring).rstrip(':')}"))


def _stamp() -> str:
    from django.utils import timezone

    return timezone.now().strftime("%Y%m")
