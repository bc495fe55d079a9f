"""The UI is Chinese by default whatever the browser asks for; English only through the switch."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_by_default(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in body


@pytest.mark.django_db
def test_the_switch_sets_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/")
    assert response["Content-Language"] == "en"
    assert "Sign in" in response.content.decode() or "Log in" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    assert client.get("/login/")["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"
    assert client.get("/login/")["Content-Language"] == "zh-hans"
