"""Grants (function × region or organization, optionally time-boxed) and the one scope mechanism over them."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from functools import cache

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jineng.accounts import scope
from jineng.accounts.models import Grant, Organization, User
from jineng.accounts.scope import ScopeSpec, get_visible, principal_for, require, visible
from jineng.accounts.services import grant_create, grant_revoke
from jineng.common.errors import NotFound, PermissionDenied, ValidationFailed
from jineng.common.models import AuditEntry
from jineng.refdata.regions import REGIONS_CSV

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as a new request would load it (the principal is cached per user object)."""
    return User.objects.get(pk=user.pk)


def _entry(region: str) -> AuditEntry:
    from jineng.common.audit.services import audit_record

    return audit_record(actor=None, action="probe", object_type="probe", region_code=region)


# ---- grant_create validation --------------------------------------------------------------------------------------

FUTURE = timezone.now() + dt.timedelta(days=30)


@pytest.mark.parametrize(
    ("function", "region", "with_org", "valid_until", "field", "code", "message"),
    [
        ("county_official", None, False, None, "region", "required", "该职能须指定行政区划。"),
        (
            "county_official",
            "440106",
            True,
            None,
            "organization",
            "not_allowed",
            "该职能按行政区划授权，不能指定组织。",
        ),
        ("provider_staff", None, False, None, "organization", "required", "该职能须指定所属组织。"),
        ("provider_staff", "440106", True, None, "region", "not_allowed", "该职能按组织授权，不能指定行政区划。"),
        (
            "county_official",
            "440106",
            False,
            FUTURE,
            "valid_until",
            "not_time_boxed",
            "只有检查员和审计授权可以设置期限。",
        ),
        ("sysadmin", "440100", False, FUTURE, "valid_until", "not_time_boxed", "只有检查员和审计授权可以设置期限。"),
        (
            "inspector",
            "440106",
            False,
            timezone.now() - dt.timedelta(hours=1),
            "valid_until",
            "in_past",
            "授权截止时间须晚于当前时间。",
        ),
        ("county_official", "449999", False, None, "region", "unknown_region", "行政区划代码不存在：'449999'"),
        ("mayor", "440106", False, None, "function", "unknown_function", "未知的职能：mayor"),
    ],
)
def test_grant_create_refuses_bad_grants_and_writes_nothing(
    make_user, make_org, function, region, with_org, valid_until, field, code, message
):
    user = make_user()
    org = make_org("440106") if with_org else None
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        grant_create(
            actor=None, user=user, function=function, region_code=region, organization=org, valid_until=valid_until
        )
    error = caught.value
    assert error.status == 422
    assert (field, code, message) in [(f.field, f.code, f.message) for f in error.fields]
    assert not Grant.objects.filter(user=user).exists()
    assert AuditEntry.objects.count() == audit_before


def test_grant_create_is_audited(make_user):
    admin = make_user("sysadmin", region="440100")
    user = make_user()
    grant = grant_create(actor=admin, user=user, function="county_official", region_code="440106")
    entry = AuditEntry.objects.get(action="grant.create", object_id=str(grant.pk))
    assert entry.actor_id == admin.pk
    assert entry.region_code == "440106"
    assert entry.after["function"] == "county_official"
    assert grant.granted_by_id == admin.pk


def test_organization_grant_is_attributed_to_the_organizations_region(make_user, make_org):
    org = make_org("440303")
    user = make_user("provider_staff", organization=org)
    grant = Grant.objects.get(user=user)
    assert grant.region_id is None
    assert AuditEntry.objects.get(action="grant.create", object_id=str(grant.pk)).region_code == "440303"


# ---- time boxes and revocation ------------------------------------------------------------------------------------


def test_a_time_boxed_inspector_grant_works_until_it_expires(make_user):
    inspector = make_user("inspector", region="440106", valid_until=timezone.now() + dt.timedelta(days=1))
    record = _entry("440106")
    assert visible(AuditEntry, _fresh(inspector), "audit.view").filter(pk=record.pk).exists()
    require(_fresh(inspector), "records.view", region_code="440106")

    Grant.objects.filter(user=inspector).update(valid_until=timezone.now() - dt.timedelta(seconds=1))
    expired = _fresh(inspector)
    assert not visible(AuditEntry, expired, "audit.view").exists()
    with pytest.raises(PermissionDenied):
        require(expired, "records.view", region_code="440106")
    assert principal_for(expired).region_perms == {}


