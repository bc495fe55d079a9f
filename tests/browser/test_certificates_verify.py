"""Public certificate verification in a real browser: look a certificate up by number and name; paste a credential
and see its Ed25519 signature verified in the browser (WebCrypto, against /.well-known/jwks.json) and by the
server; a tampered credential fails in both with its reason. No login, no CSP violation, no script error."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def certificate(regions: None) -> Any:
    from django.utils import timezone

    from jineng.accounts.models import Organization
    from jineng.certificates.models import Certificate
    from jineng.common.codes import credit_code_check_char
    from jineng.refdata.loaders import load_all
    from jineng.refdata.models import CertificateKind, Occupation
    from jineng.registry.models import Person
    from jineng.rules.certificates import format_number

    if not (CertificateKind.objects.exists() and Occupation.objects.filter(code="4-04-05-01").exists()):
        load_all(["levels", "certificate_kinds", "occupations"])  # flushed by an earlier live-server test
    first17 = "52440100MB0000003"
    org = Organization.objects.create(kind="evaluator", name="广州市职业技能评价中心", region_id="440100",
                                      credit_code=first17 + credit_code_check_char(first17))  # fmt: skip
    person = Person.objects.create(name="李明")
    occupation = Occupation.objects.get(code="4-04-05-01", level="occupation")
    return Certificate.objects.create(
        number=format_number("440106", 2026, "skill_level", 7), kind_id="skill_level", person=person,
        holder_name="李明", occupation=occupation, occupation_name=occupation.name, level_id="grade4", issuer=org,
        issuer_name=org.name, issued_on=timezone.localdate(), region_id="440106", source="exam",
    )  # fmt: skip


def test_a_credential_pasted_on_the_public_page_is_verified_in_the_browser_and_by_the_server(
    server: str, page: Any, certificate: Any, shot: Any
) -> None:
    from jineng.certificates.credentials import credential_for

    token = credential_for(certificate, server)
    page.goto(f"{server}/verify/credential")
    page.locator("#credential-input").fill(token)
    page.locator("#credential-verify").click()
    expect(page.locator("#browser-result")).to_have_attribute("data-state", "valid")
    expect(page.locator("#browser-result")).to_contain_text("浏览器验证通过")
    expect(page.locator("#server-result")).to_have_attribute("data-state", "valid")
    expect(page.locator("#server-result")).to_contain_text("李*")
    expect(page.locator("#credential-facts")).to_contain_text(certificate.number)
    expect(page.locator("#credential-facts")).to_contain_text("计算机程序设计员（四级/中级工）")
    shot(page, "verify-credential-valid")

    header, payload, signature = token.split(".")
    vc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    vc["credentialSubject"]["achievement"]["name"] = "计算机程序设计员（一级/高级技师）"
    forged = base64.urlsafe_b64encode(json.dumps(vc, ensure_ascii=False).encode()).rstrip(b"=").decode()
    page.locator("#credential-input").fill(f"{header}.{forged}.{signature}")
    page.locator("#credential-verify").click()
    expect(page.locator("#browser-result")).to_have_attribute("data-state", "invalid")
    expect(page.locator("#browser-result")).to_contain_text("签名无效")
    expect(page.locator("#server-result")).to_have_attribute("data-state", "invalid")
    expect(page.locator("#server-result")).to_contain_text("签名无效")
    expect(page.locator("#server-result")).not_to_contain_text("bad_signature")  # a sentence, never a raw code
    shot(page, "verify-credential-tampered")


def test_the_verify_page_finds_a_certificate_by_number_and_name(server: str, page: Any, certificate: Any) -> None:
    page.goto(f"{server}/verify?number={certificate.number}")  # what the QR code on the PDF opens
    expect(page.get_by_label("证书编号")).to_have_value(certificate.number)
    page.get_by_label("持证人姓名").fill("李明")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#verify-result")).to_have_attribute("data-status", "valid")
    expect(page.locator("#verify-result")).to_contain_text("李*")
    page.get_by_label("持证人姓名").fill("王明")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#verify-result")).to_have_attribute("data-status", "not_found")
