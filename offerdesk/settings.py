"""Offerdesk settings, read from the environment.

With nothing set, the project runs in development mode: DEBUG on, a fixed
development secret key and a SQLite file next to manage.py. Setting SECRET_KEY
switches DEBUG off unless DEBUG says otherwise, and DEBUG off with the
development key refuses to start.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import jinja2
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "django-insecure-offerdesk-development-key-never-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = env_bool("DEBUG", default=SECRET_KEY == DEVELOPMENT_SECRET_KEY)

if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development key. Set SECRET_KEY to a long "
        "random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "offerdesk.accounts",
    "decisions",
    "messaging",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "offerdesk.middleware.no_store_when_signed_in",
    "offerdesk.middleware.download_ready_cookie",
    "offerdesk.middleware.too_many_requests",
]

ROOT_URLCONF = "offerdesk.urls"
WSGI_APPLICATION = "offerdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "offerdesk.jinja2.environment",
            # Django sets its own debug-friendly Undefined before environment()
            # runs, so the strict one has to be chosen here.
            "undefined": jinja2.StrictUndefined,
            # HTML is escaped; plain-text templates (mail bodies, messages) are not,
            # since they are never read as HTML.
            "autoescape": jinja2.select_autoescape(
                disabled_extensions=("txt", "eml"), default_for_string=True, default=True
            ),
        },
    },
    {
        # The admin and Django's own form widgets still use the Django template language.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Form widgets render through Jinja2 too: several times faster than Django's own
# template language, which matters on the ratings grid (up to three inputs per cell).
FORM_RENDERER = "django.forms.renderers.Jinja2"

# The ratings grid saves as one form (one Save, one version check, one log entry, and
# it works without JavaScript) of up to 3 fields a cell: the value, the high end of an
# unsure range, a note. At MAX_OFFERS_PER_DECISION x MAX_CRITERIA_PER_DECISION
# (decisions/models.py) that is 25 x 25 x 3 + the version and the CSRF token = 1,877
# fields, past Django's default of 1,000; 2,000 leaves room for a few more. A test
# (tests/decisions/test_views.py) keeps the full grid inside it. The limit still bounds
# what any request makes Django parse, as does DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by
# default; the full grid with 200-character notes in 4-byte characters is ~1.5 MB).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Databases ------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue on the busy timeout instead of failing
        # with "database is locked" half-way through a transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # A new PostgreSQL connection costs more than a whole page: keep them open,
    # and check them before reuse so a restarted server does not surface as a 500.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Shared by every instance, in the database they share: django-allauth counts
    # its rate limits here, and a limit counted per process would not be one.
    # Its table is made by ``migrate`` (accounts/migrations/0006_cache_table.py).
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "offerdesk_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Per-process memory: it only holds results that any process can recompute
    # (rankings are a pure function of their inputs), so instances need not share it.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Accounts -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-allauth: log in by e-mail address or username, and by passkey.
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "decisions:list"

# Every account flow is django-allauth's; the adapter says what is Offerdesk's own
# (mail through the task queue, a taken address told by mail). Templates are ours,
# in Jinja2, under templates/account, templates/mfa and templates/usersessions.
ACCOUNT_ADAPTER = "offerdesk.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "add_email": "offerdesk.accounts.forms.OfferdeskAddEmailForm",
    "change_email": "offerdesk.accounts.forms.OfferdeskChangeEmailForm",
    "change_password": "offerdesk.accounts.forms.OfferdeskChangePasswordForm",
    "login": "offerdesk.accounts.forms.OfferdeskLoginForm",
    "reauthenticate": "offerdesk.accounts.forms.OfferdeskReauthenticateForm",
    "reset_password": "offerdesk.accounts.forms.OfferdeskResetPasswordForm",
    "reset_password_from_key": "offerdesk.accounts.forms.OfferdeskResetPasswordKeyForm",
    "set_password": "offerdesk.accounts.forms.OfferdeskSetPasswordForm",
    "signup": "offerdesk.accounts.forms.OfferdeskSignupForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# A new candidate starts at once; what needs a checked address (inviting a coach)
# asks for it when it is needed.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# "strict": a sign-up with an address another account holds is answered exactly as
# any other (a new, unchecked account), and the address's owner is told by mail;
# only one account can ever check (verify) an address.
ACCOUNT_PREVENT_ENUMERATION = "strict"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account, changed through a confirmation sent to the new one.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_USERNAME_MIN_LENGTH = 2
# Changing the address asks for the password (or a second factor, or a passkey)
# again, unless it was given in the last five minutes; changing the password asks
# for the current one, and second factors ask on their own (allauth.mfa).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Confirmed by password or a second factor (a passkey counts); not by a code mailed
# to the address, which is the very thing a changed address would move.
ACCOUNT_REAUTHENTICATION_METHODS = {"password", "mfa"}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Limits per client address (ip), per typed address or username (key) and per
# account (user). They live in the default cache, which every instance shares, and
# each recovers by itself when its window has passed. Past one, a page answers with
# the 429 page, but for wrong passwords (the log-in form says so) and confirmation
# mails (not sent again within 3 minutes; the page answers as usual).
ACCOUNT_RATE_LIMITS = {
    # 5 wrong passwords for one account from one client address lock that pair for
    # 15 minutes (the key is the pair: offerdesk/accounts/adapter.py), so the owner
    # still gets in from elsewhere; 20 a minute from one address, whatever account.
    "login_failed": "20/m/ip,5/15m/key",
    "login": "30/m/ip",
    "signup": "10/h/ip",
    # Per client only: a limit per typed address would let a stranger keep its owner
    # from resetting; mail to one address stops quietly instead (accounts/adapter.py).
    "reset_password": "10/h/ip",
    "reset_password_from_key": "20/m/ip",
    # Each try needs the current password, so these also bound guessing it.
    "change_password": "10/h/user",
    "manage_email": "10/h/user",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/h/user",
}
# Behind PROXY_COUNT proxies that each append the address they saw to
# X-Forwarded-For, the client is the entry PROXY_COUNT from the right: the one our
# nearest proxy wrote. Directly on the internet (0), it is the socket's peer and any
# X-Forwarded-For a client sends is ignored.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT

# Two factors (allauth.mfa): an authenticator app (TOTP), recovery codes, and
# passkeys, which also log in without a password.
MFA_ADAPTER = "offerdesk.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# allauth keeps an account with an unconfirmed address from adding a second factor
# (and one with a second factor from changing address), lest a stranger who signed
# up with someone's address lock its owner out of that account. Here a sign-up with
# a taken address makes an account of its own ("strict" above), so the owner's is
# never the stranger's to lock; and people with a passkey must still change address.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TOTP_ISSUER = "Offerdesk"
# A code stays good for one 30-second step either side, as RFC 6238 (section 5.2)
# advises: a phone's clock a little off, or a code typed as it turned over, still
# works. Each code is still good for one log-in only (allauth remembers used ones).
MFA_TOTP_TOLERANCE = 1
# Browsers allow passkeys on http://127.0.0.1 and localhost; only development
# serves there.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions a person can see and end (allauth.usersessions).
USERSESSIONS_TRACK_ACTIVITY = False

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

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Mail -----------------------------------------------------------------------

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
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds before a mail server that does not answer counts as down: the mail worker
# then tries that mail again later (offerdesk/mail.py) instead of hanging on it.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Offerdesk <no-reply@offerdesk.local>")
# Where the links in mail sent outside a request (notifications) lead: in production,
# the first allowed host over HTTPS unless said otherwise; never localhost there.
_FIRST_HOST = next((h.lstrip(".") for h in ALLOWED_HOSTS if h not in ("*", "")), "")
SITE_URL = os.environ.get("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG or not _FIRST_HOST else f"https://{_FIRST_HOST}"
)

# Tasks ----------------------------------------------------------------------

# Every mail is a task (offerdesk/mail.py): a request only stores it, and a worker
# (``manage.py db_worker``, started by make run) sends it, retrying with back-off.
# At scale the same tasks run on Redis with RQ by changing the backend here
# (django-tasks-rq); nothing else changes.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Internationalisation -------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files ---------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Security -------------------------------------------------------------------

# No inline script or style anywhere: htmx is configured (meta htmx-config) not to
# eval, not to inject indicator styles and not to run scripts from responses; the
# charts' colours are SVG presentation attributes, which this policy allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every render step at INFO; only its warnings matter here.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
