"""Real processes for the digest integration tests: an SMTP server on loopback, Celery workers and beats.

Everything is bounded: waits have timeouts, and every process started here is stopped (SIGTERM,
then SIGKILL) when the test ends, whatever happens. Redis DB 3 and a queue per test keep these
tests apart from other test runs on the same Redis.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 3


def redis_url() -> str:
    """REDIS_URL with database 3: ours alone."""
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(parts._replace(path=f"/{REDIS_DB}"))


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it accepted; it can hold the Nth recipient (RCPT TO) on cue."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        self.rcpts = 0
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts += 1
        if self.hold_at is not None and self.rcpts == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Like a real MTA, the message counts as delivered once the server answers 250 to DATA.
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def messages(self) -> list[Message]:
        with self.lock:
            return [message_from_bytes(content) for _, content in self.received]

    def count_by_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for recipients, _ in self.received:
                for address in recipients:
                    counts[address] = counts.get(address, 0) + 1
        return counts


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()


@dataclass
class Stack:
    """Workers and beats of one test, on a queue of their own; `stop_all()` ends every process."""

    env: dict[str, str]
    queue: str
    tmp: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    anchors: dict[str, float] = field(default_factory=dict)

    def _start(self, args: list[str], *, fake_now: str | None, name: str) -> subprocess.Popen:
        env = dict(self.env)
        if fake_now:
            # Every process given the same fake_now shares one clock, whenever it gets to start.
            anchor = self.anchors.setdefault(fake_now, time.time())
            env |= {"FAKE_NOW": fake_now, "FAKE_NOW_ANCHOR": repr(anchor)}
        log = (self.tmp / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.digests.celery_harness", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped together with any children
        )
        self.processes.append(process)
        return process

    def worker(self, *, name: str = "w1", fake_now: str | None = None) -> subprocess.Popen:
        args = ["worker", "--pool", "solo", "-Q", self.queue, "-n", f"{name}-{self.queue}@%h"]
        args += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
        return self._start(args, fake_now=fake_now, name=name)

    def beat(self, *, name: str = "beat1", fake_now: str | None = None) -> subprocess.Popen:
        schedule = self.tmp / f"{name}-schedule"
        for stale in self.tmp.glob(f"{name}-schedule*"):
            stale.unlink()
        args = ["beat", "--schedule", str(schedule), "--loglevel", "WARNING"]
        return self._start(args, fake_now=fake_now, name=name)

    def stop(self, process: subprocess.Popen, *, sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            self.stop(process)

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text()[-3000:]}" for path in sorted(self.tmp.glob("*.log")))


@pytest.fixture
def stack(smtp: tuple[Inbox, int], tmp_path: Path, transactional_db: None) -> Iterator[Stack]:
    """Worker and beat processes against the test database, Redis DB 3 and the loopback SMTP server."""
    import redis

    _, port = smtp
    queue = f"digests-test-{uuid.uuid4().hex[:8]}"
    running = Stack(env=stack_environment(smtp_port=port, queue=queue, tmp_path=tmp_path), queue=queue, tmp=tmp_path)
    try:
        yield running
    finally:
        running.stop_all()
        _forget_queue(redis.Redis.from_url(redis_url()), queue)
        connection.close()


def stack_environment(*, smtp_port: int, queue: str, tmp_path: Path, broker: str | None = None) -> dict[str, str]:
    """The environment of the stack's processes: the test database, Redis (DB 3 unless told), the SMTP sink."""
    port = smtp_port
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taskforce.settings.dev",
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": broker or redis_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # so that the test can check the links' signatures
        "PORTAL_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "DIGEST_QUEUE": queue,
        "DIGEST_PLAN_INTERVAL_SECONDS": "1",
        "DIGEST_SWEEP_INTERVAL_SECONDS": "2",
        "DIGEST_CLAIM_TIMEOUT_SECONDS": "4",
        "DIGEST_REENQUEUE_AFTER_SECONDS": "30",
        "DIGEST_BATCH_SIZE": "10",
        "DIGEST_OUTBOX_GRACE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }


def _forget_queue(client: object, queue: str) -> None:
    """Remove the test queue from Redis DB 3: its list, its bindings, a killed worker's unacked messages."""
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
