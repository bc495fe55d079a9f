"""Shell pages as a browser sees them: errors become pages (never 500s), redirects stay on the site."""

from __future__ import annotations

import hashlib
import re

import pytest

from jineng.accounts.models import ApiToken
from jineng.accounts.services import token_create
from jineng.common.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_login_never_redirects_off_the_site(client, make_user):
    user = make_user("county_official", region="440106")
    response = client.post(
        "/login/?next=https://evil.example/steal", {"username": user.username, "password": "pw-Test-12345"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_follows_a_local_next(client, make_user):
    user = make_user("county_official", region="440106")
    response = client.post("/login/?next=/jobs/", {"username": user.username, "password": "pw-Test-12345"})
    assert response["Location"] == "/jobs/"


def test_a_page_outside_the_permission_is_a_403_page(api, make_user):
    response = api(make_user("county_official", region="440106")).get("/users/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_an_out_of_scope_record_page_is_a_404_page(api, make_user):
    job = Job.objects.create(kind="probe", region_code="440303")
    response = api(make_user("county_official", region="440106")).get(f"/jobs/{job.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_revoking_a_token_on_the_account_page(api, make_user):
    user = make_user("county_official", region="440106")
    token, _secret = token_create(actor=user, user=user)
    client = api(user)
    assert client.post("/account/", {"revoke": "not-a-uuid"}).status_code == 302  # ignored, not a 500
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post("/account/", {"revoke": str(token.pk)})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_account_page_shows_a_new_secret_once(api, make_user):
    client = api(make_user("county_official", region="440106"))
    response = client.post("/account/", {"label": "对接"}, follow=True)
    html = response.content.decode()
    token = ApiToken.objects.get()
    secrets_shown = re.findall(r"jn_[A-Za-z0-9_-]{20,}", html)
    assert len(secrets_shown) == 1
    assert hashlib.sha256(secrets_shown[0].encode()).hexdigest() == token.digest
    assert secrets_shown[0] not in client.get("/account/").content.decode()  # once only
