"""Django settings of the nightspine web app, built from the environment (``NIGHTSPINE_*``)."""

from __future__ import annotations

from pathlib import Path

from nightspine.config import Settings, make_private_dir
from nightspine.knowledge.pictures import pictures_folder as _pictures_folder
from nightspine.storage.database import INSTALLED_APPS as STORAGE_APPS
from nightspine.storage.database import database_config, prepare_sqlite_folder

_S = Settings()
BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = _S.resolved_secret_key()
NOTES_KEY = _S.resolved_notes_key()
DEBUG = _S.debug
ALLOWED_HOSTS = list(_S.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(_S.csrf_trusted_origins)

INSTALLED_APPS = [
    *STORAGE_APPS,
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "nightspine.web",
    # After nightspine.web, so that our templates replace allauth's.
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "nightspine.web.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nightspine.web.middleware.ContentSecurityPolicyMiddleware",
    "nightspine.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "nightspine.web.middleware.StorageErrorMiddleware",
    "nightspine.web.sessions.IdleTimeoutMiddleware",  # accounts branch
]

ROOT_URLCONF = "nightspine.web.urls"
WSGI_APPLICATION = "nightspine.web.wsgi.application"

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
                "nightspine.web.views.common.nightspine_context",
            ],
        },
    }
]

_DB_URL = _S.resolved_database_url
DATABASES = {
    "default": database_config(_DB_URL, conn_max_age=0 if _DB_URL.startswith("sqlite") else 60)
}
prepare_sqlite_folder(DATABASES["default"])  # owner-only: the database holds health data
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ===== Accounts, sign-in, lock-out, sessions and e-mail (accounts branch) =====
# Argon2 first. Sign-in goes through django-axes, then our spray guard (which is also the
# password backend): see nightspine.web.lockout for what stops what.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "nightspine.web.lockout.SprayGuardBackend",
    # Kept so that sessions signed in before (and force_login in tests) stay valid; passwords
    # never reach it, because the spray guard answers every password sign-in.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hour
# Each entry is counted on its own: one username from one address; one username from any
# number of addresses (40 addresses cannot try 40 passwords); one address against any number
# of usernames. One password across many usernames and addresses: nightspine.web.lockout.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "nightspine.web.lockout.lockout_response"
SPRAY_FAILURE_LIMIT = 5  # failures with one password (any usernames) in the cool-off window
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 3600  # a reset or verification link works for one hour
API_TOKEN_DAYS = _S.api_token_days
API_TOKENS_PER_USER = _S.api_tokens_per_user
IDLE_SECONDS = _S.idle_minutes * 60

# E-mail verification and password reset are django-allauth's (its tokens, mails and views,
# with our templates); sign-up and sign-in stay our own views, because accounts are
# username-first with an optional address, and sign-in runs through the lock-out above.
# See nightspine.web.allauth_glue for the small parts of our own and why they are ours.
ACCOUNT_ADAPTER = "nightspine.web.allauth_glue.AccountAdapter"
ACCOUNT_FORMS = {"reset_password": "nightspine.web.allauth_glue.VerifiedOnlyResetForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"  # an address is optional; used only once confirmed
ACCOUNT_CHANGE_EMAIL = True  # one address; a new one replaces it once confirmed
ACCOUNT_UNIQUE_EMAIL = False  # a shared family address may belong to two accounts
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an unknown address sends nothing
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # our subjects name nightspine themselves
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if _S.secure_cookies else "http"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_TIMEOUT = 300  # seconds to type the second step's code after the password
ACCOUNT_EMAIL_CONFIRMATION_ANONYMOUS_REDIRECT_URL = "email_confirmed"
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "email_confirmed"
# Two-step sign-in (clinicians must turn it on) is allauth's MFA: TOTP with recovery codes.
MFA_ADAPTER = "nightspine.web.allauth_glue.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "nightspine"
MFA_TOTP_TOLERANCE = 1  # the code before or after too: phones' clocks drift
MFA_RECOVERY_CODE_COUNT = 10
MFA_ALLOW_UNVERIFIED_EMAIL = True  # the e-mail address is optional and may be unconfirmed

# ===== end of the accounts block =====

# Sessions and cookies: HTTP-only, same-site, Secure when served over HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _S.secure_cookies
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = _S.secure_cookies
CSRF_FAILURE_VIEW = "nightspine.web.views.common.csrf_failure"

# Security headers (the Content-Security-Policy is set by our own middleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _S.secure_cookies:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail (reminders, address verification, password reset) through an SMTP server:
# NIGHTSPINE_EMAIL_HOST, _PORT, _HOST_USER, ...; without a host, printed to the console.
EMAIL_BACKEND = _S.resolved_email_backend()
EMAIL_HOST = _S.email_host
EMAIL_PORT = _S.email_port
EMAIL_HOST_USER = _S.email_host_user
EMAIL_HOST_PASSWORD = _S.email_host_password.get_secret_value() if _S.email_host_password else ""
EMAIL_USE_TLS = _S.email_use_tls
EMAIL_USE_SSL = _S.email_use_ssl
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = _S.default_from_email
SERVER_EMAIL = _S.default_from_email
NIGHTSPINE_PUBLIC_URL = _S.public_url.rstrip("/")

# Background work (processing uploaded recordings): Django's tasks framework (the django-tasks
# backport) with its database backend, so no other service is needed; `nightspine serve` starts
# one worker (`django-admin db_worker`) beside the web server. Tests use the immediate backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Uploads above this size stream to a temporary file instead of memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# That file is plain while the request lasts, so it is kept in the private work folder (0700;
# Django deletes it at the end of the request) and never in the shared /tmp; the recording is
# then kept encrypted (storage/encrypted_files.py).
make_private_dir(_S.uploads_dir)
make_private_dir(_S.upload_work_dir)
FILE_UPLOAD_TEMP_DIR = str(_S.upload_work_dir)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"  # whitenoise serves it; no collectstatic needed
WHITENOISE_USE_FINDERS = True
# The plan's drawings live with the knowledge they illustrate (knowledge/data/pictures) and are
# served from there as /static/pictures/<file>.svg.
STATICFILES_DIRS = [("pictures", str(_pictures_folder()))]
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

from nightspine.web import observability  # noqa: E402

LOGGING = observability.LOGGING  # JSON lines with the request id
observability.configure_structlog()

NIGHTSPINE_EMERGENCY_NUMBER = _S.resolved_emergency_number()

# Computed insights are kept sealed in the database (web/models.py InsightsSnapshot), shared by
# every worker process; nothing is cached in memory, so Django's default cache is never used.
