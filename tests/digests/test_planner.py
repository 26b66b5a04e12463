"""Planning: one ledger row per person and period, at their hour, catching up only the latest missed period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.roles import Role
from digests.models import Delivery, DeliveryStatus, DigestPlannerState, TaskForceDigestDefaults
from digests.planner import deliveries_enqueue, digests_plan
from outbox.models import OutboxTask
from tests.digests.helpers import LONG_AGO, digest_rows, prefer
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("planner_history")]

# Saturday 2026-11-21, 13:30 UTC = 07:30 in Chicago (CST), 22:30 in Tokyo.
SATURDAY_0730 = datetime(2026, 11, 21, 13, 30, tzinfo=UTC)


def test_it_plans_one_row_per_person_and_period_however_often_it_runs(member):
    prefer(member, hour=7)
    for minutes in (0, 5, 10, 240):
        digests_plan(now=SATURDAY_0730 + timedelta(minutes=minutes))
    rows = digest_rows(member)
    assert [row.period for row in rows] == ["daily:2026-11-21"]
    assert rows[0].scheduled_for == datetime(2026, 11, 21, 13, 0, tzinfo=UTC)


def test_it_waits_for_each_persons_hour_in_their_time_zone(member, colleague, officer):
    prefer(member, hour=7)  # the task force's zone, America/Chicago: 07:00 has passed
    prefer(colleague, hour=8)  # 08:00 in Chicago: not yet
    prefer(officer, hour=23, time_zone="Asia/Tokyo")  # 23:00 in Tokyo: not yet (22:30 there)
    today = "daily:2026-11-21"
    digests_plan(now=SATURDAY_0730)
    assert [row.person_id for row in digest_rows() if row.period == today] == [member.pk]
    digests_plan(now=SATURDAY_0730 + timedelta(hours=1))
    planned = sorted(row.person_id for row in digest_rows() if row.period == today)
    assert planned == sorted([member.pk, colleague.pk, officer.pk])


def test_it_catches_up_only_the_most_recent_period_missed_while_beat_was_down(member):
    prefer(member, hour=7)
    digests_plan(now=SATURDAY_0730 - timedelta(days=3))
    # Beat is down for three days, across three 07:00s; it comes back at 10:00 on Saturday.
    digests_plan(now=SATURDAY_0730 + timedelta(hours=2, minutes=30))
    digests_plan(now=SATURDAY_0730 + timedelta(hours=2, minutes=35))
    assert [row.period for row in digest_rows(member)] == ["daily:2026-11-18", "daily:2026-11-21"]


def test_it_supersedes_an_older_digest_that_was_never_sent(member):
    prefer(member, hour=7)
    digests_plan(now=SATURDAY_0730 - timedelta(days=1))
    digests_plan(now=SATURDAY_0730)  # workers were down: yesterday's is still pending
    old, new = digest_rows(member)
    assert (old.status, old.detail) == (DeliveryStatus.SKIPPED, "superseded")
    assert new.status == DeliveryStatus.PENDING
    # The new digest counts the changes the superseded one would have told, too.
    assert new.window_start == old.window_start == old.scheduled_for - timedelta(days=1)


def test_it_counts_changes_since_the_last_digest(member):
    prefer(member, hour=7)
    digests_plan(now=SATURDAY_0730 - timedelta(days=2))
    Delivery.objects.update(status=DeliveryStatus.SENT)
    digests_plan(now=SATURDAY_0730)
    first, second = digest_rows(member)
    assert second.window_start == first.window_end == first.scheduled_for
    assert second.window_end == second.scheduled_for


def test_it_does_not_catch_up_a_period_from_before_the_person_chose_their_schedule(member):
    prefer(member, hour=7, changed_at=SATURDAY_0730 - timedelta(minutes=10))  # chose 07:00 at 07:20
    digests_plan(now=SATURDAY_0730)
    assert digest_rows(member) == []
    digests_plan(now=SATURDAY_0730 + timedelta(days=1))
    assert [row.period for row in digest_rows(member)] == ["daily:2026-11-22"]


def test_it_follows_the_task_force_defaults_for_people_who_never_chose(member):
    member.date_joined = LONG_AGO
    member.save()
    defaults = TaskForceDigestDefaults.current()
    defaults.frequency, defaults.weekday, defaults.hour = "weekly", 5, 6  # Saturday 06:00
    defaults.save()
    digests_plan(now=SATURDAY_0730)
    assert [row.period for row in digest_rows(member)] == ["weekly:2026-W47"]


def test_it_plans_nothing_for_never_for_deactivated_people_or_inactive_agencies(member, colleague, outsider):
    prefer(member, frequency="never")
    prefer(colleague)
    prefer(outsider)
    colleague.is_active = False
    colleague.save()
    outsider.agency.is_active = False
    outsider.agency.save()
    digests_plan(now=SATURDAY_0730)
    assert digest_rows() == []


def test_it_plans_once_when_an_hour_happens_twice(member):
    prefer(member, hour=1)
    digests_plan(now=datetime(2026, 11, 1, 6, 30, tzinfo=UTC))  # 01:30 CDT
    digests_plan(now=datetime(2026, 11, 1, 7, 30, tzinfo=UTC))  # 01:30 CST, an hour later
    assert [row.period for row in digest_rows(member)] == ["daily:2026-11-01"]


def test_it_plans_at_the_end_of_the_gap_when_the_hour_does_not_exist(member):
    prefer(member, hour=2)
    digests_plan(now=datetime(2026, 3, 8, 7, 59, tzinfo=UTC))  # 01:59 CST
    assert [row.period for row in digest_rows(member)] == ["daily:2026-03-07"]
    digests_plan(now=datetime(2026, 3, 8, 8, 0, tzinfo=UTC))  # 03:00 CDT
    assert [row.period for row in digest_rows(member)] == ["daily:2026-03-07", "daily:2026-03-08"]


def test_it_enqueues_rows_in_batches_through_the_outbox(member, settings):
    settings.DIGEST_BATCH_SIZE = 2
    people = [prefer(UserFactory(agency=member.agency, role=Role.MEMBER)) for _ in range(5)]
    digests_plan(now=SATURDAY_0730)
    batches = [row.args[0] for row in OutboxTask.objects.filter(task="digests.tasks.send_deliveries")]
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert sorted(pk for batch in batches for pk in batch) == sorted(row.pk for row in digest_rows())
    assert len(people) == 5


def test_it_enqueues_a_row_once_until_it_is_overdue(member, settings):
    prefer(member)
    digests_plan(now=SATURDAY_0730)
    assert deliveries_enqueue(now=SATURDAY_0730 + timedelta(minutes=5)) == 0
    later = SATURDAY_0730 + settings.DIGEST_REENQUEUE_AFTER + timedelta(seconds=1)
    assert deliveries_enqueue(now=later) == 1  # its task was lost (a broker restart): enqueue it again


def test_it_enqueues_a_dead_workers_claim_again_but_not_a_live_one(member, colleague, settings):
    prefer(member)
    prefer(colleague)
    digests_plan(now=SATURDAY_0730)
    dead, live = digest_rows(member)[0], digest_rows(colleague)[0]
    timeout = settings.DIGEST_CLAIM_TIMEOUT
    Delivery.objects.filter(pk=dead.pk).update(status="sending", claimed_at=SATURDAY_0730 - timeout)
    Delivery.objects.filter(pk=live.pk).update(status="sending", claimed_at=SATURDAY_0730 + timeout)
    assert list(OutboxTask.objects.values_list("args", flat=True))[-1] == [[dead.pk, live.pk]]
    with time_machine.travel(SATURDAY_0730 + timeout + timedelta(seconds=1), tick=False):
        assert deliveries_enqueue(now=timezone.now()) == 1
    assert list(OutboxTask.objects.values_list("args", flat=True))[-1] == [[dead.pk]]


def test_it_does_not_flood_everyone_with_a_catch_up_on_its_first_run_ever(member):
    DigestPlannerState.objects.all().delete()
    prefer(member, hour=7)
    digests_plan(now=SATURDAY_0730)  # deployed at 07:30: today's 07:00 was before the planner existed
    assert digest_rows(member) == []
    digests_plan(now=SATURDAY_0730 + timedelta(days=1))
    assert [row.period for row in digest_rows(member)] == ["daily:2026-11-22"]


def test_it_plans_with_the_same_number_of_queries_for_1_and_40_people(member):
    TaskForceDigestDefaults.current()
    prefer(member)
    with CaptureQueriesContext(connection) as one:
        digests_plan(now=SATURDAY_0730)
    Delivery.objects.all().delete()
    OutboxTask.objects.all().delete()
    for _ in range(39):
        prefer(UserFactory(agency=member.agency, role=Role.MEMBER))
    with CaptureQueriesContext(connection) as forty:
        digests_plan(now=SATURDAY_0730)
    assert len(digest_rows()) == 40
    assert len(forty) == len(one)


def test_it_counts_only_the_rows_it_inserted_when_another_planner_races_it(member, colleague, monkeypatch):
    """Another planner inserts the same rows between our check and our insert: we inserted none."""
    import digests.planner as planner

    prefer(member)
    prefer(colleague)
    real_histories = planner.digest_histories
    others: list[int] = []

    def another_planner_first(person_ids: list[int]) -> dict:
        if not others:
            others.append(-1)
            others[0] = digests_plan(now=SATURDAY_0730).created
        return real_histories(person_ids)

    monkeypatch.setattr(planner, "digest_histories", another_planner_first)
    report = digests_plan(now=SATURDAY_0730)
    assert others == [2]
    assert report.created == 0
    assert len(digest_rows()) == 2
