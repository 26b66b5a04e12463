"""The announcement email: an immediate notification (digests.notifications), registered by dotted path
in settings.DIGEST_NOTIFICATIONS.

Unlike the referral notifications, this email may carry the announcement's own text: the coordinators
write it for every partner to read, and it passed the de-identification guard. A text that holds
something shaped like a reference code (which the guard lets through, and the email check refuses) is
not copied: the email then says only that there is an announcement, with the link.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import User
from digests.rendering import REFERENCE_CODE, NotificationContent
from home.models import Announcement
from home.selectors import announcement_agencies, audience_people


class AnnouncementNotification:
    key = "announcement"
    switch = "notify_announcements"
    label = gettext_lazy("emails of the task force's announcements")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        announcement = Announcement.objects.filter(pk=target_id).first()
        if announcement is None:
            return []
        people = audience_people(agencies=announcement_agencies(announcement), sent_by_id=announcement.sent_by_id)
        return people.only("pk")

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        # Still addressed to the person now (their agency may have left the audience, or they the agency).
        announcement = Announcement.objects.addressed_to(person).filter(pk=target_id).first()
        if announcement is None:
            return None
        text = f"{announcement.title}\n\n{announcement.body}"
        if REFERENCE_CODE.search(text):
            message = _("The task force sent an announcement to your agency. Sign in to the portal to read it.")
        else:
            message = f"{announcement.title}: {announcement.body}"
        link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("home:announcement_detail", args=[announcement.pk])
        return NotificationContent(
            subject=_("An announcement from the task force"),
            message=message,
            link_url=link,
            link_label=_("Read and acknowledge it"),
        )
