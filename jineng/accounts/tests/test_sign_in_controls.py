"""Level-3 identity controls (等保三级): password policy everywhere a password is set, self-service change, expiry,
history; the second factor (TOTP) with enrollment and recovery codes; 三权分立; session idle and absolute limits;
the last sign-in shown after signing in."""

from __future__ import annotations

import datetime as dt
import io
import re

import pyotp
import pytest
import time_machine
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from jineng.accounts.demo import seed_demo_second_factors
from jineng.accounts.models import User
from jineng.accounts.passwords import character_classes
from jineng.accounts.second_factor import DEMO_TOTP_SECRET
from jineng.accounts.services import (
    grant_create,
    grant_revoke,
    password_change,
    password_set_by_admin,
    token_create,
    user_create,
)
from jineng.accounts.tests.helpers import enroll_second_factor, totp_now
from jineng.common.errors import ValidationFailed
from jineng.common.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-12345"  # make_user's password
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


# ---- 1. passwords: the policy wherever a password is set -----------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1234567890", "numeric"),  # the defect: accepted on /users/
        ("Ab1!", "too short"),
        ("abcdefghijkl", "one class"),
        ("abcdefgh1234", "two classes"),
        ("abc!@#defgh", "two classes: lower case and symbols"),
    ],
)
def test_user_create_refuses_a_password_against_the_policy(password, reason):
    with pytest.raises(ValidationFailed) as exc:
        user_create(actor=None, username="weak", password=password)
    assert exc.value.fields[0].field == "password"
    assert exc.value.fields[0].code == "weak_password"
    assert "密码" in exc.value.message
    assert not User.objects.filter(username="weak").exists()


def test_the_users_page_refuses_an_administrators_weak_password(api, make_user):
    admin_user = make_user("sysadmin", region="440000")
    response = api(admin_user).post(
        "/users/",
        {"username": "weakling", "password": "1234567890", "function": "county_official", "region": "440106"},
    )
    assert response.status_code == 200
    assert "密码不符合要求" in response.content.decode()
    assert not User.objects.filter(username="weakling").exists()


def test_an_account_made_on_the_users_page_must_choose_its_own_password(api, make_user):
    """The administrator knows the password typed on /users/: the new user changes it at the first sign-in."""
    admin_user = make_user("sysadmin", region="440000")
    response = api(admin_user).post(
        "/users/",
        {"username": "newcomer", "password": "Temp-Pass-2026", "function": "county_official", "region": "440106"},
    )
    assert response.status_code in (200, 302)
    assert User.objects.get(username="newcomer").password_must_change
    client = Client()
    _sign_in(client, "newcomer", "Temp-Pass-2026")
    enroll_second_factor(client)  # an official enrols the authenticator first, then changes the password
    assert client.get("/account/")["Location"].startswith("/password/")


def test_a_new_password_differing_only_in_case_is_refused(make_user):
    user = make_user("county_official", region="440106")
    with pytest.raises(ValidationFailed) as exc:
        password_change(user=user, old_password=PASSWORD, new_password=PASSWORD.swapcase())
    assert exc.value.fields[0].field == "new_password" and exc.value.fields[0].code == "password_reused"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@given(st.text(min_size=0, max_size=30))
def test_character_classes_counts_the_four_classes(password):
    n = character_classes(password)
    assert 0 <= n <= 4
    assert (n == 4) == (
        any(c.isupper() for c in password)
        and any(c.islower() for c in password)
        and any(c.isdigit() for c in password)
        and any(not c.isalnum() for c in password)
    )


@override_settings(JINENG_PASSWORD_MIN_LENGTH=12, JINENG_PASSWORD_MIN_CLASSES=4)
def test_the_policy_numbers_are_settings():
    with pytest.raises(ValidationFailed):
        user_create(actor=None, username="p1", password="Abcdefgh1234")  # 3 classes, 12 long
    with pytest.raises(ValidationFailed):
        user_create(actor=None, username="p2", password="Abc-1234567")  # 4 classes, 11 long
    assert user_create(actor=None, username="p3", password="Abc-12345678")


