"""The training entries of the lifelong archive (终身职业技能培训电子档案), and re-pointing rows when the registry
merges two records of one person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jineng.registry.api import ArchiveEntry
from jineng.training.models import (
    Apprentice,
    CompletionCertificate,
    EmploymentOutcome,
    Enrollment,
    EnrollmentStatus,
)


def archive_source(person_ids: list[Any]) -> Iterable[ArchiveEntry]:
    for e in Enrollment.objects.filter(person_id__in=person_ids).select_related("training_class__program"):
        tc = e.training_class
        program = tc.program.name if tc.program_id else ""
        yield ArchiveEntry(
            on=e.enrolled_on,
            kind="training",
            title="参加培训",
            detail=f"{tc.code} {tc.name}（{program}，{tc.start_date:%Y-%m-%d} 至 {tc.end_date:%Y-%m-%d}）",
            region_code=e.region_id,
            source="training",
            ref=str(e.pk),
        )
        if e.status == EnrollmentStatus.FINISHED and e.completed_on:
            yield ArchiveEntry(
                on=e.completed_on,
                kind="training",
                title=f"结业：{e.get_result_display()}",
                detail=f"{tc.code} {tc.name}；认定学时 {e.credited_hours}，出勤率 {e.attendance_percent:.2f}%",
                region_code=e.region_id,
                source="training",
                ref=str(e.pk),
                extra={"result": e.result, "hours": e.credited_hours},
            )
        elif e.status in (EnrollmentStatus.DROPPED, EnrollmentStatus.TRANSFERRED, EnrollmentStatus.POSTPONED):
            yield ArchiveEntry(
                on=(e.ended_at.date() if e.ended_at else e.enrolled_on),
                kind="training",
                title=e.get_status_display(),
                detail=f"{tc.code} {tc.name}；{e.end_reason}",
                region_code=e.region_id,
                source="training",
                ref=str(e.pk),
            )
    for c in CompletionCertificate.objects.filter(person_id__in=person_ids, revoked_at__isnull=True):
        yield ArchiveEntry(
            on=c.issued_on,
            kind="training",
            title="培训合格证书",
            detail=f"{c.serial} {c.program_name}（{c.provider_name}，{c.credited_hours} 学时）",
            region_code=c.region_id,
            source="training",
            ref=str(c.pk),
        )
    for o in EmploymentOutcome.objects.filter(person_id__in=person_ids).select_related("enrollment__training_class"):
        yield ArchiveEntry(
            on=o.started_on,
            kind="training",
            title="培训后就业",
            detail=f"{o.employer_name or '—'}（{o.get_source_display()}；培训班 {o.enrollment.training_class.code}）",
            region_code=o.region_id,
            source="training",
            ref=str(o.pk),
        )
    for a in Apprentice.objects.filter(person_id__in=person_ids).select_related(
        "apprenticeship__occupation", "apprenticeship__level", "apprenticeship__enterprise_org"
    ):
        plan = a.apprenticeship
        yield ArchiveEntry(
            on=a.joined_on,
            kind="training",
            title="企业新型学徒制",
            detail=f"{plan.enterprise_org.name}；{plan.occupation.name} {plan.level.name}"
            f"（{plan.start_date:%Y-%m-%d} 至 {plan.end_date:%Y-%m-%d}）",
            region_code=a.region_id,
            source="training",
            ref=str(a.pk),
        )
        if a.evaluated_on:
            yield ArchiveEntry(
                on=a.evaluated_on,
                kind="training",
                title=f"学徒考核：{a.get_result_display()}",
                detail=a.evaluation_note,
                region_code=a.region_id,
                source="training",
                ref=str(a.pk),
            )
