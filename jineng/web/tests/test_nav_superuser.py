"""The platform administrator's sidebar has no dead ends (walk of issue 15: as admin, 我的档案 and 本机构 answered 404,
本机构培训项目, 竞赛报名 and 新招用职工 403 — a superuser holds every permission but has no person or organization)."""

from __future__ import annotations

from types import SimpleNamespace

from jineng.web.nav import NAV


def _shown(functions: set[str]) -> set[str]:
    principal = SimpleNamespace(superuser=True, functions=frozenset(functions), has=lambda _permission: True)
    return {item.url_name for item in NAV if item.shown_to(principal)}


def test_an_administrator_without_records_sees_no_own_record_or_own_organization_pages():
    shown = _shown({"sysadmin"})
    for dead_end in ("registry:my_archive", "providers:mine", "providers:my_programs", "competitions:open",
                     "subsidies:hires", "training:mine", "subsidies:mine"):  # fmt: skip
        assert dead_end not in shown, dead_end
    assert {"registry:person_list", "providers:list", "web:home"} <= shown  # the administrator's own work stays


def test_an_administrator_who_is_also_a_worker_or_staff_sees_those_pages():
    assert "registry:my_archive" in _shown({"sysadmin", "worker"})
    assert {"providers:mine", "providers:my_programs"} <= _shown({"sysadmin", "provider_staff"})
    assert "subsidies:hires" in _shown({"sysadmin", "enterprise_hr"})
