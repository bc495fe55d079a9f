"""限流 — a fixed-window limit per client address for the public verification endpoints, shared by every worker
process, with no database write on most requests.

The limit is the setting ``JINENG_VERIFY_RATE`` (``"30/minute"`` by default; environment variable of the same
name). The shared count of a window lives in a table (``RateCounter``: key, window start, count), so every gunicorn
worker and every server behind the same database shares it. A process does not count each request there: it
*leases* a block of requests of the window with one atomic statement (``INSERT … ON CONFLICT DO UPDATE SET count =
count + n RETURNING count``) and spends the block in memory; when the block is spent it leases the next one. The
answer of the lease says how much of the block fits under the limit; once a lease comes back short, the process
refuses the rest of that window without asking the database again.

Semantics (docs/decisions/0012-credentials.md):

- never more than the limit is admitted in a window, whatever the number of processes or hosts: a request is
  admitted only against requests already added to the shared count;
- the block is 1 % of the limit (at least 1, at most ``MAX_LEASE``), so a limit under 200 per window is counted
  request by request, exactly as before; above it, the requests a process leased but did not spend when the window
  ends (at most one block per process) are lost, so an address spread over W processes may be refused up to W
  blocks early (≤ W % of the limit); a process that stops loses its unspent block the same way — a restart never
  gives back budget;
- the window is fixed (aligned on the epoch) and refusals carry the seconds to its end.

The client address is stored only as a keyed hash.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jineng.certificates.models import RateCounter
from jineng.common.crypto import blind_index
from jineng.rules.certificates import parse_rate

DEFAULT_RATE = "30/minute"
LEASE_FRACTION = 100  # a block is 1/100 of the limit
MAX_LEASE = 1000
MAX_LEASES = 100_000  # addresses a process keeps leases for (memory bound under many clients)
KEPT_SECONDS = 86400  # ended windows are kept one day for the operators' curiosity, then deleted


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends
    rate: str


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> tuple[int, int]:
    return parse_rate(text)


def configured_rate(rate: str = "") -> tuple[str, int, int]:
    """The verification rate, or ``rate`` (``"5/hour"``) when a caller names its own (the complaint form)."""
    text = rate or str(getattr(settings, "JINENG_VERIFY_RATE", "") or DEFAULT_RATE)
    count, period = _parsed(text)
    return text, count, period


def lease_size(limit: int) -> int:
    return max(1, min(MAX_LEASE, limit // LEASE_FRACTION))


@dataclass
class _Lease:
    """This process's share of one key's window: requests leased and not yet spent, the shared count after the last
    lease, and whether the shared count has reached the limit."""

    ends_at: int  # epoch seconds
    tokens: int = 0
    counted: int = 0
    exhausted: bool = False


class LeaseBook:
    """The leases of one process (a module-level instance below; tests make more to stand for other processes)."""

    def __init__(self) -> None:
        self._leases: dict[tuple[str, int, int, int], _Lease] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._leases.clear()

    def hit(self, bucket: str, address: str, *, now: dt.datetime | None = None, rate: str = "") -> RateDecision:
        """Count one request of ``address`` in ``bucket`` and say whether it is within the limit (``rate``, else the
        verification rate)."""
        text, limit, period = configured_rate(rate)
        epoch = int((now or timezone.now()).timestamp())
        start = epoch - epoch % period
        retry_after = max(start + period - epoch, 1)
        key = f"{bucket}:{blind_index(address or 'unknown', context='certificates.rate')}"[:120]
        slot = (key, start, limit, period)

        def decide(lease: _Lease) -> RateDecision | None:
            if lease.tokens > 0:
                lease.tokens -= 1
                remaining = max(limit - lease.counted, 0) + lease.tokens
                return RateDecision(True, limit, remaining, retry_after, text)
            if lease.exhausted:
                return RateDecision(False, limit, 0, retry_after, text)
            return None

        with self._lock:
            lease = self._leases.get(slot)
            if lease is None:
                self._forget_ended(epoch)
                lease = self._leases[slot] = _Lease(ends_at=start + period)
            decision = decide(lease)
        if decision is not None:
            return decision
        size = lease_size(limit)
        counted = _lease_from_shared_count(key, start, size, period)
        granted = min(max(limit - (counted - size), 0), size)
        with self._lock:
            lease = self._leases.setdefault(slot, _Lease(ends_at=start + period))
            lease.counted = max(lease.counted, counted)
            lease.tokens += granted
            if granted < size:
                lease.exhausted = True
            return decide(lease) or RateDecision(False, limit, 0, retry_after, text)

    def _forget_ended(self, epoch: int) -> None:
        if len(self._leases) >= 1024:
            for slot in [s for s, lease in self._leases.items() if lease.ends_at <= epoch]:
                del self._leases[slot]
        if len(self._leases) >= MAX_LEASES:
            # Forgetting a lease is always safe: its unspent requests are lost (stricter), a spent window is
            # learnt again from the shared count with one statement.
            self._leases.clear()


def _lease_from_shared_count(key: str, start: int, size: int, period: int) -> int:
    """Add ``size`` to the shared count of the window in one atomic statement; the count after it."""
    table, k, w, n = (
        connection.ops.quote_name(x) for x in (RateCounter._meta.db_table, "key", "window_start", "count")
    )
    window_start = dt.datetime.fromtimestamp(start, tz=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {w}, {n}) VALUES (%s, %s, %s) ON CONFLICT ({k}, {w}) "  # noqa: S608 - names
            f"DO UPDATE SET {n} = {table}.{n} + EXCLUDED.{n} RETURNING {n}",
            [key, connection.ops.adapt_datetimefield_value(window_start), size],
        )
        counted = int(cursor.fetchone()[0])
    if counted == size:  # the window's first lease: drop windows that ended long ago
        old = window_start - dt.timedelta(seconds=max(period, KEPT_SECONDS))
        RateCounter.objects.filter(window_start__lt=old).delete()
    return counted


_book = LeaseBook()


def rate_limit_hit(bucket: str, address: str, *, now: dt.datetime | None = None, rate: str = "") -> RateDecision:
    """Count one request of ``address`` in ``bucket`` (this process's leases) and say whether it is within the
    limit: ``rate`` (e.g. ``"5/hour"``), else ``JINENG_VERIFY_RATE``."""
    return _book.hit(bucket, address, now=now, rate=rate)


def forget_leases() -> None:
    """Drop this process's leases (tests: the database they were taken from was rolled back)."""
    _book.clear()
