"""Per-region settings of the workbench, registered beside the kernel's (refdata.settings_registry).

``exam.results_workdays`` (10 working days): how long an evaluation organization has, after the exam date, to enter
and confirm a session's results before the workbench shows the session as overdue. No national figure is published;
10 working days matches the claim review limit and each region may change it.

``class.complete_within_workdays`` (5 working days): how long a provider has, after a class's last session, to
complete it (结业) before the workbench shows it as overdue — the training subsidy must be claimed within 30 days of
completion, so a late 结业 delays every trainee's claim. ``claim.resubmit_workdays`` (10 working days): how long an
applicant has to correct and resubmit a claim returned for correction (退回补正). Both only set the workbench's
deadlines; no national figure is published and each region may change them.
"""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

EXAM_RESULTS_WORKDAYS = "exam.results_workdays"
CLASS_COMPLETE_WORKDAYS = "class.complete_within_workdays"
CLAIM_RESUBMIT_WORKDAYS = "claim.resubmit_workdays"

_SPECS = [
    SettingSpec(EXAM_RESULTS_WORKDAYS, "考试成绩录入时限", int, 10, "工作日"),
    SettingSpec(CLASS_COMPLETE_WORKDAYS, "末次课后办理结业时限", int, 5, "工作日"),
    SettingSpec(CLAIM_RESUBMIT_WORKDAYS, "补贴退回补正时限", int, 10, "工作日"),
]


def register() -> None:
    for spec in _SPECS:
        SPECS.setdefault(spec.key, spec)
