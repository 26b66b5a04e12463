"""The outbox of tasks to enqueue: a row per task, written in the transaction of the change that calls for it.

The table keeps the name it had when the outbox lived in the digests app (db_table, and the index
names derived from it): moving the model changed no row (migrations 0001 here, digests 0003).
"""

from __future__ import annotations

from django.db import models


class OutboxTask(models.Model):
    """A task to enqueue, written in the transaction of the change that calls for it.

    Dispatched right after commit; if the broker is down, the sweeper dispatches it later. The row
    is done only when a worker has run the task (completed_at), not when the broker accepted it:
    a message lost with Redis's data is dispatched again. Tasks are idempotent, so twice is harmless.
    """

    task = models.CharField(max_length=120)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker runs it now: a second copy of its message (redelivered, dispatched again) waits.
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "digests_outboxtask"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["dispatched_at", "created_at"]),
            models.Index(fields=["completed_at", "dispatched_at"], name="digests_outbox_open"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
