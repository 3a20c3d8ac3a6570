"""Settings for the fact-check workbench.

One module for every environment. Everything that differs between a laptop and a
server is read from the environment through the small typed helpers below.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Local state (SQLite database, generated secret key) lives in var/, never in git.
VAR_DIR = Path(envstr("FACTCHECK_VAR_DIR", str(BASE_DIR / "var")))

# PRODUCTION switches on everything a public deployment needs (HTTPS-only cookies,
# HSTS, a mandatory SECRET_KEY). Local runs and the test suite leave it off.
PRODUCTION = envbool("PRODUCTION", False)
DEBUG = envbool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when PRODUCTION=true (it shows settings and code to visitors)")


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when PRODUCTION=true")
    # A local run gets a random key that survives restarts (so sessions do too).
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (no CDN)
    "simple_history",
    "django_tasks",
    "django_tasks_db",  # the database-backed queue (the default)
    "django_rq",  # the RQ/Redis queue, when TASKS_BACKEND=rq
    "django_tasks_rq",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A chunked request body (no Content-Length) → 411 instead of being read as empty.
    "annotations.middleware.LengthRequiredMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Database busy → 503 + Retry-After; locked sign-in → 429 (annotations/middleware.py).
    "annotations.middleware.TransientErrorMiddleware",
    # DRF's browsable API pages only: inline style attributes (annotations/middleware.py).
    "annotations.middleware.BrowsableAPIStyleMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "annotations.context_processors.roles",
            ],
        },
    },
]


def database_settings(url: str, *, sqlite_path: Path, sqlite_timeout: int, conn_max_age: int) -> dict[str, Any]:
    """The default database: SQLite at ``sqlite_path`` when ``url`` is empty, else ``url``.

    SQLite gets its concurrency settings however it was chosen (no URL, or a
    ``sqlite:///`` one): without them concurrent writers fail with "database is
    locked" instead of queueing.
    """
    database: dict[str, Any]
    if url:
        # conn_max_age > 0 keeps one connection per gunicorn worker (bin/serve-production
        # uses 60); health checks replace a connection the server closed in the meantime.
        database = dict(dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True))
    else:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)  # SQLite will not create the folder
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_path)}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            # WAL lets readers work while one writer commits; IMMEDIATE takes the
            # write lock at BEGIN so concurrent writers queue on the busy timeout
            # instead of failing with "database is locked" mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": sqlite_timeout,
            **database.get("OPTIONS", {}),
        }
        # The test suite can run on a file (as production does) instead of in memory:
        # the live server's threads then get their own connections, as real requests do.
        database["TEST"] = {"NAME": envstr("SQLITE_TEST_PATH") or None}
    return dict(database)  # a plain dict, as DATABASES holds


# SQLite is the embedded default; DATABASE_URL (postgres://... or sqlite:///...) selects another.
DATABASE_URL = envstr("DATABASE_URL")
DATABASES = {
    "default": database_settings(
        DATABASE_URL,
        sqlite_path=Path(envstr("SQLITE_PATH", str(VAR_DIR / "db.sqlite3"))),
        sqlite_timeout=envint("SQLITE_TIMEOUT", 20),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (imports) run on django.tasks through the django-tasks backport: a
# queue in the database by default (`manage.py worker` runs it; nothing else to set up),
# or RQ on Redis with TASKS_BACKEND=rq for workers on several machines.
TASKS_BACKEND = envstr("TASKS_BACKEND", "database")
IMPORT_QUEUE = envstr("IMPORT_QUEUE", "imports")
REDIS_URL = envstr("REDIS_URL", "redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": [IMPORT_QUEUE]}}
# An import can take minutes; RQ's default job timeout (180 s) would kill a large one.
RQ_QUEUES = {IMPORT_QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# A running job's worker writes a heartbeat this often; a job whose heartbeat is older
# than IMPORT_JOB_STALE_SECONDS (or whose worker process on this host is gone) is failed.
IMPORT_JOB_HEARTBEAT_SECONDS = envint("IMPORT_JOB_HEARTBEAT_SECONDS", 5)
IMPORT_JOB_STALE_SECONDS = envint("IMPORT_JOB_STALE_SECONDS", 120)

# The default cache holds the login throttle's counters, so every gunicorn worker must
# share it. On one machine that is the database cache (no other service; a migration,
# annotations 0003, creates its table, so `manage.py migrate` alone gives a working
# sign-in). With web servers on several machines, or to keep the counters' writes off
# the database, CACHE_URL=redis://host:6379/0 puts them in Redis (Django's own
# RedisCache). CACHE_KEY_PREFIX keeps two sites on one Redis apart.
CACHE_URL = envstr("CACHE_URL")
CACHE_KEY_PREFIX = envstr("CACHE_KEY_PREFIX", "factcheck")


def _default_cache(url: str) -> dict:
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Culling at the default 300 entries would let someone who fails sign-ins for many
            # usernames evict the counter that locks the one they are guessing.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    if url.split("://", 1)[0] not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a redis://, rediss:// or unix:// URL, got {url.split('://', 1)[0]!r}"
        )
    # Redis evicts nothing unless its own maxmemory policy says so: give it no policy that
    # evicts keys with a timeout (volatile-*), or a lock could be pushed out early.
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }


CACHES = {
    # Progress of running import jobs, written by workers while the import's transaction
    # is still open (so not in the database): files on one machine, Redis for several
    # (under CACHE_KEY_PREFIX too: two sites on one Redis keep their jobs apart).
    "jobs": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
        if TASKS_BACKEND == "rq"
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "jobs")}
    ),
    "default": _default_cache(CACHE_URL),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Wrong passwords: LOGIN_THROTTLE_FAILURES per username and address within
# LOGIN_THROTTLE_WINDOW seconds lock that pair (429) until the window closes.
AUTHENTICATION_BACKENDS = ["annotations.throttle.ThrottledModelBackend"]
LOGIN_THROTTLE_FAILURES = envint("LOGIN_THROTTLE_FAILURES", 5)
LOGIN_THROTTLE_ADDRESS_FAILURES = envint("LOGIN_THROTTLE_ADDRESS_FAILURES", 100)
LOGIN_THROTTLE_WINDOW = envint("LOGIN_THROTTLE_WINDOW", 15 * 60)
LOGIN_THROTTLE_ADDRESS_HEADER = envstr("LOGIN_THROTTLE_ADDRESS_HEADER")
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected, hashed files from STATIC_ROOT; local runs and tests have
# WhiteNoise find them in the source folders, so nothing needs collecting first.
STATIC_ROOT = (
    Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if PRODUCTION or envstr("STATIC_ROOT") else None
)
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded import files wait here for a worker. Workers on other machines need this
    # folder shared with the web servers (or a shared storage backend here).
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": envstr("IMPORT_UPLOAD_DIR", str(VAR_DIR / "imports"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Request bodies: annotation JSON is small; imports go through the command line.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# Form fields per request: the admin's bulk actions post one per selected row.
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", 10)
# The largest file POST /api/projects/{slug}/imports/ takes (413 past it); 256 MiB holds
# ~80,000 articles of 3 KB with their spans.
IMPORT_UPLOAD_MAX_BYTES = envint("IMPORT_UPLOAD_MAX_BYTES", 256 * 1024 * 1024)


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # JSON errors for oversized bodies (413), stale versions (409) and service validation (400).
    "EXCEPTION_HANDLER": "annotations.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check workbench API",
    "DESCRIPTION": "Articles, claim annotations with source links, export and agreement.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Spans' source links and claims' evidence both have a "relation", with different choices.
    "ENUM_NAME_OVERRIDES": {
        "SourceLinkRelationEnum": "annotations.models.SourceLink.Relation",
        "EvidenceRelationEnum": "annotations.claims.models.ClaimEvidence.Relation",
        # Claims and import jobs both have a "status".
        "ClaimStatusEnum": "annotations.claims.models.Claim.Status",
        "ImportJobStatusEnum": "annotations.models.ImportJob.Status",
    },
}

# ClaimReview exports name the fact-checking organisation that publishes the reviews.
CLAIMREVIEW_AUTHOR_NAME = envstr("CLAIMREVIEW_AUTHOR_NAME", "Fact-check workbench")
CLAIMREVIEW_AUTHOR_URL = envstr("CLAIMREVIEW_AUTHOR_URL", "")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the annotator's JS reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy in every environment, so tests and local runs see what
# production enforces: scripts, styles and fetches from our own origin only, no inline
# code or style attributes, no eval, no framing, no plugins, no <base> rewriting.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
