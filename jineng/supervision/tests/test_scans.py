"""A scan that fails half-way leaves no half-written case, and running it again resumes with the rules not done."""

from __future__ import annotations

import pytest

from jineng.supervision import services
from jineng.supervision.detectors import Hit

pytestmark = pytest.mark.django_db


def test_a_failing_rule_writes_none_of_its_cases_and_the_scan_resumes(make_user, monkeypatch):
    from jineng.supervision.models import Case, ScanStatus

    def hits(ctx):
        yield Hit(
            "ghost_trainee", ["e1"], "440106", "退休人员参加培训", [{"kind": "enrollment", "id": "e1", "label": ""}]
        )
        yield Hit(
            "ghost_trainee", ["e2"], "440106", "退休人员参加培训", [{"kind": "enrollment", "id": "e2", "label": ""}]
        )

    def broken(ctx):
        yield from hits(ctx)
        raise RuntimeError("database went away")

    monkeypatch.setitem(services.DETECTORS, "ghost_trainee", broken)
    scan = services.scan_create(actor=make_user("province_official", region="440000"),
                                rules=["shared_phone", "ghost_trainee"])  # fmt: skip
    with pytest.raises(RuntimeError):
        services.scan_run(scan)
    scan.refresh_from_db()
    assert scan.status == ScanStatus.FAILED and scan.rules_done == ["shared_phone"]
    assert not Case.objects.exists()

    monkeypatch.setitem(services.DETECTORS, "ghost_trainee", hits)
    scan = services.scan_run(scan)
    assert scan.status == ScanStatus.DONE and scan.rules_done == ["shared_phone", "ghost_trainee"]
    assert sorted(c.evidence[0]["id"] for c in Case.objects.all()) == ["e1", "e2"]


def test_a_decision_needs_the_inspect_permission_over_the_region_and_a_reason(make_user):
    from jineng.common.errors import InvalidState, PermissionDenied, ValidationFailed
    from jineng.supervision.models import Case, CaseStep

    case = Case.objects.create(number="XS1", rule="shared_phone", fingerprint="a" * 64, severity="high",
                               region_id="440106", summary="s", evidence=[])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=make_user("county_official", region="440106"), case=case, to="investigating")
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=make_user("inspector", region="440300"), case=case, to="investigating")
    inspector = make_user("inspector", region="440100")
    with pytest.raises(InvalidState):
        services.case_transition(actor=inspector, case=case, to="confirmed", reason="跳过核查")
    case = services.case_transition(actor=inspector, case=case, to="investigating")
    with pytest.raises(ValidationFailed):
        services.case_transition(actor=inspector, case=case, to="dismissed", reason="  ")
    case = services.case_transition(actor=inspector, case=case, to="dismissed", reason="家庭成员共用手机号")
    assert case.status == "dismissed" and case.assignee == inspector
    assert list(CaseStep.objects.filter(case=case).values_list("to_status", flat=True)) == ["investigating",
                                                                                          "dismissed"]  # fmt: skip
