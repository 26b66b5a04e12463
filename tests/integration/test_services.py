"""Against real PostgreSQL and Redis, with a real Celery worker process (required in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.test import Client, override_settings

from agencies.models import Invitation
from agencies.roles import Role
from tests.factories import AgencyFactory, UserFactory
from tests.integration.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def _redis_url() -> str:
    return os.environ["REDIS_URL"]


@pytest.mark.django_db
def test_it_reports_postgresql_redis_cache_and_broker_healthy():
    with override_settings(CACHES=_portal_caches(), CELERY_BROKER_URL=_redis_url(), CELERY_TASK_ALWAYS_EAGER=False):
        response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["backend"] == "postgresql"
    assert body["checks"]["cache"]["backend"] == "SharedClientRedisCache"


def _portal_caches() -> dict:
    """The production cache settings (taskforce.settings.base), pointed at the test Redis."""
    return {"default": {"BACKEND": "toolkit.cache.SharedClientRedisCache", "LOCATION": _redis_url()}}


def test_the_redis_cache_counts_in_a_window_in_one_round_trip():
    from toolkit.cache import SharedClientRedisCache
    from toolkit.ratelimit import window_hit

    cache = SharedClientRedisCache(_redis_url(), {"KEY_PREFIX": f"t-{uuid.uuid4().hex[:8]}"})
    try:
        assert [cache.count_in_window("hits", 30) for _ in range(3)] == [1, 2, 3]
        assert cache.get("hits") == 3 and cache.incr("hits") == 4  # an ordinary cache integer
        ttl = cache._cache.get_client(write=True).ttl(cache.make_and_validate_key("hits"))
        assert 0 < ttl <= 30
        assert window_hit("k", 10, now=1005.0, cache=cache) == (1, 1010)
        assert window_hit("k", 10, now=1009.9, cache=cache) == (2, 1010)
        assert window_hit("k", 10, now=1010.0, cache=cache) == (1, 1020)  # a new window starts at 0
    finally:
        cache.delete_many(["hits", "k:100", "k:101"])
        cache.close()


def test_the_redis_cache_keeps_one_client_and_works_as_djangos():
    from django.core.cache.backends.redis import RedisCache

    from toolkit.cache import SharedClientRedisCache

    cache = SharedClientRedisCache(_redis_url(), {"KEY_PREFIX": f"t-{uuid.uuid4().hex[:8]}"})
    django_cache = RedisCache(_redis_url(), {"KEY_PREFIX": cache.key_prefix})
    try:
        assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
        cache.set("history", [1.5, 2.5], timeout=30)
        assert django_cache.get("history") == [1.5, 2.5]  # the same keys and encoding as Django's
        assert cache.add("history", "other") is False
        cache.set("count", 0)
        assert cache.incr("count", 2) == 2
        cache.set_many({"a": 1, "b": "two"})
        assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": "two"}
        cache.delete_many(["a", "b"])
        assert not cache.has_key("a") and cache.get("b") is None
    finally:
        cache.delete_many(["history", "count", "a", "b"])
        cache.close()


def test_the_api_rate_limit_counts_in_redis(db: None, monkeypatch: pytest.MonkeyPatch):
    """The API's throttle counts through the portal's cache backend in Redis, in fixed windows: the limit
    holds, the 429 says when to come back, and the window's counter expires with the window."""
    from api.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/min"})
    person = UserFactory(role=Role.MEMBER)
    client = Client()
    client.force_login(person)
    with override_settings(CACHES=_portal_caches()):
        from django.core.cache import cache

        # The four requests must share one window: not too near its end (else wait for the next to begin).
        wait_until(lambda: time.time() % 60 <= 55, timeout=6, what="a rate-limit window with 5 s left")
        window = int(time.time() // 60)
        slot = f"throttle_user_{person.pk}:{window}"
        cache.delete(slot)
        responses = [client.get("/api/v1/me/") for _ in range(4)]
        codes = [response.status_code for response in responses]
        assert 0 < int(responses[-1]["Retry-After"]) <= 60
        assert cache.get(slot) == 4  # every request counted, the refused one too
        ttl = cache._cache.get_client(write=True).ttl(cache.make_and_validate_key(slot))
        assert 0 < ttl <= 60
        cache.delete(slot)
    assert codes == [200, 200, 200, 429]


@pytest.fixture
def worker(tmp_path: Path, transactional_db: None):
    """A real Celery worker on its own queue, against the test database and real Redis."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taskforce.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": _redis_url(),
        "PORTAL_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "taskforce",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield queue, tmp_path / "mail"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_it_runs_a_task_sent_through_redis_in_a_real_worker(worker):
    queue, mail_dir = worker
    admin = UserFactory(agency=AgencyFactory(), role=Role.AGENCY_ADMIN)
    invitation = Invitation.objects.create(
        email="via-worker@example.org",
        agency=admin.agency,
        role=Role.MEMBER,
        invited_by=admin,
        expires_at="2999-01-01T00:00:00Z",
    )
    producer = Celery(broker=_redis_url())
    producer.send_task("agencies.tasks.send_invitation_email", args=[invitation.pk], queue=queue)

    wait_until(lambda: any(mail_dir.glob("*.log")), timeout=60, what="the worker to send the invitation")
    text = sorted(mail_dir.glob("*.log"))[0].read_text()
    assert "via-worker@example.org" in text and "/invitations/" in text
