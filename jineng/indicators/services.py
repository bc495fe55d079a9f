"""Writes of the indicators app: closing a year (年度结账) and logging restatements (更正说明)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, ValidationFailed
from jineng.indicators.definitions import DEFINITIONS, definition_for
from jineng.indicators.events import Event
from jineng.indicators.models import FrozenFigure, Restatement, YearClose
from jineng.indicators.rollups import recompute_all
from jineng.indicators.selectors import live_figures
from jineng.refdata.api import Plan, PlanTarget, plan_get, region_ancestors, region_subtree


def _subtree(code: str) -> list[str]:
    return list(region_subtree(code).values_list("descendant_id", flat=True))


def year_close(*, actor: Actor, plan_code: str, year: int, note: str = "", check_permission: bool = True) -> YearClose:
    """结账: recompute the plan's figures from the records and freeze them for ``year`` at every region of the plan.

    Later changes to that year's records do not change the frozen figures; they are logged as restatements.
    """
    plan = plan_get(plan_code)
    if check_permission:
        require(actor, "settings.edit", region_code=plan.region_id)
    today = timezone.localdate()
    if not plan.period_start <= year <= plan.period_end:
        raise ValidationFailed(
            f"年度 {year} 不在规划期 {plan.period_start}–{plan.period_end} 内。",
            [FieldError("year", "outside_period", "年度不在规划期内。")],
            code="year_outside_plan",
        )
    if year >= today.year:
        raise ValidationFailed(
            f"{year} 年尚未结束，不能结账。", [FieldError("year", "year_not_ended", "年度尚未结束。")],
            code="year_not_ended",
        )  # fmt: skip
    if YearClose.objects.filter(plan=plan, year=year).exists():
        raise Conflict(f"规划“{plan.name}”{year} 年已结账。", code="year_closed")
    recompute_all(plan_code=plan.code)
    regions = _subtree(plan.region_id)
    with transaction.atomic():
        close = YearClose.objects.create(
            plan=plan, year=year, closed_at=timezone.now(), closed_by=actor_user(actor),
            note=note[:300],
        )  # fmt: skip
        figures: list[FrozenFigure] = []
        for target in PlanTarget.objects.filter(plan=plan).order_by("seq"):
            d = definition_for(plan.code, target.indicator)
            reason = d.availability()
            if reason:
                figures.append(_figure(close, target, d.id, plan.region_id, None, None, reason))
                continue
            values = live_figures(d, target, regions, year)
            for code, (actual, own) in values.items():
                if actual or own or code == plan.region_id:
                    figures.append(_figure(close, target, d.id, code, actual, own, ""))
        FrozenFigure.objects.bulk_create(figures, batch_size=2000)
        audit_event(
            Event.INDICATORS_YEAR_CLOSE,
            actor=actor,
            object_id=plan.code,
            region_code=plan.region_id,
            after={"year": year, "figures": len(figures)},
            reason=note,
        )
    return close


def _figure(
    close: YearClose, target: PlanTarget, definition: str, region: str, actual: int | None, own: int | None,
    reason: str,
) -> FrozenFigure:  # fmt: skip
    return FrozenFigure(
        year_close=close, indicator=target.indicator, definition=definition, region_id=region, actual=actual,
        own_actual=own, no_data_reason=reason[:200], current_actual=actual, current_own=own,
    )  # fmt: skip


def _restate(
    close: YearClose, target: PlanTarget, definition: str, values: dict[str, tuple[int, int]], reason: str
) -> int:
    """Compare live figures with the frozen (or last restated) ones and log every difference."""
    existing = {
        f.region_id: f
        for f in FrozenFigure.objects.filter(year_close=close, indicator=target.indicator, region_id__in=list(values))
    }
    now = timezone.now()
    logged = 0
    for code, (actual, own) in values.items():
        f = existing.get(code)
        if f is None:
            if not actual and not own:
                continue
            f = FrozenFigure.objects.create(
                year_close=close, indicator=target.indicator, definition=definition, region_id=code, actual=0,
                own_actual=0, current_actual=0, current_own=0,
            )  # fmt: skip
        if f.no_data_reason or (f.current_actual == actual and f.current_own == own):
            continue
        Restatement.objects.create(
            figure=f, old_actual=f.current_actual, new_actual=actual, old_own=f.current_own, new_own=own,
            reason=reason[:300], at=now,
        )  # fmt: skip
        FrozenFigure.objects.filter(pk=f.pk).update(current_actual=actual, current_own=own)
        logged += 1
    return logged


def restatements_check(changed: dict[str, set[tuple[str, int]]], *, reason: str) -> int:
    """After cells changed (definition → {(region, year)}), log restatements of the closed years they reach: the
    changed regions and their ancestors, in every closed year from the change's year on."""
    if not changed or not YearClose.objects.exists():
        return 0
    logged = 0
    for definition_id, cells in changed.items():
        if not cells:
            continue
        first_year = min(y for _, y in cells)
        regions: set[str] = set()
        for code, _ in cells:
            try:
                regions.update(region_ancestors(code))
            except Exception:  # noqa: S112 - a code not in the tree has no figures to restate
                continue
        for target in _targets_using(definition_id):
            for close in YearClose.objects.filter(plan_id=target.plan_id, year__gte=first_year):
                scope = set(_subtree(target.plan.region_id))
                codes = sorted(regions & scope)
                if codes:
                    values = live_figures(DEFINITIONS[definition_id], target, codes, close.year)
                    logged += _restate(close, target, definition_id, values, reason)
    return logged


def restatements_check_all(*, reason: str) -> int:
    """Compare every closed year's figures with a fresh computation (after the daily full recompute)."""
    logged = 0
    for close in YearClose.objects.select_related("plan"):
        plan: Plan = close.plan
        regions = _subtree(plan.region_id)
        for target in PlanTarget.objects.filter(plan=plan):
            d = definition_for(plan.code, target.indicator)
            if d.availability():
                continue
            logged += _restate(close, target, d.id, live_figures(d, target, regions, close.year), reason)
    return logged


def _targets_using(definition_id: str) -> list[PlanTarget]:
    by_def: dict[str, list[PlanTarget]] = defaultdict(list)
    for t in PlanTarget.objects.select_related("plan"):
        by_def[definition_for(t.plan_id, t.indicator).id].append(t)
    return by_def.get(definition_id, [])
