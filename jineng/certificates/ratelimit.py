"""限流 — a fixed-window counter per client address for the public verification endpoints.

The limit is the setting ``JINENG_VERIFY_RATE`` (``"30/minute"`` by default; environment variable of the same
name). Counters live in a table of their own (``RateCounter``), so every gunicorn worker and every server behind
the same database shares them; each request is one atomic ``UPDATE … SET count = count + 1`` (an ``INSERT`` on
the first request of a window, with the unique constraint settling a race). The client address is stored only as a
keyed hash. See docs/decisions/0012-credentials.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jineng.certificates.models import RateCounter
from jineng.common.crypto import blind_index
from jineng.rules.certificates import parse_rate

DEFAULT_RATE = "30/minute"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends
    rate: str


def configured_rate() -> tuple[str, int, int]:
    text = str(getattr(settings, "JINENG_VERIFY_RATE", "") or DEFAULT_RATE)
    count, period = parse_rate(text)
    return text, count, period


def rate_limit_hit(bucket: str, address: str, *, now: dt.datetime | None = None) -> RateDecision:
    """Count one request of ``address`` in ``bucket`` and say whether it is within the limit."""
    text, limit, period = configured_rate()
    now = now or timezone.now()
    epoch = int(now.timestamp())
    start = epoch - epoch % period
    window_start = dt.datetime.fromtimestamp(start, tz=dt.UTC)
    key = f"{bucket}:{blind_index(address or 'unknown', context='certificates.rate')}"[:120]
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window_start=window_start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=window_start, count=1)
            except IntegrityError:  # a concurrent first request of the window created it
                RateCounter.objects.filter(key=key, window_start=window_start).update(count=F("count") + 1)
            # A new window: drop windows that ended long ago (kept one day for the operators' curiosity).
            RateCounter.objects.filter(window_start__lt=now - dt.timedelta(seconds=max(period, 86400))).delete()
        count = RateCounter.objects.filter(key=key, window_start=window_start).values_list("count", flat=True).first()
    count = int(count or 1)
    retry_after = max(start + period - epoch, 1)
    return RateDecision(
        allowed=count <= limit, limit=limit, remaining=max(limit - count, 0), retry_after=retry_after, rate=text
    )
