"""What evaluation needs from training (``jineng.training.api``): the trainees who completed a class with a pass,
and who taught whom (the conflict-of-interest check "an examiner examining their own trainees").

Kept in one module so the rest of the app does not depend on the shape of the training API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jineng.common.ids import is_uuid
from jineng.training import api as training


@dataclass(frozen=True)
class Trainee:
    person_id: Any
    enrollment_id: Any


@dataclass(frozen=True)
class ClassInfo:
    id: Any
    code: str
    name: str
    occupation_id: Any
    level_id: Any
    completed: bool


def class_info(class_id: Any) -> ClassInfo | None:
    """The class by its id, or by the number printed on its pages (开班编号, e.g. K440106202600005)."""
    if isinstance(class_id, str) and not is_uuid(class_id.strip()):
        code = class_id.strip().upper()
        klass = training.TrainingClass.objects.filter(code=code).first() if 0 < len(code) <= 40 else None
        return _info(klass) if klass is not None else None
    try:
        klass = training.TrainingClass.objects.filter(pk=class_id).first()
    except (ValueError, TypeError):
        return None
    except Exception as exc:  # a malformed UUID raises ValidationError from the field
        if type(exc).__name__ == "ValidationError":
            return None
        raise
    if klass is None:
        return None
    return _info(klass)


def _info(klass: Any) -> ClassInfo:
    return ClassInfo(
        id=klass.pk,
        code=klass.code,
        name=klass.name,
        occupation_id=klass.occupation_id,
        level_id=klass.level_id,
        completed=klass.status == training.ClassStatus.COMPLETED,
    )


def completed_trainees(class_id: Any) -> list[Trainee]:
    """Trainees who completed the class with a pass (结业合格), in roster order."""
    rows = training.completed_enrollments_queryset().filter(training_class_id=class_id).values_list("person_id", "id")
    return [Trainee(person_id=person_id, enrollment_id=enrollment_id) for person_id, enrollment_id in rows]


def taught(teacher_person_id: Any, trainee_person_id: Any) -> bool:
    """Whether the person taught a class the trainee was on the roster of."""
    return trainee_person_id in training.trainees_taught_by(teacher_person_id, [trainee_person_id])


def class_teacher_person_ids(class_id: Any) -> set[Any]:
    return {t.person_id for t in training.class_teachers(class_id)}


def classes_for_session(session: Any, limit: int = 100) -> list[tuple[str, str]]:
    """添加考生's class picker: (开班编号, label) of the completed classes of the session's occupation (and level)
    in the session's province, the latest first, with their number of passed trainees — what
    ``candidates_add_from_class`` accepts (issue 15: the evaluator typed a class number no page of theirs shows)."""
    from django.db.models import Count, Q

    qs = training.TrainingClass.objects.filter(
        status=training.ClassStatus.COMPLETED, occupation_id=session.occupation_id
    )
    if session.level_id:
        qs = qs.filter(level_id=session.level_id)
    region = str(session.venue_region_id or "")
    if len(region) == 6 and region != "000000":
        qs = qs.filter(region__code__startswith=region[:2])
    passed = Count("enrollments", filter=Q(enrollments__result="passed"))
    rows = qs.annotate(passed=passed).filter(passed__gt=0).order_by("-end_date", "code")[:limit]
    return [(c.code, f"{c.code} {c.name}（{c.passed}）") for c in rows]
