"""Pickers instead of typed codes — shared form widgets (progressive enhancement: each works without JavaScript).
They live in refdata (the data they pick from) so that every app above may use them; the look-ups they call are
the web shell's (``jineng/web/pickers.py``), reached by URL name only.

- ``LevelSelect`` / ``CertificateKindSelect``: a ``<select>`` of the reference data, labelled in words, whose values
  are the codes the forms already validate (so server-side validation is unchanged).
- ``OccupationInput`` / ``RegionInput``: a search box bound to a ``<datalist>``. Typing a name or a code asks
  ``/pickers/occupations`` (reference data, public) or ``/pickers/regions`` (only the regions in the user's scope)
  and lists the matches; choosing one puts its code in the box. Without JavaScript the box still takes the code,
  and the current value is always shown with its name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


class _LazyChoicesSelect(forms.Select):
    """A select whose options are read from the database when rendered (not at import time)."""

    blank_label: Any = ""  # str or a lazy translation

    def options_from_db(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        choices: list[tuple[str, str]] = [("", str(self.blank_label or "—"))]
        known = self.options_from_db()
        choices += known
        if value and str(value) not in {code for code, _label in known}:
            choices.append((str(value), str(value)))  # an unknown posted code stays visible (the form says why)
        self.choices = choices
        return super().get_context(name, value, attrs)


class LevelSelect(_LazyChoicesSelect):
    """技能等级: 五级/初级工 … 一级/高级技师 (values: the level codes, grade5 … grade1)."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, blank_label: Any = "") -> None:
        super().__init__(attrs)
        self.blank_label = blank_label

    def options_from_db(self) -> list[tuple[str, str]]:
        from jineng.refdata.models import SkillLevel

        return [(lv.code, lv.display) for lv in SkillLevel.objects.order_by("rank")]


class CertificateKindSelect(_LazyChoicesSelect):
    """证书类别 (values: the certificate-kind codes)."""

    def options_from_db(self) -> list[tuple[str, str]]:
        from jineng.refdata.models import CertificateKind

        return [(k.code, k.display) for k in CertificateKind.objects.order_by("rank", "code")]


class _SearchInput(forms.TextInput):
    picker = ""
    url_name = ""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"autocomplete": "off", "spellcheck": "false"}
        base.update(attrs or {})
        super().__init__(base)

    def current_label(self, value: str) -> str:
        raise NotImplementedError

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_options"
        attrs.update({
            "list": list_id, "data-jn-picker": self.picker, "data-jn-picker-url": reverse(self.url_name),
            "placeholder": attrs.get("placeholder") or self.placeholder(),
        })  # fmt: skip
        box = super().render(name, value, attrs, renderer)
        label = self.current_label(str(value)) if value else ""
        options = format_html('<option value="{}">{}</option>', value, label) if label else ""
        shown = format_html('<div class="form-text jn-picker-current" data-jn-picker-current>{}</div>', label)
        return format_html('{}<datalist id="{}">{}</datalist>{}', box, list_id, options, shown)

    def placeholder(self) -> str:
        return ""


class OccupationInput(_SearchInput):
    """职业（工种）: search by name or code (4-04-05-01)."""

    picker = "occupation"
    url_name = "web:picker_occupations"

    def placeholder(self) -> str:
        return _("输入职业名称或代码查找")

    def current_label(self, value: str) -> str:
        from jineng.refdata.models import CURRENT_OCCUPATION_EDITION, Occupation

        o = Occupation.objects.filter(code=value, edition=CURRENT_OCCUPATION_EDITION).only("name").first()
        return f"{value} {o.name}" if o else ""


class RegionInput(_SearchInput):
    """行政区划: search by name or code among the regions the user may act in."""

    picker = "region"
    url_name = "web:picker_regions"

    def placeholder(self) -> str:
        return _("输入地区名称或代码查找")

    def current_label(self, value: str) -> str:
        from jineng.refdata.models import Region

        r = Region.objects.filter(code=value).only("name").first()
        if r is None and value == "000000":  # the nation is the root of scope, not a row of the region tree
            return f"{_('全国')}（{value}）"
        return f"{r.name}（{value}）" if r else ""


class CountySelect(_LazyChoicesSelect):
    """场地所在县（市、区）: a ``<select>`` of the current counties under ``root`` (a city: its counties; a county: the
    counties of its city), each named with its city, valued by its code — for a form whose user acts in one place
    (a provider's venues lie in its own city). A city without counties (东莞 441900) is its own entry."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, root: str = "", blank_label: Any = "") -> None:
        super().__init__(attrs)
        self.root = root
        self.blank_label = blank_label

    def options_from_db(self) -> list[tuple[str, str]]:
        return county_choices(self.root)


class RegionSelect(_LazyChoicesSelect):
    """地区 by name around one region (an organizer's): its province and city, then the counties of its city — a
    ``<select>`` valued by code, for a form whose region lies where its user works (issue 15: a typed code box)."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, around: str = "", blank_label: Any = "") -> None:
        super().__init__(attrs)
        self.around = around
        self.blank_label = blank_label

    def options_from_db(self) -> list[tuple[str, str]]:
        from jineng.refdata.models import Region

        home = Region.objects.filter(code=self.around).select_related("parent__parent").first()
        if home is None:
            return []
        chain: list[Region] = []
        node: Region | None = home
        while node is not None and node.code != "000000":
            chain.append(node)
            node = node.parent
        above = [(r.code, r.name) for r in reversed(chain) if r.level in ("province", "city")]
        counties = county_choices(home.code)
        known = {code for code, _label in above}
        return above + [(code, label) for code, label in counties if code not in known]


def county_choices(root: str) -> list[tuple[str, str]]:
    """(code, "广州市 · 天河区") of the current counties under ``root`` (see ``CountySelect``)."""
    from jineng.refdata.models import Region, RegionClosure

    home = Region.objects.filter(code=root).first()
    if home is None:
        return []
    top = home.parent_id if home.level == "county" and home.parent_id else home.code
    below = RegionClosure.objects.filter(ancestor_id=top).values("descendant_id")
    qs = Region.objects.current().filter(code__in=below).select_related("parent").order_by("code")
    has_children = set(qs.filter(level="city").filter(children__valid_to__isnull=True).values_list("code", flat=True))
    out = []
    for r in qs[:500]:
        if r.level == "county" or (r.level == "city" and r.code not in has_children):
            city = r.parent.name if r.level == "county" and r.parent is not None else ""
            out.append((r.code, f"{city} · {r.name}" if city else r.name))
    return out
