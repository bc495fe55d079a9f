"""The award-rule edit page: a new version drafted from the one in force, every bad line named on its row; published
(or returned) by a second holder of ``settings.edit`` from the rules page."""

from __future__ import annotations

import pytest

from jineng.competitions.models import AwardRuleSet, RuleSetStatus

pytestmark = pytest.mark.django_db


def _post(lines, **head):
    data = {"region": "440000", "valid_from": "2026-01-01", "basis": "粤人社规〔2026〕5号", **head,
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "100"}  # fmt: skip
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{i}-{key}"] = value
    return data


def test_a_second_official_publishes_the_draft_made_on_the_page(world, api):
    form = api(world.province).get("/competitions/rules/new/")
    html = form.content.decode()
    assert form.status_code == 200 and "广东省技术能手" in html and "第 1 版为底稿" in html
    bad = api(world.province).post("/competitions/rules/new/", _post([
        {"event_level": "province", "event_class": "class1", "rank_max": "1", "title": "省技术能手"},
        {"event_level": "", "rank_max": ""},  # a blank row is skipped
        {"event_level": "national", "event_class": "", "rank_max": "1", "title": "",
         "prerequisite": "grade1", "grants": "next"},  # past the ladder's top, on the page's third row
    ]))  # fmt: skip
    assert bad.status_code == 422 and "已是等级阶梯最高级" in bad.content.decode()
    assert not AwardRuleSet.objects.filter(status=RuleSetStatus.DRAFT).exists()
    ok = api(world.province).post("/competitions/rules/new/", _post([
        {"event_level": "province", "event_class": "class1", "rank_max": "1", "title": "广东省技术能手",
         "prerequisite": "grade3", "grants": "grade2"},
    ]))  # fmt: skip
    assert ok.status_code == 302
    draft = AwardRuleSet.objects.get(status=RuleSetStatus.DRAFT)
    listing = api(world.province).get("/competitions/rules/").content.decode()
    assert "待审批" in listing and f"rules/{draft.pk}/publish/" not in listing  # not for its proposer
    refused = api(world.province).post(f"/competitions/rules/{draft.pk}/publish/", follow=True)
    assert "拟订奖励规则的人不能发布" in refused.content.decode()
    assert f"rules/{draft.pk}/publish/" in api(world.province2).get("/competitions/rules/").content.decode()
    assert api(world.province2).post(f"/competitions/rules/{draft.pk}/publish/").status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.approved_by_id) == (RuleSetStatus.PUBLISHED, 2, world.province2.pk)


def test_returning_needs_a_reason_and_only_settings_holders_propose(world, api):
    api(world.province).post("/competitions/rules/new/", _post([
        {"event_level": "city", "event_class": "", "rank_max": "3", "title": "广州市技术能手"},
    ]))  # fmt: skip
    draft = AwardRuleSet.objects.get(status=RuleSetStatus.DRAFT)
    no_reason = api(world.province2).post(f"/competitions/rules/{draft.pk}/return/", {"rej-reason": ""}, follow=True)
    assert "请填写原因" in no_reason.content.decode()
    api(world.province2).post(f"/competitions/rules/{draft.pk}/return/", {"rej-reason": "名次设置过宽"})
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.DISCARDED and draft.return_reason == "名次设置过宽"
    assert api(world.staff).get("/competitions/rules/new/").status_code == 403
