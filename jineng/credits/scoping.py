"""Region scope of the credit bank's tables (jineng.accounts.scope): an entry is attributed to the region of its
source record, a recognition to the recognizing region, a conversion to the region that granted it; each reaches
the person it belongs to. Rule sets are published policy without personal data."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.credits import models as m

    register_scope(m.CreditEntry, ScopeSpec(region="region_id", person="person_id"))
    register_scope(m.Recognition, ScopeSpec(region="region_id", person="person_id"))
    register_scope(m.Conversion, ScopeSpec(region="region_id", person="person_id"))
    register_scope(m.TranscriptImport, ScopeSpec(region="region_id", person="person_id"))
    register_scope(m.CreditRuleSet, ScopeSpec(region="region_id", public=True))
