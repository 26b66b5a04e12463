"""Celery adapters: ids in, a service call, retries. Enqueued by name through the outbox
(activity/report_measures.py: reminders from the grant manager's page); nothing imports this module."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from activity.selectors import missing_for
from agencies.models import User
from agencies.roles import PERMISSIONS, Action
from reports.periods import Period
from toolkit.mail import by_language, portal_send_mail


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def remind_activity_figures(agency_id: int, kind: str, start: str, end: str) -> int:
    """Asks the agency's people who enter its figures to enter those still missing for the period.

    Read again when it runs: an agency that caught up meanwhile gets nothing. Email is not a safe
    channel, so the message names quarters and a link, never a figure. Run twice, it sends twice."""
    period = Period(kind, date.fromisoformat(start), date.fromisoformat(end))
    owed = [missing for missing in missing_for(period) if missing.agency.pk == agency_id]
    if not owed:
        return 0
    roles = list(PERMISSIONS[Action.ENTER_ACTIVITY_FIGURES])
    people = User.objects.filter(agency_id=agency_id, is_active=True, role__in=roles).only("email", "language")
    base = settings.PORTAL_BASE_URL.rstrip("/") + reverse("activity:figures")
    sent = 0
    # One message per language, each to the people who read that one (toolkit.mail.by_language).
    for language, readers in by_language(people):
        with translation.override(language):
            lines = [f"- {missing.quarter.label}: {base}?quarter={missing.quarter.slug}" for missing in owed]
            body = (
                _(
                    "The task force's grant manager is preparing the report to the funder, and some of your "
                    "agency's activity figures are not entered yet. Please enter them here:"
                )
                + "\n\n"
                + "\n".join(lines)
                + "\n"
            )
            subject = _("[%(taskforce)s] Activity figures to enter") % {"taskforce": settings.TASKFORCE_NAME}
        sent += portal_send_mail(subject=subject, message=body, recipient_list=[reader.email for reader in readers])
    return sent
