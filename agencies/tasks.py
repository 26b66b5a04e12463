"""Celery adapters: ids in, a service call, retries. Services enqueue them by name through the outbox
and never import this module; it imports the services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Invitation
from agencies.services import invitation_token
from toolkit.mail import in_language, portal_send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_invitation_email(invitation_id: int) -> None:
    """Sends (again) the link of an open invitation; running it twice sends the same link twice, harmlessly."""
    invitation = (
        Invitation.objects.select_related("agency", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation_token(invitation)])
    context = {"invitation": invitation, "link": link, "taskforce_name": settings.TASKFORCE_NAME}
    # The invitee has no account, so no language of their own yet (they choose one once signed in): the
    # invitation goes in the language of the person who sent it, who chose to write to them.
    with in_language(invitation.invited_by):
        subject = _("You are invited to the %(taskforce)s portal") % {"taskforce": settings.TASKFORCE_NAME}
        message = render_to_string("agencies/email/invitation.txt", context)
    portal_send_mail(subject=subject, message=message, recipient_list=[invitation.email])
