"""The one settings file: development-friendly defaults, production by environment."""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = (
    "dev-only-not-a-secret"  # core/checks.py refuses it when DEBUG is false
)


def env_bool(name, default):
    value = os.environ.get(name, default)
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value == "true"


SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
# Off unless asked for: `make run`, `make lint` and the test settings ask
# (DEBUG=true); a server that forgets the variable never shows debug pages.
DEBUG = env_bool("DEBUG", "false")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Django's form widget templates, found by the template engine so that
    # templates/django/forms/ can replace one (FORM_RENDERER below).
    "django.forms",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_rq",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "simple_history",
    "ntm.core",
    "ntm.documents",
    "ntm.units",
    "ntm.accounts",
    "ntm.indicators",
    "ntm.households",
    "ntm.cooperatives",
    "ntm.knowledge",
    "ntm.environment",
    "ntm.feedback",
    "ntm.plans",
    "ntm.dossiers",
    "ntm.reports",
    "ntm.surveys",
    "ntm.channel",
    "ntm.ocop",
    "ntm.tourism",
    "ntm.traceability",
    "ntm.dashboards",
    "ntm.maps",
    "ntm.opendata",
    "ntm.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session is read: a NUL in its cookie is refused here too.
    "ntm.core.middleware.RefuseUnusableInputMiddleware",
    "ntm.core.contentpolicy.PrebuiltPolicyMiddleware",
    # A visitor with no session gets a shared page's copy from here.
    "ntm.core.publiccache.SharedCopyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ntm.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ntm.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ntm.units.middleware.UnitNotFoundMiddleware",
    "ntm.core.ratelimits.RateLimitMiddleware",
    "ntm.core.privacy.NoStoreForStaffMiddleware",
    # Last, as django-axes asks: it turns lockouts into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ntm.urls"
WSGI_APPLICATION = "ntm.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Form widgets render through the project's template engine: the select in
# templates/django/forms/widgets/ writes its options inline instead of two
# template includes per option (a 400-unit select: half the page's time).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
                "ntm.accounts.context_processors.navigation",
                # Last: a shared public page gets a placeholder for the token.
                "ntm.core.publiccache.csrf_placeholder",
            ],
        },
    }
]

# -- Production: database connections (docs/deployment.md) -------------------
# A pool per process (psycopg-pool) shared by its threads, so the number of
# PostgreSQL connections is bounded by processes x DB_POOL_MAX whatever the
# load (bench/connections.py measures it). DB_POOL_MAX=0 turns the pool off
# for persistent connections per thread (CONN_MAX_AGE), e.g. behind PgBouncer.
DB_POOL_MAX = int(os.environ.get("DB_POOL_MAX", 4))
if DB_POOL_MAX:
    DB_CONNECTION = {
        "OPTIONS": {
            "pool": {
                "min_size": int(os.environ.get("DB_POOL_MIN", 1)),
                "max_size": DB_POOL_MAX,
                "timeout": int(os.environ.get("DB_POOL_TIMEOUT", 10)),
            }
        },
        # The pool checks a connection as it lends it: after a database
        # restart dead ones are replaced instead of failing a request each
        # (bench/faults.py).
        "CONN_HEALTH_CHECKS": True,
    }
else:
    DB_CONNECTION = {
        "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", 60)),
        "CONN_HEALTH_CHECKS": True,
    }

