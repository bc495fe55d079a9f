"""The review workflow: 受理 → 初审 → 复审 → 公示 → 审批通过, separate officials per step, deadlines in working days,
objections during 公示, returns that come back as a new version, rejections — every step audited."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.audit.models import AuditEntry
from jineng.common.errors import DomainError
from jineng.refdata.api import add_workdays
from jineng.subsidies.models import Claim, ClaimStep
from jineng.subsidies.services import review
from jineng.subsidies.services.claims import claim_input_of, claim_resubmit
from jineng.subsidies.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_whole_workflow_with_deadlines_and_audit(world, submit_work):
    claim = submit_work()
    assert claim.review_due == add_workdays(TODAY, 10, "440104")
    claim = review.claim_accept(actor=world.county, claim=claim)
    claim = review.claim_first_review(actor=world.city, claim=claim, reason="材料齐全")
    start = TODAY - dt.timedelta(days=2)
    claim = review.claim_second_review(actor=world.province, claim=claim, on=start)
    assert claim.status == "publicity"
    assert claim.publicity_end == add_workdays(start, 5, "440104")
    if TODAY <= claim.publicity_end:
        with pytest.raises(DomainError) as err:
            review.claim_publicity_close(actor="system", claim=claim)
        assert err.value.code == "publicity_running"
    claim = review.claim_publicity_close(actor="system", claim=claim, on=claim.publicity_end + dt.timedelta(days=1))
    assert claim.status == "approved" and claim.payment_due is not None
    steps = list(ClaimStep.objects.filter(claim=claim).values_list("step", flat=True))
    assert steps == ["submit", "accept", "first_review", "second_review", "approve"]
    actions = set(AuditEntry.objects.filter(object_id=str(claim.pk)).values_list("action", flat=True))
    assert {"claim.submit", "claim.accept", "claim.first_review", "claim.second_review", "claim.approve"} <= actions


def test_the_official_of_one_step_cannot_act_on_the_next(world, submit_work):
    claim = review.claim_accept(actor=world.province, claim=submit_work())
    with pytest.raises(DomainError) as err:
        review.claim_first_review(actor=world.province, claim=claim)
    assert err.value.code == "same_reviewer"
    claim = review.claim_first_review(actor=world.city, claim=claim)
    for same in (world.city, world.province):
        with pytest.raises(DomainError) as err:
            review.claim_second_review(actor=same, claim=claim)
        assert err.value.code == "same_reviewer"
    assert Claim.objects.get(pk=claim.pk).status == "first_passed"


def test_reviewers_outside_the_region_and_the_applicant_are_refused(world, submit_work):
    claim = submit_work()
    for outsider in (world.luohu, world.tianhe, world.hr):
        with pytest.raises(DomainError) as err:
            review.claim_accept(actor=outsider, claim=claim)
        assert err.value.status == 403
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


def test_an_objection_holds_the_claim_until_resolved(world, submit_work):
    claim = submit_work()
    claim = review.claim_accept(actor=world.county, claim=claim)
    claim = review.claim_first_review(actor=world.city, claim=claim)
    claim = review.claim_second_review(actor=world.province, claim=claim, on=TODAY - dt.timedelta(days=30))
    objection = review.objection_raise(actor=world.luohu, claim=claim, reason="该员工未实际到岗")
    with pytest.raises(DomainError) as err:
        review.claim_publicity_close(actor="system", claim=claim)
    assert err.value.code == "objection_open"
    assert review.publicity_close_due() == {"approved": 0, "held_by_objections": 1, "advances_of_ended_apprentices": 0}
    review.objection_resolve(actor=world.county, objection=objection, upheld=False, resolution="经核查已到岗")
    assert review.publicity_close_due() == {"approved": 1, "held_by_objections": 0, "advances_of_ended_apprentices": 0}
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_an_upheld_objection_rejects_the_claim(world, submit_work):
    claim = submit_work()
    claim = review.claim_accept(actor=world.county, claim=claim)
    claim = review.claim_first_review(actor=world.city, claim=claim)
    claim = review.claim_second_review(actor=world.province, claim=claim)
    objection = review.objection_raise(actor=world.luohu, claim=claim, reason="冒名顶替")
    review.objection_resolve(actor=world.county, objection=objection, upheld=True, resolution="经核查属实")
    claim.refresh_from_db()
    assert claim.status == "rejected" and "经核查属实" in claim.closing_reason


def test_return_for_correction_comes_back_as_a_new_version(world, submit_work):
    claim = review.claim_accept(actor=world.county, claim=submit_work())
    with pytest.raises(DomainError) as err:
        review.claim_return(actor=world.city, claim=claim, reason="  ")
    assert err.value.code == "reason_required"
    returned = review.claim_return(actor=world.city, claim=claim, reason="收款账号与单位名称不符")
    assert returned.status == "returned"
    new = claim_resubmit(
        actor=world.hr, claim=returned, data=claim_input_of(returned, payee_account="6222020200099998888")
    )
    old = Claim.objects.get(pk=claim.pk)
    assert old.status == "superseded" and new.previous_id == old.pk and new.version_no == 2
    assert new.status == "submitted" and new.payee_account_masked.endswith("8888")
    assert new.event_key == old.event_key
    with pytest.raises(DomainError):
        claim_resubmit(actor=world.hr, claim=old, data=claim_input_of(old, payee_account="6222020200099998888"))


def test_reject_needs_a_reason_and_frees_the_event(world, hire):
    from jineng.subsidies.services.claims import claim_submit
    from jineng.subsidies.tests.conftest import work_input

    _p, record = hire()
    claim = claim_submit(actor=world.hr, data=work_input(record, world.enterprise))
    rejected = review.claim_reject(actor=world.county, claim=claim, reason="劳动合同未满一年")
    assert rejected.status == "rejected"
    again = claim_submit(actor=world.hr, data=work_input(record, world.enterprise))  # a rejected claim holds nothing
    assert again.status == "submitted"


def test_missing_evidence_is_verified_before_first_review(world, person, certificate):
    from jineng.subsidies.services.claims import ClaimInput, claim_submit

    holder = person(name="钱七")
    cert = certificate(holder, level="grade5", occupation="4-10-01-06")
    claim = claim_submit(actor=world.tianhe, data=ClaimInput(
        subsidy_type="ui_skill_upgrade", event_ref=str(cert.pk), applicant_kind="person", insurance_region="440106",
        insured_months_declared=20, payee_account="6217003320001234567"))  # fmt: skip
    assert claim.decision == "needs_evidence"
    claim = review.claim_accept(actor=world.province, claim=claim)
    with pytest.raises(DomainError) as err:
        review.claim_first_review(actor=world.city, claim=claim)
    assert err.value.code == "claim_not_eligible"
    claim = review.claim_verify(actor=world.city, claim=claim, insured_months=8, reason="社保系统查询")
    assert claim.decision == "reject" and claim.amount_fen == 0
    claim = review.claim_verify(actor=world.city, claim=claim, insured_months=20, reason="补充缴费记录")
    assert claim.decision == "approve" and claim.amount_fen == 100000
    review.claim_first_review(actor=world.city, claim=claim)
