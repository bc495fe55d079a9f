"""What other apps may use of the registry.

- ``person_resolve`` / ``person_create`` — find or register a person by document number;
- ``person_attribute`` — attribute a person to a region (they become visible to its officials);
- ``register_archive_source`` / ``ArchiveEntry`` — add entries to the lifelong archive (``phrase`` / ``data_name``:
  words put in the reader's language, data names kept as written);
- ``register_merge_handler`` — re-point an app's rows when duplicate persons are merged;
- ``person_groups_on`` — the groups that held on a date (to keep on an enrollment);
- ``employment_add`` / ``employment_on`` — record an employment (就业挂钩) / the employment status on a date;
- ``person_crypto_shred`` — render a person's personal data unrecoverable (PIPL deletion; the retention job calls
  it), ``register_shred_handler`` — clear an app's copies of a person's data when that happens;
- ``phone_reveal`` — a person's full phone for another app's step that checked its own permission, audited here;
- ``Person`` — for foreign keys.

Persons and employment records are returned as models: callers store them as foreign keys (a pool role, an
enrollment, a candidate) and read a few fields; none writes through them.
"""

from __future__ import annotations

from typing import Any

from jineng.registry.archive import ArchiveEntry, archive_entries, data_name, phrase, register_archive_source
from jineng.registry.identity import check_id_number, region_code_known
from jineng.registry.models import GROUP_SYNONYMS, BankAccount, EmploymentRecord, EmploymentStatus, Group, Person
from jineng.registry.selectors import person_dict, person_groups_on
from jineng.registry.services import bulk as bulk  # batch paths: persons_find_bulk, persons_register_bulk, …
from jineng.registry.services.persons import (
    MembershipInput,
    PersonExists,
    employment_add,
    find_document,
    person_attribute,
    person_create,
    phone_reveal,
    register_merge_handler,
    survivor_of,
)
from jineng.registry.services.shred import person_crypto_shred, person_is_shredded, register_shred_handler


def person_resolve(id_number: str, doc_type: str | None = None) -> Person | None:
    """The (surviving) person holding this document number, or None. Raises a 422 for an invalid number."""
    doc = find_document(check_id_number(id_number, doc_type=doc_type))
    return survivor_of(doc.person) if doc else None


def identity_hash(person: Any, salt: str) -> str:
    """The holder's salted identity hash, as Open Badges 3.0 / CLR 2.0 ``IdentityObject`` name it: ``sha256$`` and
    the hex SHA-256 of the normalized primary document number followed by ``salt`` ("" when the person has no
    document). A credential names its holder by it, never by the number; whoever knows the number and the salt
    can check it (another deployment importing a transcript)."""
    import hashlib

    from jineng.registry.services.persons import open_document

    doc = Person.objects.get(pk=getattr(person, "pk", person)).documents.order_by("-is_primary", "created_at").first()
    if doc is None:
        return ""
    return "sha256$" + hashlib.sha256((open_document(doc) + salt).encode()).hexdigest()


def employment_on(person: Any, on: Any) -> EmploymentRecord | None:
    """The person's latest employment-status record started on or before ``on`` (None when there is none)."""
    person_id = getattr(person, "pk", person)
    return (
        EmploymentRecord.objects.filter(person_id=person_id, started_on__lte=on)
        .order_by("-started_on", "-created_at")
        .first()
    )


def person_summary(person: Any) -> dict[str, Any]:
    return person_dict(person)


def corrections_open(user: Any) -> Any:
    """The correction requests of the user's region waiting for an answer, oldest first."""
    from jineng.accounts.api import visible
    from jineng.registry.models import CorrectionRequest, CorrectionStatus

    return (
        visible(CorrectionRequest, user, "registry.edit")
        .filter(status=CorrectionStatus.OPEN)
        .select_related("person")
        .order_by("created_at")
    )


__all__ = [
    "corrections_open",
    "person_crypto_shred",
    "person_is_shredded",
    "register_shred_handler",
    "ArchiveEntry",
    "BankAccount",
    "EmploymentRecord",
    "MembershipInput",
    "EmploymentStatus",
    "Group",
    "GROUP_SYNONYMS",
    "Person",
    "PersonExists",
    "archive_entries",
    "data_name",
    "phrase",
    "check_id_number",
    "employment_add",
    "employment_on",
    "identity_hash",
    "person_attribute",
    "person_create",
    "person_groups_on",
    "person_resolve",
    "person_summary",
    "phone_reveal",
    "region_code_known",
    "register_archive_source",
    "register_merge_handler",
]
