"""The generator's claims and payments stages: claims the platform's rules approve, statuses spread by age, batches,
lines and ledger postings that reconcile, payee accounts encrypted, deterministic, and added to a run that finished
before these stages existed."""

from __future__ import annotations

from collections import Counter

import pytest

from jineng.synthetic import runner as runner_module
from jineng.synthetic.runner import seed_province

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    from jineng.subsidies.models import Claim, ClaimStep, LedgerEntry, LedgerTransaction, PaymentBatch, PaymentLine

    return {
        m.__name__: m.objects.count()
        for m in (Claim, ClaimStep, PaymentBatch, PaymentLine, LedgerTransaction, LedgerEntry)
    }


def test_claims_follow_the_rules_and_payments_reconcile():
    from jineng.common.crypto import decrypt
    from jineng.rules.subsidy.engine import APPROVE, evaluate
    from jineng.rules.subsidy.facts import CertificateFact, ClaimFacts, PersonHistory, TrainingFact
    from jineng.subsidies.api import approved_enrollment_ids
    from jineng.subsidies.models import Claim, ClaimStep, PaymentLine, Serial
    from jineng.subsidies.services.claims import ACCOUNT_CONTEXT
    from jineng.subsidies.services.ledger import reconcile
    from jineng.subsidies.services.policies import rules_of
    from jineng.training.models import Enrollment

    seed_province(scale="tiny", seed=5, persons=1500, progress=False)
    claims = Claim.objects.all()
    assert claims.count() > 50
    statuses = Counter(claims.values_list("status", flat=True))
    assert statuses.most_common(1)[0][0] == "paid"
    assert {"approved", "rejected"} <= set(statuses) and statuses.keys() & {"submitted", "accepted", "first_passed"}
    # Each claim is for a passed enrollment of a completed class, and the rules core approves its facts.
    for claim in claims.select_related("policy_version")[:30]:
        enrollment = Enrollment.objects.select_related("training_class").get(pk=claim.enrollment_id)
        assert enrollment.result == "passed" and enrollment.training_class.status == "completed"
        assert claim.event_key == f"enrollment:{enrollment.pk}" and claim.region_id == enrollment.region_id
        day = enrollment.completed_on
        facts = ClaimFacts(
            subsidy_type="training", event_date=day, applied_on=claim.applied_on, today=claim.applied_on,
            event_keys=(claim.event_key,), occupation=claim.occupation_code, level=claim.level_code,
            certificate=CertificateFact(id="c", number="c", kind="training", occupation=claim.occupation_code,
                                        level="", level_rank=0, issued_on=day),
            training=TrainingFact(enrollment_id=str(enrollment.pk), class_code=enrollment.training_class.code,
                                  completed=True, passed=True, attendance_bp=enrollment.attendance_rate_bp,
                                  hours=enrollment.credited_hours, completed_on=day),
            settings=claim.inputs["facts"]["settings"],
        )  # fmt: skip
        decision = evaluate(rules_of(claim.policy_version), facts, PersonHistory())
        assert decision.outcome == APPROVE and decision.amount_fen == claim.amount_fen == claim.payable_fen
        assert [line["code"] for line in claim.lines] == [line.code for line in decision.lines]
        assert decrypt(claim.payee_account_enc, context=ACCOUNT_CONTEXT).isdigit()
        assert "*" in claim.payee_account_masked
        steps = list(ClaimStep.objects.filter(claim=claim).order_by("at").values_list("to_status", flat=True))
        assert steps[-1] == claim.status
    # Paid and in-payment claims have exactly one live line; the ledger reconciles.
    live = claims.filter(status__in=["paid", "in_payment"])
    assert PaymentLine.objects.count() == live.count()
    assert PaymentLine.objects.filter(state="paid").count() == claims.filter(status="paid").count()
    report = reconcile()
    assert report.ok, report.problems
    # The indicators' join sees the approved, in-payment and paid claims' enrollments.
    counted = claims.filter(status__in=["approved", "in_payment", "paid", "payment_failed"]).count()
    assert Enrollment.objects.filter(pk__in=approved_enrollment_ids()).count() == counted
    # The services number their claims after the generated ones.
    number = claims.order_by("-number").values_list("number", flat=True).first()
    assert Serial.objects.get(prefix=number[:-6]).last >= int(number[-6:])


def test_a_finished_run_gets_only_the_new_stages_and_the_result_is_the_same(monkeypatch):
    from jineng.registry.models import Person
    from jineng.subsidies.models import Claim
    from jineng.synthetic import stages
    from jineng.synthetic.models import SeedRun

    old = [s for s in stages.STAGES if s.name not in ("claims", "payments")]
    monkeypatch.setattr(runner_module, "STAGES", old)
    seed_province(scale="tiny", seed=6, persons=800, progress=False)
    assert SeedRun.objects.get().finished_at is not None and not Claim.objects.exists()
    persons = Person.objects.count()
    monkeypatch.setattr(runner_module, "STAGES", stages.STAGES)
    result = seed_province(scale="tiny", seed=6, persons=800, progress=False)
    assert set(result.rows) <= {"claims", "payments"} and result.rows.get("claims", 0) > 0
    assert Person.objects.count() == persons
    first = _counts()
    # Deterministic: each cohort's claims are a pure function of the plan (what a resumed chunk rewrites).
    from jineng.synthetic import claims as claim_stages
    from jineng.synthetic.runner import build_plan

    plan = build_plan(seed=6, persons=800, anomalies=False)
    ids = set()
    for m in claim_stages.claim_months(800):
        cl = claim_stages.cohort_claims(plan, m, plan.cohort(m), {})
        if cl is not None:
            again = claim_stages.cohort_claims(plan, m, plan.cohort(m), {})
            assert list(cl["number"]) == list(again["number"]) and list(cl["status"]) == list(again["status"])
            ids |= {claim_stages._uuid(x) for x in cl["id"]}
    assert ids == {str(pk) for pk in Claim.objects.values_list("pk", flat=True)}
    # Rerunning the finished run writes nothing more.
    assert seed_province(scale="tiny", seed=6, persons=800, progress=False).rows == {}
    assert _counts() == first


def test_the_disk_check_counts_the_subsidy_months_left(monkeypatch):
    from jineng.synthetic import claims

    monkeypatch.setattr(runner_module, "free_bytes", lambda using="default": (10**15, "/data"))
    everything = runner_module.check_disk(10_000_000, 1.0, claim_months_left=len(claims.claim_months(10_000_000)))
    assert everything == int(
        claims.expected_claims(10_000_000, claims.RECENT_MONTHS) * claims.BYTES_PER_CLAIM * runner_module.MARGIN
    )
    assert len(claims.claim_months(10_000_000)) == claims.RECENT_MONTHS
    assert len(claims.claim_months(20_000)) == runner_module.MONTHS
