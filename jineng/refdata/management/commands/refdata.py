"""``jineng refdata load`` — load or update the reference data idempotently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.common.errors import ValidationFailed
from jineng.refdata.loaders import LOADERS


class Command(BaseCommand):
    help = "Load or update reference data (regions, occupations, levels, industries, plans and targets)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--only", choices=sorted(LOADERS), action="append", help="load only these parts")
        parser.add_argument("--file", type=Path, help="a replacement CSV for the single part named by --only")

    def handle(self, *args: Any, **options: Any) -> None:
        parts = options["only"] or list(LOADERS)
        if options["file"] and len(parts) != 1:
            raise CommandError("--file needs exactly one --only part")
        for part in parts:
            try:
                summary = LOADERS[part](options["file"]) if options["file"] else LOADERS[part](None)
            except ValidationFailed as exc:
                for f in exc.fields[:50]:
                    self.stderr.write(f"  {f.message}")
                raise CommandError(f"{part}: {exc.message}") from exc
            self.stdout.write(f"{part}: {summary}")
