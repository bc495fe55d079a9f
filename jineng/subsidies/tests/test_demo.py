"""The demo data: published policies with citations, funds allocated, approved claims of the demo enterprise that
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
    }
    grant_create(actor=None, user=users["province"], function="finance", region_code="440000")
    return users


def test_demo_has_approved_claims_that_demo_province_may_batch(demo_accounts, api):
    from jineng.subsidies.demo import DEMO_HIRES, PUBLICITY_AT, seed_demo

    out = io.StringIO()
    seed_demo(out)
    assert "policy versions published" in out.getvalue()
    approved = Claim.objects.filter(status="approved")
    assert approved.count() == PUBLICITY_AT and Claim.objects.filter(status="publicity").count() == 1
    assert Claim.objects.filter(status="submitted").count() == len(DEMO_HIRES) - PUBLICITY_AT - 1
    assert all(c.region_id == "440104" for c in approved)  # inside 440000: demo-province sees them
    assert LedgerTransaction.objects.filter(kind="allocation").count() == 3
    assert Voucher.objects.filter(issue__region_id="440100").count() == 3  # the unemployed demo hires in 广州
    assert PolicyVersion.objects.filter(status="published").count() >= 10

    seed_demo(io.StringIO())  # idempotent
    assert Claim.objects.count() == len(DEMO_HIRES) and LedgerTransaction.objects.count() == 3

    client = api(demo_accounts["province"])
    listed = client.get("/api/v1/claims?status=approved&page_size=3").json()
    assert listed["count"] == PUBLICITY_AT and len(listed["items"]) == 3
    ids = [item["id"] for item in listed["items"]]
    created = client.post("/api/v1/payment-batches", json.dumps({"claim_ids": ids}), content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY="demo-1")  # fmt: skip
    assert created.status_code == 201 and created.json()["line_count"] == 3
    assert PaymentBatch.objects.count() == 1
    assert client.get("/api/v1/claims?status=approved&page_size=50").json()["count"] == PUBLICITY_AT - 3
