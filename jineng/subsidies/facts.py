"""The ONE place where subsidies read other apps' facts: training (enrollments, apprenticeships, employment
outcomes), certificates, and the registry (persons, groups, employment). Everything leaves here as frozen
dataclasses, so the rest of the app never depends on the shape of another app's models.

- Training is a lower layer: read through ``jineng.training.api``.
- Certificates is a sibling layer (``.importlinter``: subsidies | certificates), so it is never imported: the
  composition root registers its ``api.certificate_facts`` as the reader (``register_certificate_reader``, ADR 0007).
- The registry through ``jineng.registry.api``.
- The labour market (a higher layer: 急需紧缺职业目录) is never imported: its AppConfig registers
  ``labour_market.api.shortage_catalog_in_force`` (``register_shortage_catalog``, ADR 0022).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from jineng.common.ids import is_uuid
from jineng.registry.api import EmploymentRecord, Person, person_groups_on
from jineng.rules.certificates import display_number
from jineng.rules.subsidy import CertificateFact, PersonFacts, PolicyRules, ShortageList, TrainingFact
from jineng.rules.subsidy.policy import ShortageFloat
from jineng.training import api as training_api

EMPLOYED_STATUSES = ("employed", "self_employed", "flexible")


@dataclass(frozen=True)
class EventFacts:
    """The qualifying event a claim pays for, as recorded by the module that owns it."""

    kind: str
    ref: str
    person_id: Any
    event_date: dt.date
    label: str
    region_code: str = ""  # the region the event is attributed to (class venue, enterprise); "" if not applicable
    organization_id: Any = None  # the class's provider organization or the apprentice's enterprise
    occupation: str = ""
    level: str = ""
    level_rank: int = 0
    keys: tuple[str, ...] = ()
    training: TrainingFact | None = None
    certificate: CertificateFact | None = None
    hours: int = 0
    concentrated_hours: int = 0
    employer_credit_code: str = ""
    employer_organization_id: Any = None
    start_date: dt.date | None = None  # the class's start date (an enrollment); the shortage catalog in force then
    extra: dict[str, Any] = field(default_factory=dict)


# ---- certificates (sibling app: a registered reader, ADR 0007) --------------------------------------------------


@dataclass(frozen=True)
class CertificateRecord:
    fact: CertificateFact
    person_id: Any
    region_code: str
    enrollment_id: Any = None  # the class enrollment the candidate came from, if any


# ``reader(certificate_ids, person_ids)`` → ``jineng.certificates.data.CertificateFacts`` (not imported: the two apps
# are siblings, so typed loosely here).
CertificateReader = Callable[[Iterable[Any], Iterable[Any]], Iterable[Any]]
_certificate_reader: list[CertificateReader] = []


def register_certificate_reader(reader: CertificateReader) -> None:
    """``reader(certificate_ids, person_ids)`` → the certificates with those ids or held by those persons (the
    composition root registers ``jineng.certificates.api.certificate_facts``)."""
    _certificate_reader[:] = [reader]


def _certificates(certificate_ids: Iterable[Any] = (), person_ids: Iterable[Any] = ()) -> list[CertificateRecord]:
    if not _certificate_reader:
        # The composition root registers the reader when the URLconf loads (ADR 0007); a process that has not
        # loaded it yet (a job worker, a management command) does so now.
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - imports config.urls, hence config.api
    if not _certificate_reader:
        # Never answer "no certificates" for want of wiring: a claim would be refused for a certificate it has.
        raise ImproperlyConfigured("subsidies: no certificate reader registered (config/api.py, ADR 0007)")
    return [
        CertificateRecord(
            fact=CertificateFact(
                id=c.id,
                number=c.number,
                kind=c.kind,
                occupation=c.occupation,
                level=c.level,
                level_rank=c.level_rank,
                issued_on=c.issued_on,
                valid=c.valid,
            ),
            person_id=c.person_id,
            region_code=c.region_code,
            enrollment_id=c.enrollment_id,
        )
        for c in _certificate_reader[0]([i for i in certificate_ids if is_uuid(i)], list(person_ids))
    ]


def certificates_of(person_id: Any) -> list[CertificateFact]:
    return [r.fact for r in _certificates(person_ids=[person_id])]


def certificate_choices(person_id: Any) -> list[CertificateRecord]:
    return _certificates(person_ids=[person_id])


# ---- the shortage catalog (a higher app: a registered reader, ADR 0022) ----------------------------------------

# ``reader(region_code, on)`` → the published catalog version of that region in force on ``on`` as a
# ``ShortageList``, or None.
ShortageReader = Callable[[str, dt.date], ShortageList | None]
_shortage_reader: list[ShortageReader] = []


def register_shortage_catalog(reader: ShortageReader) -> None:
    """The labour market's AppConfig registers ``jineng.labour_market.api.shortage_catalog_in_force``."""
    _shortage_reader[:] = [reader]


