"""The RSVP reminder: two days before a meeting, once, to the people invited who have not answered."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from digests.notifications import notification_schedule
from meetings.digest_sections import INVITED_AUDIENCES, RSVP_REMINDER
from meetings.models import Meeting


def meetings_to_remind(now: datetime | None = None) -> list[int]:
    """Meetings starting within MEETINGS_RSVP_REMINDER_BEFORE (two days) not reminded yet. A meeting
    scheduled closer than that to its start gets none: its invitation has just gone out."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            audience__in=INVITED_AUDIENCES,
            cancelled_at__isnull=True,
            rsvp_reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + settings.MEETINGS_RSVP_REMINDER_BEFORE,
            created_at__lte=now - settings.MEETINGS_RSVP_REMINDER_BEFORE / 2,
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def rsvp_reminder_send(*, meeting_id: int) -> bool:
    """Schedules the reminder of one meeting (the ledger keeps it once per person and meeting). Safe to
    run twice: the meeting row is locked and marked in the same transaction."""
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id, rsvp_reminded_at__isnull=True).first()
    if meeting is None or meeting.is_cancelled or meeting.has_started():
        return False
    notification_schedule(kind=RSVP_REMINDER, target_id=meeting.pk)
    meeting.rsvp_reminded_at = timezone.now()
    meeting.save(update_fields=["rsvp_reminded_at"])
    return True
