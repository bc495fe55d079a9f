"""Retired persons past ``retention.retired_person_years`` are crypto-shredded by the retention job (PIPL 第四十七条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.audit.models import AuditEntry
from jineng.common.retention import retention_run
from jineng.refdata.settings_store import setting_set
from jineng.registry.models import Person
from jineng.registry.services.retention import _years_before, retired_persons_due, use_person_shredder
from jineng.registry.tests.factories import make_person

TODAY = dt.date(2026, 12, 7)


def _retired(region: str, on: dt.date) -> Any:
    person = make_person(region=region)
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))
    Person.objects.filter(pk=person.pk).update(status="retired", updated_at=moment)
    return person


class FakeShredder:
    def __init__(self, fail_for: set[Any] | None = None) -> None:
        self.calls: list[tuple[Any, str]] = []
        self.fail_for = fail_for or set()

    def __call__(self, *, person_id: Any, actor: Any, reason: str) -> dict[str, Any]:
        if person_id in self.fail_for:
            raise RuntimeError("key store unavailable")
        self.calls.append((person_id, reason))
        Person.objects.filter(pk=person_id).update(name="已删除")
        return {"person": str(person_id)}


def _shredded_when_renamed(person: Any) -> bool:
    return bool(person.name == "已删除")


@pytest.mark.django_db
def test_only_retired_persons_past_the_period_are_due():
    old = _retired("440106", dt.date(2015, 1, 1))  # 11 years ago: past the default 10
    recent = _retired("440106", dt.date(2020, 1, 1))  # 6 years: kept
    active = make_person(region="440106")  # never retired: kept whatever its age
    Person.objects.filter(pk=active.pk).update(updated_at=timezone.make_aware(dt.datetime(2000, 1, 1)))
    due = retired_persons_due(TODAY)
    assert due == [old.pk]
    assert recent.pk not in due


@pytest.mark.django_db
def test_the_regions_setting_decides_the_period(make_user):
    setting_set(
        actor=make_user("province_official", region="440000"), key="retention.retired_person_years", region_code="440100", value=3,
        valid_from=dt.date(2026, 1, 1), reason="市级规定",
    )  # fmt: skip
    guangzhou = _retired("440106", dt.date(2022, 6, 1))  # 4½ years: past Guangzhou's 3
    shenzhen = _retired("440303", dt.date(2022, 6, 1))  # default 10 applies there
    assert retired_persons_due(TODAY) == [guangzhou.pk]
    assert shenzhen.pk not in retired_persons_due(TODAY)


@pytest.mark.django_db
def test_the_job_shreds_each_due_person_audits_and_reports():
    due = [_retired("440106", dt.date(2014, 3, 1)), _retired("440106", dt.date(2012, 3, 1))]
    _retired("440106", dt.date(2024, 3, 1))
    shredder = FakeShredder()
    with use_person_shredder(shredder):
        report = retention_run(actor="retention-test", today=TODAY, only=["retired_persons"])
    assert sorted(str(c[0]) for c in shredder.calls) == sorted(str(p.pk) for p in due)
    (outcome,) = report.outcomes
    assert (outcome.due, outcome.done, outcome.failed, outcome.pending) == (2, 2, 0, 0)
    entry = AuditEntry.objects.get(action="retention.run", object_id="retired_persons")
    assert entry.after["done"] == 2
    assert any("已注销人员" in line and "已匿名化 2" in line for line in report.lines())


@pytest.mark.django_db
def test_a_dry_run_changes_nothing_and_writes_no_audit():
    _retired("440106", dt.date(2010, 1, 1))
    shredder = FakeShredder()
    with use_person_shredder(shredder):
        report = retention_run(actor="retention-test", today=TODAY, dry_run=True, only=["retired_persons"])
    assert report.outcomes[0].due == 1
    assert report.outcomes[0].done == 0
    assert shredder.calls == []
    assert not AuditEntry.objects.filter(action="retention.run").exists()


@pytest.mark.django_db
def test_one_failing_person_is_reported_and_the_others_go_on():
    bad = _retired("440106", dt.date(2010, 1, 1))
    good = _retired("440106", dt.date(2011, 1, 1))
    shredder = FakeShredder(fail_for={bad.pk})
    with use_person_shredder(shredder):
        report = retention_run(actor="retention-test", today=TODAY, only=["retired_persons"])
    outcome = report.outcomes[0]
    assert (outcome.done, outcome.failed) == (1, 1)
    assert [c[0] for c in shredder.calls] == [good.pk]
    assert not report.ok


@pytest.mark.django_db
def test_without_the_shred_service_the_due_persons_are_pending_not_touched(monkeypatch):
    import jineng.registry.api as registry_api

    monkeypatch.delattr(registry_api, "person_crypto_shred", raising=False)
    person = _retired("440106", dt.date(2010, 1, 1))
    before = Person.objects.filter(pk=person.pk).values().get()
    report = retention_run(actor="retention-test", today=TODAY, only=["retired_persons"])
    outcome = report.outcomes[0]
    assert (outcome.due, outcome.done, outcome.pending) == (1, 0, 1)
    assert "person_crypto_shred" in outcome.notes[0]
    assert Person.objects.filter(pk=person.pk).values().get() == before


@given(
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    years=st.integers(min_value=0, max_value=80),
)
def test_the_period_is_never_cut_short(day, years):
    """The cutoff is ``years`` calendar years back, never later (29 February → 28 February): nobody is shredded early."""
    cutoff = _years_before(day, years)
    assert cutoff.year == day.year - years
    assert (cutoff.month, cutoff.day) <= (day.month, day.day)
    assert (day - cutoff).days >= 365 * years


@pytest.mark.django_db
def test_a_person_shredded_already_is_not_due_again(monkeypatch):
    import jineng.registry.api as registry_api

    monkeypatch.setattr(registry_api, "person_is_shredded", _shredded_when_renamed, raising=False)
    _retired("440106", dt.date(2010, 1, 1))
    shredder = FakeShredder()
    with use_person_shredder(shredder):
        first = retention_run(actor="retention-test", today=TODAY, only=["retired_persons"])
        second = retention_run(actor="retention-test", today=TODAY, only=["retired_persons"])
    assert (first.outcomes[0].due, first.outcomes[0].done) == (1, 1)
    assert (second.outcomes[0].due, second.outcomes[0].done) == (0, 0)
    assert len(shredder.calls) == 1


@pytest.mark.django_db
def test_with_the_registry_shred_service_the_person_is_shredded_once():
    """The real service (registry.api.person_crypto_shred, registry/services/shred.py), not a fake: shredded, audited, and not
    due again on the next run."""
    from jineng.registry.api import person_is_shredded

    person = _retired("440106", dt.date(2010, 1, 1))
    kept = _retired("440106", dt.date(2024, 1, 1))
    report = retention_run(actor="retention-test", today=TODAY, only=["retired_persons"])
    assert (report.outcomes[0].due, report.outcomes[0].done, report.outcomes[0].failed) == (1, 1, 0)
    assert person_is_shredded(Person.objects.get(pk=person.pk))
    assert not person_is_shredded(Person.objects.get(pk=kept.pk))
    assert AuditEntry.objects.filter(action="person.crypto_shred", object_id=str(person.pk)).exists()
    again = retention_run(actor="retention-test", today=TODAY, only=["retired_persons"])
    assert (again.outcomes[0].due, again.outcomes[0].done) == (0, 0)
