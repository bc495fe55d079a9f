"""Every rule scored against the synthetic province's ground truth — the five patterns the cohort plan injects, the
ones planted after the load (``synthetic.plant``) and the repeated subsidies it wrote: precision and recall both 1
on this province —, and a second scan finds the same cases (idempotent)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from jineng.synthetic import plan as plan_module
from jineng.synthetic.runner import seed_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    monkeypatch.setattr(plan_module, "DOUBLE_RATE", 0.01)
    monkeypatch.setattr(plan_module, "FAR_RATE", 0.01)
    path = tmp_path / "truth.jsonl"
    seed_province(scale="tiny", seed=9, persons=1500, anomalies=True, ground_truth=path, progress=False)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_rule_is_scored_against_the_ground_truth_and_a_rescan_adds_nothing(province, make_user, client):
    from jineng.rules.supervision import INJECTED, RULES
    from jineng.supervision.models import Case, ScanStatus
    from jineng.supervision.services import scan_create, scan_run
    from jineng.synthetic.plant import PLANTED
    from jineng.synthetic.scoring import score

    official = make_user("province_official", region="440000")
    scan = scan_run(scan_create(actor=official))
    assert scan.status == ScanStatus.DONE
    scores = {s.rule: s for s in score(province)}
    table = {s.rule: (s.found, s.expected, s.hits) for s in scores.values()}  # shown when an assertion fails
    # every rule a scan runs has a ground truth (the complaint's cases are opened by the complaints desk)
    assert set(scores) == set(RULES) - {"complaint"}
    for rule in INJECTED:  # injected by the cohort plan: each found exactly
        assert scores[rule].expected, f"the generator injected no {rule}"
        assert (rule, scores[rule].precision, scores[rule].recall) == (rule, 1.0, 1.0), table
    for rule in PLANTED:  # planted after the load (the tiny province has no city with two large providers, nor a
        # class of ten trainees: no pass-rate outlier nor batch signing can be planted there, and none is found)
        if rule not in ("pass_rate_outlier", "batch_signing"):
            assert scores[rule].expected, (rule, table)
        assert (rule, scores[rule].precision, scores[rule].recall) == (rule, 1.0, 1.0), table
    assert scores["double_subsidy"].recall == 1.0 and scores["double_subsidy"].precision == 1.0
    before = set(Case.objects.values_list("fingerprint", flat=True))
    again = scan_run(scan_create(actor=official))
    assert set(Case.objects.values_list("fingerprint", flat=True)) == before
    assert sum(v["new"] for v in again.found.values()) == 0

    # An inspector confirms a ghost case: the claims behind it are held (止付) through subsidies' API, left out of
    # what a payment batch may take; dismissing another case holds nothing.
    from jineng.subsidies.api import Claim, claims_on_hold
    from jineng.subsidies.selectors import awaiting_payment
    from jineng.supervision.services import case_transition

    inspector = make_user("inspector", region="440000")
    claimed = set(map(str, Claim.objects.exclude(enrollment=None).values_list("enrollment_id", flat=True)))
    ghost = next(c for c in Case.objects.filter(rule="ghost_trainee")
                 if any(e["kind"] == "enrollment" and e["id"] in claimed for e in c.evidence))  # fmt: skip
    case_transition(actor=inspector, case=ghost, to="investigating")
    ghost = case_transition(actor=inspector, case=ghost, to="confirmed", reason="核实为退休人员", hold_claims=True)
    behind = {str(pk) for pk in Claim.objects.filter(enrollment_id__in=[e["id"] for e in ghost.evidence
                                                                         if e["kind"] == "enrollment"],
                                                      status__in=["submitted", "accepted", "first_passed",
                                                                  "publicity", "approved", "payment_failed"])
              .values_list("pk", flat=True)}  # fmt: skip
    assert ghost.claims_held == len(behind)
    assert claims_on_hold(behind) == behind
    assert not awaiting_payment(Claim.objects.filter(pk__in=behind)).exists()
    # The case page lists the claims it holds (number, status, link), not just a count.
    from django.urls import reverse

    from jineng.subsidies.api import claims_hold

    live = Claim.objects.filter(status__in=["submitted", "accepted", "first_passed", "approved"]).order_by("number")
    extra = live.exclude(pk__in=behind).first()
    assert extra is not None
    claims_hold(actor=inspector, claim_ids=[extra.pk], ref=f"supervision.case:{ghost.pk}", reason="测试")
    held = behind | {str(extra.pk)}
    Case.objects.filter(pk=ghost.pk).update(claims_held=len(held))
    ghost.refresh_from_db()
    client.force_login(inspector)
    page = client.get(reverse("supervision:case", args=[ghost.pk])).content.decode()
    for claim in Claim.objects.filter(pk__in=held):
        assert claim.number in page and reverse("subsidies:claim", args=[claim.pk]) in page
        assert claim.get_status_display() in page
    assert "止付中" in page
    closed = case_transition(actor=inspector, case=ghost, to="closed", reason="已追回补贴")
    assert closed.claims_held == 0 and claims_on_hold(held) == set()
    page = client.get(reverse("supervision:case", args=[ghost.pk])).content.decode()
    assert "已解除止付" in page and "止付中" not in page


def test_the_other_rules_fire_exactly_on_the_records_made_to_break_them(make_user):
    """Rules the generator does not inject: a clean province gives none; records altered to break each rule give
    exactly one case each, about those records."""
    import datetime as dt

    from django.db.models import Count

    from jineng.refdata.api import setting_set
    from jineng.subsidies.api import Claim
    from jineng.supervision.models import Case
    from jineng.supervision.services import scan_create, scan_run
    from jineng.training.api import AttendanceEvent, Enrollment

    seed_province(scale="tiny", seed=4, persons=1200, progress=False)
    official = make_user("province_official", region="440000")
    rules = [
        "completion_too_fast",
        "batch_signing",
        "device_many_trainees",
        "claim_low_attendance",
        "double_booking",
        "ghost_trainee",
        "far_attendance",
        "shared_phone",
        "shared_bank_account",
    ]
    scan_run(scan_create(actor=official, rules=rules))
    assert not Case.objects.exists()

    fast = Enrollment.objects.filter(credited_hours__gt=0).order_by("pk").first()
    Enrollment.objects.filter(pk=fast.pk).update(credited_hours=10_000)
    klass = (AttendanceEvent.objects.values("training_class_id").annotate(n=Count("person_id", distinct=True))
             .order_by("-n", "training_class_id").first()["training_class_id"])  # fmt: skip
    batch = list(AttendanceEvent.objects.filter(training_class_id=klass, kind="in")
                 .order_by("person_id", "occurred_at").values_list("pk", "person_id"))  # fmt: skip
    first_of = {}
    for pk, person in batch:
        first_of.setdefault(person, pk)
    signed = list(first_of.values())[:5]
    setting_set(actor=official, key="supervision.batch_checkin_min_trainees", region_code="440000", value=5,
                valid_from=dt.date(2000, 1, 1), reason="测试")  # fmt: skip
    at = AttendanceEvent.objects.get(pk=signed[0]).occurred_at
    AttendanceEvent.objects.filter(pk__in=signed).update(occurred_at=at)
    orgs = list(AttendanceEvent.objects.order_by("organization_id").values_list("organization_id", flat=True)
                .distinct()[:2])  # fmt: skip
    assert len(set(orgs)) == 2
    phone_events = []
    for org in orgs:
        persons = list(AttendanceEvent.objects.filter(organization_id=org, kind="in").order_by("person_id")
                       .values_list("person_id", flat=True).distinct()[:3])  # fmt: skip
        phone_events += [AttendanceEvent.objects.filter(person_id=p, organization_id=org, kind="in").first().pk
                         for p in persons]  # fmt: skip
    AttendanceEvent.objects.filter(pk__in=phone_events).update(device_id="PHONE-AGENT-1")
    claim = Claim.objects.exclude(enrollment=None).filter(status__in=["approved", "paid", "submitted"]).first()
    Enrollment.objects.filter(pk=claim.enrollment_id).update(attendance_rate_bp=1000)

    scan_run(scan_create(actor=official, rules=rules))
    by_rule: dict[str, list[Any]] = defaultdict(list)
    for c in Case.objects.all():
        by_rule[c.rule].append(c)
    assert sorted(by_rule) == ["batch_signing", "claim_low_attendance", "completion_too_fast", "device_many_trainees"]
    assert all(len(v) == 1 for v in by_rule.values())
    ids = {rule: {e["id"] for e in cases[0].evidence} for rule, cases in by_rule.items()}
    assert str(fast.pk) in ids["completion_too_fast"]
    assert {str(pk) for pk in signed} == {e["id"] for e in by_rule["batch_signing"][0].evidence
                                          if e["kind"] == "attendance"}  # fmt: skip
    assert {str(pk) for pk in phone_events} == {e["id"] for e in by_rule["device_many_trainees"][0].evidence
                                                if e["kind"] == "attendance"}  # fmt: skip
    assert str(claim.pk) in ids["claim_low_attendance"]


def test_a_teacher_in_two_places_counts_only_classes_that_take_place(make_user):
    """A draft (or refused, or withdrawn) class's planned sessions put its teacher nowhere: the same teacher on an
    overlapping session of a held class is a case only once the other class is held too."""
    import datetime as dt

    from django.utils import timezone

    from jineng.registry.api import Person
    from jineng.supervision.models import Case
    from jineng.supervision.services import scan_create, scan_run
    from jineng.training.api import ClassSession, ClassStatus, TrainingClass

    seed_province(scale="tiny", seed=5, persons=600, progress=False)
    official = make_user("province_official", region="440000")
    first = ClassSession.objects.order_by("pk").first()
    second = ClassSession.objects.exclude(training_class_id=first.training_class_id).order_by("pk").first()
    teacher = Person.objects.order_by("pk").first()
    at = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)
    ClassSession.objects.filter(pk__in=[first.pk, second.pk]).update(
        teacher_person=teacher, starts_at=at, ends_at=at + dt.timedelta(hours=3), cancelled_at=None
    )
    TrainingClass.objects.filter(pk=first.training_class_id).update(status=ClassStatus.COMPLETED)
    TrainingClass.objects.filter(pk=second.training_class_id).update(status=ClassStatus.DRAFT)

    def cases_of_teacher() -> list[Any]:
        return [c for c in Case.objects.filter(rule="teacher_two_places")
                if any(e["kind"] == "person" and e["id"] == str(teacher.pk) for e in c.evidence)]  # fmt: skip

    scan_run(scan_create(actor=official, rules=["teacher_two_places"]))
    assert cases_of_teacher() == []

    TrainingClass.objects.filter(pk=second.training_class_id).update(status=ClassStatus.RUNNING)
    scan_run(scan_create(actor=official, rules=["teacher_two_places"]))
    cases = cases_of_teacher()
    assert len(cases) == 1
    classes = {e["id"] for e in cases[0].evidence if e["kind"] == "class"}
    assert classes == {str(first.training_class_id), str(second.training_class_id)}


def test_an_incremental_double_booking_scan_finds_only_the_persons_whose_overlapping_bookings_changed(province):
    import datetime as dt

    from django.utils import timezone

    from jineng.supervision.detectors import Context, double_booking
    from jineng.synthetic.scoring import truth_keys
    from jineng.training.models import Enrollment

    truth = truth_keys(province)["double_booking"]
    full = {frozenset(map(str, h.keys)) for h in double_booking(Context(province="440000"))}
    assert full == truth  # the full scan: every injected pair
    later = timezone.now() + dt.timedelta(seconds=1)
    assert list(double_booking(Context(province="440000", since=later))) == []  # nothing changed since
    pair = sorted(next(iter(truth)))
    Enrollment.objects.filter(pk=pair[0]).update(updated_at=later + dt.timedelta(seconds=1))
    found = {frozenset(map(str, h.keys)) for h in double_booking(Context(province="440000", since=later))}
    assert found == {frozenset(pair)}
