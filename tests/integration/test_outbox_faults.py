"""Fault injection on a Redis of our own: it restarts empty, a worker is SIGKILLed mid-batch.

Each test starts its own redis-server on a free loopback port (never the shared one), without
persistence, so that killing and starting it again loses every queued message, as a production Redis
without AOF would. The figures are printed (`-s` shows them) and asserted.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.test import override_settings

from digests.models import Delivery, DigestPreference
from digests.planner import digests_plan
from outbox.models import OutboxTask
from taskforce.celery import app as celery_app
from tests.cases.referral_helpers import send
from tests.digests.integration_support import Stack, free_port, smtp, stack_environment  # noqa: F401
from tests.digests.integration_world import office
from tests.integration.waiting import digests_settled, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary"),
]


@dataclass
class OwnRedis:
    """A redis-server of this test: no RDB snapshots, no AOF; `restart_empty()` kills it and starts it again."""

    port: int
    tmp: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        log = (self.tmp / "redis.log").open("ab")
        self.process = subprocess.Popen(args, cwd=self.tmp, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_until(lambda: _answers(client), timeout=20, what=f"redis-server on port {self.port}")

    def stop(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=20)

    def restart_empty(self) -> None:
        self.stop(signal.SIGKILL)
        self.start()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(port=free_port(), tmp=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_stack(smtp, own_redis: OwnRedis, tmp_path: Path, transactional_db: None) -> Iterator[Stack]:  # noqa: F811
    _, port = smtp
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = stack_environment(smtp_port=port, queue=queue, tmp_path=tmp_path, broker=own_redis.url)
    running = Stack(env=env, queue=queue, tmp=tmp_path)
    try:
        yield running
    finally:
        running.stop_all()
        connection.close()


@contextmanager
def web_publishing_to(stack: Stack, broker: str) -> Iterator[None]:
    """This process plays the web server: tasks go through the outbox to our Redis and the test queue."""
    from outbox import services as outbox

    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, broker
    outbox._broker_down_until = 0.0
    try:
        with override_settings(DIGEST_QUEUE=stack.queue):
            yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, url


REFERRALS = 30
OFFICERS = 3


def test_it_sends_every_notification_once_after_redis_restarts_empty(smtp, own_redis, own_stack):  # noqa: F811
    """Referrals are sent while no worker runs; Redis then restarts empty: every notification still goes, once."""
    inbox, _ = smtp
    world = office(officers=OFFICERS, referrals=0)
    DigestPreference.objects.update(frequency="never")  # notifications only: no digest in the count
    with web_publishing_to(own_stack, own_redis.url):
        for _ in range(REFERRALS):
            send(world.sender, world.home)
    expected = REFERRALS * OFFICERS
    assert Delivery.objects.filter(kind="referral_received", status="pending").count() == expected
    assert not OutboxTask.objects.filter(dispatched_at__isnull=True).exists()  # all handed to Redis...
    assert own_redis.client().llen(own_stack.queue) == REFERRALS
    own_redis.restart_empty()
    assert own_redis.client().llen(own_stack.queue) == 0  # ...and all lost with it
    own_stack.env |= {"DIGEST_OUTBOX_RETRY_AFTER_SECONDS": "5", "DIGEST_REENQUEUE_AFTER_SECONDS": "10"}
    started = time.monotonic()
    own_stack.worker()
    own_stack.beat()
    wait_until(lambda: len(inbox.received) >= expected, timeout=180, what=f"{expected} emails", details=own_stack.logs)
    recovered_in = time.monotonic() - started
    # More sweeps (every 2 s) and plans (every second): nothing more may arrive.
    wait_until(digests_settled(own_stack, plans=6), timeout=60, what="6 more plans, all sent", details=own_stack.logs)
    sent = len(inbox.received)
    print(f"\nRedis restarted empty: {expected} notifications expected, {sent} sent, in {recovered_in:.1f} s")
    assert sent == expected
    assert inbox.count_by_recipient() == {person.email: REFERRALS for person in world.officers}
    assert set(Delivery.objects.filter(kind="referral_received").values_list("status", flat=True)) == {"sent"}


PEOPLE = 25


def test_it_finishes_a_killed_workers_digest_batch_within_about_a_minute_exactly_once(
    smtp,  # noqa: F811
    own_redis,
    own_stack,
):
    """Worker A is SIGKILLed while the SMTP server holds its 13th message; worker B sends the rest.

    Production timings: the claim timeout (30 s) and the sweep interval (30 s) are the defaults.
    """
    inbox, _ = smtp
    world = office(officers=PEOPLE, referrals=0)
    DigestPreference.objects.update(notify_referral_received=False)  # digests only in the count
    for name in ("DIGEST_CLAIM_TIMEOUT_SECONDS", "DIGEST_SWEEP_INTERVAL_SECONDS"):
        own_stack.env.pop(name, None)
    own_stack.env["DIGEST_PLAN_INTERVAL_SECONDS"] = "300"
    with web_publishing_to(own_stack, own_redis.url):
        send(world.sender, world.home)  # what the digests will tell about
        report = digests_plan()
    assert report.created == PEOPLE
    inbox.hold_at = 13
    worker_a = own_stack.worker(name="worker-a")
    wait_until(inbox.holding.is_set, timeout=120, what="the 13th message", details=own_stack.logs)
    assert len(inbox.received) == 12
    own_stack.stop(worker_a, sig=signal.SIGKILL)
    killed_at = time.monotonic()
    inbox.release.set()
    own_stack.worker(name="worker-b")
    own_stack.beat()
    wait_until(lambda: len(inbox.received) >= PEOPLE, timeout=150, what=f"{PEOPLE} digests", details=own_stack.logs)
    recovery = time.monotonic() - killed_at
    # No plan comes (every 300 s): once every row is finished and no message is queued or held, nothing
    # more can be sent.
    wait_until(digests_settled(own_stack, plans=0), timeout=60, what="every row sent", details=own_stack.logs)
    print(f"\nWorker SIGKILLed mid-batch: the rest of its batch was sent {recovery:.1f} s later")
    assert inbox.count_by_recipient() == {person.email: 1 for person in world.officers}
    rows = Delivery.objects.filter(kind="digest")
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert recovery < 90
