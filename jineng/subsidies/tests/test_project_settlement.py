"""项目制培训的结算拨付 (issue 19): a project's settlement is paid through the claims and the ledger — one 职业培训补贴
claim per trainee who finished, the shares summing exactly to the settlement; the settler does not review them (a
second person approves, the claims' four eyes); once approved each counts one person-time of 补贴性职业技能培训 at the
class's region; paid by the bank, the ledger posts the settlement and reconciles. A trainee of a project class is
not claimed for again one by one (``project_class``), nor is one already claimed paid by the settlement."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.errors import DomainError
from jineng.subsidies import api
from jineng.subsidies.models import Claim, LedgerTransaction
from jineng.subsidies.services import payments, review
from jineng.subsidies.services.claims import ClaimInput, claim_submit
from jineng.subsidies.services.ledger import reconcile
from jineng.subsidies.services.projects import split_fen
from jineng.subsidies.tests.conftest import TODAY, export_bank_file
from jineng.training.services import projects

pytestmark = pytest.mark.django_db
ACCOUNT = ("中国建设银行广州天河支行", "6217003320001234567")


@given(total=st.integers(min_value=0, max_value=10_000_000_000), parts=st.integers(min_value=1, max_value=5000))
def test_the_shares_sum_to_the_settlement_and_differ_by_a_fen_at_most(total, parts):
    shares = split_fen(total, parts)
    assert sum(shares) == total and len(shares) == parts and max(shares) - min(shares) <= 1


@pytest.fixture
def project(world, enrollment, person):
    """A 天河 project (bought by the 天河 official) with one class of three finished trainees."""
    trainees = [enrollment(person(name=n)) for n in ("王一", "王二", "王三")]
    cls = trainees[0].training_class
    type(trainees[0]).objects.filter(pk__in=[t.pk for t in trainees]).update(training_class=cls)
    p = projects.project_create(actor=world.tianhe, data=projects.ProjectInput(
        name="天河区家政服务一县一项目", region="440106", organization_id=world.provider.pk, contract_number="TH-2026-9",
        budget_fen=400_000, price_per_trainee_fen=150_000, target_trainees=3, start_date=TODAY - dt.timedelta(days=90),
        end_date=TODAY + dt.timedelta(days=30)))  # fmt: skip
    projects.project_add_class(actor=world.tianhe, project=p, training_class=cls)
    return p


def _approve(world, claim):
    claim = review.claim_accept(actor=world.tianhe, claim=claim)
    claim = review.claim_first_review(actor=world.city, claim=claim)
    claim = review.claim_second_review(actor=world.reviewer, claim=claim, on=TODAY - dt.timedelta(days=30))
    return review.claim_publicity_close(actor="system", claim=claim)


def test_a_settlement_is_paid_through_claims_reviewed_by_another_person_and_the_ledger(world, project):
    before = api.subsidized_training_claims().count()
    settled = projects.project_settle(actor=world.province, project=project, payee_bank=ACCOUNT[0],
                                      payee_account=ACCOUNT[1])  # fmt: skip
    assert settled.settled_fen == 400_000  # the budget caps 3 × 1500 元
    claims = list(Claim.objects.filter(event_label__contains=project.code).order_by("amount_fen"))
    assert [c.amount_fen for c in claims] == [133_333, 133_333, 133_334]
    assert {(c.status, c.subsidy_type, c.region_id, c.payee_org_id, c.applicant_user_id) for c in claims} == {
        ("submitted", "training", "440106", world.provider.pk, world.province.pk)
    }
    assert all(ACCOUNT[1] not in c.payee_account_masked for c in claims)  # stored encrypted, shown masked
    # nothing counts until a second person approved it; the settler may not review its claims
    assert api.subsidized_training_claims().count() == before
    with pytest.raises(DomainError) as err:
        review.claim_accept(actor=world.province, claim=claims[0])
    assert err.value.code == "applicant_reviews"
    approved = [_approve(world, c) for c in claims]
    assert api.subsidized_training_claims().count() == before + 3  # one person-time per trainee
    batch = export_bank_file(world.finance, payments.batch_create(actor=world.finance,
                                                                  claim_ids=[c.pk for c in approved]))  # fmt: skip
    rows = [payments.ReturnRow(row=i, line_id=str(line.pk), claim_number="", result="成功", bank_reference=f"XM-{i}",
                               amount_fen=line.amount_fen) for i, line in enumerate(batch.lines.order_by("seq"), 1)]  # fmt: skip
    payments.returns_apply(actor=world.cashier, rows=rows, batch=batch, references_required=True)
    posted = LedgerTransaction.objects.filter(kind="payment", reference__in=[str(x.pk) for x in batch.lines.all()])
    assert sum(posted.values_list("amount_fen", flat=True)) == settled.settled_fen
    assert reconcile().ok


def test_a_settlement_without_the_providers_account_is_not_made(world, project):
    with pytest.raises(DomainError) as err:
        projects.project_settle(actor=world.province, project=project, payee_bank=ACCOUNT[0], payee_account="12")
    assert "payee_account" in {f.field for f in err.value.fields}
    project.refresh_from_db()
    assert project.status == "contracted" and not Claim.objects.exists()


def test_a_project_trainee_is_not_claimed_one_by_one_nor_paid_twice(world, project, enrollment, person):
    trainee = project.classes.get().enrollments.first()
    with pytest.raises(DomainError) as err:
        claim_submit(actor=world.staff, data=ClaimInput(
            subsidy_type="training", event_ref=str(trainee.pk), applicant_kind="provider",
            applicant_org_id=world.provider.pk, payee_bank=ACCOUNT[0], payee_account=ACCOUNT[1]))  # fmt: skip
    assert err.value.code == "project_class" and project.code in err.value.message
    # a trainee claimed before their class joined the project: the settlement refuses to pay them again
    other = enrollment(person(name="赵六"))
    claim = claim_submit(actor=world.staff, data=ClaimInput(
        subsidy_type="training", event_ref=str(other.pk), applicant_kind="provider",
        applicant_org_id=world.provider.pk, payee_bank=ACCOUNT[0], payee_account=ACCOUNT[1]))  # fmt: skip
    projects.project_add_class(actor=world.tianhe, project=project, training_class=other.training_class)
    with pytest.raises(DomainError) as err:
        projects.project_settle(actor=world.province, project=project, payee_bank=ACCOUNT[0],
                                payee_account=ACCOUNT[1])  # fmt: skip
    assert err.value.code == "duplicate_claim" and claim.number in err.value.message
    project.refresh_from_db()
    assert project.status == "contracted"
