"""Region scope of every model of this app (jineng.accounts.scope): each is attributed to its organization's
registered region (ADR 0004) or, for catalog rows and pool roles, to the region they are listed in."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.providers import models as m

    register_scope(m.OrganizationProfile, ScopeSpec(region="organization__region_id", organization="organization_id"))
    register_scope(
        m.LicenceItem, ScopeSpec(region="profile__organization__region_id", organization="profile__organization_id")
    )
    register_scope(m.OrganizationAdmin, ScopeSpec(region="organization__region_id", organization="organization_id"))
    register_scope(m.ProviderApplication, ScopeSpec(region="region_id", organization="profile__organization_id"))
    register_scope(
        m.ApplicationScope,
        ScopeSpec(region="application__region_id", organization="application__profile__organization_id"),
    )
    register_scope(m.ProviderListing, ScopeSpec(region="region_id", organization="profile__organization_id"))
    register_scope(
        m.ListingScope, ScopeSpec(region="listing__region_id", organization="listing__profile__organization_id")
    )
    register_scope(
        m.ListingEvent, ScopeSpec(region="listing__region_id", organization="listing__profile__organization_id")
    )
    register_scope(m.Program, ScopeSpec(region="region_id"))
    register_scope(m.DigitalResource, ScopeSpec(region="region_id", organization="platform__organization_id"))
    register_scope(m.CatalogListing, ScopeSpec(region="region_id"))
    register_scope(m.PoolRole, ScopeSpec(region="region_id", organization="organization_id"))
    register_scope(m.PoolQualification, ScopeSpec(region="role__region_id", organization="role__organization_id"))
    register_scope(m.PoolAffiliation, ScopeSpec(region="role__region_id", organization="profile__organization_id"))
    register_scope(m.TrainingBase, ScopeSpec(region="region_id", organization="host__organization_id"))
    # A brand catalogue and the standards and textbooks published are public notices without personal data: every
    # signed-in official reads them (a county's officials see their province's brands); writes need catalog.approve.
    register_scope(m.TrainingBrand, ScopeSpec(region="region_id", public=True))
    register_scope(m.StandardWork, ScopeSpec(region="region_id", public=True))
