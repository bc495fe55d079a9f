"""Labels follow the locale: the workbench, the sidebar groups and the claim checks read in English under English."""

from __future__ import annotations

import pytest
from django.utils import translation

from jineng.subsidies.labels import check_label, step_label

pytestmark = pytest.mark.django_db


def test_claim_check_and_step_labels_are_translated():
    with translation.override("en"):
        assert check_label("annual_cap") == "Yearly limit" and step_label("first_review") == "First review"
    with translation.override("zh-hans"):
        assert check_label("annual_cap") == "年度享受次数上限" and step_label("first_review") == "初审"


def test_the_sidebar_groups_and_the_workbench_read_in_english(client, make_user):
    client.force_login(make_user("county_official", region="440106"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert (
        "Registration" in html and "Supervision" in html and "To-dos" in html and "Nothing is waiting for you." in html
    )


def test_settings_and_fund_sources_read_in_english():
    from jineng.refdata.settings_registry import SPECS
    from jineng.subsidies.catalog import FundSource
    from jineng.web.templatetags.jineng_ui import trans_text

    with translation.override("en"):
        assert str(FundSource.EMPLOYMENT_FUND.label) == "Employment subsidy fund"
        assert trans_text(SPECS["attendance.min_rate_percent"].label) == "Minimum attendance rate to complete"
        assert trans_text("工作日") == "working days"
    with translation.override("zh-hans"):
        assert str(FundSource.EMPLOYMENT_FUND.label) == "就业补助资金"


def test_every_setting_name_and_unit_reads_in_english():
    import re

    from jineng.refdata.settings_registry import SPECS
    from jineng.web.templatetags.jineng_ui import trans_text

    han = re.compile(r"[\u4e00-\u9fff]")
    with translation.override("en"):
        untranslated = sorted(
            {text for s in SPECS.values() for text in (s.label, s.unit) if text and han.search(trans_text(text))}
        )
    assert untranslated == []


def test_the_indicator_status_badges_read_in_english():
    from jineng.rules.indicators import SIGNAL_LABELS
    from jineng.web.templatetags.jineng_ui import trans_text

    with translation.override("en"):
        assert [trans_text(label) for label in SIGNAL_LABELS.values() if "进" in label] == ["On track"]
        assert not any("\u4e00" <= ch <= "\u9fff" for label in SIGNAL_LABELS.values() for ch in trans_text(label))