def test_the_last_five_passwords_are_not_reused(make_user):
    user = make_user("county_official", region="440106")
    passwords = [PASSWORD] + [f"New-Pass-{i}x2026" for i in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        user = password_change(user=user, old_password=old, new_password=new)
    current = passwords[-1]
    for reused in passwords[-5:-1]:  # the four before the current one, and the current one below
        with pytest.raises(ValidationFailed) as exc:
            password_change(user=user, old_password=current, new_password=reused)
        assert exc.value.fields[0].code == "weak_password"
        assert "最近 5 次" in exc.value.message
    # the sixth back is allowed again
    assert password_change(user=user, old_password=current, new_password=passwords[0])


def test_the_password_change_page_from_the_user_menu(api, make_user):
    user = make_user("county_official", region="440106")
    client = api(user)
    assert 'href="/password/"' in client.get("/").content.decode()  # in the user menu
    wrong = client.post(
        "/password/",
        {"old_password": "nope", "new_password": "Fresh-Pass-2026", "new_password_again": "Fresh-Pass-2026"},
    )
    assert "当前密码不正确" in wrong.content.decode()
    weak = client.post(
        "/password/", {"old_password": PASSWORD, "new_password": "1234567890", "new_password_again": "1234567890"}
    )
    assert "密码不符合要求" in weak.content.decode()
    ok = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password": "Fresh-Pass-2026", "new_password_again": "Fresh-Pass-2026"},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Fresh-Pass-2026")
    assert client.get("/").status_code == 200  # this session stays signed in
    assert AuditEntry.objects.filter(action="user.password_change", object_id=str(user.pk)).exists()


def test_an_expired_password_forces_the_change_page(make_user):
    with time_machine.travel(T0, tick=False) as traveller:
        user = make_user("worker")
        client = Client()
        _sign_in(client, user.username)
        assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(days=91))
        client = Client()
        _sign_in(client, user.username)
        response = client.get("/account/")
        assert response.status_code == 302
        assert response["Location"].startswith("/password/")
        assert client.get("/api/v1/me").status_code == 401
        page = client.get(response["Location"]).content.decode()
        assert 'id="jn-password-forced"' in page
        client.post(
            "/password/",
            {"old_password": PASSWORD, "new_password": "Fresh-Pass-2026", "new_password_again": "Fresh-Pass-2026"},
        )
        assert client.get("/account/").status_code == 200


def test_a_password_set_by_an_administrator_must_be_changed(make_user):
    user = make_user("worker")
    with pytest.raises(ValidationFailed):
        password_set_by_admin(actor=None, user=user, password="1234567890")
    password_set_by_admin(actor=None, user=user, password="Temp-Pass-2026")
    client = Client()
    _sign_in(client, user.username, "Temp-Pass-2026")
    assert client.get("/account/")["Location"].startswith("/password/")
    assert AuditEntry.objects.filter(action="user.password_reset", object_id=str(user.pk)).exists()


def test_changepassword_command_applies_the_policy(make_user, monkeypatch):
    user = make_user("worker")
    answers = iter(["1234567890", "1234567890"])
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: next(answers))
    with pytest.raises((CommandError, StopIteration)):
        call_command("changepassword", user.username, stdout=io.StringIO(), stderr=io.StringIO())
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# ---- 2. the second factor ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "region", "org"),
    [
        ("county_official", "440106", False),
        ("finance", "440000", False),
        ("inspector", "440000", False),
        ("sysadmin", "440000", False),
        ("provider_staff", None, True),
        ("evaluator", None, True),
    ],
)
def test_officials_and_staff_must_pass_a_second_factor(client, make_user, make_org, function, region, org):
    user = make_user(function, region=region, organization=make_org() if org else None)
    _sign_in(client, user.username)
    response = client.get("/jobs/")
    assert response.status_code == 302
    assert response["Location"] == "/login/otp/setup/?next=%2Fjobs%2F"
    api = client.get("/api/v1/me")
    assert api.status_code == 401
    assert api.json()["code"] == "second_factor_required"


