"""Per-region settings of inspections: the share of trainees called back (电话回访比例) and the deadline for
publishing an inspection's result (一公开), registered beside the kernel's."""

from __future__ import annotations

from jineng.refdata.settings_registry import SPECS, SettingSpec

CALLBACK_PERCENT = "supervision.callback_percent"
PUBLISH_WORKDAYS = "inspections.publish_workdays"
RECTIFY_WORKDAYS = "inspections.rectify_workdays"


def register() -> None:
    SPECS.setdefault(CALLBACK_PERCENT, SettingSpec(CALLBACK_PERCENT, "电话回访比例（抽查时回访学员）", int, 10, "%",
                                                   maximum=100, minimum=1))  # fmt: skip
    SPECS.setdefault(PUBLISH_WORKDAYS, SettingSpec(PUBLISH_WORKDAYS, "抽查结果公示时限（抽取后）", int, 20, "工作日",
                                                   maximum=60, minimum=1))  # fmt: skip
    SPECS.setdefault(RECTIFY_WORKDAYS, SettingSpec(RECTIFY_WORKDAYS, "整改期限（默认）", int, 15, "工作日",
                                                   maximum=120, minimum=1))  # fmt: skip
