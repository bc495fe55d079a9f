"""What other apps may use of certificates.

- ``certificate_facts(certificate_ids, person_ids)`` — the certificates with those ids or held by those persons, as
  frozen ``data.CertificateFacts``. Subsidies (a sibling layer, so it never imports this module) receives it through
  its hook: the composition root calls ``subsidies.api.register_certificate_reader(certificate_facts)`` (ADR 0007).
- ``Certificate``, ``CertificateStatus`` — for counting (indicators count valid certificates by attributed region);
- ``sessions_visible(user)``, ``SessionStatus`` — the exam sessions a user may see (the site shell's to-do list).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from jineng.certificates.data import CertificateFacts
from jineng.certificates.models import Certificate, CertificateStatus, SessionStatus
from jineng.certificates.selectors import sessions_visible


def certificate_facts(certificate_ids: Iterable[Any] = (), person_ids: Iterable[Any] = ()) -> list[CertificateFacts]:
    """The certificates whose id is in ``certificate_ids`` or whose holder is in ``person_ids``, oldest first. The
    ids are UUIDs (a caller holding user input drops malformed ones first, as ``subsidies/facts.py`` does)."""
    ids = list(certificate_ids)
    persons = list(person_ids)
    if not ids and not persons:
        return []
    rows = (
        Certificate.objects.filter(Q(pk__in=ids) | Q(person_id__in=persons))
        .select_related("level", "occupation", "candidate")
        .order_by("issued_on", "number")
    )
    return [
        CertificateFacts(
            id=str(c.pk),
            number=c.number,
            kind=c.kind_id,
            occupation=c.occupation.code if c.occupation_id else "",
            level=c.level_id or "",
            level_rank=c.level.rank if c.level_id else 0,
            issued_on=c.issued_on,
            valid=c.status == CertificateStatus.VALID,
            person_id=c.person_id,
            region_code=c.region_id,
            enrollment_id=c.candidate.enrollment_id if c.candidate_id else None,
        )
        for c in rows
    ]


__all__ = [
    "Certificate",
    "CertificateFacts",
    "CertificateStatus",
    "SessionStatus",
    "certificate_facts",
    "sessions_visible",
]
