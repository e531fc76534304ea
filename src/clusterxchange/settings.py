"""Django settings for clusterxchange, read from the environment (one file, twelve-factor).

Every setting a deployment may change is an environment variable; see README.md "Production".
Development and the demo run with DEBUG=1 (set by `clusterxchange demo`); production must set
SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("CLUSTERXCHANGE_DATA_DIR", Path.cwd() / "data")).resolve()
DEBUG = env_bool("DEBUG")


def _secret_key() -> str:
    """Production must set SECRET_KEY; a development install keeps a generated one in DATA_DIR."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415 — settings load before Django is set up

        raise ImproperlyConfigured("Set the SECRET_KEY environment variable (or DEBUG=1 for development).")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key.txt"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_NAME = os.environ.get("SITE_NAME", "clusterxchange")

INSTALLED_APPS = [
    "clusterxchange.core",
    "clusterxchange.accounts",
    "clusterxchange.programmes",
    "clusterxchange.directory",
    "clusterxchange.joining",
    "clusterxchange.exchanges",
    "clusterxchange.events",
    "clusterxchange.tandems",
    "clusterxchange.training",
    "clusterxchange.news",
    "clusterxchange.reporting",
    "clusterxchange.privacy",
    "clusterxchange.messaging",
    "clusterxchange.followup",
    "clusterxchange.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_filters",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "clusterxchange.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "clusterxchange.core.site_address.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clusterxchange.accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clusterxchange.core.errors.FriendlyErrorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "clusterxchange.accounts.two_factor.RequireTwoFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clusterxchange.urls"
CSRF_FAILURE_VIEW = "clusterxchange.core.errors.csrf_failure"
# The site's own 400/404/500 pages also with DEBUG on (the demo); 0 brings back Django's debug pages.
FRIENDLY_ERROR_PAGES = env_bool("FRIENDLY_ERROR_PAGES", True)
WSGI_APPLICATION = "clusterxchange.wsgi.application"

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
                "clusterxchange.site.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'clusterxchange.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt for an (account, address) pair that failed too often.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login; no usernames.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Rate limits that nobody can aim at someone else (docs/security.md): failed logins lock one account
# from one address (django-axes, below), never an account from everywhere nor an address for everyone;
# failures from one address across accounts are capped without refusing a correct password
# (accounts/throttling.py). Sending emails stays limited per address and per account.
ACCOUNT_RATE_LIMITS = {
    # allauth counts wrong second-factor codes per account under this name (5 in 5 minutes); its count
    # of wrong passwords is left out by AccountAdapter.pre_authenticate.
    "login_failed": "5/5m/key",
    # Not per address for all logins: that would let one person lock out everyone behind the address.
    "login": False,
    "reset_password": "5/m/ip,3/m/key",  # a rate limit, not a password  # nosec B105
    "request_login_code": "5/m/ip,3/m/key",
    "signup": "10/h/ip",
}
ACCOUNT_ADAPTER = "clusterxchange.accounts.throttling.AccountAdapter"
# Sign-up asks for the name as well (the person record is made from it); then it leads to /welcome/.
ACCOUNT_SIGNUP_FORM_CLASS = "clusterxchange.accounts.signup.SignupForm"
# The captcha-free way in for an account locked out from its address: a one-time code by email.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ADDRESS_FAILURE_LIMIT = int(os.environ.get("ADDRESS_FAILURE_LIMIT", "30"))
ADDRESS_FAILURE_WINDOW = timedelta(minutes=int(os.environ.get("ADDRESS_FAILURE_WINDOW_MINUTES", "15")))
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
# The consortium's working languages (EXCITE: Germany, France, Spain, Poland, Lithuania, Bulgaria).
# A filter's "no choice" option says what it does (django-filter's default is "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pl", _("Polish")),
    ("lt", _("Lithuanian")),
    ("bg", _("Bulgarian")),
]
# The project's catalogues first; then corrections of Django's own translations that the formats
# need (formats/locale: Bulgarian month names in lower case), which makemessages never touches.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "formats" / "locale"]
FORMAT_MODULE_PATH = ["clusterxchange.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Where the index of GeoNames' cities is built (`build_city_index`, the job `locate-organisations`;
# `engines.places`, `directory.locating`).
PLACES_DIR = Path(os.environ.get("PLACES_DIR", DATA_DIR / "places"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clusterxchange <noreply@localhost>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Exact counts of directory searches kept in the cache until the directory changes
# (core/cached_counts.py): only with a cache shared by every app process.
CACHED_COUNTS = env_bool("CACHED_COUNTS", bool(os.environ.get("REDIS_URL")))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if os.environ.get("REDIS_URL")
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": os.environ.get("REDIS_URL", "clusterxchange"),
    },
    # How far a background job that writes in one transaction got (core/jobs.py): seen by the web
    # processes while the worker runs it, so shared: Redis, else a folder every process of the machine reads.
    "jobs": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if os.environ.get("REDIS_URL")
        else "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("REDIS_URL", str(DATA_DIR / "jobs")),
        "KEY_PREFIX": "jobs",
    },
}

