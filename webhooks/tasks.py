"""Celery adapters, enqueued by name through the outbox (webhooks/services.py) and run by beat (the
sweep, taskforce/settings/base.py); nothing imports this module. Both are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from webhooks.delivery import webhook_delivery_attempt
from webhooks.services import webhook_deliveries_enqueue_due, webhook_deliveries_forget


@shared_task(acks_late=True, ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    """One attempt. A failure is not an error of the task: it is recorded, and retried by the sweep."""
    webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_webhook_retries() -> None:
    """Every WEBHOOK_SWEEP_INTERVAL: queue the deliveries whose retry is due; forget old log rows."""
    webhook_deliveries_enqueue_due()
    webhook_deliveries_forget()
