"""Signing in: the login page, wrong passwords that leak nothing, lockout (django-axes), bearer tokens, CSRF."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jineng.accounts.models import ApiToken
from jineng.accounts.services import token_create
from jineng.accounts.tests.helpers import enroll_second_factor
from jineng.common.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-12345"  # make_user's password


def _login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def _alert(response) -> str:
    match = re.search(r'<div class="alert alert-danger[^"]*"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    return match.group(1).strip() if match else ""


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ---- the login page -----------------------------------------------------------------------------------------------


def test_login_page_renders_a_form_with_csrf(client):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="username"' in html and 'type="password"' in html


def test_a_correct_password_signs_in_and_redirects_home(client, make_user):
    user = make_user("county_official", region="440106")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    # An official then passes the second factor (enrolling on the first sign-in) before any page opens.
    assert client.get("/")["Location"].startswith("/login/otp/setup/")
    enroll_second_factor(client)
    assert client.get("/").status_code == 200


def test_pages_need_a_signed_in_user(client):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user):
    user = make_user("county_official", region="440106")
    wrong_password = _login(client, user.username, "not-the-password")
    unknown_user = _login(Client(), "nobody-by-this-name", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert _alert(wrong_password) == _alert(unknown_user) == "用户名或密码不正确。"
    assert not _signed_in(client)


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user("county_official", region="440106")
    user.is_active = False
    user.save()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert not _signed_in(client)
    # An inactive account is not told apart from a wrong password either.
    assert _alert(response) == "用户名或密码不正确。"


def test_logout_ends_the_session(client, make_user):
    user = make_user("county_official", region="440106")
    client.force_login(user)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert not _signed_in(client)


# ---- lockout ------------------------------------------------------------------------------------------------------


def test_lockout_after_the_failure_limit_even_with_the_right_password(client, make_user, settings):
    user = make_user("county_official", region="440106")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # JINENG_LOGIN_FAILURE_LIMIT's default
    for _ in range(limit - 1):
        assert _login(client, user.username, "wrong-password").status_code == 200
    locked = _login(client, user.username, "wrong-password")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # The right password no longer helps while the lock lasts.
    again = _login(client, user.username, PASSWORD)
    assert again.status_code == 429
    assert not _signed_in(client)


def test_unknown_usernames_lock_out_too_so_lockout_reveals_nothing(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, "ghost-user", "wrong-password")
    assert response.status_code == 429


def test_a_successful_login_resets_the_failure_count(client, make_user, settings):
    user = make_user("county_official", region="440106")
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        _login(client, user.username, "wrong-password")
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert _login(client, user.username, "wrong-password").status_code == 200
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_lockout_of_one_account_does_not_lock_another(client, make_user, settings):
    victim = make_user("county_official", region="440106")
    other = make_user("county_official", region="440104")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.username, "wrong-password")
    assert _login(client, other.username, PASSWORD).status_code == 302


# ---- bearer tokens ------------------------------------------------------------------------------------------------


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_command_prints_a_token_that_authenticates_the_api(client, make_user, openapi):
    user = make_user("city_official", region="440100")
    out = io.StringIO()
    call_command("token", "create", user.username, "--label", "数据交换", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("jn_")
    response = client.get("/api/v1/me", **_bearer(secret))
    assert response.status_code == 200
    body = openapi.validate(response)
    assert body["username"] == user.username
    assert "settings.edit" in body["permissions"]

    prefix = ApiToken.objects.get(user=user).prefix
    call_command("token", "revoke", prefix, stdout=io.StringIO())
    response = client.get("/api/v1/me", **_bearer(secret))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user named"):
        call_command("token", "create", "nobody", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_token_secret_is_stored_only_as_a_digest(make_user):
    user = make_user("city_official", region="440100")
    token, secret = token_create(actor=user, user=user, label="x")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(value) for value in row.values())
    assert secret.startswith(row["prefix"]) and len(row["prefix"]) < len(secret) // 3
    entry = AuditEntry.objects.get(action="token.create", object_id=str(token.pk))
    assert secret not in json.dumps(entry.after)


@pytest.mark.parametrize("header", ["Bearer jn_wrong", "Bearer ", "Bearer x" * 3, "Token abc", "Basic dXNlcjpwdw=="])
def test_bad_credentials_answer_401(client, make_user, header):
    make_user("city_official", region="440100")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_of_an_inactive_user_answers_401(client, make_user):
    user = make_user("city_official", region="440100")
    _token, secret = token_create(actor=None, user=user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", **_bearer(secret)).status_code == 401


def test_token_endpoints_create_list_and_revoke(api, make_user, openapi):
    user = make_user("county_official", region="440106")
    client = api(user)
    created = client.post("/api/v1/tokens", data=json.dumps({"label": "对接"}), content_type="application/json")
    assert created.status_code == 201
    body = openapi.validate(created)
    secret = body["secret"]
    assert Client().get("/api/v1/me", **_bearer(secret)).status_code == 200

    listed = client.get("/api/v1/tokens")
    page = openapi.validate(listed)
    assert page["count"] == 1
    assert page["items"][0]["id"] == body["id"]
    assert secret not in listed.content.decode()  # the secret is shown once, at creation

    revoked = client.post(f"/api/v1/tokens/{body['id']}/revoke")
    assert revoked.status_code == 200
    assert openapi.validate(revoked)["revoked_at"] is not None
    assert Client().get("/api/v1/me", **_bearer(secret)).status_code == 401

    again = client.post(f"/api/v1/tokens/{body['id']}/revoke")
    assert again.status_code == 409
    assert again.json()["code"] == "already_revoked"
    assert again.json()["message"] == "该令牌已撤销。"

    actions = list(AuditEntry.objects.filter(object_id=body["id"]).values_list("action", "actor_name"))
    assert sorted(actions) == [("token.create", user.username), ("token.revoke", user.username)]


def test_a_user_cannot_see_or_revoke_another_users_token(api, make_user):
    owner = make_user("county_official", region="440106")
    token, secret = token_create(actor=owner, user=owner)
    client = api(make_user("county_official", region="440106"))
    assert client.get("/api/v1/tokens").json()["count"] == 0
    response = client.post(f"/api/v1/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get("/api/v1/me", **_bearer(secret)).status_code == 200


# ---- CSRF ---------------------------------------------------------------------------------------------------------


def test_session_writes_need_the_csrf_token(make_user):
    user = make_user("county_official", region="440106")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/v1/tokens", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "CSRF" in response.json()["message"]
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="token.create").exists()

    client.get("/account/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post("/api/v1/tokens", data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201
    assert ApiToken.objects.count() == 1


def test_session_reads_need_no_csrf_token(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("county_official", region="440106"))
    assert client.get("/api/v1/me").status_code == 200


def test_bearer_writes_need_no_csrf_token(make_user):
    user = make_user("county_official", region="440106")
    _token, secret = token_create(actor=None, user=user)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/tokens", data="{}", content_type="application/json", **_bearer(secret))
    assert response.status_code == 201


def test_page_forms_need_the_csrf_token(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("county_official", region="440106"))
    response = client.post("/account/", {"label": "x"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()
