"""``jineng db roles|check`` — the least-privilege database role the application runs as (PostgreSQL).

Run as the owner (the DATABASE_URL ``jineng migrate`` uses), after every migrate::

    JINENG_APP_DB_PASSWORD=… jineng db roles --role jineng_app --password-env JINENG_APP_DB_PASSWORD
    jineng db check --role jineng_app

then start gunicorn and the worker with ``DATABASE_URL=postgres://jineng_app:…@host/jineng``. See docs/operations.md.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.common.audit.dbroles import app_role_apply, app_role_problems
from jineng.common.errors import DomainError


class Command(BaseCommand):
    help = "Create/refresh the application's least-privilege PostgreSQL role (roles) or check its privileges (check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["roles", "check"])
        parser.add_argument("--role", default="jineng_app", help="the application role (default jineng_app)")
        parser.add_argument(
            "--password-env",
            default="",
            help="name of the environment variable holding the role's password (never on the command line); "
            "without it the role cannot log in",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        try:
            if options["action"] == "roles":
                password = None
                if options["password_env"]:
                    password = os.environ.get(options["password_env"], "")
                    if not password:
                        raise CommandError(f"environment variable {options['password_env']} is empty (未设置密码)")
                report = app_role_apply(role, password=password)
                for sql in report.statements:
                    self.stdout.write(sql)
            problems = app_role_problems(role)
        except DomainError as exc:
            raise CommandError("; ".join(f.message for f in exc.fields) or exc.message) from exc
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS(f"role {role}: no UPDATE/DELETE/TRUNCATE on the audit trail"))
