"""Template helpers of the shell: sprite icons, a grant's scope in words, number detection for home cards."""

from __future__ import annotations

import re
from numbers import Number
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jineng.refdata.settings_registry import SPECS

register = template.Library()

# Navigation entries name an icon; older entries used an emoji, which renders as a box where no emoji font is
# installed (most office desktops), so the known ones map to the sprite in static/web/icons.svg.
ICON_ALIASES = {
    "⌂": "home",
    "⚙": "gear",
    "⏱": "clock",
    "🛡": "shield",
    "👥": "users",
    "👤": "user",
    "📋": "list",
    "📄": "file",
    "📁": "folder",
    "🗂": "folder",
    "🏫": "building",
    "🏢": "building",
    "📊": "chart",
    "📈": "chart",
    "💰": "money",
    "¥": "money",
    "🎓": "award",
    "📜": "file",
    "🪪": "id",
    "⇪": "upload",
    "📖": "book",
    "📚": "book",
    "🔍": "search",
    "✅": "check",
    "☑": "check",
    "⬆": "upload",
    "📤": "upload",
    "📍": "map",
    "🗺": "map",
    "📅": "calendar",
    "🗓": "calendar",
    "🔑": "key",
    "🔔": "bell",
    "🏆": "trophy",
    "🥇": "trophy",
    "🏷": "tag",
    "📘": "bookmark",
}
ICONS = frozenset(ICON_ALIASES.values()) | {"dot"}
_NAME = re.compile(r"^[a-z][a-z-]*$")


def icon_name(value: str) -> str:
    value = (value or "").strip().replace("\ufe0f", "")  # drop the emoji presentation selector
    if value in ICON_ALIASES:
        return ICON_ALIASES[value]
    if _NAME.match(value) and value in ICONS:
        return value
    return "dot"


@register.simple_tag
def icon(name: str, css: str = "jn-icon") -> SafeString:
    """{% icon "gear" %} → an inline SVG that uses the sprite (no inline style: the CSP forbids it)."""
    href = f"{static('web/icons.svg')}#i-{icon_name(name)}"
    return format_html('<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', css, href)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


@register.filter
def grant_scope(grant: Any) -> str:
    """A grant's scope in words: the region with its code, the organization, or the worker's own records."""
    if getattr(grant, "region_id", None):
        return f"{grant.region.name}（{grant.region.code}）"
    if getattr(grant, "organization_id", None):
        return str(grant.organization.name)
    return _("本人记录")


@register.filter
def setting_label(key: str) -> str:
    """A per-region setting's name for its key (the key itself when the registry no longer knows it)."""
    spec = SPECS.get(key)
    return spec.shown_label() if spec else key


@register.filter
def setting_shown(value: Any, key: str) -> str:
    """A setting's value in the unit people read (money in 元: 329 分 → 3.29)."""
    spec = SPECS.get(key)
    return spec.shown(value) if spec else str(value)


@register.filter
def setting_unit(key: str) -> str:
    spec = SPECS.get(key)
    return spec.shown_unit if spec else ""


@register.simple_tag
def field_widget(field: Any) -> SafeString:
    """{% field_widget form.x %}: the widget with Bootstrap's invalid state and its error linked for screen readers."""
    attrs = dict(field.field.widget.attrs)
    if field.errors:
        attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return SafeString(field.as_widget(attrs=attrs))


def _trim(number: float) -> str:
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def plan_amount(value: Any, unit: Any = "") -> str:
    """A plan figure in the plan's own units: 7000000 人次 → "700万人次", 176000 → "17.6万", 70 个 → "70个";
    ``None`` → "—". Whole 万 or 亿 only from 10,000 up, to at most two decimals (beyond that the exact number)."""
    if value is None or value == "":
        return "—"
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    unit = str(unit or "")
    for size, word in ((100_000_000, "亿"), (10_000, "万")):
        if abs(n) >= size and (n * 100) % size == 0:
            return f"{_trim(n / size)}{word}{unit}"
    return f"{n:,}{unit}"


