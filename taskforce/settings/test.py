"""Tests: fast hashing, in-memory mail; PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set."""

from taskforce.settings.base import *  # noqa: F403
from taskforce.settings.base import REST_FRAMEWORK, STATIC_ROOT

SECRET_KEY = "test-only-insecure-key"  # noqa: S105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The throttle would make the API fuzz test flaky; throttling is tested on its own.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "100000/min"}}
# Static files come from the finders in tests; whitenoise only wants the folder to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Unit tests run tasks in-process and keep the cache in memory, so that they are isolated
# from each other; the integration tests (tests/integration) drive real Redis and a real worker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
