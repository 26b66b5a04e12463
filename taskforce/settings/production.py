"""Production: reads its environment and refuses to start without the essentials."""

import dj_database_url

from taskforce.environment import env, env_bool, env_list, env_required
from taskforce.settings.base import *  # noqa: F403

SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "") or [env_required("ALLOWED_HOSTS")]
# Every link in an email or a calendar feed starts with it: no default, so that no feed ever says 127.0.0.1.
PORTAL_BASE_URL = env_required("PORTAL_BASE_URL")
DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL"), conn_max_age=int(env("DB_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
