"""Celery adapters: they take ids, call a service, and are safe to run twice. Services enqueue them by
name through the outbox and never import this module; it imports the services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import User
from agencies.roles import PERMISSIONS, Action
from meetings.models import Meeting
from meetings.services import action_items_carry_over, meetings_to_carry_over, meetings_to_remind, rsvp_reminder_send
from toolkit.mail import by_language, portal_send_mail


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_coordinators_of_training_request(request_id: int) -> int:
    """Tells the coordinators that a request is waiting. Email is not a safe channel: a link only."""
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("meetings:training_request_detail", args=[request_id])
    roles = PERMISSIONS[Action.MANAGE_TRAINING_REQUESTS]
    people = User.objects.filter(is_active=True, role__in=roles, agency__is_cochair=True).only("email", "language")
    sent = 0
    # One message per language, each to the coordinators who read that language.
    for language, group in by_language(people):
        with translation.override(language):
            subject = _("[Task force portal] New training request")
            body = _("A training request arrived through the public form. Route it to a host agency:") + f"\n\n{link}\n"
        sent += portal_send_mail(subject=subject, message=body, recipient_list=[person.email for person in group])
    return sent


@shared_task(acks_late=True)
def carry_over_action_items() -> int:
    """Hourly (beat): after each meeting of a series, its open action items go onto the next agenda."""
    added = 0
    for pk in meetings_to_carry_over():
        added += action_items_carry_over(meeting=Meeting.objects.get(pk=pk))
    return added


@shared_task(acks_late=True)
def send_rsvp_reminders() -> int:
    """Hourly (beat): two days before a meeting, one reminder to the people invited who have not answered."""
    return sum(rsvp_reminder_send(meeting_id=pk) for pk in meetings_to_remind())
