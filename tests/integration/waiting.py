"""Waiting in the integration tests: poll a condition, bounded, rather than sleep a fixed time and hope.

A fixed sleep is too short on a loaded machine (the test passes without having seen what it meant to
see, or fails at random) and too long everywhere else. `wait_until` returns as soon as its condition
holds and fails, saying what it waited for, once its timeout has passed.

"Nothing more may arrive" is a condition too: `digests_settled` holds once the digest machinery has had
its chances to send something twice (more plans recorded, every delivery finished, no message queued
or newly in a worker's hands). The test then counts what arrived.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import redis

from digests.models import Delivery, DeliveryStatus, DigestPlannerState

if TYPE_CHECKING:
    from tests.digests.integration_support import Stack


def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float,
    what: str,
    details: Callable[[], str] | None = None,
    interval: float = 0.05,
) -> None:
    """Return once `condition()` is true; raise AssertionError naming `what` after `timeout` seconds.

    `details` is called only on a timeout (the processes' logs as they are then, not as they were when
    the wait began).
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            extra = f"\n{details()}" if details else ""
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}{extra}")
        time.sleep(interval)


class PlannerRuns:
    """How many times the digest planner has run since this object was made (each run records its time)."""

    def __init__(self) -> None:
        self.seen = {self._last_run()}

    @staticmethod
    def _last_run() -> object:
        return DigestPlannerState.objects.filter(pk=1).values_list("last_run_at", flat=True).first()

    def __call__(self) -> int:
        # Polled far more often than the planner runs (every second at the most), so no run goes unseen;
        # one missed would only make the wait a plan longer.
        self.seen.add(self._last_run())
        return len(self.seen) - 1


def digests_settled(stack: Stack, *, plans: int) -> Callable[[], bool]:
    """A condition: `plans` more plans have run since it was made, no delivery is pending or being sent,
    and the stack's queue holds no message, neither waiting nor newly taken by a worker.

    What a plan, a sweep or a reclaimed claim would send twice is then in the inbox already.
    """
    runs = PlannerRuns()
    broker = redis.Redis.from_url(stack.env["REDIS_URL"])
    open_rows = Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    # A worker killed with SIGKILL leaves the messages it held in kombu's "unacked" hash until Redis's
    # visibility timeout (an hour): those held already are not waited for. Rows being sent are (above).
    held_before = _held(broker, stack.queue)

    def settled() -> bool:
        return (
            runs() >= plans
            and not open_rows.exists()
            and not _waiting(broker, stack.queue)
            and _held(broker, stack.queue) <= held_before
        )

    return settled


def _waiting(broker: redis.Redis, queue: str) -> bool:
    """Whether a message waits in one of the queue's lists (one per priority)."""
    lists = [key for key in broker.scan_iter(match=f"{queue}*") if broker.type(key) == b"list"]
    return any(broker.llen(key) for key in lists)


def _held(broker: redis.Redis, queue: str) -> set[bytes]:
    """The delivery tags of the queue's messages that a worker has taken and not yet acknowledged."""
    return {tag for tag, payload in broker.hgetall("unacked").items() if queue.encode() in payload}
