"""``jineng import KIND FILE [--mode strict|partial] [--report R.xlsx] [--as USERNAME] [--region CODE] [--class C]``

``--class`` names the class (code or id) of a ``roster`` or ``attendance`` file.

Exit codes: 0 every row imported; 1 some rows rejected (strict: nothing written); 2 the file was refused as a whole
(not a spreadsheet, encrypted, a zip bomb, over the row/column limits, required columns missing) or the command
could not run (unknown user, no permission).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jineng.accounts.api import Actor
from jineng.common.errors import DomainError
from jineng.imports.framework import importers
from jineng.imports.services import import_create, import_report_bytes


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (.xlsx or .csv): jineng import persons FILE --mode strict --report R.xlsx --as USER; "
        "jineng import roster FILE --class CLASS"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"what the file holds: {', '.join(sorted(importers())) or 'persons'}")
        parser.add_argument("file")
        parser.add_argument("--mode", choices=["strict", "partial"], default="strict")
        parser.add_argument("--report", help="write the row-by-row report (.xlsx) here")
        parser.add_argument("--as", dest="username", help="the user the import is done as (permissions, audit)")
        parser.add_argument("--region", help="the office's region the persons are attributed to (six digits)")
        parser.add_argument(
            "--class", dest="class_ref", help="the class a roster or attendance file is for (code or id)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from jineng.accounts.api import User

        path = Path(options["file"])
        if not path.is_file():
            self._fail(f"文件不存在：{path}")
        actor: Actor = "command line"
        if options.get("username"):
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                self._fail(f"用户不存在或已停用：{options['username']}")
        else:
            actor = _system_actor()
        try:
            with path.open("rb") as fh:
                record = import_create(
                    actor=actor,
                    kind=options["kind"],
                    source=fh,
                    filename=path.name,
                    mode=options["mode"],
                    region_code=options.get("region"),
                    run_now=True,
                    options={"class": options["class_ref"]} if options.get("class_ref") else None,
                )
        except DomainError as exc:
            self._fail(exc.message)
        summary = record.summary or {}
        if options.get("report"):
            Path(options["report"]).write_bytes(import_report_bytes(record))
        if record.exit_code == 2 or not summary:
            self.stderr.write(f"文件被拒绝：{summary.get('message') or record.job.error}")
        else:
            self.stdout.write(
                f"共 {summary['rows_total']} 行：新增 {summary['created']}，更新 {summary['updated']}，"
                f"未变 {summary['unchanged']}，拒绝 {summary['rows_failed']}，提示 {summary['warnings']}"
                + ("" if summary["written"] else "（严格模式：有错误，未写入任何数据）")
            )
            for item in (record.errors_sample or [])[:20]:
                self.stdout.write(f"  第 {item['row']} 行 {item['column']}：{item['code']} {item['message']}")
        sys.exit(record.exit_code if record.exit_code is not None else 2)

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)


class _SystemActor:
    """No --as: the import runs as the system, with every permission (an operator at the console)."""

    pk = None
    username = "system"
    is_authenticated = True
    is_active = True
    is_superuser = True
    person_id = None

    def __str__(self) -> str:
        return "command line"


def _system_actor() -> Any:
    from jineng.accounts.api import PERMISSIONS, Function, Principal

    actor = _SystemActor()
    actor._jineng_principal = Principal(  # type: ignore[attr-defined]
        user_id=None, person_id=None, superuser=True, region_perms={"000000": set(PERMISSIONS[Function.SYSADMIN])}
    )
    return actor
