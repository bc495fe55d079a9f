"""``jineng credentials rotate-key|keys`` — the Ed25519 keys that sign verifiable credentials.

``rotate-key`` starts signing with a new key; the previous key is retired but stays published at
``/.well-known/jwks.json``, so every credential it signed stays verifiable. ``keys`` lists them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jineng.certificates.credentials import issuer_key_rotate
from jineng.certificates.models import IssuerKey


class Command(BaseCommand):
    help = "Credential signing keys: rotate-key (new active key; old ones stay published), keys (list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rotate-key", "keys"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate-key":
            key = issuer_key_rotate(actor="credentials rotate-key")
            self.stdout.write(self.style.SUCCESS(f"active key: {key.kid}"))
        for k in IssuerKey.objects.order_by("created_at"):
            retired = f"  retired {k.retired_at:%Y-%m-%d %H:%M}" if k.retired_at else ""
            self.stdout.write(f"  {k.kid}  {k.status}  created {k.created_at:%Y-%m-%d %H:%M}{retired}")
