"""Self-registration of providers and enterprises, and delegated staff administration within the organization."""

from __future__ import annotations

import pytest

from jineng.accounts.models import Grant, Organization, User
from jineng.accounts.scope import principal_for
from jineng.common.errors import InvalidState, PermissionDenied, ValidationFailed
from jineng.providers.models import OrganizationAdmin, RegistrationSource
from jineng.providers.services.organizations import (
    ProfileData,
    organization_register,
    profile_update,
    staff_admin_set,
    staff_create,
    staff_of,
    staff_revoke,
)

from .conftest import credit_code

pytestmark = pytest.mark.django_db
PASSWORD = "Strong-Pass-2026!"


def _register(kind="provider", **kw):
    values = dict(
        kind=kind,
        name="广州某职业培训学校",
        credit_code=credit_code(),
        region_code="440106",
        admin_username="school-admin",
        admin_password=PASSWORD,
        admin_display_name="陈校长",
        data=ProfileData(
            provider_type="university" if kind == "provider" else "", size="small", contact_phone="020-12345678"
        ),
    )
    values.update(kw)
    return organization_register(**values)


def test_a_provider_registers_itself_with_an_administrator(ref):
    profile, admin = _register()
    org = profile.organization
    assert profile.source == RegistrationSource.SELF
    assert profile.contact_phone_masked.startswith("020") and "*" in profile.contact_phone_masked
    assert "12345678" not in profile.contact_phone_enc
    assert admin.check_password(PASSWORD)
    assert principal_for(admin).orgs_with("org.edit") == [org.pk]
    assert OrganizationAdmin.objects.filter(organization=org, user=admin, revoked_at__isnull=True).exists()
    assert not hasattr(profile, "listing") or profile.listing is None  # registering lists no one


def test_an_enterprise_registers_with_its_hr_function(ref):
    profile, admin = _register(
        kind="enterprise",
        data=ProfileData(is_above_scale=True, size="large", industry_tags=["guangdong-clusters/automotive"]),
    )
    assert Grant.objects.get(user=admin).function == "enterprise_hr"
    assert profile.is_above_scale and list(profile.industry_tags.values_list("code", flat=True)) == ["automotive"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"credit_code": "91440106MA59XXXXX0"}, "bad_credit_code"),
        ({"admin_password": "123"}, "weak_password"),
        ({"region_code": "449999"}, "unknown_region"),
        ({"data": ProfileData(provider_type="castle")}, "bad_choice"),
        ({"data": ProfileData(provider_type="university", latitude="23.1")}, "incomplete_coordinates"),
        ({"data": ProfileData(provider_type="university", latitude="123.1", longitude="113.3")}, "out_of_range"),
        ({"data": ProfileData(provider_type="university", contact_phone="12345")}, "phone_bad_format"),
    ],
)
def test_bad_registrations_leave_nothing_behind(ref, overrides, code):
    with pytest.raises(ValidationFailed) as exc:
        _register(**overrides)
    assert code in {f.code for f in exc.value.fields}
    assert not User.objects.filter(username="school-admin").exists()
    assert not Organization.objects.filter(name="广州某职业培训学校").exists()


def test_the_administrator_manages_staff_and_ordinary_staff_cannot(ref):
    profile, admin = _register()
    org = profile.organization
    clerk = staff_create(actor=admin, organization=org, username="clerk", password=PASSWORD, display_name="小王")
    assert principal_for(clerk).orgs_with("org.edit") == [org.pk]
    with pytest.raises(PermissionDenied):
        staff_create(actor=clerk, organization=org, username="clerk2", password=PASSWORD)
    staff_admin_set(actor=admin, organization=org, user=clerk, admin=True)
    staff_create(actor=clerk, organization=org, username="clerk2", password=PASSWORD)
    assert {s["username"] for s in staff_of(org)} == {"school-admin", "clerk", "clerk2"}

    with pytest.raises(InvalidState):
        staff_revoke(actor=admin, organization=org, user=admin, reason="x")
    staff_revoke(actor=admin, organization=org, user=clerk, reason="离职")
    clerk = User.objects.get(pk=clerk.pk)
    assert principal_for(clerk).orgs_with("org.edit") == []
    assert {s["username"] for s in staff_of(org)} == {"school-admin", "clerk2"}
    with pytest.raises(PermissionDenied):  # no longer staff, no longer an administrator
        staff_create(actor=clerk, organization=org, username="clerk3", password=PASSWORD)


def test_an_administrator_of_one_organization_cannot_manage_another(ref):
    first, admin = _register()
    second, _other = _register(admin_username="other-admin", name="另一家")
    with pytest.raises(PermissionDenied):
        staff_create(actor=admin, organization=second.organization, username="intruder", password=PASSWORD)
    assert not User.objects.filter(username="intruder").exists()


def test_staff_edit_their_own_profile_only(ref, make_provider):
    profile, admin = _register()
    updated = profile_update(
        actor=admin,
        profile=profile,
        name="新名称学校",
        data=ProfileData(provider_type="university", address="新地址", latitude="23.12", longitude="113.32"),
    )
    assert updated.organization.name == "新名称学校" and str(updated.latitude) == "23.120000"
    assert updated.contact_phone_masked == profile.contact_phone_masked  # an empty phone keeps the stored one
    other = make_provider()
    with pytest.raises(PermissionDenied):
        profile_update(actor=admin, profile=other, data=ProfileData(provider_type="private_training"))
