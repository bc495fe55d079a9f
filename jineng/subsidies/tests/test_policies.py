"""Policy versions: the closed catalogue enforced on drafts, publishing closes the previous version, the version in
force for a region and date is found up the region tree, and the demo policies parse with their citations."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jineng.common.errors import DomainError
from jineng.subsidies.demo_policies import DEMO_POLICIES
from jineng.subsidies.models import PolicyVersion
from jineng.subsidies.services.policies import policy_draft_create, policy_for, policy_publish
from jineng.subsidies.tests.conftest import WORK_POLICY

pytestmark = pytest.mark.django_db
D = dt.date


NEXT_YEAR = D(2027, 1, 1)


def draft(actor, region="440000", valid_from=NEXT_YEAR, rules=None, **kw):
    return policy_draft_create(actor=actor, region_code=region, subsidy_type="work_for_training", title="以工代训",
                               valid_from=valid_from, rules=rules or WORK_POLICY, **kw)  # fmt: skip


def test_publishing_closes_the_open_version_and_lookup_follows_dates_and_regions(world):
    old = PolicyVersion.objects.get(region_id="440000", subsidy_type="work_for_training")
    new = policy_publish(actor=world.province, version=draft(world.province, valid_from=D(2027, 1, 1)))
    old.refresh_from_db()
    assert old.valid_to == D(2026, 12, 31) and new.version_no == old.version_no + 1
    assert policy_for("work_for_training", "440104", D(2026, 6, 1)) == old
    assert policy_for("work_for_training", "440104", D(2027, 6, 1)) == new
    city = policy_publish(actor=world.city, version=draft(world.city, region="440100", valid_from=D(2026, 1, 1)))
    assert policy_for("work_for_training", "440104", D(2026, 6, 1)) == city  # the nearest region wins
    assert policy_for("work_for_training", "440303", D(2026, 6, 1)) == old  # 深圳 is not under 广州
    with pytest.raises(DomainError) as err:
        policy_for("work_for_training", "110101", D(2026, 6, 1))
    assert err.value.code == "no_policy"


def test_an_overlapping_version_is_refused(world):
    v = draft(world.province, valid_from=D(1999, 1, 1))  # starts before the published 2000 version
    with pytest.raises(DomainError) as err:
        policy_publish(actor=world.province, version=v)
    assert err.value.code == "policy_overlap"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["eligibility"].append({"kind": "eval", "expr": "__import__('os')"}), "rules.eligibility[2]"),
        (lambda d: d["amount"]["rows"][0].update(amount_fen=-1), "rules.amount.rows[0].amount_fen"),
        (lambda d: d.update(subsidy_type="training"), "rules.subsidy_type"),
    ],
)
def test_rules_outside_the_catalogue_are_refused(world, mutate, field):
    doc = json.loads(json.dumps(WORK_POLICY))
    mutate(doc)
    with pytest.raises(DomainError) as err:
        draft(world.province, rules=doc)
    assert err.value.fields[0].field == field


def test_only_officials_with_settings_edit_of_the_region(world):
    for actor in (world.county, world.finance, world.hr):
        with pytest.raises(DomainError) as err:
            draft(actor)
        assert err.value.status == 403
    with pytest.raises(DomainError):
        draft(world.city)  # 广州 may not set 广东's policy
    published = PolicyVersion.objects.get(region_id="440000", subsidy_type="work_for_training")
    from jineng.subsidies.services.policies import policy_draft_update

    with pytest.raises(DomainError) as err:
        policy_draft_update(actor=world.province, version=published, changes={"title": "改"})
    assert err.value.code == "policy_not_draft"


def test_policy_api_draft_edit_publish(world, api, openapi):
    client = api(world.province)
    body = {"region": "440000", "subsidy_type": "work_for_training", "title": "以工代训（2027）",
            "valid_from": "2027-01-01", "rules": WORK_POLICY, "citation": "测试文件"}  # fmt: skip
    created = client.post("/api/v1/subsidy-policies", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    pid = openapi.validate(created)["id"]
    patched = client.patch(f"/api/v1/subsidy-policies/{pid}", json.dumps({"title": "以工代训（2027修订）"}),
                           content_type="application/json")  # fmt: skip
    assert patched.json()["title"] == "以工代训（2027修订）"
    published = client.post(f"/api/v1/subsidy-policies/{pid}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    listed = api(world.county).get("/api/v1/subsidy-policies?status=published&page_size=100").json()
    assert pid in {i["id"] for i in listed["items"]}  # a county official sees the province's published versions


def test_demo_policies_load_with_citations(db):
    from jineng.subsidies.demo import load_policies

    assert load_policies() == len(DEMO_POLICIES)
    assert load_policies() == 0  # idempotent
    assert all(v.citation and v.status == "published" for v in PolicyVersion.objects.all())
    gd = policy_for("skill_upgrade", "440106", D(2024, 5, 1))
    assert gd.valid_to == D(2025, 12, 31) and "粤人社" in gd.citation
    assert policy_for("ui_skill_upgrade", "440106", D(2024, 5, 1)).region_id == "000000"
    assert policy_for("ui_skill_upgrade", "440902", D(2023, 5, 1)).region_id == "440900"  # 茂名's own version
    assert policy_for("training", "220102", D(2021, 3, 1)).region_id == "220000"  # 吉林
    continued = policy_for("skill_upgrade", "440106", D(2026, 5, 1))
    assert "演示假定" in continued.note
