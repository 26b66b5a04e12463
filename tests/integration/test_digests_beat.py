"""Beat run twice by mistake, and beat stopped across a scheduled time: exactly one digest each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from digests.models import Delivery
from tests.digests.helpers import prefer
from tests.digests.integration_support import smtp, stack  # noqa: F401 - fixtures
from tests.digests.integration_world import at_local, office
from tests.integration.waiting import digests_settled, wait_until

pytestmark = pytest.mark.integration


def test_it_sends_one_digest_each_when_two_beats_and_two_workers_run(smtp, stack):  # noqa: F811
    inbox, _ = smtp
    world = office(officers=30)
    stack.worker(name="worker-a")
    stack.worker(name="worker-b")
    stack.beat(name="beat-a")
    stack.beat(name="beat-b")
    wait_until(lambda: len(inbox.received) >= 30, timeout=120, what="30 digests", details=stack.logs)
    # Both beats keep planning every second: several plans later, nothing more may have arrived.
    wait_until(digests_settled(stack, plans=5), timeout=60, what="5 more plans, all sent", details=stack.logs)
    assert inbox.count_by_recipient() == {person.email: 1 for person in world.officers}
    assert Delivery.objects.filter(kind="digest").count() == 30


def test_it_sends_the_missed_period_once_when_beat_comes_back(smtp, stack, settings):  # noqa: F811
    """Beat (and the workers) run at 06:50 on day D, are down across 07:00 on D, D+1 and D+2, and come back at
    07:20 on D+2. The 07:00 person gets D+2's digest once; D and D+1 are not caught up one by one."""
    inbox, _ = smtp
    stack.env["DIGEST_PLAN_INTERVAL_SECONDS"] = "2"
    world = office(officers=2, hour=7)
    early, late = world.officers
    prefer(early, hour=6)
    day = timezone.now() + timedelta(days=3)  # within the referral's consent (90 days)
    # Steady operation until then: yesterday's digests went out yesterday.
    for person, hour in ((early, 6), (late, 7)):
        yesterday = day - timedelta(days=1)
        Delivery.objects.create(
            person=person,
            kind="digest",
            period=f"daily:{at_local(yesterday, hour)[:10]}",
            scheduled_for=at_local(yesterday, hour),
            window_start=at_local(yesterday - timedelta(days=1), hour),
            window_end=at_local(yesterday, hour),
            status="sent",
        )

    # Day D, 06:50: the 06:00 digest goes out, the 07:00 one is not due yet.
    first_beat = stack.beat(name="beat-d", fake_now=at_local(day, 6, 50))
    first_worker = stack.worker(name="worker-d", fake_now=at_local(day, 6, 50))
    wait_until(lambda: len(inbox.received) >= 1, timeout=120, what="D's 06:00 digest", details=stack.logs)
    # Plans every 2 s: a few later, the 07:00 digest is still not due.
    wait_until(digests_settled(stack, plans=3), timeout=60, what="3 more plans, all sent", details=stack.logs)
    assert inbox.count_by_recipient() == {early.email: 1}
    stack.stop(first_beat)
    stack.stop(first_worker)

    # Down across three 07:00s; back on D+2 at 07:20.
    back = at_local(day + timedelta(days=2), 7, 20)
    stack.beat(name="beat-back", fake_now=back)
    stack.worker(name="worker-back", fake_now=back)
    wait_until(lambda: len(inbox.received) >= 3, timeout=120, what="D+2's digests", details=stack.logs)
    # Several plans later: nothing more (D and D+1 are not caught up).
    wait_until(digests_settled(stack, plans=3), timeout=60, what="3 more plans, all sent", details=stack.logs)
    assert inbox.count_by_recipient() == {early.email: 2, late.email: 1}
    periods = {
        person.email: sorted(Delivery.objects.filter(person=person, kind="digest").values_list("period", flat=True))
        for person in (early, late)
    }
    d0, d2 = at_local(day, 7)[:10], at_local(day + timedelta(days=2), 7)[:10]
    assert periods[early.email][1:] == [f"daily:{d0}", f"daily:{d2}"]
    assert periods[late.email][1:] == [f"daily:{d2}"]
