"""Creating a token on the account page shows its secret once; reloading creates nothing more."""

from __future__ import annotations

import pytest

from jineng.accounts.models import ApiToken


@pytest.mark.django_db
def test_token_secret_is_shown_once_and_a_reload_creates_no_second_token(api, make_user):
    user = make_user("county_official", region="440106")
    client = api(user)
    response = client.post("/account/", {"label": "考勤终端"})
    assert response.status_code == 302
    assert ApiToken.objects.filter(user=user).count() == 1
    first = client.get("/account/").content.decode()
    assert "jn_" in first
    again = client.get("/account/").content.decode()
    assert ApiToken.objects.filter(user=user).count() == 1
    secret_start = first.index("jn_")
    secret = first[secret_start : secret_start + 20]
    assert secret not in again
