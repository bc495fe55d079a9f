"""Per-region settings of evaluation, registered beside the kernel's (refdata.settings_registry).

``exam.min_duration_minutes`` (60): a session shorter than this is refused — "exam too short" is one of the fraud
checks shared/DOMAIN.md lists; no national figure is published, so 60 minutes is the default each region may change.
"""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

EXAM_MIN_MINUTES = "exam.min_duration_minutes"

_SPECS = [SettingSpec(EXAM_MIN_MINUTES, "考试最短时长", int, 60, "分钟")]


def register() -> None:
    for spec in _SPECS:
        SPECS.setdefault(spec.key, spec)
