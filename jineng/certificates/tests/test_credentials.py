"""Verifiable credentials: the vc+jwt from the API, checked offline against /.well-known/jwks.json with JOSE
libraries other than the one that signed it (joserfc signs; jwcrypto and PyJWT verify); tampering, unknown keys,
revocation, expiry; key rotation keeps old credentials verifiable; keys are stored encrypted."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from jineng.certificates import credentials, services
from jineng.certificates.models import IssuerKey

pytestmark = pytest.mark.django_db


def _b64json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _fetch(client, number: str) -> str:
    response = client.get(f"/api/v1/certificates/{number}/credential")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def _tamper(token: str, change) -> str:
    header, payload, signature = token.split(".")
    data = _b64json(payload)
    change(data)
    body = base64.urlsafe_b64encode(json.dumps(data, ensure_ascii=False).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


def test_the_credential_is_a_vc_2_jws_signed_with_ed25519(world, passed_certificate, api, settings):
    settings.JINENG_PUBLIC_BASE_URL = "https://jineng.example.cn"
    token = _fetch(api(world.county), passed_certificate.number)
    header_b64, payload_b64, _ = token.split(".")
    header = _b64json(header_b64)
    assert header["alg"] == "Ed25519" and header["typ"] == "vc+jwt" and header["kid"]
    vc = _b64json(payload_b64)
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"]["id"] == "https://jineng.example.cn/"
    assert vc["validFrom"].startswith(passed_certificate.issued_on.isoformat())
    subject = vc["credentialSubject"]
    assert subject["licenseNumber"] == passed_certificate.number
    assert subject["identifier"][0] == {"type": "IdentityObject", "identityHash": "李四", "identityType": "name",
                                        "hashed": False}  # fmt: skip
    achievement = subject["achievement"]
    assert achievement["name"] == "计算机程序设计员（四级/中级工）"
    assert achievement["criteria"]["narrative"] and achievement["creator"]["name"] == world.org.name
    assert achievement["creator"]["id"] == f"urn:uscc:{world.org.credit_code}"
    assert vc["credentialStatus"]["id"].startswith(
        f"https://jineng.example.cn/api/v1/public/certificates/verify?number={passed_certificate.number}&name="
    )
    # No ID number anywhere in the credential.
    from jineng.common.crypto import decrypt
    from jineng.registry.identity import DOC_CONTEXT
    from jineng.registry.models import IdentityDocument

    doc = IdentityDocument.objects.get(person=passed_certificate.person)
    text = json.dumps(vc, ensure_ascii=False)
    assert decrypt(doc.number_enc, context=DOC_CONTEXT) not in text and doc.number_masked not in text


def test_a_third_party_verifies_offline_with_jwcrypto_against_the_published_keys(
    world, passed_certificate, api, client
):
    from jwcrypto import jwk, jws

    token = _fetch(api(world.county), passed_certificate.number)
    client.logout()
    published = client.get("/.well-known/jwks.json")
    assert published.status_code == 200 and published["Access-Control-Allow-Origin"] == "*"
    keyset = jwk.JWKSet.from_json(published.content)
    key = next(iter(keyset))
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["kid"]
    verifier = jws.JWS()
    verifier.deserialize(token)
    verifier.verify(keyset.get_key(verifier.jose_header["kid"]), alg="Ed25519")
    assert json.loads(verifier.payload)["credentialSubject"]["licenseNumber"] == passed_certificate.number
    tampered = _tamper(token, lambda vc: vc["credentialSubject"]["achievement"].update(name="高级技师"))
    other = jws.JWS()
    other.deserialize(tampered)
    with pytest.raises(jws.InvalidJWSSignature):
        other.verify(keyset.get_key(other.jose_header["kid"]), alg="Ed25519")


def test_a_third_party_verifies_offline_with_pyjwt_against_the_published_keys(world, passed_certificate, api, client):
    import jwt
    from jwt.algorithms import OKPAlgorithm

    token = _fetch(api(world.county), passed_certificate.number)
    keys = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    # PyJWT names Ed25519 signatures "EdDSA"; register its own OKP algorithm under RFC 9864's fully specified name.
    verifier = jwt.PyJWS()
    verifier.register_algorithm("Ed25519", OKPAlgorithm())
    decoded = verifier.decode_complete(token, key=key.key, algorithms=["Ed25519"])
    assert json.loads(decoded["payload"])["type"][0] == "VerifiableCredential"
    tampered = _tamper(token, lambda vc: vc.update(validFrom="2000-01-01T00:00:00+08:00"))
    with pytest.raises(jwt.InvalidSignatureError):
        verifier.decode_complete(tampered, key=key.key, algorithms=["Ed25519"])


def test_the_server_verifies_a_credential_and_names_the_reason_when_it_fails(world, passed_certificate, api, client):
    token = _fetch(api(world.county), passed_certificate.number)
    client.logout()

    def verify(credential: str) -> dict:
        response = client.post("/api/v1/public/credentials/verify", {"credential": credential},
                               content_type="application/json")  # fmt: skip
        assert response.status_code == 200, response.content
        return response.json()

    ok = verify(token)
    assert ok["valid"] is True and ok["reason"] == "" and ok["certificate"]["holder"] == "李*"
    tampered = verify(_tamper(token, lambda vc: vc["credentialSubject"].update(licenseNumber="4401062026S00000019")))
    assert tampered["valid"] is False and tampered["reason"] == "bad_signature" and "篡改" in tampered["message"]
    assert verify("not.a-jws")["reason"] == "malformed"
    assert verify("abc")["reason"] == "malformed"
    header, payload, signature = token.split(".")
    unknown = base64.urlsafe_b64encode(json.dumps({"alg": "Ed25519", "typ": "vc+jwt", "kid": "nope"}).encode())
    assert verify(f"{unknown.rstrip(b'=').decode()}.{payload}.{signature}")["reason"] == "unknown_kid"
    hs256 = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "kid": "x"}).encode()).rstrip(b"=").decode()
    assert verify(f"{hs256}.{payload}.{signature}")["reason"] == "unsupported_alg"
    services.certificate_revoke(actor=world.county, certificate=passed_certificate, reason="冒名顶替考试")
    revoked = verify(token)
    assert revoked["valid"] is False and revoked["reason"] == "revoked"


def test_an_expired_or_not_yet_valid_credential_fails(passed_certificate):
    payload = credentials.credential_payload(passed_certificate, "https://jineng.example.cn")
    expired = credentials.credential_verify(credentials.sign({**payload, "validUntil": "2020-01-01T00:00:00Z"}))
    assert (expired.valid, expired.reason) == (False, "expired")
    future = credentials.credential_verify(credentials.sign({**payload, "validFrom": "2999-01-01T00:00:00Z"}))
    assert (future.valid, future.reason) == (False, "not_yet_valid")
    stranger = credentials.credential_verify(
        credentials.sign({**payload, "credentialSubject": {**payload["credentialSubject"], "licenseNumber": "X1"}})
    )
    assert stranger.reason == "unknown_certificate"


def test_an_eddsa_credential_is_accepted_too(passed_certificate):
    from joserfc import jws
    from joserfc.jwk import OKPKey

    key = credentials.issuer_key_active()
    body = json.dumps(credentials.credential_payload(passed_certificate, "https://x.cn")).encode()
    private = credentials._private_okp(key)
    token = jws.serialize_compact(
        {"alg": "EdDSA", "typ": "vc+jwt", "kid": key.kid}, body, private, algorithms=["EdDSA"]
    )
    assert credentials.credential_verify(token).valid
    assert isinstance(private, OKPKey)


def test_rotation_keeps_old_credentials_verifiable(world, passed_certificate, api, client):
    from django.core.management import call_command

    old_token = _fetch(api(world.county), passed_certificate.number)
    old_kid = _b64json(old_token.split(".")[0])["kid"]
    call_command("credentials", "rotate-key")
    new_token = _fetch(api(world.county), passed_certificate.number)
    new_kid = _b64json(new_token.split(".")[0])["kid"]
    assert new_kid != old_kid
    published = {k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"]}
    assert {old_kid, new_kid} <= published
    assert credentials.credential_verify(old_token).valid
    assert credentials.credential_verify(new_token).valid
    assert IssuerKey.objects.filter(status="active").count() == 1
    from jineng.common.models import AuditEntry

    assert AuditEntry.objects.filter(action="credentials.key_rotate").exists()


def test_the_private_key_is_stored_encrypted_and_rotates_with_the_data_keys(passed_certificate):
    from jineng.common.crypto import encrypted_fields

    key = credentials.issuer_key_active()
    assert key.private_enc.startswith("a256gcm:") or key.private_enc.startswith("sm4ctr-hsm3:")
    assert key.public_x not in key.private_enc
    assert any(spec.model is IssuerKey and spec.field == "private_enc" for spec in encrypted_fields())


def test_the_jwks_lists_only_public_members(client):
    credentials.issuer_key_active()
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert keys and all(set(k) == {"kty", "crv", "x", "kid", "use"} for k in keys)
    assert all(k["kid"] == credentials.thumbprint(k["x"]) for k in keys)


def test_credential_needs_scope(world, passed_certificate, api):
    assert api(world.yuexiu).get(f"/api/v1/certificates/{passed_certificate.number}/credential").status_code == 404
    assert api(world.shenzhen).get(f"/api/v1/certificates/{passed_certificate.number}/credential").status_code == 404


def test_the_credential_page_is_public(client):
    response = client.get("/verify/credential")
    assert response.status_code == 200
    html = response.content.decode()
    assert "verify-credential.js" in html and "<script>" not in html


def test_dates_in_the_credential_are_in_local_time(passed_certificate):
    payload = credentials.credential_payload(passed_certificate, "https://x.cn")
    assert dt.datetime.fromisoformat(payload["validFrom"]).utcoffset() == dt.timedelta(hours=8)
