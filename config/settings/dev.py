"""Development and demo: the embedded SQLite database in ``var/`` unless DATABASE_URL says otherwise."""

from __future__ import annotations

from config.env import BASE_DIR, database_from_env, env_bool, env_list

from .base import *  # noqa: F403

DEBUG = env_bool("JINENG_DEBUG", False)
DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'var' / 'jineng.sqlite3'}")}
# `jineng runserver` and the demo serve static files from the finders too, so a missing collectstatic is harmless.
WHITENOISE_USE_FINDERS = True
# Demo helpers such as `jineng otp code USERNAME` (never in production).
JINENG_DEMO_TOOLS = True
# The demo worker keeps a password (demo-worker / Jineng-demo-2026) beside unified identity, so the demo can be
# walked without the identity provider; every other worker signs in through it (`make demo` starts one).
JINENG_PASSWORD_SIGN_IN_KEPT = env_list("JINENG_PASSWORD_SIGN_IN_KEPT", ["demo-worker"])
