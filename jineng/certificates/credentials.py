"""可验证凭证 — certificates as W3C Verifiable Credentials 2.0 secured with JOSE (``vc+jwt``), signed with Ed25519.

- The **payload** is the credential itself (VC 2.0 JSON, ``OpenBadgeCredential`` with Open Badges 3.0 fields where
  they fit; ``credential_payload``). A credential is produced from the certificate as it stands when asked for;
  Ed25519 signatures are deterministic, so the same certificate gives the same credential until it changes.
- The **protected header** is ``{"alg": "Ed25519", "typ": "vc+jwt", "kid": <RFC 7638 thumbprint>}`` — the fully
  specified algorithm name of RFC 9864; verification also accepts the older polymorphic ``EdDSA``.
- **Keys** (``IssuerKey``): the private key is encrypted with ``jineng.common.crypto`` (registered for
  ``jineng keys rotate``); ``issuer_key_rotate`` starts a new key and retires the old one, which stays published
  at ``/.well-known/jwks.json`` so every credential it signed stays verifiable offline.

Signing and server-side verification use ``joserfc``; the tests verify with other JOSE libraries.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jws
from joserfc.errors import BadSignatureError, DecodeError, JoseError
from joserfc.jwk import OKPKey

from jineng.accounts.api import Actor
from jineng.certificates.events import Event
from jineng.certificates.models import Certificate, CertificateStatus, IssuerKey, IssuerKeyStatus
from jineng.common.audit.services import audit_event
from jineng.common.crypto import decrypt, encrypt
from jineng.common.masking import mask_name

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MEDIA_TYPE = "application/vc+jwt"
ALG = "Ed25519"
ACCEPTED_ALGS = ("Ed25519", "EdDSA")
PRIVATE_CONTEXT = "certificates.issuer_key.private"
MAX_TOKEN_LENGTH = 64 * 1024


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def thumbprint(x: str) -> str:
    """RFC 7638 JWK thumbprint of an Ed25519 public key: SHA-256 over the canonical members crv, kty, x."""
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True)
    return _b64(hashlib.sha256(canonical.encode()).digest())


# ---- keys ----------------------------------------------------------------------------------------------------


def _new_key() -> tuple[str, str, str]:
    private = Ed25519PrivateKey.generate()
    d = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    x = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x64 = _b64(x)
    return thumbprint(x64), x64, _b64(d)


def issuer_key_active() -> IssuerKey:
    """The key that signs now; the first one is made on first use."""
    key: IssuerKey | None = IssuerKey.objects.filter(status=IssuerKeyStatus.ACTIVE).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _key_create(actor="system", reason="first credential")
    except IntegrityError:  # another process made it meanwhile (one active key: a unique constraint)
        active: IssuerKey = IssuerKey.objects.get(status=IssuerKeyStatus.ACTIVE)
        return active


def _key_create(*, actor: Actor, reason: str) -> IssuerKey:
    kid, x, d = _new_key()
    key = IssuerKey.objects.create(kid=kid, public_x=x, private_enc=encrypt(d, context=PRIVATE_CONTEXT))
    audit_event(Event.CREDENTIALS_KEY_CREATE,
        actor=actor, object_id=kid,
        after={"kid": kid, "x": x}, reason=reason,
    )  # fmt: skip
    return key


def issuer_key_rotate(*, actor: Actor) -> IssuerKey:
    """Start signing with a new key. The previous one is retired but stays published for verification."""
    with transaction.atomic():
        now = timezone.now()
        retired = list(IssuerKey.objects.select_for_update().filter(status=IssuerKeyStatus.ACTIVE))
        IssuerKey.objects.filter(pk__in=[k.pk for k in retired]).update(
            status=IssuerKeyStatus.RETIRED, retired_at=now, updated_at=now
        )
        key = _key_create(actor=actor, reason="rotate")
        audit_event(Event.CREDENTIALS_KEY_ROTATE,
            actor=actor, object_id=key.kid,
            before={"active": [k.kid for k in retired]}, after={"active": key.kid},
        )  # fmt: skip
    return key


def public_jwk(key: IssuerKey) -> dict[str, str]:
    # No "alg" member: some JOSE libraries skip a key whose "alg" they do not know yet (Ed25519, RFC 9864), and the
    # curve already says what the key is for.
    return {"kty": "OKP", "crv": "Ed25519", "x": key.public_x, "kid": key.kid, "use": "sig"}


def jwks() -> dict[str, list[dict[str, str]]]:
    """Every signing key ever used, active first: retired keys stay so old credentials stay verifiable."""
    keys = sorted(
        IssuerKey.objects.all(), key=lambda k: (k.status != IssuerKeyStatus.ACTIVE, -k.created_at.timestamp())
    )
    return {"keys": [public_jwk(k) for k in keys]}


def _private_okp(key: IssuerKey) -> OKPKey:
    d = decrypt(key.private_enc, context=PRIVATE_CONTEXT)
    return OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": key.public_x, "d": d})


# ---- the credential ------------------------------------------------------------------------------------------


def issuer_profile(base_url: str) -> dict[str, Any]:
    return {
        "id": f"{base_url}/",
        "type": ["Profile"],
        "name": getattr(settings, "JINENG_CREDENTIAL_ISSUER_NAME", "") or "职业技能培训管理服务平台",
        "url": f"{base_url}/",
    }


def _creator(certificate: Certificate) -> dict[str, Any]:
    issuer = certificate.issuer
    creator_id = (
        f"urn:uscc:{issuer.credit_code}"
        if issuer is not None
        else f"urn:jineng:issuer:{quote(certificate.issuer_name)}"
    )
    return {"id": creator_id, "type": ["Profile"], "name": certificate.issuer_name}


def _achievement(certificate: Certificate, base_url: str) -> dict[str, Any]:
    kind = certificate.kind
    level = certificate.level
    title = certificate.occupation_name + (f"（{level.label}）" if level else "")
    occupation_code = certificate.occupation.code if certificate.occupation else ""
    anchor = f"{kind.code}-{level.code if level else 'none'}"
    achievement_id = (
        f"{base_url}/public/occupations/{occupation_code}/#{anchor}"
        if occupation_code
        else f"urn:jineng:achievement:{anchor}:{quote(certificate.occupation_name)}"
    )
    if certificate.source == "exam":
        narrative = f"经{kind.name.removesuffix('证书')}评价，理论知识考试和操作技能考核均达到合格标准。"
    else:
        narrative = f"历史证书，由原发证机构颁发，已导入{issuer_profile(base_url)['name']}。"
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certificate" if kind.code == "training" else "Certification",
        "name": title,
        "description": f"{kind.name}：{title}",
        "criteria": {"narrative": narrative},
        "creator": _creator(certificate),
        "tag": [kind.name] + ([level.label] if level else []),
    }
    if certificate.occupation_name:
        achievement["fieldOfStudy"] = certificate.occupation_name
    if occupation_code:
        achievement["humanCode"] = occupation_code
    return achievement


def status_url(certificate: Certificate, base_url: str) -> str:
    return (
        f"{base_url}/api/v1/public/certificates/verify?number={quote(certificate.number)}"
        f"&name={quote(certificate.holder_name)}"
    )


def credential_payload(certificate: Certificate, base_url: str) -> dict[str, Any]:
    """The VC 2.0 / Open Badges 3.0 JSON of a certificate."""
    issued = dt.datetime.combine(certificate.issued_on, dt.time(0, 0), tzinfo=timezone.get_default_timezone())
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityHash": certificate.holder_name, "identityType": "name", "hashed": False}
        ],
        "licenseNumber": certificate.number,
        "achievement": _achievement(certificate, base_url),
    }
    candidate = certificate.candidate
    if candidate is not None:
        subject["activityEndDate"] = timezone.localtime(candidate.session.starts_at).isoformat()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{certificate.pk}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.kind.name,
        "issuer": issuer_profile(base_url),
        "validFrom": issued.isoformat(),
        "credentialSubject": subject,
        "credentialStatus": {"id": status_url(certificate, base_url), "type": "JinengCertificateStatus"},
    }


def sign(payload: dict[str, Any], key: IssuerKey | None = None) -> str:
    """The compact JWS of ``payload`` under ``key`` (the active key by default)."""
    key = key or issuer_key_active()
    header = {"alg": ALG, "typ": "vc+jwt", "kid": key.kid}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return str(jws.serialize_compact(header, body, _private_okp(key), algorithms=[ALG]))


def credential_for(certificate: Certificate, base_url: str) -> str:
    return sign(credential_payload(certificate, base_url))


# ---- verification ----------------------------------------------------------------------------------------------

REASONS = {
    "malformed": "凭证格式不正确（不是有效的 vc+jwt 紧凑序列化）。",
    "unsupported_alg": "不支持的签名算法（须为 Ed25519）。",
    "unknown_kid": "签名密钥未知：该密钥不是本平台公布的签发密钥。",
    "bad_signature": "签名无效：凭证内容被篡改或不是本平台签发。",
    "not_yet_valid": "凭证尚未生效。",
    "expired": "凭证已过期。",
    "unknown_certificate": "签名有效，但本平台没有该证书。",
    "revoked": "签名有效，但该证书已被撤销。",
}


@dataclass
class Verification:
    valid: bool
    reason: str = ""
    message: str = ""
    kid: str = ""
    header: dict[str, Any] = field(default_factory=dict)
    credential: dict[str, Any] | None = None
    certificate: dict[str, Any] | None = None
    transcript: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "reason": self.reason,
            "message": self.message
            or ("凭证有效：签名正确，证书有效。" if self.valid else REASONS.get(self.reason, "")),
            "kid": self.kid,
            "header": self.header,
            "credential": self.credential,
            "certificate": self.certificate,
            "transcript": self.transcript,
        }


def _fail(reason: str, **kwargs: Any) -> Verification:
    return Verification(valid=False, reason=reason, message=REASONS[reason], **kwargs)


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def public_certificate(certificate: Certificate) -> dict[str, Any]:
    """What anyone may learn of a certificate: its status and facts, the holder's name masked."""
    return {
        "number": certificate.number,
        "status": certificate.status,
        "holder": mask_name(certificate.holder_name),
        "kind": certificate.kind.name,
        "occupation": certificate.occupation_name,
        "level": certificate.level.label if certificate.level else "",
        "issuer": certificate.issuer_name,
        "issued_on": certificate.issued_on.isoformat(),
    }


