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
        report = sub.add_parser("report", help="online 学时 and cheating signals per learner account of a platform")
        report.add_argument("--provider", required=True, help="the platform's unified social credit code")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["group"] == "conformance-platform":
            self._conformance_platform()
            return
        if options["group"] == "report":
            self._report(options["provider"])
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

    def _report(self, credit_code: str) -> None:
        from zoneinfo import ZoneInfo

        from jineng.learning import selectors
        from jineng.rules.training import HoursRules

        organization = Organization.objects.filter(credit_code=credit_code).first()
        if organization is None:
            raise CommandError(f"No organization with credit code {credit_code!r}")
        tz = ZoneInfo("Asia/Shanghai")
        for home_page, name in selectors.learner_accounts(organization):
            credit = selectors.online_credit(organization, home_page, name, rules=HoursRules(), tz=tz)
            found = selectors.learner_signals(organization, home_page, name, tz=tz)
            self.stdout.write(f"{name}: {credit.hours} 学时 online, {len(found)} signal(s)")
            for day in credit.days:
                self.stdout.write(f"  {day.line}")
            for signal in found:
                self.stdout.write(f"  ! {signal.kind}: {signal.line}")
