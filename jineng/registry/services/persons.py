"""Writes to the registry. Each is atomic and writes its audit entry (with masked personal data) in the same
transaction. Permission checks that depend on the target region happen here, through ``accounts.api.require``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, UUIDField
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user, require, visible
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, FieldError, InvalidState, ValidationFailed
from jineng.common.masking import mask_name
from jineng.refdata.api import region_validate
from jineng.registry.events import Event
from jineng.registry.identity import (
    check_id_number,
    check_phone,
    number_hash,
    open_bank_account,
    open_number,
    open_phone,
    seal_bank_account,
    seal_number,
    seal_phone,
)
from jineng.registry.models import (
    BankAccount,
    EmploymentRecord,
    Group,
    GroupMembership,
    IdentityDocument,
    MergeRecord,
    Person,
    PersonFact,
    PersonSource,
    PersonStatus,
    VerificationStatus,
)
from jineng.rules.idcard import RESIDENT_FAMILY, DocType, ParsedId


class PersonExists(Conflict):
    """409 — the document is already registered; ``existing`` points at that record (masked) — only when the caller
    may see it. An existing person outside the caller's scope is named nowhere in the answer (no id, no masked name or
    number, no link): the caller learns only that this number cannot be registered again, which any unique national
    ID implies, never who holds it or where (issue 14, defect 7)."""

    def __init__(self, person: Person, document: IdentityDocument, *, reveal: bool = True):
        super().__init__(
            "该证件号码已登记，不能重复登记。"
            if reveal
            else "该证件号码已登记，不能重复登记；如需办理，请联系其所在地经办机构。",
            code="person_exists",
            extra={"existing": existing_summary(person, document)} if reveal else {},
        )
        self.person = person
        self.revealed = reveal


def person_exists_error(actor: Actor, document: IdentityDocument) -> PersonExists:
    """The 409 for an already registered ``document``, pointing at the person only if ``actor`` may see them."""
    person = survivor_of(document.person)
    reveal = True
    if getattr(actor, "is_authenticated", False):  # a signed-in user (not the CLI or a system job)
        reveal = visible(Person, actor, "records.view").filter(pk=person.pk).exists()
    return PersonExists(person, document, reveal=reveal)


def existing_summary(person: Person, document: IdentityDocument) -> dict[str, Any]:
    return {
        "id": str(person.pk),
        "name": mask_name(person.name),
        "doc_type": document.doc_type,
        "id_number": document.number_masked,
        "url": f"/api/v1/persons/{person.pk}",
    }


def family_of(doc_type: str) -> list[str]:
    """Document types whose numbers identify the same person when their hashes are equal."""
    return sorted(RESIDENT_FAMILY) if doc_type in RESIDENT_FAMILY else [doc_type]


def find_document(parsed: ParsedId) -> IdentityDocument | None:
    """The registered document with this number (any type of its family), survivor first."""
    return (
        IdentityDocument.objects.select_related("person")
        .filter(doc_type__in=family_of(parsed.doc_type), number_hash=number_hash(parsed.number))
        .order_by("doc_type")
        .first()
    )


def survivor_of(person: Person) -> Person:
    seen = 0
    while person.merged_into_id is not None and seen < 10:
        person = Person.objects.get(pk=person.merged_into_id)
        seen += 1
    return person


def _region_or_none(code: str | None, field: str) -> str | None:
    if code is None or str(code).strip() == "":
        return None
    return region_validate(str(code), field=field).code


def _person_audit(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "phone": person.phone_masked,
        "residence_region": person.residence_region_id,
        "hukou_region": person.hukou_region_id,
        "hukou_type": person.hukou_type,
        "education": person.education,
        "status": person.status,
    }


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed("姓名不能为空。", [FieldError("name", "name_required", "姓名不能为空。")])
    if len(name) > 60 or any(ch.isdigit() for ch in name) or name.startswith(("=", "+", "-", "@")):
        raise ValidationFailed(
            "姓名不正确。", [FieldError("name", "name_bad_format", "姓名不能含数字，且不超过60个字符。")]
        )
    return name


@dataclass(frozen=True)
class MembershipInput:
    group: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    graduation_year: int | None = None
    source: str = ""
    evidence: str = ""


def check_group(code: str, field: str = "groups") -> str:
    if code not in Group.values:
        raise ValidationFailed("人员类别不正确。", [FieldError(field, "unknown_group", f"未知的人员类别：{code}")])
    return code


def person_create(
    *,
    actor: Actor,
    name: str,
    id_number: str,
    doc_type: str | None = None,
    phone: str = "",
    residence_region: str | None = None,
    hukou_region: str | None = None,
    hukou_type: str = "",
    education: str = "",
    sex: str = "",
    birth_date: dt.date | None = None,
    groups: Iterable[MembershipInput] = (),
    source: str = PersonSource.MANUAL,
    attribute_region: str | None = None,
    check_permission: bool = True,
) -> Person:
    """登记人员 — register a person with their first identity document.

    The person is visible where they reside and, through a fact, in ``attribute_region`` (the registering office).
    An existing document raises ``PersonExists`` (409) pointing at the existing record.
    """
    name = _check_name(name)
    parsed = check_id_number(id_number, doc_type=doc_type)
    phone = check_phone(phone)
    residence = _region_or_none(residence_region, "residence_region")
    hukou = _region_or_none(hukou_region, "hukou_region")
    attribution = _region_or_none(attribute_region, "region") or residence
    if check_permission:
        if attribution is None:
            raise ValidationFailed(
                "请填写居住地行政区划代码。",
                [FieldError("residence_region", "required", "请填写居住地行政区划代码（6位）。")],
            )
        require(actor, "registry.edit", region_code=attribution)
    memberships = [m for m in groups]
    for m in memberships:
        check_group(m.group)
    derived_sex = parsed.sex.value if parsed.sex else ""
    if sex and derived_sex and sex != derived_sex:
        raise ValidationFailed(
            "性别与证件号码不符。", [FieldError("sex", "sex_mismatch", "填写的性别与证件号码中的性别不一致。")]
        )
    if birth_date and parsed.birth_date and birth_date != parsed.birth_date:
        raise ValidationFailed(
            "出生日期与证件号码不符。",
            [FieldError("birth_date", "birth_date_mismatch", "填写的出生日期与证件号码中的出生日期不一致。")],
        )
    with transaction.atomic():
        existing = find_document(parsed)
        if existing is not None:
            raise person_exists_error(actor, existing)
        enc, phash, pmask = seal_phone(phone)
        person = Person.objects.create(
            name=name,
            sex=derived_sex or sex,
            birth_date=parsed.birth_date or birth_date,
            phone_enc=enc,
            phone_hash=phash,
            phone_masked=pmask,
            residence_region_id=residence,
            hukou_region_id=hukou,
            hukou_type=hukou_type or "",
            education=education or "",
            source=source,
            created_by=actor_user(actor),
        )
        doc = _document_add(person, parsed)
        for m in memberships:
            _membership_add(person, m, actor)
        if attribution:
            PersonFact.objects.get_or_create(
                person=person, region_id=attribution, kind="registry.registered", ref="",
                defaults={"occurred_on": timezone.localdate()},
            )  # fmt: skip
        audit_event(
            Event.PERSON_CREATE,
            actor=actor,
            object_id=person.pk,
            region_code=attribution or "",
            after={**_person_audit(person), "document": doc.number_masked, "doc_type": doc.doc_type},
        )
    return person


def _document_add(person: Person, parsed: ParsedId, *, legacy: bool = False, primary: bool = True) -> IdentityDocument:
    if legacy:
        enc, _hash, masked = seal_number(parsed.original)
        doc_type = DocType.RESIDENT_ID_LEGACY
    else:
        enc, _hash, masked = seal_number(parsed.number)
        doc_type = parsed.doc_type
    try:
        with transaction.atomic():
            return IdentityDocument.objects.create(
                person=person,
                doc_type=doc_type,
                number_enc=enc,
                number_hash=number_hash(parsed.number),
                number_masked=masked,
                is_primary=primary,
                verification=(
                    VerificationStatus.PENDING if parsed.needs_manual_verification else VerificationStatus.AUTOMATIC
                ),
            )
    except IntegrityError:
        # Lost a race with a concurrent registration of the same number: the constraint decides.
        existing = find_document(parsed)
        if existing is None:
            raise
        # No actor here to tell whether the caller may see the record: say nothing of it.
        raise PersonExists(survivor_of(existing.person), existing, reveal=False) from None


def person_create_legacy(*, actor: Actor, name: str, id_number: str, residence_region: str | None = None) -> Person:
    """历史数据迁移 — keep a record from an older system as it was: a 15-digit number stays 15 digits.

    Records of several older systems are loaded side by side, so no lookup of a twin happens here (the unique
    constraint still refuses the very same document twice): twins — a 15-digit record and its 18-digit upgrade —
    are found by ``person_duplicates`` and merged, with an audit entry, by ``person_merge``.
    """
    parsed = check_id_number(id_number, doc_type=DocType.RESIDENT_ID)
    with transaction.atomic():
        person = Person.objects.create(
            name=_check_name(name),
            sex=parsed.sex.value if parsed.sex else "",
            birth_date=parsed.birth_date,
            residence_region_id=_region_or_none(residence_region, "residence_region"),
            source=PersonSource.LEGACY,
        )
        doc = _document_add(person, parsed, legacy=parsed.upgraded)
        audit_event(
            Event.PERSON_CREATE_LEGACY,
            actor=actor,
            object_id=person.pk,
            region_code=person.residence_region_id or "",
            after={**_person_audit(person), "document": doc.number_masked, "doc_type": doc.doc_type},
        )
    return person


def person_update(
    *,
    actor: Actor,
    person: Person,
    phone: str | None = None,
    residence_region: str | None = None,
    hukou_region: str | None = None,
    hukou_type: str | None = None,
    education: str | None = None,
) -> Person:
    """修改人员信息 — the changes an official may make; the old values go to the audit trail (masked)."""
    if person.status == PersonStatus.MERGED:
        raise InvalidState("该人员已合并，请修改合并后的记录。", code="person_merged")
    with transaction.atomic():
        locked: Person = Person.objects.select_for_update().get(pk=person.pk)
        before = _person_audit(locked)
        if phone is not None:
            locked.phone_enc, locked.phone_hash, locked.phone_masked = seal_phone(check_phone(phone))
        if residence_region is not None:
            locked.residence_region_id = _region_or_none(residence_region, "residence_region")
        if hukou_region is not None:
            locked.hukou_region_id = _region_or_none(hukou_region, "hukou_region")
        if hukou_type is not None:
            locked.hukou_type = hukou_type
        if education is not None:
            locked.education = education
        locked.save()
        audit_event(
            Event.PERSON_UPDATE,
            actor=actor,
            object_id=locked.pk,
            region_code=locked.residence_region_id or "",
            before=before,
            after=_person_audit(locked),
        )
    return locked


def _membership_add(person: Person, m: MembershipInput, actor: Actor) -> GroupMembership:
    if m.group == Group.COLLEGE_GRADUATE and m.graduation_year is None:
        raise ValidationFailed(
            "高校毕业生须填写毕业年度。",
            [FieldError("graduation_year", "graduation_year_required", "高校毕业生须填写毕业年度。")],
        )
    valid_from = m.valid_from or timezone.localdate()
    if m.valid_to is not None and m.valid_to < valid_from:
        raise ValidationFailed(
            "截止日期早于起始日期。", [FieldError("valid_to", "bad_range", "截止日期不能早于起始日期。")]
        )
    membership, _created = GroupMembership.objects.get_or_create(
        person=person,
        group=m.group,
        valid_from=valid_from,
        defaults={
            "valid_to": m.valid_to,
            "graduation_year": m.graduation_year,
            "source": m.source,
            "evidence": m.evidence,
            "created_by": actor_user(actor),
        },
    )
    return membership


def membership_add(*, actor: Actor, person: Person, membership: MembershipInput) -> GroupMembership:
    check_group(membership.group, "group")
    with transaction.atomic():
        created = _membership_add(person, membership, actor)
        audit_event(
            Event.PERSON_MEMBERSHIP_ADD,
            actor=actor,
            object_id=person.pk,
            region_code=person.residence_region_id or "",
            after={
                "group": created.group,
                "valid_from": created.valid_from,
                "valid_to": created.valid_to,
                "graduation_year": created.graduation_year,
                "source": created.source,
                "evidence": created.evidence,
            },
        )
    return created


def employment_add(
    *,
    actor: Actor,
    person: Person,
    status: str,
    started_on: dt.date,
    employer_name: str = "",
    employer_credit_code: str = "",
    source: str = "",
    contract_months: int | None = None,
    insured_from: dt.date | None = None,
) -> EmploymentRecord:
    from jineng.registry.models import EmploymentStatus

    if status not in EmploymentStatus.values:
        raise ValidationFailed("就业状态不正确。", [FieldError("status", "bad_choice", f"未知的就业状态：{status}")])
    with transaction.atomic():
        record = EmploymentRecord.objects.create(
            person=person,
            status=status,
            started_on=started_on,
            employer_name=employer_name,
            employer_credit_code=employer_credit_code,
            source=source,
            contract_months=contract_months,
            insured_from=insured_from,
            created_by=actor_user(actor),
        )
        audit_event(
            Event.PERSON_EMPLOYMENT_ADD,
            actor=actor,
            object_id=person.pk,
            region_code=person.residence_region_id or "",
            after={
                "status": status,
                "started_on": started_on,
                "employer": employer_name,
                "source": source,
                "contract_months": contract_months,
                "insured_from": insured_from,
            },  # fmt: skip
        )
    return record


def document_add(*, actor: Actor, person: Person, id_number: str, doc_type: str | None = None) -> IdentityDocument:
    """Another document for the same person (a 2023 permanent-residence card, a passport …)."""
    parsed = check_id_number(id_number, doc_type=doc_type)
    with transaction.atomic():
        existing = find_document(parsed)
        if existing is not None:
            raise person_exists_error(actor, existing)
        doc = _document_add(person, parsed, primary=False)
        audit_event(
            Event.PERSON_DOCUMENT_ADD,
            actor=actor,
            object_id=person.pk,
            region_code=person.residence_region_id or "",
            after={"doc_type": doc.doc_type, "document": doc.number_masked, "verification": doc.verification},
        )
    return doc


def document_verify(*, actor: Actor, document: IdentityDocument, accepted: bool, reason: str) -> IdentityDocument:
    """人工核验 — a passport or travel permit checked against the original by an official."""
    if document.verification not in (VerificationStatus.PENDING,):
        raise InvalidState("该证件无需人工核验。", code="document_not_pending")
    with transaction.atomic():
        document.verification = VerificationStatus.VERIFIED if accepted else VerificationStatus.REJECTED
        document.verified_by = actor_user(actor)
        document.verified_at = timezone.now()
        document.save(update_fields=["verification", "verified_by", "verified_at", "updated_at"])
        audit_event(
            Event.PERSON_DOCUMENT_VERIFY,
            actor=actor,
            object_id=document.person_id,
            after={"document": document.number_masked, "verification": document.verification},
            reason=reason,
        )
    return document


def bank_account_add(*, actor: Actor, person: Person, bank_name: str, account_number: str) -> BankAccount:
    digits = "".join(ch for ch in (account_number or "") if not ch.isspace())
    if not digits.isdigit() or not 8 <= len(digits) <= 30:
        raise ValidationFailed(
            "银行账号格式不正确。",
            [FieldError("account_number", "bank_account_bad_format", "银行账号应为8–30位数字。")],
        )
    with transaction.atomic():
        enc, ahash, masked = seal_bank_account(digits)
        account = BankAccount.objects.create(
            person=person, bank_name=bank_name, account_enc=enc, account_hash=ahash, account_masked=masked
        )
        audit_event(
            Event.PERSON_BANK_ACCOUNT_ADD,
            actor=actor,
            object_id=person.pk,
            region_code=person.residence_region_id or "",
            after={"bank_name": bank_name, "account": masked},
        )
    return account


REVEALABLE = {"id_number": "证件号码", "phone": "手机号码", "bank_account": "银行账号"}


def person_reveal(*, actor: Actor, person: Person, field: str, reason: str, item_id: Any = None) -> str:
    """查看完整信息 — the unmasked value of one field, for a stated reason; needs ``registry.reveal`` over the
    person's region and writes an audit entry. The caller has already found the person through ``get_visible``."""
    reason = " ".join((reason or "").split())
    if field not in REVEALABLE:
        raise ValidationFailed(
            "字段不正确。", [FieldError("field", "bad_choice", "只能查看证件号码、手机号码或银行账号。")]
        )
    if len(reason) < 2:
        raise ValidationFailed(
            "请填写查看原因。", [FieldError("reason", "reason_required", "查看完整信息须填写原因。")]
        )
    _require_reveal(actor, person)
    if field == "id_number":
        docs = person.documents.all()
        doc = docs.filter(pk=item_id).first() if item_id else docs.order_by("-is_primary", "created_at").first()
        value = open_number(doc.number_enc) if doc else ""
        masked = doc.number_masked if doc else ""
    elif field == "phone":
        value = open_phone(person.phone_enc)
        masked = person.phone_masked
    else:
        accounts = person.bank_accounts.filter(is_active=True)
        account = accounts.filter(pk=item_id).first() if item_id else accounts.first()
        value = open_bank_account(account.account_enc) if account else ""
        masked = account.account_masked if account else ""
    audit_event(
        Event.PERSON_REVEAL,
        actor=actor,
        object_id=person.pk,
        region_code=person.residence_region_id or "",
        after={"field": field, "value": masked},
        reason=reason,
    )
    return value


