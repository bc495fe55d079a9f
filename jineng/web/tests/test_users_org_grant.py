"""User administration can grant organization functions (provider staff, enterprise HR, evaluators)."""

from __future__ import annotations

import pytest

from jineng.accounts.models import Grant, User


def _form(**extra):
    data = {
        "username": "new-staff",
        "display_name": "王五",
        "password": "Long-enough-pw-1",
        "function": "provider_staff",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_sysadmin_grants_provider_staff_over_an_organization_in_scope(api, make_user, make_org):
    admin = make_user("sysadmin", region="440100")
    org = make_org(region="440106")
    response = api(admin).post("/users/", _form(organization=org.credit_code))
    assert response.status_code == 302
    grant = Grant.objects.get(user__username="new-staff")
    assert grant.organization_id == org.id and grant.region_id is None


@pytest.mark.django_db
def test_an_organization_outside_the_scope_is_a_field_error_and_nothing_is_created(api, make_user, make_org):
    admin = make_user("sysadmin", region="440100")
    far = make_org(region="440303")  # Shenzhen, outside Guangzhou
    response = api(admin).post("/users/", _form(organization=far.credit_code))
    assert response.status_code == 200
    assert "未找到该统一社会信用代码对应的组织" in response.content.decode()
    assert not User.objects.filter(username="new-staff").exists()
