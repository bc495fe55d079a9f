"""``jineng credits derive [--person UUID]``: bring the credit ledgers up to date with the records (the nightly job;
idempotent — a second run writes nothing). Without ``--person`` every person with a completed class, a certificate
or a competition award."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jineng.accounts.api import Operator
from jineng.credits import services


class Command(BaseCommand):
    help = "Skill credit bank (技能学分): derive the ledgers from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        derive = sub.add_parser("derive")
        derive.add_argument("--person", action="append", default=[], help="a person's id (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        persons = options["person"] or services.persons_with_sources()
        written = 0
        for start in range(0, len(persons), 500):
            written += services.credits_derive(
                actor=Operator("credits-derive"), person_ids=persons[start : start + 500]
            )
        self.stdout.write(f"{written} credit entries written for {len(persons)} persons.")