# SQLite by default, so a fresh checkout runs with no database server.
# DB_ENGINE=postgres switches to PostgreSQL; CI runs the tests on both.
if os.environ.get("DB_ENGINE") == "postgres":
    DATABASES = {
        "default": {
            # Django's backend, told about the partitioned tables.
            "ENGINE": "ntm.core.postgresql",
            "NAME": os.environ.get("DB_NAME", "ntm"),
            "USER": os.environ.get("DB_USER", "postgres"),
            "PASSWORD": os.environ.get("DB_PASSWORD", ""),
            "HOST": os.environ.get("DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("DB_PORT", "5432"),
            **DB_CONNECTION,
        }
    }
    # JIT off unless asked for (DB_JIT=on): the planner's cost estimates of
    # a district's GROUP BY over a country-sized register pass the JIT
    # threshold, and compiling took 1.2 s of a 1.3 s query (bench at 27 M
    # households), where the query itself takes 60 ms.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit={os.environ.get('DB_JIT', 'off')}"
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DB_NAME", BASE_DIR / "db.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
# A streaming replica (DB_REPLICA_HOST, optional DB_REPLICA_PORT) takes the
# read-only requests' queries (ntm/core/replicas.py, docs/deployment.md).
# No pool for it: a replica that is down must fail in connect_timeout, not
# after the pool's wait, so that the page falls back to the primary at once.
DB_REPLICA_HOST = os.environ.get("DB_REPLICA_HOST", "")
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", 2))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", 5))
MULTIDB_PINNING_COOKIE = "ntm_primary"
MULTIDB_PINNING_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", 15))
MULTIDB_PINNING_COOKIE_HTTPONLY = True
REPLICA_MIDDLEWARE = "ntm.core.replicas.ReplicaMiddleware"
if DB_REPLICA_HOST and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["replica"] = {
        **{k: v for k, v in DATABASES["default"].items() if k != "OPTIONS"},
        "HOST": DB_REPLICA_HOST,
        "PORT": os.environ.get("DB_REPLICA_PORT", DATABASES["default"]["PORT"]),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "connect_timeout": 2,
            "options": DATABASES["default"]["OPTIONS"]["options"],
        },
        "TEST": {"MIRROR": "default"},
    }
    REPLICA_DATABASES = ["replica"]
    DATABASE_ROUTERS = ["ntm.core.replicas.ReplicaRouter"]
    # Before the session is read: sessions in the database read the replica.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        REPLICA_MIDDLEWARE,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese for everyone: no LocaleMiddleware, so an English browser still
# gets dd/mm/yyyy and 1.234,5 (an English catalogue can add a switch later).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# dd/mm/yyyy and 1.234,5 whatever Django's own Vietnamese locale says.
FORMAT_MODULE_PATH = ["ntm.formats"]

STATIC_URL = "static/"
# Leaflet comes from django-leaflet's wheel. The app itself is not installed:
# its admin module needs GDAL, which "SQLite with no system packages" rules out.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("leaflet", Path(leaflet.__file__).parent / "static" / "leaflet"),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Exports people asked for (ntm/core/exports.py): kept EXPORT_KEEP_HOURS,
# then deleted by `manage.py expire_exports` (and by each new request).
EXPORTS_ROOT = Path(os.environ.get("EXPORTS_ROOT", BASE_DIR / "private" / "exports"))
EXPORT_KEEP_HOURS = int(os.environ.get("EXPORT_KEEP_HOURS", 24))

