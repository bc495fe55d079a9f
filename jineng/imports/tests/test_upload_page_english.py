"""The upload page names the import kinds in the reader's language (walk of issue 15: 人员, 培训班花名册, 考勤记录 …
stayed Chinese in the select and the template list on English pages)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_import_kinds_read_in_english(make_user, client):
    client.force_login(make_user("county_official", region="440106"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/imports/").content.decode()
    select = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert options and not [o for o in options if re.search(r"[\u4e00-\u9fff]", o)], options
    templates = re.findall(r'\.xlsx">([^<]*) ', html)
    assert templates and not [t for t in templates if re.search(r"[\u4e00-\u9fff]", t)], templates