# Sessions are read from the shared cache and written through to the database, so a lost cache
# loses nobody's session (only with a cache that every app process shares).
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security: safe by default, relaxed only in DEBUG (the local demo over plain http).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp 4): scripts only from this site and with the page's nonce,
# styles only from static files, nothing inline, no eval, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one account from one
# address, that pair is refused for AXES_COOLOFF_MINUTES, doubled with every further
# AXES_FAILURE_LIMIT failures (accounts/throttling.py); a successful login resets its count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = "clusterxchange.accounts.throttling.cool_off"
# Each failure record expires at the end of its own (growing) cool-off, so that cleaning up after one
# login does not cut short another pair's longer lockout.
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No row per successful login: axes would keep every login's address and browser for ever, with no
# retention; the account's last_login is what the platform needs. Failures stay in AccessAttempt.
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_CALLABLE = "clusterxchange.accounts.throttling.login_of"
AXES_LOCKOUT_CALLABLE = "clusterxchange.accounts.throttling.lockout_response"
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies that append to
# X-Forwarded-For, the address the outermost proxy saw.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "clusterxchange.accounts.throttling.client_address"

# Two-factor login (allauth MFA): authenticator app (TOTP) and recovery codes, optional for everyone;
# offered on the account page of coordinators and partner cluster managers.
# MFA_REQUIRED_FOR_COORDINATORS=1 makes coordinators set it up before they can use the site.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_REQUIRED_FOR_COORDINATORS = env_bool("MFA_REQUIRED_FOR_COORDINATORS")

# API tokens expire this many days after creation unless their owner chooses a shorter time.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

# Invitations (accounts/invitations.py): a link is valid INVITATION_DAYS after it was (last) sent. One
# inviter sends at most INVITATIONS_PER_HOUR single invitations and resends an hour, and creates at most
# INVITATIONS_PER_DAY invitations in 24 hours (files included).
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "14"))
INVITATIONS_PER_HOUR = int(os.environ.get("INVITATIONS_PER_HOUR", "30"))
INVITATIONS_PER_DAY = int(os.environ.get("INVITATIONS_PER_DAY", "5000"))

# LOG_FORMAT=json: one JSON object per line with request id, user id, path, status and duration.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "plain"), os.environ.get("LOG_LEVEL", "INFO"))

# Task workers (`clusterxchange worker`) heartbeat; a worker silent for WORKER_STALE_SECONDS is
# taken as dead and its running tasks are marked failed. `clusterxchange check --ops` warns below
# CHECK_MIN_FREE_MB of free disk space in the data and media folders.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_STALE_SECONDS = float(os.environ.get("WORKER_STALE_SECONDS", "60"))
CHECK_MIN_FREE_MB = int(os.environ.get("CHECK_MIN_FREE_MB", "1024"))

