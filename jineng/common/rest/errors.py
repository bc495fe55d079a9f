"""The one error mapping: every API error is ``{"code", "message", "fields": [...]}``, its messages in the caller's
language (Chinese by default; English with the language cookie or ``?lang=en``, ``jineng.common.i18n``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from jineng.common.errors import DomainError
from jineng.common.masking import scrub_text
from jineng.common.rest.parsing import StrictParser

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a message may be a lazy translation, made str in the answer

log = logging.getLogger("jineng.api")


def error_body(
    code: str, message: StrOrPromise, fields: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    # str(): a lazy translation is put in the language active now, the request's.
    body: dict[str, Any] = {"code": code, "message": str(message), "fields": fields or []}
    body.update(extra)
    return body


def error_response(
    status: int, code: str, message: StrOrPromise, fields: list[dict[str, Any]] | None = None, **extra: Any
) -> JsonResponse:
    return JsonResponse(
        error_body(code, message, fields, **extra), status=status, json_dumps_params={"ensure_ascii": False}
    )


def domain_error_response(exc: DomainError) -> JsonResponse:
    return error_response(exc.status, exc.code, str(exc.message), [f.as_dict() for f in exc.fields], **exc.extra)


_PYDANTIC_CODES = {
    "missing": ("required", _("此项为必填项。")),
    "string_too_long": ("too_long", _("内容过长。")),
    "string_too_short": ("too_short", _("内容过短。")),
    "int_parsing": ("not_integer", _("须为整数。")),
    "int_type": ("not_integer", _("须为整数。")),
    "uuid_parsing": ("bad_id", _("编号格式不正确。")),
    "date_from_datetime_parsing": ("bad_date", _("日期格式不正确（YYYY-MM-DD）。")),
    "date_parsing": ("bad_date", _("日期格式不正确（YYYY-MM-DD）。")),
    "datetime_parsing": ("bad_datetime", _("时间格式不正确（ISO 8601）。")),
    "greater_than_equal": ("too_small", _("数值过小。")),
    "less_than_equal": ("too_large", _("数值过大。")),
    "json_invalid": ("bad_json", _("请求体不是有效的 JSON。")),
    "literal_error": ("bad_choice", _("取值不在允许范围内。")),
    "enum": ("bad_choice", _("取值不在允许范围内。")),
    "date_out_of_range": ("out_of_range", _("日期须在 1900-01-01 至 2100-12-31 之间。")),
    "out_of_range": ("out_of_range", _("超出允许范围。")),
}


VALIDATION_FAILED = _("提交的数据有误，请检查标注的字段。")
"""The message of every 422 naming fields."""

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
        code, message = _PYDANTIC_CODES.get(str(err.get("type")), ("invalid", _("取值不正确。")))
        detail = scrub_text(str(err.get("msg", "")))
        # pydantic's own words (English) follow in brackets: they say which bound, which format.
        text = gettext("%(message)s（%(detail)s）") % {"message": message, "detail": detail} if detail else str(message)
        fields.append({"field": ".".join(loc) or "body", "code": code, "message": text})
    return error_response(422, "validation_failed", VALIDATION_FAILED, fields)


_HTTP_ERRORS = {
    400: ("bad_request", _("请求格式不正确。")),
    401: ("not_authenticated", _("请先登录或提供有效的访问令牌。")),
    403: ("permission_denied", _("您没有执行此操作的权限。")),
    404: ("not_found", _("请求的接口或记录不存在。")),
    405: ("method_not_allowed", _("不支持该请求方法。")),
    413: ("request_too_large", _("请求体过大。")),
    429: ("too_many_requests", _("请求过于频繁，请稍后再试。")),
}


def http_error_response(status: int, detail: str = "", cause: BaseException | None = None) -> JsonResponse:
    """Map a framework HTTP error (django-ninja's ``HttpError``) to the one format, message in the caller's language.

    A body that is not JSON is a validation failure of the body (422 with a field error), like a missing field.
    """
    if status == 400 and isinstance(cause, DomainError):  # the strict parser's refusals (parsing.py)
        return domain_error_response(cause)
    if status == 400 and isinstance(cause, RequestDataTooBig):  # a body without Content-Length, read too far
        return error_response(413, "request_too_large", _("请求体过大。"))
    if status == 400 and isinstance(cause, ValueError):  # JSONDecodeError and UnicodeDecodeError
        return error_response(
            422,
            "validation_failed",
            VALIDATION_FAILED,
            [{"field": "body", "code": "bad_json", "message": gettext("请求体不是有效的 JSON。")}],
        )
    if status == 403 and "csrf" in detail.lower():
        return error_response(403, "csrf_failed", _("CSRF 校验失败，请刷新页面后重试。"))
    code, message = _HTTP_ERRORS.get(status, ("http_error", _("请求失败。")))
    return error_response(status, code, message)


SERVER_ERROR = _("服务器内部错误，已记录，请稍后重试。")
NOT_FOUND_IN_SCOPE = _("记录不存在或不在您的权限范围内。")


def bad_multipart_response() -> JsonResponse:
    """A form upload whose body is not multipart as its Content-Type says (no boundary, cut short …)."""
    return error_response(
        400,
        "bad_request",
        _("请求格式不正确。"),
        [
            {
                "field": "body",
                "code": "bad_multipart",
                "message": gettext("上传的表单格式不正确（multipart/form-data）。"),
            }
        ],
    )


def value_out_of_range_response() -> JsonResponse:
    """The database refused a value its column cannot hold that a schema bound let through: the caller's input."""
    return error_response(
        422,
        "value_out_of_range",
        _("提交的数据超出允许的长度或范围，请检查后重试。"),
        [{"field": "body", "code": "value_out_of_range", "message": gettext("某个字段的内容过长或数值超出范围。")}],
    )


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "description": "The one error format of the API. 错误格式：code（稳定的英文代码）、message（说明：默认中文，"
    "?lang=en 或语言 Cookie 为英文）、fields（逐字段错误）。Messages are Chinese by default, English with ?lang=en.",
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
    return error_response(404, "not_found", _("请求的接口或记录不存在。"))


def api_server_error(request: HttpRequest) -> HttpResponse:
    return error_response(500, "server_error", SERVER_ERROR)


class JinengAPI(NinjaAPI):
    """django-ninja's API whose OpenAPI document also declares the one error format, with the strict parser."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parser", StrictParser())
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        return add_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
