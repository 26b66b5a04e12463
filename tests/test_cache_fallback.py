"""The portal's Redis cache when Redis cannot be reached (toolkit.cache): calls fall back to a count in
this process's memory, Redis is skipped for a while after a failure, one warning per outage, and
/healthz still says the cache is down. No Redis is needed: the "Redis" here is a closed port, or a
socket that accepts and never answers (a Redis that hangs). Recovery against a real Redis that stops
and starts again is tests/integration/test_redis_outage.py."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from agencies.lockout import failed_sign_in_allowed
from agencies.roles import Role
from api.services import api_token_create
from api.throttling import UserRateThrottle
from meetings.models import TrainingRequest
from tests.factories import UserFactory
from toolkit.cache import SharedClientRedisCache
from toolkit.ratelimit import window_hit

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on leaving: connections are refused


def _caches(port: int, **options: object) -> dict:
    return {
        "default": {
            "BACKEND": "toolkit.cache.SharedClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, **options},
        }
    }


@pytest.fixture
def redis_down() -> Iterator[None]:
    with override_settings(CACHES=_caches(_closed_port())):
        yield


class SilentServer:
    """Accepts connections and never answers, like a Redis that hangs: counts the connections."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.05)  # so that close() is noticed at once
        while not self.closed.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.closed.set()
        self.thread.join(timeout=2)
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


def test_it_counts_rate_limit_hits_in_memory_while_redis_is_unreachable():
    cache = SharedClientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    assert [window_hit("k", 60, now=6000.0, cache=cache)[0] for _ in range(3)] == [1, 2, 3]
    assert window_hit("k", 60, now=6060.0, cache=cache) == (1, 6120)  # windows still turn
    cache.set("a", {"b": 1})
    assert cache.get("a") == {"b": 1} and cache.add("a", 2) is False
    assert cache.add("counter", 0) and cache.incr("counter") == 1
    cache.delete("a")
    assert cache.get("a") is None


def test_it_answers_the_api_and_still_throttles_it_while_redis_is_down(redis_down, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/h"})
    person = UserFactory(role=Role.MEMBER)
    _, raw = api_token_create(user=person, name="outage")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    codes = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # the limit holds, counted in this process


def test_it_signs_in_while_redis_is_down(redis_down):
    person = UserFactory(role=Role.MEMBER, with_mfa=False)
    client = Client()
    wrong = client.post(reverse("account_login"), {"login": person.email, "password": "not-it-at-all"})
    assert wrong.status_code == 200
    right = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert right.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_it_still_limits_failed_sign_ins_per_account_and_address_while_redis_is_down(redis_down, rf):
    request = rf.post("/accounts/login/", REMOTE_ADDR="198.51.100.4")
    limit = settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS
    allowed = [failed_sign_in_allowed(request, account="someone@example.org") is not None for _ in range(limit + 1)]
    assert allowed == [True] * limit + [False]


def test_it_takes_a_public_training_request_while_redis_is_down(redis_down):
    client = Client()
    page = client.get("/public/request-training/")
    assert page.status_code == 200
    stamp = page.content.decode().split('name="started" value="')[1].split('"')[0]
    answers = {
        "organization": "Juniper Inn",
        "contact_email": "manager@example.org",
        "topic": "Front-desk staff: recognizing trafficking",
        "preferred_dates": "Any weekday in May",
        "started": stamp,
        "website": "",
    }
    with time_machine.travel(timezone.now().timestamp() + 5, tick=False):
        response = client.post("/public/request-training/", answers)
    assert response.status_code == 302
    assert TrainingRequest.objects.count() == 1


def test_it_skips_a_hanging_redis_for_a_while_and_warns_once(silent_server, caplog):
    cache = SharedClientRedisCache(
        f"redis://127.0.0.1:{silent_server.port}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "OUTAGE_RETRY_SECONDS": 0.5}},
    )
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        counts = [cache.count_in_window("hits", 60) for _ in range(50)]
        first_outage = time.monotonic() - started
        time.sleep(0.6)  # past OUTAGE_RETRY_SECONDS: the next call tries Redis again, once
        counts += [cache.count_in_window("hits", 60) for _ in range(50)]
    assert counts == list(range(1, 101))
    assert first_outage < 0.6  # one timeout (0.25 s), not fifty
    assert len(silent_server.accepted) == 2
    warnings = [record for record in caplog.records if record.name == "toolkit.cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()


def test_threads_share_the_outage_and_the_local_counts(silent_server):
    """Django gives each thread its own cache object; an outage found by one is known to all."""
    location = f"redis://127.0.0.1:{silent_server.port}/0"
    params = {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
    first, second = SharedClientRedisCache(location, params), SharedClientRedisCache(location, params)
    assert first.count_in_window("hits", 60) == 1
    started = time.monotonic()
    assert second.count_in_window("hits", 60) == 2
    assert time.monotonic() - started < 0.1 and len(silent_server.accepted) == 1


def test_healthz_reports_the_cache_down_while_it_falls_back(redis_down):
    from django.core.cache import cache

    cache.set("warm", 1)  # the outage is known and calls are answered from memory
    assert cache.get("warm") == 1
    response = Client().get("/healthz")
    assert response.status_code == 503
    check = response.json()["checks"]["cache"]
    assert check["ok"] is False and check["error"] == "ConnectionError"


def test_healthz_reports_the_broker_down_within_a_second(redis_down):
    """It waited 2 s (one retry after `interval_start`) before saying so: a probe with a short timeout
    would give up on the portal before it answered."""
    broker = f"redis://127.0.0.1:{_closed_port()}/0"
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=broker):
        response = Client().get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["ok"] is False and checks["cache"]["ok"] is False and checks["database"]["ok"]
    assert checks["broker"]["ms"] < 1000 and checks["cache"]["ms"] < 1000


def test_its_outage_warning_names_the_server_without_its_password(caplog):
    port = _closed_port()
    cache = SharedClientRedisCache(f"redis://:s3cret-word@127.0.0.1:{port}/4", {})
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        cache.get("anything")
    [warning] = [record.getMessage() for record in caplog.records if record.name == "toolkit.cache"]
    assert f"127.0.0.1:{port}/4" in warning and "s3cret" not in warning
