"""Scope cases of complaints' URLs, registered into tests/scope_cases.py by ``register_complaint_cases``: a complaint
attributed to a region shows in the lists and details of the officials over it only (``complaints.handle``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _complaint(region: str) -> Any:
    from jineng.complaints.models import Complaint

    n = uuid4().hex[:10]
    return Complaint.objects.create(
        number=f"TSP{n}", code_hash=uuid4().hex, region_id=region, object_kind="other", object_name=f"探针对象{n}",
        category="other", content="探针", received_on=dt.date(2026, 5, 1), ack_due=dt.date(2026, 5, 8),
        answer_due=dt.date(2026, 5, 29),
    )  # fmt: skip


def register_complaint_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    handle = "complaints.handle"
    register("complaints:list", case("list", _complaint, lambda o: "/complaints/", handle, lambda o: o.number))
    register("complaints:detail", case("detail", _complaint, lambda o: f"/complaints/{o.pk}/", handle))
    register("complaints:reveal", exempt("POST only; get_visible on complaints.handle, then the region (tested)"))
    register("complaints:action", exempt("POST only; get_visible on complaints.handle, then the region (tested)"))
    register("api:complaint_list", case("list", _complaint, lambda o: "/api/v1/complaints?page_size=500", handle,
                                        lambda o: o.number))  # fmt: skip
    register("api:complaint_detail", case("detail", _complaint, lambda o: f"/api/v1/complaints/{o.pk}", handle))
    for name in ("api:complaint_note", "api:complaint_action", "api:complaint_reveal", "api:complaint_task"):
        register(name, exempt("POST only; get_visible on complaints.handle, then the region (tested)"))
    public = "public: the form and suggestions (public names), the status by code shows no record of anyone (tested)"
    for name in (
        "complaints_public:new",
        "complaints_public:status",
        "complaints_public:reopen",
        "complaints_public:objects",
        "complaints_public:regions",
        "api:public_complaint_status",
        "api:public_complaint_reopen",
    ):
        register(name, exempt(public))
