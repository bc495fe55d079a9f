"""Unified identity (统一身份认证) against a real OpenID Connect provider (idp/server.mjs, oidc-provider): the code
flow with PKCE through the provider's own login page, the worker matched by the verified ID number, tampered and
replayed ID tokens refused, an identity matching no person offered registration, a worker reaching only their own
records, local passwords off for workers, officials required to use it by a setting."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import translation
from joserfc import jwt
from joserfc.jwk import RSAKey

from jineng.accounts import oidc
from jineng.accounts.models import ExternalIdentity, Grant, SignInEvent, User
from jineng.accounts.tests.idp import CLIENT_ID, Provider, identity, provider_sign_in
from jineng.common.models import AuditEntry
from jineng.registry.api import person_create

pytestmark = pytest.mark.django_db


def register(login: str) -> Any:
    """The registry person of a demo identity (by its ID number, as the registry keeps it: encrypted, hashed)."""
    who = identity(login)
    return person_create(actor="test", name=who["name"], id_number=who["id_number"], residence_region="440106",
                         check_permission=False)  # fmt: skip


def worker_account(person: Any, username: str = "w-liming") -> User:
    user = User.objects.create_user(username=username, password="pw-Test-12345", person_id=person.pk)
    Grant.objects.create(user=user, function="worker")
    return user


def start(client: Client) -> str:
    response = client.get("/auth/oidc/start")
    assert response.status_code == 302
    return str(response["Location"])


def sign_in(client: Client, login: str) -> Any:
    """The whole code flow: our start, the provider's login page, our callback. Returns the callback's response."""
    callback = provider_sign_in(start(client), login)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def password_sign_in(username: str, password: str = "pw-Test-12345") -> bool:  # noqa: S107
    """Whether the login form signs ``username`` in with that password (through every backend, axes included)."""
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def signed_in_user(client: Client) -> Any:
    return client.get("/account/").wsgi_request.user


# -- the start: the exact authorization request -------------------------------------------------------------------


def test_start_redirects_to_the_provider_with_code_pkce_state_and_nonce(client: Client, oidc_on: Provider) -> None:
    location = start(client)
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{oidc_on.issuer}/auth"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert {"response_type", "client_id", "redirect_uri", "state", "nonce", "code_challenge",
            "code_challenge_method"} <= set(query)  # fmt: skip
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/auth/oidc/callback"
    assert query["code_challenge_method"] == "S256"
    assert "openid" in query["scope"].split()
    # the challenge is the S256 of the verifier kept in the session for this state, with the nonce
    kept = client.session[f"_state_province_{query['state']}"]["data"]
    digest = hashlib.sha256(kept["code_verifier"].encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert kept["nonce"] == query["nonce"] and len(query["nonce"]) >= 16
    assert start(Client()) != location  # a fresh state, nonce and verifier every time


def test_start_without_a_configured_provider_says_so(client: Client, settings: Any) -> None:
    settings.JINENG_OIDC_ISSUER = ""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/auth/oidc/start")
    assert response.status_code == 404
    assert "not configured" in response.content.decode()


def test_the_login_page_offers_unified_identity(client: Client, oidc_on: Provider) -> None:
    page = client.get("/login/?next=/persons/me/").content.decode()
    assert "使用统一身份认证登录" in page
    assert "/auth/oidc/start?next=/persons/me/" in page


# -- the code flow against the real provider ----------------------------------------------------------------------


def test_a_worker_signs_in_through_the_provider_as_their_own_account(client: Client, oidc_on: Provider) -> None:
    person = register("liming")
    user = worker_account(person)
    response = sign_in(client, "liming")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == user
    link = ExternalIdentity.objects.get(user=user)
    assert (link.issuer, link.subject) == (oidc_on.issuer, "liming")
    entry = AuditEntry.objects.filter(action="user.oidc_sign_in").get()
    assert entry.object_id == str(user.pk) and entry.after["account_created"] is False
    assert SignInEvent.objects.filter(user=user, succeeded=True).exists()
    # the next sign-in goes through the same account (by the link), and asks nothing more of a worker
    client.logout()
    assert sign_in(client, "liming")["Location"] == "/"
    assert signed_in_user(client) == user
    assert client.get("/").status_code == 200


def test_the_first_sign_in_creates_the_worker_account_of_the_registry_person(client: Client, oidc_on: Provider) -> None:
    person = register("wangfang")
    response = sign_in(client, "wangfang")
    assert response.status_code == 302
    user = User.objects.get(person_id=person.pk)
    assert signed_in_user(client) == user
    assert not user.has_usable_password()  # no local password: unified identity is the way in
    assert list(Grant.objects.filter(user=user).values_list("function", flat=True)) == ["worker"]
    assert user.display_name == "王芳"
    assert AuditEntry.objects.filter(action="user.oidc_sign_in", object_id=str(user.pk)).get().after["account_created"]
    # once more: the same account, not a second one
    client.logout()
    sign_in(client, "wangfang")
    assert User.objects.filter(person_id=person.pk).count() == 1
    assert signed_in_user(client) == user


def test_the_next_parameter_is_followed_after_the_sign_in_and_an_outside_one_is_not(
    client: Client, oidc_on: Provider
) -> None:
    worker_account(register("liming"))
    client.get("/auth/oidc/start?next=/persons/me/")
    callback = provider_sign_in(start(client), "liming")  # the latest start keeps its own next ("/")
    assert client.get(callback.replace("http://testserver", ""))["Location"] == "/"
    client.logout()
    callback = provider_sign_in(str(client.get("/auth/oidc/start?next=/persons/me/")["Location"]), "liming")
    assert client.get(callback.replace("http://testserver", ""))["Location"] == "/persons/me/"
    client.logout()
    callback = provider_sign_in(str(client.get("/auth/oidc/start?next=https://evil.example/")["Location"]), "liming")
    assert client.get(callback.replace("http://testserver", ""))["Location"] == "/"


def test_an_identity_matching_no_person_is_offered_registration_and_reaches_no_record(
    client: Client, oidc_on: Provider
) -> None:
    other = register("liming")
    worker_account(other)
    users_before = User.objects.count()
    response = sign_in(client, "zhaolei")
    page = response.content.decode()
    assert response.status_code == 200
    assert "尚未登记为培训对象" in page
    assert "/catalog/programs/" in page and "/catalog/providers/" in page
    assert "李明" not in page and "赵磊" not in page  # nobody's name in full; the identity's own masked
    assert User.objects.count() == users_before
    assert not signed_in_user(client).is_authenticated
    assert client.get(f"/persons/{other.pk}/").status_code == 302  # to the login page
    assert AuditEntry.objects.filter(action="user.oidc_refused", reason="no_person").exists()


def test_the_registration_page_reads_in_english(client: Client, oidc_on: Provider) -> None:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = sign_in(client, "zhaolei").content.decode()
    assert "not yet registered" in page


def test_a_signed_in_worker_reaches_only_their_own_records(client: Client, oidc_on: Provider) -> None:
    mine = register("wangfang")
    theirs = register("liming")
    worker_account(theirs)
    sign_in(client, "wangfang")
    assert client.get("/persons/me/")["Location"] == f"/persons/{mine.pk}/"
    assert client.get(f"/persons/{mine.pk}/").status_code == 200
    assert client.get(f"/persons/{theirs.pk}/").status_code == 404
    listing = client.get("/persons/")
    assert listing.status_code in (200, 403, 404) and str(theirs.pk) not in listing.content.decode()
    assert client.get(f"/api/v1/persons/{theirs.pk}").status_code in (403, 404)


# -- tampered and replayed tokens ---------------------------------------------------------------------------------


def _claims(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _sig = id_token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(head))), json.loads(base64.urlsafe_b64decode(pad(body)))


def _resign(provider: Provider, change: Callable[[dict[str, Any]], None]) -> Callable[[str], str]:
    def tamper(id_token: str) -> str:
        header, claims = _claims(id_token)
        change(claims)
        return jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, provider.key)

    return tamper


def _bad_signature(id_token: str) -> str:
    head, body, sig = id_token.split(".")
    flipped = ("A" if sig[10] != "A" else "B") + sig[11:]
    return f"{head}.{body}.{sig[:10]}{flipped}"


def _other_key_same_kid(id_token: str) -> str:
    header, claims = _claims(id_token)
    stranger = RSAKey.generate_key(2048, private=True)
    return jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, stranger)


def _alg_none(id_token: str) -> str:
    _head, body, _sig = id_token.split(".")
    head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    return f"{head}.{body}."


def _expired(claims: dict[str, Any]) -> None:
    now = int(time.time())
    claims.update(iat=now - 3600, exp=now - 600)


TAMPERS: dict[str, Callable[[Provider], Callable[[str], str]]] = {
    "bad_signature": lambda p: _bad_signature,
    "signed_by_another_key": lambda p: _other_key_same_kid,
    "alg_none": lambda p: _alg_none,
    "wrong_audience": lambda p: _resign(p, lambda c: c.update(aud="someone-else")),
    "wrong_issuer": lambda p: _resign(p, lambda c: c.update(iss="https://id.evil.example")),
    "expired": lambda p: _resign(p, _expired),
    "wrong_nonce": lambda p: _resign(p, lambda c: c.update(nonce="not-this-sessions-nonce")),
}


@pytest.mark.parametrize("how", list(TAMPERS))
def test_a_tampered_id_token_is_refused(client: Client, oidc_on: Provider, monkeypatch: Any, how: str) -> None:
    person = register("liming")
    worker_account(person)
    register("wangfang")
    users_before = User.objects.count()
    tamper = TAMPERS[how](oidc_on)
    app = oidc.client()
    real_fetch = app.fetch_access_token

    def fetch(**kwargs: Any) -> dict[str, Any]:
        token = dict(real_fetch(**kwargs))  # the real exchange at the provider, with the PKCE verifier
        token["id_token"] = tamper(token["id_token"])
        return token

    monkeypatch.setattr(app, "fetch_access_token", fetch)
    response = sign_in(client, "liming")
    assert response.status_code == 400
    assert "未通过校验" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert User.objects.count() == users_before
    assert AuditEntry.objects.filter(action="user.oidc_refused").exists()
    assert not AuditEntry.objects.filter(action="user.oidc_sign_in").exists()


def test_a_replayed_nonce_is_refused(client: Client, oidc_on: Provider, monkeypatch: Any) -> None:
    """An ID token that signed someone in cannot sign in again — not even in a session made to expect its nonce."""
    worker_account(register("liming"))
    app = oidc.client()
    real_fetch = app.fetch_access_token
    captured: list[dict[str, Any]] = []

    def capture(**kwargs: Any) -> dict[str, Any]:
        token = dict(real_fetch(**kwargs))
        captured.append(token)
        return token

    monkeypatch.setattr(app, "fetch_access_token", capture)
    assert sign_in(client, "liming").status_code == 302
    _header, first = _claims(captured[0]["id_token"])

    attacker = Client()
    location = start(attacker)
    state = parse_qs(urlsplit(location).query)["state"][0]
    session = attacker.session
    key = f"_state_province_{state}"
    kept = session[key]
    kept["data"]["nonce"] = first["nonce"]  # the session expects the captured token's nonce
    session[key] = kept
    session.save()
    monkeypatch.setattr(app, "fetch_access_token", lambda **kwargs: dict(captured[0]))
    response = attacker.get(f"/auth/oidc/callback?code=anything&state={state}")
    assert response.status_code == 400
    assert not signed_in_user(attacker).is_authenticated
    assert AuditEntry.objects.filter(action="user.oidc_refused", reason="replayed_nonce").exists()


def test_a_callback_replayed_after_use_is_refused(client: Client, oidc_on: Provider) -> None:
    worker_account(register("liming"))
    callback = provider_sign_in(start(client), "liming")
    path = callback.replace("http://testserver", "")
    assert client.get(path).status_code == 302
    client.logout()
    assert client.get(path).status_code == 400  # its state is gone and its code spent
    assert Client().get(path).status_code == 400  # nor from another browser


def test_a_callback_with_an_unknown_state_or_a_provider_error_is_refused(client: Client, oidc_on: Provider) -> None:
    assert client.get("/auth/oidc/callback?code=x&state=made-up").status_code == 400
    assert client.get("/auth/oidc/callback?error=access_denied&state=x").status_code == 400
    assert client.get("/auth/oidc/callback").status_code == 400
    assert client.get("/auth/oidc/callback?code=" + "x" * 5000 + "&state=" + "y" * 5000).status_code == 400


# -- who the verified claims sign in (resolve) --------------------------------------------------------------------


def _resolve(claims: dict[str, Any]) -> oidc.Outcome:
    return oidc.resolve(RequestFactory().get("/auth/oidc/callback"), claims)


def test_an_unverified_or_missing_id_number_signs_nobody_in(oidc_on: Provider) -> None:
    person = register("liming")
    worker_account(person)
    number = identity("liming")["id_number"]
    assert _resolve({"sub": "x1", "id_number": number, "id_number_verified": False}).reason == "no_verified_id_number"
    assert _resolve({"sub": "x2", "id_number": number}).reason == "no_verified_id_number"
    assert _resolve({"sub": "x3", "id_number_verified": True}).reason == "no_verified_id_number"
    assert _resolve({"id_number": number, "id_number_verified": True}).reason == "no_subject"
    bad = _resolve({"sub": "x4", "id_number": "440106199506181235", "id_number_verified": True})
    assert bad.kind == "refused" and bad.reason == "invalid_id_number"
    assert not ExternalIdentity.objects.exists()


def test_the_name_claim_never_matches_anyone(oidc_on: Provider) -> None:
    worker_account(register("liming"))
    outcome = _resolve({"sub": "x5", "name": "李明", "id_number": identity("zhaolei")["id_number"],
                        "id_number_verified": True})  # fmt: skip
    assert outcome.kind == "no_match"


def test_a_linked_identity_whose_id_number_changed_person_is_refused(oidc_on: Provider) -> None:
    liming = register("liming")
    register("wangfang")
    worker_account(liming)
    assert _resolve({"sub": "s1", "id_number": identity("liming")["id_number"], "id_number_verified": True}).user
    swapped = _resolve({"sub": "s1", "id_number": identity("wangfang")["id_number"], "id_number_verified": True})
    assert (swapped.kind, swapped.reason) == ("refused", "person_mismatch")


def test_an_officials_account_of_the_same_person_is_not_taken_over(oidc_on: Provider, make_user: Any) -> None:
    person = register("liming")
    official = make_user("county_official", region="440106")
    User.objects.filter(pk=official.pk).update(person_id=person.pk)
    outcome = _resolve({"sub": "s2", "id_number": identity("liming")["id_number"], "id_number_verified": True})
    assert (outcome.kind, outcome.reason) == ("refused", "not_a_worker_account")


def test_a_nonce_is_used_once(db: Any) -> None:
    assert oidc.nonce_consume("n-1") is True
    assert oidc.nonce_consume("n-1") is False
    assert oidc.nonce_consume("") is False


# -- local passwords ----------------------------------------------------------------------------------------------


def test_a_workers_password_is_refused_by_default_and_told_to_use_unified_identity(
    client: Client, oidc_on: Provider
) -> None:
    worker_account(register("liming"), username="w-pw")
    assert not password_sign_in("w-pw")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/login/", {"username": "w-pw", "password": "pw-Test-12345"})
    assert response.status_code == 200
    assert "must sign in through unified identity" in response.content.decode()
    wrong = client.post("/login/", {"username": "w-pw", "password": "wrong-Password-1"}).content.decode()
    assert "must sign in through unified identity" not in wrong  # only a correct password learns the way


def test_the_kept_usernames_and_the_deployment_setting_allow_worker_passwords(oidc_on: Provider, settings: Any) -> None:
    worker_account(register("liming"), username="demo-worker")
    settings.JINENG_PASSWORD_SIGN_IN_KEPT = ["demo-worker"]
    assert password_sign_in("demo-worker")
    settings.JINENG_PASSWORD_SIGN_IN_KEPT = []
    assert not password_sign_in("demo-worker")
    settings.JINENG_WORKER_PASSWORD_SIGN_IN = True
    assert password_sign_in("demo-worker")


def test_officials_can_be_required_to_use_unified_identity(oidc_on: Provider, settings: Any, make_user: Any) -> None:
    official = make_user("county_official", region="440106", username="official-1")
    assert password_sign_in("official-1")
    settings.JINENG_OFFICIALS_OIDC_ONLY = True
    assert not password_sign_in("official-1")
    assert official.is_active


def test_an_official_linked_by_the_console_signs_in_through_the_provider_then_passes_the_second_factor(
    client: Client, oidc_on: Provider, settings: Any, make_user: Any
) -> None:
    settings.JINENG_OFFICIALS_OIDC_ONLY = True
    official = make_user("city_official", region="440100", username="official-2")
    out = io.StringIO()
    call_command("oidc", "link", "official-2", "chenjing", stdout=out)
    assert "official-2" in out.getvalue()
    response = sign_in(client, "chenjing")
    assert response.status_code == 302
    assert signed_in_user(client) == official
    assert client.get("/").status_code == 302  # on to the one-time code, like every official
    assert AuditEntry.objects.filter(action="user.oidc_link", object_id=str(official.pk)).exists()


def test_an_identity_with_no_link_and_no_person_cannot_become_an_official(client: Client, oidc_on: Provider) -> None:
    response = sign_in(client, "chenjing")  # an official's identity no one linked: their number is no person
    assert response.status_code == 200 and "尚未登记" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_reasons_read_in_english() -> None:
    from jineng.accounts.web.oidc_views import REASONS

    with translation.override("en"):
        assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in str(text)) for text in REASONS.values())


def test_the_demo_identities_are_valid_numbers_and_the_demo_worker_is_one() -> None:
    from jineng.rules.idcard import check_character
    from jineng.web.management.commands.seed import DEMO_WORKER_ID, OIDC_DEMO_PERSON_ID

    numbers = {i["login"]: i["id_number"] for i in json.loads(
        (oidc_provider_root() / "identities.json").read_text(encoding="utf-8"))["identities"]}  # fmt: skip
    for number in numbers.values():
        assert number[17] == check_character(number[:17])
    assert numbers["liming"] == DEMO_WORKER_ID[:17] + check_character(DEMO_WORKER_ID[:17])
    assert numbers["wangfang"] == OIDC_DEMO_PERSON_ID
    assert dt.date(int(numbers["zhaolei"][6:10]), 1, 1).year == 1990


def oidc_provider_root() -> Any:
    from jineng.accounts.tests.idp import IDP_DIR

    return IDP_DIR
