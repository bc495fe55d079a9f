"""``jineng token create USERNAME`` prints a new bearer token; ``jineng token revoke PREFIX`` revokes one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.accounts.models import ApiToken, User
from jineng.accounts.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Create (prints the secret once) or revoke API bearer tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("target", help="USERNAME for create/list, token prefix for revoke")
        parser.add_argument("--label", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "revoke":
            token = ApiToken.objects.filter(prefix=options["target"], revoked_at__isnull=True).first()
            if token is None:
                raise CommandError(f"no active token with prefix {options['target']}")
            token_revoke(actor="cli", token=token)
            self.stdout.write(f"revoked {token.prefix}")
            return
        user = User.objects.filter(username=options["target"]).first()
        if user is None:
            raise CommandError(f"no user named {options['target']}")
        if options["action"] == "list":
            for t in ApiToken.objects.filter(user=user).order_by("created_at"):
                self.stdout.write(f"{t.prefix}\t{t.label}\t{'revoked' if t.revoked_at else 'active'}")
            return
        _token, secret = token_create(actor="cli", user=user, label=options["label"])
        self.stdout.write(secret)
