"""Helpers for digest tests: people with a schedule, due digests, and what the mail holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from typing import Any

from django.core import mail
from django.test import TestCase

from agencies.models import User
from digests.models import DIGEST_KIND, Delivery, DigestPreference
from digests.planner import digests_plan

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
REFERENCE_CODE = re.compile(r"\b[A-Z]{1,6}-\d{4}-\d{5}\b")


def prefer(person: User, *, time_zone: str = "", changed_at: datetime = LONG_AGO, **choices: Any) -> User:
    """Give `person` their own email settings (daily at 07:00 unless told), chosen long ago."""
    values = {"frequency": "daily", "weekday": 0, "hour": 7, **choices, "schedule_changed_at": changed_at}
    DigestPreference.objects.update_or_create(person=person, defaults=values)
    User.objects.filter(pk=person.pk).update(time_zone=time_zone, date_joined=LONG_AGO)
    person.refresh_from_db()
    return person


def digest_rows(person: User | None = None) -> list[Delivery]:
    rows = Delivery.objects.filter(kind=DIGEST_KIND).order_by("scheduled_for", "pk")
    return list(rows.filter(person=person) if person is not None else rows)


def plan_and_send(now: datetime | None = None) -> None:
    """What beat does, with the outbox's on-commit dispatch run in-process (tasks are eager in tests)."""
    with after_commit():
        digests_plan(now=now)


def after_commit() -> Any:
    """Run on-commit callbacks when the block ends, as they would run after a real commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def sent_to(email: str) -> list[mail.EmailMultiAlternatives]:
    return [message for message in mail.outbox if message.to == [email]]


def parsed(message: mail.EmailMessage) -> Message:
    return message_from_bytes(message.message().as_bytes())


def bodies(message: mail.EmailMultiAlternatives) -> str:
    """Subject, text and HTML of one message, for scanning."""
    html = "".join(content for content, _ in message.alternatives)
    return "\n".join([message.subject, message.body, html])