def public_certificate_values(row: dict[str, Any]) -> dict[str, Any]:
    """``public_certificate`` from a row (the public lookup reads no model instance): the certificate's ``number``,
    ``holder_name``, ``status``, ``occupation_name``, ``issuer_name``, ``issued_on``, with ``kind_name`` and
    ``level_label``."""
    issued_on = row["issued_on"]
    return {
        "number": row["number"],
        "status": row["status"],
        "holder": mask_name(row["holder_name"]),
        "kind": row["kind_name"],
        "occupation": row["occupation_name"],
        "level": row["level_label"],
        "issuer": row["issuer_name"],
        # A date, or already its ISO text where the row comes from a raw cursor on SQLite.
        "issued_on": issued_on.isoformat() if isinstance(issued_on, dt.date) else issued_on,
    }


# The credit bank's 学分证明 (credits.services.transcript_payload): a ClrCredential of this platform's, no certificate.
TRANSCRIPT_TYPE = "JinengCreditTranscript"


def transcript_facts(credential: dict[str, Any]) -> dict[str, Any]:
    """What a signed 学分证明 states, read from its payload alone: issue date, as-of date, the holder (masked when
    issued), the credits by category and their total."""
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    balance: dict[str, str] = {}
    total = Decimal("0")
    raw = subject.get("balance")
    for category, value in raw.items() if isinstance(raw, dict) else []:
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            continue
        if amount.is_finite():
            balance[str(category)[:40]] = str(amount)
            total += amount
    names = [i.get("identityHash") for i in subject.get("identifier") or [] if isinstance(i, dict)
             and i.get("identityType") == "name"]  # fmt: skip
    issued = _parse_time(credential.get("validFrom"))
    return {
        "issued_on": timezone.localdate(issued).isoformat() if issued else "",
        "as_of": str(subject.get("asOf") or "")[:10],
        "holder": str(names[0])[:60] if names else "",
        "balance": balance,
        "total": str(total),
    }


