"""学分证明互认 between deployments: a transcript signed by another region's platform (its own Ed25519 key, registered
as a trusted issuer) is verified and recorded as 互认 entries; a tampered one, an unknown issuer, a person who does
not match, this platform's own transcript and one already imported are refused with the reason, writing nothing.
The transcript names its holder by a salted hash of the ID number, never the number."""

from __future__ import annotations

import base64
import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.jwk import OKPKey

from jineng.certificates import api as certificates_api
from jineng.common.errors import DomainError, PermissionDenied
from jineng.credits import exchange, services
from jineng.credits.models import CreditEntry, TranscriptImport
from jineng.credits.tests.conftest import certificate, completed_class, make_person
from jineng.registry.tests.factories import id18

pytestmark = pytest.mark.django_db

HUNAN = {"id": "https://jineng.hunan.example.cn/", "type": ["Profile"], "name": "湖南省技能学分银行",
         "url": "https://jineng.hunan.example.cn"}  # fmt: skip


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Deployment:
    """Another region's platform: its own signing key (not this platform's), publishing its JWKS."""

    def __init__(self) -> None:
        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())  # fmt: skip
        self.x = _b64(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
        self.kid = exchange._thumbprint(self.x)
        self.key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": self.x, "d": _b64(raw)})

    def jwks(self) -> str:
        return json.dumps({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": self.x, "kid": self.kid, "use": "sig"}]})

    def sign(self, payload: dict[str, Any]) -> str:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return str(
            jws.serialize_compact(
                {"alg": "Ed25519", "typ": "vc+jwt", "kid": self.kid}, body, self.key, algorithms=["Ed25519"]
            )
        )

    def transcript(self, person: Any) -> str:
        return self.sign(services.transcript_payload(person, HUNAN))


@pytest.fixture
def hunan(bank) -> Any:
    deployment = Deployment()
    deployment.issuer = exchange.issuer_add(actor=bank.province, name="湖南省技能学分银行",
                                            issuer_url=HUNAN["id"], region_code="430000", keys=deployment.jwks())  # fmt: skip
    return deployment


def _holder(bank) -> Any:
    """A person with credits: a completed class (3 training credits) and a 四级 certificate (4)."""
    person = make_person(id_number=id18("440106", seq=321), name="周互认")
    completed_class(person, 48)
    certificate(bank.province, person, level="grade4")
    services.credits_derive(actor=bank.province, person_ids=[person.pk])
    return person


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def _import(bank, person, token):
    return exchange.transcript_import(actor=bank.county, person=person, region_code="440106", token=token)


def test_a_transcript_signed_by_a_trusted_issuer_is_imported_as_recognized_credits_once(bank, hunan):
    person = _holder(bank)
    token = hunan.transcript(person)
    before = CreditEntry.objects.count()
    done = _import(bank, person, token)
    assert done.entries_recorded == 2 and done.credits == Decimal("7.0") and done.issuer == hunan.issuer
    rows = CreditEntry.objects.filter(pk__in=done.entry_ids)
    assert {(e.kind, e.category, e.credits, e.region_id) for e in rows} == {
        ("recognize", "training", Decimal("3.0"), "440106"), ("recognize", "certificate", Decimal("4.0"), "440106")}  # fmt: skip
    assert all(e.source_key.startswith("transcript:") and "湖南省技能学分银行" in e.source_label for e in rows)
    assert CreditEntry.objects.count() == before + 2
    with pytest.raises(DomainError) as exc:  # the same transcript again
        _import(bank, person, token)
    assert _code(exc) == "transcript_already_imported"
    with pytest.raises(DomainError) as exc:  # a fresh transcript of the same credits: nothing new to recognize
        _import(bank, person, hunan.transcript(person))
    assert _code(exc) == "nothing_to_import"
    assert TranscriptImport.objects.count() == 1 and CreditEntry.objects.count() == before + 2


def test_a_tampered_transcript_is_refused_and_nothing_is_recorded(bank, hunan):
    person = _holder(bank)
    header, body, signature = hunan.transcript(person).split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["credentialSubject"]["achievement"][0]["creditsRemaining"] = "30.0"  # one entry inflated
    forged = ".".join([header, _b64(json.dumps(payload, ensure_ascii=False).encode()), signature])
    before = CreditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        _import(bank, person, forged)
    assert _code(exc) == "bad_signature" and "改动" in exc.value.message
    assert CreditEntry.objects.count() == before and not TranscriptImport.objects.exists()


def test_an_unknown_or_no_longer_trusted_issuer_is_refused(bank, hunan):
    person = _holder(bank)
    stranger = Deployment()  # a platform nobody registered
    with pytest.raises(DomainError) as exc:
        _import(bank, person, stranger.transcript(person))
    assert _code(exc) == "unknown_issuer" and stranger.kid in exc.value.message
    exchange.issuer_deactivate(actor=bank.province, issuer=hunan.issuer, reason="公钥已更换")
    with pytest.raises(DomainError) as exc:
        _import(bank, person, hunan.transcript(person))
    assert _code(exc) == "unknown_issuer"


def test_a_transcript_of_someone_else_is_refused(bank, hunan):
    person = _holder(bank)
    other = make_person(id_number=id18("440106", seq=654), name="周互认")  # same name, another ID number
    with pytest.raises(DomainError) as exc:
        _import(bank, other, hunan.transcript(person))
    assert _code(exc) == "person_mismatch"
    assert not TranscriptImport.objects.exists()


@pytest.mark.parametrize(
    ("token", "code"),
    [("", "malformed_transcript"), ("abc", "malformed_transcript"), ("a.b.c", "malformed_transcript"),
     ("x" * 70_000, "malformed_transcript")],
)  # fmt: skip
def test_a_malformed_transcript_is_refused_and_named(bank, hunan, token, code):
    with pytest.raises(DomainError) as exc:
        _import(bank, make_person(), token)
    assert _code(exc) == code and exc.value.fields[0].field == "token"


def test_this_platforms_own_transcript_is_not_imported(bank, hunan):
    person = _holder(bank)
    own = certificates_api.credential_sign(services.transcript_payload(person, HUNAN))
    with pytest.raises(DomainError) as exc:
        _import(bank, person, own)
    assert _code(exc) == "own_transcript"


def test_only_what_the_issuer_earned_and_still_holds_is_recognized(bank, hunan):
    person = _holder(bank)
    cert = certificate(bank.province, person, level="grade3")  # 6 more, then revoked: reversed, nothing left
    services.credits_derive(actor=bank.province, person_ids=[person.pk])
    certificates_api.certificate_withdraw(actor=bank.province, certificate_id=cert.pk, reason="证书撤销")
    services.credits_derive(actor=bank.province, person_ids=[person.pk])
    done = _import(bank, person, hunan.transcript(person))
    assert done.credits == Decimal("7.0") and done.entries_recorded == 2
    assert any("冲销" in s["reason"] for s in done.skipped)


def test_the_transcript_names_its_holder_by_a_salted_hash_never_the_number(bank):
    number = id18("440106", seq=777)
    person = make_person(id_number=number, name="吴摘要")
    payload = services.transcript_payload(person, HUNAN)
    text = json.dumps(payload, ensure_ascii=False)
    assert number not in text and "吴摘要" not in text
    ident = next(i for i in payload["credentialSubject"]["identifier"]
                 if i["identityType"] == "nationalIdentityNumber")  # fmt: skip
    assert ident["hashed"] is True
    assert ident["identityHash"] == "sha256$" + hashlib.sha256((number + ident["salt"]).encode()).hexdigest()
    again = services.transcript_payload(person, HUNAN)["credentialSubject"]["identifier"][0]
    assert again["salt"] != ident["salt"] and again["identityHash"] != ident["identityHash"]  # not linkable


def test_registering_an_issuer_needs_settings_edit_and_good_keys(bank, hunan):
    other = Deployment()
    with pytest.raises(PermissionDenied):
        exchange.issuer_add(actor=bank.county, name="江西", issuer_url="https://jx.example.cn/", region_code="360000",
                            keys=other.jwks())  # fmt: skip
    for keys in ("", "not json", '{"keys": []}', '{"kty": "RSA", "n": "x"}', '{"kty":"OKP","crv":"Ed25519","x":"AA"}'):
        with pytest.raises(DomainError) as exc:
            exchange.issuer_add(actor=bank.province, name="江西", issuer_url="https://jx.example.cn/",
                                region_code="360000", keys=keys)  # fmt: skip
        assert _code(exc) == "bad_keys" and exc.value.fields[0].field == "keys"
    certificates_api.credential_sign({"x": 1})  # this platform's key exists now
    own = json.dumps({"keys": certificates_api.credential_public_keys()})
    with pytest.raises(DomainError) as exc:
        exchange.issuer_add(actor=bank.province, name="本平台", issuer_url="https://self.example.cn/",
                            region_code="440000", keys=own)  # fmt: skip
    assert _code(exc) == "own_key"
    with pytest.raises(DomainError) as exc:
        exchange.issuer_add(actor=bank.province, name="湖南再登记", issuer_url=HUNAN["id"], region_code="430000",
                            keys=other.jwks())  # fmt: skip
    assert _code(exc) == "issuer_already_trusted"


def test_the_import_pages_and_api(bank, hunan, client):
    person = _holder(bank)
    token = hunan.transcript(person)
    client.force_login(bank.county)
    listing = client.get("/credits/").content.decode()
    assert "/credits/imports/" in listing and "/credits/issuers/" in listing
    assert "/credits/imports/new/" in client.get("/credits/imports/").content.decode()
    form = {"imp-id_number": id18("440106", seq=321), "imp-name": "周互认", "imp-region": "440106", "imp-token": "abc"}
    bad = client.post("/credits/imports/new/", form)
    assert bad.status_code == 422 and "不是完整的学分证明" in bad.content.decode()
    good = client.post("/credits/imports/new/", {**form, "imp-token": token})
    assert good.status_code == 302
    detail = client.get(good["Location"]).content.decode()
    assert "签名已核验" in detail and "湖南省技能学分银行" in detail
    again = client.post("/api/v1/credits/imports", {"person_id": str(person.pk), "region": "440106", "token": token},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 422 and again.json()["code"] == "transcript_already_imported"
    assert client.post("/api/v1/credits/imports", {"person_id": "not-a-uuid", "region": "440106", "token": token},
                       content_type="application/json").status_code == 404  # fmt: skip
    assert client.get("/api/v1/credits/imports").json()["count"] == 1
    assert client.get("/api/v1/credits/issuers").json()[0]["kids"] == [hunan.kid]
    client.force_login(bank.province)
    page = client.get("/credits/issuers/").content.decode()
    assert "issuer-form" in page and "湖南省技能学分银行" in page
