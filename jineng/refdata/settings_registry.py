"""Per-region settings: their keys, types and defaults (shared/DOMAIN.md). Values are versioned per region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    kind: type
    default: Any
    unit: str = ""
    maximum: int | None = None  # a hard ceiling no region may set a value above (money bounds)
    minimum: int | None = None  # a floor no region may set a value below (a rule's threshold that would fire on all)
    # Who may change it: ``settings.edit`` (the region's officials) by default; a control that restrains those very
    # officials (four eyes, money bounds) is the security administrator's (``security.manage``), so nobody can lift
    # the check on their own work.
    edit_permission: str = "settings.edit"

    @property
    def is_money(self) -> bool:
        """A sum of money: stored in 分 like every amount of the platform, shown and typed in 元 (issue 15)."""
        return self.unit == "分"

    @property
    def hundredths(self) -> bool:
        """Stored as a whole number of hundredths, read and typed with two decimals: money (分 → 元) and a factor
        kept ×100 (``supervision.outlier_z_x100``: 329 is z = 3.29) — issue 15: both were shown as 329."""
        return self.is_money or self.key.endswith("_x100")

    @property
    def shown_unit(self) -> str:
        return "元" if self.is_money else self.unit

    def shown_label(self) -> str:
        """The label in the reader's language, without the "×100" a value read in hundredths no longer carries."""
        from django.utils.translation import gettext

        label = gettext(self.label)
        return label.replace("×100", "") if self.key.endswith("_x100") else label

    def shown(self, value: Any) -> str:
        """The value as people read it: 329 (分) → ``3.29`` (元), 329 (z×100) → ``3.29``; others as they are."""
        if self.hundredths and isinstance(value, int) and not isinstance(value, bool):
            sign, n = ("-" if value < 0 else ""), abs(value)
            whole = f"{n // 100:,}" if self.is_money else str(n // 100)
            return f"{sign}{whole}.{n % 100:02d}"
        return str(value)


SPECS: dict[str, SettingSpec] = {
    s.key: s
    for s in [
        SettingSpec("class.file_before_start_workdays", "开班前备案时限", int, 10, "工作日"),
        SettingSpec("class.max_trainees", "每班人数上限", int, 50, "人"),
        SettingSpec("imports.source_retention_days", "导入源文件保存期限", int, 90, "日"),
        SettingSpec("class.review_workdays", "开班申请审核时限", int, 5, "工作日"),
        SettingSpec("class.review_workdays_online", "线上开班审核时限", int, 3, "工作日"),
        SettingSpec("class.late_addition_days", "开班后补录学员时限", int, 3, "日"),
        SettingSpec("class.min_trainees", "开班申请最少学员人数", int, 1, "人"),
        SettingSpec("hours.per_day_max", "每日计入学时上限", int, 7, "学时"),
        SettingSpec("hours.minutes_per_hour", "每学时分钟数", int, 45, "分钟"),
        SettingSpec("attendance.min_rate_percent", "结业最低出勤率", int, 80, "%"),
        SettingSpec("attendance.late_sync_cutoff_hours", "离线考勤补传时限", int, 72, "小时"),
        SettingSpec("attendance.window_minutes", "考勤打卡时间容差（课次前后）", int, 30, "分钟"),
        SettingSpec("apprenticeship.mentor_max_apprentices", "每名导师带徒上限", int, 8, "人"),
        SettingSpec("apprenticeship.min_years", "学徒培养期下限", int, 1, "年"),
        SettingSpec("apprenticeship.max_years", "学徒培养期上限", int, 3, "年"),
        SettingSpec("apprenticeship.min_hours_per_year", "学徒每年培训课时下限", int, 600, "课时"),
        SettingSpec("apprenticeship.min_concentrated_hours_per_year", "学徒每年集中培训课时下限", int, 160, "课时"),
        SettingSpec("exam.roster_days_before", "鉴定花名册提前报送", int, 7, "日"),
        SettingSpec("claim.training_within_days", "培训补贴申领时限（结业后）", int, 30, "日"),
        SettingSpec("claim.skill_upgrade_within_months", "技能提升补贴申领时限（取证后）", int, 12, "月"),
        SettingSpec("claim.review_workdays", "补贴审核时限", int, 10, "工作日"),
        SettingSpec("claim.publicity_workdays", "公示期", int, 5, "工作日"),
        SettingSpec("claim.payment_workdays", "审批后拨付时限", int, 10, "工作日"),
        SettingSpec("subsidy.max_per_person_year", "每人每年补贴次数上限", int, 3, "次"),
        SettingSpec("subsidy.shortage_float_percent", "急需紧缺职业上浮比例", int, 30, "%"),
        SettingSpec("retention.retired_person_years", "已注销人员个人信息保存年限（期满后删除）", int, 10, "年"),
        SettingSpec("export.async_rows", "导出转为后台作业的行数", int, 5000, "行", maximum=100_000),
        SettingSpec("notify.approaching_workdays", "临近期限提醒（到期前）", int, 2, "工作日"),
    ]
}


def setting_spec(key: str) -> SettingSpec:
    from jineng.common.errors import NotFound

    spec = SPECS.get(key)
    if spec is None:
        raise NotFound(f"未知的参数：{key}", code="unknown_setting")
    return spec
    # Not here until something uses them (issue 19): supervision.callback_percent (电话回访比例) comes with
    # Supervision II, which registers it from its own settings_specs.py; retention.class_video_years and
    # retention.exam_archive_years were removed — the platform stores no class videos, and keeps exam records
    # (sessions, candidates, results, certificates) without a deletion rule, so a minimum keep period is met.
