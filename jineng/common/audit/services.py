"""Appending to the audit trail, and verifying it.

Every create, update, delete and state change of a domain record, and every reveal of personal data, calls
``audit_record`` inside the same transaction as the change. Appends lock the head row, so two concurrent writers
queue rather than fork the chain. Every ``JINENG_AUDIT_CHECKPOINT_EVERY`` entries a signed checkpoint of the head
is written; ``audit_verify`` recomputes the chain and checks it against the head and the checkpoints.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jineng.common.audit.events import AuditEvent
from jineng.common.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from jineng.common.masking import scrub_text
from jineng.common.request_context import current_request_info

GENESIS = "0" * 64


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {str(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": str(entry.actor_id) if entry.actor_id else None,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "region_code": entry.region_code,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
        "address": entry.address,
        "request_id": entry.request_id,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(prev_hash.encode() + b"|" + _canonical(entry)).hexdigest()


def _checkpoint_key() -> bytes:
    key = getattr(settings, "JINENG_AUDIT_KEY", "") or ("audit-checkpoint:" + settings.SECRET_KEY)
    return hashlib.sha256(key.encode()).digest()


def checkpoint_signature(seq: int, head_hash: str) -> str:
    return hmac.new(_checkpoint_key(), f"{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False)) if value is not None else None


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: object = "",
    region_code: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it records.

    ``before``/``after`` must already hold masked personal data; anything that still looks like an ID number or a
    phone is masked here as a safety net.
    """
    info = current_request_info()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        actor_obj = actor if getattr(actor, "pk", None) else None
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor_obj,
            actor_name=getattr(actor, "username", "") if actor_obj else (str(actor) if actor else "system"),
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            region_code=region_code or "",
            before=_json_safe(_scrub(before)) if before is not None else None,
            after=_json_safe(_scrub(after)) if after is not None else None,
            reason=scrub_text(reason or ""),
            address=info.address if info else "",
            request_id=info.request_id if info else "",
            prev_hash=head.last_hash,
        )
        entry.hash = entry_hash(head.last_hash, entry)
        entry.save(force_insert=True)
        head.last_seq = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
        if entry.seq % max(settings.JINENG_AUDIT_CHECKPOINT_EVERY, 1) == 0:
            _write_checkpoint(entry.seq, entry.hash)
    return entry


def _write_checkpoint(seq: int, head_hash: str) -> AuditCheckpoint:
    return AuditCheckpoint.objects.create(
        seq=seq, hash=head_hash, at=timezone.now(), signature=checkpoint_signature(seq, head_hash)
    )


def audit_checkpoint() -> AuditCheckpoint | None:
    """Write a signed checkpoint of the current head now (also run periodically by the job runner)."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None or head.last_seq == 0:
            return None
        existing: AuditCheckpoint | None = AuditCheckpoint.objects.filter(seq=head.last_seq).first()
        return existing or _write_checkpoint(head.last_seq, head.last_hash)


def rows_digest(rows: Iterable[Mapping[str, Any]]) -> tuple[int, str]:
    """The digest a bulk operation records: SHA-256 over the canonical JSON of its rows, and their count."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def audit_bulk(
    *,
    actor: Any,
    action: str,
    object_type: str,
    rows: Iterable[Mapping[str, Any]],
    region_code: str = "",
    summary: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """One entry for a whole batch, carrying the row count and a digest of its rows."""
    count, digest = rows_digest(rows)
    return audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        region_code=region_code,
        after={"rows": count, "digest": digest, **(summary or {})},
    )


def audit_event(
    event: AuditEvent,
    *,
    actor: Any,
    object_id: object = "",
    region_code: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    rows: Iterable[Mapping[str, Any]] | None = None,
    object_type: str = "",
) -> AuditEntry:
    """Record one of an app's audit events (``<app>/events.py``) — the helper every service writes the trail with.

    With ``rows`` the entry stands for a whole batch: it carries the row count and a digest of the rows, merged with
    ``after``. ``object_type`` is only for an event about records of any type (the admin's edits); otherwise the
    event's own type is written.
    """
    if rows is not None:
        count, digest = rows_digest(rows)
        after = {"rows": count, "digest": digest, **(after or {})}
    return audit_record(
        actor=actor,
        action=event.value,
        object_type=object_type or event.object_type,
        object_id=object_id,
        region_code=region_code,
        before=before,
        after=after,
        reason=reason,
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None

    def __str__(self) -> str:
        if self.ok:
            return f"audit chain OK: {self.checked} entries verified"
        return f"audit chain BROKEN at seq {self.seq}: {self.problem} ({self.checked} entries verified before it)"


def audit_verify(batch_size: int = 5000) -> VerifyResult:
    """Recompute the chain from the start; report the first broken link, a gap, or a truncated tail."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    checkpoints = {c.seq: c for c in AuditCheckpoint.objects.all()}
    for cp in checkpoints.values():
        if not hmac.compare_digest(cp.signature, checkpoint_signature(cp.seq, cp.hash)):
            return VerifyResult(False, 0, "checkpoint signature invalid (检查点签名无效)", cp.seq)
    last_seen = 0
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch_size])
        if not chunk:
            break
        for entry in chunk:
            if entry.seq != expected_seq:
                return VerifyResult(False, checked, f"entry {expected_seq} is missing (条目缺失)", expected_seq)
            if entry.prev_hash != prev_hash:
                return VerifyResult(False, checked, "prev_hash does not match the previous entry (链接断开)", entry.seq)
            if entry_hash(prev_hash, entry) != entry.hash:
                return VerifyResult(False, checked, "entry content does not match its hash (内容被篡改)", entry.seq)
            entry_cp = checkpoints.get(entry.seq)
            if entry_cp is not None and entry_cp.hash != entry.hash:
                return VerifyResult(
                    False, checked, "entry differs from its signed checkpoint (与检查点不符)", entry.seq
                )
            prev_hash = entry.hash
            expected_seq += 1
            checked += 1
            last_seen = entry.seq
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.last_seq != last_seen or (last_seen and head.last_hash != prev_hash)):
        return VerifyResult(
            False, checked, f"head says {head.last_seq} entries, found {last_seen} (尾部被截断)", last_seen + 1
        )
    if checkpoints:
        newest = max(checkpoints)
        if newest > last_seen:
            return VerifyResult(
                False,
                checked,
                f"signed checkpoint at {newest} is beyond the last entry {last_seen} (尾部被截断)",
                last_seen + 1,
            )
    return VerifyResult(True, checked)
