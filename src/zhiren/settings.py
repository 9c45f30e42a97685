"""Zhiren settings: one module, configured entirely by environment variables.

Every variable is documented in ``.env.example`` and ``docs/operations.md``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Lets Django's generic classes take their type at run time too (``admin.ModelAdmin[Agent]``).
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("ZHIREN_VAR_DIR", SOURCE_ROOT / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once and kept under VAR_DIR."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
# The demo centre (`zhiren demo`, `make demo`): its published logins are allowed, and it is served
# over plain http on the loopback, while DEBUG stays off so visitors see the product's own pages.
DEMO = env_bool("ZHIREN_DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "zhiren.core",
    "zhiren.accounts",
    "zhiren.audit",
    "zhiren.org",
    "zhiren.imports",
    "zhiren.people",
    "zhiren.wellbeing",
    "zhiren.performance",
    "zhiren.coaching",
    "zhiren.placement",
    "zhiren.quality",
    "zhiren.training",
    "zhiren.workforce",
    "zhiren.discipline",
    "zhiren.recruiting",
    "zhiren.privacy",
    "zhiren.engagement",
    "zhiren.demo",
    "zhiren.leadership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhiren.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhiren.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhiren.core.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "zhiren.urls"
WSGI_APPLICATION = "zhiren.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhiren.core.context_processors.shell",
                "zhiren.core.csp.nonce",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhiren.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the web server reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle timeout via the cookie age (refreshed on every request),
# absolute lifetime enforced by SessionLifetimeMiddleware.
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login lockout: by username + client IP (a whole call centre shares one IP),
# enforced in the authentication backend so every login form and endpoint shares it.
AUTHENTICATION_BACKENDS = ["zhiren.accounts.backends.LockoutModelBackend"]
# The hash's cost is weighed against the lockout: see zhiren/accounts/hashers.py. It reads and
# writes Django's pbkdf2_sha256 format, so Django's own PBKDF2 hasher must not be listed too (the
# later of two hashers with one algorithm name would verify, and re-hash at every login).
PASSWORD_HASHERS = [
    "zhiren.accounts.hashers.ConfiguredPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_PBKDF2_ITERATIONS = int(os.environ.get("PASSWORD_PBKDF2_ITERATIONS", "600000"))
LOGIN_LOCKOUT_THRESHOLD = int(os.environ.get("LOGIN_LOCKOUT_THRESHOLD", "5"))
LOGIN_LOCKOUT_COOLOFF = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
# Trust X-Forwarded-For only behind a known reverse proxy.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

SECURE = not DEBUG and not DEMO and env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
CSRF_COOKIE_HTTPONLY = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Scripts from this site or with the request's nonce only (zhiren.core.csp); empty: no header.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded import files are kept here until their background commit finishes.
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", VAR_DIR / "imports"))
# Files with more rows than this are committed by the task worker, not in the request.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "2000"))
# A running import silent this long is taken as abandoned by a dead worker (failed, retryable).
IMPORT_JOB_LEASE_MINUTES = int(os.environ.get("IMPORT_JOB_LEASE_MINUTES", "30"))
# Previews not committed within this many hours lose their file (`zhiren purge_import_uploads`).
IMPORT_UPLOAD_RETENTION_HOURS = float(os.environ.get("IMPORT_UPLOAD_RETENTION_HOURS", "24"))
# Imports take their fast paths (zhiren.imports.fast: COPY / multi-row INSERT, one-query key lookups,
# column-wise planning); off, plain Django (bulk_create, ORM reads) with the same results.
IMPORT_FAST_PATHS = env_bool("IMPORT_FAST_PATHS", True)
# Limits on what an import takes (docs/imports.md, "Limits"); each refusal names its setting.
# Files larger than this many megabytes are refused before they are parsed (upload form, CLI).
IMPORT_MAX_FILE_MB = float(os.environ.get("IMPORT_MAX_FILE_MB", "100"))
# Files with more non-blank rows (header included) are refused; the default is a full Excel sheet.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "1048576"))
# An import reads at most this many columns, and refuses an XLSX that unpacks to more megabytes.
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))
IMPORT_XLSX_MAX_UNPACKED_MB = int(os.environ.get("IMPORT_XLSX_MAX_UNPACKED_MB", "200"))
# ... and one whose shared-strings table holds more texts (openpyxl keeps each as a Python string).
IMPORT_XLSX_MAX_SHARED_TEXTS = int(os.environ.get("IMPORT_XLSX_MAX_SHARED_TEXTS", "5000000"))
# Rows read, checked and written at a time: an import's memory follows this, not the file's size.
IMPORT_CHUNK_ROWS = int(os.environ.get("IMPORT_CHUNK_ROWS", "20000"))
# Uploads larger than this many megabytes are checked (dry run) by the task worker, not in the request.
IMPORT_BACKGROUND_MB = float(os.environ.get("IMPORT_BACKGROUND_MB", "2"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASK_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}

# A cache shared by every web process and worker: Redis when CACHE_URL is set (e.g.
# redis://127.0.0.1:6379/1, the `redis` extra). Sessions are then read from it and kept in the
# database too; without it each process keeps a small cache of its own and sessions are read from
# the database. Either way several web processes behind one address give the same answers.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "zhiren"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# How long personal data is kept, in days, per data class (docs/privacy.md): `zhiren purge`, which
# the task worker starts every PURGE_EVERY_HOURS, deletes or blanks what is older. Each class is
# set by RETENTION_<CLASS>_DAYS, e.g. RETENTION_MOODS_DAYS=400.
RETENTION_DEFAULT_DAYS = {
    "moods": 400,  # mood check-ins and alerts, from their day (the cycle analysis reads 365 days)
    "talk_notes": 730,  # a lead's private note on an agent in a talk, from the talk's date
    "discipline": 365,  # violations, from the day they stop counting towards any consequence
    "leavers": 365,  # sensitive data of an agent who left, from the day the purge saw them leave
    "event_photos": 365,  # photos of team-life events (people's faces), from the event's start
    "candidates": 180,  # personal data of a rejected or withdrawn candidate not in the talent pool
    "correction_requests": 1095,  # decided correction requests, from the decision
    "audit_log": 1095,  # the audit trail (PIPL Art. 55-56 records: at least three years)
}
RETENTION_DAYS = {
    name: int(os.environ.get(f"RETENTION_{name.upper()}_DAYS", default))
    for name, default in RETENTION_DEFAULT_DAYS.items()
}
PURGE_EVERY_HOURS = float(os.environ.get("PURGE_EVERY_HOURS", "24"))
# How often the task worker recomputes every hire's figures for recruiting's channel report
# (QA, AHT windows and nesting of the first 90 days; changes saved through the app refresh
# at once, this catches up with statistics loaded in bulk).
HIRE_FIGURES_EVERY_HOURS = float(os.environ.get("HIRE_FIGURES_EVERY_HOURS", "1"))
# The largest listening clip a recruiter may upload (megabytes).
RECRUITING_CLIP_MAX_MB = int(os.environ.get("RECRUITING_CLIP_MAX_MB", "5"))
# Each `zhiren worker` touches $ZHIREN_VAR_DIR/heartbeats/worker-<pid> this often (`zhiren worker_alive`).
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "15"))
# Daily jobs the task workers start once a day, at the first minute from this local time (HH:MM;
# blank: not started by the workers, e.g. when cron still runs the command): the nightly
# wellbeing evaluation (`wellbeing_nightly`), the leads' digests (`send_digests`) and the
# surveys' planned reminders to the leads' group robots (`survey_reminders`).
WELLBEING_NIGHTLY_AT = os.environ.get("WELLBEING_NIGHTLY_AT", "02:00")
DIGESTS_AT = os.environ.get("DIGESTS_AT", "08:00")
SURVEY_REMINDERS_AT = os.environ.get("SURVEY_REMINDERS_AT", "10:00")

# Plausible agent data on import: age range from the birthday, how far ahead a hire date may be.
AGENT_MIN_AGE = int(os.environ.get("AGENT_MIN_AGE", "16"))
AGENT_MAX_AGE = int(os.environ.get("AGENT_MAX_AGE", "75"))
HIRE_DATE_DAYS_AHEAD = int(os.environ.get("HIRE_DATE_DAYS_AHEAD", "180"))
# API tokens stop working this many days after they were created.
API_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("API_TOKEN_DAYS", "90")))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhiren.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhiren API",
    "DESCRIPTION": "Customer-service team management: org, people, workforce, performance.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {"ChannelEnum": "zhiren.org.models.Channel"},
    # Swagger UI served from the vendored sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zhiren.core.api_schema.document_error_responses",
    ],
}

# Public address of this installation, used for links in digests and notifications.
ZHIREN_BASE_URL = os.environ.get("ZHIREN_BASE_URL", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhiren@localhost")

# One line per record on stderr, for the process supervisor to collect; the process id tells
# apart the lines of several web processes and workers on one machine.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": os.environ.get(
                "LOG_FORMAT", "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
            )
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
