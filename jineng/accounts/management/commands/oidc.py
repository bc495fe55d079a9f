"""``jineng oidc link USERNAME SUBJECT`` links an identity at the configured provider (统一身份认证) to an account —
how an official, who is no registry person, comes to sign in through it. Audited as done on the server."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.accounts.models import User
from jineng.accounts.oidc import link_identity
from jineng.common.errors import DomainError


class Command(BaseCommand):
    help = "Link an identity (the provider's subject) at the configured OpenID Connect provider to an account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["link"])
        parser.add_argument("username")
        parser.add_argument("subject")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no such account (账号不存在): {options['username']}")
        try:
            link = link_identity(actor="console", user=user, subject=options["subject"])
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"linked {link.issuer} {link.subject} → {user.username}")
