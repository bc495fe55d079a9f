"""What other apps may use of certificates.

- ``certificate_facts(certificate_ids, person_ids)`` — the certificates with those ids or held by those persons, as
  frozen ``data.CertificateFacts``. Subsidies (a sibling layer, so it never imports this module) receives it through
  its hook: the composition root calls ``subsidies.api.register_certificate_reader(certificate_facts)`` (ADR 0007).
- ``Certificate``, ``CertificateStatus`` — for counting (indicators count valid certificates by attributed region);
- ``sessions_visible(user)``, ``SessionStatus`` — the exam sessions a user may see (the site shell's to-do list);
- ``certificate_award(…)`` / ``certificate_withdraw(…)`` — issue the 职业技能等级证书 a competition result brings,
  with its legal basis, and revoke it when the result is restated (the competitions app; an official acts);
- ``credential_sign(payload)``, ``credential_issuer(request)``, ``CREDENTIAL_MEDIA_TYPE`` — sign another credential
  (the credit bank's transcript) with the platform's issuer key, verifiable offline against
  ``/.well-known/jwks.json`` like a certificate's.
- ``on_certificate_changed(handler)`` — ``handler(person_id)`` after a certificate of the person is revoked (the
  credit bank reverses its credits at once);
- ``certificate_number_display(number)`` — a certificate number in its canonical shown form
  (``440106-2026-S-0000123-C``), as the certificate pages show it; another number unchanged;
- ``rate_limit_hit(bucket, address, rate=…)``, ``RateDecision``, ``TooManyRequests`` — the shared fixed-window rate
  limit of the public endpoints (verification here; the complaint form and status check, with their own rates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from jineng.certificates import credentials, presenters, services
from jineng.certificates.data import CertificateFacts
from jineng.certificates.errors import TooManyRequests
from jineng.certificates.events import on_certificate_changed
from jineng.certificates.models import Candidate, CandidateResult, Certificate, CertificateStatus, SessionStatus
from jineng.certificates.ratelimit import RateDecision, rate_limit_hit
from jineng.certificates.selectors import sessions_visible
from jineng.rules.certificates import display_number as certificate_number_display


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


def certificate_award(
    *,
    actor: Any,
    person: Any,
    occupation: Any,
    level: Any,
    issued_on: dt.date,
    region_code: str,
    issuer_name: str,
    legal_basis: str,
) -> CertificateFacts:
    """A 职业技能等级证书 at ``level`` in ``occupation`` (refdata models) for ``person`` (a registry person), source
    竞赛晋升, attributed to ``region_code``; verifiable publicly and as a credential like any certificate."""
    certificate = services.certificate_award(
        actor=actor, person=person, occupation=occupation, level=level, issued_on=issued_on,
        region_code=region_code, issuer_name=issuer_name, legal_basis=legal_basis,
    )  # fmt: skip
    return certificate_facts([certificate.pk])[0]


def certificate_withdraw(*, actor: Any, certificate_id: Any, reason: str) -> None:
    """Revoke the certificate (an official over its region), with the reason; an already revoked one is left as is."""
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.status == CertificateStatus.VALID:
        services.certificate_revoke(actor=actor, certificate=certificate, reason=reason)


CREDENTIAL_MEDIA_TYPE = credentials.MEDIA_TYPE


def credential_sign(payload: dict[str, Any]) -> str:
    """The compact JWS (``vc+jwt``, Ed25519) of a VC 2.0 payload under the platform's active issuer key."""
    return credentials.sign(payload)


def credential_verify(token: str) -> dict[str, Any]:
    """Verify a compact ``vc+jwt`` against the platform's published keys (``/.well-known/jwks.json``): ``valid``,
    ``reason`` (``malformed``, ``unknown_kid``, ``bad_signature``, ``expired`` …), ``credential`` (the payload once
    the signature holds) and ``transcript`` (the facts of a credits transcript) — the credit bank's public verifier."""
    return credentials.credential_verify(token).as_dict()


def credential_public_keys() -> list[dict[str, str]]:
    """The platform's published signing keys (``/.well-known/jwks.json``'s ``keys``): the credit bank refuses to
    register one of them as another deployment's."""
    return credentials.jwks()["keys"]


def credential_issuer(request: Any) -> dict[str, Any]:
    """The issuer profile credentials name (the platform, at its public origin)."""
    return credentials.issuer_profile(presenters.base_url(request))


__all__ = [
    "CREDENTIAL_MEDIA_TYPE",
    "credential_issuer",
    "credential_public_keys",
    "credential_sign",
    "credential_verify",
    "on_certificate_changed",
    "certificate_award",
    "certificate_number_display",
    "certificate_withdraw",
    "Certificate",
    "CertificateFacts",
    "CertificateStatus",
    "RateDecision",
    "SessionStatus",
    "TooManyRequests",
    "certificate_facts",
    "rate_limit_hit",
    "sessions_visible",
]


def valid_certificate_counts(*, year: int | None = None) -> list[tuple[str, str, int]]:
    """(attributed region, skill level or "", count) of the valid certificates, issued in ``year`` when given — what
    the public statistics aggregate (and suppress) before anything is shown (信息公开, ADR 0029)."""
    from django.db.models import Count

    qs = Certificate.objects.filter(status=CertificateStatus.VALID)
    if year is not None:
        qs = qs.filter(issued_on__year=year)
    rows = qs.values("region_id", "level_id").annotate(n=Count("pk")).order_by("region_id", "level_id")
    return [(r["region_id"], r["level_id"] or "", r["n"]) for r in rows]


__all__ += ["valid_certificate_counts"]
# ``Candidate``, ``CandidateResult`` — for counting: supervision tests each evaluation organization's pass rate
# against its city's other organizations (the statistical rule ``pass_rate_outlier``).
__all__ += ["Candidate", "CandidateResult"]
