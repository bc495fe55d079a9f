"""花名册 — enrollments (the API and the ``roster`` import both come here) and amendments (late additions,
dropouts, transfers, postponements).

Each row is checked: the real-name document number (the person is matched in the registry, or registered; a known
number under another name is refused), the trainee's pledge, not already in the class, not enrolled in another
class whose **sessions** overlap in time, the class's capacity, and the eligibility of the groups the person holds
on the enrollment date for the class's subsidy category (``rules.training.enrollment_eligibility``). The groups held
are kept on the enrollment. Rows are checked as a set: one indexed query finds the persons' other enrollments in
classes whose dates meet this one's, a second their sessions; the comparison is a sweep over intervals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, actor_user
from jineng.common.audit.services import audit_event
from jineng.common.errors import DomainError, FieldError, invalid
from jineng.common.ids import uuid7
from jineng.common.masking import mask_id_number
from jineng.imports.api import insert_rows
from jineng.registry import api as registry
from jineng.rules.idcard import derived_groups
from jineng.rules.training import Interval, enrollment_eligibility, first_overlap
from jineng.training.errors import RowsRefused, TransitionRefused
from jineng.training.events import Event
from jineng.training.models import (
    ROSTER_OPEN_STATUSES,
    AmendmentKind,
    ClassSession,
    Enrollment,
    EnrollmentAmendment,
    EnrollmentSource,
    EnrollmentStatus,
    TrainingClass,
)
from jineng.training.services.support import local_date, lock_class, now_or, require_class_manager, setting

GROUP_CODES = set(registry.Group.values)


@dataclass
class RosterRow:
    """One trainee of a roster. ``groups`` and ``residence_region`` are used only to register a new person (the
    registry, not a roster, is the authority on an existing person's groups)."""

    name: str
    id_number: str
    row: int = 0  # the row number in the file, or the index in the request
    doc_type: str | None = None
    phone: str = ""
    groups: list[str] = field(default_factory=list)
    residence_region: str | None = None
    pledge: bool = False  # the trainee's pledge (承诺) is signed
    graduation_year: int | None = None  # 毕业年度 of a 高校毕业生 (registering a new graduate needs it)
    person: Any = None  # a registry person already known (a transfer): no document number needed


@dataclass(frozen=True)
class RowRefusal:
    row: int
    field: str
    code: str
    message: str

    def as_field_error(self) -> FieldError:
        return FieldError(self.field, self.code, self.message, row=self.row)


@dataclass
class _Accepted:
    row: RosterRow
    number: str
    masked: str
    person_id: Any  # the registry person's id; None for a new person until the batch is registered
    groups: list[str]
    eligibility: dict[str, Any]
    new: Any = None  # registry.bulk.NewPerson: the checked new person to register


@dataclass
class RosterResult:
    created: list[Enrollment] = field(default_factory=list)
    refused: list[RowRefusal] = field(default_factory=list)
    accepted_rows: int = 0  # rows that passed every check (written unless a dry run)


def _refuse(row: RosterRow, fld: str, code: str, message: str) -> RowRefusal:
    return RowRefusal(row.row, fld, code, message)


def addition_window(training_class: TrainingClass, today: dt.date) -> tuple[bool, bool]:
    """(open, late): additions are open until the start date and, as late additions (补录), for
    ``class.late_addition_days`` after it."""
    if today <= training_class.start_date:
        return True, False
    days = setting("class.late_addition_days", training_class.region_id, training_class.start_date)
    return today <= training_class.start_date + dt.timedelta(days=days), True


def class_intervals(class_ids: list[Any]) -> dict[Any, list[Interval]]:
    out: dict[Any, list[Interval]] = {}
    for class_id, starts_at, ends_at in ClassSession.objects.filter(
        training_class_id__in=class_ids, cancelled_at__isnull=True
    ).values_list("training_class_id", "starts_at", "ends_at"):
        out.setdefault(class_id, []).append(Interval(starts_at, ends_at))
    return out


def overlapping_enrollments(training_class: TrainingClass, person_ids: list[Any]) -> dict[Any, str]:
    """person id → the code of another class they are enrolled in whose sessions overlap this class's sessions.

    Two queries whatever the number of persons: the persons' active enrollments in open classes whose dates meet
    this class's dates (index on enrollment person+status), then those classes' sessions."""
    if not person_ids:
        return {}
    others = list(
        Enrollment.objects.filter(
            person_id__in=person_ids,
            status=EnrollmentStatus.ENROLLED,
            training_class__status__in=ROSTER_OPEN_STATUSES,
            training_class__start_date__lte=training_class.end_date,
            training_class__end_date__gte=training_class.start_date,
        )
        .exclude(training_class_id=training_class.pk)
        .values_list("person_id", "training_class_id", "training_class__code")
    )
    if not others:
        return {}
    sessions = class_intervals([training_class.pk, *{c for _p, c, _code in others}])
    mine = sessions.get(training_class.pk, [])
    found: dict[Any, str] = {}
    for person_id, class_id, code in others:
        if person_id not in found and first_overlap(mine, sessions.get(class_id, [])) is not None:
            found[person_id] = code
    return found


def _parse(rows: list[RosterRow], seen: dict[str, int]) -> tuple[list[tuple[RosterRow, Any]], list[RowRefusal]]:
    parsed: list[tuple[RosterRow, Any]] = []
    refused: list[RowRefusal] = []
    for row in rows:
        row.name = " ".join((row.name or "").split())
        if not row.name:
            refused.append(_refuse(row, "name", "name_required", "姓名不能为空。"))
            continue
        number = None
        if row.person is None:
            try:
                number = registry.check_id_number(row.id_number or "", doc_type=row.doc_type or None)
            except DomainError as exc:
                fe = exc.fields[0] if exc.fields else None
                refused.append(_refuse(row, "id_number", fe.code if fe else exc.code, exc.message))
                continue
        if not row.pledge:
            refused.append(
                _refuse(row, "pledge", "trainee_pledge_required", "学员须签署参训承诺（承诺身份真实、本人参训）。")
            )
            continue
        bad = [g for g in row.groups if g not in GROUP_CODES]
        if bad:
            refused.append(_refuse(row, "groups", "unknown_group", f"人员类别不正确：{bad[0]}"))
            continue
        key = number.number if number is not None else f"person:{row.person.pk}"
        earlier = seen.get(key)
        if earlier is not None:
            refused.append(_refuse(row, "id_number", "duplicate_in_roster", f"与第 {earlier} 行是同一人。"))
            continue
        seen[key] = row.row
        parsed.append((row, number))
    return parsed, refused


def roster_check(
    *,
    training_class: TrainingClass,
    rows: list[RosterRow],
    today: dt.date,
    state: dict[str, Any] | None = None,
) -> tuple[list[_Accepted], list[RowRefusal]]:
    """Check rows against the registry and the class; nothing is written. ``state`` carries what earlier batches
    of the same file accepted (their numbers, their count) so a file is checked as a whole.

    Set-based: one query resolves the batch's numbers (keyed hashes), one finds the groups the known persons hold,
    one the enrollments already in this class, two the overlapping classes, one counts the roster, one checks the
    new persons' residence codes."""
    state = state if state is not None else {}
    seen: dict[str, int] = state.setdefault("seen", {})
    parsed, refused = _parse(rows, seen)
    numbered = [(row, number) for row, number in parsed if number is not None]
    found = registry.bulk.persons_find_bulk([number for _row, number in numbered])
    holders: dict[int, Any] = {id(row): h for (row, _n), h in zip(numbered, found, strict=True) if h is not None}
    for row, number in parsed:
        if number is None:  # a transfer: the person is known
            p = row.person
            holders[id(row)] = registry.bulk.Holder(person_id=p.pk, name=p.name, sex=p.sex, birth_date=p.birth_date)
    known_ids = list({h.person_id for h in holders.values()})
    groups_held = registry.bulk.person_groups_on_bulk(holders.values(), today)
    already = set(
        Enrollment.objects.filter(
            training_class=training_class, person_id__in=known_ids, status=EnrollmentStatus.ENROLLED
        ).values_list("person_id", flat=True)
    )
    overlapping = overlapping_enrollments(training_class, known_ids)
    room = (
        training_class.planned_size
        - state.get("pending", 0)
        - Enrollment.objects.filter(training_class=training_class, status=EnrollmentStatus.ENROLLED).count()
    )
    regions: dict[str, Any] = state.setdefault("regions", {})
    registry.bulk.regions_check_bulk((row.residence_region for row, _n in numbered if id(row) not in holders), regions)
    accepted: list[_Accepted] = []
    for row, number in parsed:
        holder = holders.get(id(row))
        if holder is not None and holder.name != row.name:
            refused.append(
                _refuse(row, "name", "id_name_mismatch",
                        "该证件号码已登记为其他姓名，请核对姓名与证件号码。")  # no surname: the holder may be out of scope
            )  # fmt: skip
            continue
        if holder is not None and holder.person_id in already:
            refused.append(_refuse(row, "id_number", "already_enrolled", "该学员已在本班名册中。"))
            continue
        if holder is not None and holder.person_id in overlapping:
            refused.append(
                _refuse(row, "id_number", "overlapping_enrollment",
                        f"该学员已报名培训班 {overlapping[holder.person_id]}，其课次与本班课次时间重叠。")
            )  # fmt: skip
            continue
        if holder is not None:
            # Two numbers of one person (a resident ID and a passport) in one file are one trainee.
            key = f"person:{holder.person_id}"
            earlier = seen.get(key)
            if earlier is not None and earlier != row.row:
                refused.append(_refuse(row, "id_number", "duplicate_in_roster", f"与第 {earlier} 行是同一人。"))
                continue
            seen[key] = row.row
            groups = groups_held[holder.person_id]
        else:
            groups = sorted(set(row.groups) | derived_groups(sex=number.sex, birth_date=number.birth_date, on=today))
        decision = enrollment_eligibility(training_class.subsidy_category, groups)
        if not decision.eligible:
            refused.append(_refuse(row, "groups", decision.code, decision.message))
            continue
        new = None
        if holder is None:
            try:  # what registering the person would refuse, refused here as this row's error
                new = registry.bulk.person_check_new(
                    name=row.name, parsed=number, phone=row.phone, residence_region=row.residence_region,
                    groups=[registry_membership(g, row.graduation_year) for g in row.groups], regions=regions,
                )  # fmt: skip
            except DomainError as exc:
                fe = exc.fields[0] if exc.fields else FieldError("", exc.code, exc.message)
                refused.append(_refuse(row, NEW_PERSON_FIELDS.get(fe.field, fe.field), fe.code, fe.message))
                continue
        if room <= 0:
            refused.append(
                _refuse(row, "", "class_full", f"本班计划人数为 {training_class.planned_size} 人，名额已满。")
            )
            continue
        room -= 1
        accepted.append(
            _Accepted(
                row=row,
                number=number.number if number is not None else "",
                masked=mask_id_number(number.number) if number is not None else _masked_of(row.person),
                person_id=holder.person_id if holder is not None else None,
                groups=list(groups),
                eligibility={"code": decision.code, "eligible": True, "matched": list(decision.matched),
                             "subsidy_category": training_class.subsidy_category},
                new=new,
            )
        )  # fmt: skip
    state["pending"] = state.get("pending", 0) + len(accepted)
    refused.sort(key=lambda r: r.row)
    return accepted, refused


# A new person's field errors, as roster columns.
NEW_PERSON_FIELDS = {"valid_to": "groups"}


def _require_open(training_class: TrainingClass, today: dt.date) -> bool:
    if training_class.status not in ROSTER_OPEN_STATUSES:
        raise TransitionRefused(
            f"培训班当前状态为“{training_class.get_status_display()}”，名册不能再变更。", code="roster_closed"
        )
    is_open, late = addition_window(training_class, today)
    if not is_open:
        days = setting("class.late_addition_days", training_class.region_id, training_class.start_date)
        raise TransitionRefused(f"已超过开班后 {days} 日的补录时限，不能再增加学员。", code="late_addition_closed")
    return late


def enrollments_add(
    *,
    actor: Actor,
    training_class: TrainingClass,
    rows: list[RosterRow],
    source: str = EnrollmentSource.API,
    mode: str = "strict",
    reason: str = "",
    dry_run: bool = False,
    state: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    records: bool = True,
) -> RosterResult:
    """报名 — add rows to a class's roster. ``strict``: any refused row refuses the batch (422 ``rows_refused``
    with every row's reason) and nothing is written; ``partial``: the valid rows are written, the refusals returned.

    After the start (within ``class.late_addition_days``) an addition is a late addition (补录) and needs a reason.
    ``records=False`` (an import, which counts rows) leaves ``created`` empty instead of reading the rows back.
    """
    now = now_or(now)
    today = local_date(now)
    require_class_manager(actor, training_class)
    if dry_run:
        _require_open(training_class, today)
        accepted, refused = roster_check(training_class=training_class, rows=rows, today=today, state=state)
        return RosterResult(refused=refused, accepted_rows=len(accepted))
    with transaction.atomic():
        locked = lock_class(training_class)
        late = _require_open(locked, today)
        reason = " ".join((reason or "").split())
        if late and len(reason) < 2:
            raise invalid(message="开班后补录学员须填写原因。", field="reason", code="reason_required")
        accepted, refused = roster_check(training_class=locked, rows=rows, today=today, state=state)
        if refused and mode == "strict":
            raise RowsRefused([r.as_field_error() for r in refused])
        ids = _write(actor, locked, accepted, source=source, late=late, reason=reason, now=now)
        created = _records(locked, ids) if records else []
    return RosterResult(created=created, refused=refused, accepted_rows=len(accepted))


def _write(
    actor: Actor, locked: TrainingClass, accepted: list[_Accepted], *, source: str, late: bool, reason: str,
    now: dt.datetime,
) -> list[Any]:  # fmt: skip
    """Register the new persons, then write the enrollments, their facts, amendments and audit in bulk; returns
    the enrollments' ids."""
    today = local_date(now)
    user = actor_user(actor)
    new = [item for item in accepted if item.new is not None]
    if new:
        person_ids = registry.bulk.persons_register_bulk(
            actor=actor,
            persons=[item.new for item in new],
            source="import" if source == EnrollmentSource.IMPORT else "api",
            attribute_region=locked.region_id,
            summary={"class": locked.code},
        )
        for item, person_id in zip(new, person_ids, strict=True):
            item.person_id = person_id
    stamp = timezone.now()
    user_id = user.pk if user is not None else None
    rows = [
        (uuid7(), stamp, stamp, locked.pk, item.person_id, locked.region_id, locked.organization_id,
         EnrollmentStatus.ENROLLED.value, str(source), today, late, item.row.name, item.masked, item.groups,
         item.eligibility, now, "roster", 0, 0, 0, "", "", user_id)
        for item in accepted
    ]  # fmt: skip
    insert_rows(Enrollment, ENROLLMENT_FIELDS, rows)
    registry.bulk.persons_attribute_bulk(
        [(r[4], locked.region_id, "training.enrollment", str(r[0]), today) for r in rows], new=True
    )
    if late:
        EnrollmentAmendment.objects.bulk_create(
            [
                EnrollmentAmendment(enrollment_id=r[0], person_id=r[4], region_id=locked.region_id,
                                    organization_id=locked.organization_id, kind=AmendmentKind.LATE_ADDITION,
                                    reason=reason, at=now, actor=user)
                for r in rows
            ]
        )  # fmt: skip
    if rows:
        audit_event(
            Event.ENROLLMENT_LATE_ADDITION if late else Event.ENROLLMENT_ADD,
            actor=actor,
            region_code=locked.region_id,
            rows=[{"enrollment": str(r[0]), "person": str(r[4]), "id_number": r[12], "groups": r[13]} for r in rows],
            after={"class": locked.code, "source": source, "created": len(rows), "reason": reason},
        )
    return [r[0] for r in rows]


# The columns an enrollment is written with (plain tuples straight to COPY: no model instance per row).
ENROLLMENT_FIELDS = (
    "id", "created_at", "updated_at", "training_class", "person", "region", "organization", "status", "source",
    "enrolled_on", "late_addition", "person_name", "id_number_masked", "groups", "eligibility", "pledge_signed_at",
    "pledge_method", "credited_hours", "creditable_hours", "attendance_rate_bp", "result", "end_reason", "created_by",
)  # fmt: skip


def _records(locked: TrainingClass, ids: list[Any]) -> list[Enrollment]:
    """The enrollments written, in the rows' order."""
    found = {e.pk: e for e in Enrollment.objects.filter(pk__in=ids)}
    for e in found.values():
        e.training_class = locked
    return [found[pk] for pk in ids]


def registry_membership(group: str, graduation_year: int | None = None) -> Any:
    year = graduation_year if group == registry.Group.COLLEGE_GRADUATE else None
    return registry.MembershipInput(group=group, source="花名册", graduation_year=year)


# ---- amendments ----------------------------------------------------------------------------------------------------


def _amend(
    actor: Actor, enrollment: Enrollment, kind: str, status: str, reason: str, now: dt.datetime,
    target_class: TrainingClass | None = None,
) -> Enrollment:  # fmt: skip
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise invalid(message="请填写变更原因。", field="reason", code="reason_required")
    locked: Enrollment = Enrollment.objects.select_for_update().select_related("training_class").get(pk=enrollment.pk)
    require_class_manager(actor, locked.training_class)
    if locked.status != EnrollmentStatus.ENROLLED:
        raise TransitionRefused(
            f"该学员当前状态为“{locked.get_status_display()}”，不能变更。", code="enrollment_not_active"
        )
    if locked.training_class.status not in ROSTER_OPEN_STATUSES:
        raise TransitionRefused("培训班已结业或已撤销，名册不能再变更。", code="roster_closed")
    locked.status = status
    locked.ended_at = now
    locked.end_reason = reason
    locked.save(update_fields=["status", "ended_at", "end_reason", "updated_at"])
    EnrollmentAmendment.objects.create(
        enrollment=locked, person_id=locked.person_id, region_id=locked.region_id,
        organization_id=locked.organization_id, kind=kind, reason=reason, target_class=target_class, at=now,
        actor=actor_user(actor),
    )  # fmt: skip
    audit_event(
        Event(f"enrollment.{kind}"),
        actor=actor,
        object_id=locked.pk,
        region_code=locked.region_id,
        before={"status": EnrollmentStatus.ENROLLED},
        after={"status": status, "class": locked.training_class.code,
               "target_class": target_class.code if target_class else None},
        reason=reason,
    )  # fmt: skip
    return locked


def enrollment_drop(*, actor: Actor, enrollment: Enrollment, reason: str, now: dt.datetime | None = None) -> Enrollment:
    """退训 — the trainee leaves the class."""
    with transaction.atomic():
        return _amend(actor, enrollment, AmendmentKind.DROPOUT, EnrollmentStatus.DROPPED, reason, now_or(now))


def enrollment_postpone(
    *, actor: Actor, enrollment: Enrollment, reason: str, now: dt.datetime | None = None
) -> Enrollment:
    """延期 — the trainee defers to a later class (enrolled there afresh when it opens)."""
    with transaction.atomic():
        return _amend(actor, enrollment, AmendmentKind.POSTPONEMENT, EnrollmentStatus.POSTPONED, reason, now_or(now))


def enrollment_transfer(
    *, actor: Actor, enrollment: Enrollment, target_class: TrainingClass, reason: str, now: dt.datetime | None = None
) -> Enrollment:
    """转班 — move the trainee to another class of the same provider: the target's checks apply (overlap,
    capacity, eligibility, window); the old enrollment ends as transferred, the new one remembers where it came
    from."""
    now = now_or(now)
    if target_class.pk == enrollment.training_class_id:
        raise invalid(message="不能转入本班。", field="target_class", code="same_class")
    if target_class.organization_id != enrollment.organization_id:
        raise invalid(message="只能转入本机构的其他培训班。", field="target_class", code="other_provider")
    with transaction.atomic():
        old = _amend(actor, enrollment, AmendmentKind.TRANSFER, EnrollmentStatus.TRANSFERRED, reason, now,
                     target_class=target_class)  # fmt: skip
        person = registry.Person.objects.get(pk=old.person_id)
        row = RosterRow(name=person.name, id_number="", row=1, pledge=old.pledge_signed_at is not None, person=person)
        result = enrollments_add(actor=actor, training_class=target_class, rows=[row], source=EnrollmentSource.TRANSFER,
                                 reason=reason, now=now)  # fmt: skip
        new = result.created[0]
        Enrollment.objects.filter(pk=new.pk).update(transferred_from=old)
        new.transferred_from = old
    return new


def _masked_of(person: Any) -> str:
    return str(registry.person_summary(person).get("id_number") or "")
