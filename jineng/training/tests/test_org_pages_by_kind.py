"""Organization pages and sidebars by organization kind (walk of issue 15): an enterprise's and an evaluator's staff
saw a provider's 办学许可证, 在聘教师 and 入目录申请 on 本机构, and empty 实名制人员库 / 培训班 entries; the
provider's 实名制人员库 was empty although its classes had trainees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jineng.accounts.api import principal_for
from jineng.training.tests.conftest import FILED
from jineng.web.nav import NAV

pytestmark = pytest.mark.django_db

PROVIDER_ONLY = ("办学许可证", "在聘教师", "入目录申请", "申请入目录")


def _nav(user) -> dict[str, str]:
    principal = principal_for(user)
    return {item.url_name: str(item.label) for item in NAV if item.shown_to(principal)}


def _profile(kind: str):
    from jineng.providers.services.organizations import ProfileData, profile_create
    from jineng.subsidies.tests.conftest import credit_code

    name = {"enterprise": "广州智造科技有限公司", "evaluator": "广州市天河区职业技能评价中心"}[kind]
    return profile_create(actor=None, kind=kind, name=name, credit_code=credit_code("440106"), region_code="440106",
                          data=ProfileData(address="广州市天河区某路1号", evaluator_type="social" if kind == "evaluator" else ""),
                          check_permission=False)  # fmt: skip


@pytest.mark.parametrize(("kind", "function"), [("enterprise", "enterprise_hr"), ("evaluator", "evaluator")])
def test_an_enterprise_or_evaluator_sees_no_provider_sections(kind, function, make_user, api):
    profile = _profile(kind)
    user = make_user(function, organization=profile.organization)
    nav = _nav(user)
    assert "registry:person_list" not in nav and "training:enrollments" not in nav and "training:classes" not in nav
    page = api(user).get(reverse("providers:mine"), follow=True).content.decode()
    assert profile.organization.name in page
    for section in PROVIDER_ONLY:
        assert section not in page, section
    assert 'id="jn-org-work"' in page  # its own work instead
    if kind == "enterprise":
        assert reverse("training:apprenticeships") in page


def test_the_providers_registry_entry_lists_its_trainees(world, make_class, api):
    make_class("approved")
    nav = _nav(world.staff)
    assert nav.get("training:enrollments") == "实名制人员库" and "registry:person_list" not in nav
    client = api(world.staff)
    html = client.get(reverse("training:enrollments")).content.decode()
    assert FILED in html
    page = client.get(reverse("providers:mine"), follow=True).content.decode()
    assert "在聘教师" in page and "入目录申请" in page


def test_officials_keep_the_registry(make_user):
    nav = _nav(make_user("county_official", region="440106"))
    assert "registry:person_list" in nav and "training:classes" in nav
