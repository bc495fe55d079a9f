"""Scope entries of the public portal's URLs (registered into tests/scope_cases.py): every page and dataset is public
(no login, no user's region): what it shows is published data only — listed providers and programs, standing bases,
published standards, suppressed aggregates (jineng/portal/tests/test_crawl.py scans them for personal data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAMES = (
    "data_catalog",
    "portal:home",
    "portal:bases",
    "portal:standards",
    "portal:standard",
    "portal:statistics",
    "portal:data",
    "portal:catalog_schema",
    "portal:download",
    "portal:dataset",
    "portal:version_download",
    "api:public_base_list",
    "api:public_standard_list",
    "api:public_standard_detail",
    "api:public_certificate_statistics",
    "api:public_trained_statistics",
    "api:public_dataset_list",
    "api:public_dataset_detail",
    "api:public_evaluator_list",
    "catalog:evaluators",
    "favicon",
)


def register_portal_cases(register: Callable[..., None], scope_case: Any, exempt: Any) -> None:
    for name in NAMES:
        register(name, exempt("public portal (信息公开): published data only, no login, no personal data"))
    register(
        "portal:data_publish", exempt("POST only: publishes the open datasets (catalog.approve, tested); lists nothing")
    )
