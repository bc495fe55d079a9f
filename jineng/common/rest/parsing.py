"""Request parsing for the API (请求解析): a JSON body must be an object, and no text anywhere in a body, a query
string or a form may hold a lone surrogate or a NUL character.

Why here: a lone surrogate (``"\\ud800"``) decodes from JSON into a Python string that cannot be encoded to UTF-8, and
PostgreSQL refuses NUL in text — either used to end as a 500 deep inside a save or a query. A body that is valid JSON
but not an object (``[null]``, ``true``) used to be taken as an empty object, so ``persons/search`` answered with
everything in scope. Both are refused once, at the edge, with a 422 in the one error format.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja.parser import Parser

from jineng.common.errors import FieldError, ValidationFailed

MAX_DEPTH = 32
"""How deep a JSON body may nest (嵌套层数上限); no input schema needs more than a few levels."""


def _bad_text(value: str) -> str | None:
    """The reason a text is refused, or ``None`` when it is acceptable."""
    if "\x00" in value:
        return "nul"
    for ch in value:
        if "\ud800" <= ch <= "\udfff":
            return "surrogate"
    return None


_MESSAGES = {
    "nul": ("nul_character", _("不能包含空字符（NUL）。")),
    "surrogate": ("bad_unicode", _("包含无效的 Unicode 字符（孤立代理项）。")),
}


def _refuse(field: str, reason: str) -> ValidationFailed:
    code, message = _MESSAGES[reason]
    return ValidationFailed(
        gettext("提交的数据有误，请检查标注的字段。"), [FieldError(field or "body", code, str(message))]
    )


def check_json_value(value: Any, path: str = "", depth: int = 0) -> None:
    """Walk a decoded JSON value; raise ``ValidationFailed`` naming the first bad string (key or value)."""
    if depth > MAX_DEPTH:
        raise ValidationFailed(
            gettext("提交的数据有误，请检查标注的字段。"),
            [FieldError(path or "body", "too_deep", gettext("嵌套层数过多。"))],
        )
    if isinstance(value, str):
        reason = _bad_text(value)
        if reason:
            raise _refuse(path, reason)
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            reason = _bad_text(key)
            if reason:
                raise _refuse(path or "body", reason)
            check_json_value(item, child, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json_value(item, f"{path}.{index}" if path else str(index), depth + 1)


def first_bad_text(value: Any, path: str = "", depth: int = 0) -> tuple[str, str] | None:
    """The first text (key or value) in a decoded JSON value or a query's values that PostgreSQL or UTF-8 would refuse:
    ``(path, "nul" | "surrogate")``, or ``None``. For endpoints outside ninja (the xAPI LRS) that answer in their own
    error format; deeper than ``MAX_DEPTH`` is not walked (those endpoints bound nesting themselves)."""
    if isinstance(value, str):
        reason = _bad_text(value)
        return (path, reason) if reason else None
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            reason = _bad_text(str(key))
            if reason:
                return (path or "body", reason)
            found = first_bad_text(item, child, depth + 1)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = first_bad_text(item, f"{path}.{index}" if path else str(index), depth + 1)
            if found:
                return found
    return None


class NotAnObject(ValidationFailed):
    def __init__(self) -> None:
        super().__init__(
            gettext("请求体须为 JSON 对象。"),
            [
                FieldError(
                    "body", "not_an_object", gettext("请求体须为 JSON 对象（{...}），不能是数组、数值、字符串或 null。")
                )
            ],
        )


class StrictParser(Parser):
    """django-ninja's parser with the checks above; every error is a ``ValidationFailed`` (422)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)  # ValueError (bad JSON, bad UTF-8) → 422 bad_json in the error mapping
        if not isinstance(data, dict):
            raise NotAnObject()
        check_json_value(data)
        return data

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest) -> Any:
        for key, values in data.lists():
            for value in values:
                if isinstance(value, str):
                    reason = _bad_text(key) or _bad_text(value)
                    if reason:
                        raise _refuse(key, reason)
        return super().parse_querydict(data, list_fields, request)
