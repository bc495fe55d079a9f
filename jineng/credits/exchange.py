"""学分证明互认 across deployments (docs/credits.md, "Importing another deployment's transcript"):

- **受信任的签发方** ``TrustedIssuer`` — another region's platform, registered with its name, its issuer id and the
  Ed25519 public keys of its ``/.well-known/jwks.json`` (``issuer_add``; ``issuer_deactivate``);
- **导入** ``transcript_import`` — a transcript signed by a trusted issuer is verified (the key by its ``kid``, the
  signature over every byte, the dates, the holder's salted ID hash against the person chosen) and each credit the
  issuer earned itself and still holds becomes a 互认 entry of its own source (``transcript:<issuer>:<entry>``). A
  transcript is imported once; a credit already imported (through an earlier transcript) is not recorded again.

Every refusal names its reason (``Code``); nothing is written unless the whole transcript is accepted.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import warnings
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import OKPKey

from jineng.accounts.api import Actor, actor_user, require, visible
from jineng.certificates import api as certificates_api
from jineng.common.audit.services import audit_event
from jineng.common.errors import NotFound, invalid
from jineng.common.ids import uuid_or_none
from jineng.credits.errors import Code
from jineng.credits.events import Event as E
from jineng.credits.models import Category, CreditEntry, EntryKind, TranscriptImport, TrustedIssuer
from jineng.refdata.api import region_validate
from jineng.registry.api import Person, identity_hash
from jineng.rules import credits as r

TOKEN_MAX = 64 * 1024
KEYS_MAX = 20
ACHIEVEMENTS_MAX = 500
ACCEPTED_ALGS = ("Ed25519", "EdDSA")
TRANSCRIPT_TYPE = "JinengCreditTranscript"


def _clean(text: Any, limit: int) -> str:
    return " ".join(str(text or "").split())[:limit]


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _thumbprint(x: str) -> str:
    """RFC 7638 thumbprint of an Ed25519 key (what this platform's own keys are named by)."""
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


# ---- trusted issuers -------------------------------------------------------------------------------------------


def keys_parse(text: str) -> list[dict[str, str]]:
    """The Ed25519 public keys of a JWKS (``{"keys": [...]}``, as ``/.well-known/jwks.json`` publishes) or of one JWK;
    each ``kty`` OKP, ``crv`` Ed25519, ``x`` 32 bytes base64url; ``kid`` as published (its thumbprint when absent)."""
    bad = _("公钥须为签发方 /.well-known/jwks.json 的内容（JSON，含 Ed25519 公钥）。")
    if not text or len(text) > 20_000:
        raise invalid(field="keys", code=Code.BAD_KEYS, message=bad)
    try:
        data = json.loads(text)
    except ValueError:
        raise invalid(field="keys", code=Code.BAD_KEYS, message=bad) from None
    raw = data.get("keys") if isinstance(data, dict) and "keys" in data else [data]
    if not isinstance(raw, list) or not 1 <= len(raw) <= KEYS_MAX:
        raise invalid(field="keys", code=Code.BAD_KEYS, message=bad)
    keys: list[dict[str, str]] = []
    for n, key in enumerate(raw, start=1):
        x = key.get("x") if isinstance(key, dict) else None
        ok = isinstance(key, dict) and key.get("kty") == "OKP" and key.get("crv") == "Ed25519" and isinstance(x, str)
        try:
            ok = ok and len(_unb64(cast(str, x))) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise invalid(field="keys", code=Code.BAD_KEYS,
                          message=_("第 %(n)s 个公钥不是 Ed25519 公钥（kty OKP、crv Ed25519、x 为 32 字节）。") % {"n": n})  # fmt: skip
        x = cast(str, x)
        kid = _clean(cast(dict[str, Any], key).get("kid") or _thumbprint(x), 100)
        keys.append({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid})
    return keys


def _own_kids() -> set[str]:
    from jineng.certificates.api import credential_public_keys

    return {k["kid"] for k in credential_public_keys()}


def issuer_add(*, actor: Actor, name: str, issuer_url: str, region_code: str, keys: str) -> TrustedIssuer:
    """登记受信任的签发方 — an official with ``settings.edit`` (over the issuer's region or above: a province trusts
    its peers' platforms) registers another deployment; audited with the keys."""
    require(actor, "settings.edit")
    name = _clean(name, 200)
    if not 2 <= len(name) <= 120:
        raise invalid(field="name", code=Code.RECORD_REQUIRED, message=_("请填写签发方名称（2–120 字）。"))
    issuer_url = _clean(issuer_url, 300).replace(" ", "")
    if not 8 <= len(issuer_url) <= 200 or not issuer_url.startswith(("https://", "http://", "did:")):
        raise invalid(field="issuer_url", code=Code.RECORD_REQUIRED,
                      message=_("请填写签发方标识：其学分证明中签发方的标识（https://… 或 did:…）。"))  # fmt: skip
    region = region_validate(region_code, field="region")
    parsed = keys_parse(keys)
    own = _own_kids() & {k["kid"] for k in parsed}
    if own:
        raise invalid(field="keys", code=Code.OWN_KEY, message=_("这是本平台自己的签名公钥，不需要登记为外地签发方。"))
    try:
        with transaction.atomic():
            issuer = TrustedIssuer.objects.create(name=name, issuer_url=issuer_url, region=region, keys=parsed,
                                                  created_by=actor_user(actor))  # fmt: skip
            audit_event(E.CREDITS_ISSUER_ADD, actor=actor, object_id=issuer.pk, region_code=region.code,
                        after={"name": name, "issuer_url": issuer_url, "keys": parsed})  # fmt: skip
    except IntegrityError:
        raise invalid(field="issuer_url", code=Code.ISSUER_TAKEN,
                      message=_("该签发方已在受信任名单中；公钥变更请先停用原登记再重新登记。")) from None  # fmt: skip
    return issuer


def issuer_deactivate(*, actor: Actor, issuer: TrustedIssuer, reason: str) -> TrustedIssuer:
    """停用 — its transcripts are no longer accepted (those imported stay, with their entries)."""
    require(actor, "settings.edit")
    reason = _clean(reason, 400)
    if not 2 <= len(reason) <= 300:
        raise invalid(field="reason", code=Code.REASON_REQUIRED, message=_("请填写停用理由（2–300 字）。"))
    with transaction.atomic():
        found: TrustedIssuer = TrustedIssuer.objects.select_for_update().get(pk=issuer.pk)
        if found.active:
            found.active = False
            found.save(update_fields=["active", "updated_at"])
            audit_event(E.CREDITS_ISSUER_DEACTIVATE, actor=actor, object_id=found.pk, region_code=found.region_id,
                        reason=reason, after={"active": False})  # fmt: skip
    return found


# ---- verifying a transcript ------------------------------------------------------------------------------------


def _refuse(code: str, message: str) -> Exception:
    return invalid(field="token", code=code, message=message)


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo and 1990 <= parsed.year <= 9000 else None  # (year 1 +14:00 overflows in China time)


def transcript_read(token: str) -> tuple[TrustedIssuer, dict[str, Any], str, str]:
    """(issuer, credential, kid, normalized token) of a transcript signed by an active trusted issuer — or a refusal
    naming why: malformed, this platform's own, unknown issuer, bad signature (altered), not a transcript, not
    valid now."""
    token = "".join((token or "").split())
    parts = token.split(".")
    malformed = _("不是完整的学分证明（签名的 JWT 三段文本）。")
    if len(token) > TOKEN_MAX or len(parts) != 3 or not all(parts):
        raise _refuse(Code.MALFORMED, malformed)
    try:
        header = json.loads(_unb64(parts[0]))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise _refuse(Code.MALFORMED, malformed) from None
    if not isinstance(header, dict) or header.get("alg") not in ACCEPTED_ALGS:
        raise _refuse(Code.MALFORMED, _("签名算法不受支持（须为 Ed25519）。"))
    if certificates_api.credential_verify(token)["valid"]:
        raise _refuse(Code.OWN_TRANSCRIPT, _("这是本平台签发的学分证明：其学分已在本平台账户中，无需导入。"))
    kid = _clean(header.get("kid"), 100)
    issuer, key = None, None
    for candidate in TrustedIssuer.objects.filter(active=True):
        key = next((k for k in candidate.keys if k.get("kid") == kid), None)
        if key is not None:
            issuer = candidate
            break
    if issuer is None or key is None:
        raise _refuse(Code.UNKNOWN_ISSUER, _("签发方不在受信任名单中（签名密钥 %(kid)s 未登记）：请先核实并登记该签发方的公钥。")
                      % {"kid": kid or "—"})  # fmt: skip
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the polymorphic "EdDSA" is accepted on purpose, for older signers
            verified = jws.deserialize_compact(token, OKPKey.import_key(cast(Any, key)), algorithms=[header["alg"]])
    except BadSignatureError:
        raise _refuse(Code.BAD_SIGNATURE, _("签名无效：学分证明的内容被改动过（如某条学分或持有人），或不是%(name)s签发。")
                      % {"name": issuer.name}) from None  # fmt: skip
    except (JoseError, ValueError):
        raise _refuse(Code.MALFORMED, malformed) from None
    try:
        credential = json.loads(verified.payload)
    except (ValueError, UnicodeDecodeError):
        raise _refuse(Code.MALFORMED, malformed) from None
    types = credential.get("type") if isinstance(credential, dict) else None
    if not isinstance(types, list) or TRANSCRIPT_TYPE not in types:
        raise _refuse(Code.NOT_TRANSCRIPT, _("签名有效，但这不是学分证明（可能是证书凭证）。"))
    named = credential.get("issuer")
    named_id = named.get("id") if isinstance(named, dict) else named
    if str(named_id or "").rstrip("/") != issuer.issuer_url.rstrip("/"):
        raise _refuse(Code.UNKNOWN_ISSUER, _("学分证明中的签发方标识与登记的%(name)s不一致。") % {"name": issuer.name})
    now = timezone.now()
    valid_from, valid_until = _time(credential.get("validFrom")), _time(credential.get("validUntil"))
    if (valid_from is None or valid_from > now or (credential.get("validUntil") is not None and valid_until is None)
            or (valid_until is not None and valid_until < now)):  # fmt: skip
        raise _refuse(Code.TRANSCRIPT_DATES, _("学分证明不在有效期内（尚未生效或已过期）。"))
    return issuer, credential, kid, token


def _holder_matches(subject: dict[str, Any], person: Person) -> bool:
    idents = subject.get("identifier")
    for ident in idents if isinstance(idents, list) else []:
        if (isinstance(ident, dict) and ident.get("identityType") == "nationalIdentityNumber"
                and ident.get("hashed") is True and isinstance(ident.get("salt"), str)
                and isinstance(ident.get("identityHash"), str) and 8 <= len(ident["salt"]) <= 100):  # fmt: skip
            mine = identity_hash(person, ident["salt"])
            return bool(mine) and hmac.compare_digest(mine, ident["identityHash"])
    return False


def _achievements(subject: dict[str, Any], today: dt.date) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(the credits to record, the entries left out and why). A malformed entry refuses the whole transcript."""
    raw = subject.get("achievement")
    if not isinstance(raw, list) or len(raw) > ACHIEVEMENTS_MAX:
        raise _refuse(Code.MALFORMED, _("学分证明中没有可读的学分明细。"))
    take: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for n, a in enumerate(raw, start=1):
        bad = _("第 %(n)s 条学分明细格式不正确：%(what)s。")
        if not isinstance(a, dict):
            raise _refuse(Code.MALFORMED, bad % {"n": n, "what": _("不是对象")})
        ident = str(a.get("id") or "")[:60]
        if not ident.startswith("urn:uuid:") or uuid_or_none(ident[9:]) is None:
            raise _refuse(Code.MALFORMED, bad % {"n": n, "what": _("缺少编号")})
        if a.get("kind") not in ("earn", "reverse", "recognize", "convert"):
            raise _refuse(Code.MALFORMED, bad % {"n": n, "what": _("类型不明")})
        name = _clean(a.get("name"), 150) or "—"
        if a.get("kind") in ("reverse", "convert"):
            continue  # reflected in what is left of the credit it takes from
        if a.get("kind") == "recognize":
            skipped.append({"name": name, "reason": _("该签发方互认的外地学分：须向原签发方取证明")})
            continue
        category = a.get("category")
        if category not in Category.values:
            raise _refuse(Code.MALFORMED, bad % {"n": n, "what": _("学分类别不明")})
        try:
            left = Decimal(str(a.get("creditsRemaining")))
        except (InvalidOperation, ValueError):
            raise _refuse(Code.MALFORMED, bad % {"n": n, "what": _("缺少剩余学分")}) from None
        if not left.is_finite() or not 0 <= left <= r.CREDITS_MAX or left != left.quantize(r.TENTH):
            raise _refuse(Code.MALFORMED, bad % {"n": n, "what": _("剩余学分超出范围")})
        on, expires = _date(a.get("on")), _date(a.get("expiresOn"))
        if on is None or not dt.date(1990, 1, 1) <= on <= today or (a.get("expiresOn") and expires is None):
            raise _refuse(Code.MALFORMED, bad % {"n": n, "what": _("日期不正确")})
        if a.get("expired") is True or (expires is not None and expires <= today):
            skipped.append({"name": name, "reason": _("已过有效期")})
        elif left <= 0:
            skipped.append({"name": name, "reason": _("已全部冲销或转换")})
        else:
            take.append({"id": str(uuid_or_none(ident[9:])), "name": name, "category": category, "credits": left, "on": on,
                         "expires": expires})  # fmt: skip
    return take, skipped


def transcript_import(*, actor: Actor, person: Person, region_code: str, token: str) -> TranscriptImport:
    """导入学分证明 — an official with ``records.review`` over the recognizing region imports the person's transcript
    signed by a trusted issuer: verified (``transcript_read``), the holder's salted ID hash checked against the
    person, then each credit the issuer earned and still holds becomes a 互认 entry of the region (its own source,
    date and expiry as issued). Refused: already imported, nothing left to recognize, a person who does not match."""
    region = region_validate(region_code)
    require(actor, "records.review", region_code=region.code)
    user = actor_user(actor)
    if user is not None and not visible(Person.objects.filter(pk=person.pk), user).exists():
        raise NotFound()
    issuer, credential, kid, token = transcript_read(token)
    if issuer.region_id == region.code:
        raise invalid(field="region", code=Code.SAME_REGION, message=_("认定地区不能是签发方所在地区。"))
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    if not _holder_matches(subject, person):
        raise _refuse(Code.PERSON_MISMATCH,
                      _("学分证明的持有人与所选人员不符（证件号码摘要不一致）：请核对人员后再导入。"))  # fmt: skip
    digest = hashlib.sha256(token.encode()).hexdigest()
    credential_id = _clean(credential.get("id"), 100) if isinstance(credential.get("id"), str) else ""
    if not credential_id:
        raise _refuse(Code.MALFORMED, _("学分证明缺少编号（id）。"))
    taken = _("该学分证明已导入过，不能重复导入。")
    if TranscriptImport.objects.filter(issuer=issuer, credential_id=credential_id).exists() or (
        TranscriptImport.objects.filter(token_sha256=digest).exists()
    ):
        raise _refuse(Code.ALREADY_IMPORTED, taken)
    today = timezone.localdate()
    take, skipped = _achievements(subject, today)
    prefix = f"transcript:{issuer.pk.hex[:12]}:"
    done = set(CreditEntry.objects.filter(source_key__in=[prefix + a["id"] for a in take])
               .values_list("source_key", flat=True))  # fmt: skip
    for a in [a for a in take if prefix + a["id"] in done]:
        skipped.append({"name": a["name"], "reason": _("已由此前导入的学分证明认定")})
    take = [a for a in take if prefix + a["id"] not in done]
    if not take:
        raise _refuse(
            Code.NOTHING_TO_IMPORT, _("该学分证明中没有可认定的学分（均已失效、已用完、已认定或为互认学分）。")
        )
    as_of, issued = _date(subject.get("asOf")), _time(credential.get("validFrom"))
    total = sum((a["credits"] for a in take), Decimal("0"))
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()
            imported = TranscriptImport.objects.create(
                person=person, region=region, issuer=issuer, credential_id=credential_id, token_sha256=digest,
                kid=kid, issued_on=timezone.localdate(issued) if issued else None, as_of=as_of, credits=total,
                entries_recorded=len(take), skipped=skipped[:ACHIEVEMENTS_MAX], imported_by=user,
            )  # fmt: skip
            recorded = []
            for a in take:
                entry = CreditEntry.objects.create(
                    person_id=person.pk, region_id=region.code, category=a["category"], kind=EntryKind.RECOGNIZE,
                    credits=a["credits"], source_key=prefix + a["id"],
                    source_label=f"互认 {issuer.name}：{a['name']}"[:200],
                    explanation=(_("%(issuer)s签发的学分证明（截至 %(d)s），签名已核验")
                                 % {"issuer": issuer.name, "d": as_of or "—"})[:300],
                    on=a["on"], expires_on=a["expires"],
                )  # fmt: skip
                recorded.append(str(entry.pk))
            imported.entry_ids = recorded
            imported.save(update_fields=["entry_ids", "updated_at"])
            audit_event(E.CREDITS_TRANSCRIPT_IMPORT, actor=actor, object_id=imported.pk, region_code=region.code,
                        after={"person": str(person.pk), "issuer": issuer.name, "credential": credential_id,
                               "entries": len(take), "credits": str(total), "skipped": len(skipped)})  # fmt: skip
    except IntegrityError:  # the same transcript or credit imported meanwhile
        raise _refuse(Code.ALREADY_IMPORTED, taken) from None
    return imported
