"""Settings for every machine, read from the environment (django-environ).

With nothing set, the app runs on SQLite, sends mail to the console and runs Celery tasks eagerly.
`ocop.settings.production` layers the deployment rules on top of this module.
"""
from pathlib import Path

import environ
from celery.schedules import crontab

from ocop.observability import admins_from, sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ---------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "ocop.apps.LoginLockoutsConfig",  # django-axes, under a name in the site's language (ocop/apps.py)
    "ocop",
    "subjects",
    "products",
    "evaluation",
    "certificates",
    "promotion",
]

MIDDLEWARE = [
    "ocop.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ocop.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocop.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ocop.middleware.AddressHygieneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ocop.outbox.OutboxNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

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
                "ocop.context_processors.navigation",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------
# Database: SQLite embedded by default, PostgreSQL through DATABASE_URL
# ---------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------
# Cache: Redis when REDIS_URL is set, process memory otherwise
# ---------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# ---------------------------------------------------------------------------------------------
# Celery: a real broker when CELERY_BROKER_URL is set, eager execution otherwise
# ---------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task taken by a worker that died (killed, machine lost) goes back to the queue after this many seconds,
# found by a sweep every worker makes every CELERY_RESTORE_SWEEP_SECONDS (kombu's default: about 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # kombu sweeps every interval × throttle seconds: a tick each second, a Redis scan every Nth tick.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": env.int("CELERY_RESTORE_SWEEP_SECONDS", default=100),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker logs through LOGGING below (JSON in production, each line with its task's id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Task modules besides each app's tasks module (which autodiscovery finds; a tasks/ package imports its own).
CELERY_IMPORTS = ["certificates.tasks.notices", "certificates.tasks.inspections"]
# The daily schedule `celery -A ocop beat` keeps (in CELERY_TIMEZONE). Without a broker nothing is scheduled:
# run `manage.py flag_expiring_certificates` and `manage.py inspection_notices` from cron instead.
CELERY_BEAT_SCHEDULE = {
    "certificate-expiry-notices": {"task": "certificates.expiry_notices", "schedule": crontab(hour=6, minute=0)},
    # Corrective actions due within 7 days and overdue, schedules and proposed revocations not told yet.
    "inspection-notices": {"task": "certificates.inspection_notices", "schedule": crontab(hour=6, minute=5)},
    # The outbox (ocop/outbox.py): hand over the tasks the broker could not take when their change was saved.
    "outbox-sweep": {"task": "ocop.outbox_sweep", "schedule": 60.0},
}
# Seconds a request waits for the broker to take a task before leaving it to the outbox's sweep.
OCOP_BROKER_PUBLISH_TIMEOUT = env.float("OCOP_BROKER_PUBLISH_TIMEOUT", default=1.0)

# ---------------------------------------------------------------------------------------------
# Email: console by default, SMTP (or any backend) through EMAIL_URL
# ---------------------------------------------------------------------------------------------
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="OCOP <no-reply@ocop.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------------------------
# Authentication, roles and login throttling
# ---------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "ocop.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failed logins are counted per username and client address (`ocop.throttle.client_address`, which knows the
# proxies), so that failures from elsewhere do not lock a user out; a higher limit counts a username's
# failures from every address together (ocop.forms.auth.LoginForm).
AXES_CLIENT_IP_CALLABLE = "ocop.throttle.client_address"
OCOP_LOGIN_USERNAME_FAILURE_LIMIT = env.int("OCOP_LOGIN_USERNAME_FAILURE_LIMIT", default=50)

# ---------------------------------------------------------------------------------------------
# Language and formats: Vietnamese first, English second
# ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ocop.formats"]

# ---------------------------------------------------------------------------------------------
# Static files (WhiteNoise) and private media
# ---------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are private: no URL pattern serves MEDIA_URL, files leave only through views that check
# permission (the reverse proxy must not serve MEDIA_ROOT either).
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
WHITENOISE_USE_FINDERS = DEBUG

# ---------------------------------------------------------------------------------------------
# Forms and security headers
# ---------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)

# ---------------------------------------------------------------------------------------------
# Logging: one line per record on stderr, JSON (LOG_FORMAT=json, production's default) or key=value, each with
# the id of the request or task it belongs to (ocop/observability.py); errors to Sentry and ADMINS
# ---------------------------------------------------------------------------------------------
LOG_FORMAT = env("LOG_FORMAT", default="kv")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ocop.observability.RequestIdFilter"}},
    "formatters": {
        "kv": {"format": "ts=%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s "
                         "msg=%(message)s"},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                 "rename_fields": {"asctime": "ts", "levelname": "level", "name": "logger", "message": "msg"},
                 "json_ensure_ascii": False},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                # WeasyPrint reports every step of every PDF at INFO, fontTools every subset.
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
# Who is mailed a server error (Django's AdminEmailHandler, when DEBUG is off): "Tên <a@b.vn>, c@d.vn".
ADMINS = admins_from(env("ADMINS", default=""))
SENTRY_ENABLED = sentry_init(env("SENTRY_DSN", default=""), environment=env("SENTRY_ENVIRONMENT", default="production"),
                             traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
                             release=env("SENTRY_RELEASE", default=""))

# ---------------------------------------------------------------------------------------------
# OCOP programme settings
# ---------------------------------------------------------------------------------------------
OCOP_PAGE_SIZE = env.int("OCOP_PAGE_SIZE", default=25)
# How many reverse proxies (nginx, a load balancer) stand in front of gunicorn and append to X-Forwarded-For;
# 0 when gunicorn faces the clients. Throttles and login lockouts key on the address this gives.
OCOP_TRUSTED_PROXY_COUNT = env.int("OCOP_TRUSTED_PROXY_COUNT", default=0)
# Public pages: requests a minute per client address.
OCOP_VERIFY_RATE = env.int("OCOP_VERIFY_RATE", default=30)
OCOP_CATALOG_RATE = env.int("OCOP_CATALOG_RATE", default=120)
OCOP_API_RATE = env.int("OCOP_API_RATE", default=60)
# The province (its unit code, e.g. 19) whose OCOP products the public home counts; empty: the whole register.
OCOP_PUBLIC_PROVINCE = env.str("OCOP_PUBLIC_PROVINCE", default="")
# Days before a certificate's end when its holder and officers are told (and once more when it ends), and
# how long after its end an ended certificate is still worth telling about.
OCOP_CERTIFICATE_NOTICE_DAYS = env.list("OCOP_CERTIFICATE_NOTICE_DAYS", cast=int, default=[180, 90, 30])
OCOP_CERTIFICATE_EXPIRED_NOTICE_DAYS = env.int("OCOP_CERTIFICATE_EXPIRED_NOTICE_DAYS", default=30)
# How certificate numbers are written ({seq}, {year}, {authority}); the central level that alone recognises 5★.
OCOP_CERTIFICATE_NUMBER_FORMAT = env.str("OCOP_CERTIFICATE_NUMBER_FORMAT", default="{seq:03d}/{year}/GCN-{authority}")
OCOP_CENTRAL_AUTHORITY_NAME = env.str("OCOP_CENTRAL_AUTHORITY_NAME", default="Bộ Nông nghiệp và Môi trường")
OCOP_CENTRAL_AUTHORITY_CODE = env.str("OCOP_CENTRAL_AUTHORITY_CODE", default="TW")
# How many processes lay out a batch of certificate PDFs at once outside a Celery worker (certificates/rendering.py);
# unset: one per core.
OCOP_RENDER_PROCESSES = env.int("OCOP_RENDER_PROCESSES", default=None)
# Uploaded XLSX and DOCX files are opened within bounds (ocop/workbooks.py): the most one may take once unpacked,
# and how long checking it and reading an import's rows may take before the file is refused.
OCOP_OFFICE_MAX_EXPANDED_MB = env.int("OCOP_OFFICE_MAX_EXPANDED_MB", default=100)
OCOP_OFFICE_READ_SECONDS = env.float("OCOP_OFFICE_READ_SECONDS", default=5.0)
