"""Tests: fast hashing, in-memory mail; PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set."""

from taskforce.settings.base import *  # noqa: F403
from taskforce.settings.base import REST_FRAMEWORK

SECRET_KEY = "test-only-insecure-key"  # noqa: S105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The throttle would make the API fuzz test flaky; throttling is tested on its own.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "100000/min"}}
