"""Celery adapters: they take ids, call a service, and retry SMTP failures with backoff.

Every task is safe to run twice (the ledger decides what is sent) and acknowledges late, so a
worker killed mid-task leaves its message to be delivered again. Everything reaches the broker as
`outbox_run(row id)` (outbox/tasks.py): a message Redis loses is dispatched again from PostgreSQL.
"""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from digests.delivery import TransientSendError, deliveries_send
from digests.notifications import notification_fan_out
from digests.planner import deliveries_enqueue, digests_plan
from outbox.services import outbox_sweep
from outbox.tasks import RETRIES as _RETRIES
from outbox.tasks import retry_backoff as _backoff


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


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox() -> None:
    """Every minute: what the broker never got or lost, and the ledger rows of dead workers' claims."""
    outbox_sweep()
    # Claims expire after DIGEST_CLAIM_TIMEOUT (kept fresh while a worker lives): recovered here,
    # within about a minute, rather than at the next plan.
    deliveries_enqueue(now=timezone.now())
