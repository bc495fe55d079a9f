"""Background work of the indicators app: the freshness chain (a django-tasks task run by the database worker) and
job kinds for the full recompute and the year-end close (job records with status and result)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from jineng.common.errors import invalid
from jineng.common.jobs.models import Job
from jineng.common.jobs.services import Progress, register_job_kind
from jineng.common.numbers import int_or_none


@task()
def refresh_task(chain_id: str) -> None:
    """One link of the freshness chain (see ``freshness``)."""
    from jineng.indicators.freshness import run_chain_link

    run_chain_link(chain_id)


def _plan_param(params: dict[str, Any], *, required: bool) -> None:
    from jineng.refdata.api import Plan

    plan = params.get("plan")
    if plan in (None, "") and not required:
        return
    if not isinstance(plan, str) or len(plan) > 64 or not Plan.objects.filter(code=plan).exists():
        raise invalid(field="params.plan", code="unknown_plan", message="未找到该规划。")


def _recompute_params(params: dict[str, Any]) -> None:
    _plan_param(params, required=False)
    from jineng.indicators.rollups import ENGINES

    if params.get("engine") not in (None, "", *ENGINES):
        raise invalid(field="params.engine", code="bad_choice", message="计算方式须为 sql 或 duckdb。")


def _close_year_params(params: dict[str, Any]) -> None:
    _plan_param(params, required=True)
    year = params.get("year")
    text = "" if isinstance(year, bool) or year is None else str(year)
    number = int_or_none(text, max_digits=4)
    if number is None or len(text) != 4 or not 1900 <= number <= 2100:
        raise invalid(field="params.year", code="bad_year", message="年度须为 1900–2100 之间的整数。")


@register_job_kind("indicators.recompute", queue_permission="admin.access", check_params=_recompute_params)
def recompute_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Full recompute (``params``: ``plan``, ``engine``), then restatements of closed years."""
    from jineng.indicators.rollups import recompute_all
    from jineng.indicators.services import restatements_check_all

    results = recompute_all(plan_code=job.params.get("plan") or None, engine=job.params.get("engine") or "sql")
    progress(len(results), len(results))
    return {"definitions": results, "restated": restatements_check_all(reason="全量重算（作业）")}


@register_job_kind("indicators.close_year", queue_permission="settings.edit", check_params=_close_year_params)
def close_year_job(job: Job, progress: Progress) -> dict[str, Any]:
    from jineng.indicators.services import year_close

    close = year_close(
        actor=job.created_by, plan_code=job.params["plan"], year=int(job.params["year"]),
        note=job.params.get("note", ""),
    )  # fmt: skip
    progress(1, 1)
    return {"year_close": str(close.pk), "figures": close.figures.count()}