def phone_reveal(person_id: Any, *, reason: str, actor: Actor, purpose: str) -> str:
    """A person's full phone number for another app's step that has checked its own permission (an inspector's
    call-back of a trainee on their task): decrypted here, and audited on the person as the registry's own reveals
    (the masked number, the reason and ``purpose``, e.g. ``inspections.task:<id>``). "" when none is on file."""
    person = Person.objects.filter(pk=person_id).only("phone_enc", "phone_masked", "residence_region_id").first()
    if person is None:
        return ""
    value = open_phone(person.phone_enc) if person.phone_enc else ""
    audit_event(
        Event.PERSON_REVEAL,
        actor=actor,
        object_id=person.pk,
        region_code=person.residence_region_id or "",
        after={"field": "phone", "value": person.phone_masked, "purpose": purpose[:80]},
        reason=reason,
    )
    return value


def _require_reveal(actor: Actor, person: Person) -> None:
    from jineng.accounts.api import visible

    if not visible(Person.objects.filter(pk=person.pk), actor, "registry.reveal").exists():
        from jineng.common.errors import PermissionDenied

        raise PermissionDenied("您没有查看完整个人信息的权限。", code="reveal_not_permitted")


# ---- attribution (facts) --------------------------------------------------------------------------------------


def person_attribute(
    *, person_id: Any, region_code: str, kind: str, ref: str = "", occurred_on: dt.date | None = None
) -> None:
    """Record that a person is attributed to a region (idempotent). Used by later apps through registry.api."""
    PersonFact.objects.get_or_create(
        person_id=person_id, region_id=region_code, kind=kind, ref=str(ref), defaults={"occurred_on": occurred_on}
    )


