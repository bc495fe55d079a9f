"""Region scope of the learning app's records: a learner account is seen by the officials of its class's region,
by the class's provider and by the learner (accounts.api.visible). Credentials and statements are the platform's
own and are read only through the platform's pages and the /xapi/ endpoint."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.learning import models as m

    register_scope(
        m.LearnerAccount, ScopeSpec(region="region_id", organization="provider_organization_id", person="person_id")
    )
