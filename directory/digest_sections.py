"""The service directory in the digest: a reminder to confirm a stale capacity status.

Registered by dotted path in settings.DIGEST_SECTIONS (digests/sections.py states the protocol). Sent to
the people who may edit their own agency's profile (its administrators, and coordinators for their own
co-chair agency), while its status has not been confirmed for DIRECTORY_CAPACITY_STALE_DAYS.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from digests.sections import DigestItem, DigestWindow, SectionContent, portal_url
from directory.models import ServiceProfile
from directory.permissions import may_edit_profile
from directory.vocabulary import confirmed_on

if TYPE_CHECKING:
    from agencies.models import User


def stale_at(profile: ServiceProfile, moment: datetime) -> bool:
    """`ServiceProfile.capacity_stale` as of `moment` (the digest's send time, so a retry says the same)."""
    if profile.capacity_confirmed_at is None:
        return True
    return moment - profile.capacity_confirmed_at > timedelta(days=settings.DIRECTORY_CAPACITY_STALE_DAYS)


class CapacitySection:
    key = "directory_capacity"
    title = _("Your agency's capacity status")

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        agency = person.agency
        if agency is None or not may_edit_profile(person, agency):
            return None
        profile = ServiceProfile.objects.for_user(person).filter(agency_id=agency.pk).first()
        if profile is None or not stale_at(profile, window.now):
            return None
        url = portal_url("directory:capacity", agency_pk=agency.pk)
        if profile.capacity_confirmed_at is None:
            text = gettext("Your agency's capacity status (%(capacity)s) was never confirmed: confirm it.") % {
                "capacity": profile.get_capacity_display()
            }
        else:
            text = gettext("Your agency's capacity status was last confirmed on %(day)s, confirm it.") % {
                "day": confirmed_on(profile)
            }
        return SectionContent(
            key=self.key,
            title=str(self.title),
            items=[DigestItem(text=text, url=url)],
            link_url=portal_url("directory:detail", agency_pk=agency.pk),
            link_label=gettext("Open your agency's service profile"),
        )
