"""The one error mapping: every API error is ``{"code", "message", "fields": [...]}``, message in Chinese."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from jineng.common.errors import DomainError
from jineng.common.masking import scrub_text

log = logging.getLogger("jineng.api")


def error_body(code: str, message: str, fields: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message, "fields": fields or []}
    body.update(extra)
    return body


def error_response(
    status: int, code: str, message: str, fields: list[dict[str, Any]] | None = None, **extra: Any
) -> JsonResponse:
    return JsonResponse(
        error_body(code, message, fields, **extra), status=status, json_dumps_params={"ensure_ascii": False}
    )


def domain_error_response(exc: DomainError) -> JsonResponse:
    return error_response(exc.status, exc.code, str(exc.message), [f.as_dict() for f in exc.fields], **exc.extra)


_PYDANTIC_CODES = {
    "missing": ("required", "此项为必填项。"),
    "string_too_long": ("too_long", "内容过长。"),
    "string_too_short": ("too_short", "内容过短。"),
    "int_parsing": ("not_integer", "须为整数。"),
    "uuid_parsing": ("bad_id", "编号格式不正确。"),
    "date_from_datetime_parsing": ("bad_date", "日期格式不正确（YYYY-MM-DD）。"),
    "date_parsing": ("bad_date", "日期格式不正确（YYYY-MM-DD）。"),
    "datetime_parsing": ("bad_datetime", "时间格式不正确（ISO 8601）。"),
    "greater_than_equal": ("too_small", "数值过小。"),
    "less_than_equal": ("too_large", "数值过大。"),
    "json_invalid": ("bad_json", "请求体不是有效的 JSON。"),
    "literal_error": ("bad_choice", "取值不在允许范围内。"),
    "enum": ("bad_choice", "取值不在允许范围内。"),
}


def validation_error_response(errors: list[dict[str, Any]]) -> JsonResponse:
    """Map ninja/pydantic validation errors to field errors with stable codes and Chinese messages."""
    fields = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "form", "file")]
        code, message = _PYDANTIC_CODES.get(str(err.get("type")), ("invalid", "取值不正确。"))
        detail = scrub_text(str(err.get("msg", "")))
        fields.append(
            {"field": ".".join(loc) or "body", "code": code, "message": f"{message}（{detail}）" if detail else message}
        )
    return error_response(422, "validation_failed", "提交的数据有误，请检查标注的字段。", fields)


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(404, "not_found", "请求的接口或记录不存在。")


def api_server_error(request: HttpRequest) -> HttpResponse:
    return error_response(500, "server_error", "服务器内部错误，已记录，请稍后重试。")