# Uploads: an Excel register of 40,000 households is about 3 MB.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# What an .xlsx may unpack to and hold, checked before parsing (a few MB
# of zip can unpack into gigabytes of XML). Measured: the Đại Lộc register
# exported (38,588 households, 16 columns) is 3.6 MB and unpacks to 33.5 MB,
# about 870 bytes a row; the limits let a register of 100,000 rows through
# (about 87 MB unpacked, 1.6 million cells) with room for a few more columns.
SPREADSHEET_MAX_UNPACKED_BYTES = int(
    os.environ.get("SPREADSHEET_MAX_UNPACKED_BYTES", 128 * 1024 * 1024)
)
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", 100_000))
# Cells of a worksheet, counted on its XML before parsing.
SPREADSHEET_MAX_CELLS = int(os.environ.get("SPREADSHEET_MAX_CELLS", 3_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Login lockout (django-axes): 5 failures for one username from one address
# lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "NTM Số"

# Map tiles are the one outside resource; closed networks point this at their own
# tile server or leave it empty to draw boundaries on a blank background.
MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
# The credit drawn on the map; OpenStreetMap's tile policy requires its own.
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    "© OpenStreetMap contributors" if "openstreetmap.org" in MAP_TILE_URL else "",
)

# Every SMS (survey one-time codes, the village channel) goes through one
# notifier of ntm/core/notify.py: the gateway of SMS_GATEWAY_URL, which
# receives {"channel": "sms", "to": [phone], "subject", "text"} as JSON with
# SMS_GATEWAY_TOKEN as a Bearer token; without a URL SMS are only logged
# (development, the demo), never sent.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
_SMS_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_NOTIFIER = (
    {"kind": "http", "name": "sms", "url": SMS_GATEWAY_URL, "token": _SMS_TOKEN}
    if SMS_GATEWAY_URL
    else {"kind": "console", "name": "sms", "address": "phone"}
)
# SMS_ADAPTER, the survey codes' own adapter until they moved to the shared
# notifier, chooses nothing any more: SMS_GATEWAY_URL decides. A server still
# setting it must mean the same (HttpAdapter with a URL, ConsoleAdapter
# without), else it stops here rather than send codes where it did not
# before or only log them where it sent them (docs/deployment.md, "SMS").
_SMS_ADAPTER_AGREEING = (
    "ntm.surveys.sms.HttpAdapter"
    if SMS_GATEWAY_URL
    else "ntm.surveys.sms.ConsoleAdapter"
)
_LEGACY_SMS_ADAPTER = os.environ.get("SMS_ADAPTER") or _SMS_ADAPTER_AGREEING
if _LEGACY_SMS_ADAPTER != _SMS_ADAPTER_AGREEING:
    raise ImproperlyConfigured(
        f"SMS_ADAPTER={_LEGACY_SMS_ADAPTER!r} no longer chooses the SMS transport and "
        "disagrees with SMS_GATEWAY_URL: remove SMS_ADAPTER and set SMS_GATEWAY_URL "
        "to send SMS, or leave it empty to only log them (docs/deployment.md, SMS)."
    )

# Channels of the yearly-report reminders, as JSON, e.g.
# [{"kind": "email"}, {"kind": "http", "name": "sms", "url": "…", "token": "…"}]
REPORT_NOTIFIERS = json.loads(os.environ.get("REPORT_NOTIFIERS", '[{"kind": "email"}]'))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Traceability: the scheme and host printed in lots' QR codes (GS1 Digital
# Link), e.g. "https://truyxuat.example.vn"; empty means the host of the
# page that prints the labels. Label PDFs need a font with Vietnamese
# letters (Debian's fonts-dejavu-core).
TRACE_BASE_URL = os.environ.get("TRACE_BASE_URL", "").rstrip("/")

# The village channel's adapters (ntm/channel), by name, each a notifier
# entry of ntm/core/notify.py. SMS is the one SMS_NOTIFIER above; Zalo goes
# to the Official Account API with its access token when it is set, else
# only logs (development, the demo), never a real service.
_ZALO_TOKEN = os.environ.get("ZALO_OA_ACCESS_TOKEN", "")
CHANNEL_ADAPTERS = {
    "email": {"kind": "email"},
    "sms": SMS_NOTIFIER,
    "zalo": {
        "kind": "zalo",
        "token": _ZALO_TOKEN,
        "url": os.environ.get("ZALO_OA_URL", ""),
    }
    if _ZALO_TOKEN
    else {"kind": "console", "name": "zalo", "address": "zalo_id"},
}
# The shared secret the SMS gateway sends in X-Gateway-Token when it posts a
# resident's text to /kenh-thon/tin-nhan-den/ ("HUY <token>" opts out);
# empty turns that endpoint off (404).
SMS_INBOUND_TOKEN = os.environ.get("SMS_INBOUND_TOKEN", "")
# Where the QR code of an address plate and the address lookup API point
# (the public address page), e.g. "https://diachi.example.vn"; empty means
# the host of the page that prints the plates.
ADDRESS_BASE_URL = os.environ.get("ADDRESS_BASE_URL", TRACE_BASE_URL).rstrip("/")
# Where residents open an announcement's attachment and the opt-out link.
CHANNEL_BASE_URL = os.environ.get("CHANNEL_BASE_URL", TRACE_BASE_URL).rstrip("/")
LABEL_FONT = os.environ.get(
    "LABEL_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)
# How long a scan page stays cached; writes of this app change its key
# at once, OCOP certificates (another app's) within this time.
TRACE_SCAN_CACHE_SECONDS = int(os.environ.get("TRACE_SCAN_CACHE_SECONDS", 300))
# How long a worker trusts its cached copy of a lot's version. Writes drop
# it from the cache at once; a per-process cache (no REDIS_URL) only drops
# the writing process's copy, so others catch up within this time.
TRACE_SCAN_VERSION_SECONDS = int(os.environ.get("TRACE_SCAN_VERSION_SECONDS", 30))

# Public pages and figures (ntm/core/publiccache.py). A shared page is
# rendered again after a write, or after this long: a write outside the
# services (the admin, the shell) shows within it.
PUBLIC_PAGE_SECONDS = int(os.environ.get("PUBLIC_PAGE_SECONDS", 300))
# How long a worker process trusts the data version it read last: another
# process's write shows on its pages within this time (its own at once).
PUBLIC_VERSION_CHECK_SECONDS = float(os.environ.get("PUBLIC_VERSION_CHECK_SECONDS", 1))
# Figures (the plan's results, open data rows) are recomputed after a write
# by the task worker, once for all the writes of this many seconds...
FIGURES_DEBOUNCE_SECONDS = int(os.environ.get("FIGURES_DEBOUNCE_SECONDS", 5))
# ... and at the latest when they are this old.
FIGURES_MAX_AGE_SECONDS = int(os.environ.get("FIGURES_MAX_AGE_SECONDS", 300))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # On a developer's machine the console notifier's messages (survey
    # one-time codes, channel announcements) are the only way to read them.
    "loggers": {"ntm.core.notify": {"level": "INFO" if DEBUG else "WARNING"}},
}

# -- Production: HTTPS, proxy, cache, sessions, tasks (docs/deployment.md) ----
# Served over HTTPS, directly or behind a TLS proxy: redirect to HTTPS, HSTS,
# cookies sent over HTTPS only. On whenever DEBUG is off unless HTTPS=false
# (a loopback test stack; check_production then warns).
HTTPS = env_bool("HTTPS", "false" if DEBUG else "true")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
MULTIDB_PINNING_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600 * HTTPS))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", "true")
# Behind one reverse proxy (nginx, Caddy) that terminates TLS and sets
# X-Forwarded-Proto and X-Forwarded-For: trust them, and no other header.
BEHIND_PROXY = env_bool("BEHIND_PROXY", "false")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Redis (REDIS_URL, e.g. redis://127.0.0.1:6379/0) holds the cache, the
# sessions (written through to the database, so a Redis restart signs nobody
# out) and the task queue. Without it: local memory and tasks run inline.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ntm"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# django-rq reads its queues here even when the tasks run inline. A job may
# run for half an hour (a province's register export) before RQ stops it.
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": int(os.environ.get("TASK_TIMEOUT_SECONDS", 1800)),
    }
}
# A job whose worker died (kill -9, a lost machine) is noticed within about
# two minutes by the next worker and run again, up to TASK_RETRIES times;
# tasks are written to run twice harmlessly (ntm/core/taskqueue.py).
RQ = {"WORKER_CLASS": "ntm.core.taskqueue.Worker"}
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "ntm.core.taskqueue.RQBackend"
            if REDIS_URL
            else "django_tasks.backends.immediate.ImmediateBackend",
        ),
        "OPTIONS": {"retries": int(os.environ.get("TASK_RETRIES", 3))},
    }
}