@register.filter
def audit_action(code: str) -> str:
    from jineng.web.audit_labels import action_label

    return action_label(code)


@register.filter
def trans_text(text: str) -> str:
    """A label kept as plain Chinese where it is defined (jineng/web/catalog_labels.py), in the reader's language."""
    return _(text) if text else ""


@register.filter
def job_kind(kind: str) -> str:
    from jineng.web.job_labels import job_kind_label

    return job_kind_label(kind)


@register.filter
def actor(name: str) -> str:
    """A stored actor name as a reader knows it: the person's display name, or 系统 for the platform itself."""
    from jineng.accounts.api import actor_labels

    return actor_labels([name]).get(name, name)


@register.filter
def audit_object(code: str) -> str:
    from jineng.web.audit_labels import object_label

    return object_label(code)


@register.filter
def cert_number(number: str) -> str:
    """A certificate number printed one way everywhere: 440106-2026-S-0000123-C (as on the certificate's PDF)."""
    from jineng.rules.certificates import display_number

    return display_number(str(number or ""))


def _picker(widget_class: Any, name: str, value: Any, label: str, css: str) -> SafeString:
    from django.utils.html import conditional_escape

    attrs = {"class": css, "aria-label": conditional_escape(label) if label else name}
    return SafeString(widget_class(attrs=attrs).render(name, value or "", attrs={"id": f"id_{name}_picker"}))


@register.simple_tag
def region_picker(name: str, value: Any = "", label: str = "", css: str = "form-control form-control-sm") -> SafeString:
    """{% region_picker "region" filters.region %}: a region search box (name or code) in place of a typed code."""
    from jineng.refdata.widgets import RegionInput

    return _picker(RegionInput, name, value, label or _("地区"), css)


# A region select lists at most this many regions (a province: its cities and counties ≈ 150); a wider scope (the
# whole country) keeps the search box.
REGION_SELECT_MAX = 400


@register.simple_tag(takes_context=True)
def region_select(
    context: Any, name: str, value: Any = "", label: str = "", css: str = "form-select form-select-sm"
) -> SafeString:
    """{% region_select "region" q.region.code %}: the regions of the user's scope by name — each root, its cities,
    their counties, indented — in a ``<select>`` valued by code (issue 15: the indicators box showed 440000). A scope
    too wide for a list (the whole country) falls back to the search box."""
    from django.utils.html import conditional_escape, format_html_join

    from jineng.refdata.api import Region, region_subtree
    from jineng.web.pickers import scope_roots

    request = context.get("request")
    roots = scope_roots(request.user) if request is not None and request.user.is_authenticated else None
    rows = []
    if roots is not None:
        qs = Region.objects.current().filter(code__in=region_subtree(roots)).order_by("code")
        rows = list(qs.values_list("code", "name", "level")[: REGION_SELECT_MAX + 1])
    if not rows or len(rows) > REGION_SELECT_MAX:
        return region_picker(name, value, label, css="form-control form-control-sm")
    value = str(value or "")
    indent = {"province": "", "city": "\u3000", "county": "\u3000\u3000"}
    options = format_html_join(
        "", '<option value="{}"{}>{}{}</option>',
        ((code, " selected" if code == value else "", indent.get(level, "\u3000\u3000"), name_)
         for code, name_, level in rows),
    )  # fmt: skip
    aria = conditional_escape(label or _("地区"))
    return format_html('<select name="{}" id="id_{}_select" class="{}" aria-label="{}" translate="no">{}</select>',
                       name, name, css, aria, options)  # fmt: skip


@register.simple_tag
def occupation_picker(
    name: str, value: Any = "", label: str = "", css: str = "form-control form-control-sm"
) -> SafeString:
    """{% occupation_picker "occupation" filters.occupation %}: an occupation search box (name or code)."""
    from jineng.refdata.widgets import OccupationInput

    return _picker(OccupationInput, name, value, label or _("职业（工种）"), css)
