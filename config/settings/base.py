"""Settings shared by every environment. Environment variables are read only through ``config.env``."""

from __future__ import annotations

from config.env import BASE_DIR, data_keys_from_env, env_bool, env_int, env_list, env_str, env_str_optional

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-key-change-me-" + "0" * 32)
DEBUG = False
ALLOWED_HOSTS = env_list("JINENG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# Reverse proxies whose X-Forwarded-For is believed (audit addresses, rate limits); none by default.
JINENG_TRUSTED_PROXIES = env_list("JINENG_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "jineng.accounts.admin_config.JinengAdminConfig",  # django.contrib.admin with the scoped admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "jineng.common",
    "jineng.refdata",
    "jineng.accounts",
    "jineng.imports",
    "jineng.registry",
    "jineng.providers",
    "jineng.competitions",
    "jineng.complaints",
    "jineng.training",
    "jineng.certificates",
    "jineng.subsidies",
    "jineng.indicators",
    "jineng.supervision",
    "jineng.inspections",
    "jineng.labour_market",
    "jineng.portal",
    "jineng.learning",
    "jineng.credits",
    "jineng.synthetic",
    "jineng.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jineng.common.middleware.RequestContextMiddleware",
    "jineng.common.middleware.ApiErrorFormatMiddleware",
    "jineng.common.middleware.RequestSizeLimitMiddleware",
    "jineng.common.middleware.QueryTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jineng.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jineng.accounts.middleware.SessionLifetimeMiddleware",
    "jineng.accounts.middleware.SignInStepsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jineng.web.middleware.DomainErrorPageMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "jineng.web.context.shell",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jineng.accounts.backends.PasswordBackend",  # ModelBackend, less the accounts that must use unified identity
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jineng.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "jineng.accounts.passwords.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jineng.accounts.passwords.HistoryValidator"},
]
# Password policy (jineng.accounts.passwords, 等保三级 identity controls), one deployment's numbers:
JINENG_PASSWORD_MIN_LENGTH = env_int("JINENG_PASSWORD_MIN_LENGTH", 10)
JINENG_PASSWORD_MIN_CLASSES = env_int("JINENG_PASSWORD_MIN_CLASSES", 3)  # of upper, lower, digit, other
JINENG_PASSWORD_HISTORY = env_int("JINENG_PASSWORD_HISTORY", 5)  # the last N may not be chosen again
JINENG_PASSWORD_MAX_AGE_DAYS = env_int("JINENG_PASSWORD_MAX_AGE_DAYS", 90)  # then a forced change; 0 = never
# Sessions (jineng.accounts.middleware.SessionLifetimeMiddleware): signed out after this long without a request,
# and after this long since sign-in whatever the activity.
JINENG_SESSION_IDLE_MINUTES = env_int("JINENG_SESSION_IDLE_MINUTES", 30)
JINENG_SESSION_ABSOLUTE_HOURS = env_int("JINENG_SESSION_ABSOLUTE_HOURS", 12)
# Second factor (django-otp TOTP): the issuer shown in the authenticator app; codes per recovery set.
OTP_TOTP_ISSUER = env_str("JINENG_OTP_ISSUER", "Jineng")
JINENG_OTP_RECOVERY_CODES = 10
# Demo helpers (`jineng otp code USERNAME`): on in dev and test settings only, never in production.
JINENG_DEMO_TOOLS = False
# Unified identity (统一身份认证): sign-in through the province's OpenID Connect provider (jineng.accounts.oidc,
# docs/identity.md). Off while no issuer is set. The client is confidential (a secret) and uses PKCE (S256).
JINENG_OIDC_ISSUER = env_str_optional("JINENG_OIDC_ISSUER")  # e.g. https://id.example.gov.cn
JINENG_OIDC_CLIENT_ID = env_str_optional("JINENG_OIDC_CLIENT_ID")
JINENG_OIDC_CLIENT_SECRET = env_str_optional("JINENG_OIDC_CLIENT_SECRET")
JINENG_OIDC_SCOPE = env_str("JINENG_OIDC_SCOPE", "openid profile id_card")
# The ID token claim holding the verified 公民身份号码, and the claim that says it was verified (must be true).
JINENG_OIDC_ID_NUMBER_CLAIM = env_str("JINENG_OIDC_ID_NUMBER_CLAIM", "id_number")
JINENG_OIDC_ID_VERIFIED_CLAIM = env_str("JINENG_OIDC_ID_VERIFIED_CLAIM", "id_number_verified")
# Clock skew allowed on the ID token's exp/iat (seconds).
JINENG_OIDC_LEEWAY_SECONDS = env_int("JINENG_OIDC_LEEWAY_SECONDS", 30)
# Local passwords: workers sign in through unified identity only unless this is on; officials (any function beyond
# a worker's) may be required to as well. The usernames listed keep their password whatever these two say.
JINENG_WORKER_PASSWORD_SIGN_IN = env_bool("JINENG_WORKER_PASSWORD_SIGN_IN", False)
JINENG_OFFICIALS_OIDC_ONLY = env_bool("JINENG_OFFICIALS_OIDC_ONLY", False)
JINENG_PASSWORD_SIGN_IN_KEPT = env_list("JINENG_PASSWORD_SIGN_IN_KEPT", [])
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Lockout after repeated failures (django-axes): per username and address, cleared by a successful login.
AXES_FAILURE_LIMIT = env_int("JINENG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("JINENG_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "jineng" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Front-end assets come from the npm registry at install time (package.json / package-lock.json), never copied in.
_NPM = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    (f"vendor/{name}", _NPM / path)
    for name, path in [("bootstrap", "bootstrap/dist"), ("htmx", "htmx.org/dist"), ("echarts", "echarts/dist")]
    if (_NPM / path).exists()
]
STORAGES = {
    "default": {"BACKEND": "jineng.common.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = JINENG_SESSION_ABSOLUTE_HOURS * 3600
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Request size limits: bodies are refused before they are read (RequestSizeLimitMiddleware), uploads more.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("JINENG_MAX_BODY_BYTES", 2 * 1024 * 1024)
JINENG_MAX_UPLOAD_BYTES = env_int("JINENG_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Keys for personal data and audit checkpoints come from the environment in production.
JINENG_AUDIT_CHECKPOINT_EVERY = env_int("JINENG_AUDIT_CHECKPOINT_EVERY", 100)
# Personal data (jineng.common.crypto): without keys, dev and tests derive a key from SECRET_KEY (with a warning);
# production.py requires real ones.
JINENG_DATA_KEYRING = data_keys_from_env(required=False)
# Imports (jineng.imports): a file beyond these limits is refused as a whole.
JINENG_IMPORT_MAX_ROWS = env_int("JINENG_IMPORT_MAX_ROWS", 200_000)
JINENG_IMPORT_MAX_COLUMNS = env_int("JINENG_IMPORT_MAX_COLUMNS", 100)
JINENG_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("JINENG_IMPORT_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
JINENG_IMPORT_BATCH_SIZE = env_int("JINENG_IMPORT_BATCH_SIZE", 2000)
JINENG_API_PAGE_SIZE_MAX = 500
# Public certificate verification (jineng.certificates): requests per client address, e.g. "30/minute"; the
# public base URL credentials and QR codes point at (blank: the host of the request).
JINENG_VERIFY_RATE = env_str("JINENG_VERIFY_RATE", "30/minute")
# Public complaint form (jineng.complaints): submissions and status checks per client address, and the least seconds
# between showing the form and sending it (a faster form is a robot's).
JINENG_COMPLAINT_RATE = env_str("JINENG_COMPLAINT_RATE", "5/hour")
JINENG_COMPLAINT_STATUS_RATE = env_str("JINENG_COMPLAINT_STATUS_RATE", "30/minute")
JINENG_COMPLAINT_MIN_SECONDS = int(env_str("JINENG_COMPLAINT_MIN_SECONDS", "3"))
JINENG_PUBLIC_BASE_URL = env_list("JINENG_PUBLIC_BASE_URL", [""])[0].rstrip("/")
JINENG_CREDENTIAL_ISSUER_NAME = env_str("JINENG_CREDENTIAL_ISSUER_NAME", "职业技能培训管理服务平台")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "jineng.common.logging.ScrubbingJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "filters": {"request": {"()": "jineng.common.logging.RequestContextFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# The xAPI version the LRS (/xapi/) names in its X-Experience-API-Version header when a request sent none (it is
# refused with 400 either way): the newest it speaks. The 1.0.3 and 2.0.0 conformance batteries each expect their
# own version here, so scripts/lrs-conformance.sh serves the 1.0.3 battery with JINENG_XAPI_UNVERSIONED=1.0.3.
JINENG_XAPI_UNVERSIONED = env_str("JINENG_XAPI_UNVERSIONED", "2.0.0")
