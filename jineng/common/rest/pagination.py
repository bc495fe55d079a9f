"""List pagination for every API list: ``?page=&page_size=`` → ``{"count", "page", "page_size", "items"}``.

One bounded paging input (``Paging``) for every list, one helper that slices (``page_items``) and one output schema
factory (``page_of``). ``page`` is bounded so that the offset stays far inside a 64-bit integer (a huge page used to
reach the database as an overflowing OFFSET — a 500); a page past the end is simply empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase

PAGE_MAX = 100_000
"""The highest page number accepted (页码上限); larger answers 422."""

PAGE_SIZE_MAX = 500
"""The largest page size accepted (每页条数上限); the ``JINENG_API_PAGE_SIZE_MAX`` setting may lower it."""


class Paging(Schema):
    """分页参数 — the page (1..PAGE_MAX) and the page size (1..PAGE_SIZE_MAX)."""

    page: int = Field(1, ge=1, le=PAGE_MAX)
    page_size: int = Field(50, ge=1, le=PAGE_SIZE_MAX)


def page_size_of(paging: Paging | None) -> int:
    size = paging.page_size if paging else 50
    return max(1, min(size, PAGE_SIZE_MAX, settings.JINENG_API_PAGE_SIZE_MAX))


def page_slice(paging: Paging | None) -> tuple[int, int, int]:
    """``(page, size, offset)`` for a paging input (``None`` is the first page)."""
    page = paging.page if paging else 1
    size = page_size_of(paging)
    return page, size, (page - 1) * size


def page_items(
    qs: Any,
    paging: Paging | None,
    present: Callable[[Any], Any] | None = None,
    *,
    present_rows: Callable[[list[Any]], list[Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One page of a queryset or a list, each item passed through ``present`` (or the whole page through
    ``present_rows``, for a presenter that looks up something for all rows at once): ``{count, page, page_size,
    items}``."""
    page, size, offset = page_slice(paging)
    count = len(qs) if isinstance(qs, Sequence) else qs.count()
    rows = list(qs[offset : offset + size]) if offset < count else []
    if present_rows:
        items = present_rows(rows)
    else:
        items = [present(obj) for obj in rows] if present else rows
    return {"count": count, "page": page, "page_size": size, **extra, "items": items}


def page_of(item: type[Schema]) -> type[Schema]:
    """The ``{count, page, page_size, items}`` schema of a list of ``item``."""
    annotations = {"count": int, "page": int, "page_size": int, "items": list[item]}  # type: ignore[valid-type]
    return type(f"{item.__name__}Page", (Schema,), {"__annotations__": annotations})


class PageNumber(PaginationBase):
    """django-ninja's ``@paginate`` with the same bounded input and output."""

    class Input(Paging):
        pass

    class Output(Schema):
        count: int
        page: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any = None, **params: Any) -> dict[str, Any]:
        page, size, offset = page_slice(pagination)
        count = self._items_count(queryset)
        return {
            "count": count,
            "page": page,
            "page_size": size,
            "items": queryset[offset : offset + size] if offset < count else [],
        }
