"""编号序列 — the one allocator of numbered serials (certificate, class, claim and batch numbers).

A counter row per series (a model with a ``last`` integer field and the series' key fields) is created on first use
and incremented with ``UPDATE … SET last = last + n``. That UPDATE takes the row's lock (PostgreSQL) or the
database's write lock (SQLite) until the caller's transaction ends, so concurrent callers get distinct, gap-free
numbers in the order they commit; two first numbers of a new series at once meet the row's unique key, and the
loser of that race uses the row the winner created.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F


def serial_reserve(counter: type[models.Model], *, count: int = 1, **series: Any) -> int:
    """Reserve ``count`` consecutive numbers of the series ``series`` (the counter's key fields) and return the
    first. Call it inside the transaction that writes the numbered records: the series stays locked until then."""
    if count < 1:
        raise ValueError("count must be at least 1")
    manager = counter._default_manager
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a concurrent first insert must not break the outer transaction
                manager.get_or_create(**series)
        except IntegrityError:  # created by a concurrent writer meanwhile: it exists now
            pass
        manager.filter(**series).update(last=F("last") + count)
        last = int(manager.filter(**series).values_list("last", flat=True).get())
    return last - count + 1