# Hashed, compressed static files served by WhiteNoise (collected by
# `make prod`); plain files from the source folders while developing.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Export files (often personal data): outside MEDIA_ROOT so backups and
    # the front web server never hold or serve them; shared by web and worker.
    "exports": {
        "BACKEND": "ntm.core.storages.ExportStorage",
        "OPTIONS": {"location": EXPORTS_ROOT},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The demo's accounts, shared password and published two-factor key never
# reach a production database: load_demo refuses unless DEBUG is on, or
# ALLOW_DEMO=true for a public demo server (random password and key).
ALLOW_DEMO = env_bool("ALLOW_DEMO", "false")

# -- Production: backups (manage.py backup / restore) ------------------------
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))

# -- Hardening: client address, rate limits -----------------------------------
# One notion of "client" for the login lockout, the rate limits and the survey
# verification: REMOTE_ADDR, or the proxy's X-Forwarded-For entry.
AXES_CLIENT_IP_CALLABLE = "ntm.core.clients.client_address"
RATELIMIT_IP_META_KEY = "ntm.core.clients.client_address"
# Requests per client address (django-ratelimit rates: N/s, N/m, N/h).
RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "10/m"),
    "public_forms": os.environ.get("RATE_LIMIT_PUBLIC_FORMS", "20/m"),
    "api": os.environ.get("RATE_LIMIT_API", "300/m"),
}

# -- Hardening: Content-Security-Policy (django-csp) --------------------------
# No inline script or style anywhere (page JS in static/js/, attached with
# data- attributes), so the policy allows only this site's own files; images
# also from the map tile server.
_tiles = urlsplit(MAP_TILE_URL.replace("{s}.", "*."))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"]
        + ([f"{_tiles.scheme}://{_tiles.netloc}"] if _tiles.netloc else []),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# -- Hardening: staff sessions --------------------------------------------------
# Office computers are shared: a signed-in session ends 8 hours after sign-in
# or after 1 hour without a request (accounts.middleware.StaffSessionMiddleware).
STAFF_SESSION_SECONDS = int(os.environ.get("STAFF_SESSION_HOURS", 8)) * 3600
STAFF_IDLE_SECONDS = int(os.environ.get("STAFF_IDLE_MINUTES", 60)) * 60
SESSION_COOKIE_AGE = STAFF_SESSION_SECONDS
