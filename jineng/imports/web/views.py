"""The upload page (kind, mode, file), the import's page with progress (HTMX polling) and row errors, and blank
templates with the expected headers."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jineng.accounts.api import get_visible, principal_for, visible
from jineng.common.errors import DomainError, NotFound
from jineng.imports.framework import importer_for, importers
from jineng.imports.models import ImportJob, ImportMode
from jineng.imports.report import XlsxWriter
from jineng.imports.services import import_create, import_status


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("导入内容"))
    mode = forms.ChoiceField(label=gettext_lazy("模式"), choices=ImportMode.choices, initial=ImportMode.STRICT)
    region = forms.CharField(label=gettext_lazy("归属地区（6位代码，可空）"), required=False, max_length=6)
    target = forms.CharField(label=gettext_lazy("培训班编号（导入花名册、考勤时填写）"), required=False, max_length=64)
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [(k, i.label) for k, i in sorted(importers().items())]  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    initial = {k: request.GET[k] for k in ("kind", "target") if request.GET.get(k)}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            record = import_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                source=upload_file,
                filename=upload_file.name,
                mode=form.cleaned_data["mode"],
                region_code=form.cleaned_data["region"] or None,
                options=_options(form.cleaned_data["kind"], form.cleaned_data.get("target") or ""),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("文件已上传，正在检查。"))
            return redirect("imports:detail", import_id=record.pk)
    recent = list(visible(ImportJob, request.user, "jobs.view").select_related("job").order_by("-created_at")[:20])
    labels = {kind: importer.label for kind, importer in importers().items()}
    for r in recent:
        r.kind_label = _(labels[r.kind]) if r.kind in labels else _("其他")  # type: ignore[attr-defined]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "recent": recent, "kinds": sorted(importers().items()), "can_import": _can_import(request)},
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
    context = {"record": record, "status": import_status(record), "labels": _labels(record.kind)}
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
    buffer = io.BytesIO()
    writer.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
