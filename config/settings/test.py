"""Tests: SQLite in memory by default; ``DATABASE_URL`` points the same suite at PostgreSQL."""

from __future__ import annotations

import os

from config.env import database_from_env

from .base import *  # noqa: F403
from .base import LOGGING, STATIC_ROOT

os.environ.setdefault("JINENG_DATA_KEYS", "")
DATABASES = {"default": database_from_env("sqlite://:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "jineng.common.storage.EncryptedInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
AXES_FAILURE_LIMIT = 5
# Static files straight from the finders (node_modules, app static) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Demo helpers such as `jineng otp code USERNAME` (never in production).
JINENG_DEMO_TOOLS = True

# The public portal's page cache (jineng.portal.publishing) is keyed by a publication counter that tests roll back
# with their transaction: off in tests, on in the tests of the cache itself.
JINENG_PORTAL_CACHE = False
# The suite's fixtures sign workers in with a password (client.login, the browser's login form); the tests of
# unified identity (jineng/accounts/tests/test_oidc*.py) turn it off, as a deployment has it.
JINENG_WORKER_PASSWORD_SIGN_IN = True