def _shortage(region_code: str, on: dt.date) -> ShortageList | None:
    if not _shortage_reader:
        # Never answer "not on the list" for want of wiring: a claim would lose the float it is owed.
        raise ImproperlyConfigured("subsidies: no shortage catalog reader registered (labour_market app, ADR 0022)")
    return _shortage_reader[0](region_code, on)


def shortage_for(policy: PolicyRules, event: EventFacts) -> ShortageList | None:
    """The catalog a policy's float references, the version in force on the class's start date (else the event's
    date); None when the policy references none (it lists its own occupations) or none was in force then."""
    regions = [adj.catalog for adj in policy.adjustments if isinstance(adj, ShortageFloat) and adj.catalog]
    if not regions:
        return None
    return _shortage(regions[0], event.start_date or event.event_date)


# ---- training (lower layer: its api) --------------------------------------------------------------------------------


def _enrollment_facts(e: Any) -> EventFacts:
    klass = e.training_class
    completed = e.status == "finished" and klass.status == "completed"
    training = TrainingFact(
        enrollment_id=str(e.pk),
        class_code=klass.code,
        completed=completed,
        passed=e.result == "passed",
        attendance_bp=int(e.attendance_rate_bp),
        hours=int(e.credited_hours),
        completed_on=e.completed_on or klass.completed_on,
    )
    event_date = e.completed_on or klass.completed_on or klass.end_date
    linked = [
        r
        for r in _certificates(person_ids=[e.person_id])
        if r.fact.valid
        and (
            (r.enrollment_id is not None and str(r.enrollment_id) == str(e.pk))
            or (
                klass.occupation_id
                and r.fact.occupation == klass.occupation.code
                and r.fact.issued_on >= klass.start_date
            )
        )
    ]
    certificate = linked[0].fact if linked else None
    if certificate is None:
        completion = getattr(e, "certificate", None) if hasattr(e, "certificate") else None
        if completion is not None and completion.revoked_at is None:
            certificate = CertificateFact(
                id=str(completion.pk),
                number=completion.serial,
                kind="training",
                occupation=klass.occupation.code if klass.occupation_id else "",
                level="",
                level_rank=0,
                issued_on=completion.issued_on,
            )
    keys = (f"enrollment:{e.pk}", *(f"certificate:{r.fact.id}" for r in linked))
    level = klass.level
    return EventFacts(
        kind="enrollment",
        ref=str(e.pk),
        person_id=e.person_id,
        event_date=event_date,
        label=f"{klass.code} {klass.name}",
        region_code=e.region_id,
        organization_id=klass.organization_id,
        occupation=klass.occupation.code if klass.occupation_id else "",
        level=level.code if level else "",
        level_rank=level.rank if level else 0,
        keys=keys,
        training=training,
        certificate=certificate,
        hours=int(e.credited_hours),
        start_date=klass.start_date,
        extra={"class_id": str(klass.pk), "program_id": str(klass.program_id)},
    )


def enrollment_event(enrollment_id: Any) -> EventFacts | None:
    if not is_uuid(enrollment_id):
        return None
    e = (
        training_api.Enrollment.objects.filter(pk=enrollment_id)
        .select_related("training_class__occupation", "training_class__level")
        .first()
    )
    return _enrollment_facts(e) if e else None


def enrollments_of(person_id: Any) -> list[EventFacts]:
    rows = training_api.enrollments_of(person_id).select_related("training_class__occupation", "training_class__level")
    return [_enrollment_facts(e) for e in rows.order_by("-enrolled_on")[:50]]


def completed_enrollments_of_org(organization_id: Any, limit: int = 300) -> list[tuple[str, str]]:
    """The enrollments completed in the provider's classes, as claim choices ``(enrollment id, class code + name)``."""
    rows = training_api.completed_enrollments_queryset().filter(training_class__organization_id=organization_id)
    rows = rows.select_related("training_class").order_by("-training_class__end_date", "-training_class__code", "pk")
    return [(str(e.pk), f"{e.training_class.code} {e.person_name}") for e in rows[:limit]]  # the newest first


