"""Operations: /healthz, start-up configuration errors, ``check --deploy``, security headers, JSON logs."""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError

from jineng.common.logging import RequestContextFilter, ScrubbingJsonFormatter
from jineng.common.request_context import RequestInfo, reset_request_info, set_request_info

ROOT = Path(django_settings.BASE_DIR)
JINENG = Path(sys.executable).parent / "jineng"


# ---- /healthz -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_healthz_reports_a_database_failure_as_503(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "DatabaseError"}


# ---- start-up configuration ---------------------------------------------------------------------------------------


def _production_env(**overrides: str | None) -> dict[str, str]:
    # A clean environment: only what a process needs to run, never what other tests set in this one.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "TMPDIR") if k in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "postgres://jineng:secret@127.0.0.1:5432/jineng",
            "JINENG_DATA_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "JINENG_DATA_KEY_ACTIVE": "k1",
            "JINENG_DATA_HASH_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _jineng(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(JINENG), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_wrong_database_url_fails_at_start_saying_what_to_set():
    result = _jineng("check", env=_production_env(DATABASE_URL="mysql://x"))
    assert result.returncode == 2
    assert "DATABASE_URL must start with one of postgres://" in result.stderr
    assert "DATABASE_URL 格式不正确" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_database_url_fails_at_start_saying_what_to_set():
    result = _jineng("check", env=_production_env(DATABASE_URL=None))
    assert result.returncode == 2
    assert "Set DATABASE_URL, for example postgres://" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_secret_key_fails_under_production():
    result = _jineng("check", env=_production_env(SECRET_KEY=None))
    assert result.returncode == 2
    assert "Set the environment variable SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _jineng("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# ---- security headers ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/api/v1/me", "/healthz", "/api/v1/no-such-route"])
def test_responses_carry_the_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only_and_same_site(client, make_user):
    user = make_user("county_official", region="440106")
    response = client.post("/login/", {"username": user.username, "password": "pw-Test-12345"})
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


# ---- JSON logs ----------------------------------------------------------------------------------------------------


def _record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("jineng.test", logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_log_filter_masks_id_numbers_and_phones_in_messages_and_arguments():
    record = _record("person %s called from %s", "440106199001011234", "13812345678")
    assert RequestContextFilter().filter(record)
    text = record.getMessage()
    assert "440106199001011234" not in text and "13812345678" not in text
    assert "4401**********1234" in text and "138****5678" in text

    inline = _record("身份证 44010619900101123X 手机 15900001111")
    RequestContextFilter().filter(inline)
    assert inline.getMessage() == "身份证 4401**********123X 手机 159****1111"


def test_log_filter_adds_the_request_id():
    token = set_request_info(RequestInfo(request_id="req-42", address="127.0.0.1", user_agent="t"))
    try:
        record = _record("hello")
        RequestContextFilter().filter(record)
        assert record.request_id == "req-42"
    finally:
        reset_request_info(token)
    outside = _record("hello")
    RequestContextFilter().filter(outside)
    assert outside.request_id == "-"


def test_log_filter_takes_the_request_id_from_a_logged_request():
    class Request:
        request_id = "req-from-request"

    record = _record("Not Found: %s", "/x", request=Request())
    RequestContextFilter().filter(record)
    assert record.request_id == "req-from-request"


def test_logs_are_one_json_object_per_line_with_personal_data_scrubbed():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        ScrubbingJsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("jineng.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("lookup of %s failed", "440106199001011234", extra={"query": "?phone=13812345678"})
        try:
            raise ValueError("bad row 440106199001011234")
        except ValueError:
            logger.exception("import failed")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    lines = stream.getvalue().strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "WARNING" and first["logger"] == "jineng.test.json"
    assert first["message"] == "lookup of 4401**********1234 failed"
    assert first["query"] == "?phone=138****5678"  # extras are scrubbed too
    assert "request_id" in first and "time" in first
    assert "440106199001011234" not in stream.getvalue()
    assert "ValueError" in second["exc_info"]


def test_the_configured_root_handler_writes_json():
    formatter = django_settings.LOGGING["formatters"]["json"]["()"]
    assert formatter == "jineng.common.logging.ScrubbingJsonFormatter"
    handler = django_settings.LOGGING["handlers"]["console"]
    assert "request" in handler["filters"]
