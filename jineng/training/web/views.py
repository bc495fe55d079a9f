"""Pages: providers manage their classes (apply, submit, start, complete), upload rosters through the import page
and watch attendance; officials review classes in a queue ordered by deadline and see each class with its roster and
attendance; workers see their own classes. Thin: parse a form, call one service, render."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import can, current_user, export_http, get_visible, list_page, principal_for, wants_export
from jineng.common.attachments.services import EVIDENCE_KINDS, KINDS
from jineng.common.errors import DomainError, PermissionDenied, ValidationFailed
from jineng.common.web.confirm import confirm_page, confirmed
from jineng.common.web.lists import page
from jineng.providers.api import profile_of, programs_for_provider, teachers_of
from jineng.refdata.api import Region
from jineng.refdata.widgets import county_choices
from jineng.registry.api import Group
from jineng.rules.idcard import DOC_TYPE_LABELS, DocType
from jineng.training import selectors
from jineng.training.lists import CLASSES, ENROLLMENTS
from jineng.training.models import (
    ROSTER_OPEN_STATUSES,
    AttendanceEvent,
    AttendanceMethod,
    ClassSession,
    ClassStatus,
    Enrollment,
    EnrollmentResult,
    EnrollmentSource,
    EnrollmentStatus,
    TrainingClass,
)
from jineng.training.services import attendance, classes, completion, evidence, rosters
from jineng.training.services.support import OFFICIAL_EDIT, ORG_EDIT, REVIEW
from jineng.training.web import forms as f


def _my_provider(user: Any) -> Any:
    for org_id in principal_for(user).orgs_with(ORG_EDIT):
        profile = profile_of(org_id)
        if profile is not None and profile.organization.kind == "provider":
            return profile
    return None


def _detail_url(tc: TrainingClass) -> str:
    return reverse("training:class_detail", args=[tc.pk])


def _fail(request: HttpRequest, exc: DomainError) -> None:
    # a field's message that only repeats the error is not said twice ("须签署机构承诺。（须签署机构承诺。）")
    details = "；".join(dict.fromkeys(fe.message for fe in exc.fields if fe.message and fe.message != exc.message))
    messages.error(request, f"{exc.message}{('（' + details + '）') if details else ''}")


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    if wants_export(request):
        return export_http(request, CLASSES)
    return render(
        request,
        "training/classes.html",
        {
            **list_page(request, CLASSES),
            "statuses": ClassStatus.choices,
            "can_apply": _my_provider(request.user) is not None,
        },
    )


@login_required
def enrollment_list(request: HttpRequest) -> HttpResponse:
    """学员名单 — every enrollment in scope (masked), by class, status, result and region; sortable, exportable."""
    if wants_export(request):
        return export_http(request, ENROLLMENTS)
    return render(
        request,
        "training/enrollments.html",
        {**list_page(request, ENROLLMENTS), "statuses": EnrollmentStatus.choices, "results": EnrollmentResult.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_new(request: HttpRequest) -> HttpResponse:
    profile = _my_provider(request.user)
    if profile is None:
        raise PermissionDenied(_("只有培训机构的工作人员可以申请开班。"))
    today = timezone.localdate()
    # Only the provider's own programs: listed for its region and inside its catalog scope (the service refuses
    # any other program too).
    programs = [
        (str(p.pk), _("%(code)s %(name)s（%(hours)s 学时）") % {"code": p.code, "name": p.name, "hours": p.hours_total})
        for p in programs_for_provider(profile, today)[:500]
    ]
    teachers = [(str(r.pk), r.person.name) for r in teachers_of(profile, today)]
    initial = {"program": request.GET.get("program", ""), "region": profile.organization.region_id}
    form = f.ClassForm(
        request.POST or None,
        initial=initial,
        programs=programs,
        teachers=teachers,
        venue_regions=county_choices(profile.organization.region_id),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            tc = classes.class_create(
                actor=current_user(request),
                provider=profile,
                data=classes.ClassInput(
                    name=d["name"],
                    program=d["program"],
                    venue_name=d["venue_name"],
                    venue_address=d.get("venue_address") or "",
                    venue_latitude=d.get("venue_latitude"),
                    venue_longitude=d.get("venue_longitude"),
                    region=d["region"],
                    planned_size=d["planned_size"],
                    subsidy_category=d.get("subsidy_category") or "",
                    training_form=d["training_form"],
                    sessions=d["session_inputs"],
                ),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            for fe in exc.fields:
                name = fe.field.split("[")[0].split(".")[0]
                form.add_error(name if name in form.fields else None, fe.message)
        else:
            messages.success(request, _("开班申请已保存为草稿：%(code)s") % {"code": tc.code})
            return redirect(_detail_url(tc))
    return render(request, "training/class_form.html", {"form": form, "provider": profile})


@login_required
def class_detail(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    tc = selectors.class_get(request.user, class_id)
    user = request.user
    # The page offers each side its own actions (issue 15): the provider's staff run the class (roster, evidence,
    # roll call, 结业, claims); an official reviews and may cancel it. The services still let an official with
    # ``registry.edit`` correct a roster (``require_class_manager``), but the class page is not where they do.
    staff = can(user, ORG_EDIT, organization_id=tc.organization_id)
    manager = staff
    reviewer = can(user, REVIEW, region_code=tc.region_id)
    enrollments = selectors.class_enrollments(user, tc)
    # The import page for this class: its roster (and its attendance once it may be taken), 返回 to the class.
    kinds = "roster,attendance" if tc.status in (ClassStatus.APPROVED, ClassStatus.RUNNING) else "roster"
    upload = (
        reverse("imports:upload")
        + "?"
        + urlencode({"kind": "roster", "target": tc.code, "kinds": kinds, "next": _detail_url(tc)})
    )
    return render(
        request,
        "training/class_detail.html",
        {
            "tc": tc,
            "sessions": tc.sessions.filter(cancelled_at__isnull=True).select_related("teacher_person"),
            "transitions": tc.transitions.order_by("at"),
            "enrollments": enrollments,
            "can_submit": staff and tc.status in (ClassStatus.DRAFT, ClassStatus.REJECTED),
            "can_review": reviewer and tc.status == ClassStatus.SUBMITTED,
            "can_start": staff and tc.status == ClassStatus.APPROVED,
            "manager": manager,
            "can_complete": manager and selectors.may_complete(tc),
            "completes_from": selectors.last_session_end(tc) if tc.status == ClassStatus.RUNNING else None,
            "can_cancel": (staff and tc.status in (ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.REJECTED,
                                                   ClassStatus.APPROVED))
            or (reviewer and tc.status not in (ClassStatus.DRAFT, ClassStatus.COMPLETED, ClassStatus.CANCELLED)),
            "can_upload": manager and tc.status in ROSTER_OPEN_STATUSES,
            "can_roll_call": staff and tc.status in (ClassStatus.APPROVED, ClassStatus.RUNNING),
            "can_claim": staff and tc.status == ClassStatus.COMPLETED,
            "upload_url": upload,
            "submit_form": f.SubmitForm(data={})
            if request.session.pop("class_pledge_missing", None) == str(tc.pk)
            else f.SubmitForm(),
            "review_form": f.ReviewForm(),
            "reason_form": f.ReasonForm(),
            "today": timezone.localdate(),
            "can_amend": manager and tc.status in ROSTER_OPEN_STATUSES,
            "enrolled": EnrollmentStatus.ENROLLED,
            "transfer_targets": _transfer_targets(user, tc) if manager and tc.status in ROSTER_OPEN_STATUSES else [],
            "evidence": evidence.class_evidence(tc),
            "evidence_about": _("开班申请"),
            "evidence_enrollments": enrollments if manager and tc.status in ROSTER_OPEN_STATUSES else [],
            "can_add_evidence": manager and tc.status in ROSTER_OPEN_STATUSES,
            "evidence_kinds": [(k, KINDS[k].label) for k in EVIDENCE_KINDS],
            "evidence_url": reverse("training:class_evidence", args=[tc.pk]),
        },
    )  # fmt: skip


@login_required
@require_POST
def class_evidence_upload(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    """上传证明材料 — to the class application, or to one trainee's roster change (``enrollment``)."""
    tc = selectors.class_get(request.user, class_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(_("请选择要上传的文件。"), code="file_required")
        enrollment = None
        if request.POST.get("enrollment"):
            enrollment = get_visible(
                selectors.enrollments_visible(request.user), request.user, request.POST["enrollment"]
            )
        evidence.class_evidence_add(
            actor=current_user(request), training_class=tc, kind=request.POST.get("kind", ""),
            filename=upload.name or "upload", content_type=upload.content_type or "", stream=upload,
            enrollment=enrollment,
        )  # fmt: skip
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("材料已上传。"))
    return redirect(_detail_url(tc) + "#evidence")


