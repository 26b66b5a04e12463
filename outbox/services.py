"""Every task goes through here: enqueue after commit, with short broker timeouts; a sweeper retries.

`outbox_enqueue()` writes an OutboxTask row in the caller's transaction and dispatches it to the
broker once that transaction commits. When Redis is down the dispatch fails within
DIGEST_ENQUEUE_TIMEOUT (and, for a while after a failure, is not even tried), the web request
completes, and the row waits for `outbox_sweep()`, which beat runs every minute. On the embedded
default (no broker) the task runs in-process instead.

What is published is `outbox.tasks.outbox_run(row id)`, which runs the row's task and marks the row
completed. A row the broker accepted but no worker completed (Redis restarted empty, a message
lost) is dispatched again after DIGEST_OUTBOX_RETRY_AFTER, so Redis holds nothing that cannot be
rebuilt from PostgreSQL. Nothing else in the project may call `.delay()` or `.apply_async()`
(tests/test_no_bare_delay.py).

A row names its task by dotted path ("agencies.tasks.send_invitation_email"), which is also the
task's Celery name: callers pass the name, so this low app imports none of theirs. The settings
keep the DIGEST_ prefix they had when the outbox lived in the digests app (DIGEST_ENQUEUE_TIMEOUT,
DIGEST_OUTBOX_*, DIGEST_QUEUE): deployments set them by those names.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from celery import Task

# The project's app (taskforce/celery.py, created when Django loads the settings package), reached
# without importing the configuration package, which sits above every app.
from celery import current_app as celery_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from outbox.models import OutboxTask

logger = logging.getLogger(__name__)

RUN_TASK = "outbox.tasks.outbox_run"
Outcome = Literal["completed", "skipped", "failed"]

_waiting = threading.local()
# After a failed dispatch, skip the broker for this long in this process: a page that enqueues
# several tasks while Redis is down waits for one timeout, not one per task.
_BROKER_QUIET_SECONDS = 15.0
_broker_down_until = 0.0


def outbox_enqueue(*, task: str, args: list[Any]) -> OutboxTask:
    """Call inside the transaction of the change; the task is enqueued when it commits."""
    return outbox_enqueue_many(tasks=[(task, args)])[0]


def outbox_enqueue_many(*, tasks: Sequence[tuple[str, list[Any]]]) -> list[OutboxTask]:
    rows = OutboxTask.objects.bulk_create([OutboxTask(task=name, args=list(args)) for name, args in tasks])
    _waiting_ids().extend(row.pk for row in rows)
    transaction.on_commit(_dispatch_waiting)
    return rows


def _waiting_ids() -> list[int]:
    """Ids written in this thread and not dispatched yet.

    A transaction that writes many rows (a CSV import of referrals) registers one callback per
    row, but the first dispatches them all over one broker connection and the others find nothing
    left. Ids of a rolled-back transaction may linger: their rows are gone, and dispatch skips them.
    """
    if not hasattr(_waiting, "ids"):
        _waiting.ids = []
    return _waiting.ids


def _dispatch_waiting() -> None:
    ids = _waiting_ids()
    _waiting.ids = []
    if ids:
        outbox_dispatch(ids=ids)


def outbox_dispatch(*, ids: Sequence[int]) -> int:
    """Enqueue these outbox rows now; returns how many went. Never raises: the sweeper retries."""
    rows = list(OutboxTask.objects.filter(pk__in=ids, dispatched_at__isnull=True))
    if not rows:
        return 0
    OutboxTask.objects.filter(pk__in=[row.pk for row in rows]).update(attempts=F("attempts") + 1)
    if celery_app.conf.task_always_eager:
        return _run_in_process(rows)
    if time.monotonic() < _broker_down_until:
        logger.warning("Broker recently unreachable: %d task(s) left for the outbox sweeper", len(rows))
        return 0
    return _publish(rows)


def _task(name: str) -> Task:
    """Task names are their dotted paths (shared_task's default); importing registers them here too."""
    return import_string(name)


def _run_in_process(rows: list[OutboxTask]) -> int:
    done = 0
    for row in rows:
        if outbox_execute(pk=row.pk) == "completed":
            OutboxTask.objects.filter(pk=row.pk).update(dispatched_at=timezone.now())
            done += 1
    return done


def outbox_execute(*, pk: int) -> Outcome:
    """Run the row's task here and mark it completed: "skipped" if it is done or running elsewhere.

    A message may arrive twice (redelivered after a worker died, or dispatched again by the
    sweeper): the copy that finds the row completed, or started less than DIGEST_OUTBOX_RETRY_AFTER
    ago, does nothing.
    """
    now = timezone.now()
    fresh = Q(started_at__isnull=True) | Q(started_at__lt=now - settings.DIGEST_OUTBOX_RETRY_AFTER)
    if not OutboxTask.objects.filter(fresh, pk=pk, completed_at__isnull=True).update(started_at=now):
        return "skipped"
    row = OutboxTask.objects.get(pk=pk)
    try:
        succeeded = _task(row.task).apply(args=row.args, throw=True).successful()
    except Exception:
        logger.exception("Task %s (outbox row %s) failed; it will be retried", row.task, pk)
        succeeded = False
    if not succeeded:
        OutboxTask.objects.filter(pk=pk).update(started_at=None)
        return "failed"
    OutboxTask.objects.filter(pk=pk).update(completed_at=timezone.now())
    return "completed"


def outbox_postpone(*, pk: int, seconds: float) -> None:
    """A failed row is retried by its message in `seconds`: the sweeper waits that long, plus its margin."""
    OutboxTask.objects.filter(pk=pk).update(dispatched_at=timezone.now() + timedelta(seconds=seconds))


def _publish(rows: list[OutboxTask]) -> int:
    global _broker_down_until
    timeout = settings.DIGEST_ENQUEUE_TIMEOUT
    options: dict[str, Any] = {"queue": settings.DIGEST_QUEUE} if settings.DIGEST_QUEUE else {}
    published: list[int] = []
    run = _task(RUN_TASK)
    try:
        transport = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
        with celery_app.connection_for_write(transport_options=transport) as connection:
            # kombu takes a float of seconds; its stubs say int.
            connection.ensure_connection(max_retries=0, timeout=timeout)  # type: ignore[arg-type]
            for row in rows:
                # `connection` is a documented apply_async option that celery-types leaves out.
                run.apply_async(args=(row.pk,), connection=connection, retry=False, **options)  # type: ignore[call-arg]
                published.append(row.pk)
    except Exception as error:
        _broker_down_until = time.monotonic() + _BROKER_QUIET_SECONDS
        logger.warning(
            "Broker unreachable (%s): %d task(s) left for the outbox sweeper",
            error.__class__.__name__,
            len(rows) - len(published),
        )
    finally:
        if published:
            OutboxTask.objects.filter(pk__in=published).update(dispatched_at=timezone.now())
    return len(published)


def outbox_sweep(*, limit: int = 500) -> int:
    """Dispatch what is still waiting after the grace period, or was lost on the way; forget old rows."""
    global _broker_down_until
    now = timezone.now()
    _forget(now)
    _broker_down_until = 0.0  # the sweeper always tries
    retry_after = now - settings.DIGEST_OUTBOX_RETRY_AFTER
    never_sent = Q(dispatched_at__isnull=True, created_at__lt=now - settings.DIGEST_OUTBOX_GRACE)
    # Accepted by the broker long ago and not run: the message was lost (or the worker died).
    lost = Q(dispatched_at__lt=retry_after) & (Q(started_at__isnull=True) | Q(started_at__lt=retry_after))
    with transaction.atomic():
        # Locked, so that two sweepers (two beats by mistake) do not dispatch the same rows.
        ids = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(never_sent | lost, completed_at__isnull=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            # Dispatched again below: not "dispatched" until the broker takes it.
            OutboxTask.objects.filter(pk__in=ids).update(dispatched_at=None)
        return outbox_dispatch(ids=ids) if ids else 0


def _forget(now: datetime) -> None:
    """Completed rows after DIGEST_OUTBOX_KEEP; a row still failing after that long is given up, loudly."""
    cutoff = now - settings.DIGEST_OUTBOX_KEEP
    OutboxTask.objects.filter(completed_at__lt=cutoff).delete()
    given_up = OutboxTask.objects.filter(
        Q(created_at__lt=cutoff) | Q(dispatched_at__lt=cutoff), completed_at__isnull=True
    )
    for task, count in given_up.values_list("task").annotate(count=Count("pk")).order_by():
        logger.error("Giving up %d outbox task(s) %s that never completed in %s", count, task, cutoff)
    given_up.delete()
