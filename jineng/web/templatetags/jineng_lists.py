"""List page tags: sortable column headers, the hidden sort field of a filter form, the export link.

``{% sort_th "name" _("姓名") %}`` — a header that sorts by ``name`` (a key of the page's ``ListSpec``); a second
click reverses it. It keeps every other query parameter (the filters) and starts again at page 1. The page passes
``sort`` (the validated key) in its context.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _query(request: Any, drop: tuple[str, ...], **extra: str) -> str:
    pairs = [(k, v) for k, values in request.GET.lists() for v in values if k not in drop and k not in extra]
    pairs.extend((k, v) for k, v in extra.items() if v)
    return "?" + urlencode(pairs)


@register.simple_tag(takes_context=True)
def sort_th(context: Any, key: str, label: str, css: str = "") -> SafeString:
    request = context["request"]
    current = str(context.get("sort") or "")
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    target = key if not active or descending else f"-{key}"
    href = _query(request, ("page", "sort", "export"), sort=target)
    if active:
        arrow, aria = ("▼", "descending") if descending else ("▲", "ascending")
    else:
        arrow, aria = "", "none"
    title = _("按%(col)s排序") % {"col": label}
    return format_html(
        '<th class="jn-sortable {}" aria-sort="{}"><a href="{}" title="{}" data-sort="{}">{}'
        '<span class="jn-sort-arrow" aria-hidden="true">{}</span></a></th>',
        css, aria, href, title, target, label, arrow,
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def sort_hidden(context: Any) -> SafeString:
    """The current sort inside a filter form, so filtering keeps the order."""
    sort = context.get("sort") or ""
    return format_html('<input type="hidden" name="sort" value="{}">', sort) if sort else SafeString("")


@register.simple_tag(takes_context=True)
def export_href(context: Any) -> str:
    """This page's rows (same filters and order) as an xlsx."""
    return _query(context["request"], ("page", "export"), export="xlsx")


_TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "text/csv": "CSV",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}


@register.filter
def attachment_kind(code: str) -> str:
    """An attachment kind by its Chinese label (证明材料, 合同 …)."""
    from jineng.common.attachments.services import KINDS

    spec = KINDS.get(code)
    return str(spec.label) if spec else code


@register.filter
def attachment_limits(code: str) -> str:
    """What a kind accepts: its file types and size limit (``PDF、JPG、PNG，不超过 20 MB``)."""
    from jineng.common.attachments.services import KINDS, MB

    spec = KINDS.get(code)
    if spec is None:
        return ""
    types = "、".join(_TYPE_NAMES.get(t, t) for t in spec.content_types)
    return _("%(types)s，不超过 %(mb)s MB") % {"types": types, "mb": spec.max_bytes // MB}
