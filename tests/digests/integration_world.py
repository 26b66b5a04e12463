"""People and referrals for the digest integration tests, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from digests.models import DigestPlannerState
from tests.cases.referral_helpers import send
from tests.digests.helpers import LONG_AGO, prefer
from tests.factories import AgencyFactory, UserFactory


@dataclass
class Office:
    home: Agency
    other: Agency
    officers: list[User]
    members: list[User]
    sender: User


def current_local_hour() -> int:
    return timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).hour


def office(*, officers: int, members: int = 0, hour: int | None = None, referrals: int = 2) -> Office:
    """Referral officers due for a daily digest now (at this very hour), with referrals waiting for them."""
    DigestPlannerState.objects.get_or_create(pk=1, defaults={"first_run_at": LONG_AGO, "last_run_at": LONG_AGO})
    home = AgencyFactory(name="Harbor Integration Center")
    other = AgencyFactory(name="Other Integration Police", sector="law_enforcement")
    sender = UserFactory(agency=other, role=Role.REFERRAL_OFFICER, email="sender@other.example.org")
    prefer(sender, frequency="never")
    hour = current_local_hour() if hour is None else hour
    people = [
        prefer(UserFactory(agency=home, role=Role.REFERRAL_OFFICER, email=f"officer{n}@home.example.org"), hour=hour)
        for n in range(officers)
    ]
    others = [
        prefer(UserFactory(agency=home, role=Role.MEMBER, email=f"member{n}@home.example.org"), hour=hour)
        for n in range(members)
    ]
    for _ in range(referrals):
        send(sender, home)
    return Office(home=home, other=other, officers=people, members=others, sender=sender)


def at_local(day: datetime, hour: int, minute: int = 0) -> str:
    """An ISO instant for FAKE_NOW: that day at that local hour in the task force's time zone."""
    local = day.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return local.isoformat()
