"""Pages: officials' lists, review queue and details with history; provider staff's own organization, applications,
scope and staff accounts; self-registration; the public catalogs. Thin: parse a form, call one service, render."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jineng.accounts.api import (
    Organization,
    OrganizationKind,
    User,
    can,
    current_user,
    export_http,
    get_visible,
    list_page,
    principal_for,
    visible,
    wants_export,
)
from jineng.common.errors import DomainError, NotFound, PermissionDenied
from jineng.common.ids import uuid_or_none
from jineng.common.numbers import int_or_none
from jineng.common.web.forms import domain_error_to_form
from jineng.common.web.lists import page
from jineng.providers import presenters, selectors
from jineng.providers.lists import ORGANIZATIONS, PROGRAMS
from jineng.providers.models import (
    ApplicationKind,
    ApplicationStatus,
    BaseKind,
    BaseLevel,
    CatalogListing,
    ListingStatus,
    OrganizationProfile,
    PoolRole,
    PoolRoleKind,
    PoolRoleStatus,
    Program,
    ProviderApplication,
    ProviderListing,
    ProviderType,
    StandardKind,
    StandardStatus,
    TrainingBase,
    TrainingKind,
)
from jineng.providers.panels import organization_panels
from jineng.providers.people import person_by_document
from jineng.providers.sanctions import sanction_marks
from jineng.providers.selectors import (
    bases_in_force,
    listing_state_on,
    programs_for_provider,
    provider_state_on,
    public_evaluators,
    public_programs,
    public_providers,
    review_queue,
    scope_on,
    teachers_of,
)
from jineng.providers.services import bases as bases_services
from jineng.providers.services import brands as brand_services
from jineng.providers.services import catalog, organizations, programs, teachers
from jineng.providers.services.support import require_org_or_catalog
from jineng.providers.web import forms as f

_LICENCE_ITEM = re.compile(r"licence_items\[(\d+)\]\.(\w+)")


def _errors_to_form(form: Any, exc: DomainError, *others: Any, items: Any = None) -> None:
    """Each field error on the form that has the field (``licence_number`` → the licence form's ``number``; a
    ``licence_items[i]`` one on row i of the licence's occupations), the rest on the first form."""
    if items is not None:
        rest = []
        for fe in exc.fields:
            m = _LICENCE_ITEM.fullmatch(fe.field)
            if m and int(m.group(1)) < len(filled := _filled_rows(items)):
                filled[int(m.group(1))].add_error("level" if m.group(2) == "max_level" else "occupation", fe.message)
            else:
                rest.append(fe)
        if not rest and exc.fields:
            return
        exc.fields = rest
    names = {fe.field.split("[")[0].split(".")[0] for fe in exc.fields}
    domain_error_to_form(form, exc, *others, aliases={n: n.removeprefix("licence_") for n in names})


def _filled_rows(items: Any) -> list[Any]:
    """The licence formset's rows that name an occupation, in the order the service numbers them."""
    return [row for row in items.forms if (row.cleaned_data.get("occupation") or "").strip()]


def _licence_items(request: HttpRequest, profile: OrganizationProfile | None = None) -> Any:
    """The licence's occupations as rows of pickers (occupation, highest level), the profile's current ones first."""
    initial = []
    if profile is not None:
        rows = profile.licence_items.filter(removed_at__isnull=True).select_related("occupation", "max_level")
        initial = [{"occupation": i.occupation.code, "level": i.max_level_id or ""} for i in rows]
    return f.LicenceItemFormSet(request.POST or None, prefix="licence_items", initial=initial)


def _entry_form(
    request: HttpRequest,
    form: Any,
    create: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    done: Callable[[Any], HttpResponse],
    success: str | None = None,
) -> HttpResponse:
    """A page that records one thing: on a valid POST ``create(cleaned_data)``; a domain error goes back onto the
    form, success says so and answers ``done(created)``; otherwise the form (again)."""
    if request.method == "POST" and form.is_valid():
        try:
            created = create(form.cleaned_data)
        except DomainError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, success or _("已登记。"))
            return done(created)
    return render(request, "providers/simple_form.html", {"form": form, "title": title})


def _profiles(user: Any) -> QuerySet[OrganizationProfile]:
    return visible(OrganizationProfile, user, "records.view").select_related("organization__region")


