"""Region scope of complaints (jineng.accounts.scope): a complaint belongs to the region that owns its object."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.complaints import models as m

    register_scope(m.Complaint, ScopeSpec(region="region_id"))
    register_scope(m.ComplaintStep, ScopeSpec(region="complaint__region_id"))
