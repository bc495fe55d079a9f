"""The dashboard's tables scroll inside their own box on a phone (walk of issue 15: under English the yearly table's
「Time elapsed」 column made /indicators/ 417 px wide on a 390 px screen)."""

from __future__ import annotations

import re

from django.template.loader import get_template


def test_every_dashboard_table_sits_in_a_scrolling_box():
    source = get_template("indicators/dashboard.html").template.source
    tables = re.findall(r"(.{0,40})<table\b", source)
    assert len(tables) >= 3
    assert all(before.endswith('<div class="table-responsive">') for before in tables), tables
