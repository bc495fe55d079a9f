"""Subsidy rules: the codec of the closed catalogue, each check as a table, amounts and rounding, and properties
over random histories (no person exceeds a limit, no claim exceeds its cap, amounts are non-negative integers,
the decision is deterministic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.rules.subsidy import (
    APPROVE,
    FAIL,
    NEEDS,
    PASS,
    REJECT,
    CertificateFact,
    ClaimFacts,
    PersonFacts,
    PersonHistory,
    PolicyError,
    PriorClaim,
    TrainingFact,
    add_months,
    apply_bp,
    evaluate,
    format_fen,
    policy_from_data,
    policy_to_data,
    raise_by_bp,
)
from jineng.rules.subsidy.ledger import OPERATIONS, balances, postings

D = dt.date

# The Guangdong 职业技能提升补贴 as the demo encodes it (docs/subsidies.md), in miniature.
SKILL = {
    "subsidy_type": "skill_upgrade",
    "payee": "person",
    "channel": "social_security_card",
    "fund_source": "special_account",
    "counters": ["annual_total", "certificate_subsidy"],
    "exclusion_groups": ["skill_upgrade"],
    "eligibility": [
        {"kind": "age", "male_min": 16, "male_max": 60, "female_min": 16, "female_max": 55},
        {"kind": "certificate", "kinds": ["skill_level", "qualification"]},
        {"kind": "deadline", "unit": "months", "default": 12, "setting": "claim.skill_upgrade_within_months"},
    ],
    "amount": {
        "rows": [
            {"certificate_kind": "", "level": "grade5", "amount_fen": 100000},
            {"level": "grade4", "amount_fen": 150000},
            {"level": "grade3", "amount_fen": 200000},
        ]
    },
    "adjustments": [{"kind": "shortage_float", "occupations": ["6-18-02-04", "6-31-07"], "min_level_rank": 4}],
    "limits": [
        {"kind": "annual_count", "max_count": 1, "scope": "type"},
        {"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total",
         "setting": "subsidy.max_per_person_year"},
        {"kind": "once_per_occupation_level", "scope": "counter", "counter": "certificate_subsidy"},
        {"kind": "higher_level_blocks", "scope": "counter", "counter": "certificate_subsidy"},
    ],
}  # fmt: skip

TRAINING = {
    "subsidy_type": "training",
    "payee": "provider",
    "fund_source": "employment_fund",
    "counters": ["annual_total"],
    "eligibility": [
        {"kind": "training_completed"},
        {"kind": "attendance"},
        {"kind": "hours", "by_level": [{"level": "grade5", "hours": 60}, {"level": "grade4", "hours": 110}]},
    ],
    "amount": {"rows": [{"level": "grade5", "amount_fen": 80000}, {"level": "grade4", "amount_fen": 150000}]},
    "limits": [{"kind": "annual_count", "max_count": 3, "scope": "counter", "counter": "annual_total"}],
    "employment_share": {"share_percent": 30, "within_months": 6},
}

WORK = {
    "subsidy_type": "work_for_training",
    "payee": "enterprise",
    "eligibility": [
        {"kind": "eligible_group", "groups": ["unemployed", "college_graduate", "employment_difficulty"]},
        {"kind": "employed_by_applicant"},
    ],
    "amount": {"rows": [{"amount_fen": 50000}], "unit": "month", "max_units": 6},
}


def cert(level: str = "grade4", rank: int = 3, occupation: str = "6-18-02-04", **kw: object) -> CertificateFact:
    base = dict(id="c1", number="S2026000001", kind="skill_level", occupation=occupation, level=level,
                level_rank=rank, issued_on=D(2026, 3, 1), valid=True)  # fmt: skip
    base.update(kw)
    return CertificateFact(**base)  # type: ignore[arg-type]


def skill_facts(**kw: object) -> ClaimFacts:
    c = kw.pop("certificate", cert())
    assert isinstance(c, CertificateFact) or c is None
    base = dict(
        subsidy_type="skill_upgrade",
        event_date=c.issued_on if c else D(2026, 3, 1),
        applied_on=D(2026, 4, 1),
        today=D(2026, 4, 1),
        event_keys=(f"certificate:{c.id}",) if c else ("certificate:none",),
        occupation=c.occupation if c else "6-18-02-04",
        level=c.level if c else "grade4",
        level_rank=c.level_rank if c else 3,
        person=PersonFacts(sex="male", birth_date=D(1990, 5, 1)),
        certificate=c,
    )
    base.update(kw)
    return ClaimFacts(**base)  # type: ignore[arg-type]


def training_facts(attendance_bp: int = 9000, hours: int = 80, level: str = "grade5", **kw: object) -> ClaimFacts:
    base = dict(
        subsidy_type="training",
        event_date=D(2026, 5, 10),
        applied_on=D(2026, 5, 20),
        today=D(2026, 5, 20),
        event_keys=("enrollment:e1",),
        occupation="4-10-01-06",
        level=level,
        level_rank=2 if level == "grade5" else 3,
        training=TrainingFact("e1", "K2026-001", True, True, attendance_bp, hours, D(2026, 5, 10)),
    )
    base.update(kw)
    return ClaimFacts(**base)  # type: ignore[arg-type]


def line(decision, code):  # type: ignore[no-untyped-def]
    found = [ln for ln in decision.lines if ln.code == code]
    assert found, f"no line {code} in {[ln.code for ln in decision.lines]}"
    return found[0]


# ---- money --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "bp", "expected"),
    [
        (100, 5000, 50),
        (1, 5000, 1),
        (3, 5000, 2),
        (5, 3000, 2),
        (150000, 3000, 45000),
        (99999, 10000, 99999),
        (0, 1, 0),
    ],
)
def test_apply_bp_rounds_half_up_to_the_fen(amount: int, bp: int, expected: int) -> None:
    assert apply_bp(amount, bp) == expected


def test_float_and_format() -> None:
    assert raise_by_bp(200000, 3000) == 260000
    assert raise_by_bp(33333, 3000) == 43333  # 43332.9 → 43333
    assert format_fen(123456789) == "1,234,567.89元"
    with pytest.raises(ValueError):
        apply_bp(-1, 100)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2025, 12, 15), 12) == D(2026, 12, 15)


# ---- the codec ----------------------------------------------------------------------------------------------------


def test_policy_round_trips_through_json() -> None:
    for doc in (SKILL, TRAINING, WORK):
        policy = policy_from_data(doc)
        assert policy_from_data(policy_to_data(policy)) == policy


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["eligibility"].append({"kind": "python", "code": "1/0"}), "policy.eligibility[3]"),
        (lambda d: d["eligibility"].append({"kind": "age", "expression": "x > 1"}), "policy.eligibility[3].expression"),
        (lambda d: d["amount"]["rows"].append({"amount_fen": -5}), "policy.amount.rows[3].amount_fen"),
        (lambda d: d["amount"]["rows"].append({"amount_fen": 1.5}), "policy.amount.rows[3].amount_fen"),
        (lambda d: d.update(payee="anyone"), "policy.payee"),
        (lambda d: d.update(amount={"rows": []}), "policy.amount.rows"),
        (lambda d: d["limits"].append({"kind": "annual_count", "scope": "counter"}), "policy.limits[4].counter"),
        (lambda d: d.pop("amount"), "policy.amount"),
        (lambda d: d["adjustments"][0].update(default_percent=150), "policy.adjustments[0].default_percent"),
    ],
)
def test_policy_outside_the_catalogue_is_refused_with_its_path(mutate, path) -> None:  # type: ignore[no-untyped-def]
    import copy

    doc = copy.deepcopy(SKILL)
    mutate(doc)
    with pytest.raises(PolicyError) as err:
        policy_from_data(doc)
    assert err.value.path == path


# ---- eligibility, limits and amounts as tables ---------------------------------------------------------------------


def test_skill_upgrade_approved_with_explained_lines() -> None:
    d = evaluate(policy_from_data(SKILL), skill_facts(), PersonHistory())
    assert d.outcome == APPROVE
    assert d.amount_fen == d.payable_fen == 150000
    assert line(d, "certificate").outcome == PASS
    assert line(d, "age").figures == {"age": 35, "min": 16, "max": 60, "sex": "male", "on": "2026-03-01"}
    assert "1,500.00元" in line(d, "amount").message


@pytest.mark.parametrize(
    ("level", "rank", "occupation", "expected"),
    [
        ("grade3", 4, "6-18-02-04", 260000),  # 高级工, shortage: 2000 × 1.3
        ("grade3", 4, "6-31-07-03", 260000),  # on the list by its prefix 6-31-07
        ("grade4", 3, "6-18-02-04", 150000),  # 中级工: no float below 高级工
        ("grade3", 4, "4-04-05-01", 200000),  # not a shortage occupation
    ],
)
def test_shortage_float_for_high_skill_levels(level: str, rank: int, occupation: str, expected: int) -> None:
    d = evaluate(policy_from_data(SKILL), skill_facts(certificate=cert(level, rank, occupation)), PersonHistory())
    assert d.outcome == APPROVE and d.amount_fen == expected


def test_shortage_float_percent_comes_from_the_region_setting() -> None:
    facts = skill_facts(certificate=cert("grade3", 4), settings={"subsidy.shortage_float_percent": 10})
    d = evaluate(policy_from_data(SKILL), facts, PersonHistory())
    assert d.amount_fen == 220000
    assert line(d, "shortage_float").figures["percent"] == 10


def test_age_outside_the_range_for_women() -> None:
    facts = skill_facts(person=PersonFacts(sex="female", birth_date=D(1970, 1, 1)))
    d = evaluate(policy_from_data(SKILL), facts, PersonHistory())
    assert d.outcome == REJECT and d.amount_fen == 0
    assert line(d, "age").figures["age"] == 56 and line(d, "age").figures["max"] == 55


def test_revoked_or_missing_certificate_is_refused() -> None:
    policy = policy_from_data(SKILL)
    d = evaluate(policy, skill_facts(certificate=cert(valid=False)), PersonHistory())
    assert line(d, "certificate").outcome == FAIL and "已撤销" in line(d, "certificate").message
    d = evaluate(policy, skill_facts(certificate=None), PersonHistory())
    assert d.outcome == REJECT and line(d, "certificate").outcome == FAIL


def test_deadline_of_twelve_months_after_the_certificate() -> None:
    d = evaluate(policy_from_data(SKILL), skill_facts(applied_on=D(2027, 3, 2)), PersonHistory())
    assert line(d, "deadline").outcome == FAIL
    assert line(d, "deadline").figures["last_day"] == "2027-03-01"


def prior(n: int, **kw: object) -> PriorClaim:
    base = dict(id=f"p{n}", subsidy_type="training", event_year=2026, event_keys=(f"enrollment:x{n}",),
                counters=("annual_total",), region="440303", number=f"BT-{n}")  # fmt: skip
    base.update(kw)
    return PriorClaim(**base)  # type: ignore[arg-type]


def test_allowance_used_in_another_region_counts() -> None:
    history = PersonHistory(claims=(prior(1), prior(2), prior(3, subsidy_type="apprenticeship")))
    d = evaluate(policy_from_data(SKILL), skill_facts(), history)
    assert d.outcome == REJECT
    cap = [ln for ln in d.lines if ln.code == "annual_cap" and ln.outcome == FAIL][0]
    assert cap.figures["used"] == 3 and cap.figures["max"] == 3 and cap.figures["regions"] == "440303"
    assert "440303" in cap.message and "3 次上限" in cap.message


def test_cap_setting_lowers_the_annual_maximum() -> None:
    facts = skill_facts(settings={"subsidy.max_per_person_year": 1})
    d = evaluate(policy_from_data(SKILL), facts, PersonHistory(claims=(prior(1),)))
    assert d.outcome == REJECT


def test_same_occupation_and_level_once_and_higher_level_blocks_lower() -> None:
    policy = policy_from_data(SKILL)
    same = prior(1, subsidy_type="ui_skill_upgrade", event_year=2024, occupation="6-18-02-04", level="grade4",
                 level_rank=3, counters=("certificate_subsidy",))  # fmt: skip
    d = evaluate(policy, skill_facts(), PersonHistory(claims=(same,)))
    assert line(d, "once_per_occupation_level").outcome == FAIL
    higher = cert("grade3", 4, id="c0", number="S2025000009", issued_on=D(2025, 1, 1))
    d = evaluate(policy, skill_facts(), PersonHistory(certificates=(higher,)))
    assert line(d, "higher_level_blocks").outcome == FAIL and "S2025000009" in line(d, "higher_level_blocks").message


def test_mutual_exclusion_for_the_same_certificate() -> None:
    other = prior(1, subsidy_type="ui_skill_upgrade", event_keys=("certificate:c1",), counters=(),
                  exclusion_groups=("skill_upgrade",))  # fmt: skip
    d = evaluate(policy_from_data(SKILL), skill_facts(), PersonHistory(claims=(other,)))
    assert line(d, "mutual_exclusion").outcome == FAIL


def test_second_claim_for_the_same_training_is_a_duplicate() -> None:
    first = prior(1, event_keys=("enrollment:e1",), counters=())
    d = evaluate(policy_from_data(TRAINING), training_facts(), PersonHistory(claims=(first,)))
    assert d.outcome == REJECT and line(d, "duplicate").figures["claims"] == "BT-1"


@pytest.mark.parametrize(
    ("attendance", "hours", "level", "code"),
    [(7250, 80, "grade5", "attendance"), (9000, 59, "grade5", "hours"), (9000, 100, "grade4", "hours")],
)
def test_training_attendance_and_hours_minimums(attendance: int, hours: int, level: str, code: str) -> None:
    d = evaluate(policy_from_data(TRAINING), training_facts(attendance, hours, level), PersonHistory())
    assert d.outcome == REJECT and line(d, code).outcome == FAIL
    if code == "attendance":
        assert line(d, code).figures == {"rate_bp": 7250, "min_bp": 8000, "class": "K2026-001"}
        assert "72.50%" in line(d, code).message and "80.00%" in line(d, code).message


def test_employment_linked_share_deferred_paid_or_forfeited() -> None:
    policy = policy_from_data(TRAINING)
    d = evaluate(policy, training_facts(), PersonHistory())
    assert (d.amount_fen, d.payable_fen, d.deferred_fen) == (80000, 56000, 24000)
    d = evaluate(policy, training_facts(employment_dates=(D(2026, 7, 1),)), PersonHistory())
    assert (d.amount_fen, d.payable_fen, d.deferred_fen) == (80000, 80000, 0)
    d = evaluate(policy, training_facts(today=D(2026, 12, 1)), PersonHistory())
    assert (d.amount_fen, d.payable_fen, d.deferred_fen) == (56000, 56000, 0)


def test_months_are_capped_and_missing_evidence_is_not_a_rejection() -> None:
    facts = ClaimFacts(
        subsidy_type="work_for_training", event_date=D(2026, 2, 1), applied_on=D(2026, 9, 1), today=D(2026, 9, 1),
        event_keys=("employment:r1",), units=9, person=PersonFacts(groups=("unemployed",)),
        employed_by_applicant=True,
    )  # fmt: skip
    d = evaluate(policy_from_data(WORK), facts, PersonHistory())
    assert d.outcome == APPROVE and d.amount_fen == 300000
    assert line(d, "amount_standard").figures["units"] == 6
    d = evaluate(policy_from_data(WORK), replace(facts, employed_by_applicant=None), PersonHistory())
    assert d.outcome == NEEDS and d.amount_fen == 300000
    d = evaluate(
        policy_from_data(WORK), replace(facts, person=PersonFacts(groups=("migrant_worker",))), PersonHistory()
    )
    assert d.outcome == REJECT and line(d, "eligible_group").figures["held"] == "migrant_worker"


def test_claim_cap_and_per_hour_rate() -> None:
    doc = {"subsidy_type": "training", "amount": {"rows": [{"per_hour_fen": 1000}], "max_fen": 50000}}
    d = evaluate(policy_from_data(doc), training_facts(hours=64), PersonHistory())
    assert d.amount_fen == 50000 and line(d, "claim_cap").figures == {"before_fen": 64000, "max_fen": 50000}


# ---- properties ---------------------------------------------------------------------------------------------------

TYPES = ["skill_upgrade", "training", "living", "apprenticeship"]
CAP_TOTAL = 3


def _policy(subsidy_type: str, max_fen: int) -> dict[str, object]:
    return {
        "subsidy_type": subsidy_type,
        "counters": ["annual_total"] + (["certificate_subsidy"] if subsidy_type == "skill_upgrade" else []),
        "amount": {
            "rows": [{"level": "grade5", "amount_fen": 100000}, {"level": "grade3", "amount_fen": 200000},
                     {"per_hour_fen": 777, "level": "grade4"}],
            "max_fen": max_fen,
        },
        "adjustments": [{"kind": "shortage_float", "occupations": ["6-18"], "min_level_rank": 4}],
        "limits": [
            {"kind": "annual_count", "max_count": 1, "scope": "type"},
            {"kind": "annual_count", "max_count": CAP_TOTAL, "scope": "counter", "counter": "annual_total"},
            {"kind": "once_per_occupation_level", "scope": "counter", "counter": "certificate_subsidy"},
        ],
        "employment_share": {"share_percent": 33, "within_months": 6},
    }  # fmt: skip


claims_strategy = st.lists(
    st.tuples(
        st.sampled_from(TYPES),
        st.integers(2024, 2026),  # year
        st.sampled_from([("grade5", 2), ("grade4", 3), ("grade3", 4)]),
        st.sampled_from(["6-18-02-04", "4-10-01-06"]),
        st.integers(0, 400),  # hours
        st.integers(0, 3),  # event id (a repeated id is a second claim for the same training)
        st.booleans(),  # employed
    ),
    max_size=25,
)


@given(claims_strategy, st.integers(50000, 300000))
def test_no_person_exceeds_a_limit_and_no_claim_exceeds_its_cap(claims, max_fen) -> None:  # type: ignore[no-untyped-def]
    approved: list[PriorClaim] = []
    for n, (stype, year, (level, rank), occupation, hours, event, employed) in enumerate(claims):
        policy = policy_from_data(_policy(stype, max_fen))
        event_date = D(year, 6, 1)
        facts = ClaimFacts(
            subsidy_type=stype, event_date=event_date, applied_on=event_date, today=event_date,
            event_keys=(f"event:{event}",), occupation=occupation, level=level, level_rank=rank, hours=hours,
            employment_dates=(D(year, 8, 1),) if employed else (),
        )  # fmt: skip
        history = PersonHistory(claims=tuple(approved))
        decision = evaluate(policy, facts, history)
        assert decision == evaluate(policy, facts, history)  # deterministic
        for amount in (decision.amount_fen, decision.payable_fen, decision.deferred_fen):
            assert isinstance(amount, int) and amount >= 0
        assert decision.amount_fen == decision.payable_fen + decision.deferred_fen
        assert decision.amount_fen <= max_fen
        if decision.outcome == REJECT:
            assert decision.amount_fen == 0 and decision.failed
        if decision.outcome == APPROVE:
            approved.append(
                PriorClaim(
                    id=str(n),
                    subsidy_type=stype,
                    event_year=year,
                    event_keys=facts.event_keys,
                    occupation=occupation,
                    level=level,
                    level_rank=rank,
                    counters=tuple(_policy(stype, max_fen)["counters"]),
                )  # type: ignore[arg-type]  # fmt: skip
            )
    for year in {c.event_year for c in approved}:
        of_year = [c for c in approved if c.event_year == year]
        assert len(of_year) <= CAP_TOTAL
        for stype in TYPES:
            assert len([c for c in of_year if c.subsidy_type == stype]) <= 1
    keys = [(c.subsidy_type, c.event_keys[0]) for c in approved]
    assert len(keys) == len(set(keys))  # never twice for the same training
    cert_levels = [(c.occupation, c.level) for c in approved if "certificate_subsidy" in c.counters]
    assert len(cert_levels) == len(set(cert_levels))


# ---- ledger postings ----------------------------------------------------------------------------------------------


@given(st.lists(st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(1, 10**9)), max_size=40))
def test_ledger_postings_balance(ops) -> None:  # type: ignore[no-untyped-def]
    all_postings = []
    totals = dict.fromkeys(OPERATIONS, 0)
    for op, amount in ops:
        pair = postings(op, amount)
        assert sum(p.debit_fen for p in pair) == sum(p.credit_fen for p in pair) == amount
        all_postings.extend(pair)
        totals[op] += amount
    b = balances(all_postings)
    assert sum(p.debit_fen for p in all_postings) == sum(p.credit_fen for p in all_postings)
    assert b["expense"] == totals["payment"] - totals["clawback"]
    assert b["fund"] == totals["allocation"] - totals["reversal"] - totals["payment"] + totals["recovery"]
    assert b["receivable"] == totals["clawback"] - totals["recovery"]
    assert b["allocation"] == totals["allocation"] - totals["reversal"]


def test_ledger_refuses_non_positive_amounts() -> None:
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError):
            postings("payment", bad)  # type: ignore[arg-type]


def test_a_certificate_line_names_the_certificate_kind_not_the_subsidy_type_of_the_same_code() -> None:
    """The walk: a 结业 certificate (kind "training") read "证书 …：职业培训补贴" — the subsidy type's name."""
    import copy

    labels = {"training": "职业培训补贴", "kind:training": "培训合格证书", "skill_level": "职业技能等级证书"}
    doc = copy.deepcopy(SKILL)
    doc["eligibility"] = [{"kind": "certificate", "kinds": ["training"]}]
    passed = evaluate(policy_from_data(doc), skill_facts(certificate=cert(kind="training"), labels=labels),
                      PersonHistory())  # fmt: skip
    assert (
        "培训合格证书" in line(passed, "certificate").message
        and "职业培训补贴" not in line(passed, "certificate").message
    )
    refused = evaluate(policy_from_data(SKILL), skill_facts(certificate=cert(kind="training"), labels=labels),
                       PersonHistory())  # fmt: skip
    text = line(refused, "certificate").message
    assert "为培训合格证书" in text and "职业技能等级证书" in text
