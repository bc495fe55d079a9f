"""信息公开 — the 公示 list of subsidy claims being announced, no login. Names are masked (张*三)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from jineng.common.rest.pagination import Paging, page_items, page_of
from jineng.subsidies.rest import schemas as s
from jineng.subsidies.selectors import publicity_item, publicity_list

public_router = Router(auth=None, tags=["public 公开"])


@public_router.get("/publicity", response=page_of(s.PublicityItemOut), summary="补贴公示（公开）Claims being announced")
def public_publicity(request: HttpRequest, paging: Query[Paging], region: str = "") -> dict[str, Any]:
    return page_items(publicity_list(region=region.strip()), paging, publicity_item)
