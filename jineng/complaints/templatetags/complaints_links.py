"""The complaints a supervision case came from or was linked to, for the case page (``{% case_complaints case %}``
in supervision/case.html): supervision does not read complaints (the layers), the page asks this tag.

A reader who handles complaints over the complaint's region (``complaints.handle``) sees its number with a link to
it; anyone else who sees the case (an inspector) sees the number masked (``TS2026****02``) and no link — the kind
of problem, the status and the date only. Never the complainant or the text."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from jineng.accounts.api import can
from jineng.complaints.models import Complaint
from jineng.complaints.selectors import HANDLE

register = template.Library()


def mask_number(number: str) -> str:
    """TS2026000002 → TS2026****02."""
    return f"{number[:6]}****{number[-2:]}" if len(number) > 8 else "****"


@register.inclusion_tag("complaints/_case_complaints.html", takes_context=True)
def case_complaints(context: dict[str, Any], case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = []
    for c in Complaint.objects.filter(case_ref=case.number).order_by("received_on", "number")[:20]:
        handles = user is not None and can(user, HANDLE, region_code=c.region_id)
        rows.append({
            "number": c.number if handles else mask_number(c.number),
            "url": reverse("complaints:detail", kwargs={"complaint_id": c.pk}) if handles else "",
            "category": c.get_category_display(), "status": c.get_status_display(), "received_on": c.received_on,
        })  # fmt: skip
    return {"rows": rows}
