"""Reading and writing per-region, versioned settings, and the working-day calendar (with 调休)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, ValidationFailed
from jineng.refdata.events import Event
from jineng.refdata.models import CalendarOverride, RegionSetting
from jineng.refdata.regions import region_ancestors, region_validate
from jineng.refdata.settings_registry import SPECS, setting_spec


def setting_value(key: str, region_code: str, on: dt.date) -> Any:
    """The value valid on ``on`` at the region, inherited from the nearest ancestor, else the default."""
    spec = setting_spec(key)
    chain = region_ancestors(region_code)
    candidates = (
        RegionSetting.objects.filter(key=key, region_id__in=chain, valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .values_list("region_id", "value", "valid_from")
    )
    best: dict[str, tuple[dt.date, Any]] = {}
    for region_id, value, valid_from in candidates:
        if region_id not in best or valid_from > best[region_id][0]:
            best[region_id] = (valid_from, value)
    for code in chain:
        if code in best:
            return spec.kind(best[code][1])
    return spec.default


def setting_value_max(key: str) -> Any:
    """The largest value ``key`` takes in any region on any date (its default included): a bound for a set-based
    prefilter that must lose no row whichever region's and day's value applies."""
    spec = setting_spec(key)
    stored = [spec.kind(v) for v in RegionSetting.objects.filter(key=key).values_list("value", flat=True)]
    return max([spec.default, *stored])


def setting_edit_permission(key: str) -> str:
    """The permission that changes ``key`` (a guarded key names its own, e.g. ``security.manage``; others, and an
    unknown key the caller refuses anyway, ``settings.edit``) — required over the region by every entry point."""
    spec = SPECS.get(key)
    return spec.edit_permission if spec else "settings.edit"


def setting_set(
    *,
    actor: Any,
    key: str,
    region_code: str,
    value: Any,
    valid_from: dt.date,
    reason: str,
    valid_to: dt.date | None = None,
) -> RegionSetting:
    spec = setting_spec(key)
    region = region_validate(region_code)
    try:
        if spec.kind is int and (isinstance(value, bool) or (isinstance(value, float) and not value.is_integer())):
            raise ValueError(value)  # 3.7 must not silently become 3
        typed = spec.kind(value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            "参数值不正确。", [FieldError("value", "bad_value", f"{spec.label}须为{spec.kind.__name__}：{value!r}")]
        ) from None
    if isinstance(typed, int) and typed < 0:
        raise ValidationFailed("参数值不正确。", [FieldError("value", "negative", f"{spec.label}不能为负数。")])
    if spec.minimum is not None and isinstance(typed, int) and typed < spec.minimum:
        raise ValidationFailed(
            "参数值不正确。",
            [FieldError("value", "too_small", f"{spec.label}不能小于 {spec.shown(spec.minimum)}{spec.shown_unit}。")],
        )
    if spec.maximum is not None and isinstance(typed, int) and typed > spec.maximum:
        raise ValidationFailed(
            "参数值不正确。",
            [FieldError("value", "too_large", f"{spec.label}不能超过 {spec.shown(spec.maximum)}{spec.shown_unit}。")],
        )
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed("有效期不正确。", [FieldError("valid_to", "before_start", "结束日期早于开始日期。")])
    if not reason.strip():
        raise ValidationFailed("请填写调整原因。", [FieldError("reason", "required", "请填写调整原因。")])
    with transaction.atomic():
        # Close the version that was open when the new one starts.
        RegionSetting.objects.filter(key=key, region=region, valid_from__lt=valid_from, valid_to__isnull=True).update(
            valid_to=valid_from - dt.timedelta(days=1)
        )
        obj, _ = RegionSetting.objects.update_or_create(
            key=key,
            region=region,
            valid_from=valid_from,
            defaults={"value": typed, "valid_to": valid_to, "reason": reason, "set_by": actor},
        )
        audit_event(
            Event.SETTING_SET,
            actor=actor,
            object_id=obj.pk,
            region_code=region.code,
            after={"key": key, "value": typed, "valid_from": valid_from, "valid_to": valid_to},
            reason=reason,
        )
    return obj


def _national_workday(day: dt.date) -> bool:
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (NotImplementedError, ImportError):
        # Years the calendar package does not know yet: Monday to Friday until a region records its 调休.
        return day.weekday() < 5


def is_workday(day: dt.date, region_code: str) -> bool:
    chain = region_ancestors(region_code)
    overrides = dict(
        CalendarOverride.objects.filter(date=day, region_id__in=chain).values_list("region_id", "is_workday")
    )
    for code in chain:
        if code in overrides:
            return bool(overrides[code])
    return _national_workday(day)


def add_workdays(start: dt.date, days: int, region_code: str) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must be non-negative")
    chain = region_ancestors(region_code)
    horizon = start + dt.timedelta(days=days * 3 + 30)
    overrides: dict[dt.date, dict[str, bool]] = {}
    for region_id, date, workday in CalendarOverride.objects.filter(
        region_id__in=chain, date__gt=start, date__lte=horizon
    ).values_list("region_id", "date", "is_workday"):
        overrides.setdefault(date, {})[region_id] = workday
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        marks = overrides.get(day)
        work = next((marks[c] for c in chain if marks and c in marks), None) if marks else None
        if work is None:
            work = _national_workday(day)
        if work:
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date, region_code: str) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, region_code):
            count += 1
    return count
