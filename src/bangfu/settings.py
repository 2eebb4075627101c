"""Django settings for bangfu.

SQLite in ``var/`` is the embedded default; ``DATABASE_URL`` (postgres://...) switches to
PostgreSQL. Secrets come from the environment or from files that ``bangfu demo`` writes in ``var/``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

from bangfu.core.filemodes import private_dir

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("BANGFU_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("BANGFU_VAR", BASE_DIR / "var")).resolve()
# Public edge: var/ holds the keys, the database and the evidence: 0700 (the database 0600, core.filemodes).
private_dir(VAR_DIR)


def _secret_from_file(name: str, env: str) -> str:
    """Read a secret from the environment, or create it once in var/ for local use."""
    if os.environ.get(env):
        return os.environ[env]
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_from_file("secret_key", "BANGFU_SECRET_KEY")
# Fernet key for PII at rest and the HMAC key for lookup columns derive from this one secret.
PII_KEY = _secret_from_file("pii_key", "BANGFU_PII_KEY")

DEBUG = os.environ.get("BANGFU_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("BANGFU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("BANGFU_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # ninja in INSTALLED_APPS makes /api/v1/docs load Swagger UI from its bundled static files (no CDN).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "bangfu.core",
    "bangfu.accounts",
    "bangfu.registry",
    "bangfu.monitoring",
    "bangfu.employers",
    "bangfu.payments",
    "bangfu.outbox",
    "bangfu.network",
    "bangfu.insurance",
    "bangfu.policies",
    "bangfu.jobs",
    "bangfu.arrears",
    "bangfu.posts",
    "bangfu.training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bangfu.urls"
WSGI_APPLICATION = "bangfu.wsgi.application"

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
                "bangfu.core.context.navigation",
            ],
        },
    }
]


# Seconds a worker keeps its database connection between requests (0: one per request).
CONN_MAX_AGE = int(os.environ.get("BANGFU_CONN_MAX_AGE", "300"))


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL into a Django DATABASES entry (postgres:// or sqlite:///path)."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": "test_" + unquote(parsed.path.lstrip("/"))},
        }
    if parsed.scheme == "sqlite":
        return _sqlite(Path(unquote(parsed.path)))
    raise ValueError(f"unsupported DATABASE_URL scheme: {parsed.scheme}")


# How long a write waits for another writer's lock before "database is locked". In WAL mode
# reads never take that lock, so this bounds writes only; 5 s keeps a page from hanging for
# half a minute behind an import, and `bangfu token create` retries past it.
SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("BANGFU_SQLITE_BUSY_TIMEOUT_MS", "5000"))


def _sqlite(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL lets the dashboard read while an import writes; IMMEDIATE avoids lock upgrades.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d};",
            "transaction_mode": "IMMEDIATE",
        },
        # A connection kept for the worker's next requests: opening one runs the PRAGMAs above,
        # which cost a cached dashboard page more than the page itself (1.9 of 8 ms).
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        # A file (not :memory:) so the batch engine can attach it; one per process so that
        # parallel test runs never share it.
        "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
    }


DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(DATABASE_URL) if DATABASE_URL else _sqlite(VAR_DIR / "bangfu.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling: 5 failures per user name and address lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("BANGFU_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Failed logins kept one row each for the 登录日志 page (AccessLog keeps the successful ones).
AXES_ENABLE_ACCESS_FAILURE_LOG = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["bangfu.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

MEDIA_ROOT = VAR_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "BANGFU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANGFU_LOG_LEVEL", "WARNING")},
    "loggers": {"bangfu": {"level": "INFO"}, "bangfu.outbox": {"level": "INFO"}},
}

# bangfu's own parameters (参数设置); operators override them in the environment.
BANGFU = {
    "PAGE_SIZE": 50,
    "IMPORT_MAX_ROWS": 200_000,
    "IMPORT_MAX_BYTES": 40 * 1024 * 1024,
    "EXPORT_BACKGROUND_ROWS": 5_000,  # a larger export is built as a background task (后台任务)
    # The batch engine of policy runs and KPI fills (bangfu.core.engine): duckdb, sqlite,
    # postgres or spark; Spark's master is local[2] (this machine) or spark://host:7077.
    "ENGINE": os.environ.get("BANGFU_ENGINE", "duckdb"),
    "SPARK_MASTER": os.environ.get("BANGFU_SPARK_MASTER", "local[2]"),
    "PUSH_PER_WORKER_PER_WEEK": int(os.environ.get("BANGFU_PUSH_PER_WEEK", "3")),
    "PUSH_BUDGET_FACTOR": float(os.environ.get("BANGFU_PUSH_BUDGET_FACTOR", "5")),
    # Job matching (渝职聘): weights of the score parts, each part in about [0, 1]
    # (bangfu.engine.matching.score documents them). occupation: same code > minor > medium
    # group > entry-level job; wage: mid-range wage against the expectation (log scale);
    # distance: township > county > zone > city > cooperation region > elsewhere > abroad;
    # employer: credit rating and hires made; priority: out of work, monitored household
    # (orders workers competing for a job's push budget, not one worker's list).
    "MATCHING_WEIGHTS": {
        "occupation": 0.35, "wage": 0.25, "distance": 0.20, "employer": 0.10, "priority": 0.10,
    },
    # The monthly briefing's header block (bangfu.monitoring.briefing_sections): the issuing office
    # ({area}: 重庆市, or the district) and the issue number ({abbr}: 渝, or the district's first
    # character; {year} and {number}: the briefing month's year and month).
    "BRIEFING_OFFICE": os.environ.get("BANGFU_BRIEFING_OFFICE", "{area}人力资源和社会保障局"),
    "BRIEFING_ISSUE": os.environ.get("BANGFU_BRIEFING_ISSUE", "{abbr}人社就业简报〔{year}〕{number}号"),
    # Monthly reports (报送, bangfu.monitoring.completeness): a month whose districts have not all
    # closed it counts as complete after this day of the next month (Chongqing time), with the
    # missing districts named. 1-28.
    "MONTH_CLOSE_DEADLINE_DAY": int(os.environ.get("BANGFU_MONTH_CLOSE_DEADLINE_DAY", "10")),
    # Public-welfare posts (公益性岗位, bangfu.posts): pay standards in fen and the placement rules.
    # The wage standards are examples to be set from the municipal minimum-wage notice in force:
    # a district not listed uses "default".
    "POSTS_MIN_MONTHLY_WAGE_FEN": {"default": 200_000},
    "POSTS_MIN_HOURLY_WAGE_FEN": {"default": 2_000},
    "POSTS_MIN_DAYS_PRESENT": 8,
    "POSTS_MIN_AGE": 16,
    "POSTS_MAX_AGE": 60,
    "POSTS_MONTHS_OUTSIDE_COUNTY": 3,
    "POSTS_NOTICE_WORKING_DAYS": 5,
    "POSTS_MAX_CONTRACT_MONTHS": 36,
    "POSTS_RETIREMENT_AGE": 60,
    "POSTS_RETIREMENT_WITHIN_YEARS": 5,
    # Skills training (培训, bangfu.training): the amounts of its two policies (written into the
    # policies when loaded) and the rules of completion and of "employed after training".
    "TRAINING_ALLOWANCE_YUAN_PER_DAY": 100,
    "TRAINING_ALLOWANCE_MAX_DAYS": 30,
    "TRAINING_SUBSIDY_YUAN": {"junior": 1000, "intermediate": 1500, "senior": 2500, "technician": 3500,
                              "senior_technician": 5000, "special": 800},
    "TRAINING_MIN_ATTENDANCE_PERCENT": 80,
    "TRAINING_EMPLOYED_WITHIN_MONTHS": 6,
}

# Public edge: what a request may cost before its body is read (bangfu.core.edge), and the
# shared cache that counts the public doors' requests across processes and restarts.
# The proxy's body limit (nginx client_max_body_size, gunicorn) should mirror MAX_BODY_BYTES.
BANGFU["MAX_BODY_BYTES"] = int(os.environ.get("BANGFU_MAX_BODY_BYTES", str(42 * 1024 * 1024)))  # imports: 40 MB
MIDDLEWARE.insert(0, "bangfu.core.edge.PublicEdgeMiddleware")  # first: before CSRF reads the form
# Uploads up to 5 MB (one evidence file) stay in memory, never in a clear temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields and JSON bodies, files excluded
INSTALLED_APPS.append("django_ratelimit")  # its checks refuse a per-process cache
CACHES = {
    "default": {
        "BACKEND": "bangfu.core.cache.DatabaseCache",  # the table: core migration 0004
        "LOCATION": "bangfu_cache",
        # Django's default (300) would cull live counters; an attacker could flush them.
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "bangfu.core.edge.client_ip"
# django-ratelimit knows only memcached/Redis as atomic; bangfu.core.cache makes incr atomic.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Production / HTTPS: BANGFU_HTTPS=1 when the site is reached through nginx over TLS only
# (README: 生产部署 / Production). Off by default so `bangfu demo` works on plain http.
HTTPS = os.environ.get("BANGFU_HTTPS", "0") == "1"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # nginx terminates TLS and says so in this header; gunicorn listens on loopback only, so
    # no client can reach Django without passing through nginx, which overwrites the header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # "preload" in the header lets anyone submit the domain to the browsers' HSTS preload
    # list, a one-way step for every subdomain: the domain's owner opts in with
    # BANGFU_HSTS_PRELOAD=1; until then Django's reminder (W021) is silenced on purpose.
    SECURE_HSTS_PRELOAD = os.environ.get("BANGFU_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:  # added to, not replacing, what other sections silence
        SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
