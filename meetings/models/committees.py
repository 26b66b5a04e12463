from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.roles import Action

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


class CommitteeQuerySet(models.QuerySet["Committee"]):
    def for_user(self, user: User | AnonymousUser) -> CommitteeQuerySet:
        """Committee names and members are shared with every member; nothing with anyone else."""
        if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.none()
        return self.all()

    def of_member(self, user: User) -> CommitteeQuerySet:
        """Committees a person sits on, in person or through their agency (no duplicate rows)."""
        return self.filter(pk__in=self.filter(Q(members=user) | Q(agencies=user.agency_id)).values("pk"))

    def managed_by(self, user: User | AnonymousUser) -> CommitteeQuerySet:
        """Coordinators manage every committee; a committee's chair manages that one."""
        if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.none()
        if user.can(Action.RUN_MEETINGS):
            return self.all()
        return self.filter(chair=user)


class Committee(models.Model):
    """A committee or working group: the audience of its meetings is its people and agencies."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(max_length=1000, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Runs the committee's meetings with the coordinators.",
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="committees")
    agencies = models.ManyToManyField(
        "agencies.Agency",
        blank=True,
        related_name="committees",
        help_text="Every person of these agencies is a member.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
