"""Reads of evaluation and certificates: always through the scope (``accounts.api.visible``), except the public
verification, which answers only for an exact number together with the holder's exact name."""

from __future__ import annotations

import datetime as dt
import functools
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from jineng.accounts.api import get_visible, visible
from jineng.certificates.credentials import public_certificate_values
from jineng.certificates.models import (
    Candidate,
    CandidateResult,
    Certificate,
    EvaluatorFiling,
    ExamSession,
    SessionExaminer,
)
from jineng.common.errors import NotFound
from jineng.providers.api import PoolRole, PoolRoleKind
from jineng.refdata.api import (
    KIND_DISPLAY,
    LEVEL_DISPLAY,
    CertificateKind,
    SkillLevel,
    region_ancestors,
    region_subtree,
    setting_value,
)
from jineng.registry.api import ArchiveEntry, data_name, phrase
from jineng.rules.certificates import display_number, is_platform_number, looks_like_platform_number, normalize_number


def certificates_visible(user: Any, permission: str = "records.view") -> QuerySet[Certificate]:
    return visible(Certificate, user, permission).select_related("kind", "level", "occupation", "region", "issuer")


def certificate_filter(
    qs: QuerySet[Certificate],
    *,
    q: str = "",
    region: str = "",
    status: str = "",
    kind: str = "",
    occupation: str = "",
    year: int | None = None,
) -> QuerySet[Certificate]:
    if q:
        text = q.strip()
        qs = qs.filter(Q(number=normalize_number(text)) | Q(holder_name__contains=text))
    if region:
        qs = qs.filter(region_id__in=region_subtree(region))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind_id=kind)
    if occupation:
        qs = qs.filter(occupation__code=occupation)
    if year:
        qs = qs.filter(issued_on__year=year)
    return qs


def certificate_get(user: Any, number: str, permission: str = "records.view") -> Certificate:
    """A certificate in the user's scope by its number, else 404 (the same answer as for an unknown number)."""
    certificate = certificates_visible(user, permission).filter(number=normalize_number(number)).first()
    if certificate is None:
        raise NotFound()
    return certificate


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def certificate_verify_public(number: str, name: str) -> dict[str, Any]:
    """证书查询 — ``valid`` or ``revoked`` with the holder's name masked, when the number and the holder's name both
    match; ``not_found`` otherwise, with no hint of which of the two was wrong."""
    normalized = normalize_number(number)
    key = _name_key(name)
    not_found = {"status": "not_found", "number": None, "holder": None, "kind": None, "occupation": None,
                 "level": None, "issuer": None, "issued_on": None}  # fmt: skip
    if not normalized or not key or len(normalized) > 40:
        return not_found
    if looks_like_platform_number(normalized) and not is_platform_number(normalized):
        return not_found  # a mistyped platform number: its check character does not match
    with connection.cursor() as cursor:
        cursor.execute(_public_lookup_sql(), [normalized])
        row = cursor.fetchone()
    if row is None or _name_key(row[1]) != key:
        return not_found
    found = dict(zip(_PUBLIC_COLUMNS, row, strict=True))
    found["kind_name"], found["level_label"] = _reference_labels.get(found["kind_id"], found["level_id"])
    return public_certificate_values(found)


_PUBLIC_COLUMNS = ("number", "holder_name", "status", "kind_id", "occupation_name", "level_id", "issuer_name",
                   "issued_on")  # fmt: skip


@functools.cache
def _public_lookup_sql() -> str:
    """The public lookup's SQL, compiled once per process from the ORM query (compiling it costs more than running
    it): one row of one table by the unique number, no default ordering (its ORDER BY costs more to plan than the
    query to run), only the printed columns. One placeholder: the number."""
    query = Certificate.objects.filter(number="").order_by().values_list(*_PUBLIC_COLUMNS)[:1].query
    sql, params = query.sql_with_params()
    if params != ("",):
        raise RuntimeError(f"the public lookup query has unexpected parameters: {params!r}")
    return str(sql)