def _transfer_targets(user: Any, tc: TrainingClass) -> list[tuple[str, str]]:
    """转班 targets the service would accept: the same provider's other classes whose roster is open today (before
    the start or within the late-addition days). Overlap, capacity and eligibility are the service's to check."""
    today = timezone.localdate()
    candidates = (
        selectors.classes_visible(user)
        .filter(organization_id=tc.organization_id, status__in=ROSTER_OPEN_STATUSES)
        .exclude(pk=tc.pk)
        .order_by("start_date", "code")[:200]
    )
    return [
        (str(c.pk), f"{c.code} {c.name}（{c.start_date:%Y-%m-%d}）")
        for c in candidates
        if rosters.addition_window(c, today)[0]
    ]


def _act(request: HttpRequest, class_id: uuid.UUID, action: Any, success: str) -> HttpResponse:
    tc = selectors.class_get(request.user, class_id)
    try:
        action(tc)
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, success)
    return redirect(_detail_url(tc))


@login_required
@require_POST
def class_submit(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    form = f.SubmitForm(request.POST)
    pledge = form.is_valid() and bool(form.cleaned_data["pledge"])
    if not pledge:  # the page shows the error on the commitment's checkbox itself
        request.session["class_pledge_missing"] = str(class_id)
    return _act(
        request,
        class_id,
        lambda tc: classes.class_submit(actor=current_user(request), training_class=tc, pledge=pledge),
        _("开班申请已提交，等待审核。"),
    )


@login_required
@require_POST
def class_review(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    form = f.ReviewForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if data.get("decision") not in ("approve", "reject"):  # nothing preselected: the reviewer chooses
        messages.error(request, _("请选择审核结论（通过或不予通过）。"))
        return redirect(_detail_url(selectors.class_get(request.user, class_id)))
    reasons = [line for line in (data.get("reasons") or "").splitlines() if line.strip()]
    return _act(
        request,
        class_id,
        lambda tc: classes.class_review(
            actor=current_user(request),
            training_class=tc,
            approved=data.get("decision") == "approve",
            opinion=data.get("opinion") or "",
            reasons=reasons,
        ),
        _("审核结论已保存。"),
    )


@login_required
@require_POST
def class_start(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    return _act(request, class_id, lambda tc: classes.class_start(actor=current_user(request), training_class=tc),
                _("已开课。"))  # fmt: skip


@login_required
@require_POST
def class_cancel(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request,
        class_id,
        lambda tc: classes.class_cancel(actor=current_user(request), training_class=tc, reason=reason),
        _("培训班已撤销。"),
    )


@login_required
@require_POST
def class_complete(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    """结业, after a confirmation page (it closes the roster and issues the certificates: it cannot be undone)."""
    if not confirmed(request):
        tc = selectors.class_get(request.user, class_id)
        last = selectors.last_session_end(tc)
        active = selectors.class_enrollments(request.user, tc).filter(status=EnrollmentStatus.ENROLLED).count()
        return confirm_page(
            request,
            title=_("确认结业"),
            subject=f"{tc.code} · {tc.name}",
            facts=[(_("末次课结束"), timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "—"),
                   (_("在训学员"), str(active))],
            consequences=[_("按出勤率评定每名在训学员的结业结果，合格学员获发培训合格证书。"),
                          _("结业后花名册与考勤不能再变更，结业不能撤回。")],
            action=reverse("training:class_complete", args=[tc.pk]),
            back=_detail_url(tc),
            button=_("确认结业"),
        )  # fmt: skip
    return _act(
        request,
        class_id,
        lambda tc: completion.class_complete(actor=current_user(request), training_class=tc),
        _("已结业：结业结果与培训合格证书已生成。"),
    )


def _amend(request: HttpRequest, enrollment_id: uuid.UUID, action: Any, success: str) -> HttpResponse:
    enrollment: Enrollment = get_visible(selectors.enrollments_visible(request.user), request.user, enrollment_id)
    form = f.AmendmentForm(request.POST, targets=[(request.POST.get("target_class", ""), "")])
    form.is_valid()
    try:
        action(enrollment, form.cleaned_data.get("reason") or "", form.cleaned_data.get("target_class") or "")
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, success % {"name": enrollment.person_name})
    return redirect(_detail_url(enrollment.training_class))


@login_required
@require_POST
def enrollment_dropout(request: HttpRequest, enrollment_id: uuid.UUID) -> HttpResponse:
    """退训."""
    return _amend(
        request,
        enrollment_id,
        lambda e, reason, _t: rosters.enrollment_drop(actor=current_user(request), enrollment=e, reason=reason),
        _("%(name)s 已退训。"),
    )


@login_required
@require_POST
def enrollment_postpone(request: HttpRequest, enrollment_id: uuid.UUID) -> HttpResponse:
    """延期."""
    return _amend(
        request,
        enrollment_id,
        lambda e, reason, _t: rosters.enrollment_postpone(actor=current_user(request), enrollment=e, reason=reason),
        _("%(name)s 已延期。"),
    )


def _transfer(request: HttpRequest, enrollment: Enrollment, reason: str, target_id: str) -> Any:
    if not target_id:
        raise ValidationFailed(_("转班须选择转入班级。"), code="target_required")
    target = selectors.class_get(request.user, target_id)
    return rosters.enrollment_transfer(
        actor=current_user(request), enrollment=enrollment, target_class=target, reason=reason
    )


@login_required
@require_POST
def enrollment_transfer(request: HttpRequest, enrollment_id: uuid.UUID) -> HttpResponse:
    """转班 — to a class of the same provider."""
    return _amend(
        request,
        enrollment_id,
        lambda e, reason, target: _transfer(request, e, reason, target),
        _("%(name)s 已转班。"),
    )


@login_required
def class_attendance(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    tc = selectors.class_get(request.user, class_id)
    events = (
        selectors.attendance_visible(request.user)
        .filter(training_class=tc)
        .select_related("enrollment", "session")
        .order_by("-occurred_at")
    )
    return render(request, "training/attendance.html", {"tc": tc, "page_obj": page(request, events, 100)})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/review_queue.html",
        {"page_obj": page(request, selectors.review_queue(request.user)), "today": timezone.localdate()},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "training/mine.html", {"enrollments": selectors.my_enrollments(request.user)})


# ---- 花名册：逐个添加学员 ------------------------------------------------------------------------------------------

# A roster error's field, as the form's field.
TRAINEE_FIELDS = {"name": "name", "id_number": "id_number", "doc_type": "doc_type", "phone": "phone",
                  "groups": "groups", "graduation_year": "graduation_year", "residence_region": "residence_region",
                  "pledge": "pledge", "reason": "reason"}  # fmt: skip


def _trainee_form(tc: TrainingClass, data: Any = None) -> f.TraineeForm:
    county = Region.objects.filter(code=tc.region_id).select_related("parent").first()
    city = county.parent if county is not None and county.parent_id else county
    regions = (
        [(r.code, r.name) for r in Region.objects.filter(parent=city, valid_to__isnull=True).order_by("code")]
        if city is not None
        else []
    )
    return f.TraineeForm(
        data,
        doc_types=[(t.value, label) for t, label in DOC_TYPE_LABELS.items() if t is not DocType.RESIDENT_ID_LEGACY],
        groups=[(value, str(label)) for value, label in Group.choices],
        regions=regions,
        initial={"residence_region": tc.region_id, "doc_type": DocType.RESIDENT_ID.value},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_new(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    """添加学员 — one trainee by form, with the checks of a roster import (the same service)."""
    tc = selectors.class_get(request.user, class_id)
    user = request.user
    if not (
        can(user, ORG_EDIT, organization_id=tc.organization_id) or can(user, OFFICIAL_EDIT, region_code=tc.region_id)
    ):
        raise PermissionDenied(_("只有本班培训机构的工作人员可以添加学员。"))
    form = _trainee_form(tc, request.POST or None)
    is_open, late = rosters.addition_window(tc, timezone.localdate())
    closed = tc.status not in ROSTER_OPEN_STATUSES or not is_open
    if closed and request.method == "GET":
        return render(request, "training/enrollment_form.html", {"tc": tc, "form": None, "closed": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        row = rosters.RosterRow(
            name=" ".join(d["name"].split()), id_number=d["id_number"], row=1, doc_type=d["doc_type"] or None,
            phone=d.get("phone") or "", groups=list(d.get("groups") or []),
            residence_region=d.get("residence_region") or None, pledge=bool(d.get("pledge")),
            graduation_year=d.get("graduation_year"),
        )  # fmt: skip
        try:
            result = rosters.enrollments_add(
                actor=current_user(request), training_class=tc, rows=[row], source=EnrollmentSource.PAGE,
                mode="strict", reason=d.get("reason") or "",
            )  # fmt: skip
        except DomainError as exc:
            placed = False
            for fe in exc.fields:
                name = TRAINEE_FIELDS.get(fe.field)
                if name:
                    form.add_error(name, fe.message)
                    placed = True
            if not placed or not exc.fields:
                details = "；".join(fe.message for fe in exc.fields)
                form.add_error(None, details or exc.message)
        else:
            e = result.created[0]
            messages.success(
                request, _("已将 %(name)s（%(id)s）加入花名册。") % {"name": e.person_name, "id": e.id_number_masked}
            )
            if request.POST.get("next") == "more":
                return redirect(reverse("training:enrollment_new", args=[tc.pk]))
            return redirect(_detail_url(tc) + "#roster")
    return render(request, "training/enrollment_form.html", {"tc": tc, "form": form, "late": late})


# ---- 点名 ------------------------------------------------------------------------------------------------------------

ROLL_CALL_DEVICE = "点名-{session}"  # one "device" per session: the events of a roll call are idempotent by it


@dataclass
class RollCallRow:
    """One trainee in one session as the roll call shows it: the first 签到 and the last 签退 recorded for the session
    by any source (a device, an import, the roll call), whether each was entered by hand, and the status."""

    e: Enrollment
    check_in: AttendanceEvent | None = None
    check_out: AttendanceEvent | None = None
    mark: str = ""  # the radio checked when nothing is recorded yet: none until the official chooses

    @property
    def status(self) -> str:
        """present | late | no_out (签到 without 签退) | absent (nothing recorded)."""
        if self.check_in is None:
            return "absent" if self.check_out is None else "no_in"
        if self.check_out is None:
            return "no_out"
        return "late" if self.check_in.event_id.endswith(":late") else "present"


def _roll_call_rows(session: ClassSession, enrollments: list[Enrollment]) -> tuple[list[RollCallRow], bool]:
    """The rows of a session's roll call, and whether a roll call of it was saved already. Every event of the
    session counts, a device's as much as a hand entry: a trainee a device checked in and out is 出勤 and is not
    marked again."""
    rows = {e.pk: RollCallRow(e) for e in enrollments}
    saved = False
    events = AttendanceEvent.objects.filter(session=session, enrollment_id__in=list(rows)).order_by("occurred_at")
    for ev in events:
        row = rows[ev.enrollment_id]
        saved = saved or ev.device_id == ROLL_CALL_DEVICE.format(session=session.pk)
        if ev.kind == "in" and row.check_in is None:
            row.check_in = ev
        elif ev.kind == "out":
            row.check_out = ev  # the last one
    # A trainee with no punch is never presumed present (hours are paid on attendance): before the first save the
    # official chooses each mark; once the session's roll call is saved, those not recorded were marked absent.
    for row in rows.values():
        row.mark = "absent" if saved else ""
    return list(rows.values()), saved


def _sessions_for_roll_call(tc: TrainingClass) -> list[ClassSession]:
    """Sessions that have ended (a roll call records both check-in and check-out), newest first."""
    now = timezone.now()
    return list(tc.sessions.filter(cancelled_at__isnull=True, ends_at__lte=now).order_by("-starts_at")[:60])


@login_required
@require_http_methods(["GET", "POST"])
def roll_call(request: HttpRequest, class_id: uuid.UUID) -> HttpResponse:
    """点名 — the provider marks each trainee of a session present, late or absent; saved as manual attendance
    events through the attendance service (audited there), idempotent: a mark already saved is not saved twice."""
    tc = selectors.class_get(request.user, class_id)
    if not can(request.user, ORG_EDIT, organization_id=tc.organization_id):
        raise PermissionDenied(_("只有本班培训机构的工作人员可以点名。"))
    if tc.status not in (ClassStatus.APPROVED, ClassStatus.RUNNING):
        return render(request, "training/roll_call.html", {"tc": tc, "closed": True, "sessions": [], "rows": []})
    sessions = _sessions_for_roll_call(tc)
    chosen = request.POST.get("session") or request.GET.get("session") or (str(sessions[0].pk) if sessions else "")
    session = next((s for s in sessions if str(s.pk) == chosen), None)
    enrollments = list(
        Enrollment.objects.filter(training_class=tc, status=EnrollmentStatus.ENROLLED).order_by("person_name")
    )
    rows, _saved = _roll_call_rows(session, enrollments) if session else ([], False)
    if request.method == "POST" and session is not None:
        # Late by at most the session's length (a huge number overflowed the arrival time: a 500).
        length = max(1, int((session.ends_at - session.starts_at).total_seconds() // 60))
        late_minutes = min(max(1, _int_or(request.POST.get("late_minutes"), 15)), length)
        device = ROLL_CALL_DEVICE.format(session=session.pk)
        events: list[attendance.AttendanceInput] = []
        arrivals = outs = unmarked = 0
        for row in rows:
            e = row.e
            if row.check_in is None:
                mark = request.POST.get(f"mark-{e.pk}", "")
                unmarked += mark not in ("present", "late", "absent")
                if mark not in ("present", "late"):
                    continue
                arrived = (
                    session.starts_at + dt.timedelta(minutes=late_minutes) if mark == "late" else session.starts_at
                )
                arrived = min(arrived, session.ends_at)
                tag = ":late" if mark == "late" else ""
                events.append(attendance.AttendanceInput(event_id=f"{e.pk}:in{tag}", enrollment=e.pk, kind="in",
                                                         at=arrived, method=AttendanceMethod.MANUAL, device=device))  # fmt: skip
                arrivals += 1
            elif row.check_out is None and request.POST.get(f"out-{e.pk}") != "on":
                continue  # checked in by a device, 签退 not confirmed by hand: left as it is
            if row.check_out is None:
                events.append(attendance.AttendanceInput(event_id=f"{e.pk}:out", enrollment=e.pk, kind="out",
                                                         at=session.ends_at, method=AttendanceMethod.MANUAL,
                                                         device=device))  # fmt: skip
                outs += row.check_in is not None
        result = attendance.attendance_record(actor=current_user(request), device=device, events=events)
        refused = [o for o in result.outcomes if o.status == "refused"]
        if refused:
            messages.error(
                request, _("部分考勤未能保存：%(m)s") % {"m": "；".join(sorted({o.message for o in refused}))}
            )
        else:
            done = _("点名已保存：本次登记到课 %(n)s 人。") % {"n": arrivals}
            if unmarked:
                done += _("未选择的 %(n)s 人按缺勤处理，未登记。") % {"n": unmarked}
            if outs:
                done += _("补登签退 %(n)s 人。") % {"n": outs}
            messages.success(request, done)
        return redirect(reverse("training:roll_call", args=[tc.pk]) + f"?session={session.pk}")
    return render(request, "training/roll_call.html", {
        "tc": tc, "sessions": sessions, "session": session, "rows": rows, "marks": f.ROLL_CALL_MARKS,
        "roll_call_device": ROLL_CALL_DEVICE.format(session=session.pk) if session else "",
    })  # fmt: skip


def _int_or(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default
