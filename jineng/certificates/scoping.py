"""Region scope of every model of this app (jineng.accounts.scope), attribution per ADR 0004: a session and what
hangs on it count for the venue's region; a certificate for the region it was attributed to when issued (the
venue's, else the issuing organization's); a filing for the organization's region. The evaluation organization
reaches its own records through its organization grant; a worker reaches their own candidacies and certificates."""

from __future__ import annotations

from jineng.accounts.api import ScopeSpec, register_scope


def register() -> None:
    from jineng.certificates import models as m

    register_scope(m.EvaluatorFiling, ScopeSpec(region="region_id", organization="organization_id"))
    # 合格标准 are published standards: anyone may read them.
    register_scope(m.PassRule, ScopeSpec(public=True))
    register_scope(m.ExamSession, ScopeSpec(region="venue_region_id", organization="organization_id"))
    register_scope(
        m.SessionExaminer, ScopeSpec(region="session__venue_region_id", organization="session__organization_id")
    )
    register_scope(
        m.Candidate,
        ScopeSpec(region="session__venue_region_id", organization="session__organization_id", person="person_id"),
    )
    register_scope(m.Certificate, ScopeSpec(region="region_id", organization="issuer_id", person="person_id"))
    register_scope(
        m.CertificateCorrection,
        ScopeSpec(
            region="certificate__region_id", organization="certificate__issuer_id", person="certificate__person_id"
        ),
    )
