"""The provider's catalogue blocks as a reader meets them (walk of issue 15): levels named in the page's language
(「四级/中级工」 stayed Chinese on English pages), and the listing history scrolls in its own box on a phone (the
provider page was 452–652 px wide at 390 px)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from jineng.refdata.models import SkillLevel

pytestmark = pytest.mark.django_db


def test_scope_rows_name_the_level_in_the_readers_language():
    row = SimpleNamespace(occupation=None, level=SkillLevel.objects.get(code="grade4"), get_training_kind_display="—")
    with translation.override("en"):
        html = render_to_string("providers/_scope_table.html", {"rows": [row]})
    assert "Level 4 / Intermediate worker" in html and "中级工" not in html
    with translation.override("zh-hans"):
        assert "四级/中级工" in render_to_string("providers/_scope_table.html", {"rows": [row]})


def test_the_listing_history_table_scrolls_inside_its_own_box():
    html = render_to_string("providers/_history.html", {"events": [], "public": False}).strip()
    assert html.startswith('<div class="table-responsive"><table') and html.endswith("</table></div>")


def test_the_apprenticeship_level_choices_read_in_english():
    """/training/apprenticeships/ offered 学徒工, 特级技师, 首席技师 in its level filter on English pages."""
    from jineng.training.web.apprenticeship_views import _levels

    with translation.override("en"):
        labels = [label for _code, label in _levels()]
    assert labels and not [x for x in labels if any("\u4e00" <= ch <= "\u9fff" for ch in x)], labels
