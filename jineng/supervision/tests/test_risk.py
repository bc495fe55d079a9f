"""The organization risk score: each component explained (complaints among them), a ranked list per region for
training providers and for evaluation organizations, an evaluation organization's pass rate tested against its
city's others, and the block an organization's page shows — to officials in scope only."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _case(org: Any, rule: str = "ghost_trainee", status: str = "new", severity: str = "high", **extra: Any) -> Any:
    from uuid import uuid4

    from jineng.supervision.models import Case

    return Case.objects.create(number=f"XST{uuid4().hex[:10]}", rule=rule, fingerprint=uuid4().hex + uuid4().hex,
                               severity=severity, region_id=org.region_id, provider=org, summary="测试线索",
                               status=status, evidence=[{"kind": "organization", "id": str(org.pk), "label": ""}],
                               **extra)  # fmt: skip


def _components(risk: Any) -> dict[str, Any]:
    return {c.code: c for c in risk.risk.components}


def test_complaint_cases_count_in_their_own_component_until_found_untrue(make_user, make_org):
    from jineng.supervision.api import case_open_from_complaint
    from jineng.supervision.selectors import provider_risk
    from jineng.supervision.services import case_transition

    official = make_user("city_official", region="440100")
    inspector = make_user("inspector", region="440100")
    org = make_org("440106")
    first = case_open_from_complaint(actor=official, complaint_id="c-1", region_code="440106", summary="虚假培训",
                                     organization=org, severity="high")  # fmt: skip
    case_open_from_complaint(actor=official, complaint_id="c-2", region_code="440106", summary="冒领补贴",
                             organization=org, severity="high")  # fmt: skip
    parts = _components(provider_risk(official, org.pk))
    assert set(parts) == {"confirmed", "open", "complaints", "outlier", "dismissed_share"}
    assert parts["complaints"].value == 2 and parts["complaints"].points == pytest.approx(10 * 2 / 3)
    assert parts["open"].value == 0  # an unchecked complaint counts once: in its own component
    assert provider_risk(official, org.pk).risk.score == pytest.approx(6.7)

    case_transition(actor=inspector, case=first, to="investigating")
    case_transition(actor=inspector, case=first, to="dismissed", reason="投诉所述与事实不符")
    parts = _components(provider_risk(official, org.pk))
    assert parts["complaints"].value == 1  # found untrue: no longer a complaint against it
    assert parts["dismissed_share"].value == 0.0 and parts["confirmed"].value == 0


def test_providers_and_evaluators_are_ranked_apart_within_the_readers_region(make_user, make_org, client):
    from django.urls import reverse

    from jineng.supervision.selectors import provider_risks

    province = make_user("province_official", region="440000")
    guangzhou = make_user("city_official", region="440100")
    shenzhen = make_user("city_official", region="440300")
    risky = make_org("440106", name="天河高风险培训学校")
    calm = make_org("440106", name="天河平稳培训学校")
    evaluator = make_org("440106", kind="evaluator", name="天河评价中心")
    sz = make_org("440304", name="福田培训学校")
    for _ in range(3):
        _case(risky, status="confirmed")
    _case(calm, severity="low")
    _case(evaluator, rule="complaint", severity="medium")
    _case(sz)

    ranked = provider_risks(guangzhou, kind="provider")
    assert [p.provider_name for p in ranked] == ["天河高风险培训学校", "天河平稳培训学校"]
    assert ranked[0].risk.score > ranked[1].risk.score
    assert [p.provider_name for p in provider_risks(guangzhou, kind="evaluator")] == ["天河评价中心"]
    assert provider_risks(shenzhen, kind="evaluator") == []
    assert {p.provider_name for p in provider_risks(province, kind="provider", region="440300")} == {"福田培训学校"}

    client.force_login(guangzhou)
    body = client.get("/api/v1/supervision/risks?kind=evaluator").json()
    assert [i["name"] for i in body["items"]] == ["天河评价中心"] and body["items"][0]["kind"] == "evaluator"
    assert {c["code"] for c in body["items"][0]["components"]} >= {"complaints", "outlier"}
    assert client.get("/api/v1/supervision/risks?kind=bogus").status_code == 422
    assert client.get(f"/api/v1/supervision/providers/{evaluator.pk}/risk").json()["kind"] == "evaluator"
    page = client.get(reverse("supervision:risk") + "?kind=evaluator").content.decode()
    assert "天河评价中心" in page and "天河高风险培训学校" not in page
    page = client.get(reverse("supervision:risk") + "?region=440300").content.decode()  # outside the picker
    assert "天河高风险培训学校" in page and "福田培训学校" not in page
    client.force_login(shenzhen)
    assert client.get("/api/v1/supervision/risks?kind=evaluator").json()["items"] == []


def test_an_evaluation_organization_passing_far_more_than_its_citys_others_is_a_case(make_user):
    from jineng.certificates.models import Candidate
    from jineng.certificates.tests.scope import _session
    from jineng.registry.models import Person
    from jineng.supervision.models import Case
    from jineng.supervision.selectors import provider_risks
    from jineng.supervision.services import scan_create, scan_run

    official = make_user("province_official", region="440000")
    sessions = [_session(region) for region in ("440106", "440104", "440105")]
    for n, (session, passed) in enumerate(zip(sessions, (40, 20, 20), strict=True)):
        for i in range(40):
            person = Person.objects.create(
                name="考生" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅卯"[i // 10] + "一二三"[n]
            )
            Candidate.objects.create(session=session, person=person, source="application",
                                     result="passed" if i < passed else "failed")  # fmt: skip
    scan_run(scan_create(actor=official, rules=["pass_rate_outlier"]))
    cases = list(Case.objects.filter(rule="pass_rate_outlier"))
    assert [c.provider_id for c in cases] == [sessions[0].organization_id]  # the high side only: not the two at 50 %
    assert cases[0].facts["kind"] == "evaluator" and cases[0].facts["z"] >= 3.29
    ranked = provider_risks(official, kind="evaluator")
    assert ranked[0].provider_id == sessions[0].organization_id
    assert _components(ranked[0])["outlier"].points > 0


def test_an_organizations_page_block_shows_its_risk_and_cases_to_officials_in_scope_only(make_user, make_org):
    from jineng.supervision.api import organization_panel_html

    org = make_org("440106", name="天河示例培训学校")
    case = _case(org)
    inspector = make_user("inspector", region="440100")
    html = organization_panel_html(inspector, org.pk)
    assert case.number in html and "风险分" in html and "投诉举报立案线索" in html
    assert organization_panel_html(make_user("city_official", region="440300"), org.pk) == ""
    assert organization_panel_html(make_user("provider_staff", organization=org), org.pk) == ""  # not about itself
    assert organization_panel_html(inspector, "not-an-id") == ""


def test_the_provider_page_shows_the_supervision_block_to_an_inspector_in_scope_not_to_its_staff(
    client, make_user, make_org
):
    from jineng.providers.models import OrganizationProfile

    org = make_org("440106", name="天河页面培训学校")
    profile = OrganizationProfile.objects.create(organization=org)
    case = _case(org)
    client.force_login(make_user("inspector", region="440100"))
    page = client.get(f"/providers/{profile.pk}/").content.decode()
    assert 'id="supervision-panel"' in page and case.number in page
    client.force_login(make_user("provider_staff", organization=org))
    page = client.get(f"/providers/{profile.pk}/")
    assert page.status_code == 200 and b"supervision-panel" not in page.content