class _ReferenceLabels:
    """The certificate kinds' names and the skill levels' labels (a dozen rows of reference data), kept per process
    for ``LABELS_TTL`` seconds so that the public lookup reads one table; an unknown code reloads them at once, a
    renamed kind or level shows within the TTL."""

    LABELS_TTL = 60.0

    def __init__(self) -> None:
        self._loaded_at = -self.LABELS_TTL
        self._kinds: dict[str, str] = {}
        self._levels: dict[str, str] = {}

    def get(self, kind: str, level: str | None) -> tuple[str, str]:
        stale = time.monotonic() - self._loaded_at > self.LABELS_TTL
        if stale or kind not in self._kinds or (level and level not in self._levels):
            self._kinds = dict(CertificateKind.objects.values_list("code", "name"))
            self._levels = {lv.code: lv.label for lv in SkillLevel.objects.all()}
            self._loaded_at = time.monotonic()
        # In the page's language (issue 15: the English verification page showed the Chinese names).
        kind_name = str(KIND_DISPLAY.get(kind, self._kinds.get(kind, "")))
        level_name = str(LEVEL_DISPLAY.get(level, self._levels.get(level, ""))) if level else ""
        return kind_name, level_name


_reference_labels = _ReferenceLabels()


# ---- evaluation ---------------------------------------------------------------------------------------------------


def filings_visible(user: Any) -> QuerySet[EvaluatorFiling]:
    return visible(EvaluatorFiling, user).select_related("organization", "occupation", "level", "region")


def sessions_visible(user: Any) -> QuerySet[ExamSession]:
    return visible(ExamSession, user).select_related("organization", "occupation", "level", "venue_region")


def session_get(user: Any, session_id: Any, permission: str = "records.view") -> ExamSession:
    session: ExamSession = get_visible(
        ExamSession.objects.select_related("organization", "occupation", "level", "venue_region", "certificate_kind"),
        user,
        session_id,
        permission,
    )
    return session


@dataclass(frozen=True)
class SessionStats:
    candidates: int
    passed: int
    failed: int
    absent: int
    pending: int
    certificates: int

    @property
    def sat(self) -> int:
        return self.passed + self.failed

    @property
    def pass_rate(self) -> Decimal | None:
        """合格率 — passed over those who sat (absentees and pending not counted), in percent."""
        if not self.sat:
            return None
        return (Decimal(self.passed) * 100 / Decimal(self.sat)).quantize(Decimal("0.1"))


def session_stats(session: ExamSession) -> SessionStats:
    counts = dict(session.candidates.values_list("result").annotate(n=Count("id")).values_list("result", "n"))
    return SessionStats(
        candidates=sum(counts.values()),
        passed=counts.get(CandidateResult.PASSED, 0),
        failed=counts.get(CandidateResult.FAILED, 0),
        absent=counts.get(CandidateResult.ABSENT, 0),
        pending=counts.get(CandidateResult.PENDING, 0),
        certificates=Certificate.objects.filter(candidate__session=session).count(),
    )


def session_candidates(session: ExamSession) -> QuerySet[Candidate]:
    return session.candidates.select_related("person", "examiner__person").order_by("created_at")


def session_examiners(session: ExamSession) -> QuerySet[SessionExaminer]:
    return session.examiners.filter(released_at__isnull=True).select_related("person", "pool_role")


def examiner_matrix(session: ExamSession) -> dict[str, Any]:
    """考评员—考生 — who examined whom: per examiner the candidates they examined and their results."""
    examiners = list(session_examiners(session))
    rows = []
    for booking in examiners:
        examined = [c for c in session_candidates(session) if c.examiner_id == booking.pk]
        rows.append(
            {
                "examiner_id": booking.pk,
                "examiner": booking.person.name,
                "pool_role": booking.pool_role_id,
                "candidates": [
                    {
                        "candidate_id": c.pk,
                        "name": c.person.name,
                        "result": c.result,
                        "result_label": c.get_result_display(),
                        "theory_score": c.theory_score,
                        "practical_score": c.practical_score,
                    }  # fmt: skip
                    for c in examined
                ],
                "passed": sum(1 for c in examined if c.result == CandidateResult.PASSED),
            }
        )
    unassigned = [c.person.name for c in session_candidates(session) if c.examiner_id is None]
    return {"examiners": rows, "without_examiner": unassigned}


