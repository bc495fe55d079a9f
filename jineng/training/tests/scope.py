"""Scope cases of the training app's URLs, registered into tests/scope_cases.py by ``register_training_cases``.

Each factory makes a record attributed to the given region (the class venue's county; an apprenticeship: the
enterprise's region) directly through the ORM — the scope test makes many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.utils import timezone


def _class(region: str, status: str = "submitted") -> Any:
    from jineng.providers.tests.scope import _org, _program
    from jineng.training.models import ClassSession, TrainingClass

    profile = _org(region)
    program = _program(region)
    today = dt.date.today()
    tc = TrainingClass.objects.create(
        code=f"K{uuid4().hex[:14].upper()}",
        name=f"探针培训班{uuid4().hex[:6]}",
        provider=profile,
        organization_id=profile.organization_id,
        program=program,
        occupation=program.occupation,
        training_kind="employment",
        subsidy_category="A",
        start_date=today,
        end_date=today + dt.timedelta(days=4),
        planned_size=30,
        venue_name="探针场地",
        region_id=region,
        status=status,
        review_due=today,
        submitted_at=timezone.now(),
    )
    start = timezone.now()
    ClassSession.objects.create(training_class=tc, region_id=region, organization_id=tc.organization_id,
                                starts_at=start, ends_at=start + dt.timedelta(hours=3))  # fmt: skip
    return tc


def _enrollment(region: str) -> Any:
    from jineng.registry.models import Person
    from jineng.training.models import Enrollment

    tc = _class(region, "running")
    person = Person.objects.create(name=f"探针学员{uuid4().hex[:4]}")
    return Enrollment.objects.create(
        training_class=tc, person=person, region_id=region, organization_id=tc.organization_id, source="api",
        enrolled_on=dt.date.today(), person_name=person.name, id_number_masked="4401**********1234",
    )  # fmt: skip


def _attendance(region: str) -> Any:
    from jineng.training.models import AttendanceEvent

    e = _enrollment(region)
    return AttendanceEvent.objects.create(
        enrollment=e, training_class=e.training_class, person_id=e.person_id, region_id=region,
        organization_id=e.organization_id, kind="in", occurred_at=timezone.now(), received_at=timezone.now(),
        method="face", device_id=f"dev-{uuid4().hex[:8]}", event_id=uuid4().hex,
    )  # fmt: skip


def _certificate(region: str) -> Any:
    from jineng.training.models import CompletionCertificate

    e = _enrollment(region)
    today = dt.date.today()
    return CompletionCertificate.objects.create(
        serial=f"PX{uuid4().hex[:16].upper()}", enrollment=e, person_id=e.person_id, region_id=region,
        organization_id=e.organization_id, person_name=e.person_name, id_number_masked=e.id_number_masked,
        program_name="探针项目", start_date=today, end_date=today, provider_name="探针机构", credited_hours=20,
        issued_on=today,
    )  # fmt: skip


def _outcome(region: str) -> Any:
    from jineng.training.models import EmploymentOutcome

    e = _enrollment(region)
    return EmploymentOutcome.objects.create(
        enrollment=e, person_id=e.person_id, region_id=region, organization_id=e.organization_id,
        status="employed", employer_name="探针公司", started_on=dt.date.today(), source="provider",
    )  # fmt: skip


def _apprenticeship(region: str) -> Any:
    from jineng.providers.tests.scope import _occupation, _org
    from jineng.refdata.models import SkillLevel
    from jineng.training.models import Apprenticeship

    enterprise = _org(region)
    school = _org(region)
    today = dt.date.today()
    return Apprenticeship.objects.create(
        code=f"XT{uuid4().hex[:14].upper()}", enterprise=enterprise, enterprise_org_id=enterprise.organization_id,
        school=school, school_org_id=school.organization_id, region_id=region, occupation=_occupation(),
        level=SkillLevel.objects.order_by("code").first(), start_date=today,
        end_date=today + dt.timedelta(days=400), hours_per_year=600, concentrated_hours_per_year=160,
    )  # fmt: skip


def _apprentice(region: str) -> Any:
    from jineng.providers.models import PoolRole
    from jineng.registry.models import Person
    from jineng.training.models import Apprentice

    plan = _apprenticeship(region)
    person = Person.objects.create(name=f"探针学徒{uuid4().hex[:4]}")
    mentor_person = Person.objects.create(name="探针导师")
    mentor = PoolRole.objects.create(person=mentor_person, role="teacher", region_id=region,
                                     valid_from=dt.date.today())  # fmt: skip
    return Apprentice.objects.create(
        apprenticeship=plan, person=person, region_id=region, organization_id=plan.enterprise_org_id,
        enterprise_mentor=mentor, enterprise_mentor_person=mentor_person, school_mentor=mentor,
        school_mentor_person=mentor_person, joined_on=dt.date.today(),
    )  # fmt: skip


def _project(region: str) -> Any:
    from jineng.providers.tests.scope import _org
    from jineng.training.models import TrainingProject

    org = _org(region).organization
    return TrainingProject.objects.create(
        code=f"XM{uuid4().hex[:14].upper()}", name="探针项目", region_id=region, organization=org,
        contract_number="探针", budget_fen=100000, price_per_trainee_fen=1000, target_trainees=10,
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
    )  # fmt: skip


WRITE = "write; permission and scope checked by the service (require/get_visible), tested in jineng/training/tests"


def register_training_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    api = "/api/v1"
    big = "?page_size=500"
    code: Callable[[Any], str] = lambda o: o.code  # noqa: E731
    view = "records.view"
    for name, make, url, kind, permission, marker in [
        ("api:class_list", _class, lambda o: f"{api}/classes{big}", "list", view, code),
        ("api:class_detail", _class, lambda o: f"{api}/classes/{o.pk}", "detail", view, None),
        ("api:class_review_queue", _class, lambda o: f"{api}/class-review-queue{big}", "list", "records.review",
         code),
        ("api:class_sessions", _class, lambda o: f"{api}/classes/{o.pk}/sessions", "detail", view, None),
        ("api:class_enrollments", _class, lambda o: f"{api}/classes/{o.pk}/enrollments", "detail", view, None),
        ("api:enrollment_list", _enrollment, lambda o: f"{api}/enrollments{big}", "list", view, None),
        ("api:enrollment_detail", _enrollment, lambda o: f"{api}/enrollments/{o.pk}", "detail", view, None),
        ("api:attendance_list", _attendance, lambda o: f"{api}/attendance{big}", "list", view, None),
        ("api:completion_certificate_list", _certificate, lambda o: f"{api}/completion-certificates{big}", "list",
         view, lambda o: o.serial),
        ("api:completion_certificate_detail", _certificate, lambda o: f"{api}/completion-certificates/{o.pk}",
         "detail", view, None),
        ("api:employment_outcome_list", _outcome, lambda o: f"{api}/employment-outcomes{big}", "list", view, None),
        ("api:apprenticeship_list", _apprenticeship, lambda o: f"{api}/apprenticeships{big}", "list", view, code),
        ("api:apprenticeship_detail", _apprenticeship, lambda o: f"{api}/apprenticeships/{o.pk}", "detail", view,
         None),
        ("api:apprentice_list", _apprentice, lambda o: f"{api}/apprentices{big}", "list", view, None),
        ("api:project_list", _project, lambda o: f"{api}/training-projects{big}", "list", view, code),
        ("api:project_detail", _project, lambda o: f"{api}/training-projects/{o.pk}", "detail", view, None),
        ("training:projects", _project, lambda o: "/training/projects/", "list", view, code),
        ("training:project", _project, lambda o: f"/training/projects/{o.pk}/", "detail", view, None),
        ("training:classes", _class, lambda o: "/training/classes/", "list", view, code),
        ("training:class_detail", _class, lambda o: f"/training/classes/{o.pk}/", "detail", view, None),
        ("training:enrollments", _enrollment, lambda o: "/training/enrollments/", "list", view,
         lambda o: o.training_class.code),
        ("training:class_attendance", _class, lambda o: f"/training/classes/{o.pk}/attendance/", "detail", view,
         None),
        ("training:review_queue", _class, lambda o: "/training/review/", "list", "records.review", code),
        ("training:apprenticeships", _apprenticeship, lambda o: "/training/apprenticeships/", "list", view, code),
        ("training:apprenticeship_detail", _apprenticeship, lambda o: f"/training/apprenticeships/{o.pk}/", "detail",
         view, None),
    ]:  # fmt: skip
        if marker is None:
            register(name, case(kind, make, url, permission))
        else:
            register(name, case(kind, make, url, permission, marker))
    for name in (
        "api:class_create_view",
        "api:class_update_view",
        "api:class_submit_view",
        "api:class_review_view",
        "api:class_start_view",
        "api:class_cancel_view",
        "api:class_complete_view",
        "api:enrollments_create",
        "api:enrollment_dropout",
        "api:enrollment_postponement",
        "api:enrollment_transfer",
        "api:attendance_batch",
        "api:employment_outcome_create",
        "api:apprenticeship_create_view",
        "api:apprentice_create",
        "api:apprentice_progress_view",
        "api:apprentice_evaluation",
        "api:apprentice_termination",
        "api:project_create_view",
        "api:project_class_view",
        "api:project_settle_view",
        "training:project_action",
        "training:project_new",
        "training:class_submit",
        "training:class_review",
        "training:class_start",
        "training:class_cancel",
        "training:class_complete",
        "training:class_evidence",
        "training:enrollment_dropout",
        "training:enrollment_postpone",
        "training:enrollment_transfer",
        "training:apprentice_add",
        "training:apprentice_progress",
        "training:apprentice_evaluate",
    ):
        register(name, exempt(WRITE))
    own_class = (
        "a page of the class's own provider staff (org.edit on its organization); the class is fetched "
        "through the visible() selector first, tested in jineng/training/tests/test_roster_form_and_roll_call.py"
    )
    register("training:apprentice_terminate", exempt(
        "the 中途终止 page of one apprentice: the plan and the apprentice are fetched through visible() first (404 "
        "out of scope), the enterprise's side or an official only (403); tested in "
        "jineng/training/tests/test_apprenticeship_pages.py"))  # fmt: skip
    register("training:roll_call", exempt(own_class))
    register("training:enrollment_new", exempt(own_class))
    register("training:class_new", exempt("the application form of a provider's staff; lists no regional records"))
    register("training:apprenticeship_new",
             exempt("the plan form of an enterprise's staff or an official; lists no regional records"))  # fmt: skip
    register("training:find", exempt(
        "找培训: the public list of upcoming classes (status submitted/approved, no person); the worker's own requests "
        "by person = the signed-in user's; tested in jineng/subsidies/tests/test_worker_join.py"))  # fmt: skip
    register("training:join", exempt(
        "one upcoming class (public) and the signed-in worker's own request form; tested in "
        "jineng/subsidies/tests/test_worker_join.py"))  # fmt: skip
    register("training:join_requests", exempt(
        "the requests to the classes of the user's organizations, through visible(org.view); another provider's "
        "staff see none (tested in jineng/subsidies/tests/test_worker_join.py)"))  # fmt: skip
    register("training:join_withdraw", exempt(WRITE))
    register("training:join_decide", exempt(WRITE))
    register("training:mine", exempt("the worker's own enrollments (person = the signed-in user's), tested in tests"))
    register("employment:outcomes", exempt(
        "public 就业情况: counts per county, no person; counties below PUBLIC_MIN_CELL finished trainees show no "
        "figures; tested in jineng/training/tests/test_projects.py"
    ))  # fmt: skip
