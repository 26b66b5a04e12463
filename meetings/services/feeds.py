"""Private calendar feeds: a secret in the URL, stored as a digest, revocable at any time."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agencies.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.models import CalendarFeed

_TOUCH_EVERY = timedelta(hours=1)


def feed_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed link; the previous one stops working. The raw token is shown once, never stored."""
    calendar_feed_revoke(user=user, audit=False)
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, digest=feed_digest(raw))
    audit_record(actor=user, event=AuditEvent.CALENDAR_FEED_CREATED, target=feed)
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, user: User, audit: bool = True) -> int:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked and audit:
        audit_record(actor=user, event=AuditEvent.CALENDAR_FEED_REVOKED, target=user)
    return revoked


def calendar_feed_owner(raw: str) -> User | None:
    """The active person a feed token belongs to, or None (unknown, revoked, deactivated)."""
    feed = (
        CalendarFeed.objects.filter(digest=feed_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .select_related("user__agency")
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > _TOUCH_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
