"""Celery adapters: ids in, a service call, retries. Services enqueue them by name through the outbox
(outbox/services.py) and never import this module; it imports the services."""

from __future__ import annotations

import logging
from uuid import UUID

from celery import shared_task
from django.db import DatabaseError

from reports import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=15)
def export_prepare_task(self: object, job_id: str) -> None:
    try:
        services.export_prepare(job_id=UUID(job_id))
    except DatabaseError as error:
        if self.request.retries < self.max_retries:  # type: ignore[attr-defined]
            raise self.retry(exc=error) from error  # type: ignore[attr-defined]
        logger.exception("export %s failed after retries", job_id)
        services.export_fail(job_id=UUID(job_id))
    except Exception:
        # The job says so to the person waiting; raising would only turn an in-process (eager)
        # run into a server error page. The traceback goes to the log.
        logger.exception("export %s failed", job_id)
        services.export_fail(job_id=UUID(job_id))


@shared_task
def exports_purge_expired() -> int:
    return services.exports_purge_expired()
