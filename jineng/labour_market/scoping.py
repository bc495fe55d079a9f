"""Region scope of every model of this app (jineng.accounts.scope): each record counts for the region it names
(the vacancy's workplace, the seeker's registration office, the surveyed enterprise's region, the catalog's
region). Published catalogs and the wage levels are public through their own endpoints, never through these."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.labour_market import models as m

    register_scope(m.Vacancy, ScopeSpec(region="region_id"))
    register_scope(m.JobSeeker, ScopeSpec(region="region_id"))
    register_scope(m.WageRecord, ScopeSpec(region="region_id"))
    register_scope(m.ShortageCatalog, ScopeSpec(region="region_id"))
    register_scope(m.ShortageItem, ScopeSpec(region="catalog__region_id"))