def employment_after(person_id: Any, enrollment_id: Any | None, since: dt.date) -> tuple[dt.date, ...]:
    """Dates the person started work on or after ``since``: the registry's history and the class's follow-up."""
    dates = set(
        EmploymentRecord.objects.filter(
            person_id=person_id, status__in=EMPLOYED_STATUSES, started_on__gte=since
        ).values_list("started_on", flat=True)
    )
    if enrollment_id:
        dates |= set(
            training_api.employment_outcomes_of([enrollment_id])
            .filter(started_on__gte=since)
            .values_list("started_on", flat=True)
        )
    return tuple(sorted(dates))


def apprentice_year_event(apprentice_id: Any, year_no: int) -> EventFacts | None:
    """企业新型学徒制 — one plan year of an apprentice with its recorded progress."""
    if not is_uuid(apprentice_id):
        return None
    a = training_api.apprentice_get(apprentice_id)
    if a is None:
        return None
    progress = training_api.apprentice_progress(a.pk, year_no)
    plan = a.apprenticeship
    event_date = timezone.localtime(progress.created_at).date() if progress else a.joined_on
    return EventFacts(
        kind="apprentice_year",
        ref=f"{a.pk}:{year_no}",
        person_id=a.person_id,
        event_date=event_date,
        label=f"{plan.code} {a.person.name} 第{year_no}年度",
        region_code=a.region_id,
        organization_id=a.organization_id,
        occupation=plan.occupation.code,
        level=plan.level_id,
        level_rank=plan.level.rank,
        keys=(f"apprentice_year:{a.pk}:{year_no}",),
        hours=progress.hours_done if progress else 0,
        concentrated_hours=progress.concentrated_hours if progress else 0,
        employer_organization_id=a.organization_id if a.status != "terminated" else None,
        extra={"progress_recorded": progress is not None},
    )


def apprentices_of_org(organization_id: Any) -> list[tuple[str, str]]:
    # Named by the apprentice: a plan's apprentices were offered as identical "XT… 第1年度" lines (issue 15).
    rows = training_api.apprentice_progress_of_organization(organization_id).order_by(
        "apprentice__apprenticeship__code", "apprentice__person__name", "year_no"
    )
    return [
        (f"{p.apprentice_id}:{p.year_no}",
         f"{p.apprentice.apprenticeship.code} {p.apprentice.person.name} 第{p.year_no}年度")
        for p in rows
    ]  # fmt: skip


# ---- certificates as events -----------------------------------------------------------------------------------------


def certificate_event(certificate_id: Any) -> EventFacts | None:
    found = [r for r in _certificates(certificate_ids=[certificate_id]) if r.fact.id == str(certificate_id)]
    if not found:
        return None
    r = found[0]
    keys = [f"certificate:{r.fact.id}"]
    if r.enrollment_id:
        keys.append(f"enrollment:{r.enrollment_id}")
    return EventFacts(
        kind="certificate",
        ref=r.fact.id,
        person_id=r.person_id,
        event_date=r.fact.issued_on,
        label=f"证书 {display_number(r.fact.number)}",  # as certificates print it (issue 15: printed two ways)
        region_code=r.region_code,
        occupation=r.fact.occupation,
        level=r.fact.level,
        level_rank=r.fact.level_rank,
        keys=tuple(keys),
        certificate=r.fact,
        extra={"enrollment_id": str(r.enrollment_id) if r.enrollment_id else ""},
    )


# ---- the registry ---------------------------------------------------------------------------------------------------


def employment_event(record_id: Any) -> EventFacts | None:
    """以工代训 — the employment of a person by the applying enterprise (the registry's employment history)."""
    if not is_uuid(record_id):
        return None
    r = EmploymentRecord.objects.filter(pk=record_id).first()
    if r is None:
        return None
    return EventFacts(
        kind="employment",
        ref=str(r.pk),
        person_id=r.person_id,
        event_date=r.started_on,
        label=f"{r.started_on:%Y-%m-%d} 入职 {r.employer_name}".strip(),
        keys=(f"employment:{r.pk}",),
        employer_credit_code=r.employer_credit_code if r.status in EMPLOYED_STATUSES else "",
        # What the employer declared of the hire (新招用职工): a labour contract and social insurance by it.
        extra={
            "contract_months": r.contract_months,
            "insured_from": r.insured_from.isoformat() if r.insured_from else None,
        },
    )


