"""Scope cases of the indicators app's URLs, registered into tests/scope_cases.py by ``register_indicator_cases``.

The figures endpoints take a region: a role may ask for regions within its grants only (else 403). The records
endpoints default to the user's own region and list only records attributed within it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

PLAN = "guangdong-2021"
BASES = "provincial-public-training-bases"


def _base(region: str) -> Any:
    from jineng.providers.api import TrainingBase

    return TrainingBase.objects.create(
        kind="public_training", name=f"探针实训基地{uuid4().hex[:10]}", level="provincial", approval_year=2022,
        region_id=region, host_name="探针依托单位",
    )  # fmt: skip


def register_indicator_cases(register: Callable[[str, Any], None], ScopeCase: Any, Exempt: Any) -> None:  # noqa: N803
    def figures(path: str) -> Any:
        return ScopeCase("detail", lambda r: r, lambda r: f"{path}?plan={PLAN}&region={r}&year=2025&indicator={BASES}",
                         "indicators.view")  # fmt: skip

    register("api:indicator_list", figures("/api/v1/indicators"))
    register("api:indicator_breakdown", figures("/api/v1/indicators/breakdown"))
    register("api:indicator_series", figures("/api/v1/indicators/series"))
    register("indicators:dashboard", figures("/indicators/"))
    register("indicators:export", figures("/indicators/export.xlsx"))
    register(
        "api:indicator_records",
        ScopeCase("list", _base, lambda o: f"/api/v1/indicators/records?plan={PLAN}&indicator={BASES}&year=2025"
                  "&page_size=500", "indicators.view"),
    )  # fmt: skip
    register(
        "indicators:records",
        ScopeCase("list", _base, lambda o: f"/indicators/records/?plan={PLAN}&indicator={BASES}&year=2025",
                  "indicators.view", lambda o: o.name),
    )  # fmt: skip
    public = "public province-level summary of plan indicators (信息公开): figures only, no records"
    register("api:public_indicator_list", Exempt(public))
    register("indicators:public", Exempt(public))