def test_a_bearer_header_does_not_carry_a_half_finished_session_past_the_second_factor(client, make_user):
    """A session signed in with the password only, plus any ``Authorization: Bearer …`` header, must not reach the
    API as that user: a request that carries a bearer header is authenticated by its token alone."""
    user = make_user("county_official", region="440106")
    _sign_in(client, user.username)
    for header in ("Bearer x", "Bearer jn_invalid", "bearer "):
        me = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
        assert me.status_code == 401, (header, me.content)
        made = client.post("/api/v1/tokens", {"label": "half"}, content_type="application/json",
                           HTTP_AUTHORIZATION=header)  # fmt: skip
        assert made.status_code == 401, (header, made.content)
    assert not user.api_tokens.exists()


def test_a_worker_needs_no_second_factor(client, make_user):
    user = make_user("worker")
    _sign_in(client, user.username)
    assert client.get("/account/").status_code == 200


def test_enrollment_qr_code_recovery_codes_and_the_code_at_each_sign_in(client, make_user):
    user = make_user("county_official", region="440106")
    _sign_in(client, user.username)
    qr = client.get("/login/otp/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    assert client.post("/login/otp/setup/", {"token": "000000"}).status_code == 200  # a wrong code enrols nothing
    with time_machine.travel(dt.timedelta(seconds=3)):  # past the throttle (1 s, doubling) a failure starts
        secret, codes = enroll_second_factor(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/login/otp/recovery/").status_code == 302  # shown once
    assert client.get("/jobs/").status_code == 200
    assert AuditEntry.objects.filter(action="otp.enroll", object_id=str(user.pk)).exists()
    assert client.get("/login/otp/qr.svg").status_code == 404  # no secret once enrolled

    again = Client()
    _sign_in(again, user.username)
    assert again.get("/jobs/")["Location"].startswith("/login/otp/?")
    wrong = again.post("/login/otp/", {"token": "123456", "next": "/jobs/"})
    assert "动态口令不正确" in wrong.content.decode()
    with time_machine.travel(dt.timedelta(seconds=61)):  # a code is good once: a later window, past the throttle
        right = again.post("/login/otp/", {"token": pyotp.TOTP(secret).now(), "next": "/jobs/"})
    assert right["Location"] == "/jobs/"
    assert again.get("/jobs/").status_code == 200

    # a recovery code works once
    third, fourth = Client(), Client()
    _sign_in(third, user.username)
    assert third.post("/login/otp/", {"token": codes[0], "next": "/"})["Location"] == "/"
    _sign_in(fourth, user.username)
    assert fourth.post("/login/otp/", {"token": codes[0], "next": "/"}).status_code == 200


def test_bearer_tokens_are_not_asked_for_a_second_factor(client, make_user):
    user = make_user("county_official", region="440106")
    _token, secret = token_create(actor=None, user=user)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_force_login_stands_for_a_finished_sign_in(api, make_user):
    assert api(make_user("county_official", region="440106")).get("/jobs/").status_code == 200


def test_the_security_administrator_resets_a_second_factor(make_user):
    official = make_user("county_official", region="440106")
    TOTPDevice.objects.create(user=official, name="authenticator", confirmed=True)
    security = make_user("security_admin", region="440000")
    sysadmin = make_user("sysadmin", region="440000")
    form = {"user_id": str(official.pk), "action": "otp", "reason": "更换手机"}

    by_sysadmin = Client()
    by_sysadmin.force_login(sysadmin)
    by_sysadmin.post("/users/", form)
    assert TOTPDevice.objects.filter(user=official, confirmed=True).exists()  # not the system administrator's power

    by_security = Client()
    by_security.force_login(security)
    assert by_security.post("/users/", {**form, "reason": ""}).status_code == 302
    assert TOTPDevice.objects.filter(user=official, confirmed=True).exists()  # a reason is required
    by_security.post("/users/", form)
    assert not TOTPDevice.objects.filter(user=official).exists()
    entry = AuditEntry.objects.get(action="user.otp_reset", object_id=str(official.pk))
    assert entry.reason == "更换手机"

    signed = Client()
    _sign_in(signed, official.username)
    assert signed.get("/")["Location"].startswith("/login/otp/setup/")  # enrols again


def test_the_users_page_per_administrator(api, make_user):
    make_user("county_official", region="440106")
    security = api(make_user("security_admin", region="440000")).get("/users/").content.decode()
    assert "重置动态口令" in security and "新建用户并授权" not in security  # resets, no accounts or grants
    assert 'href="/users/"' in security  # in the navigation
    system = api(make_user("sysadmin", region="440000")).get("/users/").content.decode()
    assert "新建用户并授权" in system and "重置动态口令" not in system
    auditor = api(make_user("audit_admin", region="440000"))
    assert auditor.get("/users/").status_code == 403
    assert auditor.get("/audit/").status_code == 200


def test_jineng_otp_code_prints_the_demo_code_and_refuses_in_production(make_user):
    user = make_user("county_official", region="440106", username="demo-county")
    worker = make_user("worker", username="demo-worker")
    assert seed_demo_second_factors(["demo-county", "demo-worker"]) == DEMO_TOTP_SECRET
    assert not TOTPDevice.objects.filter(user=worker).exists()
    out = io.StringIO()
    call_command("otp", "code", "demo-county", stdout=out)
    assert out.getvalue().strip() == totp_now(DEMO_TOTP_SECRET)
    assert TOTPDevice.objects.get(user=user).confirmed
    with override_settings(JINENG_DEMO_TOOLS=False), pytest.raises(CommandError, match="production"):
        call_command("otp", "code", "demo-county", stdout=io.StringIO())


# ---- 3. 三权分立 -----------------------------------------------------------------------------------------------------

TRIAD = ["sysadmin", "security_admin", "audit_admin"]


@pytest.mark.parametrize("first", TRIAD)
@pytest.mark.parametrize("second", TRIAD)
def test_no_account_combines_two_administrator_functions(make_user, first, second):
    user = make_user(first, region="440000")
    if first == second:
        grant_create(actor=None, user=user, function=second, region_code="440100")  # the same power elsewhere is fine
        return
    with pytest.raises(ValidationFailed) as exc:
        grant_create(actor=None, user=user, function=second, region_code="440000")
    assert exc.value.fields[0].code == "separation_of_duties"
    assert "三权分立" in exc.value.message
    assert user.grants.count() == 1


def test_a_revoked_administrator_function_no_longer_blocks(make_user):
    user = make_user("sysadmin", region="440000")
    grant_revoke(actor=None, grant=user.grants.get(), reason="调岗")
    assert grant_create(actor=None, user=user, function="audit_admin", region_code="440000")


def test_no_administrator_can_change_or_delete_audit_records(make_user):
    boss = User.objects.create_superuser(username="root", password="pw-Root-12345")
    request = RequestFactory().get("/admin/")
    request.user = boss
    model_admin = admin.site._registry[AuditEntry]
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)
    # nor does the admin show anyone's authenticator secrets (django-otp's own admin pages are taken out)
    assert TOTPDevice not in admin.site._registry
    entry = AuditEntry.objects.order_by("-seq").first() or None
    client = Client()
    client.force_login(boss)
    if entry is not None:
        before = (entry.action, entry.hash)
        client.post(f"/admin/common/auditentry/{entry.pk}/change/", {"action": "x"})
        client.post(f"/admin/common/auditentry/{entry.pk}/delete/", {"post": "yes"})
        entry.refresh_from_db()
        assert (entry.action, entry.hash) == before


def test_the_api_has_no_way_to_write_audit_records(openapi):
    spec = openapi.spec
    audit_paths = {path: set(ops) for path, ops in spec["paths"].items() if "/audit" in path}
    assert audit_paths, "the audit endpoints are in the published API"
    for path, methods in audit_paths.items():
        writes = methods & {"put", "patch", "delete"}
        assert not writes, (path, writes)
        if "post" in methods:  # only the verification job, which reads the chain
            assert path.endswith("verify"), path


def test_no_service_deletes_or_alters_audit_records():
    import jineng.common.audit.services as audit_services

    names = [n for n in dir(audit_services) if n.startswith("audit_")]
    assert not [n for n in names if any(w in n for w in ("delete", "update", "change", "edit", "remove"))], names
    entry = AuditEntry.objects.order_by("-seq").first()
    if entry is not None:
        with pytest.raises(Exception):  # noqa: B017 - the model refuses, whatever its exception type
            entry.delete()


# ---- 4. sessions and the last sign-in -------------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_time(make_user):
    user = make_user("worker")
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        _sign_in(client, user.username)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/account/").status_code == 200  # activity keeps it alive
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/account/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert "_auth_user_id" not in client.session
        assert client.get("/api/v1/me").status_code == 401
        # an HTMX request is sent to the login page as a whole page, not as a fragment
        htmx = Client()
        _sign_in(htmx, user.username)
        traveller.shift(dt.timedelta(minutes=31))
        response = htmx.get("/account/", HTTP_HX_REQUEST="true")
        assert response.status_code == 204 and response["HX-Redirect"] == "/login/"


@override_settings(JINENG_SESSION_IDLE_MINUTES=60, JINENG_SESSION_ABSOLUTE_HOURS=2)
def test_a_session_ends_at_its_absolute_lifetime_however_active(make_user):
    user = make_user("worker")
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        _sign_in(client, user.username)
        for _ in range(3):
            traveller.shift(dt.timedelta(minutes=40))
            assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(minutes=1))  # 2 h 01 since sign-in
        assert client.get("/account/").status_code == 302
        response = client.get("/api/v1/me")
        assert response.status_code == 401


