"""The credit bank's pages and API: the worker's own credits, the officials' list, a person's account (核算, 转换),
recognition requests through the pages and their review by a second person; bad input answered on the form."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from jineng.credits import services
from jineng.credits.models import Conversion, Recognition
from jineng.credits.tests.conftest import certificate, completed_class, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(bank, make_user):
    person = make_person(name="李学分")
    completed_class(person, 64)
    certificate(bank.province, person, level="grade4")
    services.credits_derive(actor=bank.province, person_ids=[person.pk])
    worker = make_user("worker")
    worker.person_id = person.pk
    worker.save(update_fields=["person_id"])
    return person, worker


def test_the_worker_sees_their_balance_and_every_entry_with_its_rule_version(account, client):
    person, worker = account
    client.force_login(worker)
    page = client.get("/credits/mine/").content.decode()
    assert "8.0" in page and "4.0" in page  # 4 class credits + 4 certificate credits
    assert "规则第 1 版" in page and "64 学时 ÷ 16 学时/学分" in page
    # the version is named with the region that published it: 天河区 has none of its own, 广东省's applies
    assert "广东省 第 1 版" in page and "天河区未单独发布，适用上级规则" in page and "天河区 第 1 版" not in page
    rules = client.get("/credits/rules/").content.decode()
    assert "天河区：适用广东省第 1 版" in rules and "适用范围：广东省，及其下级未单独发布规则的地区" in rules
    data = client.get("/api/v1/credits/mine").json()
    assert data["total"] == "8.0" and {e["source"] for e in data["entries"]} == {"training", "certificate"}
    assert data["name"] != "李学分"  # masked


def test_a_worker_without_a_person_sees_an_explanation_not_an_error(make_user, client):
    client.force_login(make_user("worker"))
    assert "尚未关联实名档案" in client.get("/credits/mine/").content.decode()


def test_officials_list_accounts_in_scope_and_open_a_person(bank, account, client):
    person, _worker = account
    client.force_login(bank.county)
    listing = client.get("/credits/").content.decode()
    assert f"/credits/persons/{person.pk}/" in listing and "李学分" not in listing  # names masked
    assert client.get(f"/credits/persons/{person.pk}/").status_code == 200
    client.force_login(bank.shenzhen)
    assert f"/credits/persons/{person.pk}/" not in client.get("/credits/").content.decode()
    assert client.get(f"/credits/persons/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/credits/persons/{person.pk}").status_code == 404


def test_a_conversion_is_asked_on_the_page_with_consent_and_approved_by_another_person(bank, account, client):
    person, worker = account
    client.force_login(bank.county)
    page = client.get(f"/credits/persons/{person.pk}/").content.decode()
    assert '<select name="conv-region"' in page and "广州市 · 天河区" in page  # the region is picked, not typed
    assert f'value="{timezone.localdate().isoformat()}"' in page  # the consent date, as a date input reads it
    url = f"/credits/persons/{person.pk}/convert/"
    form = {"conv-target": "module_hours", "conv-target_label": "电工基础模块", "conv-credits": "9",
            "conv-region": "440106", "conv-reason": "学分转换申请", "conv-consent_method": "signed_form",
            "conv-consent_ref": "TH-ZH-2026-007", "conv-consent_on": timezone.localdate().isoformat()}  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 422 and "可用学分 8.0" in response.content.decode()
    assert client.post(url, {**form, "conv-region": "440300"}).status_code == 422  # not a region of the official
    missing = client.post(url, {**form, "conv-credits": "2", "conv-consent_ref": ""})
    assert missing.status_code == 422 and not Conversion.objects.exists()
    response = client.post(url, {**form, "conv-credits": "2"})
    conversion = Conversion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/credits/conversions/{conversion.pk}/"
    assert conversion.status == "pending" and conversion.hours_waived == 32
    assert client.post(url, {**form, "conv-credits": "2"}).status_code == 422  # the same module again
    own = client.get(f"/credits/conversions/{conversion.pk}/").content.decode()
    assert "TH-ZH-2026-007" in own and "须由另一人审核" in own and "decide-form" not in own
    assert client.post(f"/credits/conversions/{conversion.pk}/approve/").status_code == 422  # self-approval
    client.force_login(worker)
    mine = client.get("/credits/mine/").content.decode()
    assert "本人签字的书面申请" in mine and "TH-ZH-2026-007" in mine and "待审核" in mine
    client.force_login(bank.reviewer)
    assert "1 条待审" in client.get("/credits/").content.decode()
    assert "电工基础模块" in client.get("/credits/conversions/?status=pending").content.decode()
    assert client.post(f"/credits/conversions/{conversion.pk}/approve/").status_code == 302
    conversion.refresh_from_db()
    assert conversion.status == "approved" and sum(services.balance_of(person.pk).values()) == 6
    client.force_login(bank.shenzhen)
    assert client.get(f"/credits/conversions/{conversion.pk}/").status_code == 404


def test_a_recognition_through_the_pages_needs_a_second_person(bank, client):
    client.force_login(bank.county)
    form = {"rec-id_number": "", "rec-name": "李学分", "rec-region": "440106", "rec-from_region": "430100",
            "rec-record_ref": "HN-PX-1", "rec-issuer": "长沙市培训中心", "rec-description": "电工培训结业",
            "rec-category": "training", "rec-credits": "3", "rec-earned_on": "2025-05-01"}  # fmt: skip
    from jineng.registry.tests.factories import id18

    assert client.post("/credits/recognitions/new/", form).status_code == 422  # no ID number
    number = id18("440106", seq=991)
    from jineng.registry.services.persons import person_create

    holder = person_create(actor=None, name="钱互认", id_number=number, residence_region="440106",
                           check_permission=False)  # fmt: skip
    mismatch = client.post("/credits/recognitions/new/", {**form, "rec-id_number": number})
    assert mismatch.status_code == 422 and "证件号码与姓名不符" in mismatch.content.decode()
    wrong_check = number[:17] + ("0" if number[17] != "0" else "1")
    for bad, says in (
        (wrong_check, "校验位不正确"),
        (number[:17], "应为18位"),
        (number[:6] + "2099" + number[10:], "出生日期"),
    ):
        page = client.post("/credits/recognitions/new/", {**form, "rec-id_number": bad, "rec-name": "钱互认"})
        assert page.status_code == 422 and says in page.content.decode() and "不符" not in page.content.decode()
    typed = client.post("/credits/recognitions/new/", {**form, "rec-id_number": number, "rec-name": "钱互认",
                                                       "rec-from_region": "440106"})  # fmt: skip
    assert typed.status_code == 422 and "rec-from_region" in typed.content.decode()  # only listed regions are taken
    blank = client.get("/credits/recognitions/new/").content.decode()
    assert '<optgroup label="湖南省">' in blank and '<option value="430100">长沙市</option>' in blank
    assert 'value="440106"' not in blank.split('name="rec-from_region"')[1].split("</select>")[0]  # no counties
    done = client.post("/credits/recognitions/new/", {**form, "rec-id_number": number, "rec-name": "钱互认"})
    assert done.status_code == 302
    rec = Recognition.objects.get(person=holder)
    own = client.get(f"/credits/recognitions/{rec.pk}/").content.decode()
    assert "须由另一人审核" in own and "decide-form" not in own
    assert client.post(f"/credits/recognitions/{rec.pk}/approve/", {"dec-reason": ""}).status_code == 422
    client.force_login(bank.reviewer)
    assert "decide-form" in client.get(f"/credits/recognitions/{rec.pk}/").content.decode()
    assert client.post(f"/credits/recognitions/{rec.pk}/reject/", {"dec-reason": ""}).status_code == 422
    assert client.post(f"/credits/recognitions/{rec.pk}/approve/", {"dec-reason": "核验无误"}).status_code == 302
    assert services.balance_of(holder.pk)["training"] == 3
    api = client.get("/api/v1/credits/recognitions?status=approved").json()
    assert [r["record_ref"] for r in api["items"]] == ["HN-PX-1"] and api["items"][0]["person_name"] != "钱互认"


def test_rules_page_reads_the_rules_in_words(bank, client):
    client.force_login(bank.county)
    page = client.get("/credits/rules/").content.decode()
    assert "每 16 学时（考勤认定的线下学时）记 1 学分" in page and "广东省技能学分银行管理办法" in page


def test_an_official_rederives_a_person_from_the_page(bank, client):
    person = make_person(name="孙核算")
    certificate(bank.province, person, level="grade5", region="440106")
    client.force_login(bank.county)
    assert client.post(f"/credits/persons/{person.pk}/derive/").status_code == 302
    assert services.balance_of(person.pk)["certificate"] == 2


def test_the_worker_downloads_a_signed_transcript_that_verifies_offline_and_refuses_tampering(account, client):
    import base64
    import json

    from joserfc import jws
    from joserfc.errors import BadSignatureError
    from joserfc.jwk import OKPKey

    _person, worker = account
    client.force_login(worker)
    response = client.get("/credits/mine/transcript/")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    (jwk,) = [k for k in client.get("/.well-known/jwks.json").json()["keys"] if k["kid"] == header["kid"]]
    payload = json.loads(jws.deserialize_compact(token, OKPKey.import_key(jwk), algorithms=["Ed25519"]).payload)
    assert "ClrCredential" in payload["type"]
    subject = payload["credentialSubject"]
    assert subject["balance"]["training"] == "4.0" and subject["identifier"][0]["identityHash"] != "李学分"
    assert {a["source"] for a in subject["achievement"]} == {"training", "certificate"}
    head, body, signature = token.split(".")
    forged = dict(payload, credentialSubject={**subject, "balance": {**subject["balance"], "training": "40.0"}})
    tampered = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(f"{head}.{tampered}.{signature}", OKPKey.import_key(jwk), algorithms=["Ed25519"])


def test_a_worker_without_a_person_has_no_transcript(make_user, client):
    client.force_login(make_user("worker"))
    assert client.get("/credits/mine/transcript/").status_code == 404


def test_a_worker_reads_the_rules_they_are_credited_under_and_no_other_regions(bank, account, make_user, client):
    import datetime as dt

    from jineng.credits.tests.conftest import GD_RULES

    hunan = make_user("province_official", region="430000")
    services.rules_set(actor=hunan, region_code="430000", valid_from=dt.date(2020, 1, 1),
                       basis="湖南省学分办法（测试）", rules=GD_RULES)  # fmt: skip
    _person, worker = account
    client.force_login(worker)
    assert 'href="/credits/rules/"' in client.get("/credits/mine/").content.decode()
    response = client.get("/credits/rules/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "广东省技能学分银行管理办法" in page and "湖南省学分办法" not in page
    client.force_login(make_user("worker"))  # no person linked: no rules, no error
    assert "暂无学分规则" in client.get("/credits/rules/").content.decode()


def test_my_credits_says_where_to_apply_for_recognition_of_records_from_elsewhere(account, client):
    client.force_login(account[1])
    page = client.get("/credits/mine/").content.decode()
    assert "到所在县（区）人社部门申请互认" in page and "可申请外地记录互认" not in page


def test_the_public_verifier_recognises_a_transcript_as_a_valid_credit_transcript(account, client):
    client.force_login(account[1])
    token = client.get("/credits/mine/transcript/").content.decode()
    client.logout()
    body = client.post("/api/v1/public/credentials/verify", {"credential": token},
                       content_type="application/json").json()  # fmt: skip
    assert body["valid"] is True and body["reason"] == "" and body["certificate"] is None
    assert body["transcript"]["total"] == "8.0" and body["transcript"]["balance"]["training"] == "4.0"
    assert body["transcript"]["issued_on"] and "技能学分证明" in body["message"] and "8.0 学分" in body["message"]
    assert "unknown_certificate" not in body["message"] and "没有该证书" not in body["message"]


def test_the_public_verifies_a_pasted_or_uploaded_transcript_and_is_told_why_a_bad_one_fails(account, client):
    import base64
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    _person, worker = account
    client.force_login(worker)
    assert 'href="/credits/verify/"' in client.get("/credits/mine/").content.decode()  # linked for the holder
    token = client.get("/credits/mine/transcript/").content.decode()
    client.logout()  # the verifier is public
    page = client.post("/credits/verify/", {"token": token})
    text = page.content.decode()
    assert page.status_code == 200 and "学分证明有效" in text and "李学分" not in text  # the holder stays masked
    assert "8.0" in text and "规则第 1 版" in text
    upload = SimpleUploadedFile("credits-transcript.jwt", token.encode(), content_type="application/vc+jwt")
    assert "学分证明有效" in client.post("/credits/verify/", {"file": upload}).content.decode()
    head, body, signature = token.split(".")
    forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged["credentialSubject"]["balance"]["training"] = "40.0"
    tampered = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    stranger = base64.urlsafe_b64encode(json.dumps({**header, "kid": "someone-else"}).encode()).decode().rstrip("=")
    for bad, why in ((f"{head}.{tampered}.{signature}", "签名无效"), (f"{stranger}.{body}.{signature}", "jwks.json"),
                     ("not a transcript", "格式不对")):  # fmt: skip
        answer = client.post("/credits/verify/", {"token": bad}).content.decode()
        assert "不是有效的学分证明" in answer and why in answer
    assert client.post("/credits/verify/", {"token": ""}).status_code == 422  # nothing given
    huge = SimpleUploadedFile("big.jwt", b"a" * (64 * 1024 + 1))
    assert "文件过大" in client.post("/credits/verify/", {"file": huge}).content.decode()
    binary = SimpleUploadedFile("x.jwt", b"\xff\xfe\x00")
    assert "不是文本格式" in client.post("/credits/verify/", {"file": binary}).content.decode()
    assert client.post("/credits/verify/", {"token": "a" * (64 * 1024 + 1)}).status_code == 422


def test_the_account_list_explains_the_net_credits_in_its_region(bank, account, client):
    client.force_login(bank.county)
    page = client.get("/credits/").content.decode()
    assert "辖区内净学分：只计归属本辖区的学分记录" in page and 'href="#net-explained"' in page


def test_a_phone_sees_the_amount_next_to_each_entry(bank, account, client):
    """390 px: the official's ledger keeps 日期/学分/类型/来源 on screen (the rest is md and up)."""
    person, _worker = account
    client.force_login(bank.county)
    page = client.get(f"/credits/persons/{person.pk}/").content.decode()
    head = page[page.index('id="credit-entries"') : page.index("</thead>")]
    cells = re.findall(r'<th(?: class="([^"]*)")?>([^<]*)</th>', head)
    assert [text for css, text in cells if "d-none" not in css] == ["日期", "学分", "类型", "来源"]
