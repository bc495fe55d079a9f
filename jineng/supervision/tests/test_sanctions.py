"""Sanctions and clawback from supervision (ADR 0027): decisions through the API with their bad input named, lifting,
the public 黑名单 (anonymous, organizations only), and a confirmed case's holds and recovery orders that never reach
claims outside the case official's scope (issue 17's leftover: ``_claims_behind``)."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.subsidies.tests.conftest import export_bank_file
from jineng.subsidies.tests.scope import _claim
from jineng.supervision.models import Case, Sanction
from jineng.supervision.services import (
    PROVINCIAL,
    case_recover,
    case_transition,
    sanction_approve,
    sanction_decide,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(make_org):
    return make_org("440106", "provider", "天河某培训学校")


def test_sanctions_through_the_api_with_bad_input_named(api, make_user, provider):
    inspector = make_user("inspector", region="440000")
    client = api(inspector)
    url = "/api/v1/supervision/sanctions"
    for body, field in (({"kind": "suspend", "reason": "停业整顿", "days": 0}, "days"),
                        ({"kind": "suspend", "reason": "停业整顿"}, "days"),
                        ({"kind": "blacklist", "reason": "骗补", "years": 11}, "years"),
                        ({"kind": "blacklist", "reason": "骗补"}, "years"),
                        ({"kind": "talk", "reason": ""}, "reason"),
                        ({"kind": "fine", "reason": "x"}, "kind"),
                        ({"kind": "talk", "reason": "x", "starts_on": "2020-01-01"}, "starts_on")):  # fmt: skip
        r = client.post(url, {"organization": str(provider.pk), **body}, content_type="application/json")
        assert r.status_code == 422, (body, r.content)
        assert field in r.content.decode(), (body, r.content)
    assert client.post(url, {"organization": "nope", "kind": "talk", "reason": "x"},
                       content_type="application/json").status_code == 404  # fmt: skip
    body = {"organization": str(provider.pk), "kind": "blacklist", "reason": "虚构学员骗取补贴", "years": 3,
            "document_number": "粤人社罚〔2026〕7号"}  # fmt: skip
    assert client.post(url, body, content_type="application/json").status_code == 403  # the province's decision
    client = api(make_user("province_official", region="440000"))
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")  # a retry records nothing more
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Sanction.objects.count() == 1
    # 待复核: not in force, not public until a second person approves it
    assert (first.json()["status"], first.json()["in_force"]) == ("pending", False)
    from django.test import Client

    anonymous = Client()
    assert anonymous.get("/api/v1/public/blacklist").json()["count"] == 0
    decision = f"{url}/{first.json()['id']}/decision"
    assert client.post(decision, {"approve": True}, content_type="application/json").status_code == 409  # same one
    second = api(make_user("province_official", region="440000"))
    approved = second.post(decision, {"approve": True}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["in_force"] is True
    assert second.post(decision, {"approve": True}, content_type="application/json").status_code == 200  # retry
    listed = client.get(url + "?status=in_force").json()
    assert [s["number"] for s in listed["items"]] == [first.json()["number"]]
    # the public blacklist: anonymous, the organization and the decision only
    public = anonymous.get("/api/v1/public/blacklist").json()
    assert public["count"] == 1 and public["items"][0]["credit_code"] == provider.credit_code
    assert set(public["items"][0]) == {"number", "organization_name", "credit_code", "region", "reason",
                                       "document_number", "starts_on", "ends_on"}  # fmt: skip
    page = anonymous.get("/public/blacklist/").content.decode()
    assert provider.name in page and "粤人社罚〔2026〕7号" in page
    lift = client.post(f"{url}/{first.json()['id']}/lift", {"reason": ""}, content_type="application/json")
    assert lift.status_code == 422
    lifted = client.post(
        f"{url}/{first.json()['id']}/lift", {"reason": "行政复议撤销"}, content_type="application/json"
    )
    assert lifted.json()["status"] == "lifted" and lifted.json()["in_force"] is False
    assert anonymous.get("/api/v1/public/blacklist").json()["count"] == 0


def test_sanction_pages(api, make_user, provider):
    province = make_user("province_official", region="440000")
    client = api(province)
    r = client.post("/supervision/sanctions/", {"credit_code": provider.credit_code, "kind": "rectify", "days": "20",
                                                "reason": "台账不全，限期整改"})  # fmt: skip
    assert r.status_code == 302
    s = Sanction.objects.get()
    assert (s.kind, s.ends_on - s.starts_on) == ("rectify", dt.timedelta(days=19))
    assert "台账不全" in client.get(f"/supervision/sanctions/{s.pk}/").content.decode()
    bad = client.post("/supervision/sanctions/", {"credit_code": "123", "kind": "talk", "reason": "x"})
    assert bad.status_code == 422 and "统一社会信用代码" in bad.content.decode()
    bad = client.post("/supervision/sanctions/", {"credit_code": provider.credit_code, "kind": "suspend",
                                                  "reason": "x", "days": "999"})  # fmt: skip
    assert bad.status_code == 422 and "停业整顿期限" in bad.content.decode()
    client.post(f"/supervision/sanctions/{s.pk}/lift/", {"reason": "已整改到位"})
    s.refresh_from_db()
    assert s.status == "lifted" and s.lift_reason == "已整改到位"


@pytest.mark.parametrize("kind", PROVINCIAL)
def test_provincial_sanctions_are_the_provinces_to_record_and_to_lift(api, make_user, provider, kind):
    """移出目录, 黑名单, 吊销许可: an inspector whose grant reaches the whole province, or a city official, can neither
    record nor lift one (API and page); a province official can."""
    province = make_user("province_official", region="440000")
    others = [make_user("inspector", region="440000"), make_user("city_official", region="440100")]
    url = "/api/v1/supervision/sanctions"
    body = {"organization": str(provider.pk), "kind": kind, "reason": "骗取补贴", "years": 3,
            "document_number": "粤人社罚〔2026〕5号"}  # fmt: skip
    for other in others:
        client = api(other)
        assert client.post(url, body, content_type="application/json").status_code == 403, (kind, other)
        page = client.post("/supervision/sanctions/", {"organization": str(provider.pk), "kind": kind,
                                                       "reason": "骗取补贴", "years": "3",
                                                       "document_number": "粤人社罚〔2026〕5号"})  # fmt: skip
        assert page.status_code in (403, 422), (kind, other, page.status_code)
    assert not Sanction.objects.exists()
    if kind == "delist":  # recorded through the catalog's exit (tests/test_sanctions_hook); here only its lifting
        s = Sanction.objects.create(number="CF2026000001", organization=provider, organization_name=provider.name,
                                    region_id=provider.region_id, kind=kind, reason="骗取补贴",
                                    decided_on=dt.date.today(), starts_on=dt.date.today())  # fmt: skip
    else:
        s = sanction_decide(actor=province, organization=provider, kind=kind, reason="骗取补贴", years=3,
                            document_number="粤人社罚〔2026〕5号")  # fmt: skip
        for other in others:  # nor approve it
            r = api(other).post(f"{url}/{s.pk}/decision", {"approve": True}, content_type="application/json")
            assert r.status_code == 403, (kind, other)
        s = sanction_approve(actor=make_user("province_official", region="440000"), sanction=s)
    for other in others:
        client = api(other)
        r = client.post(f"{url}/{s.pk}/lift", {"reason": "撤销"}, content_type="application/json")
        assert r.status_code == 403, (kind, other)
        detail = client.get(f"/supervision/sanctions/{s.pk}/").content.decode()
        assert "解除理由" not in detail and "由省级人社部门决定和解除" in detail
        client.post(f"/supervision/sanctions/{s.pk}/lift/", {"reason": "撤销"})
        s.refresh_from_db()
        assert s.status == "active", (kind, other)
    lifted = api(province).post(f"{url}/{s.pk}/lift", {"reason": "行政复议撤销"}, content_type="application/json")
    assert lifted.status_code == 200 and lifted.json()["status"] == "lifted"


def test_the_form_offers_an_inspector_only_the_kinds_an_inspector_decides(api, make_user, provider):
    page = api(make_user("inspector", region="440000")).get("/supervision/sanctions/").content.decode()
    form = page.split('id="s-kind"')[1].split("</select>")[0]
    assert 'value="suspend"' in form and all(f'value="{k}"' not in form for k in PROVINCIAL)
    assert "须由省级人社部门决定" in page and "您没有省级处罚权限" in page
    page = api(make_user("province_official", region="440000")).get("/supervision/sanctions/").content.decode()
    form = page.split('id="s-kind"')[1].split("</select>")[0]
    assert all(f'value="{k}"' in form for k in PROVINCIAL)
    assert "须由省级人社部门决定" in page and "您没有省级处罚权限" not in page
    assert "吊销许可。列入黑名单" in page  # the list of kinds ends its sentence before the next one starts


def _paid(claim, finance, cashier):
    from jineng.subsidies.services import payments

    batch = payments.batch_create(actor=finance, claim_ids=[claim.pk])
    export_bank_file(finance, batch)  # the bank file goes out before any return
    payments.returns_apply(actor=cashier, rows=[payments.ReturnRow(1, str(batch.lines.get().pk), "", "成功")],
                           batch=batch)  # fmt: skip
    claim.refresh_from_db()
    assert claim.status == "paid"
    return claim


def test_holds_and_recoveries_stay_in_the_case_officials_scope(make_user):
    """One person behind a case in 天河 has claims in 天河 and in 罗湖: the 广州 inspector's hold and recovery reach
    the 天河 claims only."""
    finance, cashier = make_user("finance", region="440000"), make_user("finance", region="440000")
    gz = make_user("inspector", region="440100")
    held_here, held_there = _claim("440106", status="approved"), _claim("440303", status="approved")
    paid_here = _paid(_claim("440106", status="approved"), finance, cashier)
    paid_there = _paid(_claim("440303", status="approved"), finance, cashier)
    person = held_here.person
    for c in (held_there, paid_here, paid_there):
        c.person = person
        c.save(update_fields=["person"])
    case = Case.objects.create(number="XS-SCOPE-1", rule="shared_phone", fingerprint="f" * 64, severity="high",
                               region_id="440106", summary="同一手机号", evidence=[
                                   {"kind": "person", "id": str(person.pk)},
                                   {"kind": "claim", "id": str(held_there.pk)}])  # fmt: skip
    case = case_transition(actor=gz, case=case, to="investigating")
    case = case_transition(actor=gz, case=case, to="confirmed", reason="核实冒用", hold_claims=True)
    from jineng.subsidies.api import claims_on_hold

    assert claims_on_hold([held_here.pk, held_there.pk]) == {str(held_here.pk)}  # 罗湖's claim, even named, is not
    assert case.claims_held == 1
    due = dt.date.today() + dt.timedelta(days=30)
    orders = case_recover(actor=gz, case=case, reason="冒用身份骗补", due_date=due)
    assert [o.claim_id for o in orders] == [paid_here.pk]
    assert case_recover(actor=gz, case=case, reason="重试", due_date=due)[0].pk == orders[0].pk  # idempotent
    from jineng.subsidies.models import RecoveryOrder

    assert RecoveryOrder.objects.count() == 1


def test_recovery_needs_a_confirmed_case(api, make_user):
    inspector = make_user("inspector", region="440000")
    case = Case.objects.create(number="XS-NEW-1", rule="shared_phone", fingerprint="e" * 64, severity="high",
                               region_id="440106", summary="x", evidence=[])  # fmt: skip
    r = api(inspector).post(f"/api/v1/supervision/cases/{case.pk}/recoveries",
                            {"reason": "x", "due_date": "2030-01-01"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 409 and r.json()["code"] == "bad_transition"


def test_the_demo_blacklists_a_provider_even_when_its_scan_finds_no_paid_claim(make_user, client):
    """The walk of a fresh demo: /public/blacklist/ said 目前没有列入黑名单的机构 — the blacklisted provider was seeded
    only behind the clawback case of a paid claim. No claims here: the 黑名单 still has it."""
    from io import StringIO

    from jineng.supervision.demo import seed_demo

    make_user("province_official", region="440000", username="demo-province")
    make_user("province_official", region="440000", username="demo-reviewer")
    seed_demo(StringIO())
    seed_demo(StringIO())  # idempotent
    assert Sanction.objects.filter(kind="blacklist").count() == 1
    page = client.get("/public/blacklist/").content.decode()
    assert "广州市海珠区速成职业技能培训中心" in page and "目前没有列入黑名单的机构" not in page
    assert Sanction.objects.get(kind="revoke").status == "pending"  # demo-reviewer's to approve
    assert "广州市白云区金牌职业培训学校" not in page
