"""Bad input at the credit bank's API: malformed ids, wrong roles, forged or odd transcripts, out-of-range numbers and
dates — each answered 4xx naming the field, never a server error, nothing written."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from jineng.credits.models import CreditEntry, TranscriptImport
from jineng.credits.tests import test_exchange
from jineng.credits.tests.test_exchange import HUNAN, Deployment, _holder

pytestmark = pytest.mark.django_db
API = "/api/v1/credits"
JSON = "application/json"
hunan = test_exchange.hunan  # the trusted issuer fixture


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _import(api: Any, user: Any, person: Any, token: str) -> Any:
    return api(user).post(f"{API}/imports", {"person_id": str(person.pk), "region": "440106", "token": token},
                          content_type=JSON)  # fmt: skip


def test_forged_and_malformed_transcripts_are_refused_on_the_token_field(bank, hunan, api):
    person = _holder(bank)
    good = hunan.transcript(person)
    head, body, sig = good.split(".")
    none_head = _b64(json.dumps({"alg": "none", "kid": hunan.kid}).encode())
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["credentialSubject"]["achievement"][0]["creditsRemaining"] = "99"
    tampered = _b64(json.dumps(payload).encode())
    attacks = [
        "",
        "a.b",
        "not base64!.x.y",
        f"{none_head}.{body}.",
        f"{none_head}.{body}.{sig}",
        f"{head}.{tampered}.{sig}",
        Deployment().transcript(person),
        "é.é.é",
        f"{head}.{body}.{'A' * 60_000}",
        "\x00" * 100,
        f"{head}..{sig}",
        _b64(b"[1,2]") + f".{body}.{sig}",
        _b64(b'{"alg":["Ed25519"]}') + f".{body}.{sig}",
    ]
    for token in attacks:
        answer = _import(api, bank.county, person, token)
        assert answer.status_code in (400, 422), (token[:40], answer.content)
        assert answer.json()["fields"][0]["field"] == "token", token[:40]
    assert _import(api, bank.county, person, "x" * 70_000).status_code == 422  # oversized body field
    assert not TranscriptImport.objects.exists() and not CreditEntry.objects.filter(kind="recognize").exists()


def _signed(hunan: Any, person: Any, **changes: Any) -> str:
    from jineng.credits import services

    payload = services.transcript_payload(person, HUNAN)
    subject_changes = changes.pop("subject", {})
    payload.update(changes)
    payload["credentialSubject"].update(subject_changes)
    return hunan.sign(payload)


@pytest.mark.parametrize("changes", [
    {"validFrom": "0001-01-01T00:00:00+14:00"},
    {"validFrom": "2020-01-01T00:00:00+00:00", "validUntil": "9999-12-31T23:59:59-12:00"},
    {"subject": {"identifier": 5}},
    {"subject": {"achievement": "all"}},
    {"id": {"x": 1}},
    {"validFrom": "2020-01-01T00:00:00+00:00", "validUntil": "soon"},
])  # fmt: skip
def test_a_signed_transcript_with_odd_fields_is_refused_or_imported_never_a_server_error(bank, hunan, api, changes):
    person = _holder(bank)
    answer = _import(api, bank.county, person, _signed(hunan, person, **changes))
    assert answer.status_code in (400, 422), answer.content
    assert answer.json()["fields"][0]["field"] == "token"
    assert not TranscriptImport.objects.exists()


def test_wrong_roles_and_bad_ids_at_the_import_and_issuer_endpoints(bank, hunan, api, make_user):
    person = _holder(bank)
    token = hunan.transcript(person)
    worker = make_user("worker", region="440106")
    assert _import(api, worker, person, token).status_code in (403, 404)
    assert _import(api, bank.county2, person, token).status_code in (403, 404)  # another county's person
    bad_id = api(bank.county).post(f"{API}/imports", {"person_id": "1' or 1=1", "region": "440106", "token": token},
                                   content_type=JSON)  # fmt: skip
    assert bad_id.status_code == 404
    bad_region = api(bank.county).post(f"{API}/imports", {"person_id": str(person.pk), "region": "zz\x00",
                                                          "token": token}, content_type=JSON)  # fmt: skip
    assert bad_region.status_code in (400, 403, 422)
    for url in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        answer = api(bank.province).post(f"{API}/issuers/{url}/deactivate", {"reason": "停用测试"}, content_type=JSON)
        assert answer.status_code == 404
    assert api(worker).post(f"{API}/issuers/{hunan.issuer.pk}/deactivate", {"reason": "停用测试"},
                            content_type=JSON).status_code == 403  # fmt: skip
    bad_x = json.dumps({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "é" * 43}]})
    for keys in (
        "",
        "{",
        "[]",
        '{"keys": 5}',
        '{"keys": [1]}',
        bad_x,
        '{"kty":"OKP","crv":"Ed25519","x":null}',
        "null",
        "5",
    ):
        answer = api(bank.province).post(f"{API}/issuers", {"name": "某省平台", "issuer_url": "https://x.example.cn",
                                                           "region": "430000", "keys": keys}, content_type=JSON)  # fmt: skip
        assert answer.status_code in (400, 422) and answer.json()["fields"][0]["field"] == "keys", (
            keys,
            answer.content,
        )


def test_bad_bodies_at_the_request_and_rules_endpoints(bank, api):
    person = _holder(bank)
    p = str(person.pk)
    posts = [
        ("recognitions", {"person_id": p, "region": "440106", "from_region": "430000", "record_ref": "R1",
                          "issuer": "湖南", "description": "x", "category": "training", "credits": "NaN",
                          "earned_on": "2025-01-01"}),
        ("recognitions", {"person_id": p, "region": "440106", "from_region": "430000", "record_ref": "R1",
                          "issuer": "湖南", "description": "x", "category": "training", "credits": "1e999999",
                          "earned_on": "0001-01-01"}),
        ("recognitions", {"person_id": p, "region": "440106", "from_region": "430000", "record_ref": "R1",
                          "issuer": "湖南", "description": "x", "category": "training", "credits": "-1",
                          "earned_on": "9999-12-31"}),
        ("conversions", {"person_id": p, "region": "440106", "target": "x" * 20, "target_label": "x", "credits": "Infinity",
                         "reason": "r", "consent_method": "online"}),
        ("conversions", {"person_id": p, "region": "440106", "target": "tuition", "target_label": "x",
                         "credits": "-5", "reason": "r", "consent_method": "paper", "consent_on": "0001-01-01"}),
        ("rules", {"region": "440106", "valid_from": "0001-01-01", "basis": "b", "rules": {"a": [1] * 5}}),
        ("rules", {"region": "440000", "valid_from": "9999-12-31", "basis": "测试依据文件",
                   "rules": {"training_hours_per_credit": "1e999999", "x": {"y": None}}}),
        ("rules", {"region": "440000", "valid_from": "2027-01-01", "basis": "测试依据文件",
                   "rules": {"training_hours_per_credit": -1, "expiry_years": 10**30}}),
    ]  # fmt: skip
    for path, body in posts:
        answer = api(bank.province).post(f"{API}/{path}", body, content_type=JSON)
        assert answer.status_code < 500, (path, body, answer.content)
        assert answer.status_code != 201 or path == "rules", (path, body, answer.content)
    for path in ("recognitions", "conversions", "rules"):
        answer = api(bank.province).post(f"{API}/{path}/not-a-uuid/decision", {"approve": True}, content_type=JSON)
        assert answer.status_code == 404, (path, answer.content)
        answer = api(bank.province).post(f"{API}/{path}/{bank.rules.pk}/decision", {"approve": "yes"},
                                         content_type=JSON)  # fmt: skip
        assert answer.status_code == 422, (path, answer.content)
    for q in ("?page=-1", "?page=0", "?page=99999999999999999999", "?page=abc&size=-3", "?status=" + "x" * 5000):
        for path in ("recognitions", "conversions", "imports"):
            assert api(bank.province).get(f"{API}/{path}{q}").status_code in (200, 414, 422), (path, q)
    assert api(bank.province).get(f"{API}/persons/not-a-uuid").status_code in (404, 422)
    assert api(bank.county2).get(f"{API}/persons/{p}").status_code == 404


def test_a_deeply_nested_or_huge_body_is_refused(bank, api):
    deep = '{"region": "440000", "valid_from": "2027-01-01", "basis": "测试依据文件", "rules": ' + "[" * 100_000
    assert 400 <= api(bank.province).post(f"{API}/rules", deep, content_type=JSON).status_code < 500
    nested = '{"region": "440000", "valid_from": "2027-01-01", "basis": "测试依据文件", "rules": {"a": '
    nested += "[" * 5000 + "]" * 5000 + "}}"
    assert 400 <= api(bank.province).post(f"{API}/rules", nested, content_type=JSON).status_code < 500
    wide = {"region": "440000", "valid_from": "2027-01-01", "basis": "测试依据文件",
            "rules": {f"k{n}": "x" * 100 for n in range(20_000)}}  # fmt: skip
    assert 400 <= api(bank.province).post(f"{API}/rules", wide, content_type=JSON).status_code < 500


def test_rules_drafter_cannot_publish_and_wrong_roles_are_refused(bank, api, make_user, make_org):
    draft = api(bank.province).post(f"{API}/rules", {"region": "440000", "valid_from": "2027-01-01",
                                                     "basis": "广东省技能学分银行管理办法（修订）",
                                                     "rules": bank.rules.rules}, content_type=JSON)  # fmt: skip
    assert draft.status_code == 201, draft.content
    url = f"{API}/rules/{draft.json()['id']}/decision"
    worker = make_user("worker", region="440106")
    staff = make_user("provider_staff", organization=make_org(region="440106", kind="provider"))
    own = api(bank.province).post(url, {"approve": True}, content_type=JSON)
    assert own.status_code in (403, 409, 422) and own.json()["code"] != "server_error"
    assert api(bank.shenzhen).post(url, {"approve": True}, content_type=JSON).status_code == 404
    assert api(worker).post(url, {"approve": True}, content_type=JSON).status_code == 403
    assert api(staff).post(f"{API}/rules", {"region": "440106", "valid_from": "2027-01-01", "basis": "x" * 10,
                                            "rules": {}}, content_type=JSON).status_code == 403  # fmt: skip
    assert api(bank.reviewer).post(url, {"approve": True}, content_type=JSON).status_code == 200
    assert 400 <= api(bank.reviewer).post(url, {"approve": True}, content_type=JSON).status_code < 500  # double submit
    for who in (worker, staff):
        assert api(who).post(f"{API}/issuers", {"name": "某省平台", "issuer_url": "https://x.example.cn",
                                                "region": "430000", "keys": "{}"}, content_type=JSON).status_code == 403  # fmt: skip
        assert api(who).get(f"{API}/recognitions").json()["items"] == []
    assert api(worker).get(f"{API}/issuers").status_code == 403
    assert api(staff).get(f"{API}/mine/transcript").status_code in (403, 404)
    assert api(staff).get(f"{API}/mine/transcript.pdf").status_code in (403, 404)
    assert api(staff).post(f"{API}/mine/conversions/not-a-uuid/consent", {"agree": True},
                           content_type=JSON).status_code == 404  # fmt: skip
