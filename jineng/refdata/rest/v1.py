"""Public reference-data API (信息公开): no login needed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jineng.refdata.models import Region
from jineng.refdata.regions import region_get

public_router = Router(auth=None, tags=["public 公开"])


class RegionRef(Schema):
    code: str
    name: str
    level: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: RegionRef | None
    valid_from: int | None
    valid_to: int | None
    successors: list[str]
    children: list[RegionRef]


@public_router.get("/regions/{code}", response=RegionOut, summary="行政区划 A region with its children")
def region_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    region = region_get(code)
    parent = region.parent
    children = Region.objects.filter(parent=region, valid_to__isnull=True).order_by("code")
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": {"code": parent.code, "name": parent.name, "level": parent.level} if parent else None,
        "valid_from": region.valid_from,
        "valid_to": region.valid_to,
        "successors": region.successors,
        "children": [{"code": c.code, "name": c.name, "level": c.level} for c in children],
    }
