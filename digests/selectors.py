"""Reads: a person's effective email settings, their schedule, and the preview of their next digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Min, Q

from agencies.models import User
from digests.models import (
    DIGEST_KIND,
    Delivery,
    DeliveryStatus,
    DigestPreference,
    DigestSettings,
    Frequency,
    TaskForceDigestDefaults,
)
from digests.schedule import PERIOD_LENGTH, Due, Schedule, next_due, zone
from digests.sections import DigestWindow, SectionContent, digest_sections_build

# A digest never reports changes from further back than this, whatever the gap since the last one.
MAX_WINDOW = timedelta(days=31)


def preference_of(person: User) -> DigestPreference | None:
    try:
        return person.digest_preference
    except DigestPreference.DoesNotExist:
        return None


def effective_settings(*, person: User, defaults: TaskForceDigestDefaults | None = None) -> DigestSettings:
    """The person's own choice, or the task-force defaults when they never chose."""
    return preference_of(person) or defaults or TaskForceDigestDefaults.current()


def schedule_of(*, person: User, chosen: DigestSettings) -> Schedule:
    return Schedule(frequency=chosen.frequency, weekday=chosen.weekday, hour=chosen.hour, tz=zone(person.time_zone))


@dataclass(frozen=True)
class History:
    accounted_end: datetime | None  # end of the last digest sent, or skipped as empty
    first_start: datetime | None  # start of the person's earliest digest row


def digest_histories(person_ids: list[int]) -> dict[int, History]:
    """Per person, where their digests stopped counting changes: one query for many people."""
    accounted = Q(status__in=[DeliveryStatus.SENT, DeliveryStatus.SKIPPED]) & ~Q(detail="superseded")
    rows = (
        Delivery.objects.filter(person_id__in=person_ids, kind=DIGEST_KIND)
        .values("person_id")
        .annotate(end=Max("window_end", filter=accounted), start=Min("window_start"))
    )
    return {row["person_id"]: History(accounted_end=row["end"], first_start=row["start"]) for row in rows}


def window_start(*, history: History | None, end: datetime, frequency: str) -> datetime:
    """Changes since the last digest accounted for; when none was, since the earliest one planned (never
    sent: superseded) or one period back; never more than MAX_WINDOW."""
    start = end - PERIOD_LENGTH.get(Frequency(frequency), MAX_WINDOW)
    if history is not None and history.accounted_end is not None and history.accounted_end < end:
        start = history.accounted_end
    elif history is not None and history.first_start is not None:
        start = min(start, history.first_start)
    return max(start, end - MAX_WINDOW)


def window_for(*, person_id: int, end: datetime, frequency: str, now: datetime) -> DigestWindow:
    history = digest_histories([person_id]).get(person_id)
    return DigestWindow(start=window_start(history=history, end=end, frequency=frequency), end=end, now=now)


@dataclass(frozen=True)
class DigestPreview:
    frequency: str
    next_at: datetime | None  # aware; shown in the person's time zone
    sections: list[SectionContent]
    window: DigestWindow


def digest_preview(*, person: User, now: datetime) -> DigestPreview:
    """What the person's digest would hold if it were sent now, and when the next one is due."""
    chosen = effective_settings(person=person)
    schedule = schedule_of(person=person, chosen=chosen)
    upcoming = _next_unsent(person=person, schedule=schedule, now=now)
    window = window_for(person_id=person.pk, end=now, frequency=chosen.frequency, now=now)
    return DigestPreview(
        frequency=chosen.frequency,
        next_at=upcoming.at if upcoming else None,
        sections=digest_sections_build(person=person, window=window),
        window=window,
    )


def _next_unsent(*, person: User, schedule: Schedule, now: datetime) -> Due | None:
    """The next period without a ledger row (a period already sent is not sent again)."""
    taken = set(Delivery.objects.filter(person=person, kind=DIGEST_KIND).values_list("period", flat=True)[:20])
    due = next_due(schedule, now)
    while due is not None and due.period in taken:  # at most a few days: the ledger is per period
        due = next_due(schedule, due.at)
    return due
