"""The teachers' pool: roles of registry persons, qualifications, affiliations; who may add what; what training
asks (a teacher of the pool affiliated with the provider on the date)."""

from __future__ import annotations

import datetime as dt

import pytest

from jineng.common.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from jineng.providers import api as providers_api
from jineng.providers.errors import TeacherNotAvailable
from jineng.providers.models import PoolRoleStatus
from jineng.providers.people import person_by_document, register_person_resolver
from jineng.providers.services.teachers import (
    QualificationData,
    RoleData,
    affiliation_add,
    affiliation_end,
    pool_role_add,
    pool_role_set_status,
    qualification_add,
)
from jineng.rules.idcard import check_character

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_provider_staff_add_their_own_teachers_and_training_finds_them(listed, person, ref):
    entry = listed()
    teacher = pool_role_add(
        actor=entry.staff,
        person=person("李老师"),
        organization=entry.profile.organization,
        data=RoleData(
            role="teacher",
            region="ignored",
            is_integrated=True,
            teacher_qualification="中职教师资格",
            specialities=["4-04-05-01"],
        ),
    )
    assert teacher.region_id == entry.profile.organization.region_id  # a provider's teacher is in its region's pool
    assert teacher.is_integrated
    with pytest.raises(TeacherNotAvailable) as exc:  # not yet affiliated
        providers_api.teacher_for_provider(teacher.pk, entry.profile, TODAY)
    assert exc.value.code == "teacher_not_affiliated"

    affiliation = affiliation_add(actor=entry.staff, role=teacher, profile=entry.profile, kind="full_time")
    assert providers_api.teacher_for_provider(teacher.pk, entry.profile, TODAY) == teacher
    assert list(providers_api.teachers_of(entry.profile, TODAY)) == [teacher]

    affiliation_end(actor=entry.staff, affiliation=affiliation, valid_to=TODAY)
    with pytest.raises(TeacherNotAvailable):
        providers_api.teacher_for_provider(teacher.pk, entry.profile, TODAY + dt.timedelta(days=1))

    qualification = qualification_add(
        actor=entry.staff,
        role=teacher,
        data=QualificationData(
            kind="certificate", certificate_kind="skill_level", occupation="4-04-05-01", level="grade2", number="S0001"
        ),
    )
    assert qualification.level_id == "grade2" and qualification.occupation == ref.programmer
    with pytest.raises(ValidationFailed) as exc:
        qualification_add(
            actor=entry.staff, role=teacher, data=QualificationData(kind="certificate", certificate_kind="nope")
        )
    assert "unknown_certificate_kind" in {f.code for f in exc.value.fields}


def test_a_suspended_teacher_is_not_available(listed, person, officials):
    entry = listed()
    teacher = pool_role_add(
        actor=entry.staff,
        person=person(),
        organization=entry.profile.organization,
        data=RoleData(role="teacher", region=""),
    )
    affiliation_add(actor=entry.staff, role=teacher, profile=entry.profile, kind="part_time")
    with pytest.raises(PermissionDenied):  # suspending is the department's decision
        pool_role_set_status(actor=entry.staff, role=teacher, status="suspended", reason="x")
    pool_role_set_status(actor=officials.city, role=teacher, status="suspended", reason="冒名授课")
    with pytest.raises(TeacherNotAvailable) as exc:
        providers_api.teacher_for_provider(teacher.pk, entry.profile, TODAY)
    assert exc.value.code == "teacher_inactive"


def test_providers_cannot_make_examiners_or_experts(listed, person):
    entry = listed()
    for role in ("examiner", "expert", "inspector"):
        with pytest.raises(PermissionDenied):
            pool_role_add(
                actor=entry.staff,
                person=person(),
                organization=entry.profile.organization,
                data=RoleData(role=role, region=""),
            )


def test_officials_keep_expert_and_inspector_pools_with_specialities_and_regions(officials, person, ref):
    expert = pool_role_add(
        actor=officials.province,
        person=person("王专家"),
        data=RoleData(
            role="expert",
            region="440000",
            title="高级工程师",
            specialities=["4-04-05-01", "6-18-02-04"],
            served_regions=["440100", "440300"],
        ),
    )
    assert {o.code for o in expert.specialities.all()} == {"4-04-05-01", "6-18-02-04"}
    assert {r.code for r in expert.served_regions.all()} == {"440100", "440300"}
    with pytest.raises(PermissionDenied):
        pool_role_add(actor=officials.county, person=person(), data=RoleData(role="inspector", region="440106"))
    with pytest.raises(ValidationFailed) as exc:
        pool_role_add(
            actor=officials.province,
            person=person(),
            data=RoleData(role="expert", region="440000", specialities=["9-99-99-99"]),
        )
    assert "unknown_occupation" in {f.code for f in exc.value.fields}


