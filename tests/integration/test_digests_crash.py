"""A worker killed with SIGKILL in the middle of a run: every person still gets exactly one digest."""

from __future__ import annotations

import signal

import pytest

from digests.models import Delivery
from tests.digests.integration_support import smtp, stack  # noqa: F401 - fixtures
from tests.digests.integration_world import office
from tests.integration.waiting import digests_settled, wait_until

pytestmark = pytest.mark.integration

PEOPLE = 45


def test_it_sends_everyone_exactly_one_digest_when_a_worker_is_killed_mid_run(smtp, stack):  # noqa: F811
    """Worker A is killed while it talks to the SMTP server about the 13th message (its second batch of ten).

    It holds a claimed batch ("sending") and the row of that message in an open transaction; the
    message was not accepted (the server held it at RCPT TO). Worker B must send the rest, and
    nothing twice: the rows A sent stay sent, the rows it claimed are reclaimed after the timeout.
    """
    inbox, _ = smtp
    world = office(officers=PEOPLE, referrals=1)
    inbox.hold_at = 13
    worker_a = stack.worker(name="worker-a")
    stack.beat()
    wait_until(inbox.holding.is_set, timeout=120, what="the 13th message", details=stack.logs)
    assert len(inbox.received) == 12
    assert Delivery.objects.filter(kind="digest", status="sending").exists()
    stack.stop(worker_a, sig=signal.SIGKILL)
    inbox.release.set()
    stack.worker(name="worker-b")
    wait_until(lambda: len(inbox.received) >= PEOPLE, timeout=90, what=f"{PEOPLE} digests", details=stack.logs)
    # Beat still planning (each plan reclaims expired claims), every row finished: nothing more may arrive.
    wait_until(digests_settled(stack, plans=5), timeout=60, what="5 more plans, all sent", details=stack.logs)
    assert inbox.count_by_recipient() == {person.email: 1 for person in world.officers}
    rows = Delivery.objects.filter(kind="digest")
    assert rows.count() == PEOPLE
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert rows.filter(attempts=2).count() >= 1  # the reclaimed ones
