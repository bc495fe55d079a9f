"""The one place where the environment is read.

Every setting that comes from outside (``DATABASE_URL``, ``SECRET_KEY``, ``JINENG_*``) is read here, so a
missing or malformed value fails at start with a message that says what to set.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"Set the environment variable {name} (环境变量 {name} 未设置).")
    return value


def env_str_optional(name: str) -> str:
    """A setting that may be left unset (then ""), e.g. a feature that is off until configured."""
    return os.environ.get(name, "").strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


SUPPORTED_DB_SCHEMES = ("postgres://", "postgresql://", "sqlite://")


def database_from_env(default_url: str | None) -> dict[str, object]:
    """Parse ``DATABASE_URL`` into Django's DATABASES entry, with the options Jineng needs."""
    url = os.environ.get("DATABASE_URL", default_url or "")
    if not url:
        raise ImproperlyConfigured(
            "Set DATABASE_URL, for example postgres://USER:PASSWORD@127.0.0.1:5432/jineng "
            "or sqlite:////absolute/path/jineng.sqlite3 (未设置 DATABASE_URL)."
        )
    if not url.startswith(SUPPORTED_DB_SCHEMES):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with one of {', '.join(SUPPORTED_DB_SCHEMES)}; got {url.split(':', 1)[0]!r}. "
            "Example: postgres://USER:PASSWORD@127.0.0.1:5432/jineng (DATABASE_URL 格式不正确)."
        )
    try:
        # No health check by default: Django's check is a ``SELECT 1`` before the first query of every request — a
        # second round trip on the busiest public endpoints (issue 26). Without it a connection the server dropped
        # fails the one request that finds it, and Django then closes it (``errors_occurred``); the next request
        # reconnects. JINENG_DB_HEALTH_CHECKS=true restores the check where the network drops idle connections.
        config: dict[str, object] = dict(
            dj_database_url.parse(
                url, conn_max_age=600, conn_health_checks=env_bool("JINENG_DB_HEALTH_CHECKS", default=False)
            )
        )
    except Exception as exc:  # dj_database_url raises several kinds; all mean the same to the operator
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from exc
    engine = str(config["ENGINE"])
    if engine.endswith("sqlite3"):
        name = str(config.get("NAME") or "")
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0 if name in ("", ":memory:") else 600
        # A single writer: IMMEDIATE transactions make concurrent writers queue on the lock instead of failing
        # with "database is locked" halfway through; WAL lets readers proceed beside the writer.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536;"
            ),
        }
    return config


def data_keys_from_env(*, required: bool) -> dict[str, object]:
    """Keys for personal data (``jineng.common.crypto``), read from the environment.

    ``JINENG_DATA_KEYS``: ``kid:base64key,kid2:base64key`` — 32-byte keys; every key that ever wrote a value stays
    listed until ``jineng keys rotate`` has moved everything to the active one. ``JINENG_DATA_KEY_ACTIVE``: the kid
    that encrypts new values. ``JINENG_DATA_HASH_KEY``: base64, 32 bytes — the key of the exact-lookup hash (blind
    index); it never rotates with the data keys. ``JINENG_DATA_CIPHER``: ``aes-256-gcm`` (default) or
    ``sm4-ctr-hmac-sm3`` (商用密码). With ``required`` (production) a missing key is a start-up error.
    """
    import base64
    import binascii

    keys: dict[str, bytes] = {}
    raw = os.environ.get("JINENG_DATA_KEYS", "").strip()
    for item in [part.strip() for part in raw.split(",") if part.strip()]:
        kid, sep, b64 = item.partition(":")
        kid = kid.strip()
        if not sep or not kid or not kid.replace("-", "").replace("_", "").isalnum() or len(kid) > 16:
            raise ImproperlyConfigured(
                "JINENG_DATA_KEYS must be kid:base64key pairs separated by commas, kid of letters/digits "
                "(up to 16), e.g. k2026a:<base64 of 32 random bytes> (数据密钥格式不正确)."
            )
        try:
            key = base64.b64decode(b64.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"JINENG_DATA_KEYS: key {kid!r} is not valid base64.") from None
        if len(key) != 32:
            raise ImproperlyConfigured(f"JINENG_DATA_KEYS: key {kid!r} must be 32 bytes, got {len(key)}.")
        keys[kid] = key
    active = os.environ.get("JINENG_DATA_KEY_ACTIVE", "").strip() or (next(iter(keys)) if len(keys) == 1 else "")
    if keys and active not in keys:
        raise ImproperlyConfigured(
            f"JINENG_DATA_KEY_ACTIVE={active!r} must name one of the keys in JINENG_DATA_KEYS ({', '.join(keys)})."
        )
    hash_key: bytes | None = None
    raw_hash = os.environ.get("JINENG_DATA_HASH_KEY", "").strip()
    if raw_hash:
        try:
            hash_key = base64.b64decode(raw_hash, validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured("JINENG_DATA_HASH_KEY is not valid base64.") from None
        if len(hash_key) < 32:
            raise ImproperlyConfigured("JINENG_DATA_HASH_KEY must be at least 32 bytes.")
    cipher = os.environ.get("JINENG_DATA_CIPHER", "aes-256-gcm").strip() or "aes-256-gcm"
    if cipher not in ("aes-256-gcm", "sm4-ctr-hmac-sm3"):
        raise ImproperlyConfigured(f"JINENG_DATA_CIPHER must be aes-256-gcm or sm4-ctr-hmac-sm3, not {cipher!r}.")
    if required and (not keys or hash_key is None):
        raise ImproperlyConfigured(
            "Personal data needs real keys: set JINENG_DATA_KEYS (kid:base64 of 32 random bytes), "
            "JINENG_DATA_KEY_ACTIVE and JINENG_DATA_HASH_KEY (base64 of 32 random bytes); "
            "`jineng keys generate` prints new ones (未配置个人数据加密密钥)."
        )
    return {"keys": keys, "active": active, "hash_key": hash_key, "cipher": cipher, "required": required}
