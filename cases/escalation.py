"""Escalation of an unanswered referral: its window, working days, and the sweep that tells people.

A referral still "sent" when its urgency's window has passed is brought, once, to the RECEIVING agency's
active agency administrators (step 1); still "sent" when the same window has passed again, counted from
step 1, to the co-chairs: the active coordinators of co-chair agencies (step 2). Accepting, declining
or withdrawing it stops the clock; reopening it to "sent" starts it again and clears both steps
(cases.services._apply_transition). A referral whose consent ended is left alone: the receiving agency
can no longer see it.

The windows (settings)
    emergency  ESCALATION_EMERGENCY_HOURS of clock time (2), nights and weekends included;
    urgent     ESCALATION_URGENT_WORKING_DAYS working days (1);
    routine    ESCALATION_ROUTINE_WORKING_DAYS working days (5).

Working days
    A working day is a Monday to Friday, in the task force's TIME_ZONE, that is not a public holiday of
    ESCALATION_HOLIDAYS_COUNTRY / ESCALATION_HOLIDAYS_SUBDIV (the `holidays` package, observed dates
    included: July 4th on a Saturday is observed on Friday the 3rd).

    "N working days after t" is the same local wall-clock time on the Nth working day after t's date,
    when t falls on a working day: Friday 15:00 + 1 = Monday 15:00; Friday 15:00 + 5 = the next Friday
    15:00; Wednesday 10:00 + 1, with Thursday a holiday, = Friday 10:00.
    When t falls on a weekend or a holiday the clock starts at 00:00 of the next working day, and
    counts from there: Saturday 11:00 + 1 = Tuesday 00:00 (the whole of Monday was given).
    In other words, the clock runs only on working days, and a working day lasts 24 hours of it.
    Local wall-clock time: across a change of daylight saving time the window is an hour shorter or
    longer in absolute time (Friday 10:00 CST + 5 = the next Friday 10:00 CDT, 167 hours later). A wall
    time that does not exist on the day reached, or exists twice, is read as zoneinfo reads it (fold 0);
    in the United States clocks change on Sundays, never on a working day.

The sweep (`referrals_escalate`, run by beat every few minutes through cases.tasks) claims the
referrals due with SELECT ... FOR UPDATE SKIP LOCKED and a re-check of the step's column being NULL,
so two sweeps running at once tell each person once; its number of queries does not grow with the
number of referrals it escalates (rows, audit rows, ledger rows and outbox rows are written in bulk).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEntry, AuditEvent
from cases.choices import Status, Urgency
from cases.digest_sections import ESCALATED_TO_ADMINS, ESCALATED_TO_COCHAIRS, cochairs, escalation_admins
from cases.models import Referral, consent_in_force
from digests.models import Delivery
from digests.notifications import SEND_TASK
from outbox.services import outbox_enqueue_many


# --- working days ------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _holidays(country: str, subdiv: str) -> holidays.HolidayBase:
    # One calendar per process; it adds the years it is asked about.
    return holidays.country_holidays(country, subdiv=subdiv or None)


def is_working_day(day: date) -> bool:
    calendar = _holidays(settings.ESCALATION_HOLIDAYS_COUNTRY, settings.ESCALATION_HOLIDAYS_SUBDIV)
    return day.weekday() < 5 and day not in calendar


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_after(moment: datetime, days: int) -> datetime:
    """`moment` plus `days` working days, as the module docstring defines it (an aware datetime)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = moment.astimezone(zone)
    day, clock = local.date(), local.time()
    if not is_working_day(day):
        day, clock = _next_working_day(day), time(0)
    for _ in range(days):
        day = _next_working_day(day)
    return datetime.combine(day, clock, tzinfo=zone)


def escalation_due(start: datetime, urgency: str) -> datetime:
    """When a referral waiting since `start` (or escalated once at `start`) is due for the next step."""
    if urgency == Urgency.EMERGENCY:
        # In UTC: an aware datetime plus a timedelta adds to its wall-clock time, across a change of DST too.
        return start.astimezone(UTC) + timedelta(hours=settings.ESCALATION_EMERGENCY_HOURS)
    days = (
        settings.ESCALATION_URGENT_WORKING_DAYS
        if urgency == Urgency.URGENT
        else settings.ESCALATION_ROUTINE_WORKING_DAYS
    )
    return working_days_after(start, days).astimezone(UTC)


def _shortest_window(urgency: str) -> timedelta:
    """A lower bound of the window in absolute time, to read only referrals that may be due: a working
    day is 24 hours of clock, give or take a change of daylight saving time (margin: two hours)."""
    if urgency == Urgency.EMERGENCY:
        return timedelta(hours=settings.ESCALATION_EMERGENCY_HOURS)
    days = (
        settings.ESCALATION_URGENT_WORKING_DAYS
        if urgency == Urgency.URGENT
        else settings.ESCALATION_ROUTINE_WORKING_DAYS
    )
    return max(timedelta(0), timedelta(days=days) - timedelta(hours=2))