def credential_verify(token: str, *, now: dt.datetime | None = None) -> Verification:
    """Verify a credential: structure, algorithm, key, signature, validity period, then the certificate's status.

    Each failure has a reason: ``malformed``, ``unsupported_alg``, ``unknown_kid``, ``bad_signature``,
    ``not_yet_valid``, ``expired``, ``unknown_certificate``, ``revoked``."""
    now = now or timezone.now()
    token = "".join((token or "").split())
    parts = token.split(".")
    if len(token) > MAX_TOKEN_LENGTH or len(parts) != 3 or not all(parts):
        return _fail("malformed")
    try:
        header = json.loads(_unb64(parts[0]))
    except (ValueError, UnicodeDecodeError):
        return _fail("malformed")
    if not isinstance(header, dict):
        return _fail("malformed")
    if header.get("alg") not in ACCEPTED_ALGS:
        return _fail("unsupported_alg", header=header)
    if header.get("typ") not in (None, "vc+jwt"):
        return _fail("malformed", header=header)
    kid = str(header.get("kid") or "")
    key = IssuerKey.objects.filter(kid=kid).first() if kid else None
    if key is None:
        return _fail("unknown_kid", header=header, kid=kid)
    try:
        with warnings.catch_warnings():  # "EdDSA is deprecated via RFC 9864": accepted on purpose, for old signers
            warnings.simplefilter("ignore")
            verified = jws.deserialize_compact(
                token, OKPKey.import_key(cast(Any, public_jwk(key))), algorithms=[str(header["alg"])]
            )
    except BadSignatureError:
        return _fail("bad_signature", header=header, kid=kid)
    except (DecodeError, JoseError, ValueError):
        return _fail("malformed", header=header, kid=kid)
    try:
        credential = json.loads(verified.payload)
    except (ValueError, UnicodeDecodeError):
        return _fail("malformed", header=header, kid=kid)
    types = credential.get("type") if isinstance(credential, dict) else None
    contexts = credential.get("@context") if isinstance(credential, dict) else None
    if not (
        isinstance(types, list)
        and "VerifiableCredential" in types
        and isinstance(contexts, list)
        and contexts[:1] == [VC_CONTEXT]
    ):
        return _fail("malformed", header=header, kid=kid)
    base = {"header": header, "kid": kid, "credential": credential}
    valid_from = _parse_time(credential.get("validFrom"))
    if valid_from is not None and valid_from > now:
        return _fail("not_yet_valid", **base)
    valid_until = _parse_time(credential.get("validUntil"))
    if valid_until is not None and valid_until < now:
        return _fail("expired", **base)
    if TRANSCRIPT_TYPE in types:  # signed by this platform's key: a credit transcript, genuine as issued
        facts = transcript_facts(credential)
        return Verification(valid=True, transcript=facts, message=(
            f"凭证有效：本平台签发的技能学分证明，签发日期 {facts['issued_on'] or '—'}，"
            f"截至 {facts['as_of'] or '—'} 共 {facts['total']} 学分。"), **base)  # fmt: skip
    subject = credential.get("credentialSubject")
    number = subject.get("licenseNumber") if isinstance(subject, dict) else None
    certificate = (
        Certificate.objects.select_related("kind", "level").filter(number=str(number)).first() if number else None
    )
    if certificate is None:
        return _fail("unknown_certificate", **base)
    facts = public_certificate(certificate)
    if certificate.status == CertificateStatus.REVOKED:
        return _fail("revoked", certificate=facts, **base)
    return Verification(valid=True, certificate=facts, **base)
