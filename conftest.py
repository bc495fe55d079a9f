"""Shared test fixtures: the reference data (region tree, occupations, plans …) is loaded once per test database;
helpers make users with grants."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# The real OpenID Connect provider (idp/, oidc-provider) as session fixtures: oidc_provider, oidc_provider_live.
pytest_plugins = ["jineng.accounts.tests.idp"]

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from jineng.refdata.loaders import load_all

    with django_db_blocker.unblock():
        load_all()  # every reference-data part: regions (current and retired), occupations, levels, plans …


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """make_user("county_official", region="440106") or make_user("provider_staff", organization=org)."""
    from jineng.accounts.models import User
    from jineng.accounts.services import grant_create

    counter = {"n": 0}

    def make(
        function: str | None = None,
        *,
        region: str | None = None,
        organization: Any = None,
        username: str | None = None,
        **grant: Any,
    ) -> Any:
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"u{counter['n']}-{function or 'none'}", password="pw-Test-12345"
        )
        if function:
            grant_create(
                actor=None, user=user, function=function, region_code=region, organization=organization, **grant
            )
        return user

    return make


@pytest.fixture
def make_org(db: Any) -> Callable[..., Any]:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char

    counter = {"n": 0}

    def make(region: str = "440106", kind: str = "provider", name: str | None = None) -> Any:
        counter["n"] += 1
        first17 = f"52{region}{counter['n']:09d}"
        return Organization.objects.create(
            kind=kind,
            name=name or f"机构{counter['n']}",
            region_id=region,
            credit_code=first17 + credit_code_check_char(first17),
        )

    return make


@pytest.fixture
def api(client: Any) -> Callable[[Any], Any]:
    """api(user) → a Django test client logged in as ``user`` (session auth, CSRF not enforced by the test client)."""

    def as_user(user: Any) -> Any:
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def _models_outside_available_apps_keep_their_relations(request: pytest.FixtureRequest) -> None:
    """A transactional test limited to some apps (``available_apps``) can still query through a relation that
    points at a model outside them (``OrganizationProfile.industry_tags`` → ``refdata.Tag``).

    Django computes a model's reverse relations from the *available* models only and gives a model outside them none
    at all, so such a query worked or failed (``Cannot resolve keyword …``) by which test had warmed the cache before
    in the same process. Here every model's relations are computed under the full registry first; narrowing the
    registry again then expires (and narrows) only the available models, as Django intends.
    """
    marker = request.node.get_closest_marker("django_db")
    available = marker.kwargs.get("available_apps") if marker is not None else None
    if marker is not None and marker.kwargs.get("transaction") and request.node.get_closest_marker("browser") is None:
        # A transactional test empties every table of its apps when it ends; without available_apps that includes
        # the reference data loaded once per database, and every later test in the worker fails on a missing region.
        assert available and "jineng.refdata" not in available, (
            "a transaction=True test must name its available_apps, without jineng.refdata"
        )
    if not available:
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    apps.unset_available_apps()
    try:
        models = apps.get_models(include_auto_created=True)
        for model in models:
            model._meta._expire_cache()
        for model in models:
            model._meta.related_objects  # noqa: B018 — computed now, under the full registry
    finally:
        apps.set_available_apps(available)


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login(user)`` stands for a finished sign-in: it marks the second factor (django-otp) as passed.

    A sign-in through the login form still takes every step (password, TOTP, forced password change); the tests of
    those steps (jineng/accounts/tests/test_sign_in_controls.py) go that way.
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self: Any, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from jineng.accounts.second_factor import TOTP_NAME, second_factor_required

        if not second_factor_required(user):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name=TOTP_NAME, confirmed=True
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