# ---- organizations -----------------------------------------------------------------------------------------------


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    if wants_export(request):
        return export_http(request, ORGANIZATIONS)
    p = principal_for(request.user)
    return render(
        request,
        "providers/provider_list.html",
        {
            **list_page(request, ORGANIZATIONS),
            "kinds": Organization._meta.get_field("kind").choices,
            "provider_types": ProviderType.choices,
            "listing_statuses": ListingStatus.choices,
            "can_create": p.has("catalog.review") or p.has("catalog.approve"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request: HttpRequest) -> HttpResponse:
    p = principal_for(request.user)
    if not (p.has("catalog.review") or p.has("catalog.approve")):
        raise PermissionDenied()
    form = f.OrganizationForm(request.POST or None)
    licence_form = f.LicenceForm(request.POST or None, prefix="licence")
    items = _licence_items(request)
    if request.method == "POST" and form.is_valid() and licence_form.is_valid() and items.is_valid():
        try:
            profile = organizations.profile_create(
                actor=current_user(request),
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                credit_code=form.cleaned_data["credit_code"],
                region_code=form.cleaned_data["region"],
                data=_profile_data(form.cleaned_data),
                licence=_licence_data(licence_form, items),
            )
        except DomainError as exc:
            _errors_to_form(form, exc, licence_form, items=items)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": profile.organization.name})
            return redirect("providers:detail", profile_id=profile.pk)
    return render(
        request, "providers/provider_form.html",
        {"form": form, "licence_form": licence_form, "items": items, "title": _("登记机构")},
    )  # fmt: skip


def _profile_data(data: dict[str, Any]) -> organizations.ProfileData:
    return organizations.ProfileData(
        provider_type=data.get("provider_type") or "",
        evaluator_type=data.get("evaluator_type") or "",
        is_above_scale=bool(data.get("is_above_scale")),
        size=data.get("size") or "",
        employees=data.get("employees"),
        industry_tags=f.split_codes(data.get("industry_tags") or ""),
        legal_representative=data.get("legal_representative") or "",
        address=data.get("address") or "",
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        contact_name=data.get("contact_name") or "",
        contact_phone=data.get("contact_phone") or "",
        email=data.get("email") or "",
        website=data.get("website") or "",
    )


def _licence_data(form: f.LicenceForm, items: Any) -> organizations.LicenceData | None:
    data = form.cleaned_data
    rows = f.licence_items(items)
    if not rows and not any(data.get(k) for k in ("number", "issuer", "valid_from", "valid_until")):
        return None
    return organizations.LicenceData(
        number=data.get("number") or "",
        issuer=data.get("issuer") or "",
        valid_from=data.get("valid_from"),
        valid_until=data.get("valid_until"),
        items=rows,
    )


@login_required
def provider_detail(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    user = request.user
    org = profile.organization
    today = timezone.localdate()
    listing = ProviderListing.objects.filter(profile=profile).first()
    is_staff = can(user, "org.edit", organization_id=org.pk)
    can_review = can(user, "catalog.review", region_code=org.region_id)
    can_approve = can(user, "catalog.approve", region_code=org.region_id)
    context = {
        "profile": profile,
        "org": org,
        "listing": listing,
        "state": listing_state_on(listing, today) if listing else None,
        "scope": scope_on(listing, today).select_related("occupation", "level") if listing else [],
        "scope_history": presenters.listing_scope_rows(listing) if listing else [],
        "events": listing.events.select_related("deciding_office").order_by("effective_date", "created_at")
        if listing
        else [],
        "licence_items": profile.licence_items.filter(removed_at__isnull=True).select_related(
            "occupation", "max_level"
        ),
        "applications": visible(ProviderApplication, user, "records.view")
        .filter(profile=profile)
        .order_by("-created_at"),
        "teachers": teachers_of(profile, today),
        "is_staff": is_staff,
        "can_edit": is_staff or can_review or can_approve,
        "can_suspend": (can_review or can_approve) and listing is not None,
        "can_exit": can_approve and listing is not None,
        "is_admin": organizations.is_org_admin(user, org) or can(user, "users.manage", region_code=org.region_id),
        "decision_form": f.ListingDecisionForm(),
        "today": today,
        "panels": organization_panels(user, org.pk),
    }
    return render(request, "providers/provider_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    require_org_or_catalog(request.user, profile.organization)
    initial = {
        "name": profile.organization.name,
        **{
            k: getattr(profile, k)
            for k in (
                "provider_type",
                "evaluator_type",
                "is_above_scale",
                "size",
                "employees",
                "legal_representative",
                "address",
                "latitude",
                "longitude",
                "contact_name",
                "email",
                "website",
            )
        },  # fmt: skip
        "industry_tags": ", ".join(f"{t.taxonomy_id}/{t.code}" for t in profile.industry_tags.all()),
    }
    form = f.ProfileEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organizations.profile_update(
                actor=current_user(request),
                profile=profile,
                name=form.cleaned_data["name"],
                data=_profile_data(form.cleaned_data),
            )
        except DomainError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("providers:detail", profile_id=profile.pk)
    return render(
        request, "providers/provider_form.html", {"form": form, "title": _("修改机构档案"), "profile": profile}
    )


@login_required
@require_http_methods(["GET", "POST"])
def licence_edit(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    require_org_or_catalog(request.user, profile.organization)
    initial = {
        "number": profile.licence_number,
        "issuer": profile.licence_issuer,
        "valid_from": profile.licence_valid_from,
        "valid_until": profile.licence_valid_until,
    }
    form = f.LicenceForm(request.POST or None, initial=initial)
    items = _licence_items(request, profile)
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            organizations.licence_set(
                actor=current_user(request), profile=profile,
                licence=_licence_data(form, items) or organizations.LicenceData(),
            )  # fmt: skip
        except DomainError as exc:
            _errors_to_form(form, exc, items=items)
        else:
            messages.success(request, _("办学许可证信息已保存。"))
            return redirect("providers:detail", profile_id=profile.pk)
    return render(request, "providers/provider_form.html",
                  {"form": form, "items": items, "title": _("办学许可证"), "profile": profile})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """本机构 — the staff of a provider, an evaluator or an enterprise land on their organization (the first, when
    they act for several). An organization that has no profile yet (created as an account only) is not a dead end:
    its staff complete the profile here (``profile_complete``)."""
    orgs = principal_for(request.user).orgs_with("org.view")
    profile = OrganizationProfile.objects.filter(organization_id__in=orgs).order_by("organization__name").first()
    if profile is not None:
        return redirect("providers:detail", profile_id=profile.pk)
    org = Organization.objects.filter(pk__in=orgs).order_by("name").first()
    if org is None:
        raise Http404
    form = f.ProfileEditForm(request.POST or None, initial={"name": org.name})
    form.fields.pop("name", None)  # the name is the organization's registered one; edited later on the profile
    if org.kind != OrganizationKind.PROVIDER:
        form.fields.pop("provider_type", None)
    if org.kind != OrganizationKind.EVALUATOR:
        form.fields.pop("evaluator_type", None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = organizations.profile_complete(
                actor=current_user(request), organization=org, data=_profile_data(form.cleaned_data)
            )
        except DomainError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("机构档案已登记：%(name)s") % {"name": org.name})
            return redirect("providers:detail", profile_id=profile.pk)
    return render(
        request,
        "providers/provider_form.html",
        {"form": form, "title": _("完善机构档案"), "organization": org,
         "intro": _("本机构尚未登记机构档案。请填写以下信息后保存，即可办理本机构的业务（开班、考试、学徒制等）。")},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    org = profile.organization
    organizations.require_staff_admin(request.user, org)
    form = f.StaffForm(request.POST or None) if request.POST.get("op") in (None, "create") else f.StaffForm()
    if request.method == "POST":
        op = request.POST.get("op", "create")
        try:
            if op == "create" and form.is_valid():
                organizations.staff_create(
                    actor=current_user(request),
                    organization=org,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    display_name=form.cleaned_data["display_name"],
                    email=form.cleaned_data["email"],
                    make_admin=form.cleaned_data["admin"],
                )
                messages.success(request, _("已创建账号。"))
                return redirect("providers:staff", profile_id=profile.pk)
            if op in ("revoke", "admin_on", "admin_off"):
                target_id = uuid_or_none(request.POST.get("user"))
                target = User.objects.filter(pk=target_id).first() if target_id else None
                if target is None:
                    raise Http404
                if op == "revoke":
                    organizations.staff_revoke(
                        actor=current_user(request),
                        organization=org,
                        user=target,
                        reason=request.POST.get("reason") or _("机构管理员撤销"),
                    )
                else:
                    organizations.staff_admin_set(
                        actor=current_user(request), organization=org, user=target, admin=op == "admin_on"
                    )
                messages.success(request, _("已更新。"))
                return redirect("providers:staff", profile_id=profile.pk)
        except DomainError as exc:
            if op == "create":
                _errors_to_form(form, exc)
            else:
                messages.error(request, exc.message)
    return render(
        request,
        "providers/staff.html",
        {"profile": profile, "org": org, "staff": organizations.staff_of(org), "form": form},
    )


# ---- applications and the catalog ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    profile = get_visible(_profiles(request.user), request.user, profile_id)
    require_org_or_catalog(request.user, profile.organization)
    listing = ProviderListing.objects.filter(profile=profile).first()
    default_kind = (
        ApplicationKind.NEW if listing is None or listing.status == ListingStatus.EXITED else ApplicationKind.EXTENSION
    )
    form = f.ApplicationForm(request.POST or None, initial={"kind": default_kind})
    scope = f.ScopeFormSet(request.POST or None, prefix="scope")
    if request.method == "POST" and form.is_valid() and scope.is_valid():
        rows = [
            catalog.ScopeInput(r.get("occupation", ""), r.get("level", ""), r.get("training_kind", ""))
            for r in scope.cleaned_data
            if r and (r.get("occupation") or r.get("training_kind"))
        ]
        try:
            app = catalog.application_create(
                actor=current_user(request),
                profile=profile,
                kind=form.cleaned_data["kind"],
                capacity_per_year=form.cleaned_data["capacity_per_year"],
                description=form.cleaned_data["description"],
                scope=rows,
            )
        except DomainError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("申请草稿已保存，请核对后提交。"))
            return redirect("providers:application", app_id=app.pk)
    return render(
        request,
        "providers/application_form.html",
        {"profile": profile, "form": form, "scope": scope, "training_kinds": TrainingKind.choices},
    )


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """待办 — applications waiting for this official, with their deadlines."""
    qs = review_queue(request.user)
    return render(
        request, "providers/review_queue.html", {"page_obj": page(request, qs), "today": timezone.localdate()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, app_id: uuid.UUID) -> HttpResponse:
    app = get_visible(
        visible(ProviderApplication, request.user, "records.view").select_related("profile__organization", "region"),
        request.user,
        app_id,
    )
    user = request.user
    org = app.profile.organization
    review_form = f.ReviewForm(request.POST if request.POST.get("op") == "review" else None)
    decide_form = f.DecideForm(request.POST if request.POST.get("op") == "decide" else None)
    reason_form = f.ReasonForm(request.POST if request.POST.get("op") == "withdraw" else None)
    if request.method == "POST":
        op = request.POST.get("op")
        actor = current_user(request)
        try:
            if op == "submit":
                catalog.application_submit(actor=actor, application=app)
                messages.success(request, _("已提交，等待市级审核。"))
            elif op == "withdraw" and reason_form.is_valid():
                catalog.application_withdraw(actor=actor, application=app, reason=reason_form.cleaned_data["reason"])
                messages.success(request, _("已撤回。"))
            elif op == "review" and review_form.is_valid():
                catalog.application_review(actor=actor, application=app, **review_form.cleaned_data)
                messages.success(request, _("审核意见已提交。"))
            elif op == "decide" and decide_form.is_valid():
                catalog.application_decide(actor=actor, application=app, **decide_form.cleaned_data)
                messages.success(request, _("审批结果已提交。"))
            else:
                raise _FormInvalid
            return redirect("providers:application", app_id=app.pk)
        except _FormInvalid:
            pass
        except DomainError as exc:
            target = {"review": review_form, "decide": decide_form, "withdraw": reason_form}.get(op or "")
            if target is not None:
                _errors_to_form(target, exc)
            else:
                messages.error(request, exc.message + "".join(f" {fe.message}" for fe in exc.fields))
    is_staff = can(user, "org.edit", organization_id=org.pk)
    context = {
        "app": app,
        "org": org,
        "scope": app.scope.select_related("occupation", "level"),
        "can_submit": app.status == ApplicationStatus.DRAFT
        and (
            is_staff
            or can(user, "catalog.review", region_code=app.region_id)
            or can(user, "catalog.approve", region_code=app.region_id)
        ),
        "can_withdraw": app.status
        in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.CITY_PASSED)
        and is_staff,
        "can_review": app.status == ApplicationStatus.SUBMITTED
        and can(user, "catalog.review", region_code=app.region_id),
        "can_decide": app.status == ApplicationStatus.CITY_PASSED
        and can(user, "catalog.approve", region_code=app.region_id),
        "review_form": review_form,
        "decide_form": decide_form,
        "reason_form": reason_form,
        "today": timezone.localdate(),
    }
    return render(request, "providers/application_detail.html", context)


class _FormInvalid(Exception):  # noqa: N818 - control flow inside one view
    pass


_LISTING_ACTIONS = {
    "suspend": catalog.listing_suspend,
    "resume": catalog.listing_resume,
    "exit": catalog.listing_exit,
}


@login_required
@require_POST
def listing_decide(request: HttpRequest, listing_id: uuid.UUID) -> HttpResponse:
    listing = get_visible(visible(ProviderListing, request.user, "records.view"), request.user, listing_id)
    form = f.ListingDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写原因。"))
        return redirect("providers:detail", profile_id=listing.profile_id)
    data = form.cleaned_data
    try:
        if data["action"] == "withdraw":
            catalog.listing_withdraw(
                actor=current_user(request),
                listing=listing,
                reason=data["reason"],
                effective_date=data["effective_date"],
            )
        else:
            _LISTING_ACTIONS[data["action"]](
                actor=current_user(request),
                listing=listing,
                reason=data["reason"],
                effective_date=data["effective_date"],
                document_number=data["document_number"],
            )
    except DomainError as exc:
        messages.error(request, exc.message + "".join(f" {fe.message}" for fe in exc.fields))
    else:
        messages.success(request, _("决定已记录。"))
    return redirect("providers:detail", profile_id=listing.profile_id)


# ---- programs ------------------------------------------------------------------------------------------------------


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    if wants_export(request):
        return export_http(request, PROGRAMS)
    p = principal_for(request.user)
    return render(
        request,
        "providers/program_list.html",
        {
            **list_page(request, PROGRAMS),
            "training_kinds": TrainingKind.choices,
            "can_create": p.has("catalog.review") or p.has("catalog.approve"),
        },
    )


@login_required
def my_programs(request: HttpRequest) -> HttpResponse:
    """本机构培训项目 — a provider's staff see the programs their organization may open classes of (listed in the
    program catalog for its region, inside its catalog scope), each with its 学时 and listing, and apply for a class
    of one. Programs are defined and listed by the departments keeping the catalog (``program_create`` needs
    ``catalog.review``/``catalog.approve``), so a provider proposes a new one through its catalog application."""
    orgs = principal_for(request.user).orgs_with("org.view")
    profile = (
        OrganizationProfile.objects.filter(organization_id__in=orgs, organization__kind=OrganizationKind.PROVIDER)
        .select_related("organization")
        .order_by("organization__name")
        .first()
    )
    if profile is None:
        raise PermissionDenied(_("只有培训机构的工作人员可以查看本机构培训项目。"))
    today = timezone.localdate()
    offered = list(programs_for_provider(profile, today))
    listings: dict[Any, list[CatalogListing]] = {}
    for listing in (
        CatalogListing.objects.filter(program__in=offered, status="listed")
        .select_related("region")
        .order_by("-valid_from")
    ):
        listings.setdefault(listing.program_id, []).append(listing)
    can_apply = str(profile.organization_id) in {str(o) for o in principal_for(request.user).orgs_with("org.edit")}
    return render(
        request,
        "providers/my_programs.html",
        {
            "profile": profile,
            "rows": [{"p": p, "listings": listings.get(p.pk, [])} for p in offered],
            "state": provider_state_on(profile, today),
            "can_apply": can_apply,
        },
    )


def _program_data(data: dict[str, Any]) -> programs.ProgramData:
    return programs.ProgramData(
        code=data["code"],
        name=data["name"],
        occupation=data.get("occupation") or "",
        level=data.get("level") or "",
        training_kind=data["training_kind"],
        hours_theory=data["hours_theory"],
        hours_practice=data["hours_practice"],
        delivery=data["delivery"],
        subsidy_category=data["subsidy_category"],
        region=data["region"],
        syllabus=data.get("syllabus") or "",
        industry_tags=f.split_codes(data.get("industry_tags") or ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    p = principal_for(request.user)
    if not (p.has("catalog.review") or p.has("catalog.approve")):
        raise PermissionDenied()
    form = f.ProgramForm(request.POST or None, initial={"region": home_region_code(request.user)})
    return _entry_form(
        request,
        form,
        lambda data: programs.program_create(actor=current_user(request), data=_program_data(data)),
        title=_("新建培训项目"),
        done=lambda program: redirect("providers:program", program_id=program.pk),
        success=_("培训项目已登记。"),
    )


def home_region_code(user: Any) -> str:
    from jineng.accounts.api import home_region

    return home_region(user) or ""


@login_required
@require_http_methods(["GET", "POST"])
def program_detail(request: HttpRequest, program_id: uuid.UUID) -> HttpResponse:
    program = (
        selectors.programs_readable(request.user)
        .select_related("occupation", "level", "region")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise NotFound()
    # A program defined by a region above the user's scope is read here, never changed.
    own = visible(Program, request.user, "records.view").filter(pk=program.pk).exists()
    if request.method == "POST" and not own:
        raise PermissionDenied(_("该培训项目由上级部门制定，只能查看。"))
    form = f.CatalogListingForm(
        request.POST if request.POST.get("op") == "list" else None,
        initial={"region": program.region_id, "valid_from": timezone.localdate()},
    )
    reason_form = f.ReasonForm(request.POST if request.POST.get("op") in ("withdraw", "retire") else None)
    if request.method == "POST":
        op = request.POST.get("op")
        actor = current_user(request)
        try:
            if op == "list" and form.is_valid():
                programs.catalog_list(
                    actor=actor,
                    program=program,
                    region_code=form.cleaned_data["region"],
                    valid_from=form.cleaned_data["valid_from"],
                    valid_until=form.cleaned_data["valid_until"],
                    document_number=form.cleaned_data["document_number"],
                )
                messages.success(request, _("已纳入项目目录。"))
                return redirect("providers:program", program_id=program.pk)
            if op == "withdraw" and reason_form.is_valid():
                listing = get_visible(
                    visible(CatalogListing, request.user, "records.view"), request.user, request.POST.get("listing")
                )
                programs.catalog_withdraw(actor=actor, listing=listing, reason=reason_form.cleaned_data["reason"])
                messages.success(request, _("已移出项目目录。"))
                return redirect("providers:program", program_id=program.pk)
            if op == "retire" and reason_form.is_valid():
                programs.program_retire(actor=actor, program=program, reason=reason_form.cleaned_data["reason"])
                messages.success(request, _("已停用。"))
                return redirect("providers:program", program_id=program.pk)
        except DomainError as exc:
            _errors_to_form(form if op == "list" else reason_form, exc)
    p = principal_for(request.user)
    return render(
        request,
        "providers/program_detail.html",
        {
            "program": program,
            "listings": program.listings.select_related("region").order_by("-valid_from"),
            "tags": program.industry_tags.all(),
            "form": form,
            "reason_form": reason_form,
            "can_list": own and (p.has("catalog.review") or p.has("catalog.approve")),
        },
    )


# ---- teachers' pool ----------------------------------------------------------------------------------------------


@login_required
def teacher_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("role", "status", "speciality", "region", "name")}
    qs = selectors.pool_role_filter(
        visible(PoolRole, request.user, "records.view").select_related("person", "region"), **filters
    )
    return render(
        request,
        "providers/teacher_list.html",
        {
            "page_obj": page(request, qs.order_by("role", "person__name")),
            "filters": filters,
            "roles": PoolRoleKind.choices,
            "statuses": PoolRoleStatus.choices,
        },
    )


def _staff_orgs(user: Any) -> list[tuple[str, str]]:
    ids = principal_for(user).orgs_with("org.edit")
    return [(str(o.pk), o.name) for o in Organization.objects.filter(pk__in=ids).order_by("name")]


@login_required
@require_http_methods(["GET", "POST"])
def teacher_new(request: HttpRequest) -> HttpResponse:
    orgs = _staff_orgs(request.user)
    form = f.RoleForm(
        request.POST or None,
        organizations=orgs,
        initial={"region": home_region_code(request.user), "organization": orgs[0][0] if orgs else ""},
    )

    def create(data: dict[str, Any]) -> PoolRole:
        organization = Organization.objects.filter(pk=data["organization"]).first() if data["organization"] else None
        return teachers.pool_role_add(
            actor=current_user(request),
            person=person_by_document(data["id_number"], data["name"]),
            organization=organization,
            data=teachers.RoleData(
                role=data["role"],
                region=data["region"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                employer_name=data["employer_name"],
                title=data["title"],
                teacher_qualification=data["teacher_qualification"],
                is_integrated=data["is_integrated"],
                specialities=f.split_codes(data["specialities"]),
                served_regions=f.split_codes(data["served_regions"]),
            ),
        )

    return _entry_form(
        request,
        form,
        create,
        title=_("师资入库"),
        done=lambda role: redirect("providers:teacher", role_id=role.pk),
        success=_("已入库。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def teacher_detail(request: HttpRequest, role_id: uuid.UUID) -> HttpResponse:
    role = get_visible(
        visible(PoolRole, request.user, "records.view").select_related("person", "region"), request.user, role_id
    )
    profiles = [
        (str(pr.pk), pr.organization.name)
        for pr in _profiles(request.user).filter(organization__kind="provider").order_by("organization__name")[:200]
    ]
    op = request.POST.get("op")
    q_form = f.QualificationForm(request.POST if op == "qualification" else None)
    a_form = f.AffiliationForm(request.POST if op == "affiliation" else None, profiles=profiles)
    s_form = f.RoleStatusForm(request.POST if op == "status" else None)
    if request.method == "POST":
        actor = current_user(request)
        try:
            if op == "qualification" and q_form.is_valid():
                teachers.qualification_add(
                    actor=actor, role=role, data=teachers.QualificationData(**q_form.cleaned_data)
                )
            elif op == "affiliation" and a_form.is_valid():
                profile = get_visible(_profiles(request.user), request.user, a_form.cleaned_data["profile"])
                teachers.affiliation_add(
                    actor=actor, role=role, profile=profile, kind=a_form.cleaned_data["kind"],
                    valid_from=a_form.cleaned_data["valid_from"], valid_to=a_form.cleaned_data["valid_to"],
                )  # fmt: skip
            elif op == "status" and s_form.is_valid():
                teachers.pool_role_set_status(actor=actor, role=role, **s_form.cleaned_data)
            else:
                raise _FormInvalid
            messages.success(request, _("已保存。"))
            return redirect("providers:teacher", role_id=role.pk)
        except _FormInvalid:
            pass
        except DomainError as exc:
            _errors_to_form({"qualification": q_form, "affiliation": a_form, "status": s_form}[op or "status"], exc)
    return render(
        request,
        "providers/teacher_detail.html",
        {
            "role": role,
            "data": presenters.role_dict(role),
            "q_form": q_form,
            "a_form": a_form,
            "s_form": s_form,
        },
    )


# ---- bases -------------------------------------------------------------------------------------------------------


@login_required
def base_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("kind", "level", "region", "year")}
    year = int_or_none(filters["year"], max_digits=4) or timezone.localdate().year
    qs = selectors.base_filter(
        visible(TrainingBase, request.user, "records.view").select_related("region"),
        kind=filters["kind"],
        level=filters["level"],
        region=filters["region"],
    )
    counted = bases_in_force(as_of_year=year).filter(pk__in=qs.values("pk"))
    summary = []
    for kind, kind_label in BaseKind.choices:
        row = {
            "label": kind_label,
            "counts": [counted.filter(kind=kind, level=level).count() for level, _l in BaseLevel.choices],
        }
        summary.append(row)
    p = principal_for(request.user)
    return render(
        request,
        "providers/base_list.html",
        {
            "page_obj": page(request, qs.order_by("kind", "level", "approval_year", "name")),
            "filters": filters,
            "year": year,
            "kinds": BaseKind.choices,
            "levels": BaseLevel.choices,
            "summary": summary,
            "can_create": p.has("catalog.review") or p.has("catalog.approve"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def base_new(request: HttpRequest) -> HttpResponse:
    form = f.BaseForm(request.POST or None, initial={"region": home_region_code(request.user)})
    return _entry_form(
        request,
        form,
        lambda data: bases_services.base_create(
            actor=current_user(request),
            data=bases_services.BaseData(
                kind=data["kind"],
                name=data["name"],
                level=data["level"],
                approval_year=data["approval_year"],
                region=data["region"],
                host_name=data["host_name"],
                approval_document=data["approval_document"],
                occupations=f.split_codes(data["occupations"]),
            ),
        ),
        title=_("登记基地或工作室"),
        done=lambda _created: redirect("providers:bases"),
    )


# ---- brands, standards and textbooks --------------------------------------------------------------------------


@login_required
def brand_list(request: HttpRequest) -> HttpResponse:
    """培训品牌 — the brand catalogues in view, each with its programs (the indicators count the recognized ones)."""
    region = request.GET.get("region", "").strip()
    qs = selectors.brand_filter(selectors.brands_visible(request.user), region=region)
    return render(
        request,
        "providers/brand_list.html",
        {
            "page_obj": page(request, qs),
            "region": region,
            "can_create": principal_for(request.user).has("catalog.approve"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def brand_new(request: HttpRequest) -> HttpResponse:
    form = f.BrandForm(request.POST or None, initial={"region": home_region_code(request.user)})
    return _entry_form(
        request,
        form,
        lambda data: brand_services.brand_create(
            actor=current_user(request),
            data=brand_services.BrandData(
                code=data["code"],
                name=data["name"],
                region=data["region"],
                recognized_year=data["recognized_year"],
                recognition=data["recognition"],
            ),
        ),
        title=_("登记培训品牌"),
        done=lambda _created: redirect("providers:brands"),
    )


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    """职业标准与教材 — standards, textbooks and digital resources developed, by kind and year."""
    filters = {k: request.GET.get(k, "").strip() for k in ("kind", "status", "year")}
    year = int_or_none(filters["year"]) if len(filters["year"]) == 4 else None
    qs = selectors.standard_filter(
        selectors.standards_visible(request.user), kind=filters["kind"], status=filters["status"], year=year
    )
    return render(
        request,
        "providers/standard_list.html",
        {
            "page_obj": page(request, qs),
            "filters": filters,
            "kinds": StandardKind.choices,
            "statuses": StandardStatus.choices,
            "can_create": principal_for(request.user).has("catalog.approve"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_new(request: HttpRequest) -> HttpResponse:
    form = f.StandardForm(request.POST or None, initial={"region": home_region_code(request.user)})
    return _entry_form(
        request,
        form,
        lambda data: brand_services.standard_create(
            actor=current_user(request),
            data=brand_services.StandardData(
                kind=data["kind"],
                title=data["title"],
                developer=data["developer"],
                region=data["region"],
                occupation=data["occupation"],
                level=data["level"],
                year=data["year"],
                status=data["status"],
                document_number=data["document_number"],
            ),
        ),
        title=_("登记职业标准或教材"),
        done=lambda _created: redirect("providers:standards"),
    )


# ---- self-registration and the public catalogs --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """自助注册 — no login; creates the organization and its administrator account (who then signs in)."""
    form = f.RegisterForm(request.POST or None)
    licence_form = f.LicenceForm(request.POST or None, prefix="licence")
    items = _licence_items(request)
    if request.method == "POST" and form.is_valid() and licence_form.is_valid() and items.is_valid():
        data = form.cleaned_data
        try:
            profile, _user = organizations.organization_register(
                kind=data["kind"],
                name=data["name"],
                credit_code=data["credit_code"],
                region_code=data["region"],
                admin_username=data["admin_username"],
                admin_password=data["admin_password"],
                admin_display_name=data["admin_display_name"],
                admin_email=data["admin_email"],
                data=_profile_data(data),
                licence=_licence_data(licence_form, items),
            )
        except DomainError as exc:
            _errors_to_form(form, exc, licence_form, items=items)
        else:
            messages.success(
                request,
                _("注册成功：%(name)s。请使用管理员账号登录，再申请纳入培训机构目录。")
                % {"name": profile.organization.name},
            )
            return redirect("web:login")
    return render(request, "providers/register.html", {"form": form, "licence_form": licence_form, "items": items})


def public_providers_page(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "region", "provider_type")}
    status = request.GET.get("status", "listed")
    qs = public_providers(status=status, on=timezone.localdate(), **filters)
    page_obj = page(request, qs)
    # a 黑名单 / 吊销许可 in force is shown on its listing (docs/sanctions.md «目录标注»)
    marks = sanction_marks([row.profile.organization_id for row in page_obj.object_list])
    for row in page_obj.object_list:
        row.sanction_mark = marks.get(str(row.profile.organization_id), "")
    return render(
        request,
        "providers/public_providers.html",
        {"page_obj": page_obj, "filters": filters, "status": status, "provider_types": ProviderType.choices},
    )


def public_provider_page(request: HttpRequest, listing_id: uuid.UUID) -> HttpResponse:
    listing = ProviderListing.objects.select_related("profile__organization", "region").filter(pk=listing_id).first()
    if listing is None:
        raise Http404
    return render(request, "providers/public_provider.html", {"data": presenters.listing_dict(listing, public=True)})


def public_evaluators_page(request: HttpRequest) -> HttpResponse:
    """评价机构名录（公开）: names, kinds and regions of the evaluation organizations (the complaint form suggests them)."""
    filters = {k: request.GET.get(k, "").strip()[:60] for k in ("q", "region")}  # NUL dropped by QueryTextMiddleware
    page_obj = page(request, public_evaluators(**filters))
    return render(request, "providers/public_evaluators.html", {"page_obj": page_obj, "filters": filters})


def public_programs_page(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "region", "training_kind", "occupation")}
    qs = public_programs(on=timezone.localdate(), **filters)
    return render(
        request,
        "providers/public_programs.html",
        {"page_obj": page(request, qs), "filters": filters, "training_kinds": TrainingKind.choices},
    )


def import_templates(request: HttpRequest) -> HttpResponse:
    """批量导入模板 — the blank workbooks of this app's import kinds (the import framework serves each)."""
    from jineng.providers.io.importers import KINDS

    return render(request, "providers/templates.html", {"kinds": KINDS})
