"""Evaluation: filings, sessions, examiners, candidates, results, pass rules, closing and issuing — and every
refusal with its reason, with nothing changed on a refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jineng.certificates import services
from jineng.certificates.models import Candidate, Certificate, ExamSession, SessionExaminer
from jineng.certificates.tests.conftest import PROGRAMMER, WELDER, make_examiner, make_person
from jineng.common.errors import DomainError
from jineng.common.models import AuditEntry
from jineng.rules.certificates import is_platform_number

pytestmark = pytest.mark.django_db


def _result(session, candidate, booking, theory=None, practical=None, **kw):
    return services.result_record(
        actor=kw.pop("actor", None) or session._staff,
        session=session,
        data=services.ResultData(
            candidate_id=candidate.pk,
            examiner_id=booking.pk if booking else None,
            theory_score=theory,
            practical_score=practical,
            **kw,
        ),
    )


@pytest.fixture
def session(world, make_session):
    s = make_session()
    s._staff = world.staff
    return s


# ---- filings ------------------------------------------------------------------------------------------------------


def test_a_filing_needs_an_official_over_the_organizations_region(world, make_org):
    other = make_org(region="440300", kind="evaluator")
    with pytest.raises(DomainError) as exc:
        services.filing_create(actor=world.city, organization=other, route="social", occupation_code=PROGRAMMER,
                               level_code="grade4", valid_from=dt.date(2024, 1, 1))  # fmt: skip
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        services.filing_create(actor=world.staff, organization=world.org, route="social", occupation_code=WELDER,
                               level_code="grade4", valid_from=dt.date(2024, 1, 1))  # fmt: skip
    assert exc.value.status == 403


@pytest.mark.parametrize(
    ("kind", "route", "level", "code"),
    [
        ("enterprise", "social", "grade4", "route_not_allowed"),
        ("evaluator", "nonsense", "grade4", "bad_route"),
        ("evaluator", "special", "grade4", "level_not_applicable"),
        ("evaluator", "social", "special_technician", "level_not_evaluated"),
        ("evaluator", "social", "grade9", "unknown_level"),
    ],
)
def test_a_filing_is_refused_with_a_reason(world, make_org, kind, route, level, code):
    org = make_org(region="440106", kind=kind)
    with pytest.raises(DomainError) as exc:
        services.filing_create(actor=world.city, organization=org, route=route, occupation_code=PROGRAMMER,
                               level_code=level, valid_from=dt.date(2024, 1, 1))  # fmt: skip
    assert code in {exc.value.code} | {f.code for f in exc.value.fields}


def test_an_enterprise_files_its_own_evaluation_and_a_duplicate_is_refused(world, make_org):
    enterprise = make_org(region="440106", kind="enterprise")
    services.filing_create(actor=world.city, organization=enterprise, route="employer", occupation_code=WELDER,
                           level_code="grade3", valid_from=dt.date(2024, 1, 1))  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.filing_create(actor=world.city, organization=enterprise, route="employer", occupation_code=WELDER,
                               level_code="grade3", valid_from=dt.date(2024, 1, 1))  # fmt: skip
    assert exc.value.code == "filing_exists"


# ---- sessions -----------------------------------------------------------------------------------------------------


def test_a_session_outside_the_filing_is_refused(world, make_session):
    with pytest.raises(DomainError) as exc:
        make_session(level="grade3")
    assert exc.value.code == "outside_filing" and exc.value.status == 409
    with pytest.raises(DomainError) as exc:
        make_session(occupation=WELDER)
    assert exc.value.code == "outside_filing"
    assert not ExamSession.objects.exists()


def test_a_revoked_or_expired_filing_stops_new_sessions(world, make_session):
    services.filing_revoke(actor=world.city, filing=world.filing, reason="评价质量问题，撤销备案")
    with pytest.raises(DomainError) as exc:
        make_session()
    assert exc.value.code == "outside_filing"


def test_an_exam_shorter_than_the_regions_minimum_is_refused(world, make_session):
    from jineng.refdata.api import setting_set

    with pytest.raises(DomainError) as exc:
        make_session(duration=30)
    assert exc.value.code == "exam_too_short"
    assert "60 分钟" in exc.value.fields[0].message
    setting_set(actor=world.province, key="exam.min_duration_minutes", region_code="440000", value=120,
                valid_from=dt.date(2020, 1, 1), reason="省级统一考试时长")  # fmt: skip
    with pytest.raises(DomainError) as exc:
        make_session(duration=90)
    assert "120 分钟" in exc.value.fields[0].message
    assert make_session(duration=120).duration_minutes == 120


def test_only_the_organizations_staff_schedule_its_sessions(world, make_session, make_user, make_org):
    other_staff = make_user("evaluator", organization=make_org(region="440100", kind="evaluator"))
    for actor in (world.city, other_staff):
        with pytest.raises(DomainError) as exc:
            make_session(actor=actor)
        assert exc.value.status == 403
    session = make_session()
    assert session.venue_region_id == "440106" and session.route == "social"
    assert session.certificate_kind_id == "skill_level"
    assert AuditEntry.objects.filter(action="exam.session_create", region_code="440106").exists()


# ---- examiners ----------------------------------------------------------------------------------------------------


def test_an_examiner_in_another_district_the_same_day_is_refused(world, make_session):
    morning = make_session(venue="440106")
    afternoon_elsewhere = make_session(venue="440104")
    same_district = make_session(venue="440106")
    services.examiner_add(actor=world.staff, session=morning, pool_role_id=world.examiner.pk)
    with pytest.raises(DomainError) as exc:
        services.examiner_add(actor=world.staff, session=afternoon_elsewhere, pool_role_id=world.examiner.pk)
    assert exc.value.code == "examiner_other_district_same_day" and exc.value.status == 409
    assert morning.code in exc.value.message and "天河区" in exc.value.message
    assert not SessionExaminer.objects.filter(session=afternoon_elsewhere).exists()
    # The same district the same day is fine, and another day elsewhere too.
    services.examiner_add(actor=world.staff, session=same_district, pool_role_id=world.examiner.pk)
    next_week = make_session(venue="440104", starts_at=timezone.now() + dt.timedelta(days=7))
    services.examiner_add(actor=world.staff, session=next_week, pool_role_id=world.examiner.pk)


def test_an_examiner_must_be_an_active_examiner_of_the_pool_serving_the_venue(world, session, make_org):
    from jineng.providers.models import PoolRole

    teacher = PoolRole.objects.create(person=make_person(name="教师甲"), role="teacher", region_id="440100",
                                      valid_from=dt.date(2020, 1, 1))  # fmt: skip
    shenzhen = make_examiner(region="440300", name="深圳考评")
    retired = make_examiner(name="已出库")
    PoolRole.objects.filter(pk=retired.pk).update(status="suspended")
    bound = make_examiner(name="他机构", organization=make_org(region="440100", kind="evaluator"))
    for role, code in [
        (teacher, "not_an_examiner"),
        (shenzhen, "examiner_outside_region"),
        (retired, "examiner_not_available"),
        (bound, "examiner_other_organization"),
    ]:
        with pytest.raises(DomainError) as exc:
            services.examiner_add(actor=world.staff, session=session, pool_role_id=role.pk)
        assert exc.value.code == code
    assert not session.examiners.exists()


# ---- candidates and results ---------------------------------------------------------------------------------


def test_a_result_for_a_candidate_not_in_the_session_is_refused(world, session, make_session):
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    other = make_session()
    stranger = services.candidate_add(actor=world.staff, session=other, person=make_person(name="外场考生"))
    with pytest.raises(DomainError) as exc:
        _result(session, stranger, booking, 80, 80)
    assert exc.value.code == "candidate_not_in_session" and exc.value.status == 422
    assert exc.value.fields[0].field == "candidate_id"
    stranger.refresh_from_db()
    assert stranger.result == "pending" and stranger.theory_score is None


@pytest.mark.parametrize(
    ("theory", "practical", "code"),
    [(101, 80, "score_out_of_range"), (80, -1, "score_out_of_range"), (None, 80, "score_required"),
     (Decimal("80.25"), 80, "score_precision")],
)  # fmt: skip
def test_a_score_out_of_range_is_refused(world, session, theory, practical, code):
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    candidate = services.candidate_add(actor=world.staff, session=session, person=make_person())
    with pytest.raises(DomainError) as exc:
        _result(session, candidate, booking, theory, practical)
    assert exc.value.code == code and exc.value.status == 422
    candidate.refresh_from_db()
    assert candidate.result == "pending"


def test_results_follow_the_pass_rule_table(world, session):
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    a, b, c = (services.candidate_add(actor=world.staff, session=session, person=make_person(name=n)) for n in "甲乙丙")
    assert _result(session, a, booking, 60, 60).result == "passed"
    assert _result(session, b, booking, 59.5, 90).result == "failed"
    # A stricter rule for the occupation and level in 广州 applies to later results.
    services.pass_rule_set(actor=world.province, region_code="440100", valid_from=dt.date(2020, 1, 1),
                           occupation_code=PROGRAMMER, level_code="grade4", practical_pass=70)  # fmt: skip
    assert _result(session, c, booking, 60, 65).result == "failed"
    assert _result(session, a, booking, 60, 70).result == "passed"


def test_a_practical_only_rule_refuses_a_theory_score(world, session):
    services.pass_rule_set(actor=world.province, region_code="440000", valid_from=dt.date(2020, 1, 1),
                           occupation_code=PROGRAMMER, theory_max=0, theory_pass=0)  # fmt: skip
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    candidate = services.candidate_add(actor=world.staff, session=session, person=make_person())
    with pytest.raises(DomainError) as exc:
        _result(session, candidate, booking, 70, 70)
    assert exc.value.code == "part_not_examined"
    assert _result(session, candidate, booking, None, 70).result == "passed"


def test_a_pass_rule_needs_settings_permission_and_sane_marks(world):
    with pytest.raises(DomainError) as exc:
        services.pass_rule_set(actor=world.staff, region_code="440100", valid_from=dt.date(2024, 1, 1))
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        services.pass_rule_set(actor=world.city, region_code="440100", valid_from=dt.date(2024, 1, 1), theory_pass=120)
    assert exc.value.fields[0].code == "bad_pass_mark"


def test_results_need_a_booked_examiner_a_started_session_and_a_registered_terminal(world, make_session):
    later = make_session(starts_at=timezone.now() + dt.timedelta(days=1), terminals=["T-01", "T-02"])
    later._staff = world.staff
    booking = services.examiner_add(actor=world.staff, session=later, pool_role_id=world.examiner.pk)
    candidate = services.candidate_add(actor=world.staff, session=later, person=make_person())
    with pytest.raises(DomainError) as exc:
        _result(later, candidate, booking, 80, 80)
    assert exc.value.code == "session_not_started"
    started = make_session(terminals=["T-01"])
    started._staff = world.staff
    booking = services.examiner_add(actor=world.staff, session=started, pool_role_id=world.examiner2.pk)
    candidate = services.candidate_add(actor=world.staff, session=started, person=make_person())
    with pytest.raises(DomainError) as exc:
        _result(started, candidate, None, 80, 80)
    assert exc.value.code == "examiner_not_in_session"
    with pytest.raises(DomainError) as exc:
        _result(started, candidate, booking, 80, 80, terminal="T-99")
    assert exc.value.code == "terminal_not_registered"
    assert _result(started, candidate, booking, 80, 80, terminal="T-01").terminal == "T-01"


def test_an_examiner_cannot_sit_the_session_they_examine(world, session):
    examiner_person = world.examiner.person
    services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    with pytest.raises(DomainError) as exc:
        services.candidate_add(actor=world.staff, session=session, person=examiner_person)
    assert exc.value.fields[0].code == "candidate_is_examiner"


def test_closing_needs_every_result_and_freezes_the_session(world, session):
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    a = services.candidate_add(actor=world.staff, session=session, person=make_person(name="甲"))
    b = services.candidate_add(actor=world.staff, session=session, person=make_person(name="乙"))
    _result(session, a, booking, 90, 90)
    with pytest.raises(DomainError) as exc:
        services.session_close(actor=world.staff, session=session)
    assert exc.value.code == "results_incomplete"
    _result(session, b, None, absent=True)
    services.session_close(actor=world.staff, session=session)
    with pytest.raises(DomainError) as exc:
        _result(session, b, booking, 90, 90)
    assert exc.value.code == "session_closed"
    with pytest.raises(DomainError) as exc:
        services.candidate_add(actor=world.staff, session=session, person=make_person())
    assert exc.value.code == "session_closed"


def test_issuing_gives_those_who_passed_a_numbered_certificate_once(world, session):
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    people = [make_person(name=n) for n in ("陈一", "陈二", "陈三")]
    candidates = [services.candidate_add(actor=world.staff, session=session, person=p) for p in people]
    _result(session, candidates[0], booking, 88, 92)
    _result(session, candidates[1], booking, 40, 92)
    _result(session, candidates[2], booking, 75, 61)
    with pytest.raises(DomainError) as exc:
        services.certificates_issue(actor=world.staff, session=session)
    assert exc.value.code == "session_not_closed"
    services.session_close(actor=world.staff, session=session)
    issued = services.certificates_issue(actor=world.staff, session=session)
    assert {c.person_id for c in issued} == {people[0].pk, people[2].pk}
    year = timezone.localdate().year
    for c in issued:
        assert is_platform_number(c.number)
        assert c.number.startswith(f"440106{year}S")  # the venue's county, the year, 职业技能等级证书
        assert c.region_id == "440106" and c.issuer_id == world.org.pk
        assert c.holder_name == c.person.name and c.level_id == "grade4"
    assert len({c.number for c in issued}) == 2
    assert services.certificates_issue(actor=world.staff, session=session) == []
    assert Certificate.objects.count() == 2
    assert AuditEntry.objects.filter(action="certificate.issue").count() == 2


def test_the_holders_archive_shows_the_certificate_and_the_exam(passed_certificate):
    from jineng.registry.api import archive_entries

    entries = archive_entries(passed_certificate.person)
    cert_entry = next(e for e in entries if e.kind == "certificate")
    assert passed_certificate.number in cert_entry.extra["number"]
    assert "计算机程序设计员" in cert_entry.detail and "职业技能等级证书" in cert_entry.title
    assert any(e.kind == "evaluation" and "合格" in e.title for e in entries)


def test_a_candidate_is_visible_to_the_venues_officials_through_the_registry(world, session):
    from jineng.accounts.api import visible
    from jineng.registry.api import Person

    person = make_person(region="110101", name="外地考生")  # resides in 北京
    services.candidate_add(actor=world.staff, session=session, person=person)
    assert visible(Person, world.county).filter(pk=person.pk).exists()
    assert not visible(Person, world.yuexiu).filter(pk=person.pk).exists()


def test_supervision_shows_the_pass_rate_and_who_examined_whom(world, session):
    from jineng.certificates.selectors import examiner_matrix, session_stats, supervision_summary

    wang = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    zhao = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner2.pk)
    cands = [services.candidate_add(actor=world.staff, session=session, person=make_person(name=f"考生{n}"))
             for n in "甲乙丙丁"]  # fmt: skip
    _result(session, cands[0], wang, 90, 90)
    _result(session, cands[1], wang, 30, 90)
    _result(session, cands[2], zhao, 70, 70)
    _result(session, cands[3], None, absent=True)
    stats = session_stats(session)
    assert (stats.sat, stats.passed, stats.absent) == (3, 2, 1)
    assert stats.pass_rate == Decimal("66.7")
    matrix = examiner_matrix(session)
    by_examiner = {row["examiner"]: [c["name"] for c in row["candidates"]] for row in matrix["examiners"]}
    assert by_examiner == {"王考评": ["考生甲", "考生乙"], "赵考评": ["考生丙"]}
    assert matrix["without_examiner"] == ["考生丁"]
    rows = supervision_summary(world.county)
    assert rows == [{"organization": world.org.name, "sessions": 1, "sat": 3, "passed": 2, "certificates": 0,
                     "pass_rate": Decimal("66.7")}]  # fmt: skip
    assert supervision_summary(world.yuexiu) == []


def test_nothing_changes_when_staff_of_another_organization_records_a_result(world, session, make_user, make_org):
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    candidate = services.candidate_add(actor=world.staff, session=session, person=make_person())
    intruder = make_user("evaluator", organization=make_org(region="440100", kind="evaluator"))
    for actor in (intruder, world.city):
        with pytest.raises(DomainError) as exc:
            _result(session, candidate, booking, 90, 90, actor=actor)
        assert exc.value.status == 403
    assert Candidate.objects.get(pk=candidate.pk).result == "pending"


# ---- candidates from a completed class, and the conflict of interest ----------------------------------------------


def test_a_completed_classs_trainees_become_candidates_once(world, session):
    from jineng.certificates.tests.conftest import make_completed_class
    from jineng.providers.models import PoolRole

    teacher = PoolRole.objects.create(person=make_person(name="授课老师"), role="teacher", region_id="440106",
                                      valid_from=dt.date(2020, 1, 1))  # fmt: skip
    trainees = [make_person(name=n) for n in ("学员甲", "学员乙")]
    klass = make_completed_class(teacher, trainees)
    added = services.candidates_add_from_class(actor=world.staff, session=session, training_class_id=klass.pk)
    assert {c.person_id for c in added} == {p.pk for p in trainees}
    assert all(c.source == "class" and c.training_class_id == klass.pk and c.enrollment_id for c in added)
    assert services.candidates_add_from_class(actor=world.staff, session=session, training_class_id=klass.pk) == []
    # The number printed on the class's pages finds it too (the walk: evaluators type the class number, not a UUID).
    assert services.candidates_add_from_class(actor=world.staff, session=session,
                                              training_class_id=f" {klass.code.lower()} ") == []  # fmt: skip
    running = make_completed_class(teacher, [make_person(name="在训学员")], status="running")
    with pytest.raises(DomainError) as exc:
        services.candidates_add_from_class(actor=world.staff, session=session, training_class_id=running.pk)
    assert exc.value.fields[0].code == "class_not_completed"
    welders = make_completed_class(teacher, [make_person(name="焊工学员")], occupation=WELDER)
    with pytest.raises(DomainError) as exc:
        services.candidates_add_from_class(actor=world.staff, session=session, training_class_id=welders.pk)
    assert exc.value.fields[0].code == "class_occupation_mismatch"


def test_an_examiner_examining_their_own_trainees_is_refused(world, session):
    from jineng.certificates.tests.conftest import make_completed_class
    from jineng.providers.models import PoolRole

    # 王考评 is also a teacher of the pool and taught the class.
    as_teacher = PoolRole.objects.create(person=world.examiner.person, role="teacher", region_id="440106",
                                         valid_from=dt.date(2020, 1, 1))  # fmt: skip
    own_trainee, other_trainee = make_person(name="亲授学员"), make_person(name="个人报名")
    klass = make_completed_class(as_teacher, [own_trainee])
    (from_class,) = services.candidates_add_from_class(actor=world.staff, session=session, training_class_id=klass.pk)
    applicant = services.candidate_add(actor=world.staff, session=session, person=other_trainee)
    wang = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    zhao = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner2.pk)
    with pytest.raises(DomainError) as exc:
        _result(session, from_class, wang, 90, 90)
    assert exc.value.code == "examiner_taught_candidate" and exc.value.status == 409
    assert "回避" in exc.value.message
    assert Candidate.objects.get(pk=from_class.pk).result == "pending"
    # The same trainee applying on their own is still their trainee.
    second = make_session_for(world, session)
    second_candidate = services.candidate_add(actor=world.staff, session=second, person=own_trainee)
    booking = services.examiner_add(actor=world.staff, session=second, pool_role_id=world.examiner.pk)
    with pytest.raises(DomainError) as exc:
        _result(second, second_candidate, booking, 90, 90)
    assert exc.value.code == "examiner_taught_candidate"
    # Another examiner may examine them, and 王考评 may examine someone he never taught.
    assert _result(session, from_class, zhao, 90, 90).result == "passed"
    assert _result(session, applicant, wang, 90, 90).result == "passed"


def make_session_for(world, like):
    s = services.session_create(
        actor=world.staff, organization=world.org,
        data=services.SessionData(occupation_code=PROGRAMMER, level_code="grade4", venue_region="440106",
                                  venue_address="广州市天河区另一考点", starts_at=like.starts_at, duration_minutes=90,
                                  terminals=[]),
    )  # fmt: skip
    # Held already: past its roster deadline, reopened by the province (the deadline is in test_roster_deadline.py).
    s = services.session_roster_reopen(actor=world.province, session=s, reason="测试场次：补报考生名册")
    s._staff = world.staff
    return s


def test_the_archive_page_links_the_certificate_pdf_and_the_link_serves_it(world, passed_certificate, client):
    client.force_login(world.county)
    page = client.get(f"/persons/{passed_certificate.person.pk}/")
    assert page.status_code == 200
    link = f"/api/v1/certificates/{passed_certificate.number}/pdf"
    assert link in page.content.decode()
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# ---- cancelling a session -----------------------------------------------------------------------------------------


def test_a_cancelled_session_releases_its_examiner_for_another_district_and_keeps_its_candidates(world, make_session):
    morning = make_session(venue="440106")
    elsewhere = make_session(venue="440104")
    services.examiner_add(actor=world.staff, session=morning, pool_role_id=world.examiner.pk)
    person = make_person(name="王五")
    services.candidate_add(actor=world.staff, session=morning, person=person)
    with pytest.raises(DomainError) as exc:
        services.session_cancel(actor=world.staff, session=morning, reason=" ")
    assert exc.value.code == "reason_required"
    assert ExamSession.objects.get(pk=morning.pk).status == "scheduled"

    services.session_cancel(actor=world.staff, session=morning, reason="考点停电，改期")
    morning.refresh_from_db()
    assert morning.status == "cancelled"
    assert not SessionExaminer.objects.filter(session=morning, released_at__isnull=True).exists()
    assert Candidate.objects.filter(session=morning, person=person).exists()
    entry = AuditEntry.objects.get(action="exam.session_cancel")
    assert entry.reason == "考点停电，改期" and entry.after["examiners_released"] == 1
    # The examiner may now serve in another district the same day; the cancelled session takes nothing more.
    services.examiner_add(actor=world.staff, session=elsewhere, pool_role_id=world.examiner.pk)
    with pytest.raises(DomainError) as exc:
        services.candidate_add(actor=world.staff, session=morning, person=make_person(name="赵六"))
    assert exc.value.code == "session_cancelled"
    with pytest.raises(DomainError) as exc:
        services.session_cancel(actor=world.staff, session=morning, reason="再次取消")
    assert exc.value.code == "session_cancelled"


def test_a_session_with_a_recorded_result_cannot_be_cancelled_and_others_cannot_cancel(world, make_session, api):
    session = make_session()
    booking = services.examiner_add(actor=world.staff, session=session, pool_role_id=world.examiner.pk)
    candidate = services.candidate_add(actor=world.staff, session=session, person=make_person(name="钱七"))
    response = api(world.county).post(
        f"/api/v1/exam-sessions/{session.pk}/cancel", {"reason": "不是本机构"}, content_type="application/json"
    )
    assert response.status_code in (403, 404)
    services.result_record(
        actor=world.staff,
        session=session,
        data=services.ResultData(candidate_id=candidate.pk, examiner_id=booking.pk, absent=True),
    )
    response = api(world.staff).post(
        f"/api/v1/exam-sessions/{session.pk}/cancel", {"reason": "改期"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "session_has_results"
    assert ExamSession.objects.get(pk=session.pk).status == "scheduled"


def test_staff_cancel_a_session_from_its_page(world, make_session, client):
    session = make_session()
    client.force_login(world.staff)
    page = client.get(f"/evaluation/sessions/{session.pk}/")
    assert "取消场次" in page.content.decode()
    response = client.post(f"/evaluation/sessions/{session.pk}/cancel/", {"reason": "考生不足，合并场次"}, follow=True)
    assert "场次已取消" in response.content.decode()
    assert ExamSession.objects.get(pk=session.pk).status == "cancelled"
