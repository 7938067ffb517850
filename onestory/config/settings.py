"""onestory settings: every value comes from the environment (see .env.example)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from onestory.config.env import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_secret,
    env_str,
    replica_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("ONESTORY_DEBUG", default=False)
# A development key is allowed only with DEBUG on; core.checks refuses it otherwise.
INSECURE_DEVELOPMENT_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env_secret("ONESTORY_SECRET_KEY", INSECURE_DEVELOPMENT_KEY)
if SECRET_KEY == INSECURE_DEVELOPMENT_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "Set ONESTORY_SECRET_KEY (or ONESTORY_SECRET_KEY_FILE): the development "
        "key is only allowed with ONESTORY_DEBUG=true."
    )
# The audit trail's hash chain is keyed with this; keep it outside the database.
INSECURE_DEVELOPMENT_AUDIT_KEY = "insecure-development-audit-key"
AUDIT_KEY = env_secret("ONESTORY_AUDIT_KEY", INSECURE_DEVELOPMENT_AUDIT_KEY).encode()
if INSECURE_DEVELOPMENT_AUDIT_KEY.encode() == AUDIT_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "Set ONESTORY_AUDIT_KEY (or ONESTORY_AUDIT_KEY_FILE): the development "
        "audit key is only allowed with ONESTORY_DEBUG=true."
    )
# Two-factor sign-in (accounts): authenticator secrets are encrypted at rest
# with ONESTORY_TOTP_KEY and recovery codes hashed with
# ONESTORY_RECOVERY_CODE_KEY, both kept outside the database like the audit key,
# so rotating the secret key invalidates neither (docs/operations.md).
INSECURE_DEVELOPMENT_TOTP_KEY = "insecure-development-totp-key"
TOTP_KEY = env_secret("ONESTORY_TOTP_KEY", INSECURE_DEVELOPMENT_TOTP_KEY).encode()
INSECURE_DEVELOPMENT_RECOVERY_CODE_KEY = "insecure-development-recovery-code-key"
RECOVERY_CODE_KEY = env_secret(
    "ONESTORY_RECOVERY_CODE_KEY", INSECURE_DEVELOPMENT_RECOVERY_CODE_KEY
).encode()
for _name, _key, _development in (
    ("ONESTORY_TOTP_KEY", TOTP_KEY, INSECURE_DEVELOPMENT_TOTP_KEY),
    (
        "ONESTORY_RECOVERY_CODE_KEY",
        RECOVERY_CODE_KEY,
        INSECURE_DEVELOPMENT_RECOVERY_CODE_KEY,
    ),
):
    if _key == _development.encode() and not DEBUG:
        raise ImproperlyConfigured(
            f"Set {_name} (or {_name}_FILE): the development key is only "
            "allowed with ONESTORY_DEBUG=true."
        )

ALLOWED_HOSTS = env_list("ONESTORY_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ONESTORY_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "onestory.core",
    "onestory.accounts",
    "onestory.notify",
    "onestory.families",
    "onestory.support",
    "onestory.measures",
    "onestory.workforce",
    "onestory.programmes",
    "onestory.insights",
    "onestory.parents",
    "onestory.incidents",
    "onestory.operations",
    "onestory.core.apps.OnestoryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
]

MIDDLEWARE = [
    "onestory.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "onestory.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "onestory.accounts.middleware.SessionLimitsMiddleware",
    "onestory.core.tenancy.TenantMiddleware",
    "onestory.core.submissions.OnceOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "onestory.config.urls"
WSGI_APPLICATION = "onestory.config.wsgi.application"

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
                "django.template.context_processors.csp",
                "onestory.accounts.context_processors.layout",
            ],
            "builtins": ["onestory.core.templatetags.govuk"],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("ONESTORY_DATABASE_URL", "sqlite:///var/onestory.sqlite3"),
        base_dir=BASE_DIR,
    )
}
# Background work (report refreshes) through Django's tasks framework, queued
# in the database and run by `python -m onestory db_worker` (docs/operations.md,
# docs/decisions/0013-background-tasks-in-the-database.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Reports and downloads may read from a replica (core/replica.py,
# docs/operations.md); without one everything uses the primary.
if _replica_url := env_str("ONESTORY_REPLICA_URL", ""):
    DATABASES["replica"] = replica_database(
        database_from_url(_replica_url, base_dir=BASE_DIR)
    )
    DATABASE_ROUTERS = ["onestory.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "families:my_caseload"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        ),
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {"NAME": "onestory.accounts.passwords.PredictableWordsValidator"},
    {"NAME": "onestory.accounts.passwords.LongestValidator"},
]
# Words an attacker would try first against this service (with digits and
# symbols around them); organisation and area names are added per user.
PASSWORD_PREDICTABLE_WORDS = [
    "onestory",
    "familyhub",
    "familyhubs",
    "startforlife",
    "password",
    "welcome",
    "letmein",
    "qwerty",
    "parent",
    "baby",
    "council",
]

# Idle timeout: the stored session's expiry is renewed while it is used (once a
# minute: accounts/middleware.py), so a session ends after this many minutes
# without activity.
SESSION_IDLE_TIMEOUT_MINUTES = env_int(
    "ONESTORY_SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1
)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
# Supervision is expected this often; later than this it shows as overdue.
SUPERVISION_EVERY_WEEKS = env_int("ONESTORY_SUPERVISION_EVERY_WEEKS", 6, minimum=1)
# Unusual volume (R29): different families one person opens in an hour before
# the information governance leads are alerted, and before more are refused.
BULK_READ_ALERT_FAMILIES = env_int("ONESTORY_BULK_READ_ALERT_FAMILIES", 60, minimum=1)
BULK_READ_LIMIT_FAMILIES = env_int("ONESTORY_BULK_READ_LIMIT_FAMILIES", 200, minimum=1)
# Family records are anonymised this many years after their last episode of
# support closed (python -m onestory retention). Set it to your records policy.
RETENTION_YEARS = env_int("ONESTORY_RETENTION_YEARS", 6, minimum=1)
# Downloads of more rows than this are made by the background worker, with a
# progress page, rather than while the page waits (core/downloads.py).
DOWNLOAD_ROWS_AT_ONCE = env_int("ONESTORY_DOWNLOAD_ROWS_AT_ONCE", 5000, minimum=1)

# However active, a session ends this many hours after signing in.
SESSION_ABSOLUTE_HOURS = env_int("ONESTORY_SESSION_ABSOLUTE_HOURS", 12, minimum=1)
# Saved when changed, not on every request: the idle timer's renewal changes it
# (accounts/middleware.py, at most once a minute), and a read saves nothing else.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("ONESTORY_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

SECURE_SSL_REDIRECT = env_bool("ONESTORY_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("ONESTORY_BEHIND_TLS_PROXY", default=False)
    else None
)
SECURE_HSTS_SECONDS = env_int("ONESTORY_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style, ever: everything comes from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("ONESTORY_MANIFEST_STATIC", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "onestory.core.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # No parent's link token in any line (core/logs.py).
    "filters": {"link_tokens": {"()": "onestory.core.logs.RedactLinkTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["link_tokens"],
            # JSON lines (R40); "plain" only for reading by eye in development.
            "formatter": env_str("ONESTORY_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("ONESTORY_LOG_LEVEL", "INFO")},
}

# Email: questionnaire links for parents. The console backend prints messages in
# development; production uses SMTP with the settings below.
_EMAIL_BACKEND = env_str(
    "ONESTORY_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("ONESTORY_EMAIL_HOST", "localhost"),
            "port": env_int("ONESTORY_EMAIL_PORT", 587),
            "username": env_str("ONESTORY_EMAIL_HOST_USER", ""),
            "password": env_secret("ONESTORY_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("ONESTORY_EMAIL_USE_TLS", default=True),
            "timeout": 10,
        }
        if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("ONESTORY_FROM_EMAIL", "onestory <no-reply@localhost>")
# Messages to families by email and text message, through GOV.UK Notify
# (notify/, docs/notify.md). With no API key they are written to the log.
NOTIFY_API_KEY = env_secret("ONESTORY_NOTIFY_API_KEY", "")
NOTIFY_BACKEND = env_str(
    "ONESTORY_NOTIFY_BACKEND", "notify" if NOTIFY_API_KEY else "console"
)
if NOTIFY_BACKEND not in {"notify", "console"}:
    raise ImproperlyConfigured("ONESTORY_NOTIFY_BACKEND must be notify or console.")
if NOTIFY_BACKEND == "notify" and not NOTIFY_API_KEY:
    raise ImproperlyConfigured(
        "ONESTORY_NOTIFY_BACKEND is notify: set ONESTORY_NOTIFY_API_KEY (or "
        "ONESTORY_NOTIFY_API_KEY_FILE)."
    )
NOTIFY_BASE_URL = env_str(
    "ONESTORY_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
)
NOTIFY_TIMEOUT_SECONDS = env_int("ONESTORY_NOTIFY_TIMEOUT_SECONDS", 10, minimum=1)
# Our own ceiling on sends a minute, for all workers together, under Notify's
# 3,000 a minute per key (with room for the look-ups after unknown answers).
NOTIFY_PER_MINUTE = env_int("ONESTORY_NOTIFY_PER_MINUTE", 2400, minimum=1)
if NOTIFY_PER_MINUTE > 3000:
    raise ImproperlyConfigured(
        "ONESTORY_NOTIFY_PER_MINUTE must be at most 3000, Notify's limit per key."
    )
# The bearer token Notify sends with delivery receipts (set the same in
# Notify's callback settings); empty: receipts are refused.
NOTIFY_CALLBACK_TOKEN = env_secret("ONESTORY_NOTIFY_CALLBACK_TOKEN", "")
# Each kind of message's Notify template, by channel ("kind:channel").
NOTIFY_TEMPLATES = {
    "sign_in_link:email": env_str("ONESTORY_NOTIFY_TEMPLATE_SIGN_IN_LINK_EMAIL", ""),
    "sign_in_link:sms": env_str("ONESTORY_NOTIFY_TEMPLATE_SIGN_IN_LINK_SMS", ""),
    "family_view_invitation:email": env_str(
        "ONESTORY_NOTIFY_TEMPLATE_FAMILY_VIEW_INVITATION_EMAIL", ""
    ),
    "family_view_invitation:sms": env_str(
        "ONESTORY_NOTIFY_TEMPLATE_FAMILY_VIEW_INVITATION_SMS", ""
    ),
    "questionnaire_link:email": env_str(
        "ONESTORY_NOTIFY_TEMPLATE_QUESTIONNAIRE_LINK_EMAIL", ""
    ),
    "questionnaire_link:sms": env_str(
        "ONESTORY_NOTIFY_TEMPLATE_QUESTIONNAIRE_LINK_SMS", ""
    ),
    "review_reminder:email": env_str(
        "ONESTORY_NOTIFY_TEMPLATE_REVIEW_REMINDER_EMAIL", ""
    ),
    "review_reminder:sms": env_str("ONESTORY_NOTIFY_TEMPLATE_REVIEW_REMINDER_SMS", ""),
}

# The address parents' links start with, e.g. https://onestory.example.gov.uk
PUBLIC_URL = env_str("ONESTORY_PUBLIC_URL", "").rstrip("/")

# Limits that hold on any number of servers (security.md R11, R29; operations.md).
# The TLS proxies whose X-Forwarded-For names the client (addresses or CIDRs);
# from anyone else the header is ignored (core/addresses.py).
TRUSTED_PROXIES = env_networks("ONESTORY_TRUSTED_PROXIES")
# Rate limits and bulk-read counts live here, shared by every worker and server.
CACHES = {"default": cache_from_url(env_str("ONESTORY_CACHE_URL", ""))}
# Emergency (break-glass) accesses one person may open in a day.
BREAK_GLASS_PER_DAY = env_int("ONESTORY_BREAK_GLASS_PER_DAY", 3, minimum=1)
if not PUBLIC_URL and not DEBUG:
    raise ImproperlyConfigured(
        "Set ONESTORY_PUBLIC_URL (like https://onestory.example.gov.uk): parents' "
        "questionnaire links start with it."
    )
# Features no page uses, switched off for every response (core/middleware.py).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "serial=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), "
    "accelerometer=(), display-capture=(), browsing-topics=()"
)

# The caseload flags a family with no attended contact for this many days.
NO_CONTACT_DAYS = env_int("ONESTORY_NO_CONTACT_DAYS", 28, minimum=1)

# The team around a family: warn past this many practitioners (product rule 5).
TEAM_SIZE_WARNING = env_int("ONESTORY_TEAM_SIZE_WARNING", 3, minimum=1)

AUTHENTICATION_BACKENDS = ["onestory.accounts.backends.StaffBackend"]

# Faults (core.errors, core.views): a GOV.UK page for a failed CSRF check.
CSRF_FAILURE_VIEW = "onestory.core.views.csrf_failure"
# Faults: a post that is not a form (JSON, plain text) is answered 400 at once.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "onestory.core.form_bodies.FormBodiesOnlyMiddleware",
)
# Faults: a form posted after the idle timeout keeps its text through sign-in.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.LoginRequiredMiddleware"),
    "onestory.core.kept_posts.KeepTypedMiddleware",
)
