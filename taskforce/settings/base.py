"""Every setting of the portal is declared here; dev, test and production override.

The embedded default (no DATABASE_URL, no REDIS_URL) runs on SQLite with Celery tasks
executed in-process, so that a newcomer needs no server.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from taskforce.environment import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS: list[str] = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "taskforce.urls.csrf_failure"

TASKFORCE_NAME = env("TASKFORCE_NAME", "Juniper County Anti-Human Trafficking Task Force")
TASKFORCE_COUNTY = env("TASKFORCE_COUNTY", "Juniper County")
TASKFORCE_HOTLINE = env("TASKFORCE_HOTLINE", "1-888-373-7888")
# Numbers the task force publishes, which the de-identification guard allows by exact match only:
# the hotline in the footer, 988, 211, and any more (member agencies' main lines) from the environment.
DEIDENTIFICATION_PUBLIC_NUMBERS: list[str] = [
    TASKFORCE_HOTLINE,
    "988",
    "211",
    *env_list("DEIDENTIFICATION_PUBLIC_NUMBERS", ""),
]
TIME_ZONE = env("TASKFORCE_TIME_ZONE", "America/Chicago")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
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
    "allauth.usersessions",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "audit",
    "outbox",
    "agencies",
    "cases",
    "meetings",
    "activity",
    "directory",
    "webhooks",
    "home",
    "digests",
    "reports",
    "api",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agencies.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "agencies.middleware.SessionLifetimeMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agencies.middleware.MFARequiredMiddleware",
    # Axes goes last so that it sees the outcome of the authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taskforce.urls"
WSGI_APPLICATION = "taskforce.wsgi.application"
ASGI_APPLICATION = "taskforce.asgi.application"

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
                "agencies.context_processors.portal",
                "activity.context_processors.activity",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, reusing its redis-py client (see toolkit/cache.py).
            "BACKEND": "toolkit.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            # Short timeouts: a web request must not hang when Redis is down. After a failure the
            # backend skips Redis for OUTAGE_RETRY_SECONDS and counts in this process's memory.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "OUTAGE_RETRY_SECONDS": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
# Without a broker the embedded default runs tasks in-process, in the request.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL and not env("CELERY_BROKER_URL", "")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out (login, IP) pairs before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "agencies.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Task force portal] "
# Re-authentication before a sensitive step (changing the authenticator, say) asks for the
# password or the authenticator. allauth 65.22 adds "a code sent by email": that would let
# access to someone's mailbox stand in for their authenticator, so it stays off.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# Failed sign-ins (a wrong password or a wrong authenticator code) count per account and client
# address, never per address alone: behind a proxy or in one office, one person's mistakes must not
# stop everyone signing in. allauth's own "login_failed" is the account's ceiling over every address
# (keyed on the login, or the account for codes); see agencies/lockout.py. Axes locks (login, IP) pairs.
# Both in an hour: the ceiling is five times what one address may send, so one address alone cannot
# lock an account out (with a 10-minute window, one address reached 60 an hour and did).
SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 10
SIGN_IN_FAILURES_PER_ACCOUNT = 50
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{SIGN_IN_FAILURES_PER_ACCOUNT}/1h/key",
    "login_failed_account_address": f"{SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS}/1h/key",
    # Sign-in forms sent per address, right or wrong: a flood guard no office reaches (allauth: 30/m).
    "login": "300/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "agencies.adapters.PortalMFAAdapter"
MFA_FORMS = {"authenticate": "agencies.adapters.PortalAuthenticateForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Task force portal"
# Activity is kept by SessionLifetimeMiddleware; tracking it here too would write on every request.
USERSESSIONS_TRACK_ACTIVITY = False

AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "agencies.lockout.attempted_login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "agencies/locked_out.html"
AXES_VERBOSE = False
# The proxies of the task force's own in front of the portal: X-Forwarded-For is believed that far and
# no further, by axes and allauth alike (agencies.lockout.client_ip). AXES_PROXY_COUNT is the old name.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", env("AXES_PROXY_COUNT", "0")))
AXES_CLIENT_IP_CALLABLE = "agencies.lockout.client_ip"
# Who reads which rows of the audit trail: a rule of the role map, which the audit app (below
# agencies) reaches by this dotted path (audit.models.AuditEntryQuerySet.for_user).
AUDIT_TRAIL_SCOPE = "agencies.audit_trail.audit_trail_scope"

# --- Sessions: 30 minutes idle, 12 hours in all ----------------------------------------
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

INVITATION_LIFETIME = timedelta(days=7)
API_TOKEN_LIFETIME = timedelta(days=90)

# --- Security headers -----------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth renders the TOTP QR code as an inline SVG data URI.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Email ----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Task force portal <portal@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10

# --- Internationalisation and static files ----------------------------------------------
# English and Spanish (issue 20). Each app keeps its own catalog in <app>/locale/; the project's templates use
# locale/. A signed-in person's saved language wins (agencies.middleware.PersonLanguageMiddleware); otherwise
# the language cookie the switcher sets, then the browser's Accept-Language (public pages).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.HasRequiredMFA",
    ],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["api.filters.PortalFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min"},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.json_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.DepthLimitedJSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Task force portal API",
    "DESCRIPTION": (
        "REST API of the task-force coordination portal. Authenticate with a personal token "
        "(`Authorization: Bearer <token>`) created in the portal under API tokens. "
        "Records of another agency answer 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # OpenAPI 3.1: a reference that may be null is `oneOf: [$ref, {type: "null"}]`. In 3.0.3 drf-spectacular
    # writes `nullable: true` beside `allOf`, which 3.0.3 ignores without a `type` (drf-spectacular#925),
    # so strict generated clients refused null (issue 19).
    "OAS_VERSION": "3.1.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# --- Logging: never log request bodies (they may hold text the guard refused) ----------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "client_errors_without_traceback": {"()": "taskforce.log_filters.ClientErrorsWithoutTraceback"},
        "without_query_strings": {"()": "taskforce.log_query_strings.WithoutQueryStrings"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Django's own console handler (DEBUG only) printed every line a second time: the root's is enough.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["client_errors_without_traceback"]},
        # runserver's access lines, without query strings (words typed into a URL stay out of logs).
        "django.server": {"filters": ["without_query_strings"], "propagate": True},
    },
}

# --- Meetings and trainings ---
# Agendas lock this long before a meeting starts; organizers can no longer change them.
MEETINGS_AGENDA_LOCK_BEFORE = timedelta(hours=int(env("MEETINGS_AGENDA_LOCK_HOURS", "48")))
# Self check-in opens this long before a meeting starts and closes when it ends.
MEETINGS_CHECK_IN_OPENS_BEFORE = timedelta(minutes=int(env("MEETINGS_CHECK_IN_OPENS_MINUTES", "30")))
# Quorum: more than this fraction of the agencies in the meeting's audience present, and at least the minimum.
MEETINGS_QUORUM_FRACTION = float(env("MEETINGS_QUORUM_FRACTION", "0.5"))
MEETINGS_QUORUM_MINIMUM_AGENCIES = int(env("MEETINGS_QUORUM_MINIMUM_AGENCIES", "3"))
# Agenda handouts: size limit and allowed types (the content is checked too, not only the name).
MEETINGS_ATTACHMENT_MAX_BYTES = int(env("MEETINGS_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
MEETINGS_ATTACHMENT_EXTENSIONS = env_list(
    "MEETINGS_ATTACHMENT_EXTENSIONS", "pdf,docx,xlsx,pptx,odt,ods,odp,txt,png,jpg,jpeg"
)
# The neutral site that the quick exit of the public pages replaces the page with.
MEETINGS_QUICK_EXIT_URL = env("MEETINGS_QUICK_EXIT_URL", "https://www.weather.gov/")
# The public training-request form: submissions per client address, and in all, per window ("count/s|m|h|d").
MEETINGS_TRAINING_REQUEST_RATE = env("MEETINGS_TRAINING_REQUEST_RATE", "10/h")
MEETINGS_TRAINING_REQUEST_GLOBAL_RATE = env("MEETINGS_TRAINING_REQUEST_GLOBAL_RATE", "200/d")
# A form sent sooner than this after it was shown is a robot's.
MEETINGS_TRAINING_REQUEST_MIN_SECONDS = int(env("MEETINGS_TRAINING_REQUEST_MIN_SECONDS", "3"))
# Calendar feeds hold events from this many days back (and everything ahead).
MEETINGS_FEED_PAST_DAYS = int(env("MEETINGS_FEED_PAST_DAYS", "90"))
# Status fields of several models share a name in the API schema: name their enums apart.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    "ActionItemStatusEnum": "meetings.choices.ActionStatus",
    "TrainingRequestStatusEnum": "meetings.choices.RequestStatus",
    "RegistrationStatusEnum": "meetings.choices.RegistrationStatus",
    # A referral's needs and the services provided on it are one choice set: one name for both.
    "NeedsEnum": "cases.choices.Need",
}
CELERY_BEAT_SCHEDULE["meetings-carry-over-action-items"] = {
    "task": "meetings.tasks.carry_over_action_items",
    "schedule": timedelta(hours=1),
}
# The RSVP reminder goes this long before a meeting to the people invited who have not answered.
MEETINGS_RSVP_REMINDER_BEFORE = timedelta(hours=int(env("MEETINGS_RSVP_REMINDER_HOURS", "48")))
CELERY_BEAT_SCHEDULE["meetings-rsvp-reminders"] = {
    "task": "meetings.tasks.send_rsvp_reminders",
    "schedule": timedelta(hours=1),
}

# Per-process caches of the referral list's and detail's compiled queries (cases/selectors.py): a key
# per agency, direction and day, so about 3 per agency; past this many every key is dropped and rebuilt.
# The default serves a state task force of 500 agencies without churning.
REFERRAL_QUERY_CACHE_KEYS = int(env("REFERRAL_QUERY_CACHE_KEYS", "4096"))

# --- CSV import of referrals (manage.py import_referrals) ---
# Refused before reading: a larger file; while reading: more data rows. Split bigger files.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "20000"))

# --- Grant reports ---------------------------------------------------------------------
# Counts of people from 1 to this number minus one are published as "<11" (CMS cell-size rule).
REPORT_SUPPRESSION_THRESHOLD = int(env("REPORT_SUPPRESSION_THRESHOLD", "11"))
# Partners see whole quarters only, each published (computed, protected and frozen) this many days
# after it ends, so that late entries have settled (reports/SUPPRESSION.md).
REPORT_RELEASE_DELAY_DAYS = int(env("REPORT_RELEASE_DELAY_DAYS", "14"))
# Figures computed through the API, per person ("count/s|m|h|d"): audited, and limited against scraping.
REPORT_COMPUTE_RATE = env("REPORT_COMPUTE_RATE", "60/h")
# A prepared XLSX or PDF can be downloaded for this long; then the file is deleted.
REPORT_EXPORT_LINK_LIFETIME = timedelta(minutes=int(env("REPORT_EXPORT_LINK_MINUTES", "60")))
# Prepared exports live in a private folder, served only through the portal's checks: never
# under STATIC_ROOT or MEDIA_ROOT (a system check refuses that). Share it between web and workers.
REPORT_EXPORT_DIR = Path(env("REPORT_EXPORT_DIR", str(VAR_DIR / "private" / "report-exports")))
# Closed and withdrawn referrals (timeline, comments, needs, consent record) are deleted this many
# days after their last activity (cases/retention.py). The default, about 6 years 4 months, covers
# the longest that 2 CFR 200.334 can ask of a referral made under a 3-year award: the award, 120
# days to the final report (200.344), then 3 years. Approved reports and published quarters stay.
REFERRAL_RETENTION_DAYS = int(env("REFERRAL_RETENTION_DAYS", "2310"))
CELERY_BEAT_SCHEDULE["cases-purge-ended-referrals"] = {
    "task": "cases.tasks.referrals_purge_task",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["reports-purge-expired-exports"] = {
    "task": "reports.tasks.exports_purge_expired",
    "schedule": timedelta(minutes=15),
}

# --- Digests and notifications ---
# The digest's sections, in order: dotted paths to classes implementing digests.sections.DigestSection.
# Meetings, action items and trainings append theirs here (see digests/sections.py).
DIGEST_SECTIONS: list[str] = [
    "cases.digest_sections.ReferralsSection",
    "meetings.digest_sections.MeetingsSection",
    "meetings.digest_sections.AgendasAndMinutesSection",
    "meetings.digest_sections.ActionItemsSection",
    "meetings.digest_sections.TrainingsSection",
    # A reminder to confirm a stale capacity status (directory).
    "directory.digest_sections.CapacitySection",
    # Coordinators: data-sharing agreements lapsing soon, and agencies without a current one.
    "directory.agreements_digest.AgreementsSection",
]
# Immediate notification kinds: classes implementing digests.notifications.NotificationKind.
DIGEST_NOTIFICATIONS: list[str] = [
    "cases.digest_sections.ReferralReceived",
    "cases.digest_sections.ConsentRevoked",
    "meetings.digest_sections.MeetingInvitation",
    "meetings.digest_sections.RsvpReminder",
    "meetings.digest_sections.MeetingCancelled",
    "cases.digest_sections.ReferralEscalatedToAdmins",
    "cases.digest_sections.ReferralEscalatedToCochairs",
    "webhooks.notifications.WebhookDisabled",
    # (announcements: notification kinds here)
    "home.notifications.AnnouncementNotification",
]
# Empty: Celery's default queue. Integration tests and the benchmark use a queue of their own.
DIGEST_QUEUE = env("DIGEST_QUEUE", "")
DIGEST_PLAN_INTERVAL = timedelta(seconds=float(env("DIGEST_PLAN_INTERVAL_SECONDS", "300")))
# The outbox sweep also recovers dead workers' claims: its interval plus the claim timeout bound that.
DIGEST_SWEEP_INTERVAL = timedelta(seconds=float(env("DIGEST_SWEEP_INTERVAL_SECONDS", "30")))
DIGEST_BATCH_SIZE = int(env("DIGEST_BATCH_SIZE", "50"))
# A row "sending" whose claim is older than this belongs to a worker that died: another may claim
# it. A live worker refreshes its claims every third of this while it sends (digests/delivery.py).
DIGEST_CLAIM_TIMEOUT = timedelta(seconds=float(env("DIGEST_CLAIM_TIMEOUT_SECONDS", "30")))
# A pending row whose task has not run by then (lost with a broker restart) is enqueued again.
DIGEST_REENQUEUE_AFTER = timedelta(seconds=float(env("DIGEST_REENQUEUE_AFTER_SECONDS", "1800")))
DIGEST_MAX_ATTEMPTS = int(env("DIGEST_MAX_ATTEMPTS", "8"))
# Enqueueing from a web request gives up after this (seconds); the outbox sweeper retries.
DIGEST_ENQUEUE_TIMEOUT = float(env("DIGEST_ENQUEUE_TIMEOUT_SECONDS", "1"))
DIGEST_OUTBOX_GRACE = timedelta(seconds=float(env("DIGEST_OUTBOX_GRACE_SECONDS", "30")))
# A task the broker accepted but no worker completed by then (Redis lost it) is dispatched again.
DIGEST_OUTBOX_RETRY_AFTER = timedelta(seconds=float(env("DIGEST_OUTBOX_RETRY_AFTER_SECONDS", "300")))
DIGEST_OUTBOX_KEEP = timedelta(days=7)
_DIGEST_TASK_OPTIONS = {"queue": DIGEST_QUEUE} if DIGEST_QUEUE else {}
CELERY_BEAT_SCHEDULE.update(
    {
        "digests-plan": {
            "task": "digests.tasks.plan_digests",
            "schedule": DIGEST_PLAN_INTERVAL.total_seconds(),
            # A plan that waited longer than one interval (workers down) is superseded by the next one.
            "options": {**_DIGEST_TASK_OPTIONS, "expires": DIGEST_PLAN_INTERVAL.total_seconds()},
        },
        "digests-sweep-outbox": {
            "task": "digests.tasks.sweep_outbox",
            "schedule": DIGEST_SWEEP_INTERVAL.total_seconds(),
            "options": {**_DIGEST_TASK_OPTIONS, "expires": DIGEST_SWEEP_INTERVAL.total_seconds()},
        },
    }
)

# --- Issue 18: the referral network ------------------------------------------------------
# Service directory: a capacity status not confirmed for this many days is shown as stale and the
# agency is reminded in its digest.
DIRECTORY_CAPACITY_STALE_DAYS = int(env("DIRECTORY_CAPACITY_STALE_DAYS", "30"))
# The Open Referral (HSDS 3.0) export's ids are uuid5 of this namespace and each record's primary key, so
# they stay the same from one export to the next. A deployment may set its own (any UUID).
DIRECTORY_HSDS_NAMESPACE = env("DIRECTORY_HSDS_NAMESPACE", "5b0e8c36-7f53-5a86-9c1e-2f4f1b5d6a70")
# A service profile's lists hold the referral's codes: one enum name per vocabulary in the API schema.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    "AgeBandEnum": "cases.choices.AgeBand",
    "GenderEnum": "cases.choices.Gender",
    "TraffickingTypeEnum": "cases.choices.TraffickingType",
    "LanguageEnum": "cases.choices.Language",
    "CitizenshipEnum": "cases.choices.Citizenship",
}

# Data-sharing agreements: one expiring within this many days is "lapsing" (the gaps page, the
# coordinators' digest), so that its renewal is signed before referrals to and from the agency stop.
AGREEMENT_LAPSING_DAYS = int(env("AGREEMENT_LAPSING_DAYS", "60"))
# The de-identification guard, for apps below `cases` that store free text a person typed (the note
# of an agreement, in agencies): a dotted path read at run time, as DIGEST_SECTIONS is.
FREE_TEXT_GUARD = "cases.services.guard_free_text"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    # A meeting's "kind" is another choice set: each its own name in the schema.
    "AgreementKindEnum": "agencies.models.AgreementKind",
    "AgreementStandingEnum": "agencies.agreements.Standing",
    # The meeting's kind keeps the name it had before the agreements came.
    "KindEnum": "meetings.choices.MeetingKind",
    # A motion's result and each agency's vote (meetings/choices.py).
    "MotionResultEnum": "meetings.choices.MotionResult",
    "MotionVoteEnum": "meetings.choices.Vote",
}

# Escalation of an unanswered referral (cases/escalation.py): still "sent" after its urgency's window,
# it is brought to the receiving agency's administrators; after the same window again, to the co-chairs.
# Emergency counts clock hours; urgent and routine count working days (Monday to Friday in TIME_ZONE,
# without the public holidays of the `holidays` package for this country and subdivision).
ESCALATION_EMERGENCY_HOURS = float(env("ESCALATION_EMERGENCY_HOURS", "2"))
ESCALATION_URGENT_WORKING_DAYS = int(env("ESCALATION_URGENT_WORKING_DAYS", "1"))
ESCALATION_ROUTINE_WORKING_DAYS = int(env("ESCALATION_ROUTINE_WORKING_DAYS", "5"))
ESCALATION_HOLIDAYS_COUNTRY = env("ESCALATION_HOLIDAYS_COUNTRY", "US")
ESCALATION_HOLIDAYS_SUBDIV = env("ESCALATION_HOLIDAYS_SUBDIV", "WI")  # "" for the country's holidays only
CELERY_BEAT_SCHEDULE["cases-escalate-unanswered-referrals"] = {
    "task": "cases.tasks.referrals_escalate_task",
    "schedule": timedelta(seconds=float(env("ESCALATION_SWEEP_INTERVAL_SECONDS", "300"))),
}

# Webhooks (webhooks/): an agency's own system receives its referral events, signed (Standard Webhooks).
# Seconds to connect, and then to get the answer's status line, per attempt.
WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT_SECONDS", "10"))
# A failed attempt is tried again after each of these delays in turn; when they are used up (six
# attempts in about seven hours) the delivery is given up ("abandoned").
WEBHOOK_RETRY_SCHEDULE: list[timedelta] = [
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
]
# After this many deliveries in a row given up, the endpoint is turned off and its agency's
# administrators are told (notification "webhook_disabled", switch notify_agency_alerts).
WEBHOOK_DISABLE_AFTER = int(env("WEBHOOK_DISABLE_AFTER", "5"))
# The portal never calls a loopback, private, link-local or otherwise non-public address (checked when
# an endpoint is added and before each attempt). Tests that run a local HTTPS server turn this on; no
# environment variable turns it on in a deployment.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
# A CA file to trust instead of the usual ones (the tests' local HTTPS server); empty: the usual ones.
WEBHOOK_CA_BUNDLE = env("WEBHOOK_CA_BUNDLE", "")
# After a new secret is made, the old one also signs for this long, so the agency's system can switch over.
WEBHOOK_SECRET_ROTATION_GRACE = timedelta(hours=int(env("WEBHOOK_SECRET_ROTATION_GRACE_HOURS", "24")))
WEBHOOK_MAX_ENDPOINTS_PER_AGENCY = int(env("WEBHOOK_MAX_ENDPOINTS_PER_AGENCY", "10"))
# The delivery log keeps a finished delivery this long (without its payload, emptied when it finished).
WEBHOOK_LOG_KEEP = timedelta(days=int(env("WEBHOOK_LOG_KEEP_DAYS", "90")))
# How often beat queues the deliveries whose retry is due (and forgets log rows older than WEBHOOK_LOG_KEEP).
WEBHOOK_SWEEP_INTERVAL = timedelta(seconds=float(env("WEBHOOK_SWEEP_INTERVAL_SECONDS", "30")))
CELERY_BEAT_SCHEDULE["webhooks-sweep-retries"] = {
    "task": "webhooks.tasks.sweep_webhook_retries",
    "schedule": WEBHOOK_SWEEP_INTERVAL.total_seconds(),
    "options": {**_DIGEST_TASK_OPTIONS, "expires": WEBHOOK_SWEEP_INTERVAL.total_seconds()},
}

# (home and announcements: settings here)
# An announcement's audience (all partners, a sector, chosen agencies) is not a meeting's: each its own
# name, the meeting's keeping the one it had.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    "AudienceEnum": "meetings.choices.Audience",
    "AnnouncementAudienceEnum": "home.models.Audience",
}
