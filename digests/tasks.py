"""Celery adapters: they take ids, call a service, and retry SMTP failures with backoff.

Every task is safe to run twice (the ledger decides what is sent) and acknowledges late, so a
worker killed mid-task leaves its message to be delivered again. Everything reaches the broker as
`outbox_run(row id)` (digests/outbox.py): a message Redis loses is dispatched again from PostgreSQL.
"""

from __future__ import annotations

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.utils import timezone

from digests.delivery import TransientSendError, deliveries_send
from digests.notifications import notification_fan_out
from digests.outbox import outbox_execute, outbox_postpone, outbox_sweep
from digests.planner import deliveries_enqueue, digests_plan

_RETRIES = 5


def _backoff(retries: int) -> int:
    """30 s, 60 s, 120 s... up to 30 minutes, with full jitter so that retries do not stampede."""
    return get_exponential_backoff_interval(factor=30, retries=retries, maximum=1800, full_jitter=True)


def _retry(task: Task, error: TransientSendError) -> Exception:
    if task.request.is_eager:
        # In-process (the embedded default): no broker to retry through. The outbox keeps the
        # task for the sweeper, and the released rows are enqueued again by the planner.
        return error
    return task.retry(exc=error, countdown=_backoff(task.request.retries))


@shared_task(bind=True, acks_late=True, max_retries=_RETRIES, ignore_result=True)
def send_deliveries(self: Task, delivery_ids: list[int]) -> None:
    try:
        deliveries_send(ids=delivery_ids)
    except TransientSendError as error:
        raise _retry(self, error) from None


@shared_task(bind=True, acks_late=True, max_retries=_RETRIES, ignore_result=True)
def notify(self: Task, kind: str, target_id: int) -> None:
    try:
        deliveries_send(ids=notification_fan_out(kind=kind, target_id=target_id, now=timezone.now()))
    except TransientSendError as error:
        raise _retry(self, error) from None


@shared_task(acks_late=True, ignore_result=True)
def plan_digests() -> None:
    digests_plan()


@shared_task(bind=True, acks_late=True, max_retries=_RETRIES, ignore_result=True)
def outbox_run(self: Task, outbox_id: int) -> None:
    """What the outbox publishes: run one row's task; on failure, retry with backoff through the broker
    (and if that message is lost too, the sweeper dispatches the row again)."""
    if outbox_execute(pk=outbox_id) == "failed" and self.request.retries < _RETRIES:
        countdown = _backoff(self.request.retries)
        outbox_postpone(pk=outbox_id, seconds=countdown)
        raise self.retry(countdown=countdown)


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox() -> None:
    """Every minute: what the broker never got or lost, and the ledger rows of dead workers' claims."""
    outbox_sweep()
    # Claims expire after DIGEST_CLAIM_TIMEOUT (kept fresh while a worker lives): recovered here,
    # within about a minute, rather than at the next plan.
    deliveries_enqueue(now=timezone.now())
