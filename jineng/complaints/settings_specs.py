"""Per-region settings of complaints, registered beside the kernel's (refdata.settings_registry).

Defaults: 5 working days to acknowledge (受理告知) and 20 working days to answer (答复), counted on the region's
working-day calendar from the day the complaint arrives (a reopened complaint gets a new answer deadline from the
day it is reopened). No national figure binds a training complaint; each region sets its own (docs/complaints.md).
"""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

ACK_WORKDAYS = "complaints.ack_workdays"
ANSWER_WORKDAYS = "complaints.answer_workdays"

_SPECS = [
    SettingSpec(ACK_WORKDAYS, "投诉举报受理告知时限", int, 5, "工作日", maximum=30, minimum=1),
    SettingSpec(ANSWER_WORKDAYS, "投诉举报答复时限", int, 20, "工作日", maximum=90, minimum=1),
]


def register() -> None:
    for spec in _SPECS:
        SPECS.setdefault(spec.key, spec)
