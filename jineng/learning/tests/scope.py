"""Scope cases of the learning app's pages, registered into tests/scope_cases.py by ``register_learning_cases``: a
learner account is attributed to its class's county (made directly through the ORM on a probe enrollment)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

WRITE = "POST action: the platform is looked up among the user's own platforms and those of the official's region"


def _account(region: str) -> Any:
    from jineng.accounts.models import Organization
    from jineng.learning.models import LearnerAccount
    from jineng.training.tests.scope import _enrollment

    enrollment = _enrollment(region)
    platform = Organization.objects.get(pk=enrollment.organization_id)
    return LearnerAccount.objects.create(
        organization=platform, home_page="https://probe.invalid/", name=f"probe-{uuid4().hex[:10]}",
        enrollment_id=enrollment.pk, training_class_id=enrollment.training_class_id,
        class_code=enrollment.training_class.code, person_name_masked="探*", person_id=enrollment.person_id,
        region_id=region, provider_organization_id=enrollment.organization_id,
    )  # fmt: skip


def register_learning_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    view = "records.view"
    register("learning:home", case("list", _account, lambda o: "/learning/", view, lambda o: o.name))
    register("learning:account", case("detail", _account, lambda o: f"/learning/accounts/{o.pk}/", view))
    for name in ("learning:credential_create", "learning:credential_rotate", "learning:credential_revoke",
                 "learning:sync"):  # fmt: skip
        register(name, exempt(WRITE))
    register(
        "learning:resources",
        exempt(
            "the digital resources listed in the catalog (在目录, not retired): the "
            "catalog is public; no personal data (a learner sees only their own rating)"
        ),
    )
    register("learning:resource_rate", exempt("POST action: a learner rates a listed resource as themself"))
