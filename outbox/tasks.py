"""The one task the outbox publishes: run a row's task here, retrying with backoff through the broker."""

from __future__ import annotations

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

from outbox.services import outbox_execute, outbox_postpone

RETRIES = 5


def retry_backoff(retries: int) -> int:
    """30 s, 60 s, 120 s... up to 30 minutes, with full jitter so that retries do not stampede."""
    return get_exponential_backoff_interval(factor=30, retries=retries, maximum=1800, full_jitter=True)


def _run(task: Task, outbox_id: int) -> None:
    if outbox_execute(pk=outbox_id) == "failed" and task.request.retries < RETRIES:
        countdown = retry_backoff(task.request.retries)
        outbox_postpone(pk=outbox_id, seconds=countdown)
        raise task.retry(countdown=countdown)


@shared_task(bind=True, acks_late=True, max_retries=RETRIES, ignore_result=True)
def outbox_run(self: Task, outbox_id: int) -> None:
    """What the outbox publishes: run one row's task; on failure, retry with backoff through the broker
    (and if that message is lost too, the sweeper dispatches the row again)."""
    _run(self, outbox_id)


@shared_task(bind=True, acks_late=True, max_retries=RETRIES, ignore_result=True, name="digests.tasks.outbox_run")
def outbox_run_published_by_digests(self: Task, outbox_id: int) -> None:
    """The name `outbox_run` had while the outbox lived in the digests app. Messages published under it
    before a deploy (and their retries) may still sit in Redis: a worker that did not know the name
    would drop them, and their rows would wait DIGEST_OUTBOX_RETRY_AFTER for the sweeper. Remove once
    every worker and queue runs this version."""
    _run(self, outbox_id)
