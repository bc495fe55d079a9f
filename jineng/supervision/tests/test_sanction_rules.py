"""The sanction rules from the attack (issue 18): the kinds that apply to each kind of organization, the 文号 and the
second person a 黑名单 / 吊销许可 needs before it is in force and public, the decision form started from a case with
its organization chosen, and refusals in English too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from jineng.supervision.models import Case, Sanction

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/sanctions"


@pytest.mark.parametrize("org_kind", ["enterprise", "evaluator"])
@pytest.mark.parametrize("kind", ["suspend", "delist", "blacklist", "revoke"])
def test_only_the_kinds_that_apply_to_an_organization_are_accepted(api, make_user, make_org, org_kind, kind):
    org = make_org("440106", org_kind)
    client = api(make_user("province_official", region="440000"))
    body = {"organization": str(org.pk), "kind": kind, "reason": "违规", "years": 2, "days": 30,
            "document_number": "粤人社罚〔2026〕7号"}  # fmt: skip
    r = client.post(URL, body, content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "kind_not_applicable", r.content
    assert not Sanction.objects.exists()
    ok = client.post(URL, {**body, "kind": "talk"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["status"] == "active"
    assert Client().get("/api/v1/public/blacklist").json()["count"] == 0  # never on the 培训机构黑名单
    client.cookies["django_language"] = "en"
    with translation.override("zh-hans"):  # the request switches the thread to English: switch it back after
        english = client.post(URL, body, content_type="application/json")
    assert english.json()["code"] == "kind_not_applicable" and "不适用" not in english.json()["message"]


@pytest.mark.parametrize("number", ["", "7号", "粤人社罚2026年7号", "粤人社罚〔26〕7号", "粤人社罚〔2026〕号",
                                    "<b>〔2026〕7号", "粤" * 55 + "〔2026〕7号"])  # fmt: skip
def test_a_blacklist_needs_a_valid_document_number(api, make_user, make_org, number):
    org = make_org("440106", "provider")
    client = api(make_user("province_official", region="440000"))
    body = {"organization": str(org.pk), "kind": "blacklist", "reason": "骗补", "years": 3, "document_number": number}
    r = client.post(URL, body, content_type="application/json")
    assert r.status_code == 422 and "document_number" in r.content.decode(), (number, r.content)
    assert not Sanction.objects.exists()


def test_a_revocation_waits_for_a_second_person_and_a_rejection_needs_a_reason(api, make_user, make_org):
    org = make_org("440106", "provider")
    first, second = make_user("province_official", region="440000"), make_user("province_official", region="440000")
    r = api(first).post(URL, {"organization": str(org.pk), "kind": "revoke", "reason": "伪造办学许可",
                              "document_number": "粤人社罚〔2026〕11号"}, content_type="application/json")  # fmt: skip
    s = Sanction.objects.get(pk=r.json()["id"])
    assert s.status == "pending"
    from jineng.providers.api import sanction_refusal

    assert sanction_refusal(org.pk, "claim") is None  # pending: no effect
    page = api(first).get(f"/supervision/sanctions/{s.pk}/").content.decode()
    assert "待另一人复核" in page and "同意，生效并公开" not in page  # the decider is not offered the approval
    page = api(second).get(f"/supervision/sanctions/{s.pk}/").content.decode()
    assert "同意，生效并公开" in page
    decision = f"{URL}/{s.pk}/decision"
    no_reason = api(second).post(decision, {"approve": False, "reason": " "}, content_type="application/json")
    assert no_reason.status_code == 422
    api(second).post(f"/supervision/sanctions/{s.pk}/decision/", {"approve": "0", "reason": "证据不足，退回重查"})
    s.refresh_from_db()
    assert (s.status, s.lift_reason) == ("rejected", "证据不足，退回重查")
    assert api(second).post(decision, {"approve": True}, content_type="application/json").status_code == 409
    assert sanction_refusal(org.pk, "claim") is None


def test_recording_a_sanction_starts_from_the_case_with_its_provider_chosen(api, make_user, make_org):
    org = make_org("440106", "provider", "天河某培训学校")
    case = Case.objects.create(number="XS20260000001", rule="ghost_trainee", fingerprint="f1", severity="high",
                               region_id="440106", provider=org, summary="虚构学员", status="confirmed",
                               decision_reason="核实虚构学员 3 人")  # fmt: skip
    inspector = api(make_user("inspector", region="440000"))
    page = inspector.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert f"/supervision/sanctions/?case={case.pk}" in page
    form = inspector.get(f"/supervision/sanctions/?case={case.pk}").content.decode()
    assert f'value="{org.pk}" selected' in form and 'value="XS20260000001"' in form and "核实虚构学员" in form
    r = inspector.post("/supervision/sanctions/", {"organization": str(org.pk), "case": case.number, "kind": "rectify",
                                                   "days": "30", "reason": "限期整改"})  # fmt: skip
    assert r.status_code == 302
    assert Sanction.objects.get().case_id == case.pk
    # a typed organization is not taken: it is chosen from those in scope
    outside = make_org("440303", "provider")
    bad = inspector.post("/supervision/sanctions/", {"organization": "not-a-uuid", "kind": "talk", "reason": "x"})
    assert bad.status_code in (404, 422)
    city = api(make_user("city_official", region="440100"))
    assert city.post("/supervision/sanctions/", {"organization": str(outside.pk), "kind": "talk",
                                                 "reason": "x"}).status_code in (404, 422)  # fmt: skip
    assert Sanction.objects.count() == 1  # Shenzhen's organization is not the Guangzhou official's


def test_refusals_read_in_english(api, make_user, make_org):
    org = make_org("440106", "provider")
    client = api(make_user("province_official", region="440000"))
    client.cookies["django_language"] = "en"
    with translation.override("zh-hans"):  # the request switches the thread to English: switch it back after
        r = client.post("/supervision/sanctions/", {"organization": str(org.pk), "kind": "suspend", "reason": "x",
                                                    "days": "999"})  # fmt: skip
    body = r.content.decode()
    assert r.status_code == 422 and "停业整顿期限" not in body and "366" in body