def test_a_person_holds_one_role_of_a_kind_per_region_and_roles_match_on_the_person(officials, person):
    someone = person()
    examiner = pool_role_add(actor=officials.province, person=someone, data=RoleData(role="examiner", region="440000"))
    with pytest.raises(Conflict):
        pool_role_add(actor=officials.province, person=someone, data=RoleData(role="examiner", region="440000"))
    teacher = pool_role_add(actor=officials.city, person=someone, data=RoleData(role="teacher", region="440100"))
    assert set(providers_api.roles_of_person(someone.pk)) == {examiner, teacher}
    pool_role_set_status(actor=officials.province, role=examiner, status=PoolRoleStatus.RETIRED, reason="聘期届满")
    assert set(providers_api.roles_of_person(someone.pk)) == {teacher}


def test_an_unknown_person_is_refused(officials):
    import uuid

    with pytest.raises(ValidationFailed) as exc:
        pool_role_add(actor=officials.province, person=uuid.uuid4(), data=RoleData(role="expert", region="440000"))
    assert "unknown_person" in {f.code for f in exc.value.fields}


def _id_number(serial: int) -> str:
    first17 = f"44010619800101{serial:03d}"
    return first17 + check_character(first17)


def test_finding_a_person_by_document_number_goes_through_the_registered_resolver(officials):
    from jineng.registry.api import person_create, person_resolve

    register_person_resolver(person_resolve)
    number = _id_number(123)
    created = person_create(actor=officials.province, name="赵六", id_number=number, residence_region="440106")
    assert person_by_document(number, "赵六") == created
    with pytest.raises(ValidationFailed) as exc:
        person_by_document(number, "赵七")
    assert "name_mismatch" in {f.code for f in exc.value.fields}
    with pytest.raises(ValidationFailed) as exc:
        person_by_document(_id_number(124))
    assert "person_not_registered" in {f.code for f in exc.value.fields}


def test_without_a_resolver_document_lookup_is_unavailable(monkeypatch):
    from jineng.providers import people

    monkeypatch.setattr(people, "_resolver", [])
    # as in a process whose composition root never registered one
    monkeypatch.setattr("django.urls.get_resolver", lambda: type("Stub", (), {"url_patterns": []})())
    with pytest.raises(DomainError) as exc:
        person_by_document(_id_number(1))
    assert exc.value.code == "person_lookup_unavailable" and exc.value.status == 503


def test_merging_two_records_of_a_person_moves_their_roles(officials, person):
    from django.urls import reverse

    reverse("healthz")  # loads the URLconf, whose composition root (config/api.py) registers the merge handler
    from jineng.providers.services.bases import BaseData, base_create
    from jineng.registry.services.persons import person_merge

    survivor, merged = person("周师傅"), person("周师傅")
    kept = pool_role_add(actor=officials.province, person=survivor, data=RoleData(role="expert", region="440000"))
    duplicate = pool_role_add(actor=officials.province, person=merged, data=RoleData(role="expert", region="440000"))
    other = pool_role_add(actor=officials.city, person=merged, data=RoleData(role="teacher", region="440100"))
    studio = base_create(
        actor=officials.province,
        master=merged,
        data=BaseData(
            kind="master_studio",
            name="周师傅工作室",
            level="provincial",
            approval_year=2022,
            region="440106",
            host_name="某厂",
        ),
    )
    record = person_merge(actor=officials.province, survivor=survivor, merged=merged, reason="同一人两条记录")
    assert record.moved["providers"] == 3
    duplicate.refresh_from_db()
    other.refresh_from_db()
    studio.refresh_from_db()
    assert duplicate.person_id == survivor.pk and duplicate.status == PoolRoleStatus.RETIRED
    assert other.person_id == survivor.pk and other.status == PoolRoleStatus.ACTIVE
    assert studio.master_id == survivor.pk
    assert set(providers_api.roles_of_person(survivor.pk)) == {kept, other}