def test_a_grant_that_has_not_started_gives_nothing(make_user):
    user = make_user("county_official", region="440106")
    Grant.objects.filter(user=user).update(valid_from=timezone.now() + dt.timedelta(days=1))
    assert not principal_for(_fresh(user)).has("records.view")


def test_a_revoked_grant_gives_no_access_and_the_revocation_is_audited(make_user):
    admin = make_user("sysadmin", region="440100")
    official = make_user("county_official", region="440106")
    record = _entry("440106")
    grant = Grant.objects.get(user=official)
    assert visible(AuditEntry, _fresh(official), "audit.view").filter(pk=record.pk).exists()

    grant_revoke(actor=admin, grant=grant, reason="调岗")
    assert not visible(AuditEntry, _fresh(official), "audit.view").exists()
    with pytest.raises(PermissionDenied):
        require(_fresh(official), "audit.view")
    entry = AuditEntry.objects.get(action="grant.revoke", object_id=str(grant.pk))
    assert (entry.actor_id, entry.reason, entry.region_code) == (admin.pk, "调岗", "440106")


def test_revoking_needs_a_reason_and_happens_once(make_user):
    official = make_user("county_official", region="440106")
    grant = Grant.objects.get(user=official)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        grant_revoke(actor=None, grant=grant, reason="  ")
    assert [(f.field, f.code, f.message) for f in caught.value.fields] == [("reason", "required", "请填写撤销原因。")]
    grant.refresh_from_db()
    assert grant.revoked_at is None
    assert AuditEntry.objects.count() == audit_before

    grant_revoke(actor=None, grant=grant, reason="离职")
    with pytest.raises(Exception) as again:
        grant_revoke(actor=None, grant=grant, reason="再次")
    assert getattr(again.value, "code", None) == "already_revoked"
    assert getattr(again.value, "status", None) == 409
    assert AuditEntry.objects.filter(action="grant.revoke", object_id=str(grant.pk)).count() == 1


# ---- principal_for and require ------------------------------------------------------------------------------------


def test_principal_collects_permissions_per_region_and_organization(make_user, make_org):
    org = make_org("440106")
    user = make_user("county_official", region="440106")
    grant_create(actor=None, user=user, function="auditor", region_code="440000")
    grant_create(actor=None, user=user, function="provider_staff", organization=org)
    p = principal_for(_fresh(user))
    assert p.functions == {"county_official", "auditor", "provider_staff"}
    assert "registry.edit" in p.region_perms["440106"]
    assert "registry.edit" not in p.region_perms["440000"]  # the auditor is read-only
    assert p.org_perms[org.pk] >= {"org.view", "org.edit"}
    assert p.regions_with("audit.view") and set(p.regions_with("registry.edit")) == {"440106"}


def test_principal_of_anonymous_and_inactive_users_is_empty(make_user):
    from django.contrib.auth.models import AnonymousUser

    assert not principal_for(AnonymousUser()).has("records.view")
    assert not principal_for(None).has("records.view")
    user = make_user("province_official", region="440000")
    user.is_active = False
    user.save()
    assert not principal_for(_fresh(user)).has("records.view")


def test_require_follows_the_region_tree(make_user):
    city = _fresh(make_user("city_official", region="440100"))
    require(city, "settings.edit", region_code="440106")
    require(city, "settings.edit", region_code="440100")
    require(city, "settings.edit")  # anywhere at all
    for outside in ("440303", "440000", "110101"):
        with pytest.raises(PermissionDenied) as caught:
            require(city, "settings.edit", region_code=outside)
        assert (caught.value.code, caught.value.status) == ("permission_denied", 403)
        assert caught.value.message == "您没有执行此操作的权限。"
    with pytest.raises(PermissionDenied):
        require(city, "users.manage", region_code="440106")  # a permission the city official lacks


def test_require_for_an_organization(make_user, make_org):
    own, other = make_org("440106"), make_org("440106")
    staff = _fresh(make_user("provider_staff", organization=own))
    require(staff, "org.edit", organization_id=own.pk)
    with pytest.raises(PermissionDenied):
        require(staff, "org.edit", organization_id=other.pk)
    with pytest.raises(PermissionDenied):
        require(staff, "org.edit", region_code="440106")  # an organization grant is not a region grant


def test_superuser_passes_require_and_sees_every_region(db):
    boss = User.objects.create_superuser(username="root", password="pw-Root-12345")
    require(boss, "settings.edit", region_code="440303")
    record = _entry("650000")
    assert visible(AuditEntry, boss, "audit.view").filter(pk=record.pk).exists()


# ---- person and organization scope --------------------------------------------------------------------------------


