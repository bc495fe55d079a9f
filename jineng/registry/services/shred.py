"""个人信息删除 (PIPL 第47条) — render one person's personal data unrecoverable while the records that count stay.

``person_crypto_shred(person_id=…, actor=…, reason=…)`` (also ``registry.api``; the retention job calls it where
deletion is owed). What it does, in one transaction with its audit entry (see docs/decisions/0015):

- every encrypted value of the person (document numbers, phone, bank accounts — and those of records merged into
  them) is overwritten: the ciphertext is gone from the live database, so no key, present or future, opens it;
- every blind index (``number_hash``, ``phone_hash``, ``account_hash``) is replaced by a random marker, so a
  search by the number or phone no longer finds the record (nor confirms a guess);
- the masked forms and the name are replaced (``已删除``), the birth date is cut to its year;
- files about the person (group-membership evidence, attachments about the person) are deleted from storage
  after commit and their rows marked ``shredded``;
- other apps' copies (an enrollment's name on a roster, a certificate's holder name …) are cleared by the
  handlers they register with ``register_shred_handler``.

What stays: the person row and its id, sex, regions, education, hukou type, group memberships, facts and every
record that refers to the person (enrollments, attendance, claims, certificates) — the counts and statistics do
not change. The audit trail keeps its entries unaltered (it holds masked values and names; see the ADR).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction

from jineng.accounts.api import Actor
from jineng.common.audit.services import audit_event
from jineng.common.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from jineng.registry.events import Event
from jineng.registry.models import BankAccount, GroupMembership, IdentityDocument, Person

SHREDDED_NAME = "已删除"
SHREDDED_MASK = "已删除"
HASH_MARKER = "shredded:"

ShredHandler = Callable[[list[Any]], int]
_HANDLERS: list[tuple[str, ShredHandler]] = []


def register_shred_handler(name: str, handler: ShredHandler) -> None:
    """Apps that keep a copy of a person's personal data (a name on a roster …) clear it here: ``handler`` gets
    the ids of the shredded person and the records merged into them, runs in the shredding transaction and returns
    how many rows it cleared."""
    if not any(n == name for n, _h in _HANDLERS):
        _HANDLERS.append((name, handler))


def _marker() -> str:
    return HASH_MARKER + uuid.uuid4().hex


def person_is_shredded(person: Person) -> bool:
    return (
        person.name == SHREDDED_NAME and not person.phone_enc and not person.documents.exclude(number_enc="").exists()
    )


def _require_shred(actor: Actor, person: Person) -> None:
    if not getattr(actor, "pk", None):
        return  # the system: the retention job, the console
    from jineng.accounts.api import visible

    if not visible(Person.objects.filter(pk=person.pk), actor, "registry.edit").exists():
        raise PermissionDenied("您没有删除该人员个人信息的权限。", code="shred_not_permitted")


def person_crypto_shred(*, person_id: Any, actor: Actor, reason: str) -> dict[str, Any]:
    """Render the person's personal data unrecoverable (see the module's docstring); idempotent."""
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationFailed(
            "请填写删除原因。", [FieldError("reason", "reason_required", "删除个人信息须填写原因（法律依据）。")]
        )
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None:
            raise NotFound()
        _require_shred(actor, person)
        ids = [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]
        counts: dict[str, int] = {}
        for pid in ids:
            Person.objects.filter(pk=pid).update(name=SHREDDED_NAME, phone_enc="", phone_hash="", phone_masked="")
        for p in Person.objects.filter(pk__in=ids).exclude(birth_date=None):
            Person.objects.filter(pk=p.pk).update(birth_date=dt.date(p.birth_date.year, 1, 1))
        counts["documents"] = 0
        for doc in IdentityDocument.objects.filter(person_id__in=ids):
            counts["documents"] += IdentityDocument.objects.filter(pk=doc.pk).update(
                number_enc="", number_hash=_marker(), number_masked=SHREDDED_MASK
            )
        counts["bank_accounts"] = 0
        for account in BankAccount.objects.filter(person_id__in=ids):
            counts["bank_accounts"] += BankAccount.objects.filter(pk=account.pk).update(
                account_enc="", account_hash=_marker(), account_masked=SHREDDED_MASK, is_active=False
            )
        counts["files"] = _shred_files(ids)
        for name, handler in _HANDLERS:
            counts[name] = handler(ids)
        audit_event(
            Event.PERSON_CRYPTO_SHRED,
            actor=actor,
            object_id=person.pk,
            region_code=person.residence_region_id or "",
            reason=reason,
            after={"shredded": True, "records": len(ids), **counts},
        )
    return {"person": str(person.pk), "records": len(ids), **counts}


def _shred_files(person_ids: list[Any]) -> int:
    from jineng.common.attachments.services import attachments_shred

    evidence = list(
        GroupMembership.objects.filter(person_id__in=person_ids)
        .exclude(evidence_attachment_id=None)
        .values_list("evidence_attachment_id", flat=True)
    )
    GroupMembership.objects.filter(person_id__in=person_ids).update(evidence="")
    return attachments_shred(ids=evidence, object_type="registry.person", object_ids=[str(pid) for pid in person_ids])
