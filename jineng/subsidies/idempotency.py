"""Idempotency keys (幂等键) of the money-moving API: the same key and body → the original response, nothing new;
the same key with another body → 422; a key whose first request is still running → 409.

1. **claim the key** — in its own short transaction: insert (user, endpoint, key, hash of the canonical body) as
   ``in_flight``. An existing row answers at once: another body → 422 ``idempotency_key_reused``; done → the
   stored response replayed; still in flight → 409 ``idempotency_in_flight`` (unless it is stale: its request died
   without finishing, so it is taken over).
2. **do the effect** — in one transaction with the completion of the key (response status and body stored), so a
   committed effect always has its stored response and a rolled-back effect never does.

A domain error (4xx) is stored as the key's response too (the same request gives the same answer); an unexpected
error releases the key so the client may retry. Keys are kept ``JINENG_IDEMPOTENCY_RETENTION_HOURS`` (default 48,
never under 24) and then purged by the ``subsidies.idempotency_purge`` job or ``jineng idempotency purge``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from jineng.common.errors import Conflict, DomainError, ValidationFailed
from jineng.common.rest.errors import domain_error_response
from jineng.subsidies.models import IdempotencyKey

IN_FLIGHT = "in_flight"
DONE = "done"
MAX_KEY_LENGTH = 200


def retention() -> dt.timedelta:
    hours = max(int(getattr(settings, "JINENG_IDEMPOTENCY_RETENTION_HOURS", 48)), 24)
    return dt.timedelta(hours=hours)


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "JINENG_IDEMPOTENCY_STALE_SECONDS", 600)))


def body_hash(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _error_payload(exc: DomainError) -> tuple[int, Any]:
    response = domain_error_response(exc)
    return response.status_code, json.loads(response.content or b"null")


def _claim(user: Any, endpoint: str, key: str, digest: str) -> IdempotencyKey | tuple[int, Any]:
    """The key row we now own, or the stored (status, body) to replay."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, endpoint=endpoint, key=key, request_hash=digest)
        except IntegrityError:
            pass
        existing = IdempotencyKey.objects.filter(user=user, endpoint=endpoint, key=key).first()
        if existing is None:
            continue  # released between our insert and our read: try again
        if existing.request_hash != digest:
            raise ValidationFailed("该幂等键已用于另一请求（请求内容不同）。", code="idempotency_key_reused")
        if existing.state == DONE:
            return int(existing.response_status or 200), existing.response_body
        if existing.updated_at < timezone.now() - stale_after():
            taken = IdempotencyKey.objects.filter(
                pk=existing.pk, state=IN_FLIGHT, updated_at=existing.updated_at
            ).update(updated_at=timezone.now())
            if taken:
                return IdempotencyKey.objects.get(pk=existing.pk)
        raise Conflict("相同幂等键的请求仍在处理中，请稍后查询结果。", code="idempotency_in_flight")
    raise Conflict("相同幂等键的请求仍在处理中，请稍后查询结果。", code="idempotency_in_flight")


def run_idempotent(
    *, user: Any, endpoint: str, key: str, body: Any, effect: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """(status, body, replayed). ``effect`` runs at most once per (user, endpoint, key) and returns the response."""
    key = (key or "").strip()
    if not key:
        raise ValidationFailed("请在 Idempotency-Key 请求头中提供幂等键。", code="idempotency_key_required")
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(f"幂等键不能超过 {MAX_KEY_LENGTH} 个字符。", code="idempotency_key_too_long")
    digest = body_hash(body)
    owned = _claim(user, endpoint, key, digest)
    if not isinstance(owned, IdempotencyKey):
        status, stored = owned
        return status, stored, True
    try:
        with transaction.atomic():
            status, payload = effect()
            payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))
            IdempotencyKey.objects.filter(pk=owned.pk).update(
                state=DONE, response_status=status, response_body=payload, updated_at=timezone.now()
            )
        return status, payload, False
    except DomainError as exc:
        status, payload = _error_payload(exc)
        IdempotencyKey.objects.filter(pk=owned.pk).update(
            state=DONE, response_status=status, response_body=payload, updated_at=timezone.now()
        )
        raise
    except BaseException:
        IdempotencyKey.objects.filter(pk=owned.pk, state=IN_FLIGHT).delete()
        raise


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete keys older than the retention (a technical table, not a domain record)."""
    cutoff = (now or timezone.now()) - retention()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return int(deleted)
