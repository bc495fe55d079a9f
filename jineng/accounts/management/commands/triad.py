"""`jineng triad grant USERNAME FUNCTION --region CODE`: grant the security or audit administrator function (三员).

三权分立: these two functions are never granted inside the platform (a system administrator could otherwise hold all
three powers through other accounts); the deployment's operator grants them on the server. A new account gets a
random initial password, printed once, which must be changed at the first sign-in.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.accounts.models import User
from jineng.accounts.roles import CONSOLE_ONLY_FUNCTIONS
from jineng.accounts.services import grant_create, password_set_by_admin, user_create
from jineng.common.errors import DomainError


class Command(BaseCommand):
    help = "Grant the security or audit administrator function (三员) from the server console."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        grant = sub.add_parser("grant", help="grant security_admin or audit_admin to an account (created if missing)")
        grant.add_argument("username")
        grant.add_argument("function", choices=sorted(str(f) for f in CONSOLE_ONLY_FUNCTIONS))
        grant.add_argument("--region", required=True, help="the region code of the grant, e.g. 440000")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = "console:triad"
        username = options["username"]
        try:
            user = User.objects.filter(username=username).first()
            password = None
            if user is None:
                user = user_create(actor=actor, username=username, password=None)
                password = "Jn-" + secrets.token_urlsafe(12)
                password_set_by_admin(actor=actor, user=user, password=password)
            grant_create(actor=actor, user=user, function=options["function"], region_code=options["region"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"granted {options['function']} over {options['region']} to {username}")
        if password:
            self.stdout.write(f"initial password (change at first sign-in): {password}")
