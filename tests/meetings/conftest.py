"""People and helpers of the meetings tests (the people come from tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from agencies.models import Agency, User
from meetings import services
from meetings.choices import Audience, MeetingKind
from meetings.models import Meeting


def meeting_input(*, host: Agency, **overrides: Any) -> services.MeetingInput:
    start = timezone.now() + timedelta(days=7)
    values: dict[str, Any] = {
        "title": "Full task force meeting",
        "kind": MeetingKind.FULL,
        "audience": Audience.ALL_MEMBERS,
        "committee": None,
        "host_agency": host,
        "organizer": None,
        "starts_at": start,
        "ends_at": start + timedelta(hours=1, minutes=30),
        "location": "County Government Center, Room 204",
        "video_url": "",
    }
    values.update(overrides)
    return services.MeetingInput(**values)


def schedule(actor: User, **overrides: Any) -> Meeting:
    frequency = overrides.pop("frequency", "")
    count = overrides.pop("count", 1)
    details = meeting_input(host=overrides.pop("host", actor.agency), **overrides)
    return services.meeting_schedule(actor=actor, details=details, frequency=frequency, count=count)


def local(*args: int) -> datetime:
    """An aware datetime in the task force's time zone."""
    return datetime(*args, tzinfo=timezone.get_current_timezone())


def move_to(meeting: Meeting, *, starts_in: timedelta, length: timedelta = timedelta(hours=1)) -> Meeting:
    """Puts a meeting at another time without the services (time passing, as far as the test cares)."""
    meeting.starts_at = timezone.now() + starts_in
    meeting.ends_at = meeting.starts_at + length
    meeting.save(update_fields=["starts_at", "ends_at"])
    return meeting


@pytest.fixture
def meeting(coordinator: User) -> Meeting:
    """A full task-force meeting next week, open to all members."""
    return schedule(coordinator)


@pytest.fixture
def past_meeting(coordinator: User) -> Meeting:
    """A meeting that started an hour ago and is under way."""
    return move_to(schedule(coordinator), starts_in=-timedelta(hours=1), length=timedelta(hours=2))


CANCELLED_NOTICE = "meetings.digest_sections.MeetingCancelled"


@pytest.fixture(autouse=True)
def _cancellation_notice_registered(settings: Any) -> None:
    """The cancellation email is a notification kind of settings.DIGEST_NOTIFICATIONS (the lead's file):
    registered here until the settings list it. test_cancel_email checks that they do."""
    if CANCELLED_NOTICE not in settings.DIGEST_NOTIFICATIONS:
        settings.DIGEST_NOTIFICATIONS = [*settings.DIGEST_NOTIFICATIONS, CANCELLED_NOTICE]


def later_meeting(meeting: Meeting) -> Meeting:
    """A later meeting of the same body that has begun: where `meeting`'s minutes are approved."""
    start = meeting.starts_at + (timezone.now() - meeting.starts_at) / 2
    return Meeting.objects.create(
        title=f"{meeting.title} (next)",
        kind=meeting.kind,
        audience=meeting.audience,
        committee=meeting.committee,
        host_agency=meeting.host_agency,
        created_by=meeting.created_by,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location=meeting.location,
    )
