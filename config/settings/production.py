"""Production: PostgreSQL from DATABASE_URL, a real SECRET_KEY, HTTPS-only cookies. No defaults that are unsafe."""

from __future__ import annotations

from config.env import data_keys_from_env, database_from_env, env_bool, env_int, env_str

from .base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY")
JINENG_DATA_KEYRING = data_keys_from_env(required=True)
DEBUG = False
DATABASES = {"default": database_from_env(None)}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("JINENG_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("JINENG_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "jineng.common.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
JINENG_DEMO_TOOLS = False  # no `jineng otp code` here
