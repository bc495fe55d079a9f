"""The demo data: published policies with citations, funds allocated, claims of the demo enterprise at every stage of
the review (each step by a different official), a settled payment batch, approved claims that
``GET /api/v1/claims?status=approved`` lists to demo-province, who may batch them; seeding twice adds nothing."""

from __future__ import annotations

import io
import json

import pytest

from jineng.subsidies.models import Claim, LedgerTransaction, PaymentBatch, PolicyVersion, Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts(make_user, make_org):
    from jineng.accounts.services import grant_create

    enterprise = make_org(region="440104", kind="enterprise", name="广州智造科技有限公司")
    users = {
        "hr": make_user("enterprise_hr", organization=enterprise, username="demo-enterprise"),
        "county2": make_user("county_official", region="440104", username="demo-county2"),
        "city": make_user("city_official", region="440100", username="demo-city"),
        "province": make_user("province_official", region="440000", username="demo-province"),
        "reviewer": make_user("province_official", region="440000", username="demo-reviewer"),
        "finance": make_user("finance", region="440000", username="demo-finance"),
    }
    grant_create(actor=None, user=users["province"], function="finance", region_code="440000")
    return users


def test_demo_has_claims_at_every_stage_and_approved_ones_demo_province_may_batch(demo_accounts, api):
    from jineng.subsidies.demo import DEMO_HIRES, WORK_STAGES, seed_demo

    out = io.StringIO()
    seed_demo(out)
    assert "policy versions published" in out.getvalue()
    by_status = {s: Claim.objects.filter(status=s).count() for s in set(WORK_STAGES)}
    assert by_status == {s: WORK_STAGES.count(s) for s in set(WORK_STAGES)}
    approved = Claim.objects.filter(status="approved")
    assert all(c.region_id == "440104" for c in approved)  # inside 440000: demo-province sees them
    for c in Claim.objects.exclude(accepted_by__isnull=True):  # four eyes: each step by another person
        people = [p for p in (c.accepted_by_id, c.first_reviewer_id, c.second_reviewer_id) if p]
        assert len(people) == len(set(people))
    batch = PaymentBatch.objects.get()  # the paid ones: one batch, settled by the bank's return
    assert batch.lines.count() == WORK_STAGES.count("paid")
    assert LedgerTransaction.objects.filter(kind="allocation").count() == 3
    assert Voucher.objects.filter(issue__region_id="440100").count() == 3  # the unemployed demo hires in 广州
    assert PolicyVersion.objects.filter(status="published").count() >= 10

    transactions = LedgerTransaction.objects.count()
    seed_demo(io.StringIO())  # idempotent
    assert Claim.objects.count() == len(DEMO_HIRES) and LedgerTransaction.objects.count() == transactions

    client = api(demo_accounts["province"])
    waiting = WORK_STAGES.count("approved")
    listed = client.get("/api/v1/claims?status=approved&page_size=50").json()
    assert listed["count"] == waiting and len(listed["items"]) == waiting
    ids = [item["id"] for item in listed["items"]]
    created = client.post("/api/v1/payment-batches", json.dumps({"claim_ids": ids}), content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY="demo-1")  # fmt: skip
    assert created.status_code == 201 and created.json()["line_count"] == waiting
    assert PaymentBatch.objects.count() == 2
    assert client.get("/api/v1/claims?status=approved&page_size=50").json()["count"] == 0


def test_demo_grants_reach_their_stages_each_step_by_another_person(demo_accounts, make_user, make_org):
    from jineng.providers.models import OrganizationProfile, TrainingBase
    from jineng.subsidies.demo import GRANTS, seed_demo
    from jineng.subsidies.models import BaseGrant, GrantStatus
    from jineng.subsidies.services.ledger import reconcile

    school = make_org(region="440106", kind="provider", name="广州市天河区职业培训学校")
    make_user("provider_staff", organization=school, username="demo-provider")
    host = OrganizationProfile.objects.create(organization=school, provider_type="technical_school")
    for name, *_rest in GRANTS[:3]:
        kind = "high_skill" if "基地" in name else "master_studio"
        TrainingBase.objects.create(kind=kind, name=name, level="national", approval_year=2024, region_id="440106",
                                    host=host, host_name=school.name)  # fmt: skip
    out = io.StringIO()
    seed_demo(out)
    statuses = dict(BaseGrant.objects.values_list("base_name", "status"))
    assert statuses == {GRANTS[0][0]: GrantStatus.PAID, GRANTS[1][0]: GrantStatus.APPROVED,
                        GRANTS[2][0]: GrantStatus.SUBMITTED}, out.getvalue()  # fmt: skip
    # the third was typed with an account the school was never paid on: its review shows the block
    mismatched = BaseGrant.objects.get(base_name=GRANTS[2][0])
    assert mismatched.payee_check == "mismatch"
    from jineng.common.errors import DomainError
    from jineng.subsidies.services import grants as grant_services

    with pytest.raises(DomainError) as err:
        grant_services.grant_review(actor=demo_accounts["city"], grant=mismatched, approve=True)
    assert err.value.code == "payee_not_confirmed"
    paid = BaseGrant.objects.get(status=GrantStatus.PAID)
    assert len({paid.requested_by_id, paid.reviewed_by_id, paid.lines.get().batch.created_by_id,
                paid.lines.get().confirmed_by_id}) == 4  # fmt: skip
    assert reconcile().ok
    seed_demo(io.StringIO())
    assert BaseGrant.objects.count() == 3
