"""The Django admin goes through the same scope mechanism as pages and API (jineng/accounts/admin.py).

A system administrator granted 440100 (广州) sees records of 440106 (天河) but not of 440303 (罗湖, 深圳) in every
changelist, and an out-of-scope change page answers like a record that does not exist. Only sysadmin grants (and
superusers) enter the admin; nothing can be deleted there; personal data is shown masked.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from jineng.accounts.admin import ScopedAdmin
from jineng.accounts.models import ApiToken, Grant, Organization, User
from jineng.common.models import Attachment, AuditEntry, Job
from jineng.refdata.models import RegionSetting
from tests import scope_cases

pytestmark = pytest.mark.django_db

IN, OUT = "440106", "440303"
ID_NUMBER = "440106199001011234"


def _token(region: str) -> ApiToken:
    from jineng.accounts.services import token_create

    return token_create(actor=None, user=scope_cases._user(region), label=f"t-{region}")[0]


def _grant(region: str) -> Grant:
    return Grant.objects.get(user=scope_cases._user(region))


def _org_grant(region: str) -> Grant:
    from jineng.accounts.services import grant_create

    user = User.objects.create_user(username=f"staff-{region}-{Organization.objects.count()}", password="x")
    return grant_create(actor=None, user=user, function="provider_staff", organization=scope_cases._org(region))


MAKERS = {
    AuditEntry: scope_cases._audit,
    Job: scope_cases._job,
    Attachment: scope_cases._attachment,
    RegionSetting: scope_cases._setting,
    Organization: scope_cases._org,
    User: scope_cases._user,
    Grant: _grant,
    ApiToken: _token,
}


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_kernel_model_is_in_the_admin_through_the_scoped_base():
    for model in MAKERS:
        assert model in admin.site._registry, model.__name__
        assert isinstance(admin.site._registry[model], ScopedAdmin), model.__name__


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_sysadmin_of_a_city_sees_its_counties_only(client, make_user, model):
    inside, outside = MAKERS[model](IN), MAKERS[model](OUT)
    client.force_login(make_user("sysadmin", region="440100"))
    changelist = client.get(_admin_url(model, "changelist") + "?all=")
    assert changelist.status_code == 200
    shown = {obj.pk for obj in changelist.context["cl"].result_list}
    assert inside.pk in shown
    assert outside.pk not in shown

    assert client.get(_admin_url(model, "change", inside.pk)).status_code == 200
    response = client.get(_admin_url(model, "change", outside.pk))
    assert response.status_code == 302  # the admin's answer for "no such object": back to the index
    assert response["Location"] == reverse("admin:index")


def test_organization_grants_are_in_scope_where_the_organization_is(client, make_user):
    inside, outside = _org_grant(IN), _org_grant(OUT)
    client.force_login(make_user("sysadmin", region="440100"))
    shown = {g.pk for g in client.get(_admin_url(Grant, "changelist")).context["cl"].result_list}
    assert inside.pk in shown and outside.pk not in shown


def test_a_superuser_sees_everything(client):
    records = {model: (maker(IN), maker(OUT)) for model, maker in MAKERS.items()}
    client.force_login(User.objects.create_superuser(username="root", password="pw-Root-12345"))
    for model, pair in records.items():
        shown = {obj.pk for obj in client.get(_admin_url(model, "changelist")).context["cl"].result_list}
        assert {p.pk for p in pair} <= shown, model.__name__


@pytest.mark.parametrize(
    ("function", "region"), [("province_official", "440000"), ("city_official", "440100"), ("auditor", "440000")]
)
def test_only_sysadmin_grants_enter_the_admin(client, make_user, function, region):
    record = scope_cases._audit(IN)
    client.force_login(make_user(function, region=region))
    for url in (
        reverse("admin:index"),
        _admin_url(AuditEntry, "changelist"),
        _admin_url(AuditEntry, "change", record.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:login")).status_code == 403  # signed in, but not an administrator


def test_a_staff_flag_alone_does_not_open_the_admin(client, make_user):
    user = make_user("county_official", region="440106")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_revoked_sysadmin_grant_closes_the_admin(client, make_user):
    from jineng.accounts.services import grant_revoke

    user = make_user("sysadmin", region="440100")
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    grant_revoke(actor=None, grant=Grant.objects.get(user=user), reason="离岗")
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_login_sends_to_the_platform_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2F"
    hostile = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert "evil" not in hostile["Location"]


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_nothing_can_be_deleted_in_the_admin(client, make_user, model):
    inside = MAKERS[model](IN)
    client.force_login(User.objects.create_superuser(username="root", password="pw-Root-12345"))
    response = client.post(_admin_url(model, "delete", inside.pk), {"post": "yes"})
    assert response.status_code == 403
    assert model._default_manager.filter(pk=inside.pk).exists()
    changelist = client.get(_admin_url(model, "changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_read_only_records_cannot_be_changed_in_the_admin(client, make_user):
    entry = scope_cases._audit(IN)
    client.force_login(make_user("sysadmin", region="440100"))
    page = client.get(_admin_url(AuditEntry, "change", entry.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    client.post(_admin_url(AuditEntry, "change", entry.pk), {"action": "forged"})
    entry.refresh_from_db()
    assert entry.action != "forged"


def test_admin_edits_are_audited(client, make_user):
    org = scope_cases._org(IN)
    admin_user = make_user("sysadmin", region="440100")
    client.force_login(admin_user)
    response = client.post(_admin_url(Organization, "change", org.pk), {"name": "新名称培训学校", "status": "active"})
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.name == "新名称培训学校"
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(org.pk))
    assert entry.actor_id == admin_user.pk
    assert entry.region_code == IN
    assert entry.after == {"name": "新名称培训学校"}


def test_a_sysadmin_cannot_edit_a_superuser(client, make_user):
    from jineng.accounts.services import grant_create

    boss = User.objects.create_superuser(username="root", password="pw-Root-12345")
    grant_create(actor=None, user=boss, function="county_official", region_code=IN)
    client.force_login(make_user("sysadmin", region="440100"))
    client.post(_admin_url(User, "change", boss.pk), {"display_name": "x", "is_active": ""})
    boss.refresh_from_db()
    assert boss.is_active


def test_revoking_grants_from_the_admin_goes_through_the_service(client, make_user):
    target = _grant(IN)
    admin_user = make_user("sysadmin", region="440100")
    client.force_login(admin_user)
    response = client.post(_admin_url(Grant, "changelist"), {"action": "revoke", "_selected_action": [str(target.pk)]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.revoked_at is not None
    assert AuditEntry.objects.filter(action="grant.revoke", object_id=str(target.pk), actor=admin_user).exists()


def test_personal_data_is_masked_in_the_admin(client, make_user):
    from jineng.common.audit.services import audit_record

    entry = audit_record(
        actor=None, action="probe", object_type="probe", region_code=IN, reason=f"核对 {ID_NUMBER} 13812345678"
    )
    att = scope_cases._attachment(IN)
    Attachment.objects.filter(pk=att.pk).update(filename=f"{ID_NUMBER}身份证.pdf")
    client.force_login(make_user("sysadmin", region="440100"))
    for url in (
        _admin_url(AuditEntry, "changelist"),
        _admin_url(AuditEntry, "change", entry.pk),
        _admin_url(Attachment, "changelist"),
        _admin_url(Attachment, "change", att.pk),
    ):
        html = client.get(url).content.decode()
        assert ID_NUMBER not in html, url
        assert "13812345678" not in html, url
    assert "4401**********1234" in client.get(_admin_url(Attachment, "changelist")).content.decode()
