"""Retention: ended referrals are deleted a set time after their last activity.

A referral that is closed or withdrawn, and whose last activity (a move, a comment, any change) is
older than REFERRAL_RETENTION_DAYS, goes with everything about it: needs, timeline, comments and its
consent record. Nothing else is touched: approved grant reports and published quarters hold their
figures as frozen JSON (reports/models.py), with no link to a referral. The audit trail keeps its
rows (it is append-only) and gains one row per purge, with counts only.

Declined referrals are not "ended" here: a declined referral can be reopened by its sender at any time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Max, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from cases.choices import Status
from cases.models import Comment, Consent, Referral, ReferralNeed, TimelineEvent

if TYPE_CHECKING:  # django-stubs' helper, a development dependency only
    from django_stubs_ext import WithAnnotations


class _LastActivity(TypedDict):
    last_activity: datetime


ENDED = (Status.CLOSED, Status.WITHDRAWN)


@dataclass(frozen=True)
class PurgeCounts:
    """What a purge deleted (or, in a dry run, would delete). Counts only: no code, no id."""

    before: datetime
    referrals: int = 0
    needs: int = 0
    timeline_events: int = 0
    comments: int = 0
    consents: int = 0
    # "closed 2021": how many referrals of that status whose last activity fell in that year.
    by_status_and_year: dict[str, int] = field(default_factory=dict)

    def as_detail(self) -> dict[str, object]:
        return {
            "before": self.before.date().isoformat(),
            "retention_days": settings.REFERRAL_RETENTION_DAYS,
            "referrals": self.referrals,
            "needs": self.needs,
            "timeline_events": self.timeline_events,
            "comments": self.comments,
            "consents": self.consents,
            "by_status_and_year": self.by_status_and_year,
        }


def retention_cutoff(*, now: datetime | None = None) -> datetime:
    """Referrals whose last activity is older than this are due."""
    return (now or timezone.now()) - timedelta(days=settings.REFERRAL_RETENTION_DAYS)


def referrals_due(*, before: datetime) -> QuerySet[WithAnnotations[Referral, _LastActivity]]:
    """Closed and withdrawn referrals with no activity since `before`, annotated with `last_activity`.

    A comment or a move after closing restarts the clock. Coalesce because SQLite's GREATEST is NULL
    as soon as one argument is (a referral without comments).
    """
    updated = "updated_at"
    last_activity = Greatest(
        Coalesce("closed_at", updated, output_field=DateTimeField()),
        updated,
        Coalesce(Max("timeline__created_at"), updated),
        Coalesce(Max("comments__created_at"), updated),
    )
    # Typed as a plain QuerySet: the plugin cannot match an annotated ReferralQuerySet against the
    # declared return type (typeddjango/django-stubs#1190); a plain QuerySet it matches.
    ended: QuerySet[Referral] = Referral.objects.filter(status__in=ENDED)
    return ended.annotate(last_activity=last_activity).filter(last_activity__lt=before).order_by()


def referrals_purge(*, before: datetime, dry_run: bool) -> PurgeCounts:
    """Deletes the referrals due at `before` and what belongs to them; one audit row with counts.

    With `dry_run`, counts what would go and writes nothing. A purge with nothing due writes nothing.
    """
    with transaction.atomic():
        due = _due_locked(before=before)
        ids = [row[0] for row in due]
        counts = _count(before=before, due=due)
        if dry_run or not ids:
            return counts
        consent_ids = list(Consent.objects.filter(referral__id__in=ids).values_list("id", flat=True))
        Referral.objects.filter(id__in=ids).delete()  # cascades to needs, timeline and comments
        Consent.objects.filter(id__in=consent_ids).delete()  # after: the referral PROTECTs its consent
        audit_record(actor=None, event=AuditEvent.REFERRALS_PURGED, detail=counts.as_detail())
    return counts


def _due_locked(*, before: datetime) -> list[tuple[int, str, datetime]]:
    """(id, status, last activity) of the referrals due, locked; read again once locked, so that
    a referral reopened or commented on a moment ago is left alone."""
    candidates = list(referrals_due(before=before).values_list("id", flat=True))
    locked = list(Referral.objects.filter(id__in=candidates).select_for_update().values_list("id", flat=True))
    return list(referrals_due(before=before).filter(id__in=locked).values_list("id", "status", "last_activity"))


def _count(*, before: datetime, due: list[tuple[int, str, datetime]]) -> PurgeCounts:
    ids = [row[0] for row in due]
    groups = Counter(f"{status} {timezone.localtime(last).year}" for _, status, last in due)
    return PurgeCounts(
        before=before,
        referrals=len(ids),
        needs=ReferralNeed.objects.filter(referral_id__in=ids).count(),
        timeline_events=TimelineEvent.objects.filter(referral_id__in=ids).count(),
        comments=Comment.objects.filter(referral_id__in=ids).count(),
        consents=Consent.objects.filter(referral__id__in=ids).count(),
        by_status_and_year=dict(sorted(groups.items())),
    )
