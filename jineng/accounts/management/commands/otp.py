"""``jineng otp code USERNAME`` prints the current TOTP code of a demo account (demo and development only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current second-factor (TOTP) code of an account — demo and development settings only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["code"])
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "JINENG_DEMO_TOOLS", False):
            raise CommandError("jineng otp code is a demo tool: refused under these settings (production).")
        device = TOTPDevice.objects.filter(user__username=options["username"], confirmed=True).order_by("-id").first()
        if device is None:
            raise CommandError(f"{options['username']} has no confirmed authenticator (未绑定动态口令)")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
