"""证明材料 — files a provider attaches to a class application or to a trainee's roster change (补录, 退训, 转班, 延期):
ID scans, contracts, invoices, photos. Stored by the attachment service (kinds, types, size limits, encryption at
rest, retention) and shown to the reviewers on the class page.

Who: the class's managers (the provider's staff, or an official with ``registry.edit`` over the venue's county).
When: while the roster may change (``ROSTER_OPEN_STATUSES``) — after the class closes its record is what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from jineng.accounts.api import Actor
from jineng.common.attachments.models import Attachment
from jineng.common.attachments.services import EVIDENCE_KINDS, attachment_store, attachments_about
from jineng.common.errors import FieldError, InvalidState, ValidationFailed
from jineng.training.events import Object
from jineng.training.models import ROSTER_OPEN_STATUSES, Enrollment, TrainingClass
from jineng.training.services.support import require_class_manager

CLASS_OBJECT = Object.TRAINING_CLASS.value
ENROLLMENT_OBJECT = Object.ENROLLMENT.value


@dataclass(frozen=True)
class EvidenceItem:
    """One attached file and what it is about: the class application, or the roster change of one trainee."""

    attachment: Attachment
    enrollment: Enrollment | None


def class_evidence_add(
    *,
    actor: Actor,
    training_class: TrainingClass,
    kind: str,
    filename: str,
    content_type: str,
    stream: IO[bytes],
    enrollment: Enrollment | None = None,
) -> Attachment:
    """Attach one file to the class application, or (``enrollment``) to that trainee's roster change."""
    require_class_manager(actor, training_class)
    if kind not in EVIDENCE_KINDS:
        raise ValidationFailed(
            "材料类型不正确。", [FieldError("kind", "bad_choice", "只能上传证明材料、合同、发票或照片。")]
        )
    if training_class.status not in ROSTER_OPEN_STATUSES:
        raise InvalidState("该班级已结业或已撤销，不能再上传材料。", code="class_closed")
    if enrollment is not None and enrollment.training_class_id != training_class.pk:
        raise ValidationFailed("学员不属于该班级。", [FieldError("enrollment", "not_in_class", "学员不属于该班级。")])
    about, about_id = (
        (ENROLLMENT_OBJECT, enrollment.pk) if enrollment is not None else (CLASS_OBJECT, training_class.pk)
    )
    return attachment_store(
        actor=actor,
        kind=kind,
        filename=filename,
        content_type=content_type,
        stream=stream,
        region_code=training_class.region_id,
        organization_id=training_class.organization_id,
        object_type=about,
        object_id=str(about_id),
    )


def class_evidence(training_class: TrainingClass) -> list[EvidenceItem]:
    """The files of the class application, then those of its trainees' roster changes, oldest first."""
    items = [EvidenceItem(a, None) for a in attachments_about(CLASS_OBJECT, [training_class.pk])]
    enrollments = {str(e.pk): e for e in Enrollment.objects.filter(training_class=training_class)}
    for a in attachments_about(ENROLLMENT_OBJECT, enrollments):
        items.append(EvidenceItem(a, enrollments.get(a.object_id)))
    return items
