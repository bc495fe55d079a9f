"""The per-region settings of the provider catalog, registered beside the kernel's (refdata.settings_registry).

Defaults: no national figure is fixed for these steps; 20 working days for each review step and a three-year
listing follow the published directories of several provinces (docs/providers.md). Each region may set its own.
"""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

CITY_REVIEW_WORKDAYS = "catalog.city_review_workdays"
PROVINCE_APPROVAL_WORKDAYS = "catalog.province_approval_workdays"
LISTING_YEARS = "catalog.listing_years"

_SPECS = [
    SettingSpec(CITY_REVIEW_WORKDAYS, "入目录申请市级审核时限", int, 20, "工作日"),
    SettingSpec(PROVINCE_APPROVAL_WORKDAYS, "入目录申请省级审批时限", int, 20, "工作日"),
    SettingSpec(LISTING_YEARS, "培训机构目录有效期", int, 3, "年"),
]


def register() -> None:
    for spec in _SPECS:
        SPECS.setdefault(spec.key, spec)
