"""Validation and permission helpers shared by the services of this app (``services/*``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from jineng.accounts.api import require
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, PermissionDenied, ValidationFailed, invalid
from jineng.refdata.api import (
    Occupation,
    Region,
    SkillLevel,
    Tag,
    level_validate,
    occupation_validate,
    tag_validate,
)

CATALOG_PERMISSIONS = ("catalog.review", "catalog.approve")


def reason_required(reason: str, message: str) -> None:
    """A decision that must say why: a blank ``reason`` is a 422 on the field ``reason`` with ``message``."""
    if not (reason or "").strip():
        raise invalid(message=message, field="reason", code="required")


def change_save(
    locked: Any,
    event: Any,
    values: Mapping[str, Any],
    *,
    actor: Any,
    after: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
    reason: str = "",
) -> None:
    """Write ``values`` onto a row the caller locked (select_for_update), save those columns and record ``event``
    (``after``: what changed, by default ``values``) — in the caller's transaction."""
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*values, "updated_at"])
    audit_event(
        event,
        actor=actor,
        object_id=locked.pk,
        region_code=locked.region_id,
        before=before,
        after=values if after is None else after,
        reason=reason,
    )


def status_set(locked: Any, status: str, event: Any, *, actor: Any, reason: str = "", **values: Any) -> None:
    """Move a locked row to ``status`` (with the other ``values`` the step sets) and record ``event`` with the status
    before and after."""
    change_save(
        locked,
        event,
        {"status": status, **values},
        actor=actor,
        before={"status": locked.status},
        after={"status": status},
        reason=reason,
    )


def require_any(
    user: Any, permissions: Iterable[str], *, region_code: str | None = None, organization_id: Any = None
) -> None:
    """PermissionDenied unless one of ``permissions`` reaches the region or the organization."""
    for permission in permissions:
        try:
            require(user, permission, region_code=region_code, organization_id=organization_id)
            return
        except PermissionDenied:
            continue
    raise PermissionDenied()


def require_catalog(user: Any, region_code: str, field: str = "region") -> None:
    """An official who keeps the catalogs of the region: catalog.review (city) or catalog.approve (province).

    An unknown region code is a 422 on ``field`` (bad input), not a 404."""
    known_region(region_code, field)
    require_any(user, CATALOG_PERMISSIONS, region_code=region_code)


def known_region(region_code: str, field: str = "region") -> str:
    code = (region_code or "").strip()
    if not Region.objects.filter(code=code).exists():
        raise ValidationFailed(
            "行政区划代码不正确。", [FieldError(field, "unknown_region", f"行政区划代码不存在：{code!r}")]
        )
    return code


def require_org_or_catalog(user: Any, organization: Any) -> None:
    """The organization's own staff (org.edit) or an official keeping the catalogs over its region."""
    try:
        require(user, "org.edit", organization_id=organization.pk)
    except PermissionDenied:
        require_catalog(user, organization.region_id)


def occupation_or_error(code: str, field: str = "occupation") -> Occupation:
    """An occupation (职业 level) of the current edition; unknown codes are 422 ``unknown_occupation``."""
    return occupation_validate(code, field)


def level_or_none(code: str | None, field: str = "level") -> SkillLevel | None:
    code = (code or "").strip()
    return level_validate(code, field) if code else None


def tags_or_error(codes: Iterable[str], field: str = "industry_tags") -> list[Tag]:
    """Tags written ``taxonomy/code`` (``guangdong-clusters/automotive``)."""
    tags: list[Tag] = []
    for text in codes:
        text = (text or "").strip()
        if not text:
            continue
        taxonomy, _sep, code = text.partition("/")
        tags.append(tag_validate(taxonomy, code, field))
    return tags


def required_text(value: str, field: str, label: str, errors: list[FieldError], max_length: int = 0) -> str:
    value = (value or "").strip()
    if not value:
        errors.append(FieldError(field, "required", f"请填写{label}。"))
    elif max_length and len(value) > max_length:
        errors.append(FieldError(field, "too_long", f"{label}不能超过{max_length}个字符。"))
    return value


def choice(value: str, choices: Any, field: str, label: str, errors: list[FieldError], *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors.append(FieldError(field, "required", f"请选择{label}。"))
        return ""
    if value not in choices.values:
        errors.append(FieldError(field, "bad_choice", f"{label}不正确：{value!r}"))
    return value


def raise_if(errors: list[FieldError], message: str) -> None:
    if errors:
        raise ValidationFailed(message, errors)


def check_period(valid_from: dt.date | None, valid_until: dt.date | None, errors: list[FieldError]) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        errors.append(FieldError("valid_until", "bad_period", "有效期截止日期不能早于起始日期。"))
