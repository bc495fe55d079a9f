"""The scope test: every URL is registered (tests/scope_cases.py) and, for every role, records outside the role's
region subtree are absent from lists and exports and their detail answers 404.

Regions: 440106 天河 and 440104 越秀 (both in 440100 广州, in 440000 广东), and 440303 罗湖 (深圳, outside 广州).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.scope_cases import CASES, Exempt, ScopeCase

ROLES = [
    ("county_official", "440106"),
    ("county_official", "440104"),
    ("city_official", "440100"),
    ("province_official", "440000"),
    ("auditor", "440100"),
    ("inspector", "440106"),
    ("finance", "440000"),
    ("sysadmin", "440100"),
    ("reviewer", "440106"),
]
RECORD_REGIONS = ["440106", "440104", "440303"]
WITHIN = {
    "440106": {"440106"},
    "440104": {"440104"},
    "440100": {"440106", "440104"},
    "440000": {"440106", "440104", "440303"},
}


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            child_ns = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            found += _walk(p.url_patterns, prefix + str(p.pattern), child_ns)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
            found.append((prefix + str(p.pattern), name))
    return found


def all_urls() -> list[tuple[str, str]]:
    return _walk(get_resolver().url_patterns)


def _registration(route: str, name: str) -> ScopeCase | Exempt | None:
    if name in CASES:
        return CASES[name]
    for key, case in CASES.items():
        if key.startswith("prefix:") and route.startswith(key[len("prefix:") :]):
            return case
    return None


def test_every_url_is_registered_for_the_scope_test():
    missing = [f"{route} ({name or 'unnamed'})" for route, name in all_urls() if _registration(route, name) is None]
    assert not missing, "URLs without a scope registration in tests/scope_cases.py:\n" + "\n".join(missing)


def test_registrations_name_existing_urls():
    names = {name for _, name in all_urls()}
    stale = [n for n in CASES if not n.startswith("prefix:") and n not in names]
    assert not stale, f"registered but no such URL: {stale}"


SCOPED = sorted(name for name, case in CASES.items() if isinstance(case, ScopeCase))


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCOPED)
def test_out_of_scope_records_are_invisible_to_every_role(name, make_user, client):
    from jineng.accounts.scope import principal_for

    case = CASES[name]
    assert isinstance(case, ScopeCase)
    records = {region: case.make(region) for region in RECORD_REGIONS}
    for function, role_region in ROLES:
        user = make_user(function, region=role_region)
        allowed = principal_for(user).has(case.permission)
        client.force_login(user)
        for record_region, record in records.items():
            should_see = allowed and record_region in WITHIN[role_region]
            response = client.get(case.url(record))
            label = f"{name}: {function}@{role_region} → record@{record_region}"
            if case.kind == "detail":
                expected = 200 if should_see else (404, 403)
                if should_see:
                    assert response.status_code == 200, f"{label}: expected 200, got {response.status_code}"
                else:
                    assert response.status_code in expected, f"{label}: expected 404, got {response.status_code}"
            else:
                if not allowed:
                    assert response.status_code in (403, 200), label
                    if response.status_code == 403:
                        continue
                assert response.status_code == 200, f"{label}: {response.status_code}"
                body = response.content.decode()
                marker = case.marker(record)
                if should_see:
                    assert marker in body, f"{label}: in-scope record missing from the list"
                else:
                    assert marker not in body, f"{label}: out-of-scope record leaked into the list"
        client.logout()
