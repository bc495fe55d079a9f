"""The credit derivation (jineng.rules.credits): idempotent, monotone, bounded — properties over generated sources
— and every bad rule field named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules import credits as r

LEVELS = ["grade5", "grade4", "grade3", "grade2", "grade1"]
RULES = r.rules_from_data(
    {"training_hours_per_credit": 16, "online_hours_per_credit": 20,
     "certificate_levels": {"grade5": "2", "grade4": "4", "grade3": "6"}, "certificate_other": "1",
     "competition_levels": {"city": "2", "province": "4"}, "annual_caps": {"training": "10", "online": "5"},
     "expiry_years": {"online": 5}},
    LEVELS,
)  # fmt: skip

sources = st.lists(
    st.builds(
        r.Source,
        key=st.sampled_from([f"s{i}" for i in range(12)]),
        category=st.sampled_from(r.CATEGORIES),
        on=st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)),
        standing=st.booleans(),
        hours=st.integers(0, 400),
        level=st.sampled_from(LEVELS + ["city", "province", ""]),
    ),
    max_size=12,
    unique_by=lambda s: s.key,
)


def apply(ledger: r.Ledger, planned: list[r.PlannedEntry]) -> r.Ledger:
    net, earned, years = dict(ledger.net), set(ledger.earned), dict(ledger.year_totals)
    for p in planned:
        net[p.key] = net.get(p.key, Decimal("0")) + p.credits
        years[(p.category, p.on.year)] = years.get((p.category, p.on.year), Decimal("0")) + p.credits
        if not p.reverses:
            earned.add(p.key)
    return r.Ledger(net=net, earned=frozenset(earned), year_totals=years)


@given(sources)
def test_deriving_twice_writes_nothing_the_second_time(batch):
    ledger = apply(r.Ledger(), r.plan(batch, r.Ledger(), lambda s: RULES))
    assert r.plan(batch, ledger, lambda s: RULES) == []


@given(sources, st.data())
def test_revoking_sources_reverses_exactly_their_credits_once(batch, data):
    standing = [r.Source(s.key, s.category, s.on, True, s.hours, s.level) for s in batch]
    ledger = apply(r.Ledger(), r.plan(standing, r.Ledger(), lambda s: RULES))
    revoked = {s.key for s in standing if data.draw(st.booleans())}
    later = [r.Source(s.key, s.category, s.on, s.key not in revoked, s.hours, s.level) for s in standing]
    reversals = r.plan(later, ledger, lambda s: RULES)
    assert {p.key for p in reversals} == {k for k in revoked if ledger.net.get(k, 0) > 0}
    assert all(p.reverses and p.credits == -ledger.net[p.key] for p in reversals)
    after = apply(ledger, reversals)
    assert all(after.net[k] == 0 for k in revoked)
    assert r.plan(later, after, lambda s: RULES) == []


@given(st.sampled_from([r.TRAINING, r.ONLINE]), st.integers(0, 2000), st.integers(0, 2000))
def test_more_hours_never_earn_fewer_credits(category, a, b):
    low, high = sorted((a, b))
    day = dt.date(2026, 3, 1)
    (p_low,) = r.plan([r.Source("x", category, day, True, hours=low)], r.Ledger(), lambda s: RULES)
    (p_high,) = r.plan([r.Source("x", category, day, True, hours=high)], r.Ledger(), lambda s: RULES)
    assert p_low.credits <= p_high.credits


@given(sources)
def test_a_years_category_total_stays_within_its_cap_and_a_source_within_its_rule(batch):
    planned = r.plan(batch, r.Ledger(), lambda s: RULES)
    totals: dict[tuple[str, int], Decimal] = {}
    for p in planned:
        assert not p.reverses  # nothing was earned before: nothing to reverse
        source = next(s for s in batch if s.key == p.key)
        assert Decimal("0") <= p.credits <= r.base_credits(RULES, source)[0]
        totals[(p.category, p.on.year)] = totals.get((p.category, p.on.year), Decimal("0")) + p.credits
    for (category, _year), total in totals.items():
        if category in RULES.annual_caps:
            assert total <= RULES.annual_caps[category]


def test_credits_round_down_to_a_tenth_and_expiry_follows_the_category():
    day = dt.date(2024, 2, 29)
    (p,) = r.plan([r.Source("o", r.ONLINE, day, True, hours=33)], r.Ledger(), lambda s: RULES)
    assert p.credits == Decimal("1.6") and p.expires_on == dt.date(2029, 2, 28)
    (t,) = r.plan([r.Source("t", r.TRAINING, day, True, hours=15)], r.Ledger(), lambda s: RULES)
    assert t.credits == Decimal("0.9") and t.expires_on is None


def test_without_rules_a_source_earns_nothing_and_stays_open_for_later_rules():
    source = r.Source("c", r.CERTIFICATE, dt.date(2026, 1, 1), True, level="grade4")
    assert r.plan([source], r.Ledger(), lambda s: None) == []
    (p,) = r.plan([source], r.Ledger(), lambda s: RULES)
    assert p.credits == Decimal("4")


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"training_hours_per_credit": 0}, "training_hours_per_credit", "bad_hours"),
        ({"online_hours_per_credit": "x"}, "online_hours_per_credit", "bad_hours"),
        ({"certificate_levels": {"grade9": "1"}}, "certificate_levels.grade9", "unknown_level"),
        ({"certificate_levels": {"grade4": "-1"}}, "certificate_levels.grade4", "bad_credits"),
        ({"certificate_levels": {"grade4": "1.25"}}, "certificate_levels.grade4", "bad_credits"),
        ({"competition_levels": {"galaxy": "1"}}, "competition_levels.galaxy", "unknown_event_level"),
        ({"annual_caps": {"sport": "1"}}, "annual_caps.sport", "unknown_category"),
        ({"annual_caps": {"training": "5000"}}, "annual_caps.training", "bad_credits"),
        ({"expiry_years": {"online": 99}}, "expiry_years.online", "bad_expiry"),
        ({"theory_waiver_credits": "NaN"}, "theory_waiver_credits", "bad_credits"),
    ],
)
def test_a_bad_rule_field_is_refused_and_named(data, field, code):
    with pytest.raises(r.RuleError) as exc:
        r.rules_from_data(data, LEVELS)
    assert (exc.value.field, exc.value.code) == (field, code)
