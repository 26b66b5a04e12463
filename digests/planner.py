"""Which digests are due: beat runs `digests_plan()` every few minutes (or `manage.py digests_run`).

For each active person, the most recent scheduled instant at or before now names a period. If the
ledger has no row for it, one is inserted (ON CONFLICT DO NOTHING: two planners, from two beats by
mistake, insert it once, and each counts only what it inserted). Because only the MOST RECENT period
is considered, a planner that was down across several scheduled times sends the latest missed one,
once, on its first run back; older pending rows of the same person are skipped as superseded. Then
the rows waiting to be sent (new ones, old ones whose task was lost, a killed worker's stale claims)
are enqueued in batches through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.constants import OnConflict
from django.utils import timezone

from agencies.models import User
from digests.models import (
    DIGEST_KIND,
    Delivery,
    DeliveryStatus,
    DigestPlannerState,
    Frequency,
    TaskForceDigestDefaults,
)
from digests.schedule import Schedule, most_recent_due, zone
from digests.selectors import digest_histories, window_start
from outbox.services import outbox_enqueue_many

SEND_TASK = "digests.tasks.send_deliveries"
_CHUNK = 500


@dataclass(frozen=True)
class PlanReport:
    created: int
    superseded: int
    enqueued: int


@dataclass(frozen=True)
class _Due:
    person_id: int
    period: str
    at: datetime
    frequency: str


def digests_plan(*, now: datetime | None = None) -> PlanReport:
    now = now or timezone.now()
    state = _planner_ran(now)
    due = _due_people(now, not_before=state.first_run_at)
    created = _insert(due, now)
    superseded = _supersede()
    enqueued = deliveries_enqueue(now=now)
    return PlanReport(created=created, superseded=superseded, enqueued=enqueued)


def _planner_ran(now: datetime) -> DigestPlannerState:
    state, created = DigestPlannerState.objects.get_or_create(pk=1, defaults={"first_run_at": now, "last_run_at": now})
    if not created:
        DigestPlannerState.objects.filter(pk=1).update(last_run_at=now)
    return state


def _due_people(now: datetime, *, not_before: datetime) -> list[_Due]:
    defaults = TaskForceDigestDefaults.current()
    people = User.objects.filter(is_active=True, agency__is_active=True).values_list(
        "pk",
        "time_zone",
        "date_joined",
        "digest_preference__frequency",
        "digest_preference__weekday",
        "digest_preference__hour",
        "digest_preference__schedule_changed_at",
    )
    due = []
    for pk, tz, joined, frequency, weekday, hour, changed_at in people.iterator(chunk_size=2000):
        if frequency is None:  # no preference row: the task-force defaults
            frequency, weekday, hour = defaults.frequency, defaults.weekday, defaults.hour
        found = most_recent_due(Schedule(frequency=frequency, weekday=weekday, hour=hour, tz=zone(tz)), now)
        # A period scheduled before the person joined, before they last changed their schedule, or
        # before the planner ever ran, is not caught up: choosing 07:00 at 10:00 does not send at once.
        if found is not None and found.at >= max(joined, changed_at or joined, not_before):
            due.append(_Due(person_id=pk, period=found.period, at=found.at, frequency=frequency))
    return due


def _insert(due: list[_Due], now: datetime) -> int:
    periods = {item.period for item in due}
    existing = set(
        Delivery.objects.filter(kind=DIGEST_KIND, period__in=periods).values_list("person_id", "period").iterator()
    )
    missing = [item for item in due if (item.person_id, item.period) not in existing]
    created = 0
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start : start + _CHUNK]
        histories = digest_histories([item.person_id for item in chunk])
        rows = [
            Delivery(
                person_id=item.person_id,
                kind=DIGEST_KIND,
                period=item.period,
                scheduled_for=item.at,
                window_start=window_start(
                    history=histories.get(item.person_id), end=item.at, frequency=Frequency(item.frequency)
                ),
                window_end=item.at,
            )
            for item in chunk
        ]
        created += _insert_new(rows)
    return created


def _insert_new(rows: list[Delivery]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: another planner may have inserted some of
    these meanwhile, and only the rows this one inserted come back (bulk_create with
    ignore_conflicts returns every row it was given, inserted or not)."""
    fields = [field for field in Delivery._meta.concrete_fields if not field.primary_key]
    # _insert is the private manager method bulk_create is built on; django-stubs do not declare it.
    returned = Delivery.objects._insert(  # type: ignore[attr-defined]
        rows, fields=fields, returning_fields=[Delivery._meta.pk], on_conflict=OnConflict.IGNORE
    )
    return sum(1 for row in returned if row)


def _supersede() -> int:
    """A pending digest with a newer one for the same person is not sent: only the latest period is."""
    newer = Delivery.objects.filter(
        person_id=OuterRef("person_id"), kind=DIGEST_KIND, scheduled_for__gt=OuterRef("scheduled_for")
    )
    return Delivery.objects.filter(Exists(newer), kind=DIGEST_KIND, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, detail="superseded"
    )


def deliveries_enqueue(*, now: datetime, limit: int = 20_000) -> int:
    """Enqueue, in batches, the rows nobody is working on: new, lost, or a dead worker's claims."""
    stale = now - settings.DIGEST_REENQUEUE_AFTER
    waiting = Q(status=DeliveryStatus.PENDING) & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - settings.DIGEST_CLAIM_TIMEOUT) & (
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - settings.DIGEST_CLAIM_TIMEOUT)
    )
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(waiting | abandoned)
            .order_by("scheduled_for", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0
        for start in range(0, len(ids), _CHUNK):
            Delivery.objects.filter(pk__in=ids[start : start + _CHUNK]).update(enqueued_at=now)
        size = settings.DIGEST_BATCH_SIZE
        outbox_enqueue_many(tasks=[(SEND_TASK, [ids[i : i + size]]) for i in range(0, len(ids), size)])
    return len(ids)
