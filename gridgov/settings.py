"""GridGov settings. Everything that differs between deployments comes from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from gridgov.env import env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()  # lets admin.ModelAdmin[Model] and friends be subscripted at run time

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GRIDGOV_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("GRIDGOV_DEBUG", False)
_DEV_SECRET = "gridgov-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("GRIDGOV_SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("GRIDGOV_SECRET_KEY must be set to a secret value when GRIDGOV_DEBUG is off")
ALLOWED_HOSTS = env_list("GRIDGOV_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("GRIDGOV_CSRF_TRUSTED_ORIGINS", [])

# Key for personal data encrypted at rest (reporter names, phones). 32 bytes, urlsafe base64.
# Required unless DEBUG (then derived from SECRET_KEY); checked at start against a canary value.
FIELD_ENCRYPTION_KEY = env_str("GRIDGOV_FIELD_ENCRYPTION_KEY", "")
# While the key is replaced (manage.py rotate_field_key): the previous keys, still readable. Comma-separated.
FIELD_ENCRYPTION_OLD_KEYS = env_list("GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS", [])
# A value encrypted under the key in use, decrypted at every start: a wrong key stops the server there.
FIELD_KEY_CANARY_FILE = Path(env_str("GRIDGOV_FIELD_KEY_CANARY", str(VAR_DIR / "field-key-canary.txt")))
# The audit chain's anchor outside the database: signed checkpoints of every case's head (HMAC key from
# configuration; required unless DEBUG), appended to this file; verified every AUDIT_VERIFY_HOURS (0: off).
AUDIT_KEY = env_str("GRIDGOV_AUDIT_KEY", "")
AUDIT_CHECKPOINT_FILE = Path(env_str("GRIDGOV_AUDIT_CHECKPOINTS", str(VAR_DIR / "audit-checkpoints.jsonl")))
AUDIT_VERIFY_HOURS = env_int("GRIDGOV_AUDIT_VERIFY_HOURS", 24)
# Cipher for new writes: "aes-256-gcm" or "sm4-gcm" (国密). Old rows keep decrypting either way.
FIELD_CIPHER = env_str("GRIDGOV_FIELD_CIPHER", "aes-256-gcm")
if FIELD_CIPHER not in ("aes-256-gcm", "sm4-gcm"):  # same text as gridgov.data.privacy.cipher_name_error
    raise ImproperlyConfigured(f"GRIDGOV_FIELD_CIPHER={FIELD_CIPHER!r} is not supported (use aes-256-gcm or sm4-gcm)")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    # data apps: models and domain functions
    "gridgov.data.org",
    "gridgov.data.taxonomy",
    "gridgov.data.worktime",
    "gridgov.data.cases",
    "gridgov.data.metrics",
    "gridgov.data.reports",
    "gridgov.data.access",
    "gridgov.data.sheets",
    "gridgov.data.enterprises",
    "gridgov.data.inspections",
    "gridgov.data.problemlists",
    "gridgov.data.disputes",
    "gridgov.data.people",
    "gridgov.data.visits",
    "gridgov.data.rentals",
    "gridgov.data.assistance",
    "gridgov.data.collective",
    "gridgov.data.investment",
    "gridgov.data.projects",
    "gridgov.data.notify",
    # UI and operations apps: call the data apps, never the other way round
    "gridgov.ui.web",
    "gridgov.ui.phone",
    "gridgov.ui.api",
    "gridgov.ui.open311",
    "gridgov.ui.dashboard",
    "gridgov.ui.ledgers",
    "gridgov.ui.imports",
    "gridgov.ops.demo",
    "gridgov.ops.history",
    "gridgov.ops.backup",
    "gridgov.ops.periodic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # SECURE_CSP below
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, sent pre-compressed; they never reach GZip below
    # Gzip for pages and JSON (Django's GZipMiddleware with its BREACH mitigation; not photos or xlsx/docx).
    # Above every middleware that reads or changes the response body.
    "gridgov.compress.GZipUnpackedMiddleware",
    # Above everything that may touch the database: a lock wait or lost connection is a 503, never a 500.
    "gridgov.middleware.DatabaseBusyMiddleware",
    "gridgov.middleware.SessionMiddleware",  # Django's; a session not saved for a busy database is a 503 too
    "gridgov.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gridgov.ui.web.signin.SignInPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gridgov.ui.web.errors.ServerErrorMiddleware",  # a view's error: logged with an id, our 500 page (not debug)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gridgov.urls"
WSGI_APPLICATION = "gridgov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",  # {{ csp_nonce }}
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gridgov.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("GRIDGOV_CONN_MAX_AGE", 60, minimum=0))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
# A web request waits this long for the database's write lock, then answers 503 “系统繁忙，请稍后重试” with
# Retry-After (gridgov.middleware) — well below a client's own timeout. Management commands (imports, builds,
# the workers) wait longer: nobody is waiting for their answer.
_COMMAND = Path(sys.argv[0]).name in ("manage.py", "django-admin") and sys.argv[1:2] != ["runserver"]
GRIDGOV_DB_LOCK_TIMEOUT = (
    env_int("GRIDGOV_DB_BATCH_LOCK_TIMEOUT", 60, minimum=1)
    if _COMMAND
    else env_int("GRIDGOV_DB_LOCK_TIMEOUT", 6, minimum=1)
)
GRIDGOV_SQLITE_WEB_CHECKPOINT_PAGES = env_int("GRIDGOV_SQLITE_WEB_CHECKPOINT_PAGES", 20000, minimum=100)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # The stock backend, with JSON support known from the library (no probe that a busy database fails) and
    # lock waits logged with their statement: gridgov/db/.
    _db["ENGINE"] = "gridgov.db.sqlite3"
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # Writers queue for the lock at BEGIN instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": GRIDGOV_DB_LOCK_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        # Web requests leave WAL checkpoints to the background worker (gridgov/db/sqlite3/checkpoint.py).
        + ("" if _COMMAND else f" PRAGMA wal_autocheckpoint={GRIDGOV_SQLITE_WEB_CHECKPOINT_PAGES};"),
    }
    # A file (not :memory:) so that tests can use several connections; one per process.
    _db["TEST"] = {"NAME": env_str("GRIDGOV_TEST_SQLITE", str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["ENGINE"] = "gridgov.db.postgresql"  # the stock backend, with lock waits logged with their statement
    # A statement waits at most this long for a row or table lock (the web then answers 503).
    _options = dict(_db.get("OPTIONS", {}))
    _options["options"] = f"{_options.get('options', '')} -c lock_timeout={GRIDGOV_DB_LOCK_TIMEOUT * 1000}".strip()
    _db["OPTIONS"] = _options
else:
    raise ImproperlyConfigured(f"Unsupported database engine {_db['ENGINE']}: use SQLite or PostgreSQL")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = env_int("GRIDGOV_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from npm (package.json + lock) and are served by whitenoise, never a CDN.
# `npm run build` (bin/_setup.sh runs it) writes the dashboard's ECharts bundle and Leaflet, each with a .gz
# beside it, into frontend-build/vendor/ (git-ignored). Without Node.js the directory is absent and pages
# render without charts and maps.
_FRONTEND_BUILD = BASE_DIR / "frontend-build"
STATICFILES_DIRS = [_FRONTEND_BUILD] if _FRONTEND_BUILD.is_dir() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("GRIDGOV_MEDIA_ROOT", str(VAR_DIR / "media")))
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

# Background work: django.tasks with the database backend; `manage.py db_worker` runs it.
# One cache shared by every app process (once-only form tokens, rate limits of the public report, the category
# search index): the database, so that several gunicorn workers or servers agree. `manage.py createcachetable`.
CACHES = {
    "default": {
        "BACKEND": "gridgov.db.cache.DatabaseCache",  # Django's, but a read never writes (never waits for a lock)
        "LOCATION": "gridgov_cache",
        "TIMEOUT": 3600,
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("GRIDGOV_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Working time (deadlines). Overridable per deployment; the calendar of holidays lives in the database.
GRIDGOV_WORKING_PERIODS = env_str("GRIDGOV_WORKING_PERIODS", "08:30-12:00,13:30-17:30")
GRIDGOV_TOWN_CODE_PREFIX = env_str("GRIDGOV_CASE_PREFIX", "")

# Bulletins (通报) praise a unit only with at least the ranking's sample minimum of cases and a 综合指标值 of at
# least this score (0–100); the bulletin prints both thresholds.
GRIDGOV_BULLETIN_PRAISE_SCORE = env_int("GRIDGOV_BULLETIN_PRAISE_SCORE", 85, minimum=0)

# Grid visits (走访): a group-rental house (群租房) of a grid is due for a visit every this many days.
GRIDGOV_GROUP_RENTAL_VISIT_DAYS = env_int("GRIDGOV_GROUP_RENTAL_VISIT_DAYS", 30, minimum=1)

# Map tiles of the dashboard (a Leaflet URL template such as https://tiles.example/{z}/{x}/{y}.png).
# Empty: no tiles — the map still shows grid boundaries and case clusters.
GRIDGOV_MAP_TILES = env_str("GRIDGOV_MAP_TILES", "")
if GRIDGOV_MAP_TILES and not all(part in GRIDGOV_MAP_TILES for part in ("{z}", "{x}", "{y}")):
    raise ImproperlyConfigured(f"GRIDGOV_MAP_TILES={GRIDGOV_MAP_TILES!r} must contain {{z}}, {{x}} and {{y}}")
GRIDGOV_MAP_ATTRIBUTION = env_str("GRIDGOV_MAP_ATTRIBUTION", "")

# ---- Notifications beyond the 消息 page (gridgov/data/notify; README "Notifications") ----------------------
# Credentials come only from here (the environment), never from the database.
# Channels the admin allows ("inapp" is always on): email, dingtalk, dingtalk_robot, wecom, wecom_robot, sms.
# One run of the outbox's delivery task works this long, then queues the next (the worker's heartbeat keeps beating).
GRIDGOV_NOTIFY_RUN_SECONDS = 20.0
GRIDGOV_NOTIFY_CHANNELS = env_list("GRIDGOV_NOTIFY_CHANNELS", ["email"])
GRIDGOV_PUBLIC_URL = env_str("GRIDGOV_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")  # links in messages
_EMAIL_BACKEND = env_str("GRIDGOV_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("GRIDGOV_EMAIL_HOST", "localhost"),
            "port": env_int("GRIDGOV_EMAIL_PORT", 25, minimum=1),
            "username": env_str("GRIDGOV_EMAIL_USER", ""),
            "password": env_str("GRIDGOV_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("GRIDGOV_EMAIL_TLS", False),
            "use_ssl": env_bool("GRIDGOV_EMAIL_SSL", False),
            "timeout": 10,
        }
        if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("GRIDGOV_EMAIL_FROM", "gridgov@localhost")
# 浙政钉/DingTalk enterprise internal app (work notifications) and WeCom application messages.
GRIDGOV_DINGTALK_API = env_str("GRIDGOV_DINGTALK_API", "https://oapi.dingtalk.com")
GRIDGOV_DINGTALK_APP_KEY = env_str("GRIDGOV_DINGTALK_APP_KEY", "")
GRIDGOV_DINGTALK_APP_SECRET = env_str("GRIDGOV_DINGTALK_APP_SECRET", "")
GRIDGOV_DINGTALK_AGENT_ID = env_str("GRIDGOV_DINGTALK_AGENT_ID", "")
GRIDGOV_WECOM_API = env_str("GRIDGOV_WECOM_API", "https://qyapi.weixin.qq.com")
GRIDGOV_WECOM_CORP_ID = env_str("GRIDGOV_WECOM_CORP_ID", "")
GRIDGOV_WECOM_SECRET = env_str("GRIDGOV_WECOM_SECRET", "")
GRIDGOV_WECOM_AGENT_ID = env_str("GRIDGOV_WECOM_AGENT_ID", "")
# Group robots, one per line or ";"-separated: name|kind|webhook URL|secret|scope, kind dingtalk or wecom,
# scope a department code (dept:CODE) or an area code (area:CODE) whose cases the group hears of.
GRIDGOV_NOTIFY_ROBOTS = env_str("GRIDGOV_NOTIFY_ROBOTS", "")
# The language of a town's group robots and digests, per town code: "330921101:en;…" (default: LANGUAGE_CODE).
GRIDGOV_NOTIFY_TOWN_LANGUAGES = env_str("GRIDGOV_NOTIFY_TOWN_LANGUAGES", "")
# SMS: "log" (writes the message to the log; the demo) or "aliyun" (Aliyun SMS SendSms).
GRIDGOV_SMS_BACKEND = env_str("GRIDGOV_SMS_BACKEND", "log")
GRIDGOV_ALIYUN_SMS_ENDPOINT = env_str("GRIDGOV_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
GRIDGOV_ALIYUN_SMS_ACCESS_KEY_ID = env_str("GRIDGOV_ALIYUN_SMS_ACCESS_KEY_ID", "")
GRIDGOV_ALIYUN_SMS_ACCESS_KEY_SECRET = env_str("GRIDGOV_ALIYUN_SMS_ACCESS_KEY_SECRET", "")
GRIDGOV_ALIYUN_SMS_SIGN_NAME = env_str("GRIDGOV_ALIYUN_SMS_SIGN_NAME", "")
GRIDGOV_ALIYUN_SMS_TEMPLATE = env_str("GRIDGOV_ALIYUN_SMS_TEMPLATE", "")  # one template: ${text}
# Rate limits: messages per window (the providers' limits; a delivery over the limit waits for the window).
GRIDGOV_ROBOT_PER_MINUTE = env_int("GRIDGOV_ROBOT_PER_MINUTE", 20, minimum=1)
GRIDGOV_SMS_PER_NUMBER_MINUTE = env_int("GRIDGOV_SMS_PER_NUMBER_MINUTE", 1, minimum=1)
GRIDGOV_SMS_PER_NUMBER_HOUR = env_int("GRIDGOV_SMS_PER_NUMBER_HOUR", 5, minimum=1)
GRIDGOV_SMS_PER_NUMBER_DAY = env_int("GRIDGOV_SMS_PER_NUMBER_DAY", 10, minimum=1)
GRIDGOV_DINGTALK_PER_MINUTE = env_int("GRIDGOV_DINGTALK_PER_MINUTE", 1500, minimum=1)
GRIDGOV_WECOM_PER_MINUTE = env_int("GRIDGOV_WECOM_PER_MINUTE", 1500, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GRIDGOV_LOG_LEVEL", "INFO")},
    # One line per background task is noise; failures are still logged as errors.
    "loggers": {"django.tasks": {"level": "WARNING"}, "django_tasks_db": {"level": "WARNING"}},
}

# ---- Sign-in, sessions and headers (等保 2.0 level 3) -------------------------------------------------------
from urllib.parse import urlsplit  # noqa: E402

from django.utils.csp import CSP  # noqa: E402

from gridgov.data.org.enums import Role  # noqa: E402  (text choices only: no models, no apps needed)

# Lockout (django-axes, database handler): GRIDGOV_LOCKOUT_FAILURES failed sign-ins of one user name from one
# client address lock that pair; GRIDGOV_LOCKOUT_ADDRESS_FAILURES failures over any user names from one address
# lock the address (password spraying) — high enough that a town hall behind one NAT is not locked out by one
# person's typos. Both for GRIDGOV_LOCKOUT_MINUTES; a successful sign-in clears the pair's count.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
GRIDGOV_LOCKOUT_FAILURES = env_int("GRIDGOV_LOCKOUT_FAILURES", 5, minimum=3)
GRIDGOV_LOCKOUT_ADDRESS_FAILURES = env_int("GRIDGOV_LOCKOUT_ADDRESS_FAILURES", 30, minimum=GRIDGOV_LOCKOUT_FAILURES)
GRIDGOV_LOCKOUT_MINUTES = env_int("GRIDGOV_LOCKOUT_MINUTES", 15, minimum=1)
AXES_HANDLER = "gridgov.data.org.lockout.LockoutHandler"  # axes' database handler + the address limit + our log
AXES_FAILURE_LIMIT = GRIDGOV_LOCKOUT_FAILURES
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = GRIDGOV_LOCKOUT_MINUTES / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # attempts during a lock are refused, not counted
AXES_CLIENT_IP_CALLABLE = "gridgov.data.org.security.client_ip"
AXES_LOCKOUT_CALLABLE = "gridgov.ui.web.signin.lockout_response"  # the sign-in page says so itself
AXES_ENABLE_ADMIN = True
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in our security log
# The client's address behind a reverse proxy: the header the proxy sets (e.g. X-Forwarded-For or X-Real-IP) and
# how many proxies stand in front (the address is that many entries from the right). Empty: REMOTE_ADDR.
GRIDGOV_TRUSTED_PROXY_HEADER = env_str("GRIDGOV_TRUSTED_PROXY_HEADER", "")
GRIDGOV_TRUSTED_PROXY_COUNT = env_int("GRIDGOV_TRUSTED_PROXY_COUNT", 1, minimum=1)
# Second factor (TOTP, django-otp): required for admins and these roles (comma-separated role codes; empty: none).
# Someone who needs it and has no device sets it up right after the password, before any other page.
GRIDGOV_2FA_ROLES = env_list("GRIDGOV_2FA_ROLES", ["admin"])
if _unknown_roles := sorted(set(GRIDGOV_2FA_ROLES) - set(Role.values)):
    raise ImproperlyConfigured(f"GRIDGOV_2FA_ROLES: unknown roles {_unknown_roles} (use {', '.join(Role.values)})")
OTP_TOTP_ISSUER = env_str("GRIDGOV_OTP_ISSUER", "GridGov 基层智治平台")
# A password older than this many days must be changed before anything else (0: no expiry).
GRIDGOV_PASSWORD_MAX_AGE_DAYS = env_int("GRIDGOV_PASSWORD_MAX_AGE_DAYS", 0, minimum=0)
# A session idle this long ends (besides the absolute GRIDGOV_SESSION_SECONDS).
GRIDGOV_IDLE_TIMEOUT_MINUTES = env_int("GRIDGOV_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
# Personal API tokens expire this many days after they are made.
GRIDGOV_API_TOKEN_DAYS = env_int("GRIDGOV_API_TOKEN_DAYS", 180, minimum=1)
# A worker process re-reads a token (its user, their memberships) from the database at most this often; a
# revocation elsewhere reaches the other processes within this time (0: read on every call).
GRIDGOV_API_TOKEN_CACHE_SECONDS = env_int("GRIDGOV_API_TOKEN_CACHE_SECONDS", 3, minimum=0)
# PostgreSQL: the intake's long INSERTs prepared once per connection (PREPARE/EXECUTE). Off behind a pooler in
# transaction mode (PgBouncer), which does not keep a session's prepared statements.
GRIDGOV_PG_PREPARE = env_bool("GRIDGOV_PG_PREPARE", True)
# The people register keeps a resident who moved away this many days, then erases their personal data
# (manage.py purge_moved_out).
GRIDGOV_PEOPLE_RETENTION_DAYS = env_int("GRIDGOV_PEOPLE_RETENTION_DAYS", 1095, minimum=30)
# Content-Security-Policy on every response (Django's own): scripts and styles only from this site or with the
# request's nonce ({{ csp_nonce }}), no inline style attributes, no plugins, no framing, forms post only here.
_CSP_IMAGES = [CSP.SELF, "data:", "blob:"]  # data:/blob: — photo previews before upload, Leaflet's icons
if GRIDGOV_MAP_TILES:
    _tiles = urlsplit(GRIDGOV_MAP_TILES.replace("{s}.", "WILDCARD."))
    _CSP_IMAGES.append(f"{_tiles.scheme}://{_tiles.netloc.replace('WILDCARD.', '*.')}")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": _CSP_IMAGES,
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],  # the phone's service worker (/sw.js)
    "manifest-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# GRIDGOV_HTTPS=1 behind a TLS-terminating proxy that sets X-Forwarded-Proto: HSTS, Secure cookies, http → https.
GRIDGOV_HTTPS = env_bool("GRIDGOV_HTTPS", False)
if GRIDGOV_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("GRIDGOV_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's own health check may use plain http
    SECURE_HSTS_SECONDS = env_int("GRIDGOV_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GRIDGOV_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("GRIDGOV_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
