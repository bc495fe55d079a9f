"""Second factor (动态口令, TOTP with django-otp): who needs it, enrollment, recovery codes, verification.

Officials (every region function), finance, inspectors, evaluators, provider and enterprise staff and the three
administrators must pass a TOTP code after the password; workers and the public do not. API bearer tokens are not
affected: administrators issue them to systems.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jineng.accounts.events import Event
from jineng.accounts.roles import SECOND_FACTOR_EXEMPT
from jineng.accounts.scope import principal_for
from jineng.common.audit.services import audit_event

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
# The demo's documented secret (README, `make demo`): every demo account's authenticator uses it, so one entry in an
# authenticator app (or `jineng otp code USERNAME`) signs in as any of them. Never used outside the demo seed.
DEMO_TOTP_SECRET = "JINENGDEMOTOTPJINENGDEMOTOTP2345"  # noqa: S105 - a documented demo secret, base32


def second_factor_required(user: Any) -> bool:
    """Whether ``user`` must pass a TOTP code after the password: any function but a worker, and superusers."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(principal_for(user).functions - set(SECOND_FACTOR_EXEMPT))


def second_factor_enrolled(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (created once; a reload shows the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_confirm(*, user: Any, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the enrollment with a first code; returns the new recovery codes (shown once), or None if wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token.strip()):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = recovery_codes_renew(user)
        audit_event(Event.OTP_ENROLL, actor=user, object_id=user.pk)
    return codes


def recovery_codes_renew(user: Any) -> list[str]:
    """A new set of recovery codes (静态备用码), each usable once; the old set stops working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(int(getattr(settings, "JINENG_OTP_RECOVERY_CODES", 10)))]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def second_factor_match(user: Any, token: str) -> Any:
    """The confirmed device (authenticator or recovery code) that accepts ``token``, or None. Devices throttle."""
    token = (token or "").strip().replace(" ", "")
    if not token or len(token) > 16:
        return None
    # A code of digits goes to the authenticator, anything else to the recovery codes: a wrong try then counts
    # against (throttles) only the device it was meant for.
    wanted = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, wanted) and device.verify_token(token):
            return device
    return None


def demo_second_factor(user: Any, secret_base32: str = DEMO_TOTP_SECRET) -> TOTPDevice:
    """Give a demo account a confirmed authenticator with the documented secret (the demo seed only)."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8)).hex()
    device, _ = TOTPDevice.objects.update_or_create(user=user, name=TOTP_NAME, defaults={"key": key, "confirmed": True})
    return device