COUNTRIES_FIRST = []
# Kosovo has no ISO 3166-1 code yet; "XK" is the user-assigned code the European Commission, GeoNames
# and Natural Earth use. django-countries does not list it, so organisations there could not be entered.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# Privacy: exchange evidence is deleted this many days after payment / after an unpaid exchange closed
# (`clusterxchange purge_evidence`, see privacy/retention.py).
EVIDENCE_RETENTION_DAYS = int(os.environ.get("CLUSTERXCHANGE_EVIDENCE_RETENTION_DAYS", "1826"))
EVIDENCE_RETENTION_DAYS_UNPAID = int(os.environ.get("CLUSTERXCHANGE_EVIDENCE_RETENTION_DAYS_UNPAID", "90"))
# Background jobs (imports, invitation files: core.jobs) keep their details (the failure reason, the
# rows and the rows' problems, which may name people and organisations) this many days after they
# finished; the periodic job `purge-job-details` then empties them (privacy/retention.py).
JOB_DETAILS_RETENTION_DAYS = int(os.environ.get("CLUSTERXCHANGE_JOB_DETAILS_RETENTION_DAYS", "30"))
# A job still queued this many hours after it was created was never started by a task (its task was
# lost before a worker took it up): the same periodic job marks it failed with the reason.
JOB_START_LIMIT_HOURS = int(os.environ.get("CLUSTERXCHANGE_JOB_START_LIMIT_HOURS", "24"))
NINJA_PAGINATION_PER_PAGE = 50

# Periodic jobs, run by the task workers themselves (core/periodic.py): name -> the task and its
# interval in seconds. `first_run_after` delays a new job's first run by one interval (a weekly
# link check need not run at every fresh start). PERIODIC_JOBS_OFF switches jobs off by name
# (comma-separated), e.g. the link check on a machine without internet access.
PERIODIC_JOBS = {
    "expire-meeting-requests": {
        "task": "clusterxchange.events.tasks.expire_and_remind",
        "every": 3600,
    },
    "purge-evidence": {
        "task": "clusterxchange.privacy.tasks.purge_evidence",
        "every": 24 * 3600,
    },
    "purge-job-details": {
        "task": "clusterxchange.privacy.tasks.purge_job_details",
        "every": 24 * 3600,
    },
    # Builds the index of GeoNames' cities when missing (no web request waits for it), then fills the
    # coordinates of the organisations saved before it existed (directory/locating.py).
    "locate-organisations": {
        "task": "clusterxchange.directory.tasks.locate_organisations",
        "every": 15 * 60,
    },
    "check-training-links": {
        "task": "clusterxchange.training.tasks.check_published_links",
        "every": 7 * 24 * 3600,
        "first_run_after": True,
    },
}
PERIODIC_JOBS_OFF = [name for name in os.environ.get("PERIODIC_JOBS_OFF", "").split(",") if name.strip()]
# How often a worker looks for due jobs (seconds); a job counts as overdue in `check --ops` when
# its run is later than this plus WORKER_STALE_SECONDS.
PERIODIC_CHECK_SECONDS = float(os.environ.get("PERIODIC_CHECK_SECONDS", "30"))

# Outgoing email (core/mail.py): each email is queued, sent by a task after the commit and, when the mail
# server fails, retried after these delays (seconds) by the periodic job `deliver-emails`; after
# the last one it is marked failed with the reason.
EMAIL_RETRY_DELAYS = [
    int(seconds)
    for seconds in os.environ.get("EMAIL_RETRY_DELAYS", "60,300,1800,7200,21600").split(",")
    if seconds.strip()
]
# Messages to groups (messaging/): at most this many recipients and characters per message; the
# background task queues the emails in batches of GROUP_MESSAGE_BATCH (one transaction each).
GROUP_MESSAGE_MAX_RECIPIENTS = int(os.environ.get("GROUP_MESSAGE_MAX_RECIPIENTS", "5000"))
GROUP_MESSAGE_MAX_CHARS = int(os.environ.get("GROUP_MESSAGE_MAX_CHARS", "10000"))
GROUP_MESSAGE_BATCH = int(os.environ.get("GROUP_MESSAGE_BATCH", "200"))
PERIODIC_JOBS["deliver-emails"] = {"task": "clusterxchange.core.tasks.deliver_due_emails", "every": 60}
# Reminders (booking window, agenda the day before, exchanges) and follow-up surveys (followup/):
# each sent at most once per recipient and occasion, so the interval only bounds the delay.
PERIODIC_JOBS["send-reminders"] = {"task": "clusterxchange.followup.tasks.send_reminders", "every": 3600}
# Event.meeting_reminder_minutes before each meeting: checked every minute so the reminder comes on time.
PERIODIC_JOBS["send-meeting-reminders"] = {
    "task": "clusterxchange.followup.tasks.send_meeting_reminders",
    "every": 60,
}
PERIODIC_JOBS["send-follow-ups"] = {
    "task": "clusterxchange.followup.tasks.send_follow_ups",
    "every": 6 * 3600,
}
