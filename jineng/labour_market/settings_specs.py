"""Per-region settings of demand monitoring, registered beside the kernel's (refdata.settings_registry).

- ``labour.shortage_ratio_percent`` (150): the 求人倍率 at or above which an occupation qualifies for the draft
  shortage catalog, in percent (150 = 1.5 vacancies per job seeker);
- ``labour.shortage_quarters`` (2): for how many consecutive quarters it must qualify;
- ``labour.wage_min_sample`` (10): a wage cell with fewer records is suppressed (its percentiles not published).
No national figure is set for these; the defaults are the demo's and each province may change them.
"""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

RATIO_PERCENT = "labour.shortage_ratio_percent"
QUARTERS = "labour.shortage_quarters"
MIN_SAMPLE = "labour.wage_min_sample"

_SPECS = [
    SettingSpec(RATIO_PERCENT, "急需紧缺职业求人倍率阈值", int, 150, "%", maximum=100000),
    SettingSpec(QUARTERS, "急需紧缺职业连续季度数", int, 2, "季度", maximum=8),
    SettingSpec(MIN_SAMPLE, "工资价位最小样本量", int, 10, "人", maximum=10000),
]


def register() -> None:
    for spec in _SPECS:
        SPECS.setdefault(spec.key, spec)
