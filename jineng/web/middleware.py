"""Pages: a domain error that escapes a view becomes the matching page (403/404/409/422), never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jineng.common.errors import DomainError
from jineng.common.rest.errors import domain_error_response


class DomainErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if request.path.startswith("/api/"):
            return domain_error_response(exception)
        template = "web/404.html" if exception.status == 404 else "web/error.html"
        return render(request, template, {"error": exception}, status=exception.status)


class ChosenLanguageMiddleware:
    """zh-Hans unless the user chose English with the switch (the language cookie), or an API caller with ``?lang=``
    (``jineng.common.i18n.request_language``). Unlike Django's LocaleMiddleware, the browser's Accept-Language is not
    consulted: officials get the Chinese UI by default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        from jineng.common.i18n import request_language

        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
