"""Kernel middleware: request context for audit and logs; body size limit answered before the body is read; the API's
error format; query strings of pages without NUL."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jineng.common.i18n import request_language
from jineng.common.request_context import RequestInfo, reset_request_info, set_request_info

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def client_address(request: HttpRequest) -> str:
    """The client's address for the audit trail, logs and rate limits.

    Behind a reverse proxy listed in ``JINENG_TRUSTED_PROXIES`` the address is the right-most entry of
    X-Forwarded-For that is not itself a trusted proxy; a header from anyone else is ignored (it can be forged).
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = set(getattr(settings, "JINENG_TRUSTED_PROXIES", []))
    if remote not in trusted:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        # A caller's id is kept only when it is a plain token: it goes into a response header and the logs.
        request_id = offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # read by the log filter after we leave
        token = set_request_info(
            RequestInfo(
                request_id=request_id,
                address=client_address(request),
                user_agent=request.headers.get("User-Agent", "")[:200],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Request-ID"] = request_id
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than the limit from its Content-Length, before reading it.

    Multipart uploads get ``JINENG_MAX_UPLOAD_BYTES``; other bodies ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = str(request.META.get("CONTENT_TYPE", "")).startswith("multipart/")
        limit = settings.JINENG_MAX_UPLOAD_BYTES if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            # Answered before the language middleware runs: in the caller's language all the same.
            with translation.override(request_language(request)):
                message = gettext("请求体过大：%(length)s 字节，上限 %(limit)s 字节。") % {
                    "length": length,
                    "limit": limit,
                }
            return JsonResponse(
                {"code": "request_too_large", "message": message, "fields": []},
                status=413,
                json_dumps_params={"ensure_ascii": False},
            )
        return self.get_response(request)


class ApiErrorFormatMiddleware:
    """Under /api/, any error answer that is not already JSON (Django's 405, 404, 400, 500 pages) becomes the one
    JSON error format ``{"code", "message", "fields"}``; a path holding a NUL character is refused (422) before any
    view sees it; and every answer not already marked cacheable says ``Cache-Control: no-store`` — API answers carry
    personal data (the reveal above all) and no shared or browser cache may keep them."""

    MESSAGES = {
        400: ("bad_request", _("请求格式不正确。")),
        403: ("permission_denied", _("您没有执行此操作的权限（或 CSRF 校验失败）。")),
        404: ("not_found", _("请求的接口或记录不存在。")),
        405: ("method_not_allowed", _("不支持该请求方法。")),
        413: ("request_too_large", _("请求体过大。")),
        500: ("server_error", _("服务器内部错误，已记录，请稍后重试。")),
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    MAX_URL = 4096
    """An API URL (path and query string) longer than this is refused with 414 in the one format, here rather than
    by the HTTP server in HTML; gunicorn's own limit (``--limit-request-line``) must be above it."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        # This runs outside the language middleware: its own answers are put in the caller's language here.
        with translation.override(request_language(request)):
            return self._api(request)

    def _api(self, request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > self.MAX_URL:
            too_long: HttpResponse = JsonResponse(
                {"code": "uri_too_long", "message": gettext("请求地址过长。"), "fields": []},
                status=414,
                json_dumps_params={"ensure_ascii": False},
            )
            too_long["Cache-Control"] = "no-store"
            return too_long
        if "\x00" in request.path:
            response: HttpResponse = JsonResponse(
                {
                    "code": "validation_failed",
                    "message": gettext("提交的数据有误，请检查标注的字段。"),
                    "fields": [
                        {"field": "path", "code": "nul_character", "message": gettext("不能包含空字符（NUL）。")}
                    ],
                },
                status=422,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Cache-Control"] = "no-store"
            return response
        response = self._format(request, self.get_response(request))
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response

    def _format(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not str(response.get("Content-Type", "")).startswith("application/json")
        ):
            code, message = self.MESSAGES.get(response.status_code, ("http_error", _("请求失败。")))
            replacement = JsonResponse(
                {"code": code, "message": str(message), "fields": []},
                status=response.status_code,
                json_dumps_params={"ensure_ascii": False},
            )
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


def _clean_text(value: str) -> str:
    """A query value without NUL and lone surrogates (PostgreSQL refuses the one, UTF-8 cannot encode the other)."""
    if "\x00" not in value and not any("\ud800" <= ch <= "\udfff" for ch in value):
        return value
    return "".join(ch for ch in value if ch != "\x00" and not ("\ud800" <= ch <= "\udfff"))


class QueryTextMiddleware:
    """Pages: every query-string parameter (``?q=``, ``?region=``, any list's filter) and every field of a plain form
    post is read without NUL characters and lone surrogates, once, here — a search for ``abc%00`` searches for
    ``abc``, and a reason typed with a NUL is saved without it, instead of ending as a 500 where PostgreSQL refuses
    the text (views that read ``request.GET``/``request.POST`` by hand included). The API refuses such text with a 422
    instead (``jineng.common.rest.parsing``). Multipart posts (uploads) are left to their forms, whose text fields
    refuse NUL themselves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            cleaned = self._cleaned(request, "GET")
            if cleaned is not None:
                request.GET = cleaned
            if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
                cleaned = self._cleaned(request, "POST")
                if cleaned is not None:
                    request.POST = cleaned
        return self.get_response(request)

    @staticmethod
    def _cleaned(request: HttpRequest, which: str) -> Any:
        """A copy of ``request.GET`` or ``request.POST`` without the bad characters, or ``None`` when it has none."""
        try:
            data = getattr(request, which)
        except (SuspiciousOperation, OSError):  # too many fields, a body too big, a broken stream: refused later
            return None
        if not any(_clean_text(k) != k or any(_clean_text(v) != v for v in vs) for k, vs in data.lists()):
            return None
        pairs = [(_clean_text(k), _clean_text(v)) for k, vs in data.lists() for v in vs]
        return QueryDict(urlencode(pairs), encoding=request.encoding)
