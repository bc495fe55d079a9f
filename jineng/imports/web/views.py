"""The upload page (kind, mode, file), the import's page with progress (HTMX polling) and row errors, and blank
templates with the expected headers."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_http_methods

from jineng.accounts.api import get_visible, principal_for, visible
from jineng.common.errors import DomainError, NotFound
from jineng.imports.framework import importer_for, importers
from jineng.imports.models import ImportJob, ImportMode
from jineng.imports.report import XlsxWriter
from jineng.imports.services import import_create, import_status
from jineng.refdata.api import Region, region_subtree


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("导入内容"))
    mode = forms.ChoiceField(label=gettext_lazy("模式"), choices=ImportMode.choices, initial=ImportMode.STRICT)
    region = forms.ChoiceField(label=gettext_lazy("归属地区"), required=False)
    target = forms.CharField(label=gettext_lazy("培训班编号（导入花名册、考勤时填写）"), required=False, max_length=64)
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))

    def __init__(
        self, *args: object, kinds: list[tuple[str, str]] | None = None, user: Any = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = kinds if kinds is not None else [(k, _(i.label)) for k, i in sorted(importers().items())]
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]
        if choices and all(importer_for(k).options for k, _label in choices):
            # Every kind offered names its target (a class): the class decides the region.
            self.fields.pop("region")
        else:
            blank = [("", _("默认：本账号所属地区"))]
            self.fields["region"].choices = blank + region_choices(user, [k for k, _label in choices])  # type: ignore[attr-defined]


REGION_CHOICES_MAX = 600


def region_choices(user: Any, kinds: list[str]) -> list[tuple[str, str]]:
    """归属地区 — picked, never typed: the regions (to the county) at or below those where the user may run one of
    the offered imports, each by name (广州市 · 天河区). The service checks the region against scope again."""
    if user is None:
        return []
    p = principal_for(user)
    roots: set[str] = set()
    for kind in kinds:
        roots.update(p.regions_with(importer_for(kind).permission))
    qs = Region.objects.current().filter(level__in=("province", "city", "county")).select_related("parent")
    if p.superuser or "000000" in roots:  # the nation: its provinces and cities (the counties are thousands)
        qs = qs.filter(level__in=("province", "city"))
    else:
        qs = qs.filter(code__in=region_subtree(sorted(roots)))
    out = []
    for r in qs.order_by("code")[:REGION_CHOICES_MAX]:
        city = r.parent.name if r.level == "county" and r.parent is not None else ""
        out.append((r.code, f"{city} · {r.name}" if city else r.name))
    return out


# The importers' labels are plain Chinese where each app declares its importer; the pages show them through gettext
# (issue 15: the kind select and the template list stayed Chinese on English pages). Those no other page marks:
KIND_LABELS = (gettext_noop("企业薪酬调查"), gettext_noop("历史证书"), gettext_noop("培训班花名册"),
               gettext_noop("银行回盘文件"))  # fmt: skip


def _offered_kinds(request: HttpRequest) -> list[tuple[str, str]]:
    """The import kinds this user may run (each importer's permission); ``?kinds=roster,attendance`` (a page that
    links here for one record, e.g. a class's roster) narrows them further."""
    p = principal_for(request.user)
    allowed = [(k, _(i.label)) for k, i in sorted(importers().items()) if p.has(i.permission)]
    wanted = {k for k in (request.GET.get("kinds") or request.POST.get("kinds") or "").split(",") if k}
    narrowed = [(k, label) for k, label in allowed if k in wanted]
    return narrowed or allowed


def _back_url(request: HttpRequest) -> str:
    """``?next=/training/classes/…/``: where 返回 leads (a path on this site only); the upload page by default."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    initial = {k: request.GET[k] for k in ("kind", "target") if request.GET.get(k)}
    kinds = _offered_kinds(request)
    back = _back_url(request)
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial, kinds=kinds, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            record = import_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                source=upload_file,
                filename=upload_file.name,
                mode=form.cleaned_data["mode"],
                region_code=form.cleaned_data.get("region") or None,
                options=_options(form.cleaned_data["kind"], form.cleaned_data.get("target") or ""),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("文件已上传，正在检查。"))
            detail_url = reverse("imports:detail", args=[record.pk])
            return redirect(detail_url + ("?" + urlencode({"next": back}) if back else ""))
    recent = list(visible(ImportJob, request.user, "jobs.view").select_related("job").order_by("-created_at")[:20])
    labels = {kind: importer.label for kind, importer in importers().items()}
    for r in recent:
        r.kind_label = _(labels[r.kind]) if r.kind in labels else _("其他")  # type: ignore[attr-defined]
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "recent": recent,
            "kinds": [(k, importer_for(k)) for k, _label in kinds],
            "can_import": _can_import(request),
            "back": back,
            "kinds_param": request.GET.get("kinds") or request.POST.get("kinds") or "",
        },
    )


def _options(kind: str, target: str) -> dict[str, str]:
    """The page's one "target" field is the importer's first declared option (a roster's class)."""
    declared = importer_for(kind).options
    return {declared[0][0]: target} if declared and target else {}


def _can_import(request: HttpRequest) -> bool:
    p = principal_for(request.user)
    return any(p.has(i.permission) for i in importers().values())


@login_required
def detail(request: HttpRequest, import_id: str) -> HttpResponse:
    record = get_visible(ImportJob.objects.select_related("job"), request.user, import_id, "jobs.view")
    context = {"record": record, "status": import_status(record), "labels": _labels(record.kind),
               "back": _back_url(request)}  # fmt: skip
    template = "imports/_status.html" if request.headers.get("HX-Request") else "imports/detail.html"
    return render(request, template, context)


def _labels(kind: str) -> dict[str, str]:
    try:
        return {c.key: c.label for c in importer_for(kind).columns}
    except DomainError:
        return {}


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    """A blank workbook with the headers of an import kind."""
    try:
        importer = importer_for(kind)
    except DomainError:
        raise NotFound() from None
    writer = XlsxWriter(importer.template_headers(), title=importer.label)
    rules = importer.template_rules(request.user)
    if rules:  # dropdowns of the values the import reads (on a hidden sheet 选项)
        writer.add_rules([c.key for c in importer.columns], rules)
    if importer.example:  # on a sheet of its own: the first sheet, the one imported, stays blank
        writer.add_sheet(_("填写示例"), importer.template_headers(), [importer.template_example()])
    buffer = io.BytesIO()
    writer.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
