"""List pagination for every API list: ``?page=&page_size=`` → ``{"count", "page", "page_size", "items"}``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PageNumber(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=500)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any = None, **params: Any) -> dict[str, Any]:
        size = min(pagination.page_size, settings.JINENG_API_PAGE_SIZE_MAX)
        offset = (pagination.page - 1) * size
        return {
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": size,
            "items": queryset[offset : offset + size],
        }
