"""``jineng xapi credentials create --provider CODE``: issue a platform's LRS credential and print ``KEY SECRET``.
Also ``revoke --key KEY`` and ``rotate --key KEY`` (the successor is printed the same way)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jineng.accounts.api import Organization
from jineng.learning import services
from jineng.learning.models import CredentialStatus, LrsCredential


class Command(BaseCommand):
    help = "Online platforms' xAPI credentials (线上平台 LRS 凭据)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="group", required=True)
        sub.add_parser("conformance-platform", help="a test platform and its credential on a throwaway database")
        credentials = sub.add_parser("credentials")
        actions = credentials.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create")
        create.add_argument("--provider", required=True, help="the platform's unified social credit code")
        for name in ("revoke", "rotate"):
            actions.add_parser(name).add_argument("--key", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["group"] == "conformance-platform":
            self._conformance_platform()
            return
        action = options["action"]
        if action == "create":
            organization = Organization.objects.filter(credit_code=options["provider"]).first()
            if organization is None:
                raise CommandError(f"No organization with credit code {options['provider']!r}")
            issued = services.credential_create(actor=None, organization=organization)
        else:
            credential = LrsCredential.objects.filter(key=options["key"], status=CredentialStatus.ACTIVE).first()
            if credential is None:
                raise CommandError(f"No active credential {options['key']!r}")
            if action == "revoke":
                services.credential_revoke(actor=None, credential=credential)
                self.stdout.write(f"revoked {credential.key}")
                return
            issued = services.credential_rotate(actor=None, credential=credential)
        self.stdout.write(f"{issued.key} {issued.secret}")

    def _conformance_platform(self) -> None:
        """Only for the conformance run (scripts/lrs-conformance.sh) on a database made for it."""
        from jineng.refdata.api import Region

        region = Region.objects.filter(parent__isnull=True).first() or Region.objects.create(
            code="000000", name="全国", level="country"
        )
        organization, _created = Organization.objects.get_or_create(
            credit_code="91000000XAPITEST00",
            defaults={"kind": "provider", "name": "xAPI conformance platform", "region": region},
        )
        issued = services.credential_create(actor=None, organization=organization)
        self.stdout.write(f"{issued.key} {issued.secret}")
