"""Keeping the roll-ups fresh (指标刷新): a new completed enrollment or certificate shows within a minute.

Each run (``refresh``):

1. takes the cells the sources' hook queued (``DirtyCell``) and scans each installed source for records whose
   ``updated_at`` is at or after the last scan's start minus ``OVERLAP`` (a transaction that committed late is
   caught by the overlap; recomputing a cell twice is harmless: a cell is set to its count, never incremented);
2. recomputes, for every definition reading a touched source, the cells those (region, year) affect;
3. logs restatements for closed years whose figures changed;
4. once a day, runs the full recompute (corrections that move a record to another year or region are caught there).

The run is scheduled every ``INTERVAL`` seconds by the database task worker: each run queues the next with
``run_after``. Chains are kept to one by a heartbeat: ``ensure_chain`` starts one only when none has beaten within
``STALE_AFTER`` (the conditional UPDATE lets one caller win).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jineng.indicators import sources
from jineng.indicators.definitions import definitions_for_source
from jineng.indicators.models import DirtyCell, RefreshState
from jineng.indicators.rollups import recompute_all, recompute_cells

log = logging.getLogger(__name__)

KEY = "refresh"
INTERVAL = 30  # seconds between runs: a change shows within INTERVAL + a run's time, well under a minute
OVERLAP = dt.timedelta(minutes=2)
STALE_AFTER = dt.timedelta(seconds=3 * INTERVAL)
FULL_EVERY = dt.timedelta(hours=24)
DIRTY_BATCH = 5000


def state() -> RefreshState:
    obj, _ = RefreshState.objects.get_or_create(key=KEY)
    return obj


def refresh(*, now: dt.datetime | None = None, full_if_due: bool = True) -> dict[str, Any]:
    """One freshness run. Returns what it did (also kept on ``RefreshState.last_result``)."""
    now = now or timezone.now()
    st = state()
    touched: dict[str, set[tuple[str, int]]] = defaultdict(set)
    dirty = list(DirtyCell.objects.order_by("id").values_list("id", "source", "region_id", "year")[:DIRTY_BATCH])
    for _, source, region, year in dirty:
        touched[source].add((region, year))
    marks = dict(st.watermarks or {})
    for spec in sources.available_sources():
        since_text = marks.get(spec.key)
        if since_text is None:
            # First scan of a source: the full recompute below covers its history.
            marks[spec.key] = now.isoformat()
            continue
        since = dt.datetime.fromisoformat(since_text) - OVERLAP
        touched[spec.key] |= sources.touched_cells(spec, since)
        marks[spec.key] = now.isoformat()
    changed: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for source, cells in touched.items():
        for d in definitions_for_source(source):
            changed[d.id] |= recompute_cells(d, cells)
    from jineng.indicators.services import restatements_check

    restated = restatements_check(changed, reason="源记录变更（自动刷新）") if changed else 0
    if dirty:
        DirtyCell.objects.filter(id__in=[d[0] for d in dirty]).delete()
    full = None
    new_sources = [s.key for s in sources.available_sources() if s.key not in (st.watermarks or {})]
    if full_if_due and (st.last_full_at is None or now - st.last_full_at >= FULL_EVERY or new_sources):
        full = recompute_all()
        from jineng.indicators.services import restatements_check_all

        restated += restatements_check_all(reason="全量重算（每日）")
    result = {
        "touched": {k: len(v) for k, v in touched.items()},
        "changed": {k: len(v) for k, v in changed.items() if v},
        "restated": restated,
        "full": bool(full),
    }
    fields: dict[str, Any] = {"watermarks": marks, "last_run_at": now, "last_result": result}
    if full is not None:
        fields["last_full_at"] = now
    RefreshState.objects.filter(key=KEY).update(**fields)
    return result


def _backend_defers() -> bool:
    from django_tasks import default_task_backend

    return bool(getattr(default_task_backend, "supports_defer", False))


def ensure_chain(*, force: bool = False) -> bool:
    """Start the refresh chain unless one is alive. Only where the task backend runs tasks later (the database
    worker): with the immediate backend of the tests a chain would run for ever in one call."""
    if not _backend_defers() and not force:
        return False
    state()
    now = timezone.now()
    chain = uuid.uuid4().hex
    rows = RefreshState.objects.filter(key=KEY)
    if not force:
        rows = rows.filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALE_AFTER))
    won = rows.update(chain_id=chain, heartbeat_at=now)
    if not won:
        return False
    from jineng.indicators.jobs import refresh_task

    transaction.on_commit(lambda: refresh_task.enqueue(chain))
    return True


def run_chain_link(chain_id: str) -> dict[str, Any] | None:
    """One link of the chain: beat, refresh, queue the next link. A link of a superseded chain stops."""
    now = timezone.now()
    beat = RefreshState.objects.filter(key=KEY, chain_id=chain_id).update(heartbeat_at=now)
    if not beat:
        return None
    try:
        result = refresh(now=now)
    except Exception:
        log.exception("indicator refresh failed")
        result = {"error": True}
    if _backend_defers():
        from jineng.indicators.jobs import refresh_task

        refresh_task.using(run_after=timezone.now() + dt.timedelta(seconds=INTERVAL)).enqueue(chain_id)
    return result
