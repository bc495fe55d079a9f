"""Opaque public identifiers. UUIDv7 keeps primary-key inserts close together in the B-tree."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7): 48-bit milliseconds, then random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 68) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def uuid_or_none(value: Any) -> uuid.UUID | None:
    """The UUID ``value`` is or spells (``uuid.UUID``'s forms, nothing trimmed); None when it is not one — the one
    parser of ids that come from a form, a query string or a file."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def is_uuid(value: Any) -> bool:
    """Whether ``value`` is or spells a UUID (a lookup by a malformed id would fail in the database)."""
    return uuid_or_none(value) is not None
