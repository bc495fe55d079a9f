"""What other apps (and the composition root) may use of indicators.

- ``indicators_touched(source, region_code, on_date)`` — a source record attributed to ``region_code`` and dated
  ``on_date`` changed: its cells are recomputed by the next freshness run (≤ 30 s). Call it in the transaction of
  the change (it queues a row) — wired by the composition root, since sources sit below indicators. Sources:
  ``enrollment``, ``apprentice``, ``certificate``, ``base``, ``claim``.
- ``rollup_add(indicator_code, region_code, on_date, delta)`` — add ``delta`` at once to the own cells of the
  additive flow definitions of ``indicator_code`` (or of a definition id), and queue the exact recompute.
- ``ensure_refresh_chain()`` — start the freshness chain if none is running (the worker keeps it going).
- ``indicator_items(plan, region, year)`` — the figures the API serves, for other readers (reports, home cards).
- ``DEMO_DOCUMENT``, ``size_demo_plan(code)`` — the demo plan's mark and its targets at the demo's scale (``jineng
  seed``, jineng.indicators.demo).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from jineng.indicators.definitions import BY_INDICATOR, BY_PLAN, DEFINITIONS, FLOW, Definition
from jineng.indicators.demo import DEMO_DOCUMENT, size_demo_plan
from jineng.indicators.freshness import ensure_chain as ensure_refresh_chain
from jineng.indicators.models import DirtyCell
from jineng.indicators.rollups import rollup_add_cell
from jineng.indicators.selectors import indicator_items as _items
from jineng.indicators.selectors import query_for


def indicators_touched(source: str, region_code: str, on_date: dt.date | int) -> None:
    year = on_date if isinstance(on_date, int) else on_date.year
    DirtyCell.objects.create(source=source, region_id=region_code, year=year)
    transaction.on_commit(ensure_refresh_chain)


def _definitions_of(code: str) -> list[Definition]:
    if code in DEFINITIONS:
        return [DEFINITIONS[code]]
    ids = {BY_INDICATOR.get(code)} | {d for (_, ind), d in BY_PLAN.items() if ind == code}
    return [DEFINITIONS[i] for i in sorted(i for i in ids if i)]


def rollup_add(indicator_code: str, region_code: str, on_date: dt.date, delta: int) -> None:
    found = False
    for d in _definitions_of(indicator_code):
        if d.additive and d.measure == FLOW and not d.availability():
            rollup_add_cell(d, region_code, on_date.year, delta)
            for source in d.sources[:1]:
                DirtyCell.objects.create(source=source, region_id=region_code, year=on_date.year)
            found = True
    if not found:
        raise LookupError(f"no additive flow definition for {indicator_code}")
    transaction.on_commit(ensure_refresh_chain)


def indicator_items(plan_code: str, region_code: str | None, year: int | None) -> list[dict[str, Any]]:
    return _items(query_for(plan_code, region_code, year))


__all__ = [
    "DEMO_DOCUMENT",
    "size_demo_plan",
    "ensure_refresh_chain",
    "indicator_items",
    "indicators_touched",
    "rollup_add",
]
