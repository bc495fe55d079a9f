"""Registry pages: the person list (masked, filtered), a person with the archive timeline and reveal, the worker's
own archive. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jineng.accounts.api import current_user, export_http, get_visible, principal_for, wants_export
from jineng.common.errors import DomainError
from jineng.common.listing import list_request
from jineng.common.web.lists import page
from jineng.refdata.api import Region, RegionLevel, region_subtree
from jineng.registry.archive import archive_entries
from jineng.registry.lists import PERSONS
from jineng.registry.models import Group, Person
from jineng.registry.selectors import (
    group_label,
    person_dict,
    person_search_by_number,
    persons_visible,
)
from jineng.registry.services.persons import (
    REVEALABLE,
    MembershipInput,
    PersonExists,
    person_create,
    person_duplicates,
    person_merge,
    person_reveal,
)
from jineng.registry.web.forms import FindForm, PersonForm


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if wants_export(request):
        return export_http(request, PERSONS)
    filters, sort, qs = list_request(PERSONS, request.GET, request.user)
    page_obj = page(request, qs.prefetch_related("documents").select_related("residence_region"))
    rows = []
    for person in page_obj:
        data = person_dict(person)
        rows.append({"person": person, "data": data, "groups": [group_label(g) for g in data["groups"]]})
    p = principal_for(request.user)
    return render(
        request,
        "registry/person_list.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "filters": filters,
            "sort": sort,
            "groups": Group.choices,
            "can_merge": p.has("registry.edit"),
            "can_register": p.has("registry.edit"),
            "can_export": p.has(PERSONS.export_permission),
            "can_reveal_export": p.has(PERSONS.export_permission) and p.has("registry.reveal"),
            "find_form": FindForm(),
        },  # fmt: skip
    )


@login_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = get_visible(Person.objects.select_related("residence_region", "hukou_region"), request.user, person_id)
    data = person_dict(person, detail=True)
    p = principal_for(request.user)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "data": data,
            "groups": [group_label(g) for g in data["groups"]],
            "entries": archive_entries(person),
            "can_reveal": p.has("registry.reveal"),
            "revealable": REVEALABLE,
            "is_self": str(p.person_id or "") == str(person.pk),
        },
    )


@never_cache
@login_required
@require_POST
def person_reveal_page(request: HttpRequest, person_id: str) -> HttpResponse:
    person = get_visible(Person, request.user, person_id)
    field = request.POST.get("field", "id_number")
    try:
        value = person_reveal(actor=request.user, person=person, field=field, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return render(request, "registry/_reveal.html", {"error": exc, "field": field}, status=exc.status)
    response = render(request, "registry/_reveal.html", {"value": value, "field": field})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_archive(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.person_id is None:
        return render(request, "registry/no_person.html", status=404)
    return redirect("registry:person_detail", person_id=user.person_id)


DUPLICATES_SHOWN = 200


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """重复人员 — legacy 15-digit records and their 18-digit twins, both within the user's scope, to merge."""
    if not principal_for(request.user).has("registry.edit"):
        raise PermissionDenied
    pairs = person_duplicates(persons_visible(request.user, "registry.edit"), limit=DUPLICATES_SHOWN + 1)
    rows = [{"legacy": a, "twin": b, "a": person_dict(a), "b": person_dict(b)} for a, b in pairs[:DUPLICATES_SHOWN]]
    return render(
        request, "registry/duplicates.html", {"rows": rows, "more": len(pairs) > DUPLICATES_SHOWN,
                                              "shown": DUPLICATES_SHOWN},
    )  # fmt: skip


@login_required
@require_POST
def merge(request: HttpRequest, person_id: str) -> HttpResponse:
    merged = get_visible(Person, request.user, person_id, "registry.edit")
    survivor = get_visible(Person, request.user, request.POST.get("into", ""), "registry.edit")
    try:
        record = person_merge(
            actor=request.user, survivor=survivor, merged=merged, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        detail = "；".join(fe.message for fe in exc.fields)
        messages.error(request, f"{exc.message} {detail}".strip())
        return redirect("registry:duplicates")
    messages.success(request, _("已合并：%(name)s 的记录并入保留记录。") % {"name": survivor.name})
    return redirect("registry:person_detail", person_id=record.survivor_id)


# ---- 按证件号码查找 ---------------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_POST
def person_find(request: HttpRequest) -> HttpResponse:
    """Exact search by document number (posted), within the user's scope, results masked."""
    form = FindForm(request.POST)
    rows: list[dict[str, object]] = []
    searched = False
    if form.is_valid():
        try:
            qs = person_search_by_number(request.user, form.cleaned_data["id_number"], form.cleaned_data["doc_type"])
        except DomainError as exc:
            for fe in exc.fields or []:
                form.add_error("id_number" if fe.field in ("id_number", "") else None, fe.message)
            if not exc.fields:
                form.add_error("id_number", exc.message)
        else:
            searched = True
            for person in qs.prefetch_related("documents").select_related("residence_region")[:20]:
                data = person_dict(person)
                rows.append({"person": person, "data": data, "groups": [group_label(g) for g in data["groups"]]})
    response = render(request, "registry/person_find.html", {"find_form": form, "rows": rows, "searched": searched})
    response["Cache-Control"] = "no-store"
    return response


# ---- 登记人员 --------------------------------------------------------------------------------------------------------


def _registration_regions(user: object) -> list[tuple[str, str]]:
    """The counties the user may register persons in (``registry.edit`` over them), as the residence choices."""
    p = principal_for(user)
    counties = Region.objects.filter(valid_to__isnull=True, level=RegionLevel.COUNTY)
    if not p.superuser:
        codes = p.regions_with("registry.edit")
        counties = counties.filter(
            code__in=region_subtree(codes)
        )  # the scope's subtree (accounts.scope decides with the same closure table)
    return [(r.code, f"{r.name}（{r.code}）") for r in counties.order_by("code")[:300]]


PERSON_FIELDS = {"name", "doc_type", "id_number", "phone", "residence_region", "groups", "graduation_year",
                 "education", "hukou_type"}  # fmt: skip


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    """登记人员 — one person by form (county official), through the registry service."""
    if not principal_for(request.user).has("registry.edit"):
        raise PermissionDenied
    regions = _registration_regions(request.user)
    form = PersonForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        memberships = [
            MembershipInput(group=g, graduation_year=d.get("graduation_year") if g == Group.COLLEGE_GRADUATE else None,
                            source="窗口登记")
            for g in d.get("groups") or []
        ]  # fmt: skip
        try:
            person = person_create(
                actor=current_user(request), name=d["name"], id_number=d["id_number"], doc_type=d["doc_type"],
                phone=d.get("phone") or "", residence_region=d["residence_region"],
                education=d.get("education") or "", hukou_type=d.get("hukou_type") or "", groups=memberships,
                attribute_region=d["residence_region"],
            )  # fmt: skip
        except PersonExists as exc:
            existing = persons_visible(request.user).filter(pk=exc.person.pk).first()
            form.add_error("id_number", exc.message)
            return render(request, "registry/person_form.html", {"form": form, "existing": existing})
        except DomainError as exc:
            placed = False
            for fe in exc.fields:
                name = "id_number" if fe.field == "id_number" else fe.field
                if name in PERSON_FIELDS:
                    form.add_error(name, fe.message)
                    placed = True
            if not placed:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": person.name})
            return redirect("registry:person_detail", person_id=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "existing": None})
