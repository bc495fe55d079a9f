"""Who may enroll comes from the versioned, per-region 职业培训补贴 policies: a new version that admits another group
changes who may enroll from its effective date only, in its region and the regions below it; a class that carries no
subsidy admits anyone."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jineng.training.services import rosters
from jineng.training.tests.conftest import KEY_GROUPS, publish_training_policy

pytestmark = pytest.mark.django_db

EFFECTIVE = dt.date(2026, 3, 1)


@pytest.fixture
def fisher_admitted_from_march(world):
    """The province's first version (the world's) admits the 重点群体; from 2026-03-01 a new one adds 退捕渔民."""
    return publish_training_policy("440000", KEY_GROUPS | {"retired_fisher"}, valid_from=EFFECTIVE)


@pytest.fixture
def approved_class(make_class):
    return make_class("approved")


def _check(tc, row, today):
    accepted, refused = rosters.roster_check(training_class=tc, rows=[row], today=today)
    return accepted, [r.code for r in refused]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-800, max_value=800))
def test_a_new_version_changes_who_may_enroll_from_its_effective_date_only(
    fisher_admitted_from_march, approved_class, trainee, offset
):
    tc = approved_class  # the check writes nothing: one class serves every example
    today = EFFECTIVE + dt.timedelta(days=offset)
    accepted, refused = _check(tc, trainee("渔民甲", groups=["retired_fisher"]), today)
    if today >= EFFECTIVE:
        assert refused == [] and accepted[0].eligibility["matched"] == ["retired_fisher"]
        assert accepted[0].eligibility["policy_version"] == str(fisher_admitted_from_march.pk)
    else:
        assert accepted == [] and refused == ["ineligible_groups"]
    # A person of a group both versions admit may enroll on either side of the date.
    accepted, refused = _check(tc, trainee("失业乙", groups=["unemployed"]), today)
    assert refused == [] and len(accepted) == 1


def test_the_refusal_names_the_groups_the_version_in_force_admits(fisher_admitted_from_march, make_class, trainee):
    tc = make_class("approved")
    refused = rosters.roster_check(training_class=tc, rows=[trainee(groups=["veteran"], name="退役丙")],
                                   today=EFFECTIVE)[1]  # fmt: skip
    assert refused == []  # a veteran is a key group: admitted
    refused = rosters.roster_check(training_class=tc, rows=[trainee(groups=["high_quality_farmer"], name="农民丁")],
                                   today=EFFECTIVE)[1]  # fmt: skip
    assert [r.code for r in refused] == ["ineligible_groups"] and "退捕渔民" in refused[0].message


def test_a_county_version_rules_its_county_and_a_version_naming_no_groups_admits_anyone(world, make_class, trainee):
    tc = make_class("approved")  # in 440106
    row = trainee("职工戊", groups=["enterprise_employee"])
    assert _check(tc, row, EFFECTIVE)[1] == ["ineligible_groups"]
    publish_training_policy("440106", None, valid_from=EFFECTIVE)  # 天河: every worker (有培训需求的劳动者)
    assert _check(tc, row, EFFECTIVE)[1] == []
    assert _check(tc, row, EFFECTIVE - dt.timedelta(days=1))[1] == ["ineligible_groups"]


def test_a_class_without_subsidy_admits_anyone(world, make_class, trainee):
    unsubsidized = make_class("approved", subsidy_category="none")
    assert _check(unsubsidized, trainee("职工己", groups=["enterprise_employee"]), EFFECTIVE)[1] == []
