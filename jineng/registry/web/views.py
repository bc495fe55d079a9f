"""Registry pages: the person list (masked, filtered), a person with the archive timeline and reveal, the worker's
own archive. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jineng.accounts.api import current_user, get_visible, principal_for
from jineng.common.errors import DomainError
from jineng.registry.archive import archive_entries
from jineng.registry.models import Group, Person
from jineng.registry.selectors import group_label, person_dict, person_filter, persons_visible
from jineng.registry.services import REVEALABLE, person_duplicates, person_merge, person_reveal


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("name", "region", "group")}
    qs = person_filter(
        persons_visible(request.user),
        name=filters["name"] or None,
        region=filters["region"] or None,
        group=filters["group"] or None,
    )
    page_obj = Paginator(qs.prefetch_related("documents").select_related("residence_region"), 50).get_page(
        request.GET.get("page")
    )
    rows = []
    for person in page_obj:
        data = person_dict(person)
        rows.append({"person": person, "data": data, "groups": [group_label(g) for g in data["groups"]]})
    return render(
        request,
        "registry/person_list.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "filters": filters,
            "groups": Group.choices,
            "can_merge": principal_for(request.user).has("registry.edit"),
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
