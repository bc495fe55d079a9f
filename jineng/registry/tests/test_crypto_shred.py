"""个人信息删除 — ``person_crypto_shred`` (issue 14, Deliver 3): afterwards nothing in the live system recovers the
person's ID number, phone, bank account, name or files — not a reveal, not a search by number or phone, not the
keyring — while the person's records, memberships and facts (what counts and statistics read) stay."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from jineng.common.attachments.models import Attachment
from jineng.common.crypto import blind_index, decrypt
from jineng.common.errors import PermissionDenied
from jineng.common.models import AuditEntry
from jineng.registry.api import person_crypto_shred, person_is_shredded, person_resolve
from jineng.registry.identity import BANK_CONTEXT, DOC_CONTEXT, PHONE_CONTEXT
from jineng.registry.models import BankAccount, GroupMembership, IdentityDocument, Person, PersonFact
from jineng.registry.services.persons import MembershipInput, bank_account_add
from jineng.registry.tests.factories import id18, make_person

pytestmark = pytest.mark.django_db

NUMBER = id18("440106", dt.date(1988, 6, 15), 501)
PHONE = "13800000501"
ACCOUNT = "6222020200112233445"


@pytest.fixture
def person(make_user):
    p = make_person(name="删除我", id_number=NUMBER, phone=PHONE,
                    groups=[MembershipInput(group="unemployed", valid_from=dt.date(2025, 1, 1))])  # fmt: skip
    bank_account_add(actor=None, person=p, bank_name="工商银行", account_number=ACCOUNT)
    return p


def _all_text_of(person_ids) -> str:
    """Every column of every registry row about the person, as stored."""
    rows = []
    for model, key in ((Person, "pk__in"), (IdentityDocument, "person_id__in"), (BankAccount, "person_id__in"),
                       (GroupMembership, "person_id__in")):  # fmt: skip
        rows += [
            json.dumps(r, default=str, ensure_ascii=False) for r in model.objects.filter(**{key: person_ids}).values()
        ]
    return "\n".join(rows)


def test_after_shredding_nothing_recovers_the_values_and_counts_stay(person, make_user, api):
    official = make_user("county_official", region="440106", username="shredder")
    upload = api(official).post(
        "/api/v1/attachments",
        {"kind": "evidence", "region": "440106",
         "file": SimpleUploadedFile("id.pdf", b"%PDF-1.4 " + NUMBER.encode(), "application/pdf")},
    )  # fmt: skip
    att = Attachment.objects.get(pk=upload.json()["id"])
    Attachment.objects.filter(pk=att.pk).update(object_type="registry.person", object_id=str(person.pk))
    before = {
        "persons": Person.objects.count(),
        "memberships": GroupMembership.objects.filter(person=person).count(),
        "facts": PersonFact.objects.filter(person=person).count(),
        "documents": IdentityDocument.objects.filter(person=person).count(),
    }
    tokens = [IdentityDocument.objects.get(person=person).number_enc, Person.objects.get(pk=person.pk).phone_enc,
              BankAccount.objects.get(person=person).account_enc]  # fmt: skip
    assert decrypt(tokens[0], context=DOC_CONTEXT) == NUMBER  # the keyring opens them before …

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        report = person_crypto_shred(person_id=person.pk, actor=official, reason="本人申请删除（个人信息保护法第47条）")
    assert report["documents"] == 1 and report["bank_accounts"] == 1 and report["files"] == 1

    person.refresh_from_db()
    assert person_is_shredded(person)
    stored = _all_text_of([person.pk])
    for secret in (NUMBER, PHONE, ACCOUNT, "删除我", *tokens):
        assert secret not in stored
    assert person.birth_date == dt.date(1988, 1, 1) and person.sex == "male"
    # … and nothing finds the person by the number any more (the blind index is gone, not just the ciphertext)
    assert person_resolve(NUMBER) is None
    assert not Person.objects.filter(phone_hash=blind_index(PHONE, context=PHONE_CONTEXT)).exists()
    assert not BankAccount.objects.filter(account_hash=blind_index(ACCOUNT, context=BANK_CONTEXT)).exists()
    # reveal gives nothing
    client = api(official)
    for field in ("id_number", "phone", "bank_account"):
        r = client.post(f"/api/v1/persons/{person.pk}/reveal", data=json.dumps({"field": field, "reason": "核对"}),
                        content_type="application/json")  # fmt: skip
        assert r.status_code < 500
        assert (
            NUMBER not in r.content.decode() and PHONE not in r.content.decode() and ACCOUNT not in r.content.decode()
        )
    # the file is gone from storage, its row kept and marked
    name = att.file.name
    att.refresh_from_db()
    assert att.status == "shredded" and not att.file and not default_storage.exists(name)
    # counts and statistics stay
    assert Person.objects.count() == before["persons"]
    assert GroupMembership.objects.filter(person=person).count() == before["memberships"]
    assert PersonFact.objects.filter(person=person).count() == before["facts"]
    assert IdentityDocument.objects.filter(person=person).count() == before["documents"]
    entry = AuditEntry.objects.get(action="person.crypto_shred")
    assert entry.object_id == str(person.pk) and NUMBER not in json.dumps(entry.after, ensure_ascii=False)
    # the same number can be registered again as a new person (a returning resident), nothing collides
    again = make_person(name="新登记", id_number=NUMBER, phone=PHONE)
    assert again.pk != person.pk and person_resolve(NUMBER).pk == again.pk
    # idempotent
    person_crypto_shred(person_id=person.pk, actor="system", reason="重复执行")


def test_shredding_needs_edit_scope_and_a_reason(person, make_user):
    stranger = make_user("county_official", region="440303", username="far-away")
    with pytest.raises(PermissionDenied):
        person_crypto_shred(person_id=person.pk, actor=stranger, reason="无权")
    from jineng.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        person_crypto_shred(person_id=person.pk, actor="system", reason="")
    person.refresh_from_db()
    assert person.name == "删除我" and decrypt(person.phone_enc, context=PHONE_CONTEXT) == PHONE
    assert decrypt(BankAccount.objects.get(person=person).account_enc, context=BANK_CONTEXT) == ACCOUNT
