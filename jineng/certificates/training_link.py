"""What evaluation needs from training (``jineng.training.api``): the trainees who completed a class, and who
taught whom (the conflict-of-interest check "an examiner examining their own trainees").

Kept in one module so the rest of the app does not depend on the shape of the training API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Trainee:
    person_id: Any
    enrollment_id: Any


@dataclass(frozen=True)
class ClassInfo:
    id: Any
    occupation_id: Any
    provider_id: Any
    name: str


def _api() -> Any:
    try:
        from jineng.training import api
    except ImportError:  # the training app is not installed
        return None
    return api


def completed_trainees(class_id: Any) -> list[Trainee] | None:
    """Trainees who completed the class, or None when there is no such completed class."""
    api = _api()
    if api is None:
        return None
    rows = api.completed_enrollments(class_id)
    if rows is None:
        return None
    return [Trainee(person_id=r.person_id, enrollment_id=r.pk) for r in rows]


def class_info(class_id: Any) -> ClassInfo | None:
    api = _api()
    if api is None:
        return None
    klass = api.class_get(class_id)
    if klass is None:
        return None
    return ClassInfo(
        id=klass.pk,
        occupation_id=getattr(klass, "occupation_id", None),
        provider_id=getattr(klass, "provider_id", None),
        name=str(getattr(klass, "name", "")),
    )


def taught_class(teacher_person_id: Any, class_id: Any) -> bool:
    """Whether the person taught (or is a teacher of) the class."""
    api = _api()
    if api is None:
        return False
    return teacher_person_id in set(api.class_teacher_person_ids(class_id))


def taught_classes(teacher_person_id: Any, trainee_person_id: Any) -> set[str]:
    """Ids of the classes the trainee was enrolled in that the teacher taught."""
    api = _api()
    if api is None:
        return set()
    return {str(c) for c in api.classes_taught_to(teacher_person_id=teacher_person_id, person_id=trainee_person_id)}
