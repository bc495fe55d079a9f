"""The training entries of the lifelong archive (终身职业技能培训电子档案), and re-pointing rows when the registry
merges two records of one person. Words are put in the reader's language when the archive is read; names (class,
program, provider, employer) are data (``data_name``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from jineng.registry.api import ArchiveEntry, data_name, phrase
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
            title=_("参加培训"),
            detail=phrase(
                _("{code} {name}（{program}，{start} 至 {end}）"),
                code=tc.code,
                name=data_name(tc.name),
                program=data_name(program),
                start=tc.start_date.isoformat(),
                end=tc.end_date.isoformat(),
            ),  # fmt: skip
            region_code=e.region_id,
            source="training",
            ref=str(e.pk),
        )
        if e.status == EnrollmentStatus.FINISHED and e.completed_on:
            yield ArchiveEntry(
                on=e.completed_on,
                kind="training",
                title=phrase(_("结业：{result}"), result=e.get_result_display()),
                detail=phrase(
                    _("{code} {name}；认定学时 {hours}，出勤率 {attendance}%"),
                    code=tc.code,
                    name=data_name(tc.name),
                    hours=e.credited_hours,
                    attendance=f"{e.attendance_percent:.2f}",
                ),  # fmt: skip
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
                detail=phrase(
                    _("{code} {name}；{reason}"), code=tc.code, name=data_name(tc.name), reason=data_name(e.end_reason)
                ),
                region_code=e.region_id,
                source="training",
                ref=str(e.pk),
            )
    for c in CompletionCertificate.objects.filter(person_id__in=person_ids, revoked_at__isnull=True):
        yield ArchiveEntry(
            on=c.issued_on,
            kind="training",
            title=_("培训合格证书"),
            detail=phrase(
                _("{serial} {program}（{provider}，{hours} 学时）"),
                serial=c.serial,
                program=data_name(c.program_name),
                provider=data_name(c.provider_name),
                hours=c.credited_hours,
            ),  # fmt: skip
            region_code=c.region_id,
            source="training",
            ref=str(c.pk),
        )
    for o in EmploymentOutcome.objects.filter(person_id__in=person_ids).select_related("enrollment__training_class"):
        yield ArchiveEntry(
            on=o.started_on,
            kind="training",
            title=_("培训后就业"),
            detail=phrase(
                _("{employer}（{source}；培训班 {code}）"),
                employer=data_name(o.employer_name) if o.employer_name else "—",
                source=o.get_source_display(),
                code=o.enrollment.training_class.code,
            ),  # fmt: skip
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
            title=_("企业新型学徒制"),
            detail=phrase(
                _("{enterprise}；{occupation} {level}（{start} 至 {end}）"),
                enterprise=data_name(plan.enterprise_org.name),
                occupation=data_name(plan.occupation.name),
                level=plan.level.display,
                start=plan.start_date.isoformat(),
                end=plan.end_date.isoformat(),
            ),  # fmt: skip
            region_code=a.region_id,
            source="training",
            ref=str(a.pk),
        )
        if a.evaluated_on:
            yield ArchiveEntry(
                on=a.evaluated_on,
                kind="training",
                title=phrase(_("学徒考核：{result}"), result=a.get_result_display()),
                detail=phrase("{note}", note=data_name(a.evaluation_note)),
                region_code=a.region_id,
                source="training",
                ref=str(a.pk),
            )
