"""Per-region settings of the workbench, registered beside the kernel's (refdata.settings_registry).

``exam.results_workdays`` (10 working days): how long an evaluation organization has, after the exam date, to enter
and confirm a session's results before the workbench shows the session as overdue. No national figure is published;
10 working days matches the claim review limit and each region may change it.
"""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

EXAM_RESULTS_WORKDAYS = "exam.results_workdays"

_SPECS = [SettingSpec(EXAM_RESULTS_WORKDAYS, "考试成绩录入时限", int, 10, "工作日")]


def register() -> None:
    for spec in _SPECS:
        SPECS.setdefault(spec.key, spec)
