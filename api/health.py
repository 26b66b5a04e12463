"""GET /healthz: database, cache and broker, as JSON; 200 when all are up, else 503."""

from __future__ import annotations

import time
from collections.abc import Callable

# The project's Celery app: taskforce/__init__.py makes it current (api may not import taskforce).
from celery import current_app as celery_app
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT = 0.5  # seconds


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    cache = caches["default"]
    probe = getattr(cache, "probe", None)
    if probe is not None:
        # The portal's Redis cache answers from memory while Redis is out (toolkit.cache): ask Redis itself.
        probe()
        return cache.__class__.__name__
    key = "healthz-probe"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was written")
    return cache.__class__.__name__


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process (no broker configured)"
    # One attempt, short timeouts: with a retry (kombu waits 2 s before it) /healthz took over 3 s to
    # say the broker was down, longer than a load balancer's probe waits.
    transport = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT}
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL, transport_options=transport) as conn:
        # kombu-stubs say int, but kombu only compares and subtracts it with time.monotonic(): 0.5 s works.
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)  # type: ignore[arg-type]
    return conn.transport_cls if isinstance(conn.transport_cls, str) else "broker"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "cache": _cache, "broker": _broker}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as error:
            report[name] = {"ok": False, "error": error.__class__.__name__}
        else:
            report[name] = {"ok": True, "backend": detail}
        report[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(item["ok"] for item in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": report}, status=200 if healthy else 503
    )
