"""Digest fan-out benchmark: N people's digests through Celery and Redis to a loopback SMTP server,
as a ratio of a single-process loop that renders and sends the same messages over one connection.

    .venv/bin/python benchmarks/digest_fanout.py [--people 5000] [--workers 2] [--batch-size 50]

Needs PostgreSQL and Redis on loopback (see benchmarks/README.md). It creates (and drops at the
end) its own database, uses its own Redis database and queue, and starts its own SMTP server and
workers; every wait is bounded. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Event

    from aiosmtpd.smtp import SMTP, Envelope, Session
    from celery import Celery

ROOT = Path(__file__).resolve().parents[1]
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


# --- The SMTP server: its own process, so that it costs the same in both runs ------------------


def _serve_smtp(port: int, ready: Event, stop: Event, results: Queue[tuple[str, Any]]) -> None:
    from aiosmtpd.controller import Controller

    counts: dict[str, int] = {}

    class Counter:
        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            for address in envelope.rcpt_tos:
                counts[address] = counts.get(address, 0) + 1
            results.put(("tick", 1))
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    ready.set()
    stop.wait(timeout=3600)
    controller.stop()
    results.put(("counts", counts))


class SMTPServer:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.port = _free_port()
        self.ready, self.stop_event, self.results = context.Event(), context.Event(), context.Queue()
        self.received = 0
        self.process = context.Process(
            target=_serve_smtp, args=(self.port, self.ready, self.stop_event, self.results), daemon=True
        )

    def __enter__(self) -> SMTPServer:
        self.process.start()
        if not self.ready.wait(timeout=30):
            raise RuntimeError("the SMTP server did not start")
        return self

    def wait_for(self, count: int, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.received < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"only {self.received} of {count} messages arrived within {timeout:.0f} s")
            try:
                kind, value = self.results.get(timeout=min(remaining, 1.0))
            except Empty:
                continue
            if kind == "tick":
                self.received += value

    def counts(self) -> dict[str, int]:
        self.stop_event.set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            kind, value = self.results.get(timeout=30)
            if kind == "counts":
                return value
            self.received += value
        raise RuntimeError("the SMTP server did not report")

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Setup --------------------------------------------------------------------------------


def _configure(args: argparse.Namespace, *, smtp_port: int, queue: str, var_dir: str) -> dict[str, str]:
    env = {
        # Production settings (DEBUG off, as deployed), on loopback services.
        "DJANGO_SETTINGS_MODULE": "taskforce.settings.production",
        "SECRET_KEY": "benchmark-only-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "PORTAL_VAR_DIR": var_dir,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DIGEST_QUEUE": queue,
        "DIGEST_BATCH_SIZE": str(args.batch_size),
        # Beat is not used: the benchmark sends one plan task itself.
        "DIGEST_REENQUEUE_AFTER_SECONDS": "3600",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(url: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _seed(people: int) -> None:
    """`people` referral officers in 50 agencies, each agency with referrals waiting, all due now."""
    from django.contrib.auth.hashers import make_password

    from agencies.models import Agency, User
    from cases.models import Referral, TimelineEvent
    from digests.models import DigestPlannerState, DigestPreference
    from tests.cases.referral_helpers import facts

    agencies = Agency.objects.bulk_create(
        [Agency(name=f"Bench Agency {n:02d}", sector="victim_services", county="Juniper County") for n in range(50)]
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"person{n:05d}@bench.example.org",
                first_name="Bench",
                last_name=f"Person {n}",
                agency=agencies[n % len(agencies)],
                role="referral_officer",
                password=password,
                date_joined=LONG_AGO,
            )
            for n in range(people)
        ],
        batch_size=1000,
    )
    hour = datetime.now(UTC).astimezone(_zone()).hour
    DigestPreference.objects.bulk_create(
        [
            DigestPreference(person=user, frequency="daily", hour=hour, weekday=0, schedule_changed_at=LONG_AGO)
            for user in users
        ],
        batch_size=1000,
    )
    senders = {agency.pk: user for user, agency in zip(users, agencies, strict=False)}
    referrals = []
    for index, agency in enumerate(agencies):
        sender_agency = agencies[(index + 1) % len(agencies)]
        for n in range(3):
            code = f"BEN-2026-{index * 10 + n:05d}"
            values = {key: value for key, value in facts().items() if key != "note"}
            referrals.append(
                Referral(
                    reference_code=code,
                    sending_agency=sender_agency,
                    receiving_agency=agency,
                    sent_by=senders[sender_agency.pk],
                    **values,
                )
            )
    created = Referral.objects.bulk_create(referrals)
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(referral=r, actor=r.sent_by, agency=r.sending_agency, move="send", to_status="sent")
            for r in created
        ]
    )
    DigestPlannerState.objects.update_or_create(pk=1, defaults={"first_run_at": LONG_AGO, "last_run_at": LONG_AGO})


def _zone() -> tzinfo:
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


# --- The two runs ---------------------------------------------------------------------------


def baseline(people: int) -> float:
    """One process: for each person, compute the sections, render, send; one SMTP connection."""
    from django.core.mail import get_connection
    from django.utils import timezone

    from agencies.models import User
    from digests.rendering import digest_message
    from digests.sections import DigestWindow, digest_sections_build

    persons = list(User.objects.select_related("agency").filter(email__endswith="@bench.example.org"))
    now = timezone.now()
    window = DigestWindow(start=now - timedelta(days=1), end=now, now=now)
    with SMTPServer() as server:
        os.environ["EMAIL_PORT"] = str(server.port)
        from django.conf import settings

        settings.EMAIL_PORT = server.port
        started = time.perf_counter()
        connection = get_connection()
        connection.open()
        for person in persons:
            sections = digest_sections_build(person=person, window=window)
            connection.send_messages(
                [digest_message(person=person, sections=sections, window=window, frequency="daily")]
            )
        connection.close()
        server.wait_for(people, timeout=600)
        elapsed = time.perf_counter() - started
    return elapsed


def through_celery(people: int, workers: int, env: dict[str, str], log_dir: Path) -> tuple[float, dict[str, int]]:
    """N worker processes; one plan task through Redis; until the SMTP server has every digest."""
    from digests.models import Delivery
    from taskforce.celery import app

    with SMTPServer() as server:
        env = {**os.environ, **env, "EMAIL_PORT": str(server.port)}
        processes = []
        try:
            for n in range(workers):
                command = [sys.executable, "-m", "celery", "-A", "taskforce", "worker", "--pool", "solo"]
                command += ["-Q", env["DIGEST_QUEUE"], "-n", f"bench{n}-{env['DIGEST_QUEUE']}@%h"]
                command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
                log = (log_dir / f"worker{n}.log").open("wb")
                processes.append(
                    subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
                )
            _wait_for_workers(app, workers, env["DIGEST_QUEUE"])
            started = time.perf_counter()
            app.send_task("digests.tasks.plan_digests", queue=env["DIGEST_QUEUE"])
            server.wait_for(people, timeout=900)
            elapsed = time.perf_counter() - started
            counts = server.counts()
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    statuses = dict.fromkeys(Delivery.objects.values_list("status", flat=True).distinct(), 0)
    for status in statuses:
        statuses[status] = Delivery.objects.filter(status=status).count()
    return elapsed, {"recipients": len(counts), "max_per_recipient": max(counts.values()), **statuses}


def _wait_for_workers(app: Celery, workers: int, queue: str) -> None:
    names = {f"bench{n}-{queue}" for n in range(workers)}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []  # None only when asked not to wait for replies
        seen = {name.split("@")[0] for reply in replies for name in reply}
        if names <= seen:
            return
    raise RuntimeError("the workers did not start within 120 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/taskforce_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--rounds", type=int, default=3, help="loop and Celery runs, alternated; the median ratio")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    queue = f"digests-bench-{uuid.uuid4().hex[:6]}"
    var_dir = tempfile.mkdtemp(prefix="digest-bench-")
    env = _configure(args, smtp_port=0, queue=queue, var_dir=var_dir)
    _create_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    loops: list[float] = []
    runs: list[float] = []
    checks: list[dict[str, int]] = []
    try:
        call_command("migrate", verbosity=0)
        _seed(args.people)
        # Alternate the two, so that a neighbour's load on a shared machine hits both alike.
        for _ in range(args.rounds):
            loops.append(baseline(args.people))
            _reset_ledger()
            seconds, check = through_celery(args.people, args.workers, env, Path(var_dir))
            runs.append(seconds)
            checks.append(check)
    finally:
        import redis

        client = redis.Redis.from_url(args.redis_url)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
        if not args.keep_database:
            _drop_database(args.database_url)
    ratios = [loop / run for loop, run in zip(loops, runs, strict=True)]
    result = {
        "people": args.people,
        "workers": args.workers,
        "batch_size": args.batch_size,
        "cpus": os.cpu_count(),
        "rounds": args.rounds,
        "single_process_loop_per_second": [round(args.people / seconds, 1) for seconds in loops],
        "celery_redis_per_second": [round(args.people / seconds, 1) for seconds in runs],
        "ratio_per_round": [round(ratio, 2) for ratio in ratios],
        "ratio_median": round(statistics.median(ratios), 2),
        "checks": checks,
    }
    print(json.dumps(result, indent=2))
    ok = all(check["recipients"] == args.people and check["max_per_recipient"] == 1 for check in checks)
    return 0 if ok else 1


def _reset_ledger() -> None:
    from digests.models import Delivery
    from outbox.models import OutboxTask

    Delivery.objects.all().delete()
    OutboxTask.objects.all().delete()


if __name__ == "__main__":
    sys.exit(main())
