"""``jineng refdata load`` — load or update the reference data idempotently.

``--only PART`` (repeatable) limits the run to some parts; ``--only PART --file F.csv`` loads a replacement file for
one part (a department's full 大典 edition, a new regions edition …). The whole run is one transaction: when any
part's file is malformed, the errors name the lines and nothing at all is changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from jineng.common.errors import ValidationFailed
from jineng.refdata.loaders import LOADERS


class Command(BaseCommand):
    help = "Load or update reference data (regions, occupations, levels, industries, plans and targets)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--only", choices=list(LOADERS), action="append", help="load only these parts")
        parser.add_argument("--file", type=Path, help="a replacement CSV for the single part named by --only")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = options["only"] or list(LOADERS)
        parts = [p for p in LOADERS if p in chosen]
        path: Path | None = options["file"]
        if path is not None and len(parts) != 1:
            raise CommandError("--file needs exactly one --only part")
        current = ""
        try:
            with transaction.atomic():
                for part in parts:
                    current = part
                    summary = LOADERS[part](path)
                    self.stdout.write(f"{part}: {summary}")
        except ValidationFailed as exc:
            for f in exc.fields[:50]:
                self.stderr.write(f"  {f.message}")
            if len(exc.fields) > 50:
                self.stderr.write(f"  … 另有 {len(exc.fields) - 50} 处错误")
            raise CommandError(f"{current}: {exc.message}") from exc