def test_the_last_sign_in_and_the_failures_since_are_shown(make_user):
    user = make_user("worker")
    first = Client(REMOTE_ADDR="10.1.2.3")
    with time_machine.travel(T0, tick=False):
        first.post("/login/", {"username": user.username, "password": PASSWORD})
    for _ in range(2):
        Client().post("/login/", {"username": user.username, "password": "wrong-one"})
    second = Client()
    response = second.post("/login/", {"username": user.username, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "上次登录：2026-03-02 17:00" in html  # Asia/Shanghai
    assert "10.1.2.3" in html
    assert re.search(r"此后登录失败 2 次", html)


@pytest.mark.parametrize("function", ["security_admin", "audit_admin"])
def test_a_system_administrator_cannot_make_a_security_or_audit_administrator(api, make_user, function):
    """Found by attack: the system administrator created accounts with the other two administrator functions on
    /users/ and so held all three powers. Those two are granted only on the server (`jineng triad grant`)."""
    sysadmin = make_user("sysadmin", region="440000")
    target = make_user()
    with pytest.raises(ValidationFailed) as exc:
        grant_create(actor=sysadmin, user=target, function=function, region_code="440000")
    assert exc.value.fields[0].code == "console_only"
    assert not target.grants.exists()
    page = api(sysadmin).post("/users/", {
        "username": "atk-triad", "display_name": "x", "password": "Zx-9vq!Lm2#Rt", "function": function,
        "region": "440000",
    })  # fmt: skip
    assert not User.objects.filter(username="atk-triad").exists()
    assert page.status_code == 200 and "三权分立" in page.content.decode()


def test_the_operator_grants_the_security_administrator_on_the_server(make_user):
    out = io.StringIO()
    call_command("triad", "grant", "sec-officer", "security_admin", "--region", "440000", stdout=out)
    user = User.objects.get(username="sec-officer")
    assert user.grants.get().function == "security_admin"
    assert user.password_must_change and "initial password" in out.getvalue()
    with pytest.raises(CommandError, match="三权分立"):  # no account combines two of the three
        call_command("triad", "grant", "sec-officer", "audit_admin", "--region", "440000", stdout=io.StringIO())
