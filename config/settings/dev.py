"""Development and demo: the embedded SQLite database in ``var/`` unless DATABASE_URL says otherwise."""

from __future__ import annotations

from config.env import BASE_DIR, database_from_env, env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("JINENG_DEBUG", False)
DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'var' / 'jineng.sqlite3'}")}
# `jineng runserver` and the demo serve static files from the finders too, so a missing collectstatic is harmless.
WHITENOISE_USE_FINDERS = True
# Demo helpers such as `jineng otp code USERNAME` (never in production).
JINENG_DEMO_TOOLS = True