# --- who sees it --------------------------------------------------------------------------------------------
def escalated() -> Q:
    """Referrals escalated and still waiting for an answer (the home page counts these)."""
    return Q(status=Status.SENT, escalated_to_admins_at__isnull=False)


# --- the sweep ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Escalated:
    to_admins: list[int]
    to_cochairs: list[int]


_COLUMNS = ("pk", "urgency", "awaiting_since", "escalated_to_admins_at", "receiving_agency_id")


def _due(now: datetime) -> tuple[list[int], list[int]]:
    """Ids due for step 1 and for step 2, read without locks (the claim re-checks each row)."""
    may_be_due = Q()
    for urgency in Urgency.values:
        may_be_due |= Q(urgency=urgency, awaiting_since__lte=now - _shortest_window(urgency))
    rows = Referral.objects.filter(
        may_be_due, consent_in_force(), status=Status.SENT, escalated_to_cochairs_at__isnull=True
    ).values(*_COLUMNS)
    step1, step2 = [], []
    for row in rows:
        if row["escalated_to_admins_at"] is None:
            if escalation_due(row["awaiting_since"], row["urgency"]) <= now:
                step1.append(row["pk"])
        elif escalation_due(row["escalated_to_admins_at"], row["urgency"]) <= now:
            step2.append(row["pk"])
    return step1, step2


def referrals_escalate(*, now: datetime | None = None) -> Escalated:
    """Takes every referral due one step further, once: see the module docstring. Safe to run twice,
    and on two workers at once."""
    now = now or timezone.now()
    step1, step2 = _due(now)
    if not step1 and not step2:
        return Escalated(to_admins=[], to_cochairs=[])
    with transaction.atomic():
        claimed = list(
            Referral.objects.select_for_update(skip_locked=True)
            .filter(
                Q(pk__in=step1, escalated_to_admins_at__isnull=True)
                | Q(pk__in=step2, escalated_to_admins_at__isnull=False, escalated_to_cochairs_at__isnull=True),
                status=Status.SENT,
            )
            .values_list("pk", "reference_code", "receiving_agency_id", "escalated_to_admins_at")
        )
        to_admins = [row for row in claimed if row[3] is None]
        to_cochairs = [row for row in claimed if row[3] is not None]
        Referral.objects.filter(pk__in=[row[0] for row in to_admins]).update(escalated_to_admins_at=now)
        Referral.objects.filter(pk__in=[row[0] for row in to_cochairs]).update(escalated_to_cochairs_at=now)
        _audit(to_admins, step="admins")
        _audit(to_cochairs, step="cochairs")
        _notify_admins(to_admins, now=now)
        _notify_cochairs(to_cochairs, now=now)
    return Escalated(to_admins=[row[0] for row in to_admins], to_cochairs=[row[0] for row in to_cochairs])


def _audit(rows: list[tuple[Any, ...]], *, step: str) -> None:
    """One row per step and referral, with no actor (the portal did it), written in one INSERT: what
    audit.services.audit_record writes for actor=None, for many targets at once."""
    AuditEntry.objects.bulk_create(
        AuditEntry(
            event=AuditEvent.REFERRAL_ESCALATED,
            target_type=Referral._meta.label_lower,
            target_id=str(pk),
            target_label=code,
            detail={"step": step},
        )
        for pk, code, *_ in rows
    )


def _notify_admins(rows: list[tuple[Any, ...]], *, now: datetime) -> None:
    agency_ids = {row[2] for row in rows}
    admins: dict[int, list[int]] = {}
    for person_id, agency_id in escalation_admins(agency_ids).values_list("pk", "agency_id"):
        admins.setdefault(agency_id, []).append(person_id)
    _schedule(
        kind=ESCALATED_TO_ADMINS, recipients={pk: admins.get(agency_id, []) for pk, _, agency_id, _ in rows}, now=now
    )


def _notify_cochairs(rows: list[tuple[Any, ...]], *, now: datetime) -> None:
    people = list(cochairs().values_list("pk", flat=True)) if rows else []
    _schedule(kind=ESCALATED_TO_COCHAIRS, recipients={row[0]: people for row in rows}, now=now)


def _schedule(*, kind: str, recipients: dict[int, list[int]], now: datetime) -> None:
    """digests.notifications.notification_schedule for many targets in a constant number of queries:
    ledger rows (one per person and event) and outbox rows of DIGEST_BATCH_SIZE ledger ids, written in
    the caller's transaction and enqueued on commit. The event is "<kind>:<target id>:<moment>": a
    referral reopened and escalated again is news again, which "<kind>:<target id>" would swallow."""
    moment = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    periods = {target: f"{kind}:{target}:{moment}" for target in recipients}
    rows = [
        Delivery(
            person_id=person, kind=kind, period=periods[target], target_id=target, scheduled_for=now, enqueued_at=now
        )
        for target, people in recipients.items()
        for person in people
    ]
    if not rows:
        return
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(Delivery.objects.filter(kind=kind, period__in=periods.values()).values_list("pk", flat=True))
    size = settings.DIGEST_BATCH_SIZE
    outbox_enqueue_many(tasks=[(SEND_TASK, [ids[start : start + size]]) for start in range(0, len(ids), size)])