def test_a_worker_sees_only_records_about_their_own_person(make_user, monkeypatch):
    # A person-scoped spec (as the registry's records will register): User.person_id stands in for "the person".
    monkeypatch.setitem(scope._SPECS, User, ScopeSpec(person="person_id"))
    me, someone = uuid.uuid4(), uuid.uuid4()
    worker = make_user("worker")
    User.objects.filter(pk=worker.pk).update(person_id=me)
    theirs = make_user("worker")
    User.objects.filter(pk=theirs.pk).update(person_id=someone)

    seen = set(visible(User, _fresh(worker), "records.view").values_list("pk", flat=True))
    assert seen == {worker.pk}
    assert get_visible(User, _fresh(worker), worker.pk, "records.view") == worker
    with pytest.raises(NotFound):
        get_visible(User, _fresh(worker), theirs.pk, "records.view")
    # An official with region grants sees none of it through a person-only spec.
    assert not visible(User, _fresh(make_user("province_official", region="440000")), "records.view").exists()


def test_a_worker_sees_no_regional_records(make_user):
    _entry("440106")
    worker = _fresh(make_user("worker"))
    assert not visible(AuditEntry, worker, "audit.view").exists()
    assert not visible(AuditEntry, worker, "records.view").exists()


def test_provider_staff_see_their_own_organization_only(api, make_user, make_org, openapi):
    own, neighbour, far = make_org("440106"), make_org("440106"), make_org("440303")
    client = api(make_user("provider_staff", organization=own))
    listed = client.get("/api/v1/organizations")
    body = openapi.validate(listed)
    assert [item["id"] for item in body["items"]] == [str(own.pk)]
    assert body["count"] == 1
    assert client.get(f"/api/v1/organizations/{own.pk}").status_code == 200
    for other in (neighbour, far):
        response = client.get(f"/api/v1/organizations/{other.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_county_official_sees_the_organizations_of_the_county(api, make_user, make_org):
    own, neighbour, far = make_org("440106"), make_org("440106"), make_org("440303")
    client = api(make_user("county_official", region="440106"))
    ids = {item["id"] for item in client.get("/api/v1/organizations").json()["items"]}
    assert ids == {str(own.pk), str(neighbour.pk)}
    assert client.get(f"/api/v1/organizations/{far.pk}").status_code == 404


def test_get_visible_answers_404_for_a_malformed_id(make_user):
    official = _fresh(make_user("county_official", region="440106"))
    with pytest.raises(NotFound):
        get_visible(Organization, official, "not-a-uuid")


# ---- the region tree, never code prefixes -------------------------------------------------------------------------


@cache
def _parents() -> dict[str, str]:
    """The oracle: parent links straight from the reference file, independent of the closure table."""
    with REGIONS_CSV.open(encoding="utf-8-sig") as fh:
        return {row["code"]: row["parent_code"] or "000000" for row in csv.DictReader(fh)}


def _chain(code: str) -> list[str]:
    chain = [code]
    while chain[-1] != "000000":
        chain.append(_parents()[chain[-1]])
    return chain


CODES = sorted(_parents())


@st.composite
def region_pairs(draw: st.DrawFn) -> tuple[str, str]:
    record = draw(st.sampled_from(CODES))
    granted = draw(st.one_of(st.sampled_from(_chain(record)), st.sampled_from(CODES)))
    return granted, record


@given(pair=region_pairs())
@example(pair=("110000", "110101"))  # Beijing's districts hang off the province
@example(pair=("420000", "429004"))  # 仙桃, a county-level city directly under 湖北
@example(pair=("441900", "441900"))  # 东莞 has no counties: its records are its own
@example(pair=("440000", "441900"))
@example(pair=("440100", "441900"))
@example(pair=("371000", "371102"))  # "371" is a prefix of 371102, but 东港区 belongs to 日照 (371100)
@example(pair=("131000", "131102"))  # likewise 廊坊 / 衡水
@example(pair=("440106", "440100"))  # a county does not reach up to its city
@example(pair=("000000", "650000"))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_scope_follows_the_ancestor_chain_never_code_prefixes(pair, db):
    granted, record_region = pair
    expected = granted in _chain(record_region)
    user = User.objects.create_user(username=f"h-{uuid.uuid4().hex[:12]}", password="x")
    Grant.objects.create(user=user, function="auditor", region_id=granted)
    record = _entry(record_region)
    assert visible(AuditEntry, user, "audit.view").filter(pk=record.pk).exists() == expected, pair
    try:
        require(user, "audit.view", region_code=record_region)
        allowed = True
    except PermissionDenied:
        allowed = False
    assert allowed == expected, pair
