"""A 20,000-row CSV import on PostgreSQL: its time and memory, and how long a referral sent meanwhile waits.

The import takes its reference numbers as one block in a short transaction of its own, so a
referral sent by the same agency while the import writes (the same prefix and year sequence)
does not queue behind it. The figures are printed (pytest -s) for the issue's note.

Bounded for CI: 2,000 rows by default; IMPORT_BENCH_ROWS=20000 for the issue's figure, and
IMPORT_BENCH_TRACEMALLOC=1 to trace Python allocations too (it slows the import several times).
"""

from __future__ import annotations

import os
import resource
import threading
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from agencies.roles import Role
from cases.imports import referrals_import_csv
from cases.models import ReferenceSequence, Referral
from cases.services import referral_send
from taskforce.celery import app as celery_app
from tests.cases.referral_helpers import DEFAULT_NEEDS, facts, valid_consent
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROWS = int(os.environ.get("IMPORT_BENCH_ROWS", "2000"))
TRACE = os.environ.get("IMPORT_BENCH_TRACEMALLOC") == "1"
HEADER = (
    "receiving_agency,urgency,trafficking_type,victim_status,age_band,gender,citizenship,county,language,"
    "interpreter_needed,source_type,needs,note,consent_method,consent_given_on,consent_scope,consent_expires_on\n"
)


def _write_csv(path: Path, receiver: str) -> None:
    given = timezone.localdate()
    row = (
        f"{receiver},routine,labor,potential,25_59,man,unknown,Juniper County,es,yes,hotline,"
        f"shelter;legal,Prefers afternoon calls.,written,{given},facts,{given + timedelta(days=60)}\n"
    )
    path.write_text(HEADER + row * ROWS, encoding="utf-8")


class Sender(threading.Thread):
    """Sends referrals one at a time while the import writes, and records how long each took."""

    def __init__(self, *, actor, receiver, prefix: str, started: threading.Event) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True)
        self.actor, self.receiver, self.prefix, self.started = actor, receiver, prefix, started
        self.waits: list[float] = []
        self.codes: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            self.started.wait(120)
            while not self.stop.is_set() and len(self.waits) < 20:
                began = time.perf_counter()
                referral = referral_send(
                    actor=self.actor,
                    receiving_agency=self.receiver,
                    facts=facts(),
                    needs=DEFAULT_NEEDS,
                    consent=valid_consent(),
                )
                self.waits.append(time.perf_counter() - began)
                self.codes.append(referral.reference_code)
                self.stop.wait(0.5)
        finally:
            connections.close_all()


def _watch_for_the_write(prefix: str, started: threading.Event, done: threading.Event) -> None:
    """Sets `started` once the import has reserved its block, that is when its long write begins."""
    try:
        while not done.is_set():
            if ReferenceSequence.objects.filter(prefix=prefix, last__gte=ROWS).exists():
                started.set()
                return
            done.wait(0.05)  # the polling interval; returns at once when the import ends
    finally:
        connections.close_all()


def test_a_referral_sent_during_a_large_import_waits_less_than_a_second(tmp_path):
    assert connection.vendor == "postgresql"
    sender_agency = AgencyFactory(name="Safe Harbor Import Center", referral_prefix="IMP")
    receiver = AgencyFactory(name="Import Receiving Clinic")
    importer = UserFactory(agency=sender_agency, role=Role.REFERRAL_OFFICER, email="importer@test.example.org")
    colleague = UserFactory(agency=sender_agency, role=Role.REFERRAL_OFFICER, email="sender@test.example.org")
    UserFactory(agency=receiver, role=Role.REFERRAL_OFFICER, email="receiver@test.example.org")
    path = tmp_path / "referrals.csv"
    _write_csv(path, receiver.name)

    started, done = threading.Event(), threading.Event()
    sender = Sender(actor=colleague, receiver=receiver, prefix="IMP", started=started)
    watcher = threading.Thread(target=_watch_for_the_write, args=("IMP", started, done), daemon=True)
    queue = f"import-test-{uuid.uuid4().hex[:8]}"
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    # As in production: the outbox publishes to Redis after commit (not 20,000 tasks run in-process).
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, os.environ["REDIS_URL"]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if TRACE:
        tracemalloc.start()
    try:
        sender.start()
        watcher.start()
        began = time.perf_counter()
        with override_settings(DIGEST_QUEUE=queue), path.open("rb") as stream:
            report = referrals_import_csv(actor=importer, stream=stream)
        elapsed = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory() if TRACE else (0, 0)
    finally:
        tracemalloc.stop()
        done.set()
        sender.stop.set()
        started.set()
        sender.join(120)
        watcher.join(10)
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, broker
        redis.Redis.from_url(os.environ["REDIS_URL"]).delete(queue)
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before

    print(  # the figures for the note
        f"\nimport of {ROWS} rows: {elapsed:.1f} s, peak traced memory {peak / 2**20:.1f} MiB (0: not traced), "
        f"peak RSS growth {rss_growth / 1024:.1f} MiB; {len(sender.waits)} referral(s) sent meanwhile, "
        f"waits {', '.join(f'{w:.3f}' for w in sender.waits)} s (max {max(sender.waits, default=0):.3f} s)"
    )
    assert report.errors == [] and len(report.created) == ROWS
    assert sender.waits, "no referral was sent while the import wrote"
    assert max(sender.waits) < 1.0
    assert Referral.objects.filter(sending_agency=sender_agency).count() == ROWS + len(sender.waits)
    # The concurrent sends took numbers after the import's block, none inside it.
    assert all(int(code.rsplit("-", 1)[1]) > ROWS for code in sender.codes)
    assert rss_growth < 100 * 1024  # KiB: the rows are streamed, not held (190 MB before, for 20,000 rows)
