"""MentorBridge settings, driven by environment variables with safe local defaults.

SQLite is used unless ``DATABASE_URL`` is set (``postgres://user@host:5432/name``).
Production: set ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``SITE_URL`` (https).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# With DEBUG on, Django's debug page for an address that is not there (it lists every address
# pattern) instead of the site's own "not found" page (core.middleware.ErrorPagesMiddleware)
DEBUG_NOT_FOUND_PAGES = env_bool("DEBUG_NOT_FOUND_PAGES", False)
_DEV_SECRET = "django-insecure-local-development-only-change-me-in-production-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Keys that encrypt private meeting notes (Fernet, urlsafe base64 of 32 bytes), comma-separated:
# the first encrypts, all decrypt. Rotate: put a new key first, run `manage.py
# rotate_notes_key`, then drop the old one. Unset: a key derived from SECRET_KEY (development).
NOTES_ENCRYPTION_KEYS = env_list("NOTES_ENCRYPTION_KEYS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "mentorbridge.core",
    "mentorbridge.audit",
    "mentorbridge.outbox",
    "mentorbridge.accounts",
    "mentorbridge.people",
    "mentorbridge.programs",
    "mentorbridge.notifications",
    "mentorbridge.mentorships",
    "mentorbridge.matching",
    "mentorbridge.home",
    "mentorbridge.privacy",
    "mentorbridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mentorbridge.core.middleware.InputCleaningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentorbridge.audit.context.AuditContextMiddleware",  # who acts, for the audit log
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "mentorbridge.core.middleware.LoginRequiredMiddleware",
    "mentorbridge.core.middleware.ErrorPagesMiddleware",  # the site's 404 (DEBUG) and 405 pages
    "axes.middleware.AxesMiddleware",  # last: answers locked-out sign-ins
]

# Content Security Policy (django-csp): scripts only from our own static files, never inline;
# inline style attributes stay allowed (htmx adds its indicator style). Nothing from elsewhere.
SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "mentorbridge.home.context_processors.navigation",
                "mentorbridge.core.context_processors.limits",
                "mentorbridge.notifications.context_processors.bell",
            ],
        },
    },
]

# Database: SQLite by default (WAL, busy timeout, IMMEDIATE transactions), PostgreSQL via URL.
# PostgreSQL connections come from a bounded pool in each process (psycopg_pool through
# Django's OPTIONS["pool"]): a server process never holds more than DB_POOL_MAX_SIZE
# connections, however many threads or keep-alive clients it serves (runserver included).
# The server holds at most (web processes × DB_POOL_MAX_SIZE) + worker + scheduler.
# DB_POOL=0 turns the pool off (e.g. behind PgBouncer); connections then close after each
# request unless CONN_MAX_AGE is set, and are health-checked before reuse.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _pooled = env_bool("DB_POOL", True)
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=0 if _pooled else int(os.environ.get("CONN_MAX_AGE", "0")),
            conn_health_checks=True,
        )
    }
    if _pooled and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
            "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "4")),
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),  # seconds to wait
            "max_idle": 300,  # close connections idle this long (down to min_size)
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "mentorbridge.sqlite3")),
        }
    }
# SQLite, from DATABASE_URL (sqlite:////path) too: WAL, a busy timeout and IMMEDIATE
# transactions, so writers wait for each other instead of failing with "database is locked"
# (two thank-you notes sent at once from a DATABASE_URL=sqlite:// server were two 500s).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "mentorbridge.accounts.backends.LockoutBackend",  # first: refuses sign-ins while locked out
    "mentorbridge.accounts.backends.EmailBackend",
]
LOGIN_URL = "accounts-login"
LOGIN_REDIRECT_URL = "core-home"
LOGOUT_REDIRECT_URL = "accounts-login"
# Links to set a password (invitations, first sign-in, forgotten password) work for 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Argon2 for new and changed passwords; the others verify (and upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Brute force: after AXES_FAILURE_LIMIT wrong passwords for one email from one address, that
# pair is locked out for AXES_COOLOFF_MINUTES (each new try during the lockout restarts it).
# Semantic matching: suggestions, rounds and the waitlist also compare goals and profiles by
# meaning (sentence vectors, computed in the background; needs `make semantic`). Programs can
# override it (Program.semantic_matching).
SEMANTIC_MATCHING = env_bool("MENTORBRIDGE_SEMANTIC_MATCHING", False)
# Each running ``run_worker`` holds a lock file here: a worker whose heartbeat went quiet but whose
# lock is still held (by its process on this host) is busy in a long call, not dead.
WORKER_LOCK_DIR = Path(os.environ.get("WORKER_LOCK_DIR", VAR_DIR / "run"))

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "mentorbridge.accounts.views.sign_in_name"
AXES_LOCKOUT_CALLABLE = "mentorbridge.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "mentorbridge.core.network.client_ip"
# Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# API tokens: after this many unknown tokens from one address within the window, that address
# gets 429 (with Retry-After) until the window ends.
TOKEN_FAILURE_LIMIT = int(os.environ.get("TOKEN_FAILURE_LIMIT", "20"))
TOKEN_FAILURE_WINDOW = int(os.environ.get("TOKEN_FAILURE_WINDOW_SECONDS", "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Email: printed to the console locally; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MentorBridge <mentorbridge@localhost>")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds; a hung server is retried
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))  # filebased backend
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6"))  # then marked failed

# Background work: a database-backed queue, worked by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Caches: the default one lives in each process; rate limits share files so every server
# process (gunicorn workers) counts the same failures.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "throttle"),
    },
}

# Uploads: HRIS files of 50,000+ rows are a few MB. Files over 2.5 MB go to a temporary file
# while uploading; an import reads at most IMPORT_MAX_BYTES, columns and rows (then says why).
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "25")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
IMPORT_MAX_COLUMNS = 40
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages carry the token themselves (base.html hx-headers)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check over plain HTTP

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
