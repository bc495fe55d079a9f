"""Date inputs carry ISO values whatever the locale: the browser's date input rejects "2026/12/07"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from jineng.providers.web import forms


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_catalog_listing_forms_default_date_is_iso(language):
    with translation.override(language):
        form = forms.CatalogListingForm(initial={"valid_from": dt.date(2026, 12, 7)})
        html = str(form["valid_from"])
    assert 'value="2026-12-07"' in html and 'type="date"' in html
