"""Public pages (信息公开): regions, occupations, skill levels and certificate kinds, industry tags, plans and their
targets. No login: everything here is published reference data. Thin: read through the selectors, render."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from jineng.common.web.lists import page
from jineng.refdata.models import (
    COUNTRY_CODE,
    CURRENT_OCCUPATION_EDITION,
    CertificateKind,
    Occupation,
    OccupationLevel,
    Plan,
    Region,
    SkillLevel,
    TagTaxonomy,
)
from jineng.refdata.occupations import occupation_ancestors, occupation_get, occupation_search
from jineng.refdata.plans import plan_get, plan_list, plan_targets, seed_excerpt
from jineng.refdata.regions import region_ancestors, region_get, region_known_for_id

PAGE_SIZE = 50


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    occupations = dict(
        Occupation.objects.filter(edition=CURRENT_OCCUPATION_EDITION)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    context = {
        "section": "index",
        "provinces": Region.objects.current().filter(parent_id=COUNTRY_CODE).count(),
        "regions": Region.objects.current().exclude(code=COUNTRY_CODE).count(),
        "retired": Region.objects.filter(valid_to__isnull=False).count(),
        "occupations": occupations.get(OccupationLevel.OCCUPATION, 0),
        "occupation_levels": [(level.label, occupations.get(level.value, 0)) for level in OccupationLevel],
        "edition": CURRENT_OCCUPATION_EDITION,
        "levels": SkillLevel.objects.count(),
        "taxonomies": TagTaxonomy.objects.annotate(n=Count("tags")).order_by("rank", "code"),
        "plans": plan_list().annotate(n_targets=Count("targets")),
    }
    return render(request, "refdata/public/index.html", context)


@require_GET
def regions(request: HttpRequest) -> HttpResponse:
    """The provinces, or the current codes matching ``q`` (code prefix or part of a name)."""
    q = request.GET.get("q", "").strip()
    if len(q) == 6 and q.isdigit() and region_known_for_id(q) is not None:
        return redirect("public:region", code=q)
    qs = Region.objects.current().exclude(code=COUNTRY_CODE).select_related("parent")
    if q:
        qs = qs.filter(code__startswith=q) if q.isdigit() else qs.filter(name__contains=q)
    else:
        qs = qs.filter(parent_id=COUNTRY_CODE)
    page_obj = page(request, qs.order_by("code"), PAGE_SIZE)
    return render(request, "refdata/public/regions.html", {"section": "regions", "q": q, "page_obj": page_obj})


@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    obj = region_get(code)
    chain = region_ancestors(obj.code)[1:]
    ancestors = {r.code: r for r in Region.objects.filter(code__in=chain)}
    context = {
        "section": "regions",
        "region": obj,
        "ancestors": [ancestors[c] for c in reversed(chain) if c in ancestors and c != COUNTRY_CODE],
        "children": Region.objects.current().filter(parent=obj).order_by("code"),
        "successors": Region.objects.filter(code__in=obj.successors).order_by("code"),
    }
    return render(request, "refdata/public/region.html", context)


@require_GET
def occupations(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    mark = request.GET.get("mark", "")
    qs = occupation_search(
        q,
        level=level if level in OccupationLevel.values else None,
        digital=True if mark == "S" else None,
        green=True if mark == "L" else None,
    )
    page_obj = page(request, qs, PAGE_SIZE)
    context = {
        "section": "occupations",
        "q": q,
        "level": level,
        "mark": mark,
        "levels": OccupationLevel.choices,
        "page_obj": page_obj,
        "edition": CURRENT_OCCUPATION_EDITION,
    }
    return render(request, "refdata/public/occupations.html", context)


@require_GET
def occupation(request: HttpRequest, code: str) -> HttpResponse:
    obj = occupation_get(code)
    context = {
        "section": "occupations",
        "occupation": obj,
        "ancestors": occupation_ancestors(obj),
        "children": obj.children.order_by("code"),
        "subtypes": obj.subtypes.select_related("lowest_level", "highest_level"),
    }
    return render(request, "refdata/public/occupation.html", context)


@require_GET
def levels(request: HttpRequest) -> HttpResponse:
    context = {
        "section": "levels",
        "levels": SkillLevel.objects.order_by("rank"),
        "kinds": CertificateKind.objects.order_by("rank"),
    }
    return render(request, "refdata/public/levels.html", context)


@require_GET
def industries(request: HttpRequest) -> HttpResponse:
    taxonomies = TagTaxonomy.objects.select_related("region").prefetch_related("tags")
    return render(request, "refdata/public/industries.html", {"section": "industries", "taxonomies": taxonomies})


@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    qs = plan_list().annotate(n_targets=Count("targets"))
    return render(request, "refdata/public/plans.html", {"section": "plans", "plans": qs})


@require_GET
def plan(request: HttpRequest, plan_code: str) -> HttpResponse:
    obj: Plan = plan_get(plan_code)
    targets = [{"target": t, "excerpt": seed_excerpt(obj.seed_file, t.seed_lines)} for t in plan_targets(plan_code)]
    return render(request, "refdata/public/plan.html", {"section": "plans", "plan": obj, "targets": targets})
