"""The one settings module of motcua. Every value comes from an environment variable."""

from pathlib import Path

import dj_database_url

from motcua.conf import ImproperlyConfiguredEnvError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
# Where the embedded default keeps its database and files; the repository's var/ in development.
DATA_DIR = Path(env_str("MOTCUA_DATA_DIR", str(BASE_DIR.parent.parent / "var"))).resolve()

DEBUG = env_bool("MOTCUA_DEBUG", False)
# A random development key is never used in production: `check --deploy` flags it.
SECRET_KEY = env_str("MOTCUA_SECRET_KEY", "motcua-insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.units",
    "motcua.catalog",
    "motcua.workdays",
    "motcua.accounts",
    "motcua.dossiers",
    "motcua.citizens",
    "motcua.eforms",
    "motcua.signing",
    "motcua.payments",
    "motcua.indicators",
    "motcua.reform",
    "motcua.dashboards",
    "motcua.satisfaction",
    "motcua.notifications",
    "motcua.feedback",
    "motcua.backoffice",
    "motcua.eservices",
    "motcua.portal",
    "motcua.api",
    "motcua.exchange",
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
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_SQLITE_PATH = DATA_DIR / "motcua.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"),
        conn_max_age=env_int("MOTCUA_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Measured in shared/reference/stack.md §4: WAL + IMMEDIATE avoids "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
else:
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache. Empty: each process keeps its own in memory (LocMemCache; enough for one web
# process). Several web processes (MOTCUA_WEB_WORKERS > 1, several hosts) should share one, so that
# a dashboard computed, or warmed by `motcua worker`, in one is served by all: redis://host:6379/0
# (rediss:// for TLS) or "db" (a table in the database, created by `motcua setup`).
_CACHE_TABLE = "motcua_cache"


def cache_config(url: str) -> dict:
    """MOTCUA_CACHE_URL → CACHES["default"]; a value it cannot take is refused, naming the setting."""
    value = (url or "").strip()
    if not value:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    scheme, sep, rest = value.partition("://")
    if sep and scheme.lower() in ("redis", "rediss") and rest:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    if value.lower() == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": _CACHE_TABLE}
    raise ImproperlyConfiguredEnvError(
        f"MOTCUA_CACHE_URL={url!r}: phải để trống (bộ nhớ riêng của từng tiến trình), "
        "redis://máy:cổng/số-cơ-sở-dữ-liệu (rediss:// nếu dùng TLS) hoặc db (bảng trong cơ sở dữ liệu).")


CACHES = {"default": cache_config(env_str("MOTCUA_CACHE_URL", ""))}
# Dashboards: a computed page is reused this long (0 turns caching off); with a shared cache,
# `motcua worker` recomputes the national and provincial pages of the current month every
# MOTCUA_DASHBOARD_WARM_SECONDS (default half the cache time; 0 turns warming off). docs/dashboards.md
MOTCUA_DASHBOARD_CACHE_SECONDS = env_int("MOTCUA_DASHBOARD_CACHE_SECONDS", 60)
MOTCUA_DASHBOARD_WARM_SECONDS = env_int("MOTCUA_DASHBOARD_WARM_SECONDS", MOTCUA_DASHBOARD_CACHE_SECONDS // 2)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MOTCUA_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files from the app folders too, so `motcua serve` works without collectstatic.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Citizens' accounts (docs/citizens.md). Login failures allowed within the window per account and
# per client address (higher: many citizens share one address behind carrier NAT or at a counter).
MOTCUA_LOGIN_MAX_FAILURES = env_int("MOTCUA_LOGIN_MAX_FAILURES", 5)
MOTCUA_LOGIN_MAX_FAILURES_PER_IP = env_int("MOTCUA_LOGIN_MAX_FAILURES_PER_IP", 20)
MOTCUA_LOGIN_WINDOW_MINUTES = env_int("MOTCUA_LOGIN_WINDOW_MINUTES", 15)
# Reverse proxies in front of the site: the client address is then read from X-Forwarded-For.
MOTCUA_TRUSTED_PROXY_COUNT = env_int("MOTCUA_TRUSTED_PROXY_COUNT", 0)
MOTCUA_EMAIL_VERIFICATION_HOURS = env_int("MOTCUA_EMAIL_VERIFICATION_HOURS", 72)

# Background work (outbox delivery, notifications): django-tasks with its database backend, run by
# `motcua worker` (started beside the web server by `motcua serve`). "immediate" runs tasks inline,
# for tests and one-off scripts.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env_str("MOTCUA_TASKS_BACKEND", "database")]}}
# Outbox delivery retries: the n-th retry waits base * 2**(n-1) seconds, up to max attempts.
MOTCUA_OUTBOX_RETRY_BASE_SECONDS = env_int("MOTCUA_OUTBOX_RETRY_BASE_SECONDS", 30)
MOTCUA_OUTBOX_MAX_ATTEMPTS = env_int("MOTCUA_OUTBOX_MAX_ATTEMPTS", 10)
# Nightly rebuild of the 766 index's last N days, enqueued by `motcua worker` once per local day at
# HH:MM (empty turns it off); see docs/indicators.md, Operations.
MOTCUA_INDICATORS_NIGHTLY_AT = env_str("MOTCUA_INDICATORS_NIGHTLY_AT", "02:30")
MOTCUA_INDICATORS_WINDOW_DAYS = env_int("MOTCUA_INDICATORS_WINDOW_DAYS", 45)

# Dossier code: <organ code>-<yymmdd>-<daily sequence> (vn-domain §3.3; a convention, so configurable).
MOTCUA_DOSSIER_CODE_TEMPLATE = env_str("MOTCUA_DOSSIER_CODE_TEMPLATE", "{organ_code}-{date:%y%m%d}-{seq:04d}")
# A running dossier is flagged "sắp trễ hạn" when due within this many working days.
MOTCUA_DUE_SOON_WORKING_DAYS = env_int("MOTCUA_DUE_SOON_WORKING_DAYS", 2)

# How inter-agency steps are requested: the local gateway (both agencies on this instance) or,
# once configured, the document interconnection axis.
MOTCUA_INTERAGENCY_GATEWAY = env_str("MOTCUA_INTERAGENCY_GATEWAY", "motcua.dossiers.interagency.LocalGateway")

# Uploaded papers (lib/uploads.py): size limits per file and per dossier, in MB.
MOTCUA_UPLOAD_MAX_FILE_MB = env_int("MOTCUA_UPLOAD_MAX_FILE_MB", 10)
MOTCUA_UPLOAD_MAX_DOSSIER_MB = env_int("MOTCUA_UPLOAD_MAX_DOSSIER_MB", 50)

# Search backend: "auto" picks FTS5 on SQLite and unaccent + pg_trgm on PostgreSQL.
MOTCUA_SEARCH_BACKEND = env_str("MOTCUA_SEARCH_BACKEND", "auto")

# Links in e-mails and the return address given to payment gateways: the public address of the site.
MOTCUA_SITE_URL = env_str("MOTCUA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Fees (docs/payments.md). The provider is a dotted path; the default is the built-in sandbox
# "bank" (no real money). Its secret signs requests and callbacks (HMAC-SHA512).
MOTCUA_PAYMENT_PROVIDER = env_str("MOTCUA_PAYMENT_PROVIDER", "motcua.payments.sandbox.SandboxProvider")
MOTCUA_PAYMENT_SANDBOX_SECRET = env_str("MOTCUA_PAYMENT_SANDBOX_SECRET", "motcua-sandbox-secret-not-for-real-money")
MOTCUA_PAYMENT_SANDBOX_MERCHANT = env_str("MOTCUA_PAYMENT_SANDBOX_MERCHANT", "MOTCUA01")
# Empty: the sandbox hands its IPN to this instance in-process (from the worker); a URL: it POSTs it there.
MOTCUA_PAYMENT_SANDBOX_IPN_URL = env_str("MOTCUA_PAYMENT_SANDBOX_IPN_URL", "")

# Notifications to applicants (docs/notifications.md). Without MOTCUA_EMAIL_HOST, e-mails are
# printed by the worker (console backend) instead of trying a mail server that is not there.
MOTCUA_EMAIL_HOST = env_str("MOTCUA_EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if MOTCUA_EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = MOTCUA_EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("MOTCUA_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("MOTCUA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("MOTCUA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("MOTCUA_EMAIL_USE_SSL", False)
# A mail server that hangs must not hold the worker forever: the outbox retries later instead.
EMAIL_TIMEOUT = env_int("MOTCUA_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("MOTCUA_EMAIL_FROM", "Một cửa <khong-tra-loi@localhost>")
MOTCUA_SMS_PROVIDER = env_str("MOTCUA_SMS_PROVIDER", "motcua.notifications.sms.ConsoleSmsProvider")
# Where the applicant follows the dossier; {site_url} and {code} are filled in.
MOTCUA_TRACKING_URL = env_str("MOTCUA_TRACKING_URL", "{site_url}/tra-cuu-ho-so/?ma={code}")
# Days a dossier rating can still be changed after it was first given (docs/satisfaction.md).
MOTCUA_RATING_EDIT_DAYS = env_int("MOTCUA_RATING_EDIT_DAYS", 30)

# Document interconnection axis (docs/exchange.md). Role: "hub" serves the hub API, "client"
# only talks to a hub, "both" does both (the default: one instance can try the whole axis).
MOTCUA_EXCHANGE_ROLE = env_str("MOTCUA_EXCHANGE_ROLE", "both")
MOTCUA_EXCHANGE_HUB_URL = env_str("MOTCUA_EXCHANGE_HUB_URL", "").rstrip("/")
MOTCUA_EXCHANGE_ORGAN_CODE = env_str("MOTCUA_EXCHANGE_ORGAN_CODE", "")
MOTCUA_EXCHANGE_TOKEN = env_str("MOTCUA_EXCHANGE_TOKEN", "")
MOTCUA_EXCHANGE_KEY = env_str("MOTCUA_EXCHANGE_KEY", "")
MOTCUA_EXCHANGE_CERT = env_str("MOTCUA_EXCHANGE_CERT", "")
MOTCUA_EXCHANGE_CALLBACK_SECRET = env_str("MOTCUA_EXCHANGE_CALLBACK_SECRET", "")
MOTCUA_EXCHANGE_HUB_KEY = env_str("MOTCUA_EXCHANGE_HUB_KEY", "")
MOTCUA_EXCHANGE_HUB_CERT = env_str("MOTCUA_EXCHANGE_HUB_CERT", "")
MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES = env_int("MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES", 20 * 1024 * 1024)
MOTCUA_EXCHANGE_RETRY_BASE_SECONDS = env_int("MOTCUA_EXCHANGE_RETRY_BASE_SECONDS", 10)
MOTCUA_EXCHANGE_RETRY_MAX_SECONDS = env_int("MOTCUA_EXCHANGE_RETRY_MAX_SECONDS", 3600)
MOTCUA_EXCHANGE_PUSH_TIMEOUT_SECONDS = env_int("MOTCUA_EXCHANGE_PUSH_TIMEOUT_SECONDS", 10)
MOTCUA_EXCHANGE_CHECKPOINT_SECONDS = env_int("MOTCUA_EXCHANGE_CHECKPOINT_SECONDS", 300)
# How often `motcua worker` syncs with the hub when a client is configured (0: never; then run
# `motcua exchange sync` yourself or rely on push).
MOTCUA_EXCHANGE_SYNC_SECONDS = env_int("MOTCUA_EXCHANGE_SYNC_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MOTCUA_LOG_LEVEL", "WARNING")},
}