def employment_records_of(person_id: Any) -> list[tuple[str, str]]:
    rows = EmploymentRecord.objects.filter(person_id=person_id, status__in=EMPLOYED_STATUSES).order_by("-started_on")
    return [(str(r.pk), f"{r.started_on:%Y-%m-%d} {r.employer_name}") for r in rows]


def hire_records_of_org(credit_code: str, limit: int = 300) -> list[EmploymentRecord]:
    """The employments recorded with the enterprise's credit code, newest first."""
    rows = EmploymentRecord.objects.filter(employer_credit_code=credit_code).select_related("person")
    return list(rows.order_by("-started_on")[:limit])


def hire_label(record: EmploymentRecord) -> str:
    return f"{record.person.name} {record.started_on:%Y-%m-%d} 入职"


def person_facts(person: Person, on: dt.date) -> PersonFacts:
    return PersonFacts(sex=person.sex or "", birth_date=person.birth_date, groups=tuple(person_groups_on(person, on)))


EVENT_READERS: dict[str, Callable[[str], EventFacts | None]] = {
    "enrollment": enrollment_event,
    "certificate": certificate_event,
    "employment": employment_event,
    "apprentice_year": lambda ref: apprentice_year_event(*_split_year(ref)),
}


def _split_year(ref: str) -> tuple[str, int]:
    head, _sep, tail = str(ref).rpartition(":")
    return (head, int(tail)) if head and tail.isdigit() else (str(ref), 0)


def event_facts(kind: str, ref: str) -> EventFacts | None:
    reader = EVENT_READERS.get(kind)
    return reader(ref) if reader else None


@dataclass(frozen=True)
class ApprenticeState:
    """Where an apprentice's plan stands (企业新型学徒制), for the advance and its recovery."""

    id: Any
    person_id: Any
    organization_id: Any
    region_code: str
    plan_code: str
    name: str
    occupation: str
    level: str
    level_rank: int
    status: str  # active | completed | terminated
    result: str  # passed | failed | ""
    joined_on: dt.date
    plan_years: int = 3  # the plan's length in years (培养年度)
    plan_start: dt.date | None = None  # the plan's start date: plan year N begins N-1 years after it

    def year_start(self, year_no: int) -> dt.date | None:
        """The day plan year ``year_no`` begins (None when the plan's start is unknown)."""
        if self.plan_start is None:
            return None
        return training_api.apprenticeship_year_start(SimpleNamespace(start_date=self.plan_start), year_no)

    @property
    def ended_unfinished(self) -> bool:
        """The plan was not completed: ended early (terminated) or assessed as failed (考核不合格)."""
        return self.status == "terminated" or (self.status == "completed" and self.result == "failed")


def apprentice_state(apprentice_id: Any) -> ApprenticeState | None:
    if not is_uuid(apprentice_id):
        return None
    a = training_api.apprentice_get(apprentice_id)
    if a is None:
        return None
    plan = a.apprenticeship
    return ApprenticeState(
        id=a.pk, person_id=a.person_id, organization_id=a.organization_id, region_code=a.region_id,
        plan_code=plan.code, name=a.person.name, occupation=plan.occupation.code, level=plan.level_id,
        level_rank=plan.level.rank, status=a.status, result=a.result or "", joined_on=a.joined_on,
        plan_years=training_api.apprenticeship_years(plan), plan_start=plan.start_date,
    )  # fmt: skip


def active_apprentices_of(organization_ids: Iterable[Any], on: dt.date) -> list[tuple[str, str, int]]:
    """(apprentice id, "plan code name", plan years begun by ``on``) of the enterprises' apprentices in training —
    what the advance form offers (a plan year not yet begun is not offered)."""
    rows = training_api.active_apprentices_of_organizations(organization_ids)[:500]
    out = []
    for a in rows:
        plan = a.apprenticeship
        years = training_api.apprenticeship_years(plan)
        begun = sum(1 for n in range(1, years + 1) if training_api.apprenticeship_year_start(plan, n) <= on)
        out.append((str(a.pk), f"{plan.code} {a.person.name}", begun))
    return out
