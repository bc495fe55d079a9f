"""The language of a request (请求语言): zh-Hans unless the caller chose English.

One choice for pages and the API alike: the language cookie the platform's switch sets (``LANGUAGE_COOKIE_NAME``);
under ``/api/`` a ``?lang=`` query parameter (``en``, ``zh-hans``; ``zh``, ``zh-CN``, ``en-US`` … are read as those)
wins over the cookie, since a caller with a token has no cookie. The browser's Accept-Language is not consulted:
officials get Chinese by default. An unknown value is ignored, never an error.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

LANG_PARAM = "lang"
"""The API's query parameter choosing the language of its messages."""


def supported_language(value: str) -> str | None:
    """The language of ``LANGUAGES`` a caller's value names (``en``, ``en-US``, ``zh``, ``zh-Hans``, ``zh_CN`` …),
    or ``None``."""
    value = (value or "")[:16].strip().lower().replace("_", "-")
    if not value:
        return None
    codes = [code for code, _ in settings.LANGUAGES]
    if value in codes:
        return value
    base = value.split("-", 1)[0]
    for code in codes:
        if code.split("-", 1)[0] == base:
            return code
    return None


def request_language(request: HttpRequest) -> str:
    """The language to answer ``request`` in (see the module's docstring)."""
    if request.path.startswith("/api/"):
        try:
            asked = supported_language(str(request.GET.get(LANG_PARAM, "")))
        except SuspiciousOperation:  # too many fields: refused later by whoever reads them, in the default language
            asked = None
        if asked:
            return asked
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
