"""分页 — the one page helper of every list page: ``?page=`` → a Django page of ``per_page`` rows.

A page number that is not a number gives the first page, one past the end the last (Django's ``get_page``).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50
"""Rows on a list page unless the page asks for another size."""


def page(request: HttpRequest, qs: Any, per_page: int = PER_PAGE) -> Page[Any]:
    """The page of ``qs`` the request asks for (``?page=``)."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))
