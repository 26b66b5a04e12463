"""Demo email settings: task-force defaults and a few people's own choices (idempotent)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from digests.models import DigestPreference, Frequency, TaskForceDigestDefaults, Weekday

# email, frequency, weekday, hour, time zone
_CHOICES = [
    ("advocate@demo.example.org", Frequency.DAILY, Weekday.MONDAY, 7, ""),
    ("detective@demo.example.org", Frequency.DAILY, Weekday.MONDAY, 8, "America/Chicago"),
    ("nurse@demo.example.org", Frequency.WEEKLY, Weekday.FRIDAY, 16, "America/New_York"),
    ("member@demo.example.org", Frequency.WEEKLY, Weekday.MONDAY, 9, ""),
]


@transaction.atomic
def seed(*, agencies: dict[str, Agency], stdout: TextIO) -> None:
    defaults = TaskForceDigestDefaults.current()
    defaults.frequency, defaults.weekday, defaults.hour = Frequency.WEEKLY, Weekday.MONDAY, 7
    defaults.save()
    people = {person.email: person for person in User.objects.filter(email__in=[row[0] for row in _CHOICES])}
    for email, frequency, weekday, hour, time_zone in _CHOICES:
        person = people.get(email)
        if person is None:
            continue
        if person.time_zone != time_zone:
            person.time_zone = time_zone
            person.save(update_fields=["time_zone"])
        DigestPreference.objects.get_or_create(
            person=person,
            defaults={
                "frequency": frequency,
                "weekday": weekday,
                "hour": hour,
                "schedule_changed_at": timezone.now(),
            },
        )
    stdout.write(f"Demo email settings: defaults weekly on Monday at 07:00; {len(people)} people with their own.")