def supervision_summary(user: Any, *, region: str = "", since: dt.date | None = None) -> list[dict[str, Any]]:
    """Per evaluation organization in scope: sessions, candidates who sat, passed, pass rate, certificates."""
    sessions = sessions_visible(user)
    if region:
        sessions = sessions.filter(venue_region_id__in=region_subtree(region))
    if since:
        sessions = sessions.filter(exam_date__gte=since)
    rows: dict[Any, dict[str, Any]] = {}
    for s in sessions:
        row = rows.setdefault(
            s.organization_id,
            {"organization": s.organization.name, "sessions": 0, "sat": 0, "passed": 0, "certificates": 0},
        )
        stats = session_stats(s)
        row["sessions"] += 1
        row["sat"] += stats.sat
        row["passed"] += stats.passed
        row["certificates"] += stats.certificates
    for row in rows.values():
        row["pass_rate"] = (Decimal(row["passed"]) * 100 / row["sat"]).quantize(Decimal("0.1")) if row["sat"] else None
    return sorted(rows.values(), key=lambda r: r["organization"])


def examiners_available(session: ExamSession) -> list[PoolRole]:
    """Pool examiners in term on the exam date who serve the venue's region and are free for this organization."""
    day = session.exam_date
    chain = region_ancestors(session.venue_region_id)
    roles = (
        PoolRole.objects.filter(role=PoolRoleKind.EXAMINER, status="active", valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(organization__isnull=True) | Q(organization_id=session.organization_id))
        .filter(Q(region_id__in=chain) | Q(served_regions__code__in=chain))
        .exclude(person_id__in=session.examiners.filter(released_at__isnull=True).values("person_id"))
        .select_related("person")
        .distinct()
        .order_by("person__name")
    )
    return list(roles)


# ---- the lifelong archive ------------------------------------------------------------------------------------


def archive_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    """Certificates and exam results on the holder's lifelong archive (终身职业技能培训电子档案)."""
    for c in Certificate.objects.filter(person_id__in=person_ids).select_related("kind", "level"):
        revoked = c.status == "revoked"
        yield ArchiveEntry(
            on=c.issued_on,
            kind="certificate",
            title=phrase(_("取得{kind}（已撤销）") if revoked else _("取得{kind}"), kind=c.kind.display),
            detail=phrase(
                _("{occupation} {level}；证书编号 {number}；发证机构：{issuer}"),
                occupation=data_name(c.occupation_name),
                level=c.level.display if c.level else "",
                number=display_number(c.number),
                issuer=data_name(c.issuer_name),
            ),  # fmt: skip
            region_code=c.region_id,
            source="certificates",
            ref=c.number,
            extra={"number": c.number, "status": c.status, "pdf": f"/api/v1/certificates/{c.number}/pdf"},
        )
    for cand in (
        Candidate.objects.filter(person_id__in=person_ids)
        .exclude(result=CandidateResult.PENDING)
        .select_related("session__occupation", "session__level", "session__organization")
    ):
        s = cand.session
        yield ArchiveEntry(
            on=s.exam_date,
            kind="evaluation",
            title=phrase(_("参加职业技能评价：{result}"), result=cand.get_result_display()),
            detail=phrase(
                _("{occupation} {level}；{organization}；场次 {code}"),
                occupation=data_name(s.occupation.name),
                level=s.level.display if s.level else "",
                organization=data_name(s.organization.name),
                code=s.code,
            ),  # fmt: skip
            region_code=s.venue_region_id,
            source="certificates",
            ref=str(cand.pk),
        )


ROSTER_DAYS_BEFORE = "exam.roster_days_before"


def roster_due(session: ExamSession) -> dt.date:
    """鉴定花名册提前报送 — the last day candidates may be added: ``exam.roster_days_before`` days before the exam
    date (the venue's setting in force on the exam date)."""
    days = int(setting_value(ROSTER_DAYS_BEFORE, session.venue_region_id, session.exam_date))
    return session.exam_date - dt.timedelta(days=days)
