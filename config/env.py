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
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True))
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
