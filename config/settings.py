"""Settings for yuanqu. Everything a deployment changes comes from environment variables
(documented in README.md); the defaults run a fresh checkout on SQLite and local memory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from config.env import (
    cache_from_redis_url,
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    replica_database,
    sqlite_database,
    tile_source,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("YUANQU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Under pytest (and mypy's Django plugin, which imports settings) no secrets are needed.
TESTING = "pytest" in sys.modules or "mypy" in sys.modules or env_bool("YUANQU_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # admin.site is the OTP-aware YuanquAdminSite (accounts): one login page, TOTP for site admins.
    "yuanqu.accounts.admin_site.YuanquAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_htmx",
    "django_prose_editor",
    "csp",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "yuanqu.core",
    "yuanqu.accounts",
    "yuanqu.parks",
    "yuanqu.listings",
    "yuanqu.news",
    "yuanqu.leads",
    "yuanqu.matching",
    "yuanqu.enterprises",
    "yuanqu.pipeline",
    "yuanqu.workbench",
    "yuanqu.indicators",
    "yuanqu.chains",
    "yuanqu.api",
    "ninja",  # the API docs page's own vendored Swagger UI (no CDN)
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Anonymous article pages from the cache before sessions/CSRF/auth (issue 4 budget).
    "yuanqu.news.middleware.CachedArticleMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cross-origin API reads for the allowed origins only (API_CORS_ORIGINS; none by default).
    "corsheaders.middleware.CorsMiddleware",
    # The API's body cap, ETags, 304s and public Cache-Control.
    "yuanqu.api.middleware.ApiHttpMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After URL resolution: anonymous public reads go to a replica when there is one.
    "yuanqu.core.replicas.ReplicaReadsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A staff API token's user, before the audit log reads request.user.
    "yuanqu.api.middleware.ApiTokenUserMiddleware",
    "yuanqu.accounts.middleware.ClientAddressAuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Exceptions reach the last middleware first: a database that cannot be reached → 503.
    "yuanqu.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yuanqu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yuanqu.core.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite (WAL, IMMEDIATE) by default; PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": (
        database_from_url(DATABASE_URL, base_dir=BASE_DIR)
        if DATABASE_URL
        else sqlite_database(VAR_DIR / "yuanqu.sqlite3")
    )
}
# PostgreSQL streaming replicas for anonymous public reads (yuanqu/core/replicas.py,
# docs/SCALING.md): comma-separated postgres:// URLs; none by default.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_number}"] = replica_database(_url, base_dir=BASE_DIR)
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["yuanqu.core.replicas.ReplicaRouter"]
# After a change to public content, public reads use the primary for this long (the lag a
# replica is allowed; needs the shared cache, REDIS_URL, when there are several web hosts).
REPLICA_LAG_GRACE_SECONDS = env_int("REPLICA_LAG_GRACE_SECONDS", 10, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        cache_from_redis_url(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yuanqu"}
    )
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_RESULT_RETENTION_DAYS = env_int("TASK_RESULT_RETENTION_DAYS", 14, minimum=1)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Accounts (yuanqu.accounts): one login page, throttled by django-axes per account and per IP.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", not TESTING)  # tests switch it on where they test it
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
# Each list item is its own lock: the account is locked wherever the attempts come from,
# and an IP is locked whatever accounts it tries.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Behind N reverse proxies set TRUSTED_PROXY_COUNT=N, or every client shares the proxy's IP lock.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "yuanqu.accounts.gates.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# Sessions end SESSION_COOKIE_AGE after sign-in (not renewed per request, so public pages
# never write the session table) and when the browser closes.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "yuanqu")
# Personal data (PIPL): leads never converted are anonymised after this many months.
LEAD_RETENTION_MONTHS = env_int("LEAD_RETENTION_MONTHS", 24, minimum=1)
# Audit trail: never keep the requester's IP beside change records.
AUDITLOG_DISABLE_REMOTE_ADDR = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Serve app and vendored static files straight from their folders in development and tests.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes (the XSS audit reads it).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "yuanqu <noreply@localhost>")

# Security: secure defaults, relaxed only by DEBUG for local HTTP.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 30, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Site identity and the filing numbers a site served in mainland China must show.
# The default name is in the translation catalogue (core.context_processors.site_name); a
# name set in the environment is shown as it is.
SITE_NAME = env_str("SITE_NAME", gettext_noop("园区招商与载体对接平台"))
HOME_REGION_CODE = env_str("HOME_REGION_CODE", "320300")
ICP_NUMBER = env_str("ICP_NUMBER", "")
PUBLIC_SECURITY_NUMBER = env_str("PUBLIC_SECURITY_NUMBER", "")

# Scheduler: how often the periodic-job loop wakes (seconds).
SCHEDULER_TICK_SECONDS = env_int("SCHEDULER_TICK_SECONDS", 60, minimum=1)

# Search: rankings of queries that hit the candidate cap (the commonest words) are kept this
# many seconds; any index write clears them. 0 turns it off.
SEARCH_CAPPED_CACHE_SECONDS = env_int("SEARCH_CAPPED_CACHE_SECONDS", 60, minimum=0)

# Carriers (listings): freshness, maps and the SMS backend for saved searches.
CARRIER_STALE_DAYS = env_int("CARRIER_STALE_DAYS", 90, minimum=1)
CARRIER_HIDE_DAYS = env_int("CARRIER_HIDE_DAYS", 180, minimum=1)
# Tiles: OpenStreetMap by default (WGS-84). Chinese providers (AutoNavi/Tencent) draw GCJ-02,
# so set MAP_TILES_GCJ02=1 with them and the points are shifted before drawing.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
MAP_TILES_GCJ02 = env_bool("MAP_TILES_GCJ02", False)

# Industry chains (docs/chains.md): a link is 缺链 with fewer than present_min enterprises and
# no signed project, 弱链 with fewer than strong_min_above_scale 规上 enterprises, else 强链.
# The matching reads every park's missing links on each match: kept in the process this long
# (a new enterprise or signed project may take that long to change a park's bonus); 0 in tests.
CHAIN_GAPS_MEMO_SECONDS = env_int("CHAIN_GAPS_MEMO_SECONDS", 0 if TESTING else 60, minimum=0)
CHAIN_THRESHOLDS = {
    "present_min": env_int("CHAIN_PRESENT_MIN", 1, minimum=1),
    "strong_min_above_scale": env_int("CHAIN_STRONG_MIN_ABOVE_SCALE", 1, minimum=1),
}

# The JSON API (/api/v1/, docs/api.md).
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 60, minimum=0)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
API_ANON_RATE = env_str("API_ANON_RATE", "120/m")
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "600/m")  # per personal access token
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ORIGINS", [])
CORS_ALLOW_CREDENTIALS = False

# Printable reports become PDF through Chromium's own print engine (see docs/indicators.md):
# Debian's binary, driven by Playwright; without it the report still prints from the browser.
CHROMIUM_PATH = env_str("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
PDF_TIMEOUT_SECONDS = env_int("PDF_TIMEOUT_SECONDS", 60, minimum=5)
SMS_BACKEND = env_str("SMS_BACKEND", "yuanqu.listings.sms.LoggingBackend")

# Needs (leads) and matching.
# The same mobile with the same need inside this window merges into the existing lead.
LEAD_MERGE_WINDOW_HOURS = env_int("LEAD_MERGE_WINDOW_HOURS", 24, minimum=0)
# Bot defence without a foreign CAPTCHA; LEAD_RATE_LIMITS=0 only for benchmarks.
LEAD_RATE_LIMITS = env_bool("LEAD_RATE_LIMITS", True)
LEAD_RATE_LIMIT_PER_IP_HOUR = env_int("LEAD_RATE_LIMIT_PER_IP_HOUR", 20, minimum=1)
LEAD_RATE_LIMIT_PER_MOBILE_HOUR = env_int("LEAD_RATE_LIMIT_PER_MOBILE_HOUR", 5, minimum=1)
# WeCom/DingTalk robot for new-lead notices; the logging backend writes no personal data.
LEAD_WEBHOOK_BACKEND = env_str(
    "LEAD_WEBHOOK_BACKEND", "yuanqu.leads.notifications.LoggingWebhookBackend"
)
LEAD_WEBHOOK_URL = env_str("LEAD_WEBHOOK_URL", "")
LEAD_NOTIFY_MAX_ATTEMPTS = env_int("LEAD_NOTIFY_MAX_ATTEMPTS", 8, minimum=1)
# Candidates' area may fall this far outside the wanted range (0.20 = 20%), scored lower.
MATCH_AREA_MARGIN = env_float("MATCH_AREA_MARGIN", 0.20, minimum=0.0, maximum=1.0)

# Workbench (staff side): when unassigned leads are flagged, and the project alerts.
# Working days skip Saturdays and Sundays (no holiday calendar yet).
LEAD_UNASSIGNED_FLAG_WORKING_DAYS = env_int("LEAD_UNASSIGNED_FLAG_WORKING_DAYS", 1, minimum=0)
PROJECT_STALL_DAYS = env_int("PROJECT_STALL_DAYS", 30, minimum=1)
PROJECT_PROBLEM_OVERDUE_DAYS = env_int("PROJECT_PROBLEM_OVERDUE_DAYS", 14, minimum=1)
# 拿地即开工: a project counts when it started within this many days of getting its land.
PROJECT_QUICK_START_DAYS = env_int("PROJECT_QUICK_START_DAYS", 30, minimum=1)

# Content-Security-Policy: only our own scripts (inline ones need {{ CSP_NONCE }}), no third
# party hosts but the map tiles. Inline styles stay allowed: Leaflet positions tiles with them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", tile_source(MAP_TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "yuanqu.core.logging.JsonFormatter"}},
    "filters": {"no_personal_data": {"()": "yuanqu.core.logging.PersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["no_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "jieba": {"level": "WARNING"},
    },
}

if TESTING:
    # Tests trade only safety for speed: a fast hasher, in-memory mail, throwaway media.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MEDIA_ROOT = VAR_DIR / "test-media"
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not Django's shared in-memory database: with one in memory the live server
        # hands its single connection to every request thread, so two requests at once (a
        # double tap) interleave their transactions; with a file each thread has its own
        # connection and the IMMEDIATE lock queues them, as in production. One per process,
        # so two test runs on one machine do not share it; Django deletes it at the end.
        DATABASES["default"]["TEST"] = {"NAME": VAR_DIR / f"test-{os.getpid()}.sqlite3"}
