"""Announcements from the coordinators to partner agencies, and who has acknowledged each.

An announcement is addressed to agencies, not to a list of people: all partners, one sector, or chosen
agencies. Who is in its audience is read when it is read (the active people of the active agencies it
addresses), so a person who joins an agency afterwards sees it too, and a deactivated one no longer does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Sector
from agencies.roles import Action

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 4000


class Audience(models.TextChoices):
    ALL = "all", gettext_lazy("All partner agencies")
    SECTOR = "sector", gettext_lazy("The agencies of one sector")
    AGENCIES = "agencies", gettext_lazy("Chosen agencies")


def agency_audience_q(*, agency_id: int, sector: str) -> Q:
    """The announcements addressed to the agency `agency_id` of sector `sector`."""
    chosen = Announcement.agencies.through.objects.filter(agency_id=agency_id).values("announcement_id")
    return (
        Q(audience=Audience.ALL)
        | Q(audience=Audience.SECTOR, sector=sector)
        | Q(audience=Audience.AGENCIES, pk__in=chosen)
    )


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def for_user(self, user: User | AnonymousUser) -> AnnouncementQuerySet:
        """Coordinators see every announcement; everyone else those addressed to them."""
        if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.none()
        if user.can(Action.SEND_ANNOUNCEMENTS):
            return self.all()
        return self.addressed_to(user)

    def addressed_to(self, user: User | AnonymousUser) -> AnnouncementQuerySet:
        """Those whose audience holds `user` now: an active person of an active agency it addresses."""
        if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.none()
        agency = user.member_agency
        if not agency.is_active:
            return self.none()
        return self.filter(agency_audience_q(agency_id=agency.pk, sector=agency.sector))

    def unacknowledged_by(self, user: User | AnonymousUser) -> AnnouncementQuerySet:
        """Addressed to `user`, not acknowledged by them, and not sent by them (they know it already)."""
        if not user.is_authenticated:
            return self.none()
        acknowledged = AnnouncementAcknowledgement.objects.filter(person_id=user.pk).values("announcement_id")
        return self.addressed_to(user).exclude(pk__in=acknowledged).exclude(sent_by_id=user.pk)


class Announcement(models.Model):
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    # For a sector audience.
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    # For a chosen-agencies audience.
    agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience=Audience.SECTOR, sector__gt="") | (~Q(audience=Audience.SECTOR) & Q(sector="")),
                name="announcement_sector_for_a_sector_audience",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.SECTOR:
            return _("The %(sector)s agencies") % {"sector": str(self.get_sector_display()).lower()}
        return str(self.get_audience_display())


class AnnouncementAcknowledgement(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "person"], name="announcement_acknowledged_once")
        ]
        indexes = [models.Index(fields=["person", "announcement"])]

    def __str__(self) -> str:
        return f"{self.person} acknowledged {self.announcement}"
