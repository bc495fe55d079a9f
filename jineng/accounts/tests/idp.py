"""The real OpenID Connect provider of the tests: idp/server.mjs (the npm package oidc-provider) started on a free
port for the session, with a signing key the tests hold (to make validly signed but wrong tokens), stopped at the end.

Fixtures: ``oidc_provider`` (for Django's test client: redirect URI http://testserver/…), ``oidc_provider_live``
(for the browser tests' live server), ``oidc_on`` (the settings pointing at the first, worker passwords off), and
helpers: ``provider_sign_in`` walks the provider's own login pages with an HTTP session.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
IDP_DIR = ROOT / "idp"
IDENTITIES = json.loads((IDP_DIR / "identities.json").read_text(encoding="utf-8"))
DEMO_PASSWORD = IDENTITIES["password"]
CLIENT_ID = "jineng-test"
CLIENT_SECRET = "jineng-test-secret"  # noqa: S105 - the throwaway provider's client secret


def identity(login: str) -> dict[str, Any]:
    return next(i for i in IDENTITIES["identities"] if i["login"] == login)


@dataclass
class Provider:
    issuer: str
    key: Any  # joserfc RSAKey, private: the provider signs with it
    process: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp: Path, redirect_uris: list[str]) -> Provider:
    from joserfc.jwk import RSAKey

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the OpenID Connect provider of the tests cannot run")
    if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],  # noqa: S607
                       cwd=IDP_DIR, check=True)  # fmt: skip
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"}, private=True)
    jwks = tmp / "jwks.json"
    jwks.write_text(json.dumps({"keys": [key.as_dict(private=True)]}))
    last_error = ""
    for _attempt in range(3):  # a port the kernel said was free may be taken by the time node listens
        port = _free_port()
        log = tmp / f"idp-{port}.log"
        env = {**os.environ, "JINENG_IDP_PORT": str(port), "JINENG_IDP_CLIENT_ID": CLIENT_ID,
               "JINENG_IDP_CLIENT_SECRET": CLIENT_SECRET, "JINENG_IDP_REDIRECT_URIS": ",".join(redirect_uris),
               "JINENG_IDP_JWKS_FILE": str(jwks)}  # fmt: skip
        process = subprocess.Popen([node, str(IDP_DIR / "server.mjs")], env=env, stdout=log.open("wb"),  # noqa: S603
                                   stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if "jineng-idp ready" in log.read_text(errors="replace"):
                return Provider(issuer=f"http://127.0.0.1:{port}", key=key, process=process, log=log)
            time.sleep(0.1)
        process.kill()
        process.wait()
        last_error = log.read_text(errors="replace")
    raise RuntimeError(f"the OpenID Connect provider did not start:\n{last_error}")


def _stop(provider: Provider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    provider = _start(tmp_path_factory.mktemp("idp"), ["http://testserver/auth/oidc/callback"])
    yield provider
    _stop(provider)


@pytest.fixture(scope="session")
def oidc_provider_live(tmp_path_factory: pytest.TempPathFactory, live_server: Any) -> Iterator[Provider]:
    base = live_server.url.rstrip("/")
    uris = [f"{base}/auth/oidc/callback", f"{base.replace('localhost', '127.0.0.1')}/auth/oidc/callback"]
    provider = _start(tmp_path_factory.mktemp("idp-live"), uris)
    yield provider
    _stop(provider)


def use_provider(settings: Any, provider: Provider) -> None:
    settings.JINENG_OIDC_ISSUER = provider.issuer
    settings.JINENG_OIDC_CLIENT_ID = CLIENT_ID
    settings.JINENG_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.JINENG_WORKER_PASSWORD_SIGN_IN = False
    settings.JINENG_PASSWORD_SIGN_IN_KEPT = []


@pytest.fixture
def oidc_on(settings: Any, oidc_provider: Provider) -> Provider:
    use_provider(settings, oidc_provider)
    return oidc_provider


def provider_sign_in(authorize_url: str, login: str, password: str = DEMO_PASSWORD) -> str:
    """Follow the provider from its authorization URL through its login page as ``login``; returns the URL it sends
    the browser back to (our callback, with code and state)."""
    http = requests.Session()
    url = authorize_url
    for _hop in range(10):
        response = http.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            if "/auth/oidc/callback" in url:
                return url
            continue
        assert response.status_code == 200, response.text[:500]
        assert 'name="password"' in response.text, response.text[:500]
        action = url.split("?")[0].rstrip("/") + "/login"
        posted = http.post(action, data={"login": login, "password": password}, allow_redirects=False, timeout=10)
        if posted.status_code == 200:
            raise AssertionError(f"the provider refused the sign-in: {posted.text[:300]}")
        assert posted.status_code in (302, 303), posted.text[:500]
        url = urljoin(action, posted.headers["Location"])
    raise AssertionError(f"the provider never sent us back: {url}")
