"""The one error mapping: every API error is ``{"code", "message", "fields": [...]}``, message in Chinese."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI

from jineng.common.errors import DomainError
from jineng.common.masking import scrub_text
from jineng.common.rest.parsing import StrictParser

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
    "int_type": ("not_integer", "须为整数。"),
    "uuid_parsing": ("bad_id", "编号格式不正确。"),
    "date_from_datetime_parsing": ("bad_date", "日期格式不正确（YYYY-MM-DD）。"),
    "date_parsing": ("bad_date", "日期格式不正确（YYYY-MM-DD）。"),
    "datetime_parsing": ("bad_datetime", "时间格式不正确（ISO 8601）。"),
    "greater_than_equal": ("too_small", "数值过小。"),
    "less_than_equal": ("too_large", "数值过大。"),
    "json_invalid": ("bad_json", "请求体不是有效的 JSON。"),
    "literal_error": ("bad_choice", "取值不在允许范围内。"),
    "enum": ("bad_choice", "取值不在允许范围内。"),
    "date_out_of_range": ("out_of_range", "日期须在 1900-01-01 至 2100-12-31 之间。"),
    "out_of_range": ("out_of_range", "超出允许范围。"),
}


_SOURCES = ("body", "query", "path", "form", "file", "header", "cookie")


def validation_error_response(errors: list[dict[str, Any]]) -> JsonResponse:
    """Map ninja/pydantic validation errors to field errors with stable codes and Chinese messages."""
    fields = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", [])]
        # ninja's locations start with the source ("body", "query", "file" …) and, for a JSON body, the name of
        # the view's schema argument ("payload" by convention); the field is what follows.
        if loc and loc[0] in _SOURCES:
            loc = loc[1:]
        if len(loc) > 1 and loc[0] == "payload":
            loc = loc[1:]
        code, message = _PYDANTIC_CODES.get(str(err.get("type")), ("invalid", "取值不正确。"))
        detail = scrub_text(str(err.get("msg", "")))
        fields.append(
            {"field": ".".join(loc) or "body", "code": code, "message": f"{message}（{detail}）" if detail else message}
        )
    return error_response(422, "validation_failed", "提交的数据有误，请检查标注的字段。", fields)


_HTTP_ERRORS = {
    400: ("bad_request", "请求格式不正确。"),
    401: ("not_authenticated", "请先登录或提供有效的访问令牌。"),
    403: ("permission_denied", "您没有执行此操作的权限。"),
    404: ("not_found", "请求的接口或记录不存在。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
    413: ("request_too_large", "请求体过大。"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试。"),
}


def http_error_response(status: int, detail: str = "", cause: BaseException | None = None) -> JsonResponse:
    """Map a framework HTTP error (django-ninja's ``HttpError``) to the one format, message in Chinese.

    A body that is not JSON is a validation failure of the body (422 with a field error), like a missing field.
    """
    if status == 400 and isinstance(cause, DomainError):  # the strict parser's refusals (parsing.py)
        return domain_error_response(cause)
    if status == 400 and isinstance(cause, RequestDataTooBig):  # a body without Content-Length, read too far
        return error_response(413, "request_too_large", "请求体过大。")
    if status == 400 and isinstance(cause, ValueError):  # JSONDecodeError and UnicodeDecodeError
        return error_response(
            422,
            "validation_failed",
            "提交的数据有误，请检查标注的字段。",
            [{"field": "body", "code": "bad_json", "message": "请求体不是有效的 JSON。"}],
        )
    if status == 403 and "csrf" in detail.lower():
        return error_response(403, "csrf_failed", "CSRF 校验失败，请刷新页面后重试。")
    code, message = _HTTP_ERRORS.get(status, ("http_error", "请求失败。"))
    return error_response(status, code, message)


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "description": "The one error format of the API. 错误格式：code（稳定的英文代码）、message（中文说明）、fields（逐字段错误）。",
    "type": "object",
    "required": ["code", "message", "fields"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "row": {"type": "integer"},
                },
            },
        },
    },
}


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the error format in an OpenAPI document: an ``Error`` component and a ``default`` response on every
    operation, so clients know every non-2xx answer has that shape."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_ref = {
        "description": "Error 错误",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("default", error_ref)
    return schema


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(404, "not_found", "请求的接口或记录不存在。")


def api_server_error(request: HttpRequest) -> HttpResponse:
    return error_response(500, "server_error", "服务器内部错误，已记录，请稍后重试。")


class JinengAPI(NinjaAPI):
    """django-ninja's API whose OpenAPI document also declares the one error format, with the strict parser."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parser", StrictParser())
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        return add_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