# ---- merge ----------------------------------------------------------------------------------------------------

MergeHandler = Callable[[Any, Any], int]
_MERGE_HANDLERS: dict[str, MergeHandler] = {}


def register_merge_handler(name: str, handler: MergeHandler) -> None:
    """Later apps re-point their rows from a merged person to the survivor: ``handler(merged_id, survivor_id)``."""
    _MERGE_HANDLERS[name] = handler


def person_duplicates(queryset: Any = None, limit: int | None = None) -> list[tuple[Person, Person]]:
    """(legacy record, its 18-digit twin) pairs: a 15-digit document whose upgraded hash another active person holds.

    One query finds the pairs (the twin by the keyed hash, a subquery per legacy document); ``queryset`` limits both
    persons of a pair (a user's scope), ``limit`` the number of pairs."""
    twins = (
        IdentityDocument.objects.filter(
            doc_type=DocType.RESIDENT_ID, number_hash=OuterRef("number_hash"), person__status=PersonStatus.ACTIVE
        )
        .exclude(person_id=OuterRef("person_id"))
        .order_by("person_id")
    )
    if queryset is not None:
        twins = twins.filter(person__in=queryset)
    legacy = IdentityDocument.objects.filter(doc_type=DocType.RESIDENT_ID_LEGACY, person__status=PersonStatus.ACTIVE)
    if queryset is not None:
        legacy = legacy.filter(person__in=queryset)
    found = (
        legacy.annotate(twin_id=Subquery(twins.values("person_id")[:1], output_field=UUIDField()))
        .filter(twin_id__isnull=False)
        .order_by("person_id")
        .values_list("person_id", "twin_id")
    )
    pairs = list(found[:limit] if limit else found)
    persons = Person.objects.select_related("residence_region").in_bulk({pk for pair in pairs for pk in pair})
    return [(persons[a], persons[b]) for a, b in pairs]


