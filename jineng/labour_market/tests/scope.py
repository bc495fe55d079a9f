"""Scope cases of the labour market's URLs, registered into tests/scope_cases.py by ``register_labour_cases``.

The figures pages and endpoints take a region: a role may ask for regions within its grants only (else 403). The
catalog versions are records of their region (404 outside scope). Writes check the region of each record in the
service (tested in jineng/labour_market/tests). The public catalog and wage levels carry no personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _catalog(region: str) -> Any:
    from jineng.labour_market.models import ShortageCatalog

    return ShortageCatalog.objects.create(region_id=region, version_no=1, title=f"探针目录{uuid4().hex[:10]}")


def register_labour_cases(register: Callable[[str, Any], None], ScopeCase: Any, Exempt: Any) -> None:  # noqa: N803
    def figures(path: str) -> Any:
        return ScopeCase("detail", lambda r: r, lambda r: f"{path}?region={r}", "indicators.view")

    register("labour:demand", figures("/labour/"))
    register("labour:wages", figures("/labour/wages/"))
    register("labour:wages_export", figures("/labour/wages.xlsx"))
    register("labour:catalogs", figures("/labour/catalogs/"))
    register("api:demand", figures("/api/v1/labour/demand"))
    register("api:wage_levels", figures("/api/v1/labour/wage-levels"))
    register("labour:catalog", ScopeCase("detail", _catalog, lambda c: f"/labour/catalogs/{c.pk}/", "indicators.view"))
    register(
        "api:catalog_detail",
        ScopeCase("detail", _catalog, lambda c: f"/api/v1/labour/catalogs/{c.pk}", "indicators.view"),
    )
    register("api:catalogs", ScopeCase("list", _catalog, lambda c: "/api/v1/labour/catalogs", "indicators.view"))
    write = "a write: the service checks the record's region against the user's grants (labour_market tests)"
    for name in ("api:vacancy_create", "api:job_seeker_create", "api:wage_record_create", "api:catalog_draft",
                 "api:catalog_item_add", "api:catalog_item_remove", "api:catalog_approve", "api:catalog_publish"):  # fmt: skip
        register(name, Exempt(write))
    public = "public (信息公开): the published catalog and suppressed wage percentiles, no records of persons"
    for name in ("api:public_shortage", "api:public_wage_levels", "shortage:catalog", "shortage:wages"):
        register(name, Exempt(public))
