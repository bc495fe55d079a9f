"""Pages: evaluators run their sessions (examiners, candidates, results, closing, issuing); officials supervise
sessions and certificates in their region (pass rates, who examined whom), file evaluators' scopes, revoke and
correct certificates; workers see and download their certificates. Thin: parse a form, call one service, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import (
    Organization,
    OrganizationKind,
    current_user,
    export_http,
    get_visible,
    list_page,
    principal_for,
    require,
    visible,
    wants_export,
)
from jineng.certificates import presenters, selectors, services, training_link
from jineng.certificates.lists import CERTIFICATES, EXAM_SESSIONS
from jineng.certificates.models import CertificateStatus, SessionStatus
from jineng.certificates.web import forms as f
from jineng.common.errors import DomainError, NotFound
from jineng.common.web.confirm import confirm_page, confirmed
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.registry.api import person_resolve


def error_text(exc: DomainError) -> str:
    """One line for a message: the error and those of its field details it does not already say (a service often
    puts the details in its message too, which printed every detail twice)."""
    extra = []
    for fe in exc.fields:
        if fe.message and fe.message not in exc.message and fe.message not in extra:
            extra.append(fe.message)
    return " ".join([exc.message, *extra]) if extra else exc.message


# ---- certificates ---------------------------------------------------------------------------------------------


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    if wants_export(request):
        return export_http(request, CERTIFICATES)
    return render(
        request,
        "certificates/certificate_list.html",
        {**list_page(request, CERTIFICATES), "statuses": CertificateStatus.choices},
    )


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    certificates = (
        selectors.certificates_visible(user, "self.view").filter(person_id=user.person_id)
        if user.person_id
        else selectors.certificates_visible(user).none()
    )
    return render(
        request, "certificates/my_certificates.html", {"certificates": certificates, "linked": bool(user.person_id)}
    )


def _can_change(user: Any, certificate: Any) -> bool:
    for permission, kwargs in (
        ("records.review", {"region_code": certificate.region_id}),
        ("org.edit", {"organization_id": certificate.issuer_id}),
    ):
        if permission == "org.edit" and certificate.issuer_id is None:
            continue
        try:
            require(user, permission, **kwargs)
        except DomainError:
            continue
        return True
    return False


@login_required
def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get(request.user, number)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "c": certificate,
            "data": presenters.certificate_detail_dict(certificate),
            "can_change": _can_change(request.user, certificate) and certificate.status == CertificateStatus.VALID,
            "revoke_form": f.ReasonForm(),
            "correct_form": f.CorrectForm(),
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get(request.user, number)
    form = f.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("证书已撤销。"))
    else:
        messages.error(request, _("请填写撤销原因。"))
    return redirect("certificates:detail", number=certificate.number)


@login_required
@require_POST
def certificate_correct(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get(request.user, number)
    form = f.CorrectForm(request.POST)
    if form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "reason" and v not in (None, "")}
        try:
            services.certificate_correct(
                actor=request.user, certificate=certificate, changes=changes, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("证书已更正。"))
    else:
        messages.error(request, _("请填写更正内容和原因。"))
    return redirect("certificates:detail", number=certificate.number)


# ---- sessions -------------------------------------------------------------------------------------------------


def _own_orgs(user: Any) -> list[Organization]:
    ids = principal_for(user).orgs_with("org.edit")
    return list(Organization.objects.filter(pk__in=ids))


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    if wants_export(request):
        return export_http(request, EXAM_SESSIONS)
    listing = list_page(request, EXAM_SESSIONS)
    page_obj = listing["page_obj"]
    rows = [{"s": s, "stats": selectors.session_stats(s)} for s in page_obj]
    return render(
        request,
        "certificates/session_list.html",
        {
            **listing,
            "rows": rows,
            "statuses": SessionStatus.choices,
            "can_create": bool(_own_orgs(request.user)),
        },  # fmt: skip
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    orgs = _own_orgs(request.user)
    if not orgs:
        raise NotFound()
    form = f.SessionForm(request.POST or None)
    chosen = request.POST.get("organization") or str(orgs[0].pk)
    organization = next((o for o in orgs if str(o.pk) == chosen), orgs[0])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user,
                organization=organization,
                data=services.SessionData(
                    occupation_code=d["occupation"], level_code=d["level"], venue_region=d["venue_region"],
                    venue_address=d["venue_address"], starts_at=d["starts_at"],
                    duration_minutes=d["duration_minutes"], terminals=(d["terminals"] or "").replace("，", ",").split(","),
                ),
            )  # fmt: skip
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("考试场次已安排。"))
            return redirect("certificates:session", session_id=session.pk)
    filings = selectors.filings_visible(request.user).filter(organization__in=orgs, revoked_at__isnull=True)
    return render(request, "certificates/session_form.html", {"form": form, "orgs": orgs, "filings": filings})


def _session_context(request: HttpRequest, session: Any) -> dict[str, Any]:
    can_run = str(session.organization_id) in {str(o) for o in principal_for(request.user).orgs_with("org.edit")}
    is_open = session.status == SessionStatus.SCHEDULED
    examiners = list(selectors.session_examiners(session))
    return {
        "s": session,
        "stats": selectors.session_stats(session),
        "rule": services.session_rule(session),
        "examiners": examiners,
        "candidates": list(selectors.session_candidates(session)),
        "matrix": selectors.examiner_matrix(session),
        "can_run": can_run,
        "is_open": is_open,
        "started": timezone.now() >= session.starts_at,
        "roster_due": selectors.roster_due(session),
        "roster_closed": timezone.localdate() > selectors.roster_due(session) and session.roster_reopened_at is None,
        "can_reopen": principal_for(request.user).has("records.review"),
        "available": selectors.examiners_available(session) if can_run and is_open else [],
        "candidate_form": f.CandidateForm(),
        "class_form": f.FromClassForm(
            classes=training_link.classes_for_session(session) if can_run and is_open else []
        ),
        "issued": session.candidates.filter(certificate__isnull=False).count(),
    }


@login_required
def session_detail(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = selectors.session_get(request.user, session_id)
    return render(request, "certificates/session_detail.html", _session_context(request, session))


def _session_action(request: HttpRequest, session_id: uuid.UUID, action: Any, success: str) -> HttpResponse:
    session = selectors.session_get(request.user, session_id)
    try:
        action(session)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect("certificates:session", session_id=session.pk)


@login_required
@require_POST
def session_examiner_add(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    form = f.ExaminerForm(request.POST)
    role_id = form.cleaned_data["pool_role_id"] if form.is_valid() else None
    return _session_action(
        request, session_id,
        lambda s: services.examiner_add(actor=request.user, session=s, pool_role_id=role_id), _("考评员已安排。"),
    )  # fmt: skip


@login_required
@require_POST
def session_candidate_add(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    number = request.POST.get("id_number", "").strip()

    def add(session: Any) -> None:
        person = person_resolve(number)
        if person is None:
            raise DomainError(code="person_not_registered", message=_("该人员未在实名制人员库登记。"), status=422)
        services.candidate_add(actor=request.user, session=session, person=person)

    return _session_action(request, session_id, add, _("考生已加入。"))


@login_required
@require_POST
def session_candidates_from_class(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    form = f.FromClassForm(request.POST)
    class_id = form.cleaned_data["training_class_id"] if form.is_valid() else None

    def add(session: Any) -> None:
        added = services.candidates_add_from_class(actor=request.user, session=session, training_class_id=class_id)
        messages.info(request, _("加入 %(n)d 名结业学员。") % {"n": len(added)})

    return _session_action(request, session_id, add, _("已处理该培训班的结业学员。"))


@login_required
@require_POST
def session_result(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    form = f.ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("成绩格式不正确。"))
        return redirect("certificates:session", session_id=session_id)
    d = form.cleaned_data
    data = services.ResultData(
        candidate_id=d["candidate_id"], examiner_id=d["examiner_id"] or None, theory_score=d["theory_score"],
        practical_score=d["practical_score"], absent=d["absent"], terminal=d["terminal"],
    )  # fmt: skip
    return _session_action(
        request, session_id, lambda s: services.result_record(actor=request.user, session=s, data=data),
        _("成绩已录入。"),
    )  # fmt: skip


@login_required
@require_POST
def session_close(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """确认成绩, after a confirmation page: the results are final once confirmed (certificates follow from them)."""
    if not confirmed(request):
        session = selectors.session_get(request.user, session_id)
        stats = selectors.session_stats(session)
        return confirm_page(
            request,
            title=_("确认成绩"),
            subject=f"{session.code} · {session.occupation.name}",
            facts=[(_("考生"), str(stats.candidates)), (_("合格"), str(stats.passed)), (_("不合格"), str(stats.failed)),
                   (_("缺考"), str(stats.absent)), (_("未录入成绩"), str(stats.pending))],
            consequences=[_("确认后成绩不能再修改，场次关闭，不能再增加考生。"),
                          _("合格考生随后可以发证；还有考生未录入成绩的，不能确认。")],
            action=reverse("certificates:session_close", args=[session.pk]),
            back=reverse("certificates:session", args=[session.pk]),
            button=_("确认成绩"),
        )  # fmt: skip
    return _session_action(
        request, session_id, lambda s: services.session_close(actor=request.user, session=s), _("成绩已确认。")
    )


@login_required
@require_POST
def session_cancel(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _session_action(
        request, session_id, lambda s: services.session_cancel(actor=request.user, session=s, reason=reason),
        _("场次已取消。"),
    )  # fmt: skip


@login_required
@require_POST
def session_roster_reopen(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _session_action(
        request, session_id, lambda s: services.session_roster_reopen(actor=request.user, session=s, reason=reason),
        _("已批准补报考生。"),
    )  # fmt: skip


@login_required
@require_POST
def session_issue(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    def issue(session: Any) -> None:
        issued = services.certificates_issue(actor=request.user, session=session)
        messages.info(request, _("发出 %(n)d 张证书。") % {"n": len(issued)})

    return _session_action(request, session_id, issue, _("发证完成。"))


# ---- supervision and filings ------------------------------------------------------------------------------------


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()
    rows = selectors.supervision_summary(request.user, region=region)
    return render(request, "certificates/supervision.html", {"rows": rows, "region": region})


@login_required
@require_http_methods(["GET", "POST"])
def filing_list(request: HttpRequest) -> HttpResponse:
    can_file = principal_for(request.user).has("records.review")
    known = (
        visible(Organization, request.user, "records.review")
        .filter(kind__in=[OrganizationKind.EVALUATOR, OrganizationKind.ENTERPRISE])
        .order_by("kind", "name")
        .values_list("credit_code", "name")[:500]
        if can_file
        else []
    )
    form = f.FilingForm(request.POST or None, organizations=list(known))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            organization = Organization.objects.filter(credit_code=d["organization_credit_code"].upper()).first()
            if organization is None:
                raise DomainError(code="unknown_organization", message=_("没有该统一社会信用代码的机构。"), status=422)
            organization = get_visible(Organization, request.user, organization.pk, "records.review")
            services.filing_create(
                actor=request.user, organization=organization, route=d["route"], occupation_code=d["occupation"],
                level_code=d["level"], valid_from=d["valid_from"], valid_until=d["valid_until"],
                document_number=d["document_number"],
            )  # fmt: skip
        except DomainError as exc:
            domain_error_to_form(form, exc)
        else:
            messages.success(request, _("备案已登记。"))
            return redirect("certificates:filings")
    page_obj = page(request, selectors.filings_visible(request.user))
    return render(request, "certificates/filing_list.html", {"page_obj": page_obj, "form": form, "can_file": can_file})


@login_required
@require_POST
def filing_revoke(request: HttpRequest, filing_id: uuid.UUID) -> HttpResponse:
    filing = get_visible(selectors.filings_visible(request.user), request.user, filing_id, "records.review")
    try:
        services.filing_revoke(actor=request.user, filing=filing, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("备案已撤销。"))
    return redirect("certificates:filings")