def person_merge(*, actor: Actor, survivor: Person, merged: Person, reason: str) -> MergeRecord:
    """合并 — move everything of ``merged`` to ``survivor``; ``merged`` stays as a tombstone pointing at it."""
    if survivor.pk == merged.pk:
        raise InvalidState("不能与自身合并。", code="merge_same_person")
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationFailed("请填写合并原因。", [FieldError("reason", "reason_required", "合并须填写原因。")])
    with transaction.atomic():
        a, b = sorted([survivor.pk, merged.pk])
        locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[a, b])}
        survivor, merged = locked[survivor.pk], locked[merged.pk]
        if merged.status == PersonStatus.MERGED or survivor.status == PersonStatus.MERGED:
            raise InvalidState("该人员已被合并。", code="person_merged")
        moved: dict[str, int] = {
            "documents": IdentityDocument.objects.filter(person=merged).update(person=survivor, is_primary=False),
            "memberships": _move_memberships(merged, survivor),
            "employment": EmploymentRecord.objects.filter(person=merged).update(person=survivor),
            "bank_accounts": BankAccount.objects.filter(person=merged).update(person=survivor),
            "facts": _move_facts(merged, survivor),
        }
        for name, handler in _MERGE_HANDLERS.items():
            moved[name] = handler(merged.pk, survivor.pk)
        if not survivor.phone_enc and merged.phone_enc:
            survivor.phone_enc, survivor.phone_hash, survivor.phone_masked = (
                merged.phone_enc,
                merged.phone_hash,
                merged.phone_masked,
            )
            survivor.save(update_fields=["phone_enc", "phone_hash", "phone_masked", "updated_at"])
        merged.status = PersonStatus.MERGED
        merged.merged_into = survivor
        merged.save(update_fields=["status", "merged_into", "updated_at"])
        record = MergeRecord.objects.create(
            survivor=survivor,
            merged=merged,
            reason=reason,
            moved=moved,
            actor=actor_user(actor),
        )
        audit_event(
            Event.PERSON_MERGE,
            actor=actor,
            object_id=merged.pk,
            region_code=survivor.residence_region_id or "",
            before=_person_audit(merged),
            after={"merged_into": str(survivor.pk), "moved": moved},
            reason=reason,
        )
    return record


def _move_memberships(merged: Person, survivor: Person) -> int:
    count = 0
    for m in GroupMembership.objects.filter(person=merged):
        if GroupMembership.objects.filter(person=survivor, group=m.group, valid_from=m.valid_from).exists():
            continue  # the survivor already holds the same membership; the tombstone keeps its own row
        GroupMembership.objects.filter(pk=m.pk).update(person=survivor)
        count += 1
    return count


def _move_facts(merged: Person, survivor: Person) -> int:
    count = 0
    for fact in PersonFact.objects.filter(person=merged):
        _, created = PersonFact.objects.get_or_create(
            person=survivor, region_id=fact.region_id, kind=fact.kind, ref=fact.ref,
            defaults={"occurred_on": fact.occurred_on},
        )  # fmt: skip
        count += int(created)
    return count


def open_document(document: IdentityDocument) -> str:
    """The plain number — only for services that must compare or export it under their own audit."""
    return open_number(document.number_enc)
