"""The archive timeline's dates stay on one line on a phone (walk of issue 15: at 390 px a long entry title, as
English titles are, squeezed its date to "2026-12-" over "08"). Seen in Chromium at 390×844 on the demo."""

from __future__ import annotations

import re

import pytest

from jineng.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_each_archive_date_keeps_its_width_beside_a_long_title(make_user, api):
    person = make_person(name="李明")
    page = api(make_user("county_official", region="440106")).get(f"/persons/{person.pk}/").content.decode()
    dates = re.findall(r'<time class="([^"]*jn-archive-date[^"]*)" datetime="\d{4}-\d{2}-\d{2}">', page)
    assert dates, "the timeline has at least the registration entry"
    for classes in dates:
        assert {"text-nowrap", "flex-shrink-0"} <= set(classes.split())
    assert 'class="text-break"' in page  # the title wraps instead
