"""Demo data of the skill credit bank (``jineng seed --scale demo``), after every record it counts (training,
certificates, learning, competitions):

- 广东's credit rules (version 1, 2024-01-01): 16 学时 a credit, certificates by level, competition awards by event
  level, annual caps on class and online credits, online credits lapse after five years;
- the ledgers derived from the demo's records: the demo worker 李明 holds credits from the completed class, the
  certificate and the province competition award;
- 学分互认: one approved request for 李明 (a 湖南 record, 天河区 approved by the reviewer), and one pending request of
  天河区 filed by demo-city, waiting for demo-county's review (its to-do);
- 学分转换 with 李明's signed consent: one approved (asked by demo-county, approved by demo-reviewer: 2 credits for
  the 电工安全操作 module's 32 学时), one pending (asked by demo-city, waiting for demo-county's review).

- 学分规则草稿: 广东 version 2 (16 → 12 学时 a credit, from next 1 January), drafted by demo-province, awaiting
  demo-reviewer's publication (the 学分规则 page);
- 本人在线确认: a conversion asked by demo-county with 本人在线确认, waiting on 李明's 我的学分 for his consent;
- 受信任的签发方 湖南省技能学分银行 (430000) and one of its signed transcripts of 李明 imported by demo-county:
  a 株洲 welding class and a 湖南 provincial competition prize, recognized as 天河区 互认 entries. The Hunan platform's
  signing key is made for the seed and thrown away (only its public key is kept, as a registry would).

Idempotent: the rules are published once, the derivation writes only what is missing, requests are found by record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jineng.accounts.api import Operator, User
from jineng.credits import services
from jineng.credits.models import CreditRuleSet, Recognition
from jineng.registry.api import person_resolve

GD_RULES: dict[str, Any] = {
    "training_hours_per_credit": 16,
    "online_hours_per_credit": 16,
    "certificate_levels": {"grade5": "2", "grade4": "4", "grade3": "6", "grade2": "8", "grade1": "10"},
    "certificate_other": "1",
    "competition_levels": {"city": "2", "province": "4", "national": "8", "world_selection": "10"},
    "annual_caps": {"training": "30", "online": "10"},
    "expiry_years": {"online": 5},
    "conversion_hours_per_credit": 16,
    "theory_waiver_credits": "6",
}
# (ID number body, name, from region, record, issuer, description, category, credits, days ago, requester, approver)
REQUESTS = [
    ("HN-PX-2025-00318", "430100", "长沙市职业技能培训中心", "长沙市电工培训结业（64 学时）", "training", "4", 400,
     "demo-county", "demo-reviewer"),
    ("HN-ZS-2024-10452", "430000", "湖南省职业技能鉴定中心", "电工 五级/初级工 职业技能等级证书", "certificate", "2", 600,
     "demo-city", None),
]  # fmt: skip


def seed_demo(*, worker_id_number: str, stdout: Any = None) -> None:
    actor = Operator("seed")
    if not CreditRuleSet.objects.filter(region_id="440000").exists():
        services.rules_set(actor=actor, region_code="440000", valid_from=dt.date(2024, 1, 1),
                           basis="广东省技能学分银行管理办法（演示）", rules=GD_RULES)  # fmt: skip
    written = services.credits_derive(actor=actor, person_ids=services.persons_with_sources())
    worker = person_resolve(worker_id_number)
    if worker is not None:
        today = timezone.localdate()
        for ref, source, issuer, what, category, credits, days, requester, approver in REQUESTS:
            if Recognition.objects.filter(record_ref=ref).exists():
                continue
            by = User.objects.filter(username=requester).first() or actor
            rec = services.recognition_request(
                actor=by, person=worker, region_code="440106", from_region=source, record_ref=ref, issuer=issuer,
                description=what, category=category, credits=credits, earned_on=today - dt.timedelta(days=days),
            )  # fmt: skip
            if approver:
                services.recognition_decide(actor=User.objects.filter(username=approver).first() or actor,
                                            recognition=rec, approve=True, reason="原记录经湖南省平台核验无误")  # fmt: skip
        _seed_conversions(worker)
        _seed_online_consent(worker)
        _seed_import(worker)
    _seed_draft()
    if stdout is not None:
        from jineng.credits.models import CreditEntry

        stdout.write(f"Demo credits: {written} ledger entries derived now ({CreditEntry.objects.count()} in all).")


# (module, credits, consent form, days ago, requester, approver)
CONVERSIONS = [
    ("电工安全操作模块", "2", "TH-XF-2026-0012", 20, "demo-county", "demo-reviewer"),
    ("电工识图模块", "1", "TH-XF-2026-0031", 3, "demo-city", None),
]


def _seed_conversions(worker: Any) -> None:
    from jineng.credits.models import Conversion

    today = timezone.localdate()
    for module, credits, form, days, requester, approver in CONVERSIONS:
        by = User.objects.filter(username=requester).first()
        if by is None or Conversion.objects.filter(person_id=worker.pk, target_label=module).exists():
            continue
        conversion = services.conversion_request(
            actor=by, person=worker, region_code="440106", target="module_hours", target_label=module,
            credits=credits, reason="本人申请以已取得的学分免修该模块", consent_method="signed_form", consent_ref=form,
            consent_on=today - dt.timedelta(days=days),
        )  # fmt: skip
        reviewer = User.objects.filter(username=approver).first() if approver else None
        if reviewer is not None:
            services.conversion_decide(actor=reviewer, conversion=conversion, approve=True, reason="学分核对无误")


def _seed_online_consent(worker: Any) -> None:
    from jineng.credits.models import Conversion

    by = User.objects.filter(username="demo-county").first()
    if by is None or Conversion.objects.filter(person_id=worker.pk, target_label="电工仪表使用模块").exists():
        return
    services.conversion_request(
        actor=by, person=worker, region_code="440106", target="module_hours", target_label="电工仪表使用模块",
        credits="1", reason="本人在线申请以学分免修该模块", consent_method="online",
    )  # fmt: skip


def _seed_draft() -> None:
    from jineng.credits.models import RuleSetStatus

    by = User.objects.filter(username="demo-province").first()
    if by is None or CreditRuleSet.objects.filter(region_id="440000", status=RuleSetStatus.DRAFT).exists():
        return
    today = timezone.localdate()
    services.rules_draft(actor=by, region_code="440000", valid_from=dt.date(today.year + 1, 1, 1),
                         basis="广东省技能学分银行管理办法（修订征求意见稿）",
                         rules={**GD_RULES, "training_hours_per_credit": 12})  # fmt: skip


HUNAN_URL = "https://jineng.hunan.example.cn/"
# (entry, days ago, category, credits)
HUNAN_ENTRIES = [
    ("株洲市焊工（五级）就业技能培训结业（48 学时）", 700, "training", "3.0"),
    ("湖南省焊工职业技能竞赛 第 5 名", 500, "competition", "4.0"),
]


def _seed_import(worker: Any) -> None:
    """湖南's platform: a key of its own, its JWKS registered as a trusted issuer, and its signed transcript of the
    worker imported through the service (verified like any other)."""
    import base64
    import json
    import secrets
    import uuid

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from joserfc import jws
    from joserfc.jwk import OKPKey

    from jineng.credits import exchange
    from jineng.credits.models import TrustedIssuer
    from jineng.registry.api import identity_hash

    province, county = (User.objects.filter(username=u).first() for u in ("demo-province", "demo-county"))
    if province is None or county is None or TrustedIssuer.objects.filter(issuer_url=HUNAN_URL).exists():
        return

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    private = Ed25519PrivateKey.generate()
    x = b64(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    d = b64(private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                  serialization.NoEncryption()))  # fmt: skip
    kid = exchange._thumbprint(x)
    exchange.issuer_add(actor=province, name="湖南省技能学分银行", issuer_url=HUNAN_URL, region_code="430000",
                        keys=json.dumps({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid}]}))  # fmt: skip
    today = timezone.localdate()
    salt = secrets.token_hex(16)
    payload = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "ClrCredential", "JinengCreditTranscript"],
        "name": "技能学分证明",
        "issuer": {"id": HUNAN_URL, "type": ["Profile"], "name": "湖南省技能学分银行"},
        "validFrom": (timezone.now() - dt.timedelta(days=2)).replace(microsecond=0).isoformat(),
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "nationalIdentityNumber", "hashed": True,
                            "identityHash": identity_hash(worker, salt), "salt": salt}],
            "asOf": (today - dt.timedelta(days=2)).isoformat(),
            "achievement": [
                {"id": f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"], "achievementType": "SkillCredit",
                 "name": name, "category": category, "kind": "earn", "creditsAvailable": credits,
                 "creditsRemaining": credits, "expired": False, "source": category, "region": "湖南省",
                 "ruleVersion": 1, "on": (today - dt.timedelta(days=days)).isoformat(), "expiresOn": None}
                for name, days, category, credits in HUNAN_ENTRIES
            ],
        },
    }  # fmt: skip
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": x, "d": d})
    token = jws.serialize_compact({"alg": "Ed25519", "typ": "vc+jwt", "kid": kid}, body, key, algorithms=["Ed25519"])
    exchange.transcript_import(actor=county, person=worker, region_code="440106", token=str(token))
