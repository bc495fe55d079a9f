"""config.env: the database connection — kept open between requests, no health-check round trip unless asked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_env


def test_no_health_check_round_trip_by_default(monkeypatch):
    monkeypatch.delenv("JINENG_DB_HEALTH_CHECKS", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://app@127.0.0.1:5432/jineng")
    config = database_from_env(None)
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is False


def test_health_checks_can_be_turned_on_and_refuse_a_non_boolean(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@127.0.0.1:5432/jineng")
    monkeypatch.setenv("JINENG_DB_HEALTH_CHECKS", "true")
    assert database_from_env(None)["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setenv("JINENG_DB_HEALTH_CHECKS", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="JINENG_DB_HEALTH_CHECKS"):
        database_from_env(None)


def test_a_unix_socket_url_names_the_socket_directory(monkeypatch):
    monkeypatch.delenv("JINENG_DB_HEALTH_CHECKS", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://app@%2Fvar%2Frun%2Fpostgresql/jineng")
    config = database_from_env(None)
    assert config["HOST"] == "/var/run/postgresql" and config["NAME"] == "jineng"
