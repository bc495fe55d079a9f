"""config.env: the personal-data keys from the environment; production refuses to start without real keys."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import data_keys_from_env


def test_production_settings_require_keys(monkeypatch):
    for name in ("JINENG_DATA_KEYS", "JINENG_DATA_KEY_ACTIVE", "JINENG_DATA_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ImproperlyConfigured, match="JINENG_DATA_KEYS"):
        data_keys_from_env(required=True)
    key = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("JINENG_DATA_KEYS", f"k1:{key},k2:{base64.b64encode(os.urandom(32)).decode()}")
    monkeypatch.setenv("JINENG_DATA_KEY_ACTIVE", "k2")
    with pytest.raises(ImproperlyConfigured, match="HASH"):
        data_keys_from_env(required=True)
    monkeypatch.setenv("JINENG_DATA_HASH_KEY", key)
    config = data_keys_from_env(required=True)
    assert config["active"] == "k2" and set(config["keys"]) == {"k1", "k2"}
    monkeypatch.setenv("JINENG_DATA_KEY_ACTIVE", "nope")
    with pytest.raises(ImproperlyConfigured, match="JINENG_DATA_KEY_ACTIVE"):
        data_keys_from_env(required=True)
    monkeypatch.setenv("JINENG_DATA_KEYS", "k1:short")
    with pytest.raises(ImproperlyConfigured):
        data_keys_from_env(required=False)
