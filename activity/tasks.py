"""Celery adapters: ids in, a service call, retries. Enqueued by name through the outbox
(activity/report_measures.py: reminders from the grant manager's page); nothing imports this module."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from activity.selectors import missing_for
from agencies.models import User
from agencies.roles import PERMISSIONS, Action
from reports.periods import Period
from toolkit.mail import portal_send_mail


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
    recipients = list(
        User.objects.filter(agency_id=agency_id, is_active=True, role__in=roles).values_list("email", flat=True)
    )
    if not recipients:
        return 0
    base = settings.PORTAL_BASE_URL.rstrip("/") + reverse("activity:figures")
    lines = [f"- {missing.quarter.label}: {base}?quarter={missing.quarter.slug}" for missing in owed]
    body = (
        "The task force's grant manager is preparing the report to the funder, and some of your agency's "
        "activity figures are not entered yet. Please enter them here:\n\n" + "\n".join(lines) + "\n"
    )
    subject = f"[{settings.TASKFORCE_NAME}] Activity figures to enter"
    return portal_send_mail(subject=subject, message=body, recipient_list=recipients)
