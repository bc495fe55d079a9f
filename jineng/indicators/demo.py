"""The demo's plan at the demo's scale (issue 15): the demo world holds a few hundred persons, so the province's real
targets (700 万人次) would show every indicator at 0 % and 明显滞后. The demo plan (``document_number`` 演示数据,
made by ``jineng seed``) keeps the real plan's indicators and definitions, and its targets are set from what the demo
records give in the current year, so that the dashboard shows the spread a real province sees: most indicators on
track, one slightly behind. A real plan measured against demo records says so on its dashboard
(``demo_scale``)."""

from __future__ import annotations

import math
import re
from typing import Any

from django.db import transaction

from jineng.refdata.api import Plan, PlanTarget

# The document number that marks a plan made for the demo (never a real document's).
DEMO_DOCUMENT = "演示数据"

# Progress ÷ time elapsed wanted of each top-level indicator in turn (its parts take their parent's): above 1 on
# track, 0.8–1 略有滞后 (rules.indicators.AT_RISK_RATIO). An indicator without demo records this year stays at 0 %.
PACE = (1.3, 1.1, 0.9, 1.5, 1.2, 1.05, 1.15)


def is_demo_plan(plan: Plan) -> bool:
    return plan.document_number == DEMO_DOCUMENT


def demo_scale(plan: Plan) -> bool:
    """Whether ``plan`` is a real plan read against a demo database (one holding a demo plan): its progress and
    signals say nothing about the real province."""
    return not is_demo_plan(plan) and Plan.objects.filter(document_number=DEMO_DOCUMENT).exists()


def _nice(x: float) -> int:
    """``x`` rounded up to two significant digits (37.2 → 38, 1234 → 1300), at least 1."""
    if x <= 1:
        return 1
    step = 10 ** max(0, int(math.floor(math.log10(x))) - 1)
    return int(math.ceil(x / step) * step)


def size_demo_plan(plan_code: str) -> int:
    """Set the demo plan's targets from the demo's current-year figures (``PACE``); idempotent in effect (the same
    records give the same targets). Returns how many targets were set."""
    from jineng.indicators.selectors import indicator_items, plan_targets, query_for

    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None or not is_demo_plan(plan):
        return 0
    q = query_for(plan.code, None, None)
    targets = {t.indicator: t for t in plan_targets(plan.code)}
    pace: dict[str, float] = {}
    changed = 0
    top = 0
    with transaction.atomic():
        for item in indicator_items(q):
            target = targets[item["code"]]
            if item["parent"] is None:
                pace[item["code"]] = PACE[top % len(PACE)]
                top += 1
            f = pace.get(item["parent"] or item["code"], 1.0)
            value = _demo_value(item, target, f)
            if value is None:
                continue
            target.value = value
            target.value_max = None
            target.name = re.sub(r"（万[^）]*）", "", target.name)  # the unit of the real targets
            target.raw_value = f"{value}（演示规模）"[:40]
            target.save(update_fields=["value", "value_max", "name", "raw_value"])
            changed += 1
        if changed:
            Plan.objects.filter(pk=plan.pk).update(
                note="演示数据：沿用“十四五”规划（粤人社发〔2021〕45号）的指标口径，目标值按演示数据的规模设定，非正式文件"
            )
    return changed


def _demo_value(item: dict[str, Any], target: PlanTarget, pace: float) -> int | None:
    """The target whose progress is ``pace`` × the time elapsed, for the actual the demo gives (None: leave it)."""
    actual, elapsed = item["actual"], item["time_elapsed"]
    if actual is None or elapsed <= 0:
        return None
    years = target.period_end - target.period_start + 1
    if target.kind == "stock" and target.opening_stock is not None and target.baseline is None:
        return None  # a total measured from the plan's own (real) opening stock: the real target is the right scale
    if target.kind == "stock":
        baseline = target.baseline or 0
        increase = actual - baseline
        if increase <= 0:
            return baseline + max(1, _nice(0.1 * max(baseline, 10)))  # nothing added yet: a modest planned increase
        return baseline + max(1, _nice(increase / (elapsed * pace)))
    if actual <= 0:
        return 10  # the demo has no such records this year: a small target, honestly 0 %
    whole = actual / (elapsed * pace)
    return max(1, _nice(whole / years if target.kind == "annual_average" else whole))
